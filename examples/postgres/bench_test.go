package postgres

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The benchmarks run against the test server, with PostgreSQL's default
// settings: fsync and synchronous_commit are on, so every commit waits for
// its WAL to reach the disk.
//
//	go test -run '^$' -bench . -benchtime 3s ./
var bench struct {
	once  sync.Once
	dsn   string
	round atomic.Int64
}

func benchDSN(b *testing.B) string {
	bench.once.Do(func() { bench.dsn = freshDB(b) })
	if bench.dsn == "" {
		b.Fatal("no benchmark database")
	}
	return bench.dsn
}

// benchStore returns a store on the benchmark database with a pool of
// conns connections, all opened.
func benchStore(b *testing.B, conns int, opts Options) *Store {
	b.Helper()
	pool := connect(b, benchDSN(b), conns)
	ctx := context.Background()
	if err := Migrate(ctx, pool); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_bare (id bigint PRIMARY KEY, n bigint NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	var held []interface{ Release() }
	for range conns {
		c, err := pool.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		held = append(held, c)
	}
	for _, c := range held {
		c.Release()
	}
	return New(pool, testEngine(b), opts)
}

// serverCPU returns the CPU time used so far by the PostgreSQL processes
// of the test server (its postmaster and their children), read from /proc.
func serverCPU() time.Duration {
	var ticks int64
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		b, err := os.ReadFile(d + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		end := strings.LastIndex(s, ")")
		if end < 0 || !strings.Contains(s[:end], "(postgres") {
			continue
		}
		if link, err := os.Readlink(d + "/cwd"); err != nil || !strings.HasPrefix(link, harness.srv.Dir) {
			continue
		}
		f := strings.Fields(s[end+2:])
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += utime + stime
	}
	return time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// clientCPU returns the CPU time used so far by this process.
func clientCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// settle finishes what setting up left to do, so the timed part does not
// pay for it: vacuum and analyze the tables just filled (or autovacuum
// does, while the clock runs), and collect the orders built in memory.
func settle(b *testing.B, s *Store) {
	b.Helper()
	if _, err := s.pool.Exec(context.Background(), `VACUUM (ANALYZE) orders, events, outbox`); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
}

// walBytes returns how many bytes of WAL the server has written, by
// every process: the position of the WAL's end, exact at any moment,
// where pg_stat_wal counts a backend's WAL only once it reports, at most
// once a second, so part of one benchmark's WAL would count in the next.
func walBytes(b *testing.B, s *Store) int64 {
	var n int64
	if err := s.pool.QueryRow(context.Background(), `SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint`).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// parallel runs op for i in [0, n) on conns goroutines, timed, and
// reports the CPU time the server and this process spent per b.N, and
// the WAL the server wrote: what its commits had to flush.
func parallel(b *testing.B, s *Store, conns, n int, op func(i int) error) {
	b.Helper()
	srv0, cli0, wal0 := serverCPU(), clientCPU(), walBytes(b, s)
	defer func() {
		srv, cli, wal := serverCPU()-srv0, clientCPU()-cli0, walBytes(b, s)-wal0
		b.ReportMetric(float64(srv.Microseconds())/float64(b.N), "server-µs/op")
		b.ReportMetric(float64(cli.Microseconds())/float64(b.N), "client-µs/op")
		b.ReportMetric(float64(wal)/float64(b.N), "WAL-B/op")
	}()
	b.ResetTimer()
	err := spread(conns, 0, n, op)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
}

// spread runs op for i in [lo, hi) on conns goroutines and returns the
// first error.
func spread(conns, lo, hi int, op func(i int) error) error {
	next := atomic.Int64{}
	next.Store(int64(lo))
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for range conns {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= hi {
					return
				}
				if err := op(i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// BenchmarkCommitPaired runs the bare insert and commands through Apply
// on orders the store keeps, at the same concurrency, in ten alternating
// slices of b.N/10 each, and reports each side's rate over its own slices
// and the ratio of the two: a slice that the machine's neighbours slow
// down is matched by the next one of the other side, where
// BenchmarkCommit runs the two seconds apart.
func BenchmarkCommitPaired(b *testing.B) {
	const slices = 10
	for _, conns := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("conns=%d", conns), func(b *testing.B) {
			s := benchStore(b, conns, Options{MaxAttempts: 100, CacheBytes: 1 << 30})
			prefix := fmt.Sprintf("q%d-", bench.round.Add(1))
			base := bench.round.Add(1) << 32
			ctx := context.Background()
			if err := s.Create(ctx, dueOrders(b, s.engine, prefix, 0, b.N)...); err != nil {
				b.Fatal(err)
			}
			settle(b, s)
			insert, apply := bareInsert(s, base), approveEach(s, prefix, at(5, 9, 0))
			var bare, kept time.Duration
			b.ResetTimer()
			for k := range slices {
				lo, hi := k*b.N/slices, (k+1)*b.N/slices
				t0 := time.Now()
				if err := spread(conns, lo, hi, insert); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := spread(conns, lo, hi, apply); err != nil {
					b.Fatal(err)
				}
				bare, kept = bare+t1.Sub(t0), kept+time.Since(t1)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/bare.Seconds(), "bare-commits/s")
			b.ReportMetric(float64(b.N)/kept.Seconds(), "kept-commits/s")
			b.ReportMetric(100*bare.Seconds()/kept.Seconds(), "kept/bare-%")
		})
	}
}

// bareInsert is the baseline's command i: a single-row INSERT of row
// base+i, autocommitted.
func bareInsert(s *Store, base int64) func(i int) error {
	return func(i int) error {
		_, err := s.pool.Exec(context.Background(), `INSERT INTO bench_bare (id, n) VALUES ($1, $2)`, base+int64(i), i)
		return err
	}
}

// approveEach is the store's command i: the merchant's approval, through
// Apply at now, of the case of due order i of prefix (dueOrders).
func approveEach(s *Store, prefix string, now time.Time) func(i int) error {
	return func(i int) error {
		id := fmt.Sprintf("%s%05d", prefix, i)
		_, err := s.Apply(context.Background(), id, on(id+"-1", approve), now)
		return err
	}
}

// BenchmarkCommit compares a command applied through the store (load the
// order, apply a merchant's approval, save it with its event and effects
// under the version guard, one order per command) with the bare commit of
// a single-row INSERT, at 1, 4 and 16 connections.
func BenchmarkCommit(b *testing.B) {
	for _, conns := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("bare_insert/conns=%d", conns), func(b *testing.B) {
			s := benchStore(b, conns, Options{})
			base := bench.round.Add(1) << 32
			settle(b, s)
			parallel(b, s, conns, b.N, bareInsert(s, base))
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
		for _, kept := range []bool{false, true} {
			name, opts := "store_apply_loaded", Options{MaxAttempts: 100, CacheBytes: -1}
			if kept {
				name, opts = "store_apply_kept", Options{MaxAttempts: 100, CacheBytes: 1 << 30}
			}
			b.Run(fmt.Sprintf("%s/conns=%d", name, conns), func(b *testing.B) {
				s := benchStore(b, conns, opts)
				prefix := fmt.Sprintf("b%d-", bench.round.Add(1))
				ctx := context.Background()
				if err := s.Create(ctx, dueOrders(b, s.engine, prefix, 0, b.N)...); err != nil {
					b.Fatal(err)
				}
				settle(b, s)
				now := at(5, 9, 0)
				commits0, orders0 := s.commits.commits.Load(), s.commits.orders.Load()
				defer func() {
					commits, orders := s.commits.commits.Load()-commits0, s.commits.orders.Load()-orders0
					b.ReportMetric(float64(orders)/float64(max(1, commits)), "orders/commit")
				}()
				parallel(b, s, conns, b.N, approveEach(s, prefix, now))
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
			})
		}
	}
}

// BenchmarkSweep measures orders advanced per second: b.N orders whose
// review deadline is due, swept by 1 and 4 sweepers (goroutines, each with
// its own connection) in batches of 100.
func BenchmarkSweep(b *testing.B) {
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s := benchStore(b, workers, Options{})
			prefix := fmt.Sprintf("s%d-", bench.round.Add(1))
			ctx := context.Background()
			if err := s.Create(ctx, dueOrders(b, s.engine, prefix, 0, b.N)...); err != nil {
				b.Fatal(err)
			}
			settle(b, s)
			now := reviewDue(b.N)
			var advanced atomic.Int64
			parallel(b, s, workers, workers, func(int) error {
				n, err := (&Sweeper{Store: s, Batch: 100}).Drain(ctx, now)
				advanced.Add(int64(n))
				return err
			})
			if got := advanced.Load(); got != int64(b.N) {
				b.Fatalf("advanced %d of %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
		})
	}
}

// BenchmarkCommitPhases takes one command at a time through the steps of
// Apply on an order the store keeps, timing each, and a bare insert right
// after each save, on one connection: the finest interleaving of the two,
// so that what the machine's neighbours do weighs on both alike.
func BenchmarkCommitPhases(b *testing.B) {
	s := benchStore(b, 1, Options{})
	prefix := fmt.Sprintf("p%d-", bench.round.Add(1))
	ctx := context.Background()
	if err := s.Create(ctx, dueOrders(b, s.engine, prefix, 0, b.N)...); err != nil {
		b.Fatal(err)
	}
	settle(b, s)
	base := bench.round.Add(1) << 32
	now := at(5, 9, 0)
	var copying, applying, saving, inserting time.Duration
	wal0 := walBytes(b, s)
	b.ResetTimer()
	for i := range b.N {
		id := fmt.Sprintf("%s%05d", prefix, i)
		t0 := time.Now()
		o, ok := s.cache.get(id)
		if !ok {
			b.Fatalf("order %s is not kept", id)
		}
		version := int64(o.Version())
		t1 := time.Now()
		before := caseVersions(o)
		out, err := s.engine.ApplyAt(now, o, on(id+"-1", approve))
		if err != nil {
			b.Fatal(err)
		}
		var w writeSet
		if err := w.addOrder(o, version); err != nil {
			b.Fatal(err)
		}
		w.addEventsSince(o, before)
		if err := w.addEffects(outboxEffects(out.Effects())); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if written, err := saveOne(ctx, s.pool, &w); err != nil || !written {
			b.Fatalf("save of %s: written %v, %v", id, written, err)
		}
		t3 := time.Now()
		if _, err := s.pool.Exec(ctx, `INSERT INTO bench_bare (id, n) VALUES ($1, $2)`, base+int64(i), i); err != nil {
			b.Fatal(err)
		}
		t4 := time.Now()
		copying += t1.Sub(t0)
		applying += t2.Sub(t1)
		saving += t3.Sub(t2)
		inserting += t4.Sub(t3)
	}
	b.StopTimer()
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(b.N) }
	b.ReportMetric(per(copying), "copy-µs/op")
	b.ReportMetric(per(applying), "apply+encode-µs/op")
	b.ReportMetric(per(saving), "save-µs/op")
	b.ReportMetric(per(inserting), "bare-insert-µs/op")
	b.ReportMetric(float64(walBytes(b, s)-wal0)/float64(b.N), "WAL-B/op")
}
