package scenario_test

import (
	"errors"
	"io/fs"
	"path/filepath"
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

// deliveredOrder is an order shipped and delivered, for test files.
const deliveredOrder = `{"id": "o-1", "amount": "299.00", "paid_at": "2026-03-01T10:00:00+08:00",
	"shipped_at": "2026-03-01T18:00:00+08:00", "delivered_at": "2026-03-03T15:00:00+08:00"}`

// doc builds a scenario file from its order and steps.
func doc(order string, steps ...string) string {
	return `{"name": "test", "order": ` + order + `, "steps": [` + strings.Join(steps, ",\n") + `]}`
}

// request is a valid first step.
const request = `{"at": "2026-03-04T20:00:00+08:00", "actor": "buyer", "action": "request", "kind": "return_refund", "reason": "quality"}`

func TestParseStrict(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		step  int
		field string
		msg   string // a part of the error's text
		is    error  // if set, errors.Is(err, is) must hold
	}{
		{"not JSON", `{"name": "x",`, 0, "", "line 1, column 14: unexpected end of JSON input", nil},
		{"empty file", " \n", 0, "", "the file is empty", nil},
		{"not an object", `[1]`, 0, "", "a scenario is a JSON object, not an array", nil},
		{"policy not an object", `{"name": "x", "policy": ["fast_refund"]}`, 0, "policy", "policy (parameters by policy name) is a JSON object, not an array", nil},
		{"trailing data", doc(deliveredOrder, request) + ` {}`, 0, "", "invalid character '{' after top-level value", nil},
		{"unknown top field", `{"name": "x", "nmae": "y"}`, 0, "nmae", "unknown field; a scenario has name, zone, policy, sweep, order, buyer_refunds, steps", nil},
		{"no name", `{"order": ` + deliveredOrder + `, "steps": [` + request + `]}`, 0, "name", "is required", nil},
		{"empty name", `{"name": "", "order": ` + deliveredOrder + `, "steps": [` + request + `]}`, 0, "name", "say in words what the scenario shows", nil},
		{"name not a string", `{"name": 7}`, 0, "name", "must be a string, not a number", nil},
		{"bad zone", `{"name": "x", "zone": "Asia/Shanghai"}`, 0, "zone", `"Asia/Shanghai" is not an offset like "+08:00"`, nil},
		{"no order", `{"name": "x", "steps": []}`, 0, "order", "is required: an order is a JSON object", nil},
		{"unknown order field", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00", "paid": "1.00"}`, request),
			0, "order.paid", "unknown field; an order has id, buyer, amount", nil},
		{"money as a number", doc(`{"id": "o-1", "amount": 299, "paid_at": "2026-03-01T10:00:00+08:00"}`, request),
			0, "order.amount", `money: 299 must be a string such as "299.00"`, aftersale.ErrInvalidInput},
		{"money with three decimals", doc(`{"id": "o-1", "amount": "29.999", "paid_at": "2026-03-01T10:00:00+08:00"}`, request),
			0, "order.amount", `money: "29.999" needs one or two decimals`, aftersale.ErrInvalidInput},
		{"bad time", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01 10:00"}`, request),
			0, "order.paid_at", `"2026-03-01 10:00" is not an RFC 3339 time`, nil},
		{"time without offset", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00"}`, request),
			0, "order.paid_at", "is not an RFC 3339 time", nil},
		{"unknown category", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00", "category": "food"}`, request),
			0, "order.category", `unknown category "food"; one of general, custom, perishable, digital, periodical`, aftersale.ErrInvalidInput},
		{"unknown flag", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00", "flags": ["vip"]}`, request),
			0, "order.flags", "unknown order flag vip; known flags: freight_insurance, fast_refund, no_reason_waived", aftersale.ErrInvalidInput},
		{"unknown tag", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00", "tags": ["30d"]}`, request),
			0, "order.tags", "unknown goods tag 30d; known tags: guaranteed_return_30d", aftersale.ErrInvalidInput},
		{"unknown line field", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00",
			"lines": [{"id": "l1", "quantity": 1, "paid": "1.00", "price": "1.00"}]}`, request),
			0, "order.lines[0].price", "unknown field; an order line has id, sku, quantity, paid", nil},
		{"fractional quantity", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00",
			"lines": [{"id": "l1", "quantity": 1.5, "paid": "1.00"}]}`, request),
			0, "order.lines[0].quantity", "must be a whole number, not 1.5", nil},
		{"lines that do not add up", doc(`{"id": "o-1", "amount": "2.00", "paid_at": "2026-03-01T10:00:00+08:00",
			"lines": [{"id": "l1", "quantity": 1, "paid": "1.00"}]}`, request),
			0, "order", "lines add up to 1.00, not the amount paid 2.00", aftersale.ErrInvalidInput},
		{"delivered before shipped", doc(`{"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00",
			"delivered_at": "2026-03-02T10:00:00+08:00"}`, request),
			0, "order", "delivered but never shipped", aftersale.ErrInvalidInput},
		{"unknown policy", `{"name": "x", "policy": {"fast_refunds": {}}}`, 0, "policy.fast_refunds",
			"unknown policy; the default rules have unshipped_refund, guaranteed_return_30d, seven_day_no_reason", nil},
		{"unknown policy parameter", `{"name": "x", "policy": {"freight_subsidy": {"kap": "30.00"}}}`, 0, "policy.freight_subsidy.kap",
			"unknown parameter; freight_subsidy has cap, window_days, carriers", aftersale.ErrInvalidInput},
		{"unknown parameter of a policy with its own JSON form", `{"name": "x", "policy": {"fast_refund": {"withn": "3h"}}}`, 0, "policy.fast_refund.withn",
			"unknown parameter; fast_refund has within, below", aftersale.ErrInvalidInput},
		{"abuse guard history is not a parameter", `{"name": "x", "policy": {"abuse_guard": {"history": []}}}`, 0, "policy.abuse_guard.history",
			"unknown parameter; abuse_guard has max_refunds, days", aftersale.ErrInvalidInput},
		{"unknown deadline", `{"name": "x", "policy": {"deadlines": {"ship_return": "3d"}}}`, 0, "policy.deadlines.ship_return",
			"unknown parameter; deadlines has review, interception, return, return_transit, negotiation, escalation, reship, repair, reship_transit, " +
				"guaranteed_refund, no_reason_refund, refund_days, arbitration_days, refund_failed, realert, calendar", aftersale.ErrInvalidInput},
		{"deadline names match ignoring case", `{"name": "x", "policy": {"deadlines": {"Review": "3d", "ship_return": "3d"}}}`, 0, "policy.deadlines.ship_return",
			"unknown parameter; deadlines has review,", aftersale.ErrInvalidInput},
		{"unknown calendar field", `{"name": "x", "policy": {"deadlines": {"calendar": {"holiday": []}}}}`, 0, "policy.deadlines.calendar.holiday",
			"unknown field; a calendar has holidays, workdays", aftersale.ErrInvalidInput},
		{"unknown excluded category", `{"name": "x", "policy": {"seven_day_no_reason": {"excluded": ["custom", "food"]}}}`, 0,
			"policy.seven_day_no_reason.excluded[1]", `unknown category "food"; one of general, custom, perishable, digital, periodical`, aftersale.ErrInvalidInput},
		{"bad policy parameter", `{"name": "x", "policy": {"freight_subsidy": {"cap": 30}}}`, 0, "policy.freight_subsidy",
			"must be a string", aftersale.ErrInvalidInput},
		{"bad deadline", `{"name": "x", "policy": {"deadlines": {"review": "two days"}}}`, 0, "policy.deadlines",
			`duration "two days"`, aftersale.ErrInvalidInput},
		{"parameter of a policy without any", `{"name": "x", "policy": {"unshipped_refund": {"days": 3}}}`, 0, "policy.unshipped_refund.days",
			"unknown parameter; unshipped_refund takes none", nil},
		{"buyer_refunds without a buyer", `{"name": "x", "order": ` + deliveredOrder + `, "buyer_refunds": []}`, 0, "buyer_refunds",
			"needs order.buyer", nil},
		{"buyer_refunds without the abuse guard", `{"name": "x", "policy": {"abuse_guard": null}, "order": ` + deliveredOrder + `, "buyer_refunds": []}`,
			0, "buyer_refunds", "needs the abuse_guard policy", nil},
		{"no steps", `{"name": "x", "order": ` + deliveredOrder + `}`, 0, "steps", "is required", nil},
		{"empty steps", doc(deliveredOrder), 0, "steps", "a scenario needs at least one step", nil},
		{"steps not an array", `{"name": "x", "order": ` + deliveredOrder + `, "steps": {}}`, 0, "steps", "must be an array, not an object", nil},

		{"a field twice", doc(deliveredOrder, request, `{"after": "1h", "expect": {"state": "rejected"}, "expect": {"state": "closed"}}`),
			2, "expect", "appears twice in a step", nil},
		{"unknown step field", doc(deliveredOrder, request, `{"after": "1h", "actor": "buyer", "action": "ship_return", "waybil": "SF1"}`),
			2, "waybil", "unknown field; a step has at, after, actor, action, case", nil},
		{"unknown action", doc(deliveredOrder, `{"actor": "buyer", "action": "refund"}`),
			1, "action", `unknown action "refund"; one of request, approve`, aftersale.ErrInvalidInput},
		{"unknown actor", doc(deliveredOrder, `{"actor": "customer", "action": "request"}`),
			1, "actor", `unknown actor "customer"; one of buyer, merchant, platform, system`, aftersale.ErrInvalidInput},
		{"unknown kind", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "kind": "refund"}`),
			1, "kind", `unknown kind "refund"; one of refund_only, return_refund, exchange, reissue, repair`, aftersale.ErrInvalidInput},
		{"unknown reason", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "kind": "refund_only", "reason": "bored"}`),
			1, "reason", `unknown reason "bored"`, aftersale.ErrInvalidInput},
		{"unknown ruling", doc(deliveredOrder, request, `{"actor": "platform", "action": "rule", "ruling": "platform"}`),
			2, "ruling", `unknown ruling "platform"; one of buyer, merchant`, aftersale.ErrInvalidInput},
		{"bad amount", doc(deliveredOrder, request, `{"after": "1h", "actor": "merchant", "action": "propose", "amount": "29.999"}`),
			2, "amount", `money: "29.999" needs one or two decimals`, aftersale.ErrInvalidInput},
		{"return_goods not a boolean", doc(deliveredOrder, request, `{"actor": "platform", "action": "rule", "ruling": "buyer", "return_goods": "yes"}`),
			2, "return_goods", `must be true or false, not "yes"`, nil},
		{"quantity as an object", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "lines": [{"line": "l1", "quantity": {"n": 1}}]}`),
			1, "lines[0].quantity", "must be a whole number, not an object", nil},
		{"empty note", doc(deliveredOrder, request, `{"actor": "merchant", "action": "reject", "note": ""}`),
			2, "note", "must not be empty", nil},
		{"unknown units field", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "kind": "refund_only", "reason": "quality", "lines": [{"id": "l1"}]}`),
			1, "lines[0].id", "unknown field; a line of a request has line, quantity", nil},
		{"no units", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "kind": "refund_only", "reason": "quality", "lines": []}`),
			1, "lines", "names no line", nil},
		{"a line's field twice", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "lines": [{"line": "l1", "line": "l2", "quantity": 1}]}`),
			1, "lines[0].line", "appears twice", aftersale.ErrInvalidInput},
		{"zero money", doc(deliveredOrder, request, `{"actor": "merchant", "action": "propose", "amount": "0.00"}`),
			2, "amount", `"0.00" is zero, which means not set; leave the field out instead`, aftersale.ErrInvalidInput},
		{"return_goods false", doc(deliveredOrder, request, `{"actor": "platform", "action": "rule", "ruling": "buyer", "return_goods": false}`),
			2, "return_goods", "false means not set; leave the field out instead", aftersale.ErrInvalidInput},
		{"version 0", doc(deliveredOrder, request, `{"actor": "merchant", "action": "approve", "version": 0}`),
			2, "version", "0 means not set", aftersale.ErrInvalidInput},
		{"a fractional version", doc(deliveredOrder, request, `{"actor": "merchant", "action": "approve", "version": 1.5}`),
			2, "version", "must be a whole number, not 1.5", aftersale.ErrInvalidInput},
		{"a deadline's action", doc(deliveredOrder, request, `{"actor": "system", "action": "expire"}`),
			2, "action", "expire happens only when a deadline passes; move the clock with at or after instead", nil},
		{"version without action", doc(deliveredOrder, `{"after": "1h", "version": 1}`), 1, "version", "goes with an action", nil},
		{"at and after", doc(deliveredOrder, `{"at": "2026-03-04T20:00:00+08:00", "after": "1h"}`),
			1, "after", "a step moves the clock with at or with after, not both", nil},
		{"bad at", doc(deliveredOrder, `{"at": "yesterday"}`), 1, "at", `"yesterday" is not an RFC 3339 time`, nil},
		{"bad after", doc(deliveredOrder, `{"after": "1w"}`), 1, "after", `duration "1w" is neither like "48h" nor like "10d"`, nil},
		{"negative after", doc(deliveredOrder, `{"after": "-1h"}`), 1, "after", `duration "-1h" has a sign`, nil},
		{"time going back", doc(deliveredOrder, request, `{"at": "2026-03-04T19:59:00+08:00"}`),
			2, "at", "2026-03-04T19:59:00+08:00 is before 2026-03-04T20:00:00+08:00, where the clock already is", nil},
		{"before payment", doc(deliveredOrder, `{"at": "2026-03-01T09:00:00+08:00"}`),
			1, "at", "is before 2026-03-01T10:00:00+08:00", nil},
		{"step doing nothing", doc(deliveredOrder, `{}`), 1, "", "does nothing", nil},
		{"action without actor", doc(deliveredOrder, `{"action": "request"}`), 1, "actor", "an action needs an actor", nil},
		{"actor without action", doc(deliveredOrder, `{"actor": "buyer"}`), 1, "action", "an actor needs an action", nil},
		{"argument without action", doc(deliveredOrder, `{"after": "1h", "amount": "1.00"}`), 1, "amount", "goes with an action", nil},
		{"case alone", doc(deliveredOrder, `{"after": "1h", "case": "c2"}`), 1, "case", "names the case an action or expect addresses", nil},
		{"empty case", doc(deliveredOrder, `{"case": "", "expect": {"state": "closed"}}`), 1, "case", "must not be empty", nil},

		{"unknown expect field", doc(deliveredOrder, request, `{"expect": {"status": "refunded"}}`),
			2, "expect.status", "unknown field; an expect has state, kind, closed_reason", nil},
		{"empty expect", doc(deliveredOrder, request, `{"expect": {}}`), 2, "expect", "expects nothing", nil},
		{"unknown state", doc(deliveredOrder, request, `{"expect": {"state": "done"}}`),
			2, "expect.state", `unknown state "done"; one of pending_review`, aftersale.ErrInvalidInput},
		{"unknown closed reason", doc(deliveredOrder, request, `{"expect": {"closed_reason": "timeout"}}`),
			2, "expect.closed_reason", `unknown closed reason "timeout"`, aftersale.ErrInvalidInput},
		{"unknown error code", doc(deliveredOrder, `{"actor": "buyer", "action": "request", "expect": {"error": "denied"}}`),
			1, "expect.error", `unknown error code "denied"; one of not_eligible, not_permitted, invalid_input, conflict, clock_regressed, not_found`, aftersale.ErrInvalidInput},
		{"error without action", doc(deliveredOrder, request, `{"expect": {"error": "not_permitted"}}`),
			2, "expect.error", "checks the outcome of the step's action, and this step has none", nil},
		{"refunded as a number", doc(deliveredOrder, request, `{"expect": {"refunded": 0}}`),
			2, "expect.refunded", "must be a string", aftersale.ErrInvalidInput},
		{"decided_by an unknown policy", doc(deliveredOrder, request, `{"expect": {"decided_by": "seven_days"}}`),
			2, "expect.decided_by", `"seven_days" is not a policy of the scenario's rules`, nil},
		{"decided_by a dropped policy", `{"name": "x", "policy": {"fast_refund": null}, "order": ` + deliveredOrder +
			`, "steps": [` + request + `, {"expect": {"decided_by": "fast_refund"}}]}`,
			2, "expect.decided_by", `"fast_refund" is not a policy of the scenario's rules`, nil},
		{"bad next_deadline", doc(deliveredOrder, request, `{"expect": {"next_deadline": "2026-03-06"}}`),
			2, "expect.next_deadline", "is not an RFC 3339 time", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("t.json", []byte(tt.data), policy.Default())
			if err == nil {
				t.Fatalf("Parse succeeded with %d steps; want an error", len(s.Steps))
			}
			var se *scenario.Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T) is not a *scenario.Error", err, err)
			}
			type where struct {
				File  string
				Step  int
				Field string
			}
			if diff := cmp.Diff(where{"t.json", tt.step, tt.field}, where{se.File, se.Step, se.Field}); diff != "" {
				t.Errorf("error %q in the wrong place (-want +got):\n%s", err, diff)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%q, %v) is false", err, tt.is)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  scenario.Error
		want string
	}{
		{scenario.Error{File: "fast.json", Step: 3, Field: "amount", Err: mustMoneyError("29.999")},
			`fast.json: step 3: field "amount": money: "29.999" needs one or two decimals`},
		{scenario.Error{File: "fast.json", Field: "order.id", Err: errors.New("must not be empty")},
			`fast.json: field "order.id": must not be empty`},
		{scenario.Error{File: "fast.json", Step: 2, Err: errors.New("does nothing")},
			`fast.json: step 2: does nothing`},
		{scenario.Error{File: "fast.json", Err: fs.ErrNotExist},
			`fast.json: file does not exist`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func mustMoneyError(s string) error {
	_, err := aftersale.ParseMoney(s)
	if err == nil {
		panic("ParseMoney(" + s + ") succeeded")
	}
	return err
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.json")
	_, err := scenario.Load(path, policy.Default())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want fs.ErrNotExist", err)
	}
	if want := path + ": no such file or directory"; err.Error() != want {
		t.Errorf("Load(missing) = %q, want %q", err, want)
	}
}

func TestParse(t *testing.T) {
	data := `{
	  "name": "everything a file can say",
	  "zone": "-05:00",
	  "policy": {"freight_subsidy": {"cap": "30.00"}, "fast_refund": null, "deadlines": {"review": "72h"}},
	  "order": {"id": "o-1", "buyer": "b-1", "amount": "100.00", "paid_at": "2026-03-01T10:00:00-05:00",
	            "shipped_at": null, "category": "digital", "flags": ["freight_insurance"], "tags": ["guaranteed_return_30d"],
	            "lines": [{"id": "l1", "sku": "A", "quantity": 3, "paid": "100.00"}]},
	  "buyer_refunds": ["2026-02-20T10:00:00-05:00"],
	  "steps": [
	    {"after": "2h", "actor": "buyer", "action": "request", "kind": "refund_only", "reason": "quality",
	     "lines": [{"line": "l1", "quantity": 1}], "key": "k1", "note": "n"},
	    {"after": "1d", "case": "c2", "expect": {"state": "refunding", "kind": "refund_only", "closed_reason": "withdrawn",
	     "refunded": "0.00", "compensation": "1.50", "decided_by": "deadlines", "next_deadline": "2026-03-04T10:00:00Z"}},
	    {"at": "2026-03-05T00:00:00-05:00", "actor": "system", "action": "shipped", "case": "c2"},
	    {"actor": "platform", "action": "rule", "ruling": "buyer", "amount": "5", "return_goods": true,
	     "expect": {"error": "not_permitted"}},
	    {"actor": "buyer", "action": "ship_return", "carrier": "SF", "waybill": "SF1", "freight": "8.5", "version": 4}
	  ]
	}`
	s, err := scenario.Parse("all.json", []byte(data), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	zone := time.FixedZone("", -5*3600)
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, zone) }
	money := func(s string) *aftersale.Money {
		m, err := aftersale.ParseMoney(s)
		if err != nil {
			t.Fatal(err)
		}
		return &m
	}

	if s.Name != "everything a file can say" || s.File != "all.json" {
		t.Errorf("Name, File = %q, %q", s.Name, s.File)
	}
	if _, offset := at(1, 0).In(s.Zone).Zone(); offset != -5*3600 {
		t.Errorf("zone offset = %d, want -5h", offset)
	}
	wantOrder := aftersale.Order{
		ID: "o-1", Buyer: "b-1", Amount: aftersale.Yuan(100), PaidAt: at(1, 10),
		Category: aftersale.CategoryDigital, Flags: aftersale.FlagFreightInsurance, Tags: aftersale.TagGuaranteedReturn,
		Lines: []aftersale.Line{{ID: "l1", SKU: "A", Quantity: 3, Paid: aftersale.Yuan(100)}},
	}
	if diff := cmp.Diff(wantOrder, s.Order, cmpopts.IgnoreUnexported(aftersale.Order{})); diff != "" {
		t.Errorf("Order (-want +got):\n%s", diff)
	}

	if p := s.Rules.Lookup("fast_refund"); p != nil {
		t.Errorf("fast_refund is still in the rules: %#v", p)
	}
	if fs := s.Rules.Lookup("freight_subsidy").(*policy.FreightSubsidy); fs.Cap != aftersale.Yuan(30) || fs.WindowDays != 0 {
		t.Errorf("freight_subsidy = %+v, want the cap changed only", fs)
	}
	if d := s.Rules.Lookup("deadlines").(*aftersale.Deadlines); d.Review != 72*time.Hour || d.Return != 0 {
		t.Errorf("deadlines = %+v, want the review changed only", d)
	}
	guard := s.Rules.Lookup("abuse_guard").(*policy.AbuseGuard)
	if n := guard.History.Refunds("b-1", at(1, 0).AddDate(0, -1, 0), at(1, 0)); n != 1 {
		t.Errorf("the abuse guard counts %d refunds of b-1, want 1", n)
	}
	if len(policy.Default().Policies) != len(s.Rules.Policies)+1 {
		t.Errorf("rules have %d policies, want the default set less one", len(s.Rules.Policies))
	}

	wantSteps := []scenario.Step{
		{At: at(1, 12), Command: aftersale.Command{
			Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
			Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonQuality,
			Lines: []aftersale.Units{{Line: "l1", Quantity: 1}}, Key: "k1", Note: "n",
		}},
		{At: at(2, 12), Expect: scenario.Expect{
			Case: "c2", State: aftersale.StateRefunding, Kind: aftersale.KindRefundOnly, ClosedReason: aftersale.ClosedWithdrawn,
			Refunded: money("0"), Compensation: money("1.50"), DecidedBy: "deadlines",
			NextDeadline: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC),
		}},
		{At: at(5, 0), Command: aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionShipped}},
		{At: at(5, 0), Command: aftersale.Command{
			Case: "c1", Actor: aftersale.ActorPlatform, Action: aftersale.ActionRule,
			Ruling: aftersale.RulingForBuyer, Amount: aftersale.Yuan(5), ReturnGoods: true,
		}, Expect: scenario.Expect{Case: "c1", Error: aftersale.ErrNotPermitted}},
		{At: at(5, 0), Command: aftersale.Command{
			Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn,
			Carrier: "SF", Waybill: "SF1", Freight: aftersale.Fen(850), Version: 4,
		}},
	}
	if diff := cmp.Diff(wantSteps, s.Steps); diff != "" {
		t.Errorf("Steps (-want +got):\n%s", diff)
	}
}

