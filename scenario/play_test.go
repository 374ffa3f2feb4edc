package scenario_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/timeline"
)

// play parses and plays a scenario file.
func play(t *testing.T, data string) scenario.Result {
	t.Helper()
	s, err := scenario.Parse("t.json", []byte(data), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenario.Play(s)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPlayFailures(t *testing.T) {
	tests := []struct {
		name  string
		order string
		steps []string
		want  []scenario.Failure
	}{{
		name:  "every expectation holds",
		order: deliveredOrder,
		steps: []string{request, `{"expect": {"state": "pending_review", "kind": "return_refund", "refunded": "0.00",
			"decided_by": "after_sale_window", "next_deadline": "2026-03-06T20:00:00+08:00"}}`},
		want: []scenario.Failure{},
	}, {
		name:  "expectations that do not hold",
		order: deliveredOrder,
		steps: []string{request, `{"expect": {"state": "refunding", "kind": "exchange", "refunded": "1.00", "compensation": "2.00",
			"decided_by": "fast_refund", "next_deadline": "2026-03-06T20:01:00+08:00"}}`},
		want: []scenario.Failure{
			{Step: 2, Field: "state", Want: "refunding", Got: "pending_review"},
			{Step: 2, Field: "kind", Want: "exchange", Got: "return_refund"},
			{Step: 2, Field: "refunded", Want: "1.00", Got: "0.00"},
			{Step: 2, Field: "compensation", Want: "2.00", Got: "0.00"},
			{Step: 2, Field: "decided_by", Want: "fast_refund", Got: "after_sale_window"},
			{Step: 2, Field: "next_deadline", Want: "2026-03-06T20:01:00+08:00", Got: "2026-03-06T20:00:00+08:00"},
		},
	}, {
		name:  "a case that is over has no deadline and no closing decision",
		order: deliveredOrder,
		steps: []string{request, `{"after": "1h", "actor": "buyer", "action": "withdraw",
			"expect": {"closed_reason": "superseded", "decided_by": "deadlines", "next_deadline": "2026-03-06T20:00:00+08:00"}}`},
		want: []scenario.Failure{
			{Step: 2, Field: "closed_reason", Want: "superseded", Got: "withdrawn"},
			{Step: 2, Field: "decided_by", Want: "deadlines", Got: "none"},
			{Step: 2, Field: "next_deadline", Want: "2026-03-06T20:00:00+08:00", Got: "none"},
		},
	}, {
		name:  "an action that fails unexpectedly fails the scenario, and playing goes on",
		order: deliveredOrder,
		steps: []string{
			request,
			`{"after": "1h", "actor": "merchant", "action": "receive_return"}`,
			`{"expect": {"state": "pending_review"}}`,
			`{"after": "1h", "actor": "merchant", "action": "approve", "expect": {"state": "refunding"}}`,
		},
		want: []scenario.Failure{
			{Step: 2, Field: "error", Want: "no error", Got: "not_permitted: receive_return is not permitted in state pending_review"},
			{Step: 4, Field: "state", Want: "refunding", Got: "awaiting_return"},
		},
	}, {
		name:  "an expected error that does not come",
		order: deliveredOrder,
		steps: []string{`{"at": "2026-03-04T20:00:00+08:00", "actor": "buyer", "action": "request",
			"kind": "return_refund", "reason": "quality", "expect": {"error": "not_eligible", "state": "pending_review"}}`},
		want: []scenario.Failure{{Step: 1, Field: "error", Want: "not_eligible", Got: "no error: the action succeeded"}},
	}, {
		name:  "another error than expected",
		order: deliveredOrder,
		steps: []string{request, `{"actor": "merchant", "action": "reject", "expect": {"error": "not_permitted"}}`},
		want:  []scenario.Failure{{Step: 2, Field: "error", Want: "not_permitted", Got: "invalid_input: reject needs note"}},
	}, {
		name:  "the engine refuses a stray argument",
		order: deliveredOrder,
		steps: []string{request, `{"actor": "merchant", "action": "approve", "carrier": "SF"}`},
		want:  []scenario.Failure{{Step: 2, Field: "error", Want: "no error", Got: "invalid_input: carrier does not go with approve (approve takes note)"}},
	}, {
		name:  "an action on a case nobody opened is not_found",
		order: deliveredOrder,
		steps: []string{request, `{"case": "c2", "actor": "merchant", "action": "approve", "expect": {"error": "not_found"}}`},
		want:  []scenario.Failure{},
	}, {
		name:  "an expectation about a case nobody opened",
		order: deliveredOrder,
		steps: []string{request, `{"case": "c2", "expect": {"state": "pending_review"}}`},
		want:  []scenario.Failure{{Step: 2, Field: "case", Want: `a case named "c2"`, Got: "none: no request opened it"}},
	}, {
		name: "a time the order does not accept",
		order: `{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00",
			"shipped_at": "2026-03-01T18:00:00+08:00", "delivered_at": "2026-03-05T15:00:00+08:00"}`,
		steps: []string{`{"at": "2026-03-02T00:00:00+08:00"}`},
		want: []scenario.Failure{{Step: 1, Field: "at", Want: "a time the order accepts",
			Got: "clock_regressed: time 2026-03-02T00:00:00+08:00 is before the order's last event at 2026-03-05T15:00:00+08:00"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := play(t, doc(tt.order, tt.steps...))
			if diff := cmp.Diff(tt.want, res.Failures); diff != "" {
				t.Errorf("Failures (-want +got):\n%s", diff)
			}
			if res.Passed != (len(tt.want) == 0) {
				t.Errorf("Passed = %t with %d failures", res.Passed, len(res.Failures))
			}
		})
	}
}

func TestPlayTimeline(t *testing.T) {
	res := play(t, doc(`{"id": "o-1", "amount": "99.00", "paid_at": "2026-03-01T10:00:00+08:00"}`,
		`{"at": "2026-03-01T18:00:00+08:00", "actor": "system", "action": "shipped"}`,
		`{"at": "2026-03-02T09:00:00+08:00", "actor": "buyer", "action": "request", "kind": "refund_only", "reason": "late_delivery", "key": "k1"}`,
		`{"after": "1m", "actor": "buyer", "action": "request", "kind": "refund_only", "reason": "late_delivery", "key": "k1"}`,
		`{"after": "1m", "actor": "merchant", "action": "reject", "note": "on its way", "expect": {"error": "not_permitted"}}`,
		`{"at": "2026-03-08T00:00:00+08:00"}`,
		`{"after": "1h", "actor": "system", "action": "refund_succeeded"}`,
	))
	z := timeline.UTC8()
	at := func(day, hour, min int) time.Time { return time.Date(2026, 3, day, hour, min, 0, 0, z) }
	want := []scenario.Row{
		{Step: 1, At: at(1, 18, 0), Actor: aftersale.ActorSystem, Action: aftersale.ActionShipped},
		{Step: 2, At: at(2, 9, 0), Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
			Args: "refund_only late_delivery 99.00 [key k1]", Case: "c1", To: aftersale.StateIntercepting,
			Decision: aftersale.Decision{Policy: "after_sale_window"}},
		{Step: 3, At: at(2, 9, 1), Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
			Args: "refund_only late_delivery [key k1]", Case: "c1", Repeat: true},
		{Step: 4, At: at(2, 9, 2), Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject,
			Args: `"on its way"`, Case: "c1", Refused: aftersale.ErrNotPermitted},
		{Step: 5, Deadline: 1, At: at(7, 9, 0), Actor: aftersale.ActorSystem, Action: aftersale.ActionApprove, Case: "c1",
			From: aftersale.StateIntercepting, To: aftersale.StateRefunding, Decision: aftersale.Decision{Policy: "deadlines"}},
		{Step: 6, At: at(8, 1, 0), Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded,
			Args: "99.00", Case: "c1", From: aftersale.StateRefunding, To: aftersale.StateRefunded},
	}
	// The messages are the policies' and the engine's; the test checks that
	// there is one where the timeline needs it.
	opts := cmp.Options{
		cmpopts.IgnoreFields(scenario.Row{}, "Message", "MessageZh"),
		cmpopts.IgnoreFields(aftersale.Decision{}, "Rule", "Verdict", "Zh", "En"),
	}
	if diff := cmp.Diff(want, res.Timeline, opts); diff != "" {
		t.Errorf("Timeline (-want +got):\n%s", diff)
	}
	for _, r := range res.Timeline {
		if (r.Refused != 0 || r.Repeat || r.Case == "") && r.Message == "" {
			t.Errorf("step %d: row %s has no message", r.Step, r.Action)
		}
	}
	if !res.Passed {
		t.Errorf("failures: %+v", res.Failures)
	}
	if got := res.Order.Case("c1").Refunded(); got != aftersale.Yuan(99) {
		t.Errorf("Order.Case(c1).Refunded() = %s, want 99.00", got)
	}
}

func TestPlayDeadlinesBeforeAction(t *testing.T) {
	// The review ends at 03-06 20:00; a merchant's rejection stamped a
	// minute later comes too late: the case was approved already.
	res := play(t, doc(deliveredOrder, request,
		`{"at": "2026-03-06T20:01:00+08:00", "actor": "merchant", "action": "reject", "note": "late",
		  "expect": {"error": "not_permitted", "state": "awaiting_return"}}`))
	if !res.Passed {
		t.Fatalf("failures: %+v", res.Failures)
	}
	var got []aftersale.Action
	for _, r := range res.Timeline {
		got = append(got, r.Action)
	}
	want := []aftersale.Action{aftersale.ActionRequest, aftersale.ActionApprove, aftersale.ActionReject}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
}

func TestPlayTwice(t *testing.T) {
	s, err := scenario.Parse("t.json", []byte(doc(deliveredOrder, request,
		`{"after": "3d", "expect": {"state": "awaiting_return"}}`)), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	first, err := scenario.Play(s)
	if err != nil {
		t.Fatal(err)
	}
	second, err := scenario.Play(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, second, cmpopts.IgnoreFields(scenario.Result{}, "Order")); diff != "" {
		t.Errorf("the second play differs (-first +second):\n%s", diff)
	}
	if s.Order.NumCases() != 0 {
		t.Errorf("playing changed the scenario's order: %d cases", s.Order.NumCases())
	}
}

func TestPlayUnplayable(t *testing.T) {
	paid := time.Date(2026, 3, 1, 10, 0, 0, 0, timeline.UTC8())
	tests := []struct {
		name  string
		s     scenario.Scenario
		field string
	}{
		{"rules with a nil policy", scenario.Scenario{
			Rules: aftersale.Rules{Version: "v", Policies: []aftersale.Policy{nil}},
			Order: aftersale.Order{ID: "o-1", Amount: 1, PaidAt: paid},
		}, "policy"},
		{"an order without an amount", scenario.Scenario{
			Rules: policy.Default(),
			Order: aftersale.Order{ID: "o-1", PaidAt: paid},
		}, "order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.File = "hand.go"
			_, err := scenario.Play(&tt.s)
			se, ok := err.(*scenario.Error)
			if !ok {
				t.Fatalf("Play = %v (%T), want a *scenario.Error", err, err)
			}
			if se.File != "hand.go" || se.Field != tt.field {
				t.Errorf("error %q names file %q field %q, want field %q", err, se.File, se.Field, tt.field)
			}
		})
	}
}

// TestPlayRefusalSaysWhatTheActionTakes checks that a command refused for
// its arguments says which ones its action takes, in the row and in the
// failure.
func TestPlayRefusalSaysWhatTheActionTakes(t *testing.T) {
	tests := []struct {
		name string
		step string
		want string // the row's message
	}{
		{"a stray argument", `{"after": "1h", "actor": "merchant", "action": "reject", "reason": "other", "note": "no"}`,
			"reason does not go with reject (reject takes note)"},
		{"an argument given instead of the one needed", `{"after": "1h", "actor": "merchant", "action": "reject", "reason": "other"}`,
			"reject needs note (reason does not go with reject, which takes note)"},
		{"a missing argument, nothing else", `{"after": "1h", "actor": "merchant", "action": "reject"}`,
			"reject needs note"},
		{"an action that takes several", `{"after": "1h", "actor": "buyer", "action": "ship_return", "amount": "1.00", "carrier": "SF", "waybill": "SF1"}`,
			"amount does not go with ship_return (ship_return takes carrier, waybill, freight, note)"},
		{"an order fact takes none", `{"after": "1h", "actor": "system", "action": "delivered", "note": "x"}`,
			"note does not go with delivered (delivered takes none)"},
		{"other refusals are left as they are", `{"after": "1h", "actor": "buyer", "action": "rule", "ruling": "buyer"}`,
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := play(t, doc(deliveredOrder, request, tt.step))
			if len(res.Timeline) != 2 || len(res.Failures) != 1 {
				t.Fatalf("timeline %+v, failures %+v: want the request's row and a refusal", res.Timeline, res.Failures)
			}
			row, f := res.Timeline[1], res.Failures[0]
			if tt.want == "" {
				if strings.Contains(row.Message, "takes") {
					t.Errorf("message %q: want no hint", row.Message)
				}
				return
			}
			if row.Message != tt.want {
				t.Errorf("message %q, want %q", row.Message, tt.want)
			}
			if !strings.HasSuffix(f.Got, tt.want) {
				t.Errorf("failure %q does not end in %q", f.Got, tt.want)
			}
		})
	}
}

// TestPlayWarnings checks which rows are warnings: a decision with verdict
// deny on an event that happened (a compensation refused, a veto, a
// promise broken), named by rule id; never a refused action, which says
// so itself, nor a decision that allows.
func TestPlayWarnings(t *testing.T) {
	insured := `{"id": "o-1", "amount": "299.00", "paid_at": "2026-03-01T10:00:00+08:00",
		"shipped_at": "2026-03-01T18:00:00+08:00", "delivered_at": "2026-03-03T15:00:00+08:00", "flags": ["freight_insurance"]}`
	noReason := `{"at": "2026-03-04T20:00:00+08:00", "actor": "buyer", "action": "request", "kind": "return_refund", "reason": "no_reason"}`
	back := []string{
		`{"after": "1h", "actor": "merchant", "action": "approve"}`,
		`{"after": "1h", "actor": "buyer", "action": "ship_return", "carrier": "YTO", "waybill": "YT1", "freight": "10.00"}`,
		`{"after": "1d", "actor": "merchant", "action": "receive_return"}`,
	}
	tests := []struct {
		name   string
		policy string
		order  string
		steps  []string
		want   map[int][]string // the warnings by row, counting from 0
	}{
		{"a designated carrier refused", `{"freight_subsidy": {"carriers": ["SF", "JD"]}}`, insured,
			append([]string{noReason}, back...), map[int][]string{3: {"freight_subsidy.carrier"}}},
		{"any carrier: the insurance pays, no warning", ``, insured,
			append([]string{noReason}, back...), map[int][]string{}},
		{"no insurance: the buyer pays the freight", ``, deliveredOrder,
			append([]string{noReason}, back...), map[int][]string{3: {"freight_subsidy.buyer_pays"}}},
		{"a refused request is no warning", ``, deliveredOrder,
			[]string{`{"at": "2026-03-20T20:00:00+08:00", "actor": "buyer", "action": "request", "kind": "return_refund", "reason": "no_reason",
				"expect": {"error": "not_eligible"}}`}, map[int][]string{}},
		{"a broken promise", ``, `{"id": "o-1", "amount": "10.00", "paid_at": "2026-03-01T10:00:00+08:00"}`,
			[]string{`{"after": "1h", "actor": "buyer", "action": "request", "kind": "refund_only", "reason": "other"}`,
				`{"after": "1h", "actor": "merchant", "action": "approve"}`, `{"after": "12d"}`},
			map[int][]string{2: {"deadlines.refund_sla"}, 3: {"deadlines.refund_sla"}, 4: {"deadlines.refund_sla"}}}, // and again every 24 hours
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := doc(tt.order, tt.steps...)
			if tt.policy != "" {
				data = `{"policy": ` + tt.policy + `,` + data[1:]
			}
			res := play(t, data)
			if !res.Passed {
				t.Fatalf("failures: %+v", res.Failures)
			}
			got := map[int][]string{}
			for i, r := range res.Timeline {
				if r.Warnings != nil {
					got[i] = r.Warnings
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("warnings by row (-want +got):\n%s", diff)
			}
		})
	}
}
