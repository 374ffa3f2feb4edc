package aftersale_test

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// TestZeroDeadlinesAreTheDefaults writes out the §4 defaults and checks
// the zero Deadlines gives them for every state, and lists them so.
func TestZeroDeadlinesAreTheDefaults(t *testing.T) {
	const businessDays = -1 // in want, 7 business days is {businessDays, 7}
	// The cases the promises in refunding are for: one the 30-day
	// guaranteed return covered, and goods returned without a reason.
	guaranteed := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{grantSays{said{"guaranteed_return_30d", allows}}}})
	guaranteed.do(request(returnRefund, aftersale.ReasonQuality))
	noReason := newFixture(t, aftersale.Rules{})
	noReason.do(request(returnRefund, aftersale.ReasonNoReason))
	noReason.do(act(merchant, aftersale.ActionApprove))
	noReason.do(shipReturn())
	want := []struct {
		rule   string
		state  aftersale.State
		c      *aftersale.Case
		repeat bool
		d      time.Duration
		days   int
	}{
		{rule: "pending_review: 48h", state: aftersale.StatePendingReview, d: 48 * time.Hour},
		{rule: "intercepting: 5 days", state: aftersale.StateIntercepting, d: 5 * timeline.Day},
		{rule: "awaiting_return: 10 days", state: aftersale.StateAwaitingReturn, d: 10 * timeline.Day},
		{rule: "return_in_transit: 10 days", state: aftersale.StateReturnInTransit, d: 10 * timeline.Day},
		{rule: "negotiating: 48h", state: aftersale.StateNegotiating, d: 48 * time.Hour},
		{rule: "rejected: 7 days", state: aftersale.StateRejected, d: 7 * timeline.Day},
		{rule: "awaiting_reship: 7 days", state: aftersale.StateAwaitingReship, d: 7 * timeline.Day},
		{rule: "reship_in_transit: 10 days", state: aftersale.StateReshipInTransit, d: 10 * timeline.Day},
		{rule: "refunding, a case the 30-day guaranteed return covered: 24h", state: aftersale.StateRefunding, c: guaranteed.c("c1"), d: 24 * time.Hour},
		{rule: "refunding, goods returned without a reason: 7 days", state: aftersale.StateRefunding, c: noReason.c("c1"), d: 7 * timeline.Day},
		{rule: "refunding: 7 business days", state: aftersale.StateRefunding, d: businessDays, days: 7},
		{rule: "arbitration: 7 business days", state: aftersale.StateArbitration, d: businessDays, days: 7},
		{rule: "refund_failed: 24h", state: aftersale.StateRefundFailed, d: 24 * time.Hour},
		{rule: "the next alert: 24h", state: aftersale.StateRefunding, repeat: true, d: 24 * time.Hour},
		{rule: "refunded: none", state: aftersale.StateRefunded},
		{rule: "exchanged: none", state: aftersale.StateExchanged},
		{rule: "closed: none", state: aftersale.StateClosed},
	}
	since := time.Date(2026, 3, 6, 20, 0, 0, 0, zone) // a Friday evening
	covered := map[aftersale.State]bool{}
	for _, w := range want {
		q := aftersale.Query{Order: &aftersale.Order{}, Case: w.c, Zone: zone}
		var due time.Time
		switch {
		case w.d == businessDays:
			due = timeline.AddBusinessDays(nil, since, w.days, zone)
		case w.d > 0:
			due = since.Add(w.d)
		}
		if got := (aftersale.Deadlines{}).Due(q, w.state, since, w.repeat); !got.Equal(due) {
			t.Errorf("%s: due %v, want %v", w.rule, got, due)
		}
		covered[w.state] = true
	}
	for s := aftersale.StatePendingReview; s <= aftersale.StateClosed; s++ {
		if !covered[s] {
			t.Errorf("no default written out for %s", s)
		}
	}

	defaults := map[string]string{
		"review": "48 hours", "interception": "5 days", "return": "10 days", "return_transit": "10 days",
		"negotiation": "48 hours", "escalation": "7 days", "reship": "7 days", "repair": "15 days", "reship_transit": "10 days",
		"guaranteed_refund": "24 hours", "no_reason_refund": "7 days", "refund_days": "7 business days", "arbitration_days": "7 business days",
		"refund_failed": "24 hours", "realert": "24 hours",
	}
	params := aftersale.DeadlineParams()
	if len(params) != len(defaults) {
		t.Errorf("%d parameters listed, want %d", len(params), len(defaults))
	}
	for _, p := range params {
		if d, ok := defaults[p.Name]; !ok || p.Default != d {
			t.Errorf("%s listed with default %q, want %q", p.Name, p.Default, d)
		}
		if p.Source == "" || p.Doc == "" || (p.Rule == "") != (p.Name == "realert") {
			t.Errorf("%s listed as %+v", p.Name, p)
		}
	}
}

// TestDeadlinesDueAllocatesNothing: the Engine asks at every step, and a
// host's schedule built on Deadlines asks through Due.
func TestDeadlinesDueAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	since := time.Date(2026, 3, 6, 20, 0, 0, 0, zone)
	o := &aftersale.Order{Tags: aftersale.TagGuaranteedReturn}
	d := aftersale.Deadlines{Review: 72 * time.Hour}
	var sched aftersale.Schedule = d
	for _, s := range []aftersale.State{aftersale.StatePendingReview, aftersale.StateRefunding, aftersale.StateArbitration} {
		if n := testing.AllocsPerRun(100, func() {
			d.Due(aftersale.Query{Order: o, Zone: zone}, s, since, false)
			sched.Due(aftersale.Query{Zone: zone}, s, since, false)
		}); n != 0 {
			t.Errorf("%s: Due allocates %v times", s, n)
		}
	}
}
