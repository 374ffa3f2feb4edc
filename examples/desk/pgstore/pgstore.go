// Package pgstore puts examples/postgres behind the desk's Store, for a
// desk over orders kept in PostgreSQL: commands go through postgres.Store's
// Apply (optimistic locking, events and outbox in one transaction) and the
// demo clock's deadlines through its Sweep.
//
// examples/postgres has no call that lists every order, which the desk
// needs once to build its queue; Each reads the orders table itself, the
// one place this package depends on the schema.
//
//	pool, err := pgxpool.New(ctx, dsn)
//	err = postgres.Migrate(ctx, pool)
//	store := pgstore.New(postgres.New(pool, engine, postgres.Options{}))
package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/postgres"
)

// Store is the desk's store over a postgres.Store.
type Store struct {
	pg *postgres.Store
	// Batch is how many orders one sweep transaction claims. Zero: 500.
	Batch int
}

// New returns the desk's store over pg.
func New(pg *postgres.Store) *Store { return &Store{pg: pg} }

// Create stores new orders in one transaction (postgres.Store.Create).
func (s *Store) Create(ctx context.Context, orders ...*aftersale.Order) error {
	return s.pg.Create(ctx, orders...)
}

// Empty reports whether the database holds no order yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var any bool
	err := s.pg.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM orders)`).Scan(&any)
	return !any, err
}

// Each calls fn with every stored order, by ID.
func (s *Store) Each(ctx context.Context, fn func(*aftersale.Order) error) error {
	rows, err := s.pg.Pool().Query(ctx, `SELECT doc::text FROM orders ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		o := new(aftersale.Order)
		if err := json.Unmarshal([]byte(doc), o); err != nil {
			return fmt.Errorf("pgstore: %w", err)
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Load returns the stored order (postgres.Store.Load).
func (s *Store) Load(ctx context.Context, id string) (*aftersale.Order, error) {
	return s.pg.Load(ctx, id)
}

// Apply applies cmd and saves the order, its events and its effects in one
// transaction (postgres.Store.Apply).
func (s *Store) Apply(ctx context.Context, id string, cmd aftersale.Command, now time.Time) (*aftersale.Order, aftersale.Outcome, error) {
	res, err := s.pg.Apply(ctx, id, cmd, now)
	if err != nil {
		return nil, res.Outcome, err
	}
	return res.Order, res.Outcome, nil
}

// Advance sweeps every order due by now, batch after batch, and returns
// the events the deadlines appended. It sweeps by the orders table's
// next_due, so it needs not the IDs the desk names.
func (s *Store) Advance(ctx context.Context, now time.Time, _ []string) (int, error) {
	batch := s.Batch
	if batch <= 0 {
		batch = 500
	}
	fired := 0
	for {
		res, err := s.pg.Sweep(ctx, now, batch)
		fired += res.Fired
		if err != nil {
			return fired, err
		}
		if len(res.Failed) > 0 {
			return fired, res.Failed[0]
		}
		if res.Claimed < batch {
			return fired, nil
		}
	}
}
