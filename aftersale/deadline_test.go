package aftersale_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

const day = timeline.Day

// TestStateDeadlines checks each timeout of §4: nothing happens a
// nanosecond before the deadline; at the deadline the system performs the
// timeout action, decided by "deadlines".
func TestStateDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name   string
		kind   aftersale.Kind
		state  aftersale.State
		after  time.Duration
		action aftersale.Action
		to     aftersale.State
	}{
		{"pending_review: 48 hours, then approved (refund_only: refunding)", refundOnly, aftersale.StatePendingReview, 48 * time.Hour, aftersale.ActionApprove, aftersale.StateRefunding},
		{"pending_review: 48 hours, then approved (return_refund: awaiting_return)", returnRefund, aftersale.StatePendingReview, 48 * time.Hour, aftersale.ActionApprove, aftersale.StateAwaitingReturn},
		{"intercepting: 5 days, then approved: refunding", refundOnly, aftersale.StateIntercepting, 5 * day, aftersale.ActionApprove, aftersale.StateRefunding},
		{"awaiting_return: 10 days, then closed return_timeout", returnRefund, aftersale.StateAwaitingReturn, 10 * day, aftersale.ActionExpire, aftersale.StateClosed},
		{"return_in_transit: 10 days from the waybill, then received: refunding", returnRefund, aftersale.StateReturnInTransit, 10 * day, aftersale.ActionReceiveReturn, aftersale.StateRefunding},
		{"return_in_transit: 10 days from the waybill, then received: awaiting_reship", exchange, aftersale.StateReturnInTransit, 10 * day, aftersale.ActionReceiveReturn, aftersale.StateAwaitingReship},
		{"negotiating: 48 hours (assumed), then declined", refundOnly, aftersale.StateNegotiating, 48 * time.Hour, aftersale.ActionDecline, aftersale.StatePendingReview},
		{"rejected: 7 days (assumed), then closed not_escalated", refundOnly, aftersale.StateRejected, 7 * day, aftersale.ActionExpire, aftersale.StateClosed},
		{"awaiting_reship: 7 days (assumed), then refunding", exchange, aftersale.StateAwaitingReship, 7 * day, aftersale.ActionExpire, aftersale.StateRefunding},
		{"reship_in_transit: 10 days (assumed), then receipt confirmed", exchange, aftersale.StateReshipInTransit, 10 * day, aftersale.ActionConfirmReceipt, aftersale.StateExchanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, aftersale.Rules{})
			if tc.state == aftersale.StateNegotiating {
				// Propose the moment the case opens under a 72-hour review,
				// so the review still runs when the proposal lapses.
				f = newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{aftersale.Deadlines{Review: 72 * time.Hour}}})
				f.do(request(tc.kind, aftersale.ReasonQuality))
				f.do(propose(aftersale.Yuan(100)))
			} else {
				f.reach(tc.kind, tc.state)
			}
			c := f.c("c1")
			entered := c.Events()[c.Version()-1].At
			if got, want := c.Deadline().At, entered.Add(tc.after); !got.Equal(want) {
				t.Fatalf("deadline %v, want %v (%v after entering %s)", got, want, tc.after, tc.state)
			}
			next := c.Next()
			if next.Action != tc.action || next.To != tc.to || next.Waiting != tc.state.Waiting() {
				t.Errorf("Next() = %+v, want %s to %s", next, tc.action, tc.to)
			}
			if fired := f.advance(entered.Add(tc.after - 1)); len(fired) != 0 {
				t.Fatalf("fired %d events a nanosecond early", len(fired))
			}
			fired := f.advance(entered.Add(tc.after))
			if len(fired) != 1 {
				t.Fatalf("fired %d events at the deadline, want 1", len(fired))
			}
			ev := fired[0].Event
			if ev.Action != tc.action || ev.Actor != aftersale.ActorSystem || ev.To != tc.to || ev.Decision.Policy != "deadlines" {
				t.Errorf("timeout event %s by %s to %s decided by %q; want %s by system to %s decided by deadlines",
					ev.Action, ev.Actor, ev.To, ev.Decision.Policy, tc.action, tc.to)
			}
			if !ev.At.Equal(entered.Add(tc.after)) {
				t.Errorf("timeout stamped %v, want the deadline %v", ev.At, entered.Add(tc.after))
			}
		})
	}
}

