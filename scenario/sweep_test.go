package scenario_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/timeline"
)

// values writes a sweep's values as one string, to compare.
func values(sw scenario.Sweep) string {
	parts := make([]string, len(sw.Values))
	for i, v := range sw.Values {
		parts[i] = string(v)
	}
	return strings.Join(parts, " ")
}

func TestParseSweep(t *testing.T) {
	tests := []struct {
		text   string
		key    string
		values string // the values' JSON, space separated
	}{
		{"deadlines.review=12h,24h,36h,48h", "deadlines.review", `"12h" "24h" "36h" "48h"`},
		{"deadlines.review=\"12h\", 2d ", "deadlines.review", `"12h" "2d"`},
		{"deadlines.Review=12h", "deadlines.review", `"12h"`},                               // the policy's own spelling
		{"freight_subsidy.cap=10.00,20,30.5", "freight_subsidy.cap", `"10.00" "20" "30.5"`}, // money is a string
		{"freight_subsidy.window_days=7,15", "freight_subsidy.window_days", `7 15`},         // days are numbers
		{"deadlines.refund_days=3,5", "deadlines.refund_days", `3 5`},
		{"auto_approve.enabled=true,false", "auto_approve.enabled", `true false`},
		{`freight_subsidy.carriers=[],["SF"],["SF", "JD"]`, "freight_subsidy.carriers", `[] ["SF"] ["SF", "JD"]`},
		{`seven_day_no_reason.excluded=["custom"],[]`, "seven_day_no_reason.excluded", `["custom"] []`},
		{`deadlines.calendar={"holidays": ["2026-10-01", "2026-10-02"]}`, "deadlines.calendar", `{"holidays": ["2026-10-01", "2026-10-02"]}`},
		{`fast_refund.within="3h",6h`, "fast_refund.within", `"3h" "6h"`},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			sw, err := scenario.ParseSweep(tt.text, policy.Default())
			if err != nil {
				t.Fatal(err)
			}
			if sw.Key() != tt.key || values(sw) != tt.values {
				t.Errorf("ParseSweep = %s %s, want %s %s", sw.Key(), values(sw), tt.key, tt.values)
			}
		})
	}
}

