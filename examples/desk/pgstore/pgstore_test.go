package pgstore_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/demo"
	"github.com/shouhou/shouhou/examples/desk/desk"
	"github.com/shouhou/shouhou/examples/desk/pgstore"
	"github.com/shouhou/shouhou/examples/postgres"
	"github.com/shouhou/shouhou/policy"
)

// TestTheDeskOverPostgreSQL is the desk with -postgres: the demo orders
// created in an empty database, the queue read back from it, a move
// applied and a refused one writing nothing, and the demo clock's
// deadlines swept in the database.
func TestTheDeskOverPostgreSQL(t *testing.T) {
	dsn := startPostgres(t)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	store := pgstore.New(postgres.New(pool, engine, postgres.Options{}))
	if empty, err := store.Empty(ctx); err != nil || !empty {
		t.Fatalf("a new database: empty %v, %v", empty, err)
	}
	orders, start, err := demo.Orders(demo.Options{Orders: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Create(ctx, orders...); err != nil {
		t.Fatal(err)
	}
	if empty, err := store.Empty(ctx); err != nil || empty {
		t.Fatalf("after Create: empty %v, %v", empty, err)
	}
	var review *aftersale.Case
	open := 0
	for _, o := range orders {
		for _, c := range o.Cases() {
			if c.Open() {
				open++
			}
			if review == nil && c.State() == aftersale.StatePendingReview {
				review = c
			}
		}
	}

	clock := desk.NewClock(start, false)
	d, err := desk.New(ctx, desk.Config{Store: store, Clock: clock, Log: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	if d.Queue().Len() != open {
		t.Errorf("the queue holds %d cases, the demo has %d open", d.Queue().Len(), open)
	}
	srv := httptest.NewServer(d)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) int {
		t.Helper()
		resp, err := client.PostForm(srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	path := "/case/" + review.OrderID() + "/" + review.ID()
	version := strconv.Itoa(review.Version())

	if st := post(path, url.Values{"action": {"reject"}, "version": {version}}); st != http.StatusUnprocessableEntity {
		t.Errorf("reject without a reason: status %d, want 422", st)
	}
	if o, err := store.Load(ctx, review.OrderID()); err != nil || o.Version() != 1 {
		t.Errorf("after the refused reject the stored order is at version %d (%v), want 1", o.Version(), err)
	}
	if st := post(path, url.Values{"action": {"approve"}, "version": {version}}); st != http.StatusSeeOther {
		t.Errorf("approve: status %d, want 303", st)
	}
	o, err := store.Load(ctx, review.OrderID())
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Case(review.ID()).State(); got == aftersale.StatePendingReview {
		t.Errorf("after approve the stored case is still in %s", got)
	}

	if st := post("/clock", url.Values{"by": {"48h"}}); st != http.StatusSeeOther {
		t.Errorf("+48 h: status %d, want 303", st)
	}
	now := clock.Now()
	open = 0
	err = store.Each(ctx, func(o *aftersale.Order) error {
		if next, ok := o.Next(); ok && !next.Deadline.At.After(now) {
			t.Errorf("order %s is still due at %s after the clock passed it", o.ID, next.Deadline.At)
		}
		for _, c := range o.Cases() {
			if c.Open() {
				open++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var events int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM events WHERE actor = 'system'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events == 0 {
		t.Errorf("no system event in the events table after two days: the sweep did not reach the database")
	}
	if d.Queue().Len() != open {
		t.Errorf("after the sweep the queue holds %d cases, the database %d open ones", d.Queue().Len(), open)
	}
}
