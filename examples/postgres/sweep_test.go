package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// dueOrders returns n orders whose case under review times out at
// 2026-03-06 20:00 plus i seconds, for i from first on.
func dueOrders(t testing.TB, e *aftersale.Engine, prefix string, first, n int) []*aftersale.Order {
	t.Helper()
	orders := make([]*aftersale.Order, n)
	for i := range orders {
		orders[i] = requested(t, e, fmt.Sprintf("%s%05d", prefix, first+i), at(4, 20, 0).Add(time.Duration(first+i)*time.Second))
	}
	return orders
}

// reviewDue is when the review deadline of due order i passes.
func reviewDue(i int) time.Time { return at(6, 20, 0).Add(time.Duration(i) * time.Second) }

// checkFiredOnce checks, from the events table, that each of the first
// due orders had its review deadline fire exactly once (one system
// approve, at seq 2, and nothing else after the request), and that the
// orders after them had none; and that no order is left due at now.
func checkFiredOnce(t *testing.T, s *Store, prefix string, due, notDue int, now time.Time) {
	t.Helper()
	ctx := context.Background()
	var fired, orders, wrongOrder, wrongEvent, leftDue, versions int
	err := s.pool.QueryRow(ctx, `
		SELECT count(*), count(DISTINCT order_id),
			count(*) FILTER (WHERE order_id >= $2),
			count(*) FILTER (WHERE seq <> 2 OR action <> 'approve' OR to_state <> 'awaiting_return')
		FROM events WHERE actor = 'system' AND order_id LIKE $1 || '%'`,
		prefix, fmt.Sprintf("%s%05d", prefix, due)).Scan(&fired, &orders, &wrongOrder, &wrongEvent)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM orders WHERE next_due <= $1`, now).Scan(&leftDue); err != nil {
		t.Fatal(err)
	}
	if err := s.pool.QueryRow(ctx, `
		SELECT count(*) FROM orders
		WHERE id LIKE $1 || '%' AND version <> CASE WHEN id < $2 THEN 2 ELSE 1 END`,
		prefix, fmt.Sprintf("%s%05d", prefix, due)).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if fired != due || orders != due || wrongOrder != 0 || wrongEvent != 0 {
		t.Errorf("deadlines fired: %d events on %d orders (%d on orders not due, %d not the review timeout), want %d on %d",
			fired, orders, wrongOrder, wrongEvent, due, due)
	}
	if leftDue != 0 {
		t.Errorf("%d orders still due", leftDue)
	}
	if versions != 0 {
		t.Errorf("%d orders of %d not at the version one firing gives", versions, due+notDue)
	}
}

func TestSweepFiresWhatIsDueOnceAndLeavesTheRest(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	const due, notDue = 20, 10
	if err := s.Create(ctx, dueOrders(t, s.engine, "o-", 0, due+notDue)...); err != nil {
		t.Fatal(err)
	}
	now := reviewDue(due - 1)
	var claims []int
	for {
		res, err := s.Sweep(ctx, now, 7)
		if err != nil {
			t.Fatal(err)
		}
		claims = append(claims, res.Claimed)
		if res.Advanced != res.Claimed || res.Fired != res.Claimed || len(res.Failed) != 0 {
			t.Errorf("sweep %+v", res)
		}
		if res.Claimed < 7 {
			break
		}
	}
	if fmt.Sprint(claims) != "[7 7 6]" {
		t.Errorf("claims %v, want [7 7 6]", claims)
	}
	checkFiredOnce(t, s, "o-", due, notDue, now)
	for i := range due + notDue {
		o := checkConsistent(t, s, fmt.Sprintf("o-%05d", i))
		want := aftersale.StatePendingReview
		if i < due {
			want = aftersale.StateAwaitingReturn
		}
		if got := o.Cases()[0].State(); got != want {
			t.Errorf("order %d: %v, want %v", i, got, want)
		}
	}
	if res, err := s.Sweep(ctx, now, 7); err != nil || res.Claimed != 0 {
		t.Errorf("sweeping again: %+v, %v", res, err)
	}
	if _, err := s.Sweep(ctx, now, 0); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Errorf("a limit of 0: %v", err)
	}
}

// TestSweepPutsOffAnOrderItCannotReadAndGoesOn stores a document of a
// newer format, as a newer shouhou would during an upgrade: the sweep
// advances the others, and leaves that one for RetryDelay, saying why.
func TestSweepPutsOffAnOrderItCannotReadAndGoesOn(t *testing.T) {
	s, _ := freshStore(t, Options{RetryDelay: 5 * time.Minute})
	ctx := context.Background()
	if err := s.Create(ctx, dueOrders(t, s.engine, "o-", 0, 3)...); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `UPDATE orders SET doc = replace(doc::text, '"format":3', '"format":99')::json WHERE id = 'o-00001'`); err != nil {
		t.Fatal(err)
	}
	now := reviewDue(2)
	res, err := s.Sweep(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Claimed != 3 || res.Advanced != 2 || len(res.Failed) != 1 || res.Failed[0].Order != "o-00001" ||
		!errors.Is(res.Failed[0].Err, aftersale.ErrInvalidInput) {
		t.Fatalf("sweep %+v", res)
	}
	r := readRow(t, s, "o-00001")
	if r.Version != 1 || r.NextDue != now.Add(5*time.Minute).UTC().Format(time.RFC3339) || !strings.Contains(r.SweepErr, "newer") {
		t.Errorf("the order put off: %+v", r)
	}
	if res, err := s.Sweep(ctx, now, 10); err != nil || res.Claimed != 0 {
		t.Errorf("sweeping again at once: %+v, %v", res, err)
	}
	for _, id := range []string{"o-00000", "o-00002"} {
		if o := checkConsistent(t, s, id); o.Version() != 2 {
			t.Errorf("%s: version %d", id, o.Version())
		}
	}
}

// TestCommandsAndSweepersOnTheSameOrdersAtOnce sends each of 200 due
// orders the buyer's return waybill while two sweepers fire the same
// orders' review deadlines. Whichever gets an order first, the deadline
// fires once, before the waybill, and every order ends byte for byte as
// one command applied alone would leave it.
func TestCommandsAndSweepersOnTheSameOrdersAtOnce(t *testing.T) {
	s, _ := freshStore(t, Options{MaxAttempts: 100})
	ctx := context.Background()
	const n = 200
	orders := dueOrders(t, s.engine, "o-", 0, n)
	if err := s.Create(ctx, orders...); err != nil {
		t.Fatal(err)
	}
	now := reviewDue(n)
	want := make([]string, n)
	for i, o := range orders {
		if _, err := s.engine.ApplyAt(now, o, on(o.ID+"-1", shipReturn)); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(o)
		want[i] = string(b)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 2 {
		wg.Go(func() {
			sw := &Sweeper{Store: s, Batch: 5 + w}
			if _, err := sw.Drain(ctx, now); err != nil {
				errs <- err
			}
		})
	}
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < n; i += 4 {
				if _, err := s.Apply(ctx, orders[i].ID, on(orders[i].ID+"-1", shipReturn), now); err != nil {
					errs <- fmt.Errorf("order %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i, o := range orders {
		if got := readRow(t, s, o.ID).Doc; got != want[i] {
			t.Errorf("order %d:\n got %s\nwant %s", i, got, want[i])
		}
		checkConsistent(t, s, o.ID)
	}
}

// TestFourWorkerProcessesSweep10000Orders creates 10,000 orders whose
// deadlines are due and 1,000 whose are not, and has four worker
// processes sweep them at once: every due deadline fires exactly once,
// the others not at all, and the batches the workers committed add up to
// 10,000.
func TestFourWorkerProcessesSweep10000Orders(t *testing.T) {
	if testing.Short() { // a long test, not a missing server: freshStore fails on that when "CI" is true
		t.Skip("-short")
	}
	s, dsn := freshStore(t, Options{})
	ctx := context.Background()
	const due, notDue = 10000, 1000
	start := time.Now()
	if err := s.Create(ctx, dueOrders(t, s.engine, "o-", 0, due+notDue)...); err != nil {
		t.Fatal(err)
	}
	t.Logf("created %d orders in %v", due+notDue, time.Since(start).Round(time.Millisecond))
	now := reviewDue(due - 1)

	start = time.Now()
	dir := t.TempDir()
	var workers []*worker
	for i := range 4 {
		workers = append(workers, startWorker(t, dir, fmt.Sprintf("w%d", i), "sweep", dsn,
			envNow+"="+now.Format(time.RFC3339Nano), envBatch+"=100"))
	}
	total := 0
	var each []int
	for _, w := range workers {
		w.wait(t)
		each = append(each, w.advanced(t))
		total += each[len(each)-1]
	}
	t.Logf("4 workers advanced %v orders in %v", each, time.Since(start).Round(time.Millisecond))
	if total != due {
		t.Errorf("the workers committed %d advances, want %d", total, due)
	}
	checkFiredOnce(t, s, "o-", due, notDue, now)
	for i := 0; i < due+notDue; i += 997 {
		checkConsistent(t, s, fmt.Sprintf("o-%05d", i))
	}
}

// TestASweeperKilledMidBatchLosesNothing kills a worker process with
// SIGKILL after it has written its third batch and before it commits it.
// While it hangs, a second worker sweeps everything but the batch the
// first one holds; once it is dead, a third takes that batch over. Every
// deadline fires exactly once.
func TestASweeperKilledMidBatchLosesNothing(t *testing.T) {
	s, dsn := freshStore(t, Options{})
	ctx := context.Background()
	const due, notDue = 3000, 100
	if err := s.Create(ctx, dueOrders(t, s.engine, "o-", 0, due+notDue)...); err != nil {
		t.Fatal(err)
	}
	now := reviewDue(due - 1)
	dir := t.TempDir()
	sweep := func(name string, settings ...string) *worker {
		return startWorker(t, dir, name, "sweep", dsn,
			append([]string{envNow + "=" + now.Format(time.RFC3339Nano), envBatch + "=100"}, settings...)...)
	}

	first := sweep("first", envHang+"=3")
	held := strings.Split(first.waitReady(t), "\n")
	if len(held) != 100 {
		t.Fatalf("the first worker holds %d orders, want a batch of 100", len(held))
	}

	second := sweep("second")
	second.wait(t)
	for _, id := range held {
		if r := readRow(t, s, id); r.Version != 1 {
			t.Fatalf("order %s, held by the first worker, was advanced by another: version %d", id, r.Version)
		}
	}

	first.kill(t)
	third := sweep("third")
	third.wait(t)

	got := []int{first.advanced(t), second.advanced(t), third.advanced(t)}
	if want := []int{200, due - 300, 100}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("committed advances %v, want %v", got, want)
	}
	checkFiredOnce(t, s, "o-", due, notDue, now)
	for _, id := range held {
		checkConsistent(t, s, id)
	}
}

// TestNextDueRoundsUpToTheMicrosecond stores a deadline with nanoseconds
// as the next microsecond (PostgreSQL keeps no finer), so a sweep that
// finds the order due finds its deadline due too, and never claims an
// order with nothing to fire.
func TestNextDueRoundsUpToTheMicrosecond(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	asked := at(4, 20, 0).Add(1500 * time.Nanosecond)
	if err := s.Create(ctx, requested(t, s.engine, "o-1", asked)); err != nil {
		t.Fatal(err)
	}
	due := asked.Add(48 * time.Hour)
	if r := readRow(t, s, "o-1"); r.NextDue != at(6, 20, 0).Add(2*time.Microsecond).UTC().Format(time.RFC3339Nano) {
		t.Fatalf("next_due %s for a deadline at %s", r.NextDue, due.UTC().Format(time.RFC3339Nano))
	}
	for _, tt := range []struct {
		now   time.Time
		fired int
	}{
		{due.Add(-time.Nanosecond), 0},
		{due.Add(time.Microsecond), 1},
	} {
		res, err := s.Sweep(ctx, tt.now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if res.Claimed != tt.fired || res.Fired != tt.fired {
			t.Errorf("at %s: %+v, want %d fired", tt.now.UTC().Format(time.RFC3339Nano), res, tt.fired)
		}
	}
	checkConsistent(t, s, "o-1")
}