func TestParseSweepBad(t *testing.T) {
	tests := []struct {
		text  string
		field string
		msg   string // the whole error
		is    error  // if set, errors.Is(err, is) must hold
	}{
		{"deadlines.review", "-sweep",
			`-sweep: "deadlines.review": want <policy>.<parameter>=<value>,<value>,..., such as deadlines.review=24h,48h`, nil},
		{"=12h", "-sweep", `-sweep: "=12h": want <policy>.<parameter>=<value>,<value>,..., such as deadlines.review=24h,48h`, nil},
		{"review=12h", "-sweep review", "-sweep review: want <policy>.<parameter>, such as deadlines.review", nil},
		{"deadlines.=12h", "-sweep deadlines.", "-sweep deadlines.: want <policy>.<parameter>, such as deadlines.review", nil},
		{"deadlines.review=", "-sweep deadlines.review", "-sweep deadlines.review: value 1 is empty: want <value>,<value>,...", nil},
		{"deadlines.review=1h,,2h", "-sweep deadlines.review", "-sweep deadlines.review: value 2 is empty: want <value>,<value>,...", nil},
		{`freight_subsidy.carriers=["SF"`, "-sweep freight_subsidy.carriers", "-sweep freight_subsidy.carriers: a bracket, brace or quote is not closed", nil},
		{"freight.cap=30.00", "-sweep freight.cap",
			"-sweep freight.cap: unknown policy; the default rules have unshipped_refund, guaranteed_return_30d, seven_day_no_reason, after_sale_window, " +
				"repair_warranty, resubmission, fast_refund, auto_approve, abuse_guard, freight_subsidy, deadlines", nil},
		{"deadlines.ship_return=3d", "-sweep deadlines.ship_return",
			"-sweep deadlines.ship_return: unknown parameter; deadlines has review, interception, return, return_transit, negotiation, escalation, reship, " +
				"repair, reship_transit, guaranteed_refund, no_reason_refund, refund_days, arbitration_days, refund_failed, realert, calendar", aftersale.ErrInvalidInput},
		{"freight_subsidy.kap=30.00", "-sweep freight_subsidy.kap",
			"-sweep freight_subsidy.kap: unknown parameter; freight_subsidy has cap, window_days, carriers", aftersale.ErrInvalidInput},
		{"unshipped_refund.days=3", "-sweep unshipped_refund.days", "-sweep unshipped_refund.days: unknown parameter; unshipped_refund takes none", nil},
		{"deadlines.review=12h,2 days", "-sweep deadlines.review=2 days",
			`-sweep deadlines.review=2 days: deadlines: review: timeline: duration "2 days" is neither like "48h" nor like "10d"`, aftersale.ErrInvalidInput},
		{"freight_subsidy.cap=30.001", "-sweep freight_subsidy.cap=30.001",
			`-sweep freight_subsidy.cap=30.001: policy freight_subsidy: aftersale: invalid_input: money: "30.001" needs one or two decimals`, aftersale.ErrInvalidInput},
		{"freight_subsidy.cap=-1.00", "-sweep freight_subsidy.cap=-1.00", `-sweep freight_subsidy.cap=-1.00: policy freight_subsidy: aftersale: invalid_input: money: "-1.00" does not start with a digit`, aftersale.ErrInvalidInput},
		{"freight_subsidy.window_days=7,a week", "-sweep freight_subsidy.window_days=a week",
			"-sweep freight_subsidy.window_days=a week: policy freight_subsidy: json: cannot unmarshal string into Go struct field plain.window_days of type int", aftersale.ErrInvalidInput},
		{"deadlines.refund_days=2.5", "-sweep deadlines.refund_days=2.5",
			"-sweep deadlines.refund_days=2.5: deadlines: refund_days: json: cannot unmarshal number 2.5 into Go value of type int", aftersale.ErrInvalidInput},
		{"freight_subsidy.carriers=SF", "-sweep freight_subsidy.carriers=SF",
			"-sweep freight_subsidy.carriers=SF: policy freight_subsidy: json: cannot unmarshal string into Go struct field plain.carriers of type []string", aftersale.ErrInvalidInput},
		{`seven_day_no_reason.excluded=["custom","food"]`, `-sweep seven_day_no_reason.excluded=["custom","food"][1]`,
			`-sweep seven_day_no_reason.excluded=["custom","food"][1]: unknown category "food"; one of general, custom, perishable, digital, periodical`, aftersale.ErrInvalidInput},
		{"deadlines.review=12h,24h,12h", "-sweep deadlines.review=12h", "-sweep deadlines.review=12h: appears twice in the sweep; give each value once", nil},
		{"resubmission.max_cases=-1", "-sweep resubmission.max_cases=-1", "-sweep resubmission.max_cases=-1: policy resubmission:", aftersale.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			_, err := scenario.ParseSweep(tt.text, policy.Default())
			var se *scenario.Error
			if !errors.As(err, &se) {
				t.Fatalf("ParseSweep = %v (%T), want a *scenario.Error", err, err)
			}
			if se.File != "" || se.Field != tt.field {
				t.Errorf("error %q names file %q field %q, want field %q", err, se.File, se.Field, tt.field)
			}
			if !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("error\n%s\nwant\n%s", err, tt.msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%q, %v) is false", err, tt.is)
			}
		})
	}
}

// sweepFile is a file whose "policy" sets two parameters of the freight
// insurance and whose "sweep" is given.
func sweepFile(sweep string) string {
	return `{"name": "s", "policy": {"freight_subsidy": {"cap": "20.00", "window_days": 3}, "fast_refund": null},` +
		` "sweep": ` + sweep + `, "order": ` + deliveredOrder + `, "steps": [` + request + `]}`
}

