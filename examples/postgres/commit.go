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
// commit): a batch of them in one transaction, one commit and one round
// trip, each order under its own version guard, so one that lost its
// race is not written and the others are. Up to writers batches are in
// flight at once, each on a connection of its own.
//
// When a batch starts is the whole policy, and batchReady says it: at
// once when nothing is in flight, so a lone caller waits for no one;
// otherwise once the queue holds its share of the writes under way.
// With n callers and two writers, two batches of about n/2 then
// overlap: one is written while the other commits, and the server's
// backend is not left idle while the client gathers and encodes the
// next. A free writer that took whatever was queued would instead send
// batches of one or two, each paying for a commit of its own.
type committer struct {
	pool    *pgxpool.Pool
	writers int

	mu       sync.Mutex
	queue    []*pendingWrite
	inFlight int // batches being written
	flying   int // the writes in them
	// preparing counts the Apply calls that have begun and may still
	// write: a batch waits for its share of them.
	preparing int

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

// batchReady says whether a batch of the queued writes should start now,
// with flying writes in flight and preparing Apply calls that may still
// add theirs, over writers connections: when nothing is in flight, or
// when the queue holds its share (a writers-th) of all the writes under
// way, or a full batch.
func batchReady(queued, preparing, flying, writers int) bool {
	if queued == 0 {
		return false
	}
	return flying == 0 || queued*writers >= queued+preparing+flying || queued >= maxBatch
}

// begin counts an Apply that may write; its write, or giveUp, ends it.
func (c *committer) begin() {
	c.mu.Lock()
	c.preparing++
	c.mu.Unlock()
}

// giveUp ends an Apply that began and will not write: a batch waiting
// for its share no longer waits for it.
func (c *committer) giveUp() {
	c.mu.Lock()
	c.preparing--
	c.dispatch(nil)
	c.mu.Unlock()
}

// write ends an Apply that began: it saves the only order of w over the
// version it was loaded at, with its events and effects, and says
// whether it did (false: the version had moved on, and nothing of it is
// written). When ctx is done before the write is sent, nothing is
// written; once sent, ctx's error is returned and the write may or may
// not commit, as with any statement cancelled in flight.
func (c *committer) write(ctx context.Context, w *writeSet) (bool, error) {
	p := &pendingWrite{w: w, done: make(chan struct{})}
	c.mu.Lock()
	c.preparing--
	c.queue = append(c.queue, p)
	own := c.dispatch(p)
	c.mu.Unlock()
	if own != nil {
		// The batch holding this write is written on this goroutine: a
		// write alone under its caller's context, a batch under its own.
		if len(own) == 1 {
			c.writeBatch(ctx, own)
		} else {
			c.writeForAll(own)
		}
		return p.written, p.err
	}

	select {
	case <-p.done:
		return p.written, p.err
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		if !p.taken {
			c.queue = slices.DeleteFunc(c.queue, func(q *pendingWrite) bool { return q == p })
			c.dispatch(nil)
		}
		return false, ctx.Err()
	}
}

// dispatch, under mu, starts batches while a writer is free and
// batchReady says so. The batch holding self, if any, is returned for
// its caller to write; the others are written on goroutines of their
// own.
func (c *committer) dispatch(self *pendingWrite) (own []*pendingWrite) {
	for c.inFlight < c.writers && batchReady(len(c.queue), c.preparing, c.flying, c.writers) {
		batch := c.take()
		c.inFlight++
		c.flying += len(batch)
		if slices.Contains(batch, self) {
			own = batch
			continue
		}
		go c.writeForAll(batch)
	}
	return own
}

// writeForAll writes a batch for all its callers, so under no caller's
// context but batchTimeout.
func (c *committer) writeForAll(batch []*pendingWrite) {
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	c.writeBatch(ctx, batch)
}

// writeBatch writes a batch that dispatch took, hands each write its
// outcome, frees the batch's writer and dispatches what waits.
func (c *committer) writeBatch(ctx context.Context, batch []*pendingWrite) {
	var written map[string]bool
	var err error
	if len(batch) == 1 {
		var ok bool
		ok, err = saveOne(ctx, c.pool, batch[0].w)
		written = map[string]bool{batch[0].w.ids[0]: ok}
	} else {
		written, err = saveBatch(ctx, c.pool, batch, smallBatch)
	}
	c.commits.Add(1)
	c.orders.Add(int64(len(batch)))
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range batch {
		p.written, p.err = written[p.w.ids[0]], err
		close(p.done)
	}
	c.inFlight--
	c.flying -= len(batch)
	c.dispatch(nil)
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
