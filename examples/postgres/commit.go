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
// the next batch takes them all, in one statement, one commit and one
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
		written, err := saveBatch(ctx, c.pool, batch)
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

// saveBatch writes the orders of a batch in one transaction and one round
// trip, and returns the IDs of those it wrote. The orders go in ID order,
// so two processes' batches lock the rows they share in the same order; a
// deadlock PostgreSQL breaks all the same is reported as no order
// written, which the callers retry as lost races.
func saveBatch(ctx context.Context, pool *pgxpool.Pool, batch []*pendingWrite) (map[string]bool, error) {
	if len(batch) == 1 {
		ok, err := saveOne(ctx, pool, batch[0].w)
		return map[string]bool{batch[0].w.ids[0]: ok}, err
	}
	writes := make([]*writeSet, len(batch))
	for i, p := range batch {
		writes[i] = p.w
	}
	slices.SortFunc(writes, func(a, b *writeSet) int { return strings.Compare(a.ids[0], b.ids[0]) })
	all := mergeAll(writes)
	written := make(map[string]bool, len(batch))
	// The statements of a batch, sent with one Sync, run in one implicit
	// transaction: the setting holds for the write, and ends with it.
	b := &pgx.Batch{}
	// The generic plan looks orders up by primary key; planning it afresh
	// for each batch would cost more than running it.
	b.Queue(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`)
	b.Queue(writeOrders, all.args()...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			written[id] = true
		}
		return rows.Err()
	})
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
