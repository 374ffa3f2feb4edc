package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/aftersale"
)

// Options tune a Store. The zero value is usable.
type Options struct {
	// MaxAttempts is how often Apply tries a command whose write lost the
	// race to another writer of the same order (the version moved on
	// between load and save) before it gives up with aftersale.ErrConflict.
	// Zero: 8.
	MaxAttempts int
	// RetryDelay is how long the sweeper leaves an order it could not
	// advance (a document this build cannot read, such as one a newer
	// shouhou wrote during an upgrade) before it claims it again. Zero: a
	// minute.
	RetryDelay time.Duration
	// Writers is how many batches of Apply's writes may be in flight at
	// once, each on a connection of its own. The orders of commands
	// applied at the same time share batches: one round trip and one
	// commit for them all, while each keeps its own version guard. While
	// a batch is in flight, the next one starts once it holds its share
	// (one in Writers) of the writes under way, so with two writers two
	// batches of half the callers overlap. One writer makes the largest
	// batches, with the server idle while each is gathered; more than two
	// make them smaller, each paying for a commit. Zero: 2.
	Writers int
	// CacheBytes is about how many bytes of memory the store spends on
	// keeping the orders it read or wrote last, decoded, so that a
	// command on one of them needs no load and no decode: the version
	// guard of the write tells a stale order, and the command is tried
	// again on the order as stored. An order counts as the length of its
	// stored document, more than it takes decoded. Zero: 16 MiB; below
	// zero: none.
	CacheBytes int
}

// Store keeps shouhou orders in PostgreSQL: one row per order holding its
// stored document, the events of its cases for queries, and an outbox of
// the effects to deliver, all written in one transaction.
//
// A Store is safe for concurrent use, and any number of processes may
// share one database: every write is guarded by the order's version.
type Store struct {
	pool    *pgxpool.Pool
	engine  *aftersale.Engine
	opts    Options
	commits *committer
	cache   *orderCache
}

// New returns a store on pool that applies commands and deadlines with
// engine. The schema must be in place (Migrate).
func New(pool *pgxpool.Pool, engine *aftersale.Engine, opts Options) *Store {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = time.Minute
	}
	if opts.Writers <= 0 {
		opts.Writers = 2
	}
	if opts.CacheBytes == 0 {
		opts.CacheBytes = 16 << 20
	}
	return &Store{pool: pool, engine: engine, opts: opts,
		commits: &committer{pool: pool, writers: opts.Writers},
		cache:   newOrderCache(opts.CacheBytes)}
}

// Pool returns the connection pool the store uses.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Engine returns the engine the store applies commands with.
func (s *Store) Engine() *aftersale.Engine { return s.engine }

// Result is what Apply did.
type Result struct {
	// Order is the order as saved (or as loaded, for a Repeat).
	Order *aftersale.Order
	// Outcome is what the engine returned for the command.
	Outcome aftersale.Outcome
	// Effects are the effects written to the outbox with the order, in
	// the order they were recorded; none for a Repeat, whose effects
	// the first delivery wrote. Wake-ups are not among them: next_due
	// and the sweeper carry them out.
	Effects []aftersale.Effect
	// Attempts is how many times the command was applied to a freshly
	// loaded order: 1, plus one for each lost race.
	Attempts int
}

// errLostRace is an attempt's write finding that the version moved on.
var errLostRace = errors.New("postgres: the order's version moved on")

// errAskStored is an attempt that started from a kept order and must
// not answer from it: the command was refused, or was a Repeat, and the
// answer must come from the order as stored.
var errAskStored = errors.New("postgres: answer from the order as stored")

