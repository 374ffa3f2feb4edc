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

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

func TestMigrateTwiceAndFromManyProcessesAtOnce(t *testing.T) {
	dsn := freshDB(t)
	pool := connect(t, dsn, 8)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = Migrate(ctx, pool) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := Migrate(ctx, pool); err != nil {
		t.Fatalf("again: %v", err)
	}
	steps, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n, top int
	if err := pool.QueryRow(ctx, `SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &top); err != nil {
		t.Fatal(err)
	}
	if n != len(steps) || top != len(steps) {
		t.Errorf("schema_migrations: %d rows up to %d, want %d", n, top, len(steps))
	}

	// A database a newer build migrated is refused, and left alone.
	if _, err := pool.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, 'from_the_future')`, len(steps)+1); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, pool); err == nil || !strings.Contains(err.Error(), "this build knows up to") {
		t.Errorf("a newer schema: got %v", err)
	}
}

func TestCreateStoresTheDocumentItsEventsAndEffects(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	fresh := newOrder("o-new")
	open := requested(t, s.engine, "o-open", at(4, 20, 0))
	if err := s.Create(ctx, fresh, open); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"o-new", "o-open"} {
		checkConsistent(t, s, id)
	}
	if r := readRow(t, s, "o-new"); r.Version != 0 || r.NextDue != "" || r.Events != 0 || r.Outbox != 0 {
		t.Errorf("an order without cases: %+v", r)
	}
	r := readRow(t, s, "o-open")
	if r.Events != 1 || r.Outbox == 0 || r.NextDue != at(6, 20, 0).UTC().Format(time.RFC3339) {
		t.Errorf("an order with a case under review: %+v", r)
	}
}