// TestServiceLevelDeadlines checks the alerts of §4: they change no state,
// log sla_breached, and come again a day later.
func TestServiceLevelDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tags  aftersale.Tags
		state aftersale.State
		due   func(entered time.Time) time.Time
	}{
		{"refunding: 7 business days", 0, aftersale.StateRefunding, func(e time.Time) time.Time {
			return timeline.AddBusinessDays(nil, e, 7, zone)
		}},
		{"refunding, a case the 30-day guaranteed return covered: 24 hours after approval", aftersale.TagGuaranteedReturn, aftersale.StateRefunding, func(e time.Time) time.Time {
			return e.Add(24 * time.Hour)
		}},
		{"arbitration: 7 business days for a ruling", 0, aftersale.StateArbitration, func(e time.Time) time.Time {
			return timeline.AddBusinessDays(nil, e, 7, zone)
		}},
		{"refund_failed: 24 hours (assumed)", 0, aftersale.StateRefundFailed, func(e time.Time) time.Time {
			return e.Add(24 * time.Hour)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules := aftersale.Rules{}
			if tc.tags != 0 {
				rules = policy.Default() // the 30-day grant covers the case
			}
			f := newFixture(t, rules)
			f.o.Tags = tc.tags
			f.reach(returnRefund, tc.state)
			c := f.c("c1")
			entered := c.Events()[c.Version()-1].At
			due := tc.due(entered)
			if !c.Deadline().At.Equal(due) || !c.Deadline().Alert {
				t.Fatalf("deadline %+v, want an alert at %v", c.Deadline(), due)
			}
			if n := c.Next(); n.Action != aftersale.ActionSLABreached || n.To != tc.state {
				t.Errorf("Next() = %+v, want sla_breached staying in %s", n, tc.state)
			}
			f.advance(due.Add(-1))
			fired := f.advance(due.Add(36 * time.Hour))
			if len(fired) != 2 {
				t.Fatalf("fired %d alerts in the 36 hours after the promise, want 2 (at once and a day later)", len(fired))
			}
			for i, ch := range fired {
				want := due.Add(time.Duration(i) * 24 * time.Hour)
				if ev := ch.Event; ev.Action != aftersale.ActionSLABreached || ev.From != tc.state || ev.To != tc.state || !ev.At.Equal(want) {
					t.Errorf("alert %d: %s %s->%s at %v, want sla_breached staying in %s at %v", i, ev.Action, ev.From, ev.To, ev.At, tc.state, want)
				}
			}
			if f.c("c1").State() != tc.state {
				t.Errorf("the alerts moved the case to %s", f.c("c1").State())
			}
		})
	}
}

func TestRefundPromiseCountsBusinessDays(t *testing.T) {
	// Approved on Friday 2026-03-06 at 20:00: seven business days end with
	// Tuesday 03-17, so the alert is due on Wednesday 03-18 at 00:00.
	f := newFixture(t, aftersale.Rules{})
	f.now = at(t, "2026-03-05 20:00")
	f.do(request(refundOnly, aftersale.ReasonQuality))
	f.now = at(t, "2026-03-06 19:59")
	f.do(act(merchant, aftersale.ActionApprove))
	if got, want := f.c("c1").Deadline().At, at(t, "2026-03-18 00:00"); !got.Equal(want) {
		t.Errorf("refund promise due %v, want %v", got, want)
	}
}