// Apply loads the order, applies cmd at time now and saves the order, its
// new events and its effects in one statement, committed on its own or
// with the saves of other commands applied at the same time. The save is
// guarded by the version the order had when loaded (UPDATE ... WHERE
// version = old); when another writer got there first, Apply loads the
// order again and applies cmd anew, up to Options.MaxAttempts times, then
// returns an error with code aftersale.ErrConflict. An order the store
// keeps (Options.CacheBytes) is not loaded: cmd is applied to a copy of
// it, a stale one fails the guard, and a refusal or a Repeat is answered
// from the order as stored, never from a kept one.
//
// A refused command writes nothing: the engine's error (with its code:
// errors.Is(err, aftersale.ErrNotPermitted) and the others) is returned
// and the row, the events and the outbox are as they were. An order the
// store does not hold is aftersale.ErrNotFound. A command
// carrying an idempotency key (Command.Key) that was already applied is
// a Repeat: nothing is written, and its effects are in the outbox from the
// first time. So a caller that does not know whether its command went
// through (a timeout, a lost connection) sends it again with the same key.
// When ctx is done before the save is sent, nothing is written; after,
// ctx's error is returned and the save may still commit.
func (s *Store) Apply(ctx context.Context, orderID string, cmd aftersale.Command, now time.Time) (Result, error) {
	kept := true // start from the order kept, if any
	for attempt := 1; ; {
		res, err := s.applyOnce(ctx, orderID, cmd, now, kept)
		res.Attempts = attempt
		if errors.Is(err, errAskStored) {
			kept = false
			continue // the same attempt, on the order as stored
		}
		kept = true
		if !errors.Is(err, errLostRace) {
			return res, err
		}
		if attempt >= s.opts.MaxAttempts {
			return Result{Attempts: attempt}, &aftersale.Error{
				Code: aftersale.ErrConflict,
				Message: fmt.Sprintf("order %s changed under the command %d times in a row; nothing was written, send it again",
					orderID, attempt),
			}
		}
		// A short random pause, growing with the attempts, so that the
		// writers that lost together do not meet again at once.
		pause := time.Duration(rand.Int64N(int64(attempt) * int64(200*time.Microsecond)))
		select {
		case <-ctx.Done():
			return Result{Attempts: attempt}, ctx.Err()
		case <-time.After(pause):
		}
		attempt++
	}
}

// Test hooks, nil outside tests.
var (
	// testHookLoaded runs in Apply after the order is loaded, before
	// the command is applied.
	testHookLoaded func(orderID string, version int)
	// testHookSweepBeforeCommit runs in Sweep once the batch is written,
	// before it commits.
	testHookSweepBeforeCommit func(ids []string)
)

const loadForApply = `SELECT version, doc FROM orders WHERE id = $1`

// saveOrder is the guarded write of one order with its events and effects
// as arrays (see shouhou_save_order in the migrations); it returns 1 when
// it wrote the order, 0 when the version had moved on.
const saveOrder = `SELECT shouhou_save_order($1, $2, $3, $4::json, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::json[])::int`

func (s *Store) applyOnce(ctx context.Context, orderID string, cmd aftersale.Command, now time.Time, kept bool) (Result, error) {
	// No transaction spans the load and the save: the save is one
	// statement, guarded by the version loaded, so each is one round trip,
	// and a command refused in between has written nothing.
	s.commits.begin()
	w, res, err := s.prepare(ctx, orderID, cmd, now, kept)
	if w == nil {
		s.commits.giveUp()
		return res, err
	}
	written, err := s.commits.write(ctx, w)
	if err != nil {
		s.cache.drop(orderID, w.olds[0])
		return Result{}, err
	}
	if !written {
		s.cache.drop(orderID, w.olds[0])
		return Result{}, errLostRace
	}
	s.cache.put(res.Order, len(w.docs[0]))
	return res, nil
}

// prepare applies cmd to the order, kept or loaded, and returns what to
// write over the version it had, or no write: a refusal, a Repeat, or an
// answer to seek from the order as stored (errAskStored).
func (s *Store) prepare(ctx context.Context, orderID string, cmd aftersale.Command, now time.Time, kept bool) (w *writeSet, res Result, err error) {
	var order *aftersale.Order
	fromCache := false
	if kept {
		order, fromCache = s.cache.get(orderID)
	}
	if !fromCache {
		var doc []byte
		var stored int64
		if err := s.pool.QueryRow(ctx, loadForApply, orderID).Scan(&stored, &doc); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, res, notFound(orderID)
			}
			return nil, res, err
		}
		if order, err = decode(orderID, stored, doc); err != nil {
			return nil, res, err
		}
		s.cache.put(order, len(doc))
	}
	version := int64(order.Version())
	if testHookLoaded != nil {
		testHookLoaded(orderID, order.Version())
	}

	before := caseVersions(order)
	out, err := s.engine.ApplyAt(now, order, cmd)
	if err != nil {
		if fromCache {
			return nil, res, errAskStored
		}
		return nil, res, err // refused: nothing was written
	}
	res.Order, res.Outcome = order, out
	if int64(order.Version()) == version {
		if fromCache {
			return nil, res, errAskStored
		}
		return nil, res, nil // a Repeat: nothing changed
	}

	w = new(writeSet)
	if err := w.addOrder(order, version); err != nil {
		return nil, res, err
	}
	w.addEventsSince(order, before)
	res.Effects = outboxEffects(out.Effects())
	if err := w.addEffects(res.Effects); err != nil {
		return nil, res, err
	}
	return w, res, nil
}