func TestParseFileSweep(t *testing.T) {
	tests := []struct {
		sweep  string
		key    string
		values string
	}{
		{`{"deadlines.review": ["12h", "24h", "36h", "48h"]}`, "deadlines.review", `"12h" "24h" "36h" "48h"`},
		{`{"freight_subsidy.cap": ["10.00", "30.00"]}`, "freight_subsidy.cap", `"10.00" "30.00"`},
		{`{"freight_subsidy.WINDOW_DAYS": [7, 15]}`, "freight_subsidy.window_days", `7 15`},
		{`{"freight_subsidy.carriers": [[], ["SF"]]}`, "freight_subsidy.carriers", `[] ["SF"]`},
		{`{"deadlines.refund_days": [3]}`, "deadlines.refund_days", `3`},
	}
	for _, tt := range tests {
		t.Run(tt.sweep, func(t *testing.T) {
			s, err := scenario.Parse("t.json", []byte(sweepFile(tt.sweep)), policy.Default())
			if err != nil {
				t.Fatal(err)
			}
			if s.Sweep == nil {
				t.Fatal("Sweep is nil")
			}
			if s.Sweep.Key() != tt.key || values(*s.Sweep) != tt.values {
				t.Errorf("Sweep = %s %s, want %s %s", s.Sweep.Key(), values(*s.Sweep), tt.key, tt.values)
			}
		})
	}
	s, err := scenario.Parse("t.json", []byte(doc(deliveredOrder, request)), policy.Default())
	if err != nil || s.Sweep != nil {
		t.Errorf("a file without a sweep: %v, Sweep %+v", err, s.Sweep)
	}
}

