package policy_test

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// TestFastRefund checks 极速退款 at its strict bounds: paid 03-01 10:00,
// the merchant enabled it, nothing shipped.
func TestFastRefund(t *testing.T) {
	enabled := func(o *aftersale.Order) { o.Flags = aftersale.FlagFastRefund }
	for _, tc := range []struct {
		name   string
		amount aftersale.Money
		setup  func(o *aftersale.Order)
		asked  string
		kind   aftersale.Kind
		fast   bool
	}{
		{"5h59m after payment, 299.99, unshipped: refunded at once", 29999, enabled, "2026-03-01 15:59", refundOnly, true},
		{"exactly 6h after payment: no fast refund", 29999, enabled, "2026-03-01 16:00", refundOnly, false},
		{"exactly 300.00: no fast refund", 30000, enabled, "2026-03-01 11:00", refundOnly, false},
		{"299.99 at once after payment: refunded at once", 29999, enabled, "2026-03-01 10:00", refundOnly, true},
		{"merchant did not enable it: no fast refund", 100, nil, "2026-03-01 11:00", refundOnly, false},
		{"shipped: no fast refund, interception instead", 100, func(o *aftersale.Order) { enabled(o); o.ShippedAt = at(t, "2026-03-01 10:30") }, "2026-03-01 11:00", refundOnly, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, defaults(), tc.amount, tc.setup)
			out := w.must(tc.asked, ask("c1", tc.kind, aftersale.ReasonMistakenPurchase))
			fast := out.Case.State() == aftersale.StateRefunding
			if fast != tc.fast {
				t.Fatalf("opened in %s (decided by %s), fast refund %v, want %v", out.Case.State(), out.Event.Decision.Policy, fast, tc.fast)
			}
			if fast && (out.Event.Decision.Policy != "fast_refund" || out.Event.Decision.Verdict != aftersale.VerdictAllow) {
				t.Errorf("decision %+v, want fast_refund allow", out.Event.Decision)
			}
		})
	}
}

func TestFastRefundBoundsAreParameters(t *testing.T) {
	rules := defaults().Replace(&policy.FastRefund{Within: 2 * time.Hour, Below: aftersale.Yuan(100)})
	w := newWorld(t, rules, 9999, func(o *aftersale.Order) { o.Flags = aftersale.FlagFastRefund })
	if out := w.must("2026-03-01 11:59", ask("c1", refundOnly, aftersale.ReasonOther)); out.Case.State() != aftersale.StateRefunding {
		t.Errorf("1h59m after payment under a 2h bound: %s", out.Case.State())
	}
}

// TestAbuseGuard: five refunds in the last 30 days and a buyer gets no
// automatic approval; the decision says so.
func TestAbuseGuard(t *testing.T) {
	refunds := func(days ...int) policy.RefundTimes {
		var ts []time.Time
		for _, d := range days {
			ts = append(ts, at(t, "2026-03-01 09:00").AddDate(0, 0, -d))
		}
		return policy.RefundTimes{"b-1": ts}
	}
	for _, tc := range []struct {
		name    string
		history policy.RefundTimes
		fast    bool
	}{
		{"4 refunds in 30 days: fast refund still applies", refunds(1, 2, 3, 4), true},
		{"5 refunds in 30 days: no automatic approval", refunds(1, 2, 3, 4, 5), false},
		{"5 refunds, one of them 31 days ago: fast refund applies", refunds(1, 2, 3, 4, 31), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules := defaults().Replace(&policy.AbuseGuard{History: tc.history})
			w := newWorld(t, rules, 5000, func(o *aftersale.Order) { o.Flags = aftersale.FlagFastRefund })
			out := w.must("2026-03-01 11:00", ask("c1", refundOnly, aftersale.ReasonMistakenPurchase))
			if fast := out.Case.State() == aftersale.StateRefunding; fast != tc.fast {
				t.Fatalf("opened in %s, want fast refund %v", out.Case.State(), tc.fast)
			}
			if !tc.fast && (out.Event.Decision.Policy != "abuse_guard" || out.Event.Decision.Verdict != aftersale.VerdictDeny) {
				t.Errorf("decision %+v, want abuse_guard's veto", out.Event.Decision)
			}
		})
	}
	// With no history the guard says nothing.
	w := newWorld(t, defaults(), 5000, func(o *aftersale.Order) { o.Flags = aftersale.FlagFastRefund })
	if out := w.must("2026-03-01 11:00", ask("c1", refundOnly, aftersale.ReasonOther)); out.Case.State() != aftersale.StateRefunding {
		t.Errorf("without a history: %s", out.Case.State())
	}
}

// TestGuaranteedRefundPromise: under the 30-day tag the refund is promised
// within 24 hours of approval; otherwise within 7 business days.
func TestGuaranteedRefundPromise(t *testing.T) {
	for _, tc := range []struct {
		name string
		tags aftersale.Tags
		due  string
	}{
		{"tagged: 24 hours after approval", aftersale.TagGuaranteedReturn, "2026-03-07 10:00"},
		{"untagged: end of the 7th business day (Friday 03-06 -> Tuesday 03-17)", 0, "2026-03-18 00:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, defaults(), 9900, func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Tags = tc.tags })
			w.must("2026-03-05 10:00", ask("c1", returnRefund, quality))
			w.must("2026-03-05 11:00", aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})
			w.must("2026-03-05 12:00", aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Carrier: "SF", Waybill: "1"})
			out := w.must("2026-03-06 10:00", aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn})
			if got := out.Case.Deadline(); !got.Alert || !got.At.Equal(at(t, tc.due)) {
				t.Errorf("refund promise %+v, want an alert at %s", got, tc.due)
			}
		})
	}
}