func TestTimeoutsAreParameters(t *testing.T) {
	rules := aftersale.Rules{Policies: []aftersale.Policy{aftersale.Deadlines{Review: 72 * time.Hour, Calendar: timeline.Workweek{
		Holidays: []timeline.Date{{Year: 2026, Month: 3, Day: 9}},
	}}}}
	f := newFixture(t, rules)
	f.now = at(t, "2026-03-05 20:00")
	f.do(request(refundOnly, aftersale.ReasonQuality))
	if got, want := f.c("c1").Deadline().At, f.now.Add(72*time.Hour); !got.Equal(want) {
		t.Errorf("review deadline %v, want %v", got, want)
	}
	f.now = at(t, "2026-03-06 19:59")
	f.do(act(merchant, aftersale.ActionApprove))
	// Monday 03-09 is a holiday: seven business days end on Wednesday 03-18.
	if got, want := f.c("c1").Deadline().At, at(t, "2026-03-19 00:00"); !got.Equal(want) {
		t.Errorf("refund promise due %v, want %v", got, want)
	}
}

func TestDeadlineFiresBeforeALaterAction(t *testing.T) {
	// Requested at 09:01 on 03-04: the review deadline is 03-06 09:01.
	f := newFixture(t, aftersale.Rules{})
	f.do(request(returnRefund, aftersale.ReasonQuality))
	due := f.c("c1").Deadline().At

	// The merchant rejects at the very instant the deadline passes: too late.
	// The refusal changes nothing, not even the deadline that was due.
	err := f.failsAt(due, note(act(merchant, aftersale.ActionReject), "late"), aftersale.ErrNotPermitted)
	t.Log(err)
	f.state("c1", aftersale.StatePendingReview)

	// The buyer ships a minute later: the approval fires first, then the
	// shipment is accepted, and the outcome reports both.
	f.now = due
	out := f.do(shipReturn())
	if len(out.Also) != 1 || out.Also[0].Event.Action != aftersale.ActionApprove || !out.Also[0].Event.At.Equal(due) {
		t.Fatalf("Also = %+v, want the approval at %v", out.Also, due)
	}
	if out.Event.Action != aftersale.ActionShipReturn || out.Case.State() != aftersale.StateReturnInTransit {
		t.Errorf("the shipment gave %s in %s", out.Event.Action, out.Case.State())
	}
}

func TestProposalCannotStallTheReview(t *testing.T) {
	// Requested 03-04 09:01, review due 03-06 09:01. The merchant proposes
	// at 03-06 08:00: the negotiation may last 48 hours, but never past the
	// review's deadline. At 09:01 the system declines, and the review's own
	// timeout approves at the same moment, both by deadlines.
	f := newFixture(t, aftersale.Rules{})
	f.do(request(returnRefund, aftersale.ReasonQuality))
	review := f.c("c1").Deadline().At
	f.now = at(t, "2026-03-06 07:59")
	f.do(propose(aftersale.Yuan(100)))
	if got := f.c("c1").Deadline().At; !got.Equal(review) {
		t.Fatalf("the negotiation is due %v, want the review's deadline %v", got, review)
	}
	fired := f.advance(review)
	var got []string
	for _, ch := range fired {
		ev := ch.Event
		got = append(got, fmt.Sprintf("%s %s %s->%s by %s", ev.At.Format("01-02 15:04"), ev.Action, ev.From, ev.To, ev.Decision.Policy))
	}
	want := []string{
		"03-06 09:01 decline negotiating->pending_review by deadlines",
		"03-06 09:01 approve pending_review->awaiting_return by deadlines",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("at the review's deadline (-want +got):\n%s", diff)
	}
	f.state("c1", aftersale.StateAwaitingReturn)
}

