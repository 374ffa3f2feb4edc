// Package postgres keeps shouhou orders in PostgreSQL, for hosts that run
// more than one process: commands applied under optimistic locking,
// deadlines swept by any number of workers, and effects delivered through
// an outbox. A host imports it or copies it.
//
// The schema (Migrate applies it, from SQL files embedded in the package):
//
//   - orders: one row per order, its shouhou document (json.Marshal of the
//     aftersale.Order, stored as written), its version (Order.Version, the
//     guard of every write) and next_due (Order.Next, indexed), the
//     earliest pending deadline.
//   - events: every event of every case (order, case, seq, time, actor,
//     action, from, to, kind), append-only, for queries.
//   - outbox: the effects to carry out (pay, notify, alert), keyed by the
//     effect's stable ID, with when each was created and delivered.
//
// The three are written in one transaction. Store.Apply loads an order,
// applies a command and saves it with UPDATE ... WHERE version = old,
// trying again when another writer got there first. Commands applied at
// the same time share commits, each order under its own guard, and the
// store keeps the orders it read or wrote last, decoded, so that a command on
// one of them needs no load and no decode. Store.Sweep (and the
// Sweeper loop) claims due orders with FOR UPDATE SKIP LOCKED and fires
// their deadlines. Relay delivers the outbox at least once; receivers
// drop an effect ID they have seen. Wake-up effects stay out of the
// outbox: next_due and the sweeper carry them out.
//
// A host's process, in short:
//
//	pool, err := pgxpool.New(ctx, "host=/run/postgresql dbname=shop")
//	if err != nil { ... }
//	if err := postgres.Migrate(ctx, pool); err != nil { ... }
//	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
//	if err != nil { ... }
//	store := postgres.New(pool, engine, postgres.Options{})
//
//	// When an order is paid:
//	err = store.Create(ctx, &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(299), PaidAt: paid})
//
//	// For each command from an app, a merchant's console or a courier:
//	res, err := store.Apply(ctx, "o-1", cmd, time.Now())
//	switch {
//	case errors.Is(err, aftersale.ErrNotPermitted): // and the other codes: nothing was written
//	case err != nil: ...
//	}
//
//	// In every process, or some:
//	go (&postgres.Sweeper{Store: store}).Run(ctx)
//	go (&postgres.Relay{Store: store, Deliver: deliver}).Run(ctx)
package postgres
