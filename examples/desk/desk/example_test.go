package desk_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/demo"
	"github.com/shouhou/shouhou/examples/desk/desk"
	"github.com/shouhou/shouhou/examples/desk/filestore"
	"github.com/shouhou/shouhou/policy"
)

// A desk over demo orders in files, its clock stopped at the demo's start:
// the queue's first page of the cases waiting for the merchant.
func ExampleNew() {
	ctx := context.Background()
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "desk-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	store, err := filestore.Open(dir, engine)
	if err != nil {
		panic(err)
	}
	orders, start, err := demo.Orders(demo.Options{Orders: 200, Seed: 1})
	if err != nil {
		panic(err)
	}
	if err := store.Create(ctx, orders...); err != nil {
		panic(err)
	}
	d, err := desk.New(ctx, desk.Config{Store: store, Clock: desk.NewClock(start, false)})
	if err != nil {
		panic(err)
	}

	w := httptest.NewRecorder()
	d.ServeHTTP(w, httptest.NewRequest("GET", "/?mine=1", nil))
	fmt.Println(w.Code, d.Queue().Len(), "open cases;", strings.Count(w.Body.String(), "<tr data-case="), "wait for the merchant")
	// Output:
	// 200 34 open cases; 14 wait for the merchant
}