func TestCreateRefusesAnOrderStoredOrInvalidAndWritesNothing(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	before := readRow(t, s, "o-1")
	invalid := newOrder("o-bad")
	invalid.Amount = 0
	tests := []struct {
		name   string
		orders []*aftersale.Order
		code   aftersale.Code
	}{
		{"an ID already stored", []*aftersale.Order{newOrder("o-2"), newOrder("o-1")}, aftersale.ErrConflict},
		{"one ID twice in the call", []*aftersale.Order{newOrder("o-3"), newOrder("o-3")}, aftersale.ErrConflict},
		{"an invalid order", []*aftersale.Order{newOrder("o-4"), invalid}, aftersale.ErrInvalidInput},
		{"a nil order", []*aftersale.Order{newOrder("o-5"), nil}, aftersale.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Create(ctx, tt.orders...)
			if aftersale.CodeOf(err) != tt.code {
				t.Fatalf("got %v (code %v), want code %v", err, aftersale.CodeOf(err), tt.code)
			}
			var n int
			if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM orders`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%d orders stored, want only o-1", n)
			}
			if after := readRow(t, s, "o-1"); after != before {
				t.Errorf("o-1 changed: %+v, was %+v", after, before)
			}
		})
	}
}

// TestApplySavesTheOrderItsEventsAndEffectsTogether takes a case from
// request to refund through the store and checks after each command that
// the row, the events and the outbox follow from the document, and that
// each command's effects are what was put in the outbox.
func TestApplySavesTheOrderItsEventsAndEffectsTogether(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at  time.Time
		cmd aftersale.Command
	}{
		{at(4, 20, 0), on("c1", request)},
		{at(5, 9, 0), on("c1", approve)},
		{at(5, 14, 0), on("c1", shipReturn)},
		{at(7, 10, 0), on("c1", receive)},
		{at(7, 12, 0), on("c1", refunded)},
	}
	var all []string
	for i, st := range steps {
		before := readRow(t, s, "o-1")
		res, err := s.Apply(ctx, "o-1", st.cmd, st.at)
		if err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
		if res.Attempts != 1 || res.Outcome.Repeat {
			t.Errorf("step %d: attempts %d, repeat %v", i+1, res.Attempts, res.Outcome.Repeat)
		}
		o := checkConsistent(t, s, "o-1")
		if o.Version() != i+1 {
			t.Errorf("step %d: version %d", i+1, o.Version())
		}
		got := outboxOf(t, s, "o-1")[before.Outbox:]
		if diff := cmp.Diff(ids(res.Effects), ids(got)); diff != "" {
			t.Errorf("step %d: the outbox's new rows are not the command's effects (-effects +outbox):\n%s", i+1, diff)
		}
		if diff := cmp.Diff(ids(outboxEffects(res.Outcome.Effects())), ids(res.Effects)); diff != "" {
			t.Errorf("step %d: Result.Effects are not the outcome's (-outcome +result):\n%s", i+1, diff)
		}
		all = append(all, ids(res.Effects)...)
	}
	if o, _ := s.Load(ctx, "o-1"); o.Case("c1").State() != aftersale.StateRefunded {
		t.Errorf("state %v, want refunded", o.Case("c1").State())
	}
	if r := readRow(t, s, "o-1"); r.NextDue != "" {
		t.Errorf("next_due %v on a finished case", r.NextDue)
	}
	var refunds int
	for _, id := range all {
		if strings.HasSuffix(id, "/refund") {
			refunds++
		}
	}
	if refunds != 1 {
		t.Errorf("%d refund effects in %v, want 1", refunds, all)
	}
}

// TestRefusedCommandWritesNothing sends commands the engine refuses, and
// a few the store does, and checks that each leaves the row, the events
// and the outbox as they were, with the engine's code.
func TestRefusedCommandWritesNothing(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	o := requested(t, s.engine, "o-1", at(4, 20, 0))
	if _, err := s.engine.ApplyAt(at(4, 21, 0), o, aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer,
		Action: aftersale.ActionSubmitEvidence, Note: "photo", Key: "k-evidence"}); err == nil {
		t.Fatal("evidence outside arbitration was accepted")
	}
	if err := s.Create(ctx, o, newOrder("o-2"), newOrder("o-late")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(ctx, "o-1", aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorMerchant,
		Action: aftersale.ActionPropose, Amount: aftersale.Yuan(200), Key: "k-propose"}, at(5, 9, 0)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		order string
		at    time.Time
		cmd   aftersale.Command
		code  aftersale.Code
		is    error
	}{
		{"an action the state does not allow", "o-1", at(5, 10, 0),
			on("o-1-1", shipReturn), aftersale.ErrNotPermitted, nil},
		{"an actor the action is not for", "o-1", at(5, 10, 0),
			aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionApprove}, aftersale.ErrNotPermitted, nil},
		{"an amount above what was paid", "o-2", at(5, 10, 0),
			aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
				Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonQuality, Amount: aftersale.Yuan(500)}, aftersale.ErrInvalidInput, nil},
		{"a reject without its reason", "o-1", at(5, 10, 0),
			aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject}, aftersale.ErrInvalidInput, nil},
		{"an unknown case", "o-1", at(5, 10, 0),
			on("nope", approve), aftersale.ErrNotFound, nil},
		{"a time before the last event", "o-1", at(5, 8, 0),
			aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionAccept}, aftersale.ErrClockRegressed, nil},
		{"a stale case version", "o-1", at(5, 10, 0),
			aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionAccept, Version: 1}, aftersale.ErrConflict, nil},
		{"an idempotency key reused for another command", "o-1", at(5, 10, 0),
			aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionAccept, Key: "k-propose"}, aftersale.ErrConflict, nil},
		{"a second open case on the same goods", "o-1", at(5, 10, 0),
			aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Case: "o-1-2",
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}, aftersale.ErrConflict, nil},
		{"a request after the after-sale window", "o-late", at(25, 10, 0),
			aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}, aftersale.ErrNotEligible, nil},
		{"a time in a zone offset by seconds", "o-1", time.Date(2026, 3, 5, 10, 0, 0, 0, time.FixedZone("odd", 8*3600+7)),
			aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionAccept}, aftersale.ErrInvalidInput, nil},
		{"an order the store does not hold", "o-none", at(5, 10, 0),
			on("c1", request), aftersale.ErrNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := dbState(t, s)
			_, err := s.Apply(ctx, tt.order, tt.cmd, tt.at)
			if err == nil {
				t.Fatal("accepted")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("got %v, want %v", err, tt.is)
			}
			if tt.code != 0 && !errors.Is(err, tt.code) {
				t.Fatalf("got %v (code %v), want code %v", err, aftersale.CodeOf(err), tt.code)
			}
			if dbState(t, s) != before {
				t.Error("the refused command wrote to the database")
			}
		})
	}
	checkConsistent(t, s, "o-1")
}

func TestACommandResentWithItsKeyWritesNothingAndGivesTheSameEffects(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	cmd := on("c1", request)
	cmd.Key = "app-7781"
	first, err := s.Apply(ctx, "o-1", cmd, at(4, 20, 0))
	if err != nil {
		t.Fatal(err)
	}
	before := readRow(t, s, "o-1")
	again, err := s.Apply(ctx, "o-1", cmd, at(4, 20, 1))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Outcome.Repeat || len(again.Effects) != 0 {
		t.Errorf("repeat %v, %d effects written", again.Outcome.Repeat, len(again.Effects))
	}
	if after := readRow(t, s, "o-1"); after != before {
		t.Errorf("the resent command wrote:\n got %+v\nwant %+v", after, before)
	}
	if diff := cmp.Diff(ids(first.Effects), ids(outboxEffects(again.Outcome.Effects()))); diff != "" {
		t.Errorf("the resent command's effects differ (-first +again):\n%s", diff)
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, requested(t, s.engine, "o-1", at(4, 20, 0))); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`UPDATE events SET actor = 'merchant'`,
		`DELETE FROM events`,
		`TRUNCATE events`,
	} {
		if _, err := s.pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got %v, want it refused as append-only", sql, err)
		}
	}
	if r := readRow(t, s, "o-1"); r.Events != 1 {
		t.Errorf("%d events, want 1", r.Events)
	}
}

// TestEightWritersOnOneOrder has 8 goroutines send 10 pieces of evidence
// each to one case in arbitration. Every goroutine loads the first version
// before any writes, so exactly one wins it and seven retry; in the end
// every command is in the log once, each version was written once, and
// the stored order equals a sequential run of the commands in the order
// they won.
func TestEightWritersOnOneOrder(t *testing.T) {
	s, _ := freshStore(t, Options{MaxAttempts: 1000})
	ctx := context.Background()
	o := requested(t, s.engine, "o-1", at(4, 20, 0))
	escalate := aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionEscalate}
	if _, err := s.engine.ApplyAt(at(4, 21, 0), o, escalate); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, o); err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 10
	now := at(5, 9, 0)
	evidence := func(g, i int) aftersale.Command {
		return aftersale.Command{Case: "o-1-1", Actor: []aftersale.Actor{aftersale.ActorBuyer, aftersale.ActorMerchant}[g%2],
			Action: aftersale.ActionSubmitEvidence, Note: fmt.Sprintf("g%d-%d", g, i), Key: fmt.Sprintf("g%d-%d", g, i)}
	}

	// The first round: everyone loads version 2 before anyone writes.
	var firstLoads sync.WaitGroup
	firstLoads.Add(writers)
	var mu sync.Mutex
	loadedFirst := map[int]int{}
	testHookLoaded = func(_ string, version int) {
		mu.Lock()
		loadedFirst[version]++
		first := loadedFirst[version] <= writers && version == 2
		mu.Unlock()
		if first {
			firstLoads.Done()
			firstLoads.Wait()
		}
	}
	defer func() { testHookLoaded = nil }()

	attempts := make([][]int, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := range writers {
		wg.Go(func() {
			for i := range each {
				res, err := s.Apply(ctx, "o-1", evidence(g, i), now)
				if err != nil {
					errs <- fmt.Errorf("writer %d, command %d: %w", g, i, err)
					return
				}
				attempts[g] = append(attempts[g], res.Attempts)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	firstWinners, retries := 0, 0
	for g := range writers {
		if attempts[g][0] == 1 {
			firstWinners++
		}
		for _, a := range attempts[g] {
			retries += a - 1
		}
	}
	if firstWinners != 1 {
		t.Errorf("%d writers won the first version on their first attempt, want exactly 1 (attempts %v)", firstWinners, attempts)
	}
	t.Logf("%d commands, %d retries after lost races", writers*each, retries)

	stored := checkConsistent(t, s, "o-1")
	c := stored.Case("o-1-1")
	if c.Version() != 2+writers*each {
		t.Fatalf("case version %d, want %d", c.Version(), 2+writers*each)
	}
	// Replay the commands one after the other, in the order they won.
	seq := newOrder("o-1")
	if _, err := s.engine.ApplyAt(at(4, 20, 0), seq, on("o-1-1", request)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.engine.ApplyAt(at(4, 21, 0), seq, escalate); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ev := range c.Events()[2:] {
		if seen[ev.Key] {
			t.Errorf("command %s is in the log twice", ev.Key)
		}
		seen[ev.Key] = true
		var g, i int
		fmt.Sscanf(ev.Key, "g%d-%d", &g, &i)
		if _, err := s.engine.ApplyAt(now, seq, evidence(g, i)); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := json.Marshal(seq)
	got, _ := json.Marshal(stored)
	if string(want) != string(got) {
		t.Errorf("the stored order differs from a sequential run of the same commands")
	}
}

// TestApplyGivesUpWithConflictAfterMaxAttempts has another writer change
// the order between every load and save; Apply tries MaxAttempts times,
// then returns conflict, and its command is nowhere.
func TestApplyGivesUpWithConflictAfterMaxAttempts(t *testing.T) {
	s, _ := freshStore(t, Options{MaxAttempts: 3})
	ctx := context.Background()
	o := requested(t, s.engine, "o-1", at(4, 20, 0))
	if _, err := s.engine.ApplyAt(at(4, 21, 0), o, aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionEscalate}); err != nil {
		t.Fatal(err)
	}
	if err := s.Create(ctx, o); err != nil {
		t.Fatal(err)
	}
	other := 0
	inside := false
	testHookLoaded = func(id string, _ int) {
		if inside {
			return
		}
		inside = true
		defer func() { inside = false }()
		other++
		if _, err := s.Apply(ctx, id, aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorMerchant,
			Action: aftersale.ActionSubmitEvidence, Note: fmt.Sprintf("other %d", other)}, at(5, 9, 0)); err != nil {
			t.Error(err)
		}
	}
	defer func() { testHookLoaded = nil }()
	res, err := s.Apply(ctx, "o-1", aftersale.Command{Case: "o-1-1", Actor: aftersale.ActorBuyer,
		Action: aftersale.ActionSubmitEvidence, Note: "mine", Key: "mine"}, at(5, 9, 0))
	if !errors.Is(err, aftersale.ErrConflict) || res.Attempts != 3 {
		t.Fatalf("got %v after %d attempts, want conflict after 3", err, res.Attempts)
	}
	testHookLoaded = nil
	stored := checkConsistent(t, s, "o-1")
	if v := stored.Case("o-1-1").Version(); v != 2+3 {
		t.Errorf("case version %d, want the 3 other writes only", v)
	}
	for _, ev := range stored.Case("o-1-1").Events() {
		if ev.Key == "mine" {
			t.Error("the command that gave up is in the log")
		}
	}
}

func TestLoadReadsWhatApplySaved(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if _, err := s.Load(ctx, "o-none"); !errors.Is(err, aftersale.ErrNotFound) {
		t.Errorf("a missing order: %v", err)
	}
	if err := s.Create(ctx, newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	res, err := s.Apply(ctx, "o-1", on("c1", request), at(4, 20, 0))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, "o-1")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(res.Order)
	b, _ := json.Marshal(got)
	if string(a) != string(b) {
		t.Errorf("loaded %s\nsaved %s", b, a)
	}

	// A row whose version does not match its document is refused.
	if _, err := s.pool.Exec(ctx, `UPDATE orders SET version = 7 WHERE id = 'o-1'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "o-1"); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Errorf("a row that does not match its document: %v", err)
	}
}
