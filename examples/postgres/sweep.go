package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shouhou/shouhou/aftersale"
)

// SweepResult is what one Sweep did.
type SweepResult struct {
	// Claimed is how many due orders the batch locked.
	Claimed int
	// Advanced is how many of them were saved with new events.
	Advanced int
	// Fired is how many events the deadlines appended, in all.
	Fired int
	// Failed lists the orders that could not be advanced. Each is left as
	// it was but for next_due, put Options.RetryDelay after now, and
	// sweep_error, which says why.
	Failed []OrderError
}

// OrderError is an order a sweep could not advance, and why.
type OrderError struct {
	Order string
	Err   error
}

// Error says which order and why.
func (e OrderError) Error() string { return "order " + e.Order + ": " + e.Err.Error() }

// Unwrap returns why, so errors.Is finds its code.
func (e OrderError) Unwrap() error { return e.Err }

// claimDue locks up to $2 orders whose next deadline is due at $1,
// earliest first, skipping those another transaction holds.
const claimDue = `
SELECT id, version, doc FROM orders
WHERE next_due <= $1
ORDER BY next_due
LIMIT $2
FOR UPDATE SKIP LOCKED`

// putOff leaves orders that could not be advanced until $2, saying why.
const putOff = `
UPDATE orders o SET next_due = $2, sweep_error = f.why, updated = now()
FROM unnest($1::text[], $3::text[]) AS f(id, why)
WHERE o.id = f.id`

// Sweep advances, in one transaction, up to limit orders whose next
// deadline is due at now: it claims them with FOR UPDATE SKIP LOCKED
// (earliest first), fires their due deadlines with Engine.AdvanceTo, and
// saves each with its new events and effects under the version guard.
//
// Any number of processes may sweep at once: an order one of them holds is
// skipped by the others, so no order is advanced twice at once; a sweeper
// that dies holds its locks no longer than its connection, and its
// uncommitted batch is rolled back, to be claimed again. A sweep that
// claims fewer than limit orders found no more that were free and due.
func (s *Store) Sweep(ctx context.Context, now time.Time, limit int) (SweepResult, error) {
	var res SweepResult
	var w *writeSet
	if limit <= 0 {
		return res, &aftersale.Error{Code: aftersale.ErrInvalidInput, Message: fmt.Sprintf("postgres: sweep: limit %d, want at least 1", limit)}
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		res = SweepResult{}
		// The bulk write's generic plan looks orders up by primary key,
		// and planning it afresh for each batch costs more than running it.
		if _, err := tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, claimDue, now, limit)
		if err != nil {
			return err
		}
		type claimed struct {
			id      string
			version int64
			doc     []byte
		}
		var batch []claimed
		for rows.Next() {
			var c claimed
			if err := rows.Scan(&c.id, &c.version, &c.doc); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		res.Claimed = len(batch)
		if len(batch) == 0 {
			return nil
		}

		w = new(writeSet)
		var failed, why []string
		ids := make([]string, 0, len(batch))
		for _, c := range batch {
			ids = append(ids, c.id)
			fired, err := s.advance(now, c.id, c.version, c.doc, w)
			if err != nil {
				res.Failed = append(res.Failed, OrderError{Order: c.id, Err: err})
				failed, why = append(failed, c.id), append(why, err.Error())
				continue
			}
			if fired > 0 {
				res.Advanced++
				res.Fired += fired
			}
		}
		if len(w.ids) > 0 {
			rows, err := tx.Query(ctx, writeOrders, w.args()...)
			if err != nil {
				return err
			}
			written := 0
			for rows.Next() {
				written++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if written != len(w.ids) {
				// Cannot happen while the rows are locked; never commit
				// half a batch.
				return fmt.Errorf("postgres: sweep: wrote %d of %d locked orders", written, len(w.ids))
			}
		}
		if len(failed) > 0 {
			if _, err := tx.Exec(ctx, putOff, failed, now.Add(s.opts.RetryDelay), why); err != nil {
				return err
			}
		}
		if testHookSweepBeforeCommit != nil {
			testHookSweepBeforeCommit(ids)
		}
		return nil
	})
	if err != nil {
		return SweepResult{}, err
	}
	if w != nil {
		w.keep(s.cache)
	}
	return res, nil
}

// advance decodes a claimed order, fires what is due at now, and adds the
// result to w. It returns how many events were appended. An order with
// nothing due (its next_due was early) is saved all the same, with the
// next_due its document gives.
func (s *Store) advance(now time.Time, id string, version int64, doc []byte, w *writeSet) (int, error) {
	order, err := decode(id, version, doc)
	if err != nil {
		return 0, err
	}
	changes, err := s.engine.AdvanceTo(now, order)
	if err != nil {
		return 0, err
	}
	if err := w.addOrder(order, version); err != nil {
		return 0, err
	}
	var effects []aftersale.Effect
	for _, ch := range changes {
		w.addEvent(id, ch.Case.ID(), ch.Event)
		effects = append(effects, ch.Effects()...)
	}
	if err := w.addEffects(outboxEffects(effects)); err != nil {
		return 0, err
	}
	return len(changes), nil
}

// Sweeper runs Sweep in a loop: batch after batch while orders are due,
// then a pause. Run as many as you like, in one process or many.
type Sweeper struct {
	Store *Store
	// Batch is how many orders one transaction claims. Zero: 100.
	Batch int
	// Now is the clock. Nil: time.Now.
	Now func() time.Time
	// Idle is the pause once nothing is due. Zero: a second.
	Idle time.Duration
	// OnError is told of each failed sweep (Run pauses, then goes on) and
	// of each order a sweep could not advance. Nil: they are dropped; the
	// orders keep their sweep_error.
	OnError func(error)
}

func (w *Sweeper) batch() int {
	if w.Batch <= 0 {
		return 100
	}
	return w.Batch
}

func (w *Sweeper) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

func (w *Sweeper) report(err error) {
	if w.OnError != nil {
		w.OnError(err)
	}
}

// Drain sweeps at now until a batch claims fewer orders than Batch, and
// returns how many orders it advanced. Orders other sweepers hold are
// theirs to finish.
func (w *Sweeper) Drain(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		res, err := w.Store.Sweep(ctx, now, w.batch())
		if err != nil {
			return total, err
		}
		total += res.Advanced
		for _, f := range res.Failed {
			w.report(f)
		}
		if res.Claimed < w.batch() {
			return total, nil
		}
	}
}

// Run drains what is due, pauses for Idle, and again, until ctx is done;
// it returns ctx's error.
func (w *Sweeper) Run(ctx context.Context) error {
	idle := w.Idle
	if idle <= 0 {
		idle = time.Second
	}
	for {
		if _, err := w.Drain(ctx, w.now()); err != nil && !errors.Is(err, ctx.Err()) {
			w.report(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(idle):
		}
	}
}
