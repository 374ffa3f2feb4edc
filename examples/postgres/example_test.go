package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/postgres"
	"github.com/shouhou/shouhou/policy"
)

// A host process: the schema, a store, a command from the buyer's app,
// and the sweeper and relay running beside it. It needs a server, so it
// is compiled but not run.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, "host=/run/postgresql dbname=shop")
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		log.Fatal(err)
	}
	store := postgres.New(pool, engine, postgres.Options{})

	// When the order is paid.
	paid := time.Date(2026, 3, 1, 10, 0, 0, 0, time.Local)
	err = store.Create(ctx, &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(299), PaidAt: paid})
	if err != nil && !errors.Is(err, aftersale.ErrConflict) { // conflict: stored already
		log.Fatal(err)
	}

	// A command from the buyer's app; the key makes resending it safe.
	res, err := store.Apply(ctx, "o-1", aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonNotReceived, Key: "app-1",
	}, time.Now())
	switch {
	case errors.Is(err, aftersale.ErrNotEligible), errors.Is(err, aftersale.ErrNotPermitted):
		fmt.Println("refused, nothing written:", err)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println(res.Outcome.Case.State(), res.Outcome.Case.Next().En())
	}

	// Beside it, in this process or others: deadlines and effects.
	go (&postgres.Sweeper{Store: store}).Run(ctx)
	relay := &postgres.Relay{Store: store, Deliver: func(ctx context.Context, ef aftersale.Effect) error {
		fmt.Println("deliver", ef.ID, ef.Kind) // pay, notify or alert; drop an ID already seen
		return nil
	}}
	go relay.Run(ctx)
}