func TestDeclineKeepsTheReceiptDeadline(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.reach(returnRefund, aftersale.StateReturnInTransit)
	receipt := f.c("c1").Deadline().At
	f.do(propose(aftersale.Yuan(200)))
	proposal := f.c("c1").Deadline().At
	fired := f.advance(proposal)
	if len(fired) != 1 || fired[0].Event.To != aftersale.StateReturnInTransit {
		t.Fatalf("the lapsed proposal gave %+v, want a decline back to return_in_transit", fired)
	}
	if got := f.c("c1").Deadline().At; !got.Equal(receipt) {
		t.Errorf("receipt deadline %v after the decline, want the original %v", got, receipt)
	}
}

func TestDeadlinesOfSeveralCasesFireInOrder(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.o.Lines = []aftersale.Line{
		{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(100)},
		{ID: "l2", Quantity: 1, Paid: aftersale.Yuan(199)},
	}
	c2 := with(request(returnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c2", []aftersale.Units{{Line: "l2", Quantity: 1}}
	})
	c1 := with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Lines = []aftersale.Units{{Line: "l1", Quantity: 1}}
	})
	f.do(c2)
	f.do(c1)
	fired := f.advance(f.now.Add(30 * day))
	var order []string
	for _, ch := range fired {
		order = append(order, ch.Case.ID()+":"+ch.Event.Action.String())
		if len(order) > 1 && ch.Event.At.Before(fired[len(order)-2].Event.At) {
			t.Errorf("event %d stamped before the one before it", len(order))
		}
	}
	want := []string{"c2:approve", "c1:approve", "c2:expire", "c1:sla_breached"}
	for i, w := range want {
		if i >= len(order) || order[i] != w {
			t.Fatalf("fired %v, want it to start %v", order, want)
		}
	}
}

// openUnder returns rules of the given version whose review lasts d and
// whose return lasts five times as long.
func openUnder(version string, d time.Duration) aftersale.Rules {
	return aftersale.Rules{Version: version, Policies: []aftersale.Policy{aftersale.Deadlines{Review: d, Return: 5 * d}}}
}

func TestCasesKeepTheRulesTheyOpenedUnder(t *testing.T) {
	f := newFixture(t, openUnder("v1", 48*time.Hour))
	f.o.Lines = []aftersale.Line{
		{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(100)},
		{ID: "l2", Quantity: 1, Paid: aftersale.Yuan(199)},
	}
	f.do(with(request(returnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Lines = []aftersale.Units{{Line: "l1", Quantity: 1}}
	}))
	f.do(propose(aftersale.Yuan(50)))

	// The platform moves to v2 with a 24-hour review and a 5-day return; v1
	// stays loaded, and the open v1 case keeps its 10-day return.
	v2, err := aftersale.New(aftersale.Config{Rules: openUnder("v2", 24*time.Hour), Earlier: []aftersale.Rules{openUnder("v1", 48*time.Hour)}, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	f.e = v2
	f.do(act(buyer, aftersale.ActionDecline))
	f.do(act(merchant, aftersale.ActionApprove))
	if got, want := f.c("c1").Deadline().At, f.now.Add(10*day); !got.Equal(want) {
		t.Errorf("c1's return is due %v, want %v under v1", got, want)
	}
	f.do(act(buyer, aftersale.ActionWithdraw))
	f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c2", []aftersale.Units{{Line: "l2", Quantity: 1}}
	}))
	f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c3", []aftersale.Units{{Line: "l1", Quantity: 1}}
	}))
	for id, want := range map[string]string{"c1": "v1", "c2": "v2", "c3": "v2"} {
		if got := f.c(id).PolicyVersion(); got != want {
			t.Errorf("%s opened under %q, want %q", id, got, want)
		}
	}
	if got, want := f.c("c3").Deadline().At, f.now.Add(24*time.Hour); !got.Equal(want) {
		t.Errorf("c3's review is due %v, want %v under v2", got, want)
	}

	// A v1 case still open: an engine that does not hold v1 refuses to touch
	// the order at all, rather than decide that case under other rules.
	g := newFixture(t, openUnder("v1", 48*time.Hour))
	g.do(request(refundOnly, aftersale.ReasonQuality))
	v1Due := g.c("c1").Deadline().At
	g.e = v2
	g.advance(v1Due.Add(-time.Hour))
	if got := g.c("c1").Deadline().At; !got.Equal(v1Due) {
		t.Errorf("the v1 case's review moved to %v under the v2 engine", got)
	}
	only2, err := aftersale.New(aftersale.Config{Rules: openUnder("v2", 24*time.Hour), Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	g.e = only2
	g.fails(act(merchant, aftersale.ActionApprove), aftersale.ErrConflict)
	if _, err := only2.AdvanceTo(v1Due, g.o); err == nil {
		t.Error("advancing a v1 case under an engine without v1 succeeded")
	}
}

// TestDeadlinesNearTheEndOfTime runs a case whose deadlines fall after
// the last time an event may carry (2200): they are held, and time can be
// advanced right up to that last time without a deadline falling due at
// once, again and again.
func TestDeadlinesNearTheEndOfTime(t *testing.T) {
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	paid := time.Date(2199, 12, 28, 10, 0, 0, 0, time.UTC)
	o := &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(50), PaidAt: paid, ShippedAt: paid.Add(time.Hour), DeliveredAt: paid.Add(24 * time.Hour)}
	if _, err := e.ApplyAt(paid.Add(25*time.Hour), o, aftersale.Command{Actor: buyer, Action: aftersale.ActionRequest, Kind: refundOnly, Reason: aftersale.ReasonQuality}); err != nil {
		t.Fatal(err)
	}
	last := time.Date(2199, 12, 31, 23, 59, 59, 0, time.UTC)
	fired, err := e.AdvanceTo(last, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(fired) != 1 || o.Cases()[0].State() != aftersale.StateRefunding {
		t.Fatalf("fired %d events, case %s; want the review timeout alone, refunding", len(fired), o.Cases()[0].State())
	}
	if _, err := e.AdvanceTo(last.Add(time.Second), o); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Fatalf("AdvanceTo 2200: %v, want invalid_input", err)
	}
}

