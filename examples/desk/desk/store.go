package desk

import (
	"context"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Store is where the desk keeps its orders. The desk reads every order
// once, when it starts, to build its queue; after that it loads an order
// to show it, and hands commands and the clock to the store, which
// applies them with its engine and saves the order before it returns.
//
// Package filestore has the desk's default, orders in files; package
// pgstore puts examples/postgres behind this interface.
type Store interface {
	// Each calls fn with every stored order, in any order.
	Each(ctx context.Context, fn func(*aftersale.Order) error) error
	// Load returns the stored order; one the store does not hold is an
	// error with code aftersale.ErrNotFound.
	Load(ctx context.Context, orderID string) (*aftersale.Order, error)
	// Apply applies cmd to the order at now and saves it, and returns the
	// order as saved. A refused command saves nothing, and its error is
	// the engine's (an *aftersale.Error).
	Apply(ctx context.Context, orderID string, cmd aftersale.Command, now time.Time) (*aftersale.Order, aftersale.Outcome, error)
	// Advance fires the deadlines due by now on the orders named (those
	// the desk's queue lists as due) and saves them; a store that sweeps
	// by its own index of deadlines may sweep every due order instead. It
	// returns how many events the deadlines appended.
	Advance(ctx context.Context, now time.Time, orderIDs []string) (int, error)
}
