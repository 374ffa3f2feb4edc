package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

var zone = timeline.UTC8()

// day is a time in March 2026, UTC+8.
func day(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, zone) }

// facts is an order paid on the 1st and delivered on the 3rd, with
// return-freight insurance.
func facts(id string) string {
	return fmt.Sprintf(`{"id":%q,"amount":"299.00","paid_at":"2026-03-01T10:00:00+08:00",
		"shipped_at":"2026-03-01T18:00:00+08:00","delivered_at":"2026-03-03T15:00:00+08:00",
		"flags":["freight_insurance"]}`, id)
}

// recorder is the receiving end of the outbox: the payment and messaging
// systems. It keeps each effect by ID, so a second delivery of one changes
// nothing, and it fails the calls fail says to.
type recorder struct {
	mu    sync.Mutex
	fail  func(call int) bool
	calls int
	got   map[string]aftersale.Effect
	again int // deliveries of an ID already received
}

func newRecorder(fail func(call int) bool) *recorder {
	return &recorder{fail: fail, got: map[string]aftersale.Effect{}}
}

func (r *recorder) Deliver(_ context.Context, e aftersale.Effect) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.fail != nil && r.fail(r.calls) {
		return errors.New("receiver unavailable")
	}
	if _, ok := r.got[e.ID]; ok {
		r.again++
	}
	r.got[e.ID] = e
	return nil
}

func (r *recorder) ids() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.got))
}

// env is a host serving over httptest, on a mock clock.
type env struct {
	t     *testing.T
	dir   string
	clock *clock.Mock
	host  *Host
	srv   *httptest.Server
}

func start(t *testing.T, dir string, clk *clock.Mock, out Deliverer) *env {
	t.Helper()
	h, err := newHost(dir, clk, out)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	return &env{t, dir, clk, h, srv}
}

func newEnv(t *testing.T, out Deliverer) *env {
	clk := clock.NewMock()
	clk.Set(day(4, 12, 0))
	return start(t, t.TempDir(), clk, out)
}

