// Command host is a small HTTP service over shouhou: it keeps orders in
// files, accepts commands as JSON, sweeps deadlines, delivers effects
// through an outbox with retries, and answers "what happens next, and
// when" per case and "what is due in the next 24 h" across orders.
//
//	go run ./examples/host -dir /tmp/orders
//
// README.md beside this file lists the endpoints.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

func main() {
	dir := flag.String("dir", "orders", "directory the orders are kept in")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	h, err := newHost(*dir, wallClock{}, logDeliverer{})
	if err != nil {
		log.Fatal(err)
	}
	go func() { // now, which finishes what a crash left undelivered, then every minute
		for ; ; time.Sleep(time.Minute) {
			h.Sweep(context.Background())
		}
	}()
	log.Printf("listening on %s, orders in %s, rules %s", *addr, *dir, h.engine.Version())
	srv := &http.Server{Addr: *addr, Handler: h.Handler(), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// wallClock is the machine's clock, in the platform's zone. The tests use
// a mock one.
type wallClock struct{}

// Now is time.Now in UTC+8, so the cases' times and sentences are in it.
func (wallClock) Now() time.Time { return time.Now().In(timeline.UTC8()) }

// Deliverer carries an effect out: pays a refund, sends a message, raises
// an alert. It may be handed an effect again, after a failure or a crash,
// and drops an ID it has seen.
type Deliverer interface {
	Deliver(ctx context.Context, e aftersale.Effect) error
}

// logDeliverer, the default, logs each effect.
type logDeliverer struct{}

// Deliver logs e and never fails.
func (logDeliverer) Deliver(_ context.Context, e aftersale.Effect) error {
	slog.Info("effect", "id", e.ID, "kind", e.Kind, "amount", e.Amount, "en", e.En)
	return nil
}

// Host keeps each order in a file, dir/orders/<id>.json, and beside it
// the outbox's watermark, dir/delivered/<id>.json.
type Host struct {
	engine *aftersale.Engine
	clock  timeline.Clock
	dir    string
	out    Deliverer

	// mu makes one request or pass at a time touch the orders, which is
	// what the Engine asks of an order. A bigger host locks per order.
	mu    sync.Mutex
	retry map[string]retry // orders whose delivery failed
}

// retry is how an order's delivery has been failing.
type retry struct {
	n  int       // failures in a row
	at time.Time // not before
}

// newHost returns a host over the files in dir, which it makes if need be.
func newHost(dir string, clock timeline.Clock, out Deliverer) (*Host, error) {
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Clock: clock})
	for _, sub := range []string{"orders", "delivered"} {
		err = errors.Join(err, os.MkdirAll(filepath.Join(dir, sub), 0o755))
	}
	return &Host{engine: engine, clock: clock, dir: dir, out: out, retry: map[string]retry{}}, err
}

// path is the file of order id in sub, "orders" or "delivered".
func (h *Host) path(sub, id string) string {
	return filepath.Join(h.dir, sub, url.PathEscape(id)+".json")
}

// load reads a stored order; decoding replays and checks every case.
func (h *Host) load(id string) (*aftersale.Order, error) {
	b, err := os.ReadFile(h.path("orders", id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &aftersale.Error{Code: aftersale.ErrNotFound, Message: "no order " + id}
	}
	o := new(aftersale.Order)
	if err == nil {
		err = json.Unmarshal(b, o)
	}
	if err != nil {
		return nil, fmt.Errorf("stored order %q: %v", id, err) // %v: a bad file is not the client's invalid_input
	}
	return o, nil
}

// each runs fn on every stored order; one that fails does not stop the
// others.
func (h *Host) each(fn func(o *aftersale.Order) error) error {
	files, err := os.ReadDir(filepath.Join(h.dir, "orders"))
	for _, f := range files {
		if name, ok := strings.CutSuffix(f.Name(), ".json"); ok {
			id, _ := url.PathUnescape(name) // escaped by path
			o, lerr := h.load(id)
			if lerr == nil {
				lerr = fn(o)
			}
			err = errors.Join(err, lerr)
		}
	}
	return err
}

// save replaces the file with v's JSON form by a rename, so a crash of
// the process leaves the old file or the new one, never a mix.
func save(path string, v any) error {
	b, err := json.Marshal(v) // for an Order: its facts, version and every case's log
	if err == nil {
		err = os.WriteFile(path+".tmp", b, 0o644)
	}
	if err == nil {
		err = os.Rename(path+".tmp", path)
	}
	return err
}

// deliver is the outbox. Effects are a pure function of the stored order,
// with stable IDs, so the outbox keeps only a watermark beside it
// (aftersale.Delivered): for each case, the version up to which its
// effects went out. deliver sends what lies past it, in order, and moves
// it on. It runs after every save and in every sweep, for what a failure
// or a crash left behind.
func (h *Host) deliver(ctx context.Context, o *aftersale.Order) {
	mark := aftersale.Delivered{} // none, or unreadable: all again; receivers drop what they have
	if b, err := os.ReadFile(h.path("delivered", o.ID)); err == nil {
		json.Unmarshal(b, &mark)
	}
	was := maps.Clone(mark)
	err := mark.Deliver(o, func(e aftersale.Effect) error {
		if e.Kind == aftersale.EffectWake {
			return nil // the sweep reads Order.Next instead
		}
		return h.out.Deliver(ctx, e)
	})
	if !maps.Equal(was, mark) {
		err = errors.Join(err, save(h.path("delivered", o.ID), mark))
	}
	h.backoff(o.ID, err)
}

// backoff notes how a delivery went: after a failure the order's next
// try waits 1, 2, 4... minutes, at most 64.
func (h *Host) backoff(id string, err error) {
	if err == nil {
		delete(h.retry, id)
		return
	}
	r := h.retry[id]
	h.retry[id] = retry{r.n + 1, h.clock.Now().Add(time.Minute << min(r.n, 6))}
	slog.Warn("delivery failed", "order", id, "failures", r.n+1, "err", err)
}

// Sweep is one pass over the stored orders: it fires the deadlines that
// have passed (AdvanceTo now, for each order whose Next is due), saves,
// and delivers what the outbox owes of every order not backing off. It
// returns the effects of the deadlines that fired.
func (h *Host) Sweep(ctx context.Context) ([]aftersale.Effect, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	now, fired := h.clock.Now(), []aftersale.Effect{}
	err := h.each(func(o *aftersale.Order) error {
		if next, ok := o.Next(); ok && next.Deadline.Due(now) {
			changes, err := h.engine.AdvanceTo(now, o)
			if err == nil {
				err = save(h.path("orders", o.ID), o)
			}
			if err != nil {
				return err
			}
			for _, ch := range changes {
				fired = append(fired, ch.Effects()...)
			}
		} else if now.Before(h.retry[o.ID].at) {
			return nil // backing off
		}
		h.deliver(ctx, o)
		return nil
	})
	if err != nil {
		slog.Error("sweep", "err", err)
	}
	return fired, err
}