func TestParseZones(t *testing.T) {
	tests := []struct {
		zone   string
		offset int
	}{
		{"", 8 * 3600},
		{`"zone": "+08:00",`, 8 * 3600},
		{`"zone": "Z",`, 0},
		{`"zone": "UTC",`, 0},
		{`"zone": "+05:30",`, 5*3600 + 1800},
		{`"zone": "-03:00",`, -3 * 3600},
	}
	for _, tt := range tests {
		s, err := scenario.Parse("z.json", []byte(`{"name": "z", `+tt.zone+` "order": `+deliveredOrder+`, "steps": [`+request+`]}`), policy.Default())
		if err != nil {
			t.Errorf("%s: %v", tt.zone, err)
			continue
		}
		if _, offset := time.Now().In(s.Zone).Zone(); offset != tt.offset {
			t.Errorf("%s: offset %d, want %d", tt.zone, offset, tt.offset)
		}
	}
	s, err := scenario.Parse("z.json", []byte(doc(deliveredOrder, request)), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Zone.String(), timeline.UTC8().String(); got != want {
		t.Errorf("default zone = %s, want %s", got, want)
	}
}

// TestParseUnderAHostsRules plays a file under a host's own rule set: the
// file's overrides apply to it, and the host's policies stay as they were.
func TestParseUnderAHostsRules(t *testing.T) {
	base := policy.Default().Without("fast_refund")
	data := `{"name": "host rules", "policy": {"deadlines": {"review": "72h"}}, "order": ` + deliveredOrder + `,
		"steps": [` + request + `, {"after": "71h59m", "expect": {"state": "pending_review"}},
		{"after": "1m", "expect": {"state": "awaiting_return", "decided_by": "deadlines"}}]}`
	s, err := scenario.Parse("h.json", []byte(data), base)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rules.Lookup("fast_refund") != nil {
		t.Error("the scenario's rules have fast_refund, which the host's set does not")
	}
	if got := s.Rules.Lookup("deadlines").(*aftersale.Deadlines).Review; got != 72*time.Hour {
		t.Errorf("the scenario's review deadline is %v, want 72h", got)
	}
	if got := base.Lookup("deadlines").(*aftersale.Deadlines).Review; got != 0 {
		t.Errorf("the host's own deadlines policy was changed: review %v", got)
	}
	res, err := scenario.Play(s)
	if err != nil || !res.Passed {
		t.Fatalf("Play: %v, passed %v: %+v", err, res.Passed, res.Failures)
	}
}

// TestParseLeavesBaseAlone checks that a file's buyer_refunds go to the
// scenario's own copy of the abuse guard, not to the base rules', which
// the next file parsed under them would otherwise count too.
func TestParseLeavesBaseAlone(t *testing.T) {
	base := policy.Default()
	data := `{"name": "x", "order": {"id": "o-1", "buyer": "b-1", "amount": "10.00", "paid_at": "2026-03-01T10:00:00+08:00"},
		"buyer_refunds": ["2026-02-20T10:00:00+08:00"], "steps": [{"after": "1h"}]}`
	s, err := scenario.Parse("t.json", []byte(data), base)
	if err != nil {
		t.Fatal(err)
	}
	if h := base.Lookup("abuse_guard").(*policy.AbuseGuard).History; h != nil {
		t.Errorf("the base rules' abuse guard got the file's history: %v", h)
	}
	if h := s.Rules.Lookup("abuse_guard").(*policy.AbuseGuard).History; h == nil {
		t.Error("the scenario's abuse guard has no history")
	}
}
