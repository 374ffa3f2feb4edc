package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// pendingFor loads an order, applies cmd to it and returns its write, as
// Apply would hand it to the committer, guarded by the version loaded.
func pendingFor(t *testing.T, s *Store, id string, cmd aftersale.Command, now time.Time) *pendingWrite {
	t.Helper()
	o, err := s.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	old := int64(o.Version())
	before := caseVersions(o)
	out, err := s.engine.ApplyAt(now, o, cmd)
	if err != nil {
		t.Fatal(err)
	}
	w := new(writeSet)
	if err := w.addOrder(o, old); err != nil {
		t.Fatal(err)
	}
	w.addEventsSince(o, before)
	if err := w.addEffects(outboxEffects(out.Effects())); err != nil {
		t.Fatal(err)
	}
	return &pendingWrite{w: w, done: make(chan struct{})}
}

// TestABatchWritesTheOrdersWhoseVersionHeldAndOnlyThose writes three
// orders in one batch, one of them over a version another writer moved
// on meanwhile: the other two are written whole, with their events and
// effects, and the third is left as the other writer left it.
func TestABatchWritesTheOrdersWhoseVersionHeldAndOnlyThose(t *testing.T) {
	bothWays(t, testABatchWritesTheOrdersWhoseVersionHeldAndOnlyThose)
}

// bothWays runs test on batches written with a statement per order and
// on batches written as one statement over arrays.
// test is given the small argument of saveBatch that selects the way.
func bothWays(t *testing.T, test func(t *testing.T, small int)) {
	for _, way := range []struct {
		name  string
		small int
	}{{"a_statement_each", maxBatch}, {"one_statement_over_arrays", 0}} {
		t.Run(way.name, func(t *testing.T) { test(t, way.small) })
	}
}

func testABatchWritesTheOrdersWhoseVersionHeldAndOnlyThose(t *testing.T, small int) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	var orders []*aftersale.Order
	for _, id := range []string{"o-1", "o-2", "o-3"} {
		orders = append(orders, requested(t, s.engine, id, at(4, 20, 0)))
	}
	if err := s.Create(ctx, orders...); err != nil {
		t.Fatal(err)
	}
	now := at(5, 9, 0)
	var batch []*pendingWrite
	for _, id := range []string{"o-3", "o-1", "o-2"} {
		batch = append(batch, pendingFor(t, s, id, on(id+"-1", approve), now))
	}
	// Another writer gets to o-1 first.
	if _, err := s.Apply(ctx, "o-1", aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorMerchant,
		Action: aftersale.ActionReject, Note: "not our product"}, now); err != nil {
		t.Fatal(err)
	}
	lost := readRow(t, s, "o-1")

	written, err := saveBatch(ctx, s.pool, batch, small)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"o-2": true, "o-3": true}, written); diff != "" {
		t.Errorf("written (-want +got):\n%s", diff)
	}
	for _, id := range []string{"o-2", "o-3"} {
		o := checkConsistent(t, s, id)
		if st := o.Case(id + "-1").State(); st != aftersale.StateAwaitingReturn {
			t.Errorf("%s: %v, want the approval written", id, st)
		}
	}
	if got := readRow(t, s, "o-1"); got != lost {
		t.Errorf("o-1 was written over the version that moved on: %+v, want %+v", got, lost)
	}
	checkConsistent(t, s, "o-1")
}

