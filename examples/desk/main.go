// Command desk is a merchant's after-sale desk in the browser, over
// shouhou: the queue of open cases across orders, what is due and by
// when, each case with its timeline, what happens next, its effects and a
// form for exactly the moves the merchant may make, in Chinese with
// English beside it. A demo clock moves forward an hour or a day at a
// click, so a person sees the deadlines fire.
//
//	cd examples/desk && go run .               # demo orders in a temporary folder
//	go run . -dir /tmp/desk                    # kept between runs
//	go run . -postgres "host=/run/postgresql dbname=shop"
//
// README.md beside this file says more.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/demo"
	"github.com/shouhou/shouhou/examples/desk/desk"
	"github.com/shouhou/shouhou/examples/desk/filestore"
	"github.com/shouhou/shouhou/examples/desk/pgstore"
	"github.com/shouhou/shouhou/examples/postgres"
	"github.com/shouhou/shouhou/policy"
)

func main() {
	var opt options
	flag.StringVar(&opt.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0: any free port)")
	flag.StringVar(&opt.dir, "dir", "", "folder for the orders (default: a new temporary folder)")
	flag.StringVar(&opt.postgres, "postgres", "", "keep the orders in PostgreSQL at this DSN instead of files")
	flag.IntVar(&opt.orders, "orders", 2000, "demo orders to make when the store is empty")
	flag.Uint64Var(&opt.seed, "seed", 1, "seed of the demo orders")
	flag.BoolVar(&opt.stopped, "stopped", false, "start the demo clock stopped: it moves only with +1 h and +1 d")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, opt, os.Stdout); err != nil && !errors.Is(err, context.Canceled) {
		log.Fatal(err)
	}
}

type options struct {
	addr, dir, postgres string
	orders              int
	seed                uint64
	stopped             bool
}

// seeder is a store the demo can fill when it is empty.
type seeder interface {
	desk.Store
	Create(ctx context.Context, orders ...*aftersale.Order) error
}

func run(ctx context.Context, opt options, out io.Writer) error {
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		return err
	}
	var (
		store seeder
		empty bool
		where string
	)
	if opt.postgres != "" {
		pool, err := pgxpool.New(ctx, opt.postgres)
		if err != nil {
			return err
		}
		defer pool.Close()
		if err := postgres.Migrate(ctx, pool); err != nil {
			return err
		}
		pg := pgstore.New(postgres.New(pool, engine, postgres.Options{}))
		if empty, err = pg.Empty(ctx); err != nil {
			return err
		}
		store, where = pg, "PostgreSQL"
	} else {
		dir := opt.dir
		if dir == "" {
			if dir, err = os.MkdirTemp("", "shouhou-desk-"); err != nil {
				return err
			}
		}
		fs, err := filestore.Open(dir, engine)
		if err != nil {
			return err
		}
		if empty, err = fs.Empty(); err != nil {
			return err
		}
		store, where = fs, dir
	}

	start := demo.Start
	if empty {
		orders, at, err := demo.Orders(demo.Options{Orders: opt.orders, Seed: opt.seed})
		if err != nil {
			return err
		}
		if err := store.Create(ctx, orders...); err != nil {
			return err
		}
		start = at
	} else if start, err = latest(ctx, store); err != nil {
		return err
	}

	d, err := desk.New(ctx, desk.Config{
		Store: store,
		Clock: desk.NewClock(start, !opt.stopped),
		Title: func(o *aftersale.Order) desk.Text { zh, en := demo.Title(o); return desk.Text{Zh: zh, En: en} },
		Log:   log.Printf,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", opt.addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "desk: %d open cases, orders in %s\n", d.Queue().Len(), where)
	fmt.Fprintf(out, "desk: open http://%s/\n", ln.Addr())
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return ctx.Err()
}

// latest is where the demo clock starts over a store that holds orders
// already: the latest event of any of them, or the demo's start if later,
// as the engine refuses commands stamped before an order's last event.
func latest(ctx context.Context, store desk.Store) (time.Time, error) {
	at := demo.Start
	err := store.Each(ctx, func(o *aftersale.Order) error {
		for _, c := range o.Cases() {
			if ev, ok := c.LastEvent(); ok && ev.At.After(at) {
				at = ev.At
			}
		}
		return nil
	})
	return at.In(demo.Start.Location()), err
}