func TestParseFileSweepBad(t *testing.T) {
	tests := []struct {
		name  string
		sweep string
		field string
		msg   string
		is    error
	}{
		{"not an object", `["deadlines.review"]`, "sweep", "a sweep (values by <policy>.<parameter>) is a JSON object, not an array", nil},
		{"null", `null`, "sweep", "is required: a sweep (values by <policy>.<parameter>) is a JSON object", nil},
		{"no parameter", `{}`, "sweep", `names no parameter; give one with its values, such as {"deadlines.review": ["24h", "48h"]}`, nil},
		{"two parameters", `{"deadlines.review": ["12h"], "deadlines.return": ["5d"]}`, "sweep.deadlines.review",
			"a sweep plays one parameter at a time, and this names deadlines.return and deadlines.review", nil},
		{"no dot", `{"review": ["12h"]}`, "sweep.review", "want <policy>.<parameter>, such as deadlines.review", nil},
		{"not a list", `{"deadlines.review": "12h"}`, "sweep.deadlines.review", "must be an array, not a string", nil},
		{"no values", `{"deadlines.review": []}`, "sweep.deadlines.review", "lists no value", nil},
		{"unknown policy", `{"freight.cap": ["1.00"]}`, "sweep.freight.cap", "unknown policy; the scenario's rules have unshipped_refund, guaranteed_return_30d", nil},
		{"a policy the file drops", `{"fast_refund.within": ["3h"]}`, "sweep.fast_refund.within",
			`the file's "policy" drops fast_refund (null): there is nothing to sweep`, nil},
		{"unknown parameter", `{"deadlines.ship_return": ["3d"]}`, "sweep.deadlines.ship_return",
			"unknown parameter; deadlines has review, interception, return,", aftersale.ErrInvalidInput},
		{"unknown parameter of a struct policy", `{"freight_subsidy.kap": ["1.00"]}`, "sweep.freight_subsidy.kap",
			"unknown parameter; freight_subsidy has cap, window_days, carriers", aftersale.ErrInvalidInput},
		{"a bad duration", `{"deadlines.review": ["12h", "two days"]}`, "sweep.deadlines.review[1]", `duration "two days" is neither like "48h" nor like "10d"`, aftersale.ErrInvalidInput},
		{"money as a number, as the file's policy refuses it", `{"freight_subsidy.cap": ["10.00", 30]}`, "sweep.freight_subsidy.cap[1]",
			`money: 30 must be a string such as "299.00"`, aftersale.ErrInvalidInput},
		{"days as a string", `{"freight_subsidy.window_days": ["7"]}`, "sweep.freight_subsidy.window_days[0]", "cannot unmarshal string", aftersale.ErrInvalidInput},
		{"a bad category inside a value", `{"seven_day_no_reason.excluded": [["custom"], ["custom", "food"]]}`, "sweep.seven_day_no_reason.excluded[1][1]",
			`unknown category "food"`, aftersale.ErrInvalidInput},
		{"a bad calendar field", `{"deadlines.calendar": [{"holiday": []}]}`, "sweep.deadlines.calendar[0].holiday",
			"unknown field; a calendar has holidays, workdays", aftersale.ErrInvalidInput},
		{"a value twice", `{"deadlines.review": ["12h", "24h", "12h"]}`, "sweep.deadlines.review[2]", "appears twice in the sweep", nil},
		{"a negative parameter", `{"freight_subsidy.window_days": [-1]}`, "sweep.freight_subsidy.window_days[0]", "must not be negative", aftersale.ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scenario.Parse("t.json", []byte(sweepFile(tt.sweep)), policy.Default())
			var se *scenario.Error
			if !errors.As(err, &se) {
				t.Fatalf("Parse = %v (%T), want a *scenario.Error", err, err)
			}
			if se.File != "t.json" || se.Step != 0 || se.Field != tt.field {
				t.Errorf("error %q names file %q step %d field %q, want field %q", err, se.File, se.Step, se.Field, tt.field)
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

// TestSweepVariants checks that each value overrides the file's own value
// of the parameter and keeps the file's other overrides, and that the
// scenario's rules are left as they were.
func TestSweepVariants(t *testing.T) {
	s, err := scenario.Parse("t.json", []byte(sweepFile(`{"freight_subsidy.cap": ["10.00", "30.00"]}`)), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	variants, err := s.SweepVariants(*s.Sweep)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		Label, Param, Value string
		Cap                 aftersale.Money
		WindowDays          int
		FastRefund          bool
	}
	var gots []got
	for _, v := range variants {
		fs := v.Rules.Lookup("freight_subsidy").(*policy.FreightSubsidy)
		gots = append(gots, got{v.Label, v.Param, string(v.Value), fs.Cap, fs.WindowDays, v.Rules.Lookup("fast_refund") != nil})
	}
	want := []got{
		{"10.00", "freight_subsidy.cap", `"10.00"`, aftersale.Yuan(10), 3, false},
		{"30.00", "freight_subsidy.cap", `"30.00"`, aftersale.Yuan(30), 3, false},
	}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("variants (-want +got):\n%s", diff)
	}
	if fs := s.Rules.Lookup("freight_subsidy").(*policy.FreightSubsidy); fs.Cap != aftersale.Yuan(20) {
		t.Errorf("the scenario's own cap became %s", fs.Cap)
	}

	// A sweep from the flag is checked against each file's rules, and its
	// errors name the file and the flag.
	sw, err := scenario.ParseSweep("fast_refund.within=3h,12h", policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SweepVariants(sw)
	if want := `t.json: -sweep fast_refund.within: the file's "policy" drops fast_refund (null): there is nothing to sweep`; err == nil || err.Error() != want {
		t.Errorf("SweepVariants = %v, want %s", err, want)
	}
}

func TestBaselineVariants(t *testing.T) {
	base := policy.Default()
	data := `{"name": "b", "policy": {"freight_subsidy": {"cap": "30.00"}},
		"order": {"id": "o-1", "buyer": "b-1", "amount": "10.00", "paid_at": "2026-03-01T10:00:00+08:00"},
		"buyer_refunds": ["2026-02-20T10:00:00+08:00"], "steps": [{"after": "1h"}]}`
	s, err := scenario.Parse("t.json", []byte(data), base)
	if err != nil {
		t.Fatal(err)
	}
	variants, err := s.BaselineVariants()
	if err != nil {
		t.Fatal(err)
	}
	if len(variants) != 2 || variants[0].Label != scenario.Baseline || variants[1].Label != scenario.ThisFile {
		t.Fatalf("variants %+v, want the baseline and this file", variants)
	}
	caps := []aftersale.Money{
		variants[0].Rules.Lookup("freight_subsidy").(*policy.FreightSubsidy).Cap,
		variants[1].Rules.Lookup("freight_subsidy").(*policy.FreightSubsidy).Cap,
	}
	if caps[0] != 0 || caps[1] != aftersale.Yuan(30) {
		t.Errorf("caps %v, want the default (0: 20.00) and the file's 30.00", caps)
	}
	// The buyer's refunds are facts: the baseline counts them too, and the
	// base rules given to Parse stay as they were.
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, timeline.UTC8())
	for _, v := range variants {
		if n := v.Rules.Lookup("abuse_guard").(*policy.AbuseGuard).History.Refunds("b-1", at.AddDate(0, -1, 0), at); n != 1 {
			t.Errorf("%s: the abuse guard counts %d refunds, want 1", v.Label, n)
		}
	}
	if base.Lookup("abuse_guard").(*policy.AbuseGuard).History != nil {
		t.Error("the base rules got the history")
	}

	hand := &scenario.Scenario{File: "hand.go", Rules: policy.Default()}
	if _, err := hand.BaselineVariants(); err == nil || !strings.Contains(err.Error(), "no base rules") {
		t.Errorf("BaselineVariants of a scenario without Base = %v", err)
	}
}

// reviewSwept is a return the merchant leaves unanswered, then approves
// the day after it was asked: under a short review deadline the system
// approved it first, and the merchant's approval is refused.
const reviewSwept = `{"name": "review", "sweep": {"deadlines.review": ["12h", "48h"]},
	"policy": {"freight_subsidy": {"carriers": ["SF"]}},
	"order": {"id": "o-1", "amount": "299.00", "paid_at": "2026-03-01T10:00:00+08:00",
	          "shipped_at": "2026-03-01T18:00:00+08:00", "delivered_at": "2026-03-03T15:00:00+08:00"},
	"steps": [
	  {"at": "2026-03-04T20:00:00+08:00", "actor": "buyer", "action": "request", "kind": "return_refund", "reason": "quality"},
	  {"at": "2026-03-05T20:00:00+08:00", "actor": "merchant", "action": "approve"},
	  {"after": "1h", "actor": "buyer", "action": "ship_return", "carrier": "YTO", "waybill": "YT1", "freight": "12.00"},
	  {"after": "1d", "actor": "merchant", "action": "receive_return", "expect": {"state": "refunding", "compensation_by": {"merchant": "12.00"}}}
	]}`

func TestPlaySweep(t *testing.T) {
	s, err := scenario.Parse("r.json", []byte(reviewSwept), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenario.PlaySweep(s, *s.Sweep)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "r.json" || c.Name != "review" || c.Sweep != "deadlines.review" || len(c.Runs) != 2 {
		t.Fatalf("comparison %s %q sweeping %q with %d runs", c.File, c.Name, c.Sweep, len(c.Runs))
	}
	z := timeline.UTC8()
	outcome := scenario.Outcome{
		Case: "c1", State: aftersale.StateRefunding, Kind: aftersale.KindReturnRefund,
		Compensation: []aftersale.Compensation{{Amount: aftersale.Yuan(12), Payer: aftersale.PayerMerchant}},
		TimedOut:     []scenario.Timeout{}, Warnings: []string{},
	}
	short := outcome
	short.TimedOut = []scenario.Timeout{{State: aftersale.StatePendingReview, Action: aftersale.ActionApprove, At: time.Date(2026, 3, 5, 8, 0, 0, 0, z)}}
	want := []scenario.Run{
		{Label: "12h", Value: json.RawMessage(`"12h"`), Failures: []scenario.Failure{
			{Step: 2, Field: "error", Want: "no error", Got: "not_permitted: approve is not permitted in state awaiting_return"}},
			Cases: []scenario.Outcome{short}},
		{Label: "48h", Value: json.RawMessage(`"48h"`), Passed: true, Failures: []scenario.Failure{}, Cases: []scenario.Outcome{outcome}},
	}
	if diff := cmp.Diff(want, c.Runs, cmpIgnoreTimeline); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
	if len(c.Runs[0].Timeline) != 5 || c.Runs[0].Timeline[1].Deadline != 1 {
		t.Errorf("the 12h run's timeline: %+v", c.Runs[0].Timeline)
	}
	if s.Rules.Lookup("deadlines").(*aftersale.Deadlines).Review != 0 {
		t.Error("the sweep changed the scenario's own rules")
	}
}

var cmpIgnoreTimeline = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Timeline" }, cmp.Ignore())

func TestCompareWarningsAndTimeouts(t *testing.T) {
	// No insurance and not the merchant's fault: the buyer pays the
	// freight, a warning; the refund comes late, twice.
	data := `{"name": "w", "order": ` + deliveredOrder + `, "steps": [
		{"at": "2026-03-04T20:00:00+08:00", "actor": "buyer", "action": "request", "kind": "return_refund", "reason": "no_reason"},
		{"after": "3d"},
		{"after": "1h", "actor": "buyer", "action": "ship_return", "carrier": "SF", "waybill": "SF1", "freight": "9.00"},
		{"after": "1d", "actor": "merchant", "action": "receive_return"},
		{"after": "8d"}]}`
	s, err := scenario.Parse("w.json", []byte(data), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	variants, err := s.BaselineVariants()
	if err != nil {
		t.Fatal(err)
	}
	c, err := scenario.Compare(s, variants...)
	if err != nil {
		t.Fatal(err)
	}
	o := c.Runs[0].Cases[0]
	var timeouts []string
	for _, t := range o.TimedOut {
		timeouts = append(timeouts, t.String())
	}
	if diff := cmp.Diff([]string{"pending_review→approve", "refunding→sla_breached", "refunding→sla_breached"}, timeouts); diff != "" {
		t.Errorf("timeouts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"freight_subsidy.buyer_pays", "deadlines.refund_sla"}, o.Warnings); diff != "" { // each once
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if c.Sweep != "" || c.Runs[0].Label != scenario.Baseline || c.Runs[1].Label != scenario.ThisFile {
		t.Errorf("a baseline comparison: sweep %q, labels %q %q", c.Sweep, c.Runs[0].Label, c.Runs[1].Label)
	}
}

func TestComparisonWriteText(t *testing.T) {
	z := timeline.UTC8()
	c := scenario.Comparison{
		File: "x.json", Name: "a comparison", Sweep: "deadlines.return",
		Runs: []scenario.Run{
			{Label: scenario.Baseline, Passed: true, Cases: []scenario.Outcome{
				{Case: "c1", State: aftersale.StateRefunded, Kind: aftersale.KindReturnRefund, Refunded: aftersale.Yuan(299),
					Compensation: []aftersale.Compensation{{Amount: aftersale.Yuan(20), Payer: aftersale.PayerInsurance}, {Amount: aftersale.Yuan(5), Payer: aftersale.PayerMerchant}},
					TimedOut: []scenario.Timeout{
						{State: aftersale.StatePendingReview, Action: aftersale.ActionApprove, At: time.Date(2026, 3, 6, 20, 0, 0, 0, z)},
						{State: aftersale.StateRefunding, Action: aftersale.ActionSLABreached},
						{State: aftersale.StateRefunding, Action: aftersale.ActionSLABreached},
					},
					Warnings: []string{"deadlines.refund_sla"}},
				{Case: "c2", State: aftersale.StatePendingReview, Kind: aftersale.KindRefundOnly},
			}},
			{Label: "5d", Value: json.RawMessage(`"5d"`), Failures: []scenario.Failure{
				{Step: 4, Field: "state", Want: "refunded", Got: "closed"}, {Step: 4, Field: "refunded", Want: "299.00", Got: "0.00"},
				{Step: 6, Field: "state", Want: "refunded", Got: "closed"}},
				Cases: []scenario.Outcome{{Case: "c1", State: aftersale.StateClosed, Closed: aftersale.ClosedReturnTimeout, Kind: aftersale.KindReturnRefund,
					TimedOut: []scenario.Timeout{{State: aftersale.StateAwaitingReturn, Action: aftersale.ActionExpire}}}}},
			{Label: "none", Value: json.RawMessage(`"1h"`), Passed: true},
		},
	}
	want := `== a comparison
   x.json, the default rules (baseline), the file's own (this file), and deadlines.return swept over the file's own

   deadlines.return  CASE  END STATE                KIND           REFUNDED  COMPENSATION                    TIMED OUT                                          WARNINGS              EXPECT
   baseline          c1    refunded                 return_refund  299.00    insurance 20.00, merchant 5.00  pending_review→approve, refunding→sla_breached x2  deadlines.refund_sla  pass
                     c2    pending_review           refund_only    0.00      -                               -                                                  -
   5d                c1    closed (return_timeout)  return_refund  0.00      -                               awaiting_return→expire                             -                     fail steps 4, 6
   none              -     (no case)                -              -         -                               -                                                  -                     pass

   5d: step 4: state: want refunded, got closed
   5d: step 4: refunded: want 299.00, got 0.00
   5d: step 6: state: want refunded, got closed
`
	var b strings.Builder
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteText (-want +got):\n%s\n%s", diff, b.String())
	}
	b.Reset()
	if err := c.WriteTextIn(&b, scenario.Chinese); err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"售后单  最终状态", "默认规则", "未通过：第 4、6 步", "   5d：第 4 步：state：应为 refunded，实为 closed\n", "（无售后单）"} {
		if !strings.Contains(b.String(), part) {
			t.Errorf("WriteTextIn(zh) does not contain %q:\n%s", part, b.String())
		}
	}
	if err := c.WriteTextIn(&b, "fr"); err == nil {
		t.Error("WriteTextIn(fr) succeeded")
	}
}
