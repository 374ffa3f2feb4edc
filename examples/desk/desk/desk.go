package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Config configures a Desk. Store and Clock are required.
type Config struct {
	Store Store
	Clock *Clock
	// Title names an order's goods for the queue and the case page. Nil:
	// the order's lines' SKUs, or nothing.
	Title func(*aftersale.Order) Text
	// PageSize is how many cases a page of the queue lists. Zero: 50.
	PageSize int
	// Log is told of failures the merchant cannot act on (a store that
	// fails). Nil: dropped.
	Log func(format string, args ...any)
}

// Desk is the merchant's desk: an http.Handler showing the queue of open
// cases, each case with what the merchant may do, and the demo clock.
type Desk struct {
	cfg   Config
	queue *Queue
	pages *pages
	// writes serialises commands and sweeps, so that the queue follows
	// the store in the order things were saved.
	writes sync.Mutex
	mux    *http.ServeMux
}

// New reads every order of the store into the queue and returns the desk.
func New(ctx context.Context, cfg Config) (*Desk, error) {
	if cfg.Store == nil || cfg.Clock == nil {
		return nil, errors.New("desk: Config needs a Store and a Clock")
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 50
	}
	if cfg.Title == nil {
		cfg.Title = skuTitle
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	pg, err := parsePages()
	if err != nil {
		return nil, err
	}
	d := &Desk{cfg: cfg, queue: NewQueue(), pages: pg}
	err = cfg.Store.Each(ctx, func(o *aftersale.Order) error {
		d.queue.Put(o, cfg.Title(o))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("desk: reading the orders: %w", err)
	}
	if _, err := d.CatchUp(ctx); err != nil {
		return nil, err
	}
	d.routes()
	return d, nil
}

func skuTitle(o *aftersale.Order) Text {
	var s string
	for i, l := range o.Lines {
		if i > 0 {
			s += ", "
		}
		s += l.SKU
	}
	return Text{s, s}
}

// Queue returns the desk's queue.
func (d *Desk) Queue() *Queue { return d.queue }

// CatchUp fires the deadlines that fell due by the demo clock's time, on
// every order the queue lists as due, and returns how many events they
// appended. The desk calls it before every page, so what it shows is
// never behind its clock.
func (d *Desk) CatchUp(ctx context.Context) (int, error) {
	d.writes.Lock()
	defer d.writes.Unlock()
	now := d.cfg.Clock.Now()
	due := d.queue.DueBy(now)
	if len(due) == 0 {
		return 0, nil
	}
	fired, err := d.cfg.Store.Advance(ctx, now, due)
	// Read back what was saved, also after a failure part of the way.
	for _, id := range due {
		o, lerr := d.cfg.Store.Load(ctx, id)
		if lerr != nil {
			err = errors.Join(err, lerr)
			continue
		}
		d.queue.Put(o, d.cfg.Title(o))
	}
	if err != nil {
		return fired, fmt.Errorf("desk: firing deadlines at %s: %w", now.Format(time.RFC3339), err)
	}
	return fired, nil
}

// apply sends a merchant's command and puts the saved order in the queue.
func (d *Desk) apply(ctx context.Context, orderID string, cmd aftersale.Command) (*aftersale.Order, aftersale.Outcome, error) {
	d.writes.Lock()
	defer d.writes.Unlock()
	o, out, err := d.cfg.Store.Apply(ctx, orderID, cmd, d.cfg.Clock.Now())
	if err != nil {
		return nil, out, err
	}
	d.queue.Put(o, d.cfg.Title(o))
	return o, out, nil
}

// ServeHTTP serves the desk's pages.
func (d *Desk) ServeHTTP(w http.ResponseWriter, r *http.Request) { d.mux.ServeHTTP(w, r) }