// TestCommandsAppliedAtOnceShareCommits applies an approval to each of
// 200 orders from 16 goroutines, every tenth one sent twice at once with
// its key: every approval is written once, each order ends approved, and
// the writes shared commits.
func TestCommandsAppliedAtOnceShareCommits(t *testing.T) {
	s, _ := freshStore(t, Options{MaxAttempts: 1000})
	ctx := context.Background()
	const n = 200
	if err := s.Create(ctx, dueOrders(t, s.engine, "o-", 0, n)...); err != nil {
		t.Fatal(err)
	}
	now := at(5, 9, 0)
	type job struct {
		id  string
		cmd aftersale.Command
	}
	jobs := make(chan job)
	go func() {
		for i := range n {
			id := fmt.Sprintf("o-%05d", i)
			cmd := on(id+"-1", approve)
			cmd.Key = "approve-" + id
			jobs <- job{id, cmd}
			if i%10 == 0 {
				jobs <- job{id, cmd}
			}
		}
		close(jobs)
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for range 16 {
		wg.Go(func() {
			for j := range jobs {
				if _, err := s.Apply(ctx, j.id, j.cmd, now); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s %v: %w", j.id, j.cmd.Action, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		t.Error(err)
	}
	for i := range n {
		id := fmt.Sprintf("o-%05d", i)
		o := checkConsistent(t, s, id)
		c := o.Case(id + "-1")
		if c.State() != aftersale.StateAwaitingReturn {
			t.Errorf("%s: %v, want awaiting_return", id, c.State())
		}
		if c.Version() != 2 {
			t.Errorf("%s: %d events, want 2", id, c.Version())
		}
	}
	commits, orders := s.commits.commits.Load(), s.commits.orders.Load()
	t.Logf("%d orders written in %d commits", orders, commits)
	if orders < n || commits >= orders {
		t.Errorf("%d orders written in %d commits: want at least %d orders, and fewer commits", orders, commits, n)
	}
}

// TestAStaleKeptOrderIsNeverTheAnswer has another process (another
// store on the same database) move an order on behind the back of a store
// that keeps it. A command the stale order kept would refuse is
// applied to the order as stored; one the stale order would take but
// the stored order refuses is refused, and writes nothing; one already
// applied with its key is a Repeat.
func TestAStaleKeptOrderIsNeverTheAnswer(t *testing.T) {
	s, dsn := freshStore(t, Options{})
	other := New(connect(t, dsn, 4), s.engine, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, requested(t, s.engine, "o-1", at(4, 20, 0))); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.cache.get("o-1"); !ok {
		t.Fatal("the store does not keep the order it created")
	}

	// Behind s's back: approved. s still holds the request.
	if _, err := other.Apply(ctx, "o-1", on("o-1-1", approve), at(5, 9, 0)); err != nil {
		t.Fatal(err)
	}
	// The kept order would refuse the return (the case is still under
	// review there); the stored order takes it.
	res, err := s.Apply(ctx, "o-1", on("o-1-1", shipReturn), at(5, 14, 0))
	if err != nil {
		t.Fatalf("a command the stored order takes: %v", err)
	}
	if res.Order.Case("o-1-1").State() != aftersale.StateReturnInTransit {
		t.Errorf("state %v, want return_in_transit", res.Order.Case("o-1-1").State())
	}

	// Behind s's back again: received. The kept order (return in transit)
	// would take a second receipt; the stored order refuses it.
	if _, err := other.Apply(ctx, "o-1", on("o-1-1", receive), at(7, 10, 0)); err != nil {
		t.Fatal(err)
	}
	before := readRow(t, s, "o-1")
	if _, err := s.Apply(ctx, "o-1", on("o-1-1", receive), at(7, 11, 0)); aftersale.CodeOf(err) != aftersale.ErrNotPermitted {
		t.Fatalf("a receipt the stored order refuses: got %v, want not_permitted", err)
	}
	if after := readRow(t, s, "o-1"); after != before {
		t.Errorf("a refused command wrote: %+v, was %+v", after, before)
	}

	// Behind s's back: refunded, with a key. The kept order has not
	// seen the key; the same command sent to s is a Repeat and writes
	// nothing.
	pay := refunded
	pay.Case, pay.Key = "o-1-1", "pay-1"
	if _, err := other.Apply(ctx, "o-1", pay, at(7, 12, 0)); err != nil {
		t.Fatal(err)
	}
	before = readRow(t, s, "o-1")
	res, err = s.Apply(ctx, "o-1", pay, at(7, 12, 1))
	if err != nil || !res.Outcome.Repeat || len(res.Effects) != 0 {
		t.Errorf("the refund resent: %v, repeat %v, %d effects written; want a Repeat", err, res.Outcome.Repeat, len(res.Effects))
	}
	if after := readRow(t, s, "o-1"); after != before {
		t.Errorf("a repeated command wrote: %+v, was %+v", after, before)
	}
	o := checkConsistent(t, s, "o-1")
	if o.Case("o-1-1").State() != aftersale.StateRefunded || o.Case("o-1-1").Version() != 5 {
		t.Errorf("state %v after %d events, want refunded after 5", o.Case("o-1-1").State(), o.Case("o-1-1").Version())
	}
}

// TestTheCacheKeepsTheLatestWithinItsBudget: a later version replaces an
// earlier one and an earlier one never replaces a later one; dropping a
// version that is no longer kept changes nothing; past the budget, the
// least recently used go first.
func TestTheCacheKeepsTheLatestWithinItsBudget(t *testing.T) {
	e := testEngine(t)
	versions := []*aftersale.Order{requested(t, e, "o-1", at(4, 20, 0))} // o-1 at versions 1, 2, 3
	for _, cmd := range []aftersale.Command{approve, shipReturn} {
		o := versions[len(versions)-1].Clone()
		if _, err := e.ApplyAt(at(5, 9, 0), o, on("o-1-1", cmd)); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, o)
	}
	const docLen = 100
	c := newOrderCache(3 * costOf(versions[0], docLen))
	c.put(versions[0], docLen)
	c.put(versions[2], docLen)
	c.put(versions[1], docLen)
	if o, _ := c.get("o-1"); o.Version() != 3 {
		t.Errorf("o-1 kept at version %d, want 3", o.Version())
	}
	c.drop("o-1", 2)
	if _, ok := c.get("o-1"); !ok {
		t.Error("dropping version 2 dropped version 3")
	}
	c.put(requested(t, e, "o-2", at(4, 20, 0)), docLen)
	c.put(requested(t, e, "o-3", at(4, 20, 0)), docLen)
	c.get("o-1")                                        // o-2 is now the least recently used
	c.put(requested(t, e, "o-4", at(4, 20, 0)), docLen) // over the budget
	var kept []string
	for _, id := range []string{"o-1", "o-2", "o-3", "o-4"} {
		if _, ok := c.get(id); ok {
			kept = append(kept, id)
		}
	}
	if diff := cmp.Diff([]string{"o-1", "o-3", "o-4"}, kept); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	c.drop("o-1", 3)
	if _, ok := c.get("o-1"); ok {
		t.Error("o-1 is kept after its version was dropped")
	}
	none := newOrderCache(-1)
	none.put(versions[0], docLen)
	if _, ok := none.get("o-1"); ok {
		t.Error("a cache of no bytes keeps an order")
	}
}

// TestTheCacheKeepsCopiesOfItsOwn: a command applied to the order given
// to put, or to the one get returned, leaves the order kept as it was.
func TestTheCacheKeepsCopiesOfItsOwn(t *testing.T) {
	e := testEngine(t)
	o := requested(t, e, "o-1", at(4, 20, 0))
	want, err := o.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	c := newOrderCache(1 << 20)
	c.put(o, len(want))
	if _, err := e.ApplyAt(at(5, 9, 0), o, on("o-1-1", approve)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, ok := c.get("o-1")
		if !ok {
			t.Fatal("o-1 is not kept")
		}
		doc, err := got.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(doc)); diff != "" {
			t.Fatalf("the order kept changed (-put +kept):\n%s", diff)
		}
		if _, err := e.ApplyAt(at(5, 9, 0), got, on("o-1-1", approve)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestASaveOfManyRowsGoesThroughTheArrays takes a case from request to
// refund with every save past maxRowsPerSave, so through
// shouhou_save_order and its arrays: the row, every event and every
// effect follow from the document, as with the saves that send each value
// as a parameter.
func TestASaveOfManyRowsGoesThroughTheArrays(t *testing.T) {
	defer func(n int) { maxRowsPerSave = n }(maxRowsPerSave)
	maxRowsPerSave = 0
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	lifecycle(t, s, "o-1")
	if st := checkConsistent(t, s, "o-1").Case("c1").State(); st != aftersale.StateRefunded {
		t.Errorf("state %v, want refunded", st)
	}
}

// TestABatchOverArraysRunsOnItsGenericPlan writes batches as one
// statement over arrays on one connection: each runs on the generic plan,
// and the setting that asks for it does not outlive the batch.
func TestABatchOverArraysRunsOnItsGenericPlan(t *testing.T) {
	s, dsn := freshStore(t, Options{})
	s.pool.Close()
	s.pool = connect(t, dsn, 1)
	ctx := context.Background()
	createRequested(t, s, 6)
	now := at(5, 9, 0)
	for i := 0; i < 6; i += 2 {
		a, b := fmt.Sprintf("o-%d", i), fmt.Sprintf("o-%d", i+1)
		batch := []*pendingWrite{pendingFor(t, s, a, on(a+"-1", approve), now), pendingFor(t, s, b, on(b+"-1", approve), now)}
		if written, err := saveBatch(ctx, s.pool, batch, 0); err != nil || len(written) != 2 {
			t.Fatalf("batch %d: written %v, %v", i/2, written, err)
		}
	}
	var generic, custom int64
	if err := s.pool.QueryRow(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements
		WHERE statement LIKE '%UPDATE orders o%'`).Scan(&generic, &custom); err != nil {
		t.Fatal(err)
	}
	if generic != 3 || custom != 0 {
		t.Errorf("the batches ran on %d generic and %d custom plans, want 3 and 0", generic, custom)
	}
	var mode string
	if err := s.pool.QueryRow(ctx, `SHOW plan_cache_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "auto" {
		t.Errorf("plan_cache_mode after the batches: %s, want auto", mode)
	}
}

// TestABatchIsOneTransaction writes a batch of two orders one of whose
// rows the database refuses: nothing of either order is written.
func TestABatchIsOneTransaction(t *testing.T) {
	bothWays(t, func(t *testing.T, small int) {
		s, _ := freshStore(t, Options{})
		ctx := context.Background()
		createRequested(t, s, 2)
		now := at(5, 9, 0)
		batch := []*pendingWrite{pendingFor(t, s, "o-0", on("o-0-1", approve), now), pendingFor(t, s, "o-1", on("o-1-1", approve), now)}
		// An event of o-1's approval is there already.
		w := batch[1].w
		if _, err := s.pool.Exec(ctx, `INSERT INTO events (order_id, case_id, seq, at, actor, action, to_state, kind)
			VALUES ($1, $2, $3, now(), 'merchant', 'approve', 'awaiting_return', 'decision')`, "o-1", w.evCase[0], w.evSeq[0]); err != nil {
			t.Fatal(err)
		}
		before := []row{readRow(t, s, "o-0"), readRow(t, s, "o-1")}
		if _, err := saveBatch(ctx, s.pool, batch, small); err == nil {
			t.Fatal("a batch with an event already stored was written")
		}
		if got := []row{readRow(t, s, "o-0"), readRow(t, s, "o-1")}; got[0] != before[0] || got[1] != before[1] {
			t.Errorf("the refused batch wrote %+v over %+v", got, before)
		}
		var events, effects int
		if err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM events WHERE order_id = 'o-0'),
			(SELECT count(*) FROM outbox WHERE order_id = 'o-0')`).Scan(&events, &effects); err != nil {
			t.Fatal(err)
		}
		if events != 1 || effects != 1 {
			t.Errorf("o-0 has %d events and %d effects after the refused batch, want those of its request: 1 and 1", events, effects)
		}
	})
}

// createRequested stores orders o-0 to o-(n-1), each with a case c1
// requested.
func createRequested(t *testing.T, s *Store, n int) {
	t.Helper()
	var orders []*aftersale.Order
	for i := range n {
		orders = append(orders, requested(t, s.engine, fmt.Sprintf("o-%d", i), at(4, 20, 0)))
	}
	if err := s.Create(context.Background(), orders...); err != nil {
		t.Fatal(err)
	}
}

// TestABatchStartsOnceItHoldsItsShare reads batchReady as the rules it
// keeps: what is queued goes at once when nothing is in flight, and
// otherwise waits until it is its writer's share of the writes under way.
func TestABatchStartsOnceItHoldsItsShare(t *testing.T) {
	for _, tc := range []struct {
		name                               string
		queued, preparing, flying, writers int
		want                               bool
	}{
		{"nothing queued: no batch", 0, 3, 0, 2, false},
		{"nothing in flight: a lone write goes at once", 1, 0, 0, 2, true},
		{"nothing in flight: what is queued goes, whoever is still preparing", 1, 5, 0, 2, true},
		{"8 in flight, 7 queued, 1 preparing, 2 writers: wait for the last", 7, 1, 8, 2, false},
		{"8 in flight, 8 queued, none preparing, 2 writers: go", 8, 0, 8, 2, true},
		{"2 in flight, 1 queued, 1 preparing, 2 writers: wait", 1, 1, 2, 2, false},
		{"2 in flight, 2 queued, 2 writers: go", 2, 0, 2, 2, true},
		{"1 in flight, 1 queued, none preparing, 2 writers: go, a half of the two", 1, 0, 1, 2, true},
		{"1 writer: never while a batch is in flight", 5, 0, 1, 1, false},
		{"4 in flight, 3 queued, 2 preparing, 3 writers: go, a third", 3, 2, 4, 3, true},
		{"4 in flight, 2 queued, 3 preparing, 3 writers: wait", 2, 3, 4, 3, false},
		{"a full batch goes, however many are preparing", maxBatch, 100, maxBatch, 2, true},
	} {
		if got := batchReady(tc.queued, tc.preparing, tc.flying, tc.writers); got != tc.want {
			t.Errorf("%s: batchReady(%d, %d, %d, %d) = %v", tc.name, tc.queued, tc.preparing, tc.flying, tc.writers, got)
		}
	}
}

// TestWhileABatchIsHeldTheNextGathersItsShareAndCommits holds the first
// write of a two-writer store on a row lock, and three commands in
// preparation (in Apply, after their load), and lets them go one by one:
// a write queued behind the held one waits while it is less than half of
// the writes under way; a command that is refused no longer counts; the
// next write makes the share, and the two go as a second batch, on the
// other writer, and commit while the first is still held. A write queued
// next waits for the last command in preparation, and goes when that one
// is refused.
func TestWhileABatchIsHeldTheNextGathersItsShareAndCommits(t *testing.T) {
	s, dsn := freshStore(t, Options{Writers: 2})
	ctx := context.Background()
	if err := s.Create(ctx, dueOrders(t, s.engine, "o-", 0, 6)...); err != nil {
		t.Fatal(err)
	}
	id := func(i int) string { return fmt.Sprintf("o-%05d", i) }
	now := at(5, 9, 0)

	// Another connection holds o-00000's row: the store's write of it
	// goes at once, as nothing is in flight, and waits for the row.
	lock, err := connect(t, dsn, 1).Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, `SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, id(0)); err != nil {
		t.Fatal(err)
	}

	// The commands on o-00002 to o-00004 stop after their first load,
	// until let go.
	gates := map[string]chan bool{}
	for i := 2; i <= 4; i++ {
		gates[id(i)] = make(chan bool)
	}
	waiting := maps.Clone(gates)
	arrived := make(chan string, len(gates))
	var hookMu sync.Mutex
	testHookLoaded = func(orderID string, _ int) {
		hookMu.Lock()
		gate := waiting[orderID]
		delete(waiting, orderID)
		hookMu.Unlock()
		if gate != nil {
			arrived <- orderID
			<-gate
		}
	}
	defer func() { testHookLoaded = nil }()

	type done struct {
		id  string
		err error
	}
	results := make(chan done, 6)
	apply := func(i int, cmd aftersale.Command) {
		go func() {
			_, err := s.Apply(ctx, id(i), cmd, now)
			results <- done{id(i), err}
		}()
	}
	want := func(when string, queued, preparing, batches, flying int) {
		t.Helper()
		c := s.commits
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			c.mu.Lock()
			q, p, b, f := len(c.queue), c.preparing, c.inFlight, c.flying
			c.mu.Unlock()
			if q == queued && p == preparing && b == batches && f == flying {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d queued, %d preparing, %d batches with %d writes in flight; want %d, %d, %d, %d",
					when, q, p, b, f, queued, preparing, batches, flying)
			}
		}
	}
	// returned takes the next results, which must be those of the
	// commands on the orders is, in any order, and carry code.
	returned := func(code error, is ...int) {
		t.Helper()
		want := map[string]bool{}
		for _, i := range is {
			want[id(i)] = true
		}
		for range is {
			select {
			case r := <-results:
				if !want[r.id] || !errors.Is(r.err, code) {
					t.Fatalf("%s returned %v; want %v from %v", r.id, r.err, code, slices.Sorted(maps.Keys(want)))
				}
				delete(want, r.id)
			case <-time.After(10 * time.Second):
				t.Fatalf("%v never returned", slices.Sorted(maps.Keys(want)))
			}
		}
	}
	commits0, orders0 := s.commits.commits.Load(), s.commits.orders.Load()

	apply(0, on(id(0)+"-1", approve))
	want("o-00000 sent alone", 0, 0, 1, 1)
	apply(2, on(id(2)+"-1", shipReturn)) // refused: nothing was sent back
	apply(3, on(id(3)+"-1", approve))
	apply(4, on(id(4)+"-1", shipReturn))
	for range 3 {
		<-arrived
	}
	apply(1, on(id(1)+"-1", approve))
	want("o-00001 behind it, with 3 preparing", 1, 3, 1, 1)

	gates[id(2)] <- true
	returned(aftersale.ErrNotPermitted, 2)
	want("o-00002 refused", 1, 2, 1, 1)

	gates[id(3)] <- true
	returned(nil, 1, 3)
	want("o-00001 and o-00003 committed", 0, 1, 1, 1)

	apply(5, on(id(5)+"-1", approve))
	want("o-00005 behind o-00000, with 1 preparing", 1, 1, 1, 1)
	gates[id(4)] <- true
	returned(aftersale.ErrNotPermitted, 4)
	returned(nil, 5)
	want("o-00004 refused, o-00005 committed", 0, 0, 1, 1)

	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	returned(nil, 0)
	want("o-00000 committed", 0, 0, 0, 0)
	if commits, orders := s.commits.commits.Load()-commits0, s.commits.orders.Load()-orders0; commits != 3 || orders != 4 {
		t.Errorf("%d orders written in %d commits, want 4 in 3", orders, commits)
	}
	for i := range 6 {
		state := aftersale.StateAwaitingReturn
		if i == 2 || i == 4 {
			state = aftersale.StatePendingReview
		}
		if got := checkConsistent(t, s, id(i)).Case(id(i) + "-1").State(); got != state {
			t.Errorf("%s: %v, want %v", id(i), got, state)
		}
	}
}
