package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Relay delivers the outbox: it hands each pending effect to Deliver, at
// least once, marks it delivered when Deliver returns nil, and tries again
// later, with a growing backoff, when it returns an error. Receivers drop
// an effect ID they have seen: an effect is delivered again when a relay
// dies between Deliver and the mark, or takes longer than Lease.
//
// Any number of relays may run at once. Each claims a batch of pending
// effects by putting their next_attempt Lease ahead (FOR UPDATE SKIP LOCKED,
// so two relays never claim the same row at once), delivers them without
// holding a transaction open, then marks them. A relay that dies leaves
// its claim to expire, and another one takes the effects over. Times are
// the database's clock, so relays on machines with different clocks agree.
type Relay struct {
	Store *Store
	// Deliver carries out one effect: pay, notify, alert. It is called
	// from one goroutine at a time per relay, in the order the effects
	// were recorded. An error puts the effect back, to be tried after
	// Backoff.
	Deliver func(ctx context.Context, ef aftersale.Effect) error
	// Batch is how many effects one claim takes. Zero: 100.
	Batch int
	// Lease is how long a claim keeps other relays off the effects it
	// took. Zero: 30 seconds.
	Lease time.Duration
	// Backoff is the pause before the next attempt after the n-th failed
	// one (n from 1). Nil: a second, doubling up to 10 minutes.
	Backoff func(n int) time.Duration
	// Idle is the pause of Run when nothing is pending. Zero: a second.
	Idle time.Duration
	// OnError is told of each failed claim or mark (Run pauses, then goes
	// on). Nil: dropped.
	OnError func(error)
}

// DefaultBackoff is the pause after the n-th failed attempt when
// Relay.Backoff is nil: 1s, 2s, 4s, ... up to 10 minutes.
func DefaultBackoff(n int) time.Duration {
	d := time.Second
	for i := 1; i < n && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}

// Delivery is what one Relay.Once did.
type Delivery struct {
	// Claimed is how many pending effects it took.
	Claimed int
	// Delivered and Failed split them by what Deliver returned. Those
	// left (the context was done before their turn) are put back as they
	// were, without an attempt counted.
	Delivered, Failed int
}

// claimPending takes up to $1 pending effects whose time has come, oldest
// first, and keeps other relays off them for $2 microseconds.
const claimPending = `
UPDATE outbox SET attempts = attempts + 1,
	next_attempt = clock_timestamp() + $2 * interval '1 microsecond'
WHERE id IN (
	SELECT id FROM outbox
	WHERE delivered IS NULL AND next_attempt <= clock_timestamp()
	ORDER BY pos
	LIMIT $1
	FOR UPDATE SKIP LOCKED)
RETURNING pos, id, payload, attempts`

const markDelivered = `
UPDATE outbox SET delivered = clock_timestamp(), last_error = NULL
WHERE id = ANY($1) AND delivered IS NULL`

const putBack = `
UPDATE outbox SET next_attempt = clock_timestamp(), attempts = attempts - 1
WHERE id = ANY($1) AND delivered IS NULL`

const markFailed = `
UPDATE outbox o SET next_attempt = clock_timestamp() + f.pause * interval '1 microsecond', last_error = f.why
FROM unnest($1::text[], $2::bigint[], $3::text[]) AS f(id, pause, why)
WHERE o.id = f.id AND o.delivered IS NULL`

// Once claims a batch of pending effects, delivers them and marks them.
func (r *Relay) Once(ctx context.Context) (Delivery, error) {
	var d Delivery
	if r.Deliver == nil {
		return d, errors.New("postgres: relay: Deliver is nil")
	}
	batch, lease := r.Batch, r.Lease
	if batch <= 0 {
		batch = 100
	}
	if lease <= 0 {
		lease = 30 * time.Second
	}
	backoff := r.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}

	type claimed struct {
		pos      int64
		id       string
		payload  []byte
		attempts int
	}
	rows, err := r.Store.pool.Query(ctx, claimPending, batch, lease.Microseconds())
	if err != nil {
		return d, err
	}
	var todo []claimed
	for rows.Next() {
		var c claimed
		if err := rows.Scan(&c.pos, &c.id, &c.payload, &c.attempts); err != nil {
			rows.Close()
			return d, err
		}
		todo = append(todo, c)
	}
	if err := rows.Err(); err != nil {
		return d, err
	}
	slices.SortFunc(todo, func(a, b claimed) int { return int(a.pos - b.pos) })
	d.Claimed = len(todo)

	var done, failed, why, left []string
	var pauses []int64
	for _, c := range todo {
		if ctx.Err() != nil {
			left = append(left, c.id)
			continue
		}
		var ef aftersale.Effect
		err := json.Unmarshal(c.payload, &ef)
		if err == nil {
			err = r.Deliver(ctx, ef)
		} else {
			err = fmt.Errorf("postgres: relay: effect %s: %w", c.id, err)
		}
		if err != nil {
			failed, why = append(failed, c.id), append(why, err.Error())
			pauses = append(pauses, backoff(c.attempts).Microseconds())
			continue
		}
		done = append(done, c.id)
	}
	d.Delivered, d.Failed = len(done), len(failed)

	// The marks are not tied to ctx: effects delivered are marked even
	// when the caller gives up now.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if len(done) > 0 {
		if _, err := r.Store.pool.Exec(mctx, markDelivered, done); err != nil {
			return d, err
		}
	}
	if len(failed) > 0 {
		if _, err := r.Store.pool.Exec(mctx, markFailed, failed, pauses, why); err != nil {
			return d, err
		}
	}
	if len(left) > 0 {
		if _, err := r.Store.pool.Exec(mctx, putBack, left); err != nil {
			return d, err
		}
	}
	return d, nil
}

// Drain delivers until a claim finds fewer than Batch effects due, and
// returns how many were delivered.
func (r *Relay) Drain(ctx context.Context) (int, error) {
	total := 0
	batch := r.Batch
	if batch <= 0 {
		batch = 100
	}
	for {
		d, err := r.Once(ctx)
		total += d.Delivered
		if err != nil {
			return total, err
		}
		if d.Claimed < batch {
			return total, nil
		}
	}
}

// Run delivers what is pending, pauses for Idle, and again, until ctx is
// done; it returns ctx's error.
func (r *Relay) Run(ctx context.Context) error {
	idle := r.Idle
	if idle <= 0 {
		idle = time.Second
	}
	for {
		if _, err := r.Drain(ctx); err != nil && ctx.Err() == nil && r.OnError != nil {
			r.OnError(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(idle):
		}
	}
}

// PruneDelivered deletes the outbox rows delivered before t, and returns
// how many. Pending rows are never deleted.
func (s *Store) PruneDelivered(ctx context.Context, t time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM outbox WHERE delivered < $1`, t)
	return tag.RowsAffected(), err
}