// TestRefundPromisesByCase checks which refund promise a case in refunding
// carries: the law's 7 days from receipt for goods returned without a
// reason, 24 hours for a case the 30-day guaranteed return covered (not
// for every case on tagged goods), and 7 business days otherwise.
func TestRefundPromisesByCase(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tags   aftersale.Tags
		kind   aftersale.Kind
		reason aftersale.Reason
		want   string // the alert, from the event that entered refunding
	}{
		{"returned without a reason, received Friday 03-06 10:00: due Friday 03-13 10:00, not after 7 business days",
			0, returnRefund, aftersale.ReasonNoReason, "2026-03-13 10:00"},
		{"returned for a quality fault: 7 business days",
			0, returnRefund, aftersale.ReasonQuality, "2026-03-18 00:00"},
		{"tagged goods returned, the 30-day grant covered it: 24 hours",
			aftersale.TagGuaranteedReturn, returnRefund, aftersale.ReasonQuality, "2026-03-07 10:00"},
		{"tagged goods, a refund only, which the 30-day grant does not cover: 7 business days from the approval, Thursday 03-05",
			aftersale.TagGuaranteedReturn, refundOnly, aftersale.ReasonQuality, "2026-03-17 00:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, policy.Default())
			f.o.Tags = tc.tags
			f.now = at(t, "2026-03-05 09:00")
			f.do(request(tc.kind, tc.reason))
			f.do(act(merchant, aftersale.ActionApprove))
			if tc.kind == returnRefund {
				f.do(with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier, c.Waybill = "SF", "SF1" }))
				f.now = at(t, "2026-03-06 09:59")
				f.do(act(merchant, aftersale.ActionReceiveReturn)) // Friday 10:00
			}
			f.state("c1", aftersale.StateRefunding)
			if got := f.c("c1").Deadline().At.Format("2006-01-02 15:04"); got != tc.want {
				t.Errorf("the refund is promised by %s, want %s", got, tc.want)
			}
		})
	}
}
