package desk_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/demo"
	"github.com/shouhou/shouhou/examples/desk/desk"
	"github.com/shouhou/shouhou/examples/desk/filestore"
	"github.com/shouhou/shouhou/policy"
)

// env is a desk over demo orders in files, with its clock stopped at the
// demo's start, served on a loopback port.
type env struct {
	url    string
	desk   *desk.Desk
	store  *filestore.Store
	engine *aftersale.Engine
	clock  *desk.Clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOf(t, 600, false)
}

// newEnvOf is newEnv with as many orders, and the clock running if asked.
func newEnvOf(t *testing.T, orders int, running bool) *env {
	t.Helper()
	ctx := context.Background()
	os, start, err := demo.Orders(demo.Options{Orders: orders, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	store, engine := fileStore(t, os)
	clock := desk.NewClock(start, running)
	d, err := desk.New(ctx, desk.Config{Store: store, Clock: clock, Title: title, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	return &env{url: srv.URL, desk: d, store: store, engine: engine, clock: clock}
}

// fileStore returns a file store in a temporary folder holding the orders,
// and its engine.
func fileStore(tb testing.TB, orders []*aftersale.Order) (*filestore.Store, *aftersale.Engine) {
	tb.Helper()
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		tb.Fatal(err)
	}
	store, err := filestore.Open(tb.TempDir(), engine)
	if err != nil {
		tb.Fatal(err)
	}
	if err := store.Create(context.Background(), orders...); err != nil {
		tb.Fatal(err)
	}
	return store, engine
}

func title(o *aftersale.Order) desk.Text {
	zh, en := demo.Title(o)
	return desk.Text{Zh: zh, En: en}
}

func (e *env) load(t *testing.T, id string) *aftersale.Order {
	t.Helper()
	o, err := e.store.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}
