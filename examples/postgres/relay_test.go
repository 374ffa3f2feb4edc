package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// receiver records what a relay delivered, as a receiver that dedupes by
// effect ID would see it.
type receiver struct {
	mu   sync.Mutex
	got  []aftersale.Effect
	fail map[string]int // effect ID: how many more deliveries to refuse
}

func (r *receiver) deliver(_ context.Context, ef aftersale.Effect) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail[ef.ID] > 0 {
		r.fail[ef.ID]--
		return fmt.Errorf("receiver down for %s", ef.ID)
	}
	r.got = append(r.got, ef)
	return nil
}

// pendingIDs returns the IDs of the outbox rows not delivered, in order.
func pendingIDs(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT id FROM outbox WHERE delivered IS NULL ORDER BY pos`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		out = append(out, id)
	}
	return out
}

// allOutbox returns the outbox's effects, in the order they were
// recorded.
func allOutbox(t *testing.T, s *Store) []aftersale.Effect {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT payload::text FROM outbox ORDER BY pos`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []aftersale.Effect
	for rows.Next() {
		var payload string
		rows.Scan(&payload)
		var ef aftersale.Effect
		if err := json.Unmarshal([]byte(payload), &ef); err != nil {
			t.Fatal(err)
		}
		out = append(out, ef)
	}
	return out
}