func TestDeadlinesPolicyCountsHolidays(t *testing.T) {
	// Three business days for a ruling, Monday 03-09 a public holiday.
	monday := timeline.Date{Year: 2026, Month: 3, Day: 9}
	rules := defaults().Replace(&aftersale.Deadlines{ArbitrationDays: 3, Calendar: timeline.Workweek{Holidays: []timeline.Date{monday}}})
	w := newWorld(t, rules, 9900, delivered("2026-03-02 15:00"))
	w.must("2026-03-05 10:00", ask("c1", returnRefund, quality))
	out := w.must("2026-03-06 10:00", aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionEscalate})
	// Escalated on Friday: Tuesday, Wednesday, Thursday; due Friday 03-13 00:00.
	if got := out.Case.Deadline().At; !got.Equal(at(t, "2026-03-13 00:00")) {
		t.Errorf("ruling due %v, want 2026-03-13 00:00", got)
	}
}

// TestAutoApprove checks 自动确认退款 at its ceiling: off unless the merchant
// enabled it; then a refund_only request asking at most the ceiling is
// refunded at once, one fen more waits for the merchant; fast refund's
// bounds play no part, and the abuse guard vetoes it.
func TestAutoApprove(t *testing.T) {
	on := &policy.AutoApprove{Enabled: true}
	many := policy.RefundTimes{"b-1": {at(t, "2026-02-20 10:00"), at(t, "2026-02-21 10:00"), at(t, "2026-02-22 10:00"), at(t, "2026-02-23 10:00"), at(t, "2026-02-24 10:00")}}
	for _, tc := range []struct {
		name    string
		rules   aftersale.Rules
		setup   func(o *aftersale.Order)
		kind    aftersale.Kind
		amount  aftersale.Money // asked; zero asks the whole order of 199.00
		asked   string
		state   aftersale.State
		decided string
	}{
		{"enabled, asks exactly 50.00: refunded at once", defaults().Replace(on), nil, refundOnly, 5000, "2026-03-03 10:00", aftersale.StateRefunding, "auto_approve"},
		{"enabled, asks 50.01: the merchant reviews", defaults().Replace(on), nil, refundOnly, 5001, "2026-03-03 10:00", aftersale.StatePendingReview, "unshipped_refund"},
		{"enabled, asks 0.01: refunded at once", defaults().Replace(on), nil, refundOnly, 1, "2026-03-03 10:00", aftersale.StateRefunding, "auto_approve"},
		{"not enabled (the default), asks 10.00: the merchant reviews", defaults(), nil, refundOnly, 1000, "2026-03-03 10:00", aftersale.StatePendingReview, "unshipped_refund"},
		{"enabled, ceiling 80.00, asks 80.00: refunded at once", defaults().Replace(&policy.AutoApprove{Enabled: true, Ceiling: aftersale.Yuan(80)}), nil, refundOnly, 8000, "2026-03-03 10:00", aftersale.StateRefunding, "auto_approve"},
		{"enabled, ceiling 80.00, asks 80.01: the merchant reviews", defaults().Replace(&policy.AutoApprove{Enabled: true, Ceiling: aftersale.Yuan(80)}), nil, refundOnly, 8001, "2026-03-03 10:00", aftersale.StatePendingReview, "unshipped_refund"},
		{"enabled, delivered goods, refund_only of 30.00 for damage: refunded at once", defaults().Replace(on), delivered("2026-03-02 15:00"), refundOnly, 3000, "2026-03-03 10:00", aftersale.StateRefunding, "auto_approve"},
		{"enabled, return_refund of 30.00: the merchant reviews", defaults().Replace(on), delivered("2026-03-02 15:00"), returnRefund, 3000, "2026-03-03 10:00", aftersale.StatePendingReview, "after_sale_window"},
		{"enabled, the parcel on its way: intercepted, not approved", defaults().Replace(on), func(o *aftersale.Order) { o.ShippedAt = at(t, "2026-03-01 12:00") }, refundOnly, 3000, "2026-03-03 10:00", aftersale.StateIntercepting, "after_sale_window"},
		{"enabled, a buyer with 5 refunds in 30 days: vetoed", defaults().Replace(on).Replace(&policy.AbuseGuard{History: many}), nil, refundOnly, 3000, "2026-03-03 10:00", aftersale.StatePendingReview, "abuse_guard"},
		{"enabled with fast refund: fast refund is recorded first", defaults().Replace(on), func(o *aftersale.Order) { o.Flags = aftersale.FlagFastRefund }, refundOnly, 3000, "2026-03-01 11:00", aftersale.StateRefunding, "fast_refund"},
		{"enabled, fast refund too late: automatic approval still applies", defaults().Replace(on), func(o *aftersale.Order) { o.Flags = aftersale.FlagFastRefund }, refundOnly, 3000, "2026-03-03 10:00", aftersale.StateRefunding, "auto_approve"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.rules, aftersale.Yuan(199), tc.setup)
			cmd := ask("c1", tc.kind, aftersale.ReasonDamaged)
			cmd.Amount = tc.amount
			out := w.must(tc.asked, cmd)
			if out.Case.State() != tc.state || out.Event.Decision.Policy != tc.decided {
				t.Errorf("opened in %s decided by %s (%s), want %s by %s", out.Case.State(), out.Event.Decision.Policy, out.Event.Decision.En, tc.state, tc.decided)
			}
		})
	}
}
