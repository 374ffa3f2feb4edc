package desk_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/demo"
	"github.com/shouhou/shouhou/examples/desk/desk"
)

// BenchmarkQueue10000 renders the queue of 10,000 open cases across
// demo orders, server-side: the handler's whole work for one GET, from
// the request to the last byte of HTML, the page's 50 rows picked from
// the 10,000 by filter and order.
func BenchmarkQueue10000(b *testing.B) {
	ctx := context.Background()
	orders, start, err := demo.Orders(demo.Options{Orders: 60_000, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	var keep []*aftersale.Order // orders with open cases, 10,000 of them in all
	open := 0
	for _, o := range orders {
		n := 0
		for _, c := range o.Cases() {
			if c.Open() {
				n++
			}
		}
		if n > 0 && open+n <= 10_000 {
			keep, open = append(keep, o), open+n
		}
	}
	if open != 10_000 {
		b.Fatalf("the demo has %d open cases, want 10,000", open)
	}
	store, _ := fileStore(b, keep)
	newDesk := func(pageSize int) *desk.Desk {
		d, err := desk.New(ctx, desk.Config{Store: store, Clock: desk.NewClock(start, false), Title: title, PageSize: pageSize})
		if err != nil {
			b.Fatal(err)
		}
		if d.Queue().Len() != 10_000 {
			b.Fatalf("the queue holds %d cases, want 10,000", d.Queue().Len())
		}
		return d
	}
	paged, whole := newDesk(50), newDesk(10_000)

	get := func(b *testing.B, d *desk.Desk, path string, between func()) {
		b.ReportAllocs()
		size := 0
		for b.Loop() {
			if between != nil {
				between()
			}
			w := httptest.NewRecorder()
			d.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
			if w.Code != 200 {
				b.Fatalf("GET %s: status %d", path, w.Code)
			}
			size = w.Body.Len()
		}
		b.ReportMetric(float64(size), "html-bytes")
	}
	b.Run("first_page", func(b *testing.B) { get(b, paged, "/", nil) })
	b.Run("last_page", func(b *testing.B) { get(b, paged, "/?page=200", nil) })
	b.Run("filtered_mine_due_24h_return_refund", func(b *testing.B) { get(b, paged, "/?mine=1&soon=1&kind=return_refund", nil) })
	// A command or a deadline changed an order since the last page: the
	// queue sorts its 10,000 entries again.
	i := 0
	b.Run("first_page_after_a_write", func(b *testing.B) {
		get(b, paged, "/", func() {
			o := keep[i%len(keep)]
			i++
			paged.Queue().Put(o, title(o))
		})
	})
	b.Run("all_10000_rows_on_one_page", func(b *testing.B) { get(b, whole, "/", nil) })
}