var sameInstant = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// lifecycle takes order id through a whole return and refund.
func lifecycle(t *testing.T, s *Store, id string) {
	t.Helper()
	ctx := context.Background()
	for _, st := range []struct {
		at  time.Time
		cmd aftersale.Command
	}{
		{at(4, 20, 0), on("c1", request)},
		{at(5, 9, 0), on("c1", approve)},
		{at(5, 14, 0), on("c1", shipReturn)},
		{at(7, 10, 0), on("c1", receive)},
		{at(7, 12, 0), on("c1", refunded)},
	} {
		if _, err := s.Apply(ctx, id, st.cmd, st.at); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRelayDeliversEveryEffectInOrderAndMarksIt(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	for _, id := range []string{"o-1", "o-2"} {
		if err := s.Create(ctx, newOrder(id)); err != nil {
			t.Fatal(err)
		}
		lifecycle(t, s, id)
	}
	want := allOutbox(t, s)
	var rcv receiver
	r := &Relay{Store: s, Deliver: rcv.deliver, Batch: 4}
	n, err := r.Drain(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Errorf("delivered %d, want %d", n, len(want))
	}
	if diff := cmp.Diff(want, rcv.got, sameInstant); diff != "" {
		t.Errorf("delivered (-outbox +delivered):\n%s", diff)
	}
	if p := pendingIDs(t, s); len(p) != 0 {
		t.Errorf("still pending: %v", p)
	}
	var badMarks int
	s.pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE delivered IS NULL OR delivered < created OR attempts <> 1 OR last_error IS NOT NULL`).Scan(&badMarks)
	if badMarks != 0 {
		t.Errorf("%d rows not marked delivered after one attempt", badMarks)
	}
	if d, err := r.Once(ctx); err != nil || d.Claimed != 0 {
		t.Errorf("a relay with nothing pending: %+v, %v", d, err)
	}
	if pruned, err := s.PruneDelivered(ctx, time.Now().Add(time.Hour)); err != nil || int(pruned) != len(want) {
		t.Errorf("pruned %d, %v; want %d", pruned, err, len(want))
	}
}

// TestRelayRetriesAFailedDeliveryAfterItsBackoff has the receiver refuse
// one effect twice: the others go through, the refused one waits out its
// backoff each time, keeps the last error, and is delivered on the third
// attempt.
func TestRelayRetriesAFailedDeliveryAfterItsBackoff(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	lifecycle(t, s, "o-1")
	all := allOutbox(t, s)
	var refund string
	for _, ef := range all {
		if ef.Kind == aftersale.EffectRefund {
			refund = ef.ID
		}
	}
	rcv := receiver{fail: map[string]int{refund: 2}}
	var pauses []int
	r := &Relay{Store: s, Deliver: rcv.deliver, Backoff: func(n int) time.Duration {
		pauses = append(pauses, n)
		return time.Second
	}}

	d, err := r.Once(ctx)
	if err != nil || d.Delivered != len(all)-1 || d.Failed != 1 {
		t.Fatalf("first pass: %+v, %v", d, err)
	}
	var attempts int
	var lastErr string
	s.pool.QueryRow(ctx, `SELECT attempts, last_error FROM outbox WHERE id = $1`, refund).Scan(&attempts, &lastErr)
	if attempts != 1 || !strings.Contains(lastErr, "receiver down") {
		t.Errorf("after the first failure: attempts %d, last error %q", attempts, lastErr)
	}
	if d, _ := r.Once(ctx); d.Claimed != 0 {
		t.Errorf("claimed %d during the backoff", d.Claimed)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(pendingIDs(t, s)) > 0 && time.Now().Before(deadline) {
		if _, err := r.Once(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if p := pendingIDs(t, s); len(p) != 0 {
		t.Fatalf("still pending: %v", p)
	}
	s.pool.QueryRow(ctx, `SELECT attempts, coalesce(last_error, '') FROM outbox WHERE id = $1`, refund).Scan(&attempts, &lastErr)
	if attempts != 3 || lastErr != "" || fmt.Sprint(pauses) != "[1 2]" {
		t.Errorf("attempts %d, last error %q, backoffs asked for %v", attempts, lastErr, pauses)
	}
	if got := ids(rcv.got); !slices.Contains(got, refund) || len(got) != len(all) {
		t.Errorf("delivered %v", got)
	}
}

// TestCrashBetweenCommitAndDeliveryLosesNothing has a worker process
// apply a command and die by SIGKILL after the commit, before anything is
// delivered. A relay started afterwards delivers the command's effects,
// with the IDs the dead process had.
func TestCrashBetweenCommitAndDeliveryLosesNothing(t *testing.T) {
	s, dsn := freshStore(t, Options{})
	ctx := context.Background()
	if err := s.Create(ctx, requested(t, s.engine, "o-1", at(4, 20, 0))); err != nil {
		t.Fatal(err)
	}
	var rcv receiver
	if _, err := (&Relay{Store: s, Deliver: rcv.deliver}).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	rcv.got = nil

	cmd, _ := json.Marshal(on("o-1-1", aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Note: "used"}))
	w := startWorker(t, t.TempDir(), "apply", "apply", dsn,
		envOrder+"=o-1", envCmd+"="+string(cmd), envNow+"="+at(5, 9, 0).Format(time.RFC3339), envHang+"=1")
	w.waitReady(t)
	w.kill(t)
	committed := w.logLines(t)
	if len(committed) == 0 || committed[0] == "" {
		t.Fatal("the worker wrote no effects")
	}

	if _, err := (&Relay{Store: s, Deliver: rcv.deliver}).Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(committed, ids(rcv.got)); diff != "" {
		t.Errorf("delivered after the crash (-committed +delivered):\n%s", diff)
	}
	o := checkConsistent(t, s, "o-1")
	if diff := cmp.Diff(ids(outboxEffects(o.Case("o-1-1").Effects(1))), ids(rcv.got)); diff != "" {
		t.Errorf("the stored order's effects differ (-document +delivered):\n%s", diff)
	}
}

// TestARelayKilledMidDeliveryIsTakenOverAfterItsLease kills a relay
// process after it delivered 3 of the 10 effects it claimed, before it
// marked any. A second relay delivers the rest at once and, when the dead
// one's lease has run out, the 10 it held: those 3 twice, with the same
// IDs and payloads, everything at least once, and all marked.
func TestARelayKilledMidDeliveryIsTakenOverAfterItsLease(t *testing.T) {
	s, dsn := freshStore(t, Options{})
	ctx := context.Background()
	for i := range 3 {
		id := fmt.Sprintf("o-%d", i)
		if err := s.Create(ctx, newOrder(id)); err != nil {
			t.Fatal(err)
		}
		lifecycle(t, s, id)
	}
	all := allOutbox(t, s)
	if len(all) < 20 {
		t.Fatalf("only %d effects", len(all))
	}

	first := startWorker(t, t.TempDir(), "relay", "relay", dsn, envBatch+"=10", envLease+"=3s", envHang+"=3")
	first.waitReady(t)
	first.kill(t)
	var byFirst []aftersale.Effect
	for _, line := range first.logLines(t) {
		_, payload, _ := strings.Cut(line, "\t")
		var ef aftersale.Effect
		if err := json.Unmarshal([]byte(payload), &ef); err != nil {
			t.Fatal(err)
		}
		byFirst = append(byFirst, ef)
	}
	if len(byFirst) != 3 {
		t.Fatalf("the first relay delivered %d before it died, want 3", len(byFirst))
	}

	var rcv receiver
	second := &Relay{Store: s, Deliver: rcv.deliver, Batch: 10}
	if _, err := second.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := len(pendingIDs(t, s)), 10; got != want {
		t.Errorf("%d pending while the dead relay's lease runs, want its %d", got, want)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(pendingIDs(t, s)) > 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if _, err := second.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if p := pendingIDs(t, s); len(p) != 0 {
		t.Fatalf("still pending: %v", p)
	}

	// Deduplicated by ID, the receivers saw each effect once, as stored.
	seen := map[string]aftersale.Effect{}
	twice := 0
	for _, ef := range append(byFirst, rcv.got...) {
		if prev, ok := seen[ef.ID]; ok {
			twice++
			if diff := cmp.Diff(prev, ef, sameInstant); diff != "" {
				t.Errorf("effect %s delivered twice with different payloads:\n%s", ef.ID, diff)
			}
		}
		seen[ef.ID] = ef
	}
	if twice != 3 {
		t.Errorf("%d effects delivered twice, want the 3 the dead relay had not marked", twice)
	}
	for _, ef := range all {
		if diff := cmp.Diff(ef, seen[ef.ID], sameInstant); diff != "" {
			t.Errorf("effect %s: (-outbox +delivered)\n%s", ef.ID, diff)
		}
	}
	if len(seen) != len(all) {
		t.Errorf("%d distinct effects delivered, want %d", len(seen), len(all))
	}
}

func TestRelayWithoutDeliverIsAnError(t *testing.T) {
	s, _ := freshStore(t, Options{})
	if _, err := (&Relay{Store: s}).Once(context.Background()); err == nil {
		t.Error("a relay without Deliver ran")
	}
}

func TestDefaultBackoffDoublesUpToTenMinutes(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {10, 512 * time.Second}, {11, 10 * time.Minute}, {1000, 10 * time.Minute}} {
		if got := DefaultBackoff(tt.n); got != tt.want {
			t.Errorf("DefaultBackoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// TestRelayMarksWhatItDeliveredWhenTheCallerGivesUp cancels the context
// in the middle of a batch: the effects delivered are marked, the rest
// are put back as they were, for the next relay at once.
func TestRelayMarksWhatItDeliveredWhenTheCallerGivesUp(t *testing.T) {
	s, _ := freshStore(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := s.Create(context.Background(), newOrder("o-1")); err != nil {
		t.Fatal(err)
	}
	lifecycle(t, s, "o-1")
	all := allOutbox(t, s)
	n := 0
	r := &Relay{Store: s, Deliver: func(ctx context.Context, ef aftersale.Effect) error {
		n++
		if n == 2 {
			cancel()
		}
		return nil
	}}
	d, err := r.Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatal("not cancelled")
	}
	if d.Claimed != len(all) || d.Delivered != 2 || d.Failed != 0 {
		t.Errorf("%+v", d)
	}
	var pending, untouched int
	s.pool.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE attempts = 0 AND next_attempt <= clock_timestamp())
		FROM outbox WHERE delivered IS NULL`).Scan(&pending, &untouched)
	if pending != len(all)-2 || untouched != pending {
		t.Errorf("%d pending, %d of them put back as they were; want %d", pending, untouched, len(all)-2)
	}
}