// notFound is the error for an order the store does not hold: code
// aftersale.ErrNotFound, as for a case the order does not have.
func notFound(orderID string) error {
	return &aftersale.Error{Code: aftersale.ErrNotFound, Message: "postgres: no order " + strconv.Quote(orderID) + " is stored"}
}

// decode reads a stored document and checks it against its row.
func decode(id string, version int64, doc []byte) (*aftersale.Order, error) {
	o := new(aftersale.Order)
	// What json.Unmarshal(doc, o) does, without json.Unmarshal scanning the
	// document once more before UnmarshalJSON reads it.
	if err := o.UnmarshalJSON(doc); err != nil {
		return nil, fmt.Errorf("postgres: order %s: stored document: %w", id, err)
	}
	if o.ID != id || int64(o.Version()) != version {
		return nil, &aftersale.Error{Code: aftersale.ErrInvalidInput, Message: fmt.Sprintf(
			"postgres: order %s: the row (id %s, version %d) does not match its document (id %s, version %d)",
			id, id, version, o.ID, o.Version())}
	}
	return o, nil
}

// caseVersions returns the version of each case of o.
func caseVersions(o *aftersale.Order) map[string]int {
	m := make(map[string]int, o.NumCases())
	for _, c := range o.Cases() {
		m[c.ID()] = c.Version()
	}
	return m
}

// outboxEffects returns the effects that go to the outbox: all but the
// wake-ups, which the store keeps as the order's next_due.
func outboxEffects(all []aftersale.Effect) []aftersale.Effect {
	out := all[:0:0]
	for _, ef := range all {
		if ef.Kind != aftersale.EffectWake {
			out = append(out, ef)
		}
	}
	return out
}

// Load returns the stored order, replayed and checked by json.Unmarshal;
// an order the store does not hold is aftersale.ErrNotFound.
func (s *Store) Load(ctx context.Context, orderID string) (*aftersale.Order, error) {
	var version int64
	var doc []byte
	err := s.pool.QueryRow(ctx, `SELECT version, doc FROM orders WHERE id = $1`, orderID).Scan(&version, &doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(orderID)
	}
	if err != nil {
		return nil, err
	}
	o, err := decode(orderID, version, doc)
	if err != nil {
		return nil, err
	}
	s.cache.put(o, len(doc))
	return o, nil
}

// createChunk is how many orders Create writes per statement.
const createChunk = 1000

// Create stores new orders in one transaction, with the events of any
// cases they already hold and the effects of those events (so an order
// built and given commands in memory is stored as if they had gone
// through Apply). Each order must be valid (Order.Validate), and its ID
// new to the store and to the call: an ID already stored is an error with
// code aftersale.ErrConflict, and nothing is written.
func (s *Store) Create(ctx context.Context, orders ...*aftersale.Order) error {
	seen := make(map[string]bool, len(orders))
	for _, o := range orders {
		if o == nil {
			return &aftersale.Error{Code: aftersale.ErrInvalidInput, Message: "postgres: create: a nil order"}
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if seen[o.ID] {
			return &aftersale.Error{Code: aftersale.ErrConflict, Message: fmt.Sprintf("postgres: create: order %s given twice", o.ID)}
		}
		seen[o.ID] = true
	}
	var written []*writeSet
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		written = written[:0]
		for start := 0; start < len(orders); start += createChunk {
			w := new(writeSet)
			written = append(written, w)
			for _, o := range orders[start:min(start+createChunk, len(orders))] {
				if err := w.addOrder(o, -1); err != nil {
					return err
				}
				w.addEventsSince(o, nil)
				var effects []aftersale.Effect
				for _, c := range o.Cases() {
					effects = append(effects, c.Effects(0)...)
				}
				if err := w.addEffects(outboxEffects(effects)); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, insertOrders, w.args()...); err != nil {
				return err
			}
		}
		return nil
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && pgErr.ConstraintName == "orders_pkey" {
		return &aftersale.Error{Code: aftersale.ErrConflict, Message: "postgres: create: " + pgErr.Detail, Err: err}
	}
	if err != nil {
		return err
	}
	for _, w := range written {
		w.keep(s.cache)
	}
	return nil
}