// call sends body (JSON, or "" for none), decodes the answer into out
// unless it is nil, and returns the status.
func (e *env) call(method, path, body string, out any) int {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// must is call that expects the status.
func (e *env) must(want int, method, path, body string, out any) {
	e.t.Helper()
	var raw json.RawMessage
	if got := e.call(method, path, body, &raw); got != want {
		e.t.Fatalf("%s %s %s: status %d, want %d: %s", method, path, body, got, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

// send posts a command at the time given and returns the outcome.
func (e *env) send(at time.Time, order, cmd string) outcomeAnswer {
	e.t.Helper()
	e.clock.Set(at)
	var out outcomeAnswer
	e.must(http.StatusOK, "POST", "/orders/"+order+"/commands", cmd, &out)
	return out
}

// nextTold is what happens next, with its sentences.
type nextTold struct {
	aftersale.Next
	Zh, En string
}

type outcomeAnswer struct {
	Event   aftersale.Event
	Repeat  bool
	Case    string
	State   aftersale.State
	Next    nextTold
	Effects []aftersale.Effect
}

type nextAnswer struct {
	Case  string
	State aftersale.State
	Next  nextTold
	Moves map[aftersale.Actor][]aftersale.Move
}

type dueAnswer struct {
	Until time.Time
	Due   []struct {
		aftersale.Upcoming
		Zh, En string
	}
}

// stored lists the IDs of the effects the stored orders call for, read
// from the files with nothing but json.Unmarshal and Case.Effects(0): what
// the receivers must have got, each once.
func stored(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "orders", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var o aftersale.Order
		if err := json.Unmarshal(b, &o); err != nil {
			t.Fatal(err)
		}
		for _, c := range o.Cases() {
			for _, e := range c.Effects(0) {
				if e.Kind != aftersale.EffectWake {
					ids = append(ids, e.ID)
				}
			}
		}
	}
	slices.Sort(ids)
	return ids
}

func moveNames(ms []aftersale.Move) []string {
	var names []string
	for _, m := range ms {
		names = append(names, m.Action.String())
	}
	return names
}

// A buyer returns a shirt; the merchant approves but never confirms the
// parcel; ten days after the waybill the sweep receives it for them and
// the refund goes out with the return freight; the payment system reports
// it paid.
func TestReturnAndRefund(t *testing.T) {
	rec := newRecorder(nil)
	e := newEnv(t, rec)
	e.must(http.StatusCreated, "PUT", "/orders/o-1001", facts("o-1001"), nil)

	for _, step := range []struct {
		at    time.Time
		cmd   string
		state aftersale.State
		next  aftersale.Actor
	}{
		{day(4, 20, 0), `{"actor":"buyer","action":"request","case":"as-1","kind":"return_refund","reason":"no_reason"}`,
			aftersale.StatePendingReview, aftersale.ActorMerchant},
		{day(5, 9, 0), `{"actor":"merchant","action":"approve","case":"as-1"}`,
			aftersale.StateAwaitingReturn, aftersale.ActorBuyer},
		{day(5, 14, 0), `{"actor":"buyer","action":"ship_return","case":"as-1","carrier":"SF","waybill":"SF1302","freight":"12.00"}`,
			aftersale.StateReturnInTransit, aftersale.ActorMerchant},
	} {
		out := e.send(step.at, "o-1001", step.cmd)
		if out.State != step.state || out.Next.Waiting != step.next || len(out.Effects) == 0 {
			t.Fatalf("%s: state %s, waiting for %s, %d effects; want %s, %s", step.cmd, out.State, out.Next.Waiting, len(out.Effects), step.state, step.next)
		}
	}

	// What happens next, and when: the merchant has ten days from the waybill.
	var n nextAnswer
	e.must(http.StatusOK, "GET", "/orders/o-1001/cases/as-1/next", "", &n)
	if n.Next.Waiting != aftersale.ActorMerchant || !n.Next.Deadline.At.Equal(day(15, 14, 0)) ||
		n.Next.Action != aftersale.ActionReceiveReturn || n.Next.To != aftersale.StateRefunding {
		t.Errorf("next: %+v", n.Next)
	}
	if !strings.Contains(n.Next.Zh, "2026-03-15 14:00") || !strings.Contains(n.Next.En, "2026-03-15 14:00") {
		t.Errorf("next says %q, %q", n.Next.Zh, n.Next.En)
	}
	if m := moveNames(n.Moves[aftersale.ActorMerchant]); !slices.Contains(m, "receive_return") || !slices.Contains(m, "reject") {
		t.Errorf("the merchant may %v", m)
	}
	if m := moveNames(n.Moves[aftersale.ActorBuyer]); !slices.Equal(m, []string{"escalate"}) {
		t.Errorf("the buyer may %v", m)
	}
	if len(n.Moves[aftersale.ActorPlatform]) > 0 {
		t.Errorf("the platform may %v", moveNames(n.Moves[aftersale.ActorPlatform]))
	}

	// A minute before, nothing fires; the deadline is due within 24 hours.
	e.clock.Set(day(15, 13, 59))
	var sweep struct{ Fired []aftersale.Effect }
	e.must(http.StatusOK, "POST", "/sweep", "", &sweep)
	if len(sweep.Fired) != 0 {
		t.Fatalf("fired early: %+v", sweep.Fired)
	}
	var d dueAnswer
	e.must(http.StatusOK, "GET", "/due?within=24h", "", &d)
	if len(d.Due) != 1 || d.Due[0].Order != "o-1001" || d.Due[0].Case != "as-1" || !d.Due[0].Deadline.At.Equal(day(15, 14, 0)) {
		t.Fatalf("due: %+v", d)
	}

	// On the minute, the sweep receives the goods and the refund goes out
	// with the 12.00 freight, paid by the freight insurance.
	e.clock.Set(day(15, 14, 0))
	sweep.Fired = nil
	e.must(http.StatusOK, "POST", "/sweep", "", &sweep)
	i := slices.IndexFunc(sweep.Fired, func(e aftersale.Effect) bool { return e.Kind == aftersale.EffectRefund })
	if i < 0 {
		t.Fatalf("no refund among %+v", sweep.Fired)
	}
	refund := sweep.Fired[i]
	want := []aftersale.Compensation{{Amount: aftersale.Yuan(12), Payer: aftersale.PayerInsurance}}
	if refund.Amount != aftersale.Yuan(299) || !slices.Equal(refund.Compensation, want) || refund.Key == "" {
		t.Errorf("refund %+v", refund)
	}
	if got, ok := rec.got[refund.ID]; !ok || got.Amount != refund.Amount {
		t.Errorf("the payment system did not get %s", refund.ID)
	}
	n = nextAnswer{}
	e.must(http.StatusOK, "GET", "/orders/o-1001/cases/as-1/next", "", &n)
	if n.State != aftersale.StateRefunding || n.Next.Waiting != aftersale.ActorSystem || !n.Next.Deadline.Alert {
		t.Errorf("after the sweep: %s, %+v", n.State, n.Next)
	}

	// The payment system reports the refund paid.
	out := e.send(day(15, 16, 0), "o-1001", `{"actor":"system","action":"refund_succeeded","case":"as-1"}`)
	if out.State != aftersale.StateRefunded || out.Event.Amount != aftersale.Yuan(299) || len(out.Event.Compensation) != 1 || out.Event.Compensation[0].Amount != aftersale.Yuan(12) {
		t.Errorf("refund_succeeded: %s, %+v", out.State, out.Event)
	}
	n = nextAnswer{}
	e.must(http.StatusOK, "GET", "/orders/o-1001/cases/as-1/next", "", &n)
	if n.Next.En != "the case is over" || n.Next.Zh != "售后已结束" || len(n.Moves) != 0 {
		t.Errorf("over: %+v, moves %v", n.Next, n.Moves)
	}

	// The stored form is what the library wrote; every effect went out once.
	var o aftersale.Order
	e.must(http.StatusOK, "GET", "/orders/o-1001", "", &o)
	if c := o.Case("as-1"); c == nil || c.State() != aftersale.StateRefunded || c.Refunded() != aftersale.Yuan(299) {
		t.Errorf("stored: %+v", o.Cases())
	}
	if got, want := rec.ids(), stored(t, e.dir); !slices.Equal(got, want) || rec.again != 0 {
		t.Errorf("delivered %v (%d again), want %v", got, rec.again, want)
	}
}

// /due merges the orders' deadlines by time, not by file.
func TestDue(t *testing.T) {
	e := newEnv(t, newRecorder(nil))
	for _, o := range []struct {
		id string
		at time.Time
	}{{"b-2", day(4, 9, 0)}, {"a-1", day(4, 12, 0)}} { // reviews due on the 6th at 9:00 and 12:00
		e.must(http.StatusCreated, "PUT", "/orders/"+o.id, facts(o.id), nil)
		e.send(o.at, o.id, `{"actor":"buyer","action":"request","kind":"refund_only","reason":"quality"}`)
	}
	for _, tc := range []struct {
		within string
		want   []string // order IDs, earliest first
	}{
		{"", nil}, // 24h
		{"24h", nil},
		{"45h", []string{"b-2"}},
		{"48h", []string{"b-2", "a-1"}},
		{"720h", []string{"b-2", "a-1"}},
	} {
		var d dueAnswer
		e.must(http.StatusOK, "GET", "/due?within="+tc.within, "", &d)
		var got []string
		for _, u := range d.Due {
			got = append(got, u.Order)
			if u.Waiting != aftersale.ActorMerchant || u.Action != aftersale.ActionApprove || u.Zh == "" {
				t.Errorf("within %s: %+v", tc.within, u)
			}
		}
		if !slices.Equal(got, tc.want) || !d.Until.Equal(e.clock.Now().Add(window(tc.within))) {
			t.Errorf("within %q: %v until %s, want %v", tc.within, got, d.Until, tc.want)
		}
	}
	for _, bad := range []string{"soon", "-1h", "0s"} {
		var p aftersale.Error
		if st := e.call("GET", "/due?within="+bad, "", &p); st != http.StatusBadRequest || p.Code != aftersale.ErrInvalidInput {
			t.Errorf("within %q: %d %+v", bad, st, p)
		}
	}
}

func window(within string) time.Duration {
	if within == "" {
		within = "24h"
	}
	d, _ := time.ParseDuration(within)
	return d
}

// Every refusal has the status of its code and changes nothing stored.
func TestRefusals(t *testing.T) {
	e := newEnv(t, newRecorder(nil))
	e.must(http.StatusCreated, "PUT", "/orders/o-1", facts("o-1"), nil)
	e.send(day(4, 20, 0), "o-1", `{"actor":"buyer","action":"request","case":"as-1","kind":"return_refund","reason":"no_reason"}`)
	e.must(http.StatusCreated, "PUT", "/orders/o-2", strings.Replace(facts("o-2"), `"flags"`, `"category":"perishable","flags"`, 1), nil)
	before, _ := os.ReadFile(filepath.Join(e.dir, "orders", "o-1.json"))

	const cmds = "/orders/o-1/commands"
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, rule               string
	}{
		{"unknown field", "POST", cmds, `{"actor":"merchant","action":"approve","case":"as-1","colour":"red"}`, 400, "invalid_input", ""},
		{"not JSON", "POST", cmds, `{"actor":"merchant",`, 400, "invalid_input", ""},
		{"money as a number", "POST", cmds, `{"actor":"merchant","action":"propose","case":"as-1","amount":100}`, 400, "invalid_input", ""},
		{"a zero field", "POST", cmds, `{"actor":"merchant","action":"approve","case":"as-1","version":0}`, 400, "invalid_input", ""},
		{"a reject without a reason", "POST", cmds, `{"actor":"merchant","action":"reject","case":"as-1"}`, 400, "invalid_input", ""},
		{"the buyer approves", "POST", cmds, `{"actor":"buyer","action":"approve","case":"as-1"}`, 409, "not_permitted", ""},
		{"a stale version", "POST", cmds, `{"actor":"merchant","action":"approve","case":"as-1","version":7}`, 409, "conflict", ""},
		{"a second case on the same goods", "POST", cmds, `{"actor":"buyer","action":"request","kind":"refund_only","reason":"quality"}`, 409, "conflict", ""},
		{"an unknown case", "POST", cmds, `{"actor":"merchant","action":"approve","case":"as-9"}`, 404, "not_found", "case.not_found"},
		{"an unknown order", "POST", "/orders/o-9/commands", `{"actor":"merchant","action":"approve","case":"as-1"}`, 404, "not_found", ""},
		{"no reason for perishables", "POST", "/orders/o-2/commands", `{"actor":"buyer","action":"request","kind":"return_refund","reason":"no_reason"}`, 422, "not_eligible", "seven_day_no_reason.excluded_category"},
		{"next of an unknown case", "GET", "/orders/o-1/cases/as-9/next", "", 404, "not_found", ""},
		{"an unknown order", "GET", "/orders/o-9", "", 404, "not_found", ""},
		{"an order twice", "PUT", "/orders/o-1", facts("o-1"), 409, "conflict", ""},
		{"an order under another id", "PUT", "/orders/o-3", facts("o-4"), 400, "invalid_input", ""},
		{"an order without payment", "PUT", "/orders/o-5", `{"id":"o-5","amount":"10.00"}`, 400, "invalid_input", ""},
	} {
		var p aftersale.Error
		if st := e.call(tc.method, tc.path, tc.body, &p); st != tc.status || p.Code.String() != tc.code || p.Message == "" || (tc.rule != "" && p.Rule != tc.rule) {
			t.Errorf("%s: %d %+v, want %d %s %s", tc.name, st, p, tc.status, tc.code, tc.rule)
		}
	}

	e.clock.Set(day(4, 19, 0)) // before the request
	var p aftersale.Error
	if st := e.call("POST", cmds, `{"actor":"merchant","action":"approve","case":"as-1"}`, &p); st != 409 || p.Code != aftersale.ErrClockRegressed {
		t.Errorf("clock regressed: %d %+v", st, p)
	}
	if after, _ := os.ReadFile(filepath.Join(e.dir, "orders", "o-1.json")); string(after) != string(before) {
		t.Errorf("a refusal changed the stored order:\n%s\n%s", before, after)
	}
}

// A delivery that fails is retried after 1, then 2 minutes, and what went
// out is not sent again.
func TestOutboxRetries(t *testing.T) {
	rec := newRecorder(func(call int) bool { return call <= 2 })
	e := newEnv(t, rec)
	e.must(http.StatusCreated, "PUT", "/orders/o-1", facts("o-1"), nil)
	e.send(day(4, 20, 0), "o-1", `{"actor":"buyer","action":"request","case":"as-1","kind":"return_refund","reason":"no_reason"}`)
	// The request made one effect to deliver (a notice to the merchant)
	// besides its wake-up, and that first delivery failed.
	for i, step := range []struct {
		after time.Duration
		calls int
	}{
		{0, 1},           // backing off for a minute
		{time.Minute, 2}, // tried, failed again: two minutes
		{time.Minute, 2},
		{time.Minute, 3}, // delivered
		{time.Hour, 3},   // nothing left to deliver
	} {
		e.clock.Add(step.after)
		e.host.Sweep(context.Background())
		if rec.calls != step.calls {
			t.Fatalf("step %d: %d calls, want %d", i, rec.calls, step.calls)
		}
	}
	if got, want := rec.ids(), stored(t, e.dir); !slices.Equal(got, want) || len(got) != 1 {
		t.Errorf("delivered %v, want %v", got, want)
	}
}

// A host whose receivers fail, wholly or now and then, is killed and
// started again over the same files: the first sweep of the new one
// delivers every effect the stored orders call for, and nothing is lost.
func TestCrashAndRestart(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(call int) bool
	}{
		{"receivers down", func(int) bool { return true }},
		{"every other call fails", func(call int) bool { return call%2 == 0 }},
		{"down after three calls", func(call int) bool { return call > 3 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(tc.fail)
			e := newEnv(t, rec)
			for _, id := range []string{"o-1", "o-2"} {
				e.must(http.StatusCreated, "PUT", "/orders/"+id, facts(id), nil)
				e.send(day(4, 20, 0), id, `{"actor":"buyer","action":"request","case":"as-1","kind":"return_refund","reason":"quality"}`)
				e.send(day(5, 9, 0), id, `{"actor":"merchant","action":"approve","case":"as-1"}`)
			}
			e.send(day(5, 14, 0), "o-1", `{"actor":"buyer","action":"ship_return","case":"as-1","carrier":"SF","waybill":"SF1302","freight":"12.00"}`)
			e.clock.Set(day(15, 14, 0)) // o-1 is received; o-2 was never sent back and closes
			e.must(http.StatusOK, "POST", "/sweep", "", nil)
			e.srv.Close() // killed: whatever the outbox still owes is only in the files

			rec.mu.Lock()
			rec.fail = nil
			rec.mu.Unlock()
			e = start(t, e.dir, e.clock, rec)
			e.host.Sweep(context.Background()) // what main does first
			want := stored(t, e.dir)
			if got := rec.ids(); !slices.Equal(got, want) {
				t.Fatalf("delivered %v, want %v", got, want)
			}

			e.send(day(15, 16, 0), "o-1", `{"actor":"system","action":"refund_succeeded","case":"as-1"}`)
			e.host.Sweep(context.Background())
			if got, want := rec.ids(), stored(t, e.dir); !slices.Equal(got, want) || len(want) < 8 {
				t.Errorf("delivered %v, want %v", got, want)
			}
			t.Logf("%d effects, %d delivered again", len(rec.got), rec.again)
		})
	}
}

// Requests on many orders at once, with sweeps and reads among them; run
// with -race.
func TestConcurrentRequests(t *testing.T) {
	rec := newRecorder(nil)
	e := newEnv(t, rec)
	var wg sync.WaitGroup
	statuses := make(chan int, 100)
	for i := range 8 {
		id := fmt.Sprintf("o-%d", i)
		wg.Go(func() {
			statuses <- e.call("PUT", "/orders/"+id, facts(id), nil)
			statuses <- e.call("POST", "/orders/"+id+"/commands", `{"actor":"buyer","action":"request","kind":"return_refund","reason":"no_reason"}`, nil)
			statuses <- e.call("GET", "/orders/"+id+"/cases/"+id+"-1/next", "", nil)
		})
		wg.Go(func() {
			statuses <- e.call("GET", "/due", "", nil)
			statuses <- e.call("POST", "/sweep", "", nil)
		})
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusOK && st != http.StatusCreated {
			t.Errorf("status %d", st)
		}
	}
	if got, want := rec.ids(), stored(t, e.dir); !slices.Equal(got, want) || len(got) != 8 {
		t.Errorf("delivered %v, want %v", got, want)
	}
}
