package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// committer writes the orders of concurrent Apply calls together (group
// commit): while a write is in flight, the writes that arrive wait, and
// the next batch takes them all, in one transaction, one commit and one
// round trip. A write that finds nothing in flight and nobody waiting is
// written at once, on its caller's goroutine, so a lone caller waits for
// no one. Each order in a batch keeps its own version guard: one that
// lost its race is not written, and the others are.
type committer struct {
	pool *pgxpool.Pool
	// maxInFlight caps the batches written at once, each on a connection
	// of its own.
	maxInFlight int

	mu       sync.Mutex
	queue    []*pendingWrite
	inFlight int

	// commits and orders count the transactions written and the orders
	// in them, for the benchmarks.
	commits, orders atomic.Int64
}

// maxBatch is the most orders one batch writes.
const maxBatch = 64

// batchTimeout bounds the writing of a batch that no caller's context
// bounds, as it is written for them all.
const batchTimeout = time.Minute

// pendingWrite is one order's write waiting for its batch.
type pendingWrite struct {
	w    *writeSet // one order
	done chan struct{}
	// Set under committer.mu: taken once a batch holds it, and the
	// outcome before done is closed.
	taken   bool
	written bool
	err     error
}

// write saves the only order of w over the version it was loaded at, with
// its events and effects, and says whether it did (false: the version had
// moved on, and nothing of it is written). When ctx is done before the
// write is sent, nothing is written; once sent, ctx's error is returned
// and the write may or may not commit, as with any statement cancelled in
// flight.
func (c *committer) write(ctx context.Context, w *writeSet) (bool, error) {
	c.mu.Lock()
	if len(c.queue) == 0 && c.inFlight < c.maxInFlight {
		c.inFlight++
		c.mu.Unlock()
		written, err := saveOne(ctx, c.pool, w)
		c.commits.Add(1)
		c.orders.Add(1)
		c.mu.Lock()
		c.afterBatch()
		c.mu.Unlock()
		return written, err
	}
	p := &pendingWrite{w: w, done: make(chan struct{})}
	c.queue = append(c.queue, p)
	if c.inFlight < c.maxInFlight {
		c.inFlight++
		go c.flush()
	}
	c.mu.Unlock()

	select {
	case <-p.done:
		return p.written, p.err
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		if !p.taken {
			c.queue = slices.DeleteFunc(c.queue, func(q *pendingWrite) bool { return q == p })
		}
		return false, ctx.Err()
	}
}

// afterBatch, under mu, hands the slot of a finished batch to a new
// flusher when writes are waiting, or frees it.
func (c *committer) afterBatch() {
	if len(c.queue) > 0 {
		go c.flush()
		return
	}
	c.inFlight--
}

// flush writes batches until none is waiting, then frees its slot.
func (c *committer) flush() {
	for {
		c.mu.Lock()
		batch := c.take()
		if len(batch) == 0 {
			c.inFlight--
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()

		ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
		written, err := saveBatch(ctx, c.pool, batch, smallBatch)
		cancel()
		c.commits.Add(1)
		c.orders.Add(int64(len(batch)))
		c.mu.Lock()
		for _, p := range batch {
			p.written, p.err = written[p.w.ids[0]], err
			close(p.done)
		}
		c.mu.Unlock()
	}
}

// take, under mu, removes up to maxBatch writes from the queue, oldest
// first and one per order: a second write of an order waits for the next
// batch, where its guard tells it whether the first one won.
func (c *committer) take() []*pendingWrite {
	var batch []*pendingWrite
	seen := make(map[string]bool)
	rest := c.queue[:0]
	for _, p := range c.queue {
		id := p.w.ids[0]
		if len(batch) == maxBatch || seen[id] {
			rest = append(rest, p)
			continue
		}
		seen[id] = true
		p.taken = true
		batch = append(batch, p)
	}
	clear(c.queue[len(rest):])
	c.queue = rest
	return batch
}

// saveOne writes one order alone: one statement, committed on its own.
func saveOne(ctx context.Context, pool *pgxpool.Pool, w *writeSet) (bool, error) {
	sql, args := w.save()
	var written int
	if err := pool.QueryRow(ctx, sql, args...).Scan(&written); err != nil {
		return false, err
	}
	return written == 1, nil
}

// smallBatch is the most orders a batch writes with a statement each,
// the one saveOne sends; a larger batch goes as one statement over
// arrays, which costs the server more for a few orders and less for many.
const smallBatch = 4

// saveBatch writes the orders of a batch in one transaction and one round
// trip, and returns the IDs of those it wrote: with a statement each if
// there are at most small of them, else as one statement over arrays.
// Its statements are sent
// with one Sync, so they run in one implicit transaction: one commit, and
// nothing of any order when the database refuses one. The orders go in
// ID order, so two processes' batches lock the rows they share in the
// same order; a deadlock PostgreSQL breaks all the same is reported as no
// order written, which the callers retry as lost races.
func saveBatch(ctx context.Context, pool *pgxpool.Pool, batch []*pendingWrite, small int) (map[string]bool, error) {
	writes := make([]*writeSet, len(batch))
	for i, p := range batch {
		writes[i] = p.w
	}
	slices.SortFunc(writes, func(a, b *writeSet) int { return strings.Compare(a.ids[0], b.ids[0]) })
	written := make(map[string]bool, len(batch))
	b := &pgx.Batch{}
	if len(writes) <= small {
		queueEach(b, writes, written)
	} else {
		queueMerged(b, writes, written)
	}
	err := pool.SendBatch(ctx, b).Close()
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "40P01" { // deadlock_detected
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	return written, nil
}

// queueEach queues one statement per write, each noting in written
// whether it wrote its order.
func queueEach(b *pgx.Batch, writes []*writeSet, written map[string]bool) {
	for _, w := range writes {
		sql, args := w.save()
		b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
			var n int
			if err := row.Scan(&n); err != nil {
				return err
			}
			if n == 1 {
				written[w.ids[0]] = true
			}
			return nil
		})
	}
}

// queueMerged queues the writes as one statement over arrays, noting in
// written the orders it wrote.
func queueMerged(b *pgx.Batch, writes []*writeSet, written map[string]bool) {
	// The generic plan looks orders up by primary key; planning it afresh
	// for each batch would cost more than running it. The setting ends
	// with the batch's implicit transaction.
	b.Queue(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`)
	b.Queue(writeOrders, mergeAll(writes).args()...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			written[id] = true
		}
		return rows.Err()
	})
}
