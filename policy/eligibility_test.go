package policy_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// TestEligibility walks §5's grants at the boundaries the specification
// names. Each row is a request; want is the policy that covers it, or
// empty for a denial.
func TestEligibility(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(o *aftersale.Order)
		asked  string
		kind   aftersale.Kind
		reason aftersale.Reason
		want   string // covering policy; "" means not eligible
		state  aftersale.State
	}{
		// unshipped_refund
		{"unshipped: refund_only for any reason is eligible", nil, "2026-03-01 11:00", refundOnly, aftersale.ReasonMistakenPurchase, "unshipped_refund", aftersale.StatePendingReview},
		{"unshipped: refund_only without a reason is eligible too", nil, "2026-03-20 11:00", refundOnly, noReason, "unshipped_refund", aftersale.StatePendingReview},

		// seven_day_no_reason
		{"delivered 03-01 15:00, asked 03-08 23:59: eligible", delivered("2026-03-01 15:00"), "2026-03-08 23:59", returnRefund, noReason, "seven_day_no_reason", aftersale.StatePendingReview},
		{"delivered 03-01 15:00, asked 03-09 00:00: not eligible", delivered("2026-03-01 15:00"), "2026-03-09 00:00", returnRefund, noReason, "", 0},
		{"delivered 03-01 23:59, asked 03-08 23:59: the count starts the next day", delivered("2026-03-01 23:59"), "2026-03-08 23:59", exchange, noReason, "seven_day_no_reason", aftersale.StatePendingReview},
		{"no-reason refund_only while in transit: eligible, intercepted", func(o *aftersale.Order) { o.ShippedAt = at(t, "2026-03-01 12:00") }, "2026-03-01 13:00", refundOnly, noReason, "seven_day_no_reason", aftersale.StateIntercepting},
		{"no-reason refund_only after delivery: not eligible, return first", delivered("2026-03-01 15:00"), "2026-03-02 10:00", refundOnly, noReason, "", 0},
		{"custom goods: no seven-day return", func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryCustom }, "2026-03-02 10:00", returnRefund, noReason, "", 0},
		{"perishable goods: no seven-day return", func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryPerishable }, "2026-03-02 10:00", returnRefund, noReason, "", 0},
		{"digital goods: no seven-day return", func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryDigital }, "2026-03-02 10:00", returnRefund, noReason, "", 0},
		{"periodicals: no seven-day return", func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryPeriodical }, "2026-03-02 10:00", returnRefund, noReason, "", 0},
		{"buyer waived no-reason returns at purchase: not eligible", func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Flags = aftersale.FlagNoReasonWaived }, "2026-03-02 10:00", returnRefund, noReason, "", 0},
		{"custom goods with a quality problem: the after-sale window covers it", func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryCustom }, "2026-03-02 10:00", returnRefund, quality, "after_sale_window", aftersale.StatePendingReview},

		// guaranteed_return_30d
		{"30-day tag, no reason on day 20 after delivery: eligible", func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Tags = aftersale.TagGuaranteedReturn }, "2026-03-22 10:00", returnRefund, noReason, "guaranteed_return_30d", aftersale.StatePendingReview},
		{"no tag, no reason on day 20 after delivery: not eligible", delivered("2026-03-02 15:00"), "2026-03-22 10:00", returnRefund, noReason, "", 0},
		{"30-day tag, shipped 03-01 12:00, asked 03-31 23:59 (30th day): eligible", func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Tags = aftersale.TagGuaranteedReturn }, "2026-03-31 23:59", returnRefund, noReason, "guaranteed_return_30d", aftersale.StatePendingReview},
		{"30-day tag, shipped 03-01 12:00, asked 04-01 00:00: not eligible", func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Tags = aftersale.TagGuaranteedReturn }, "2026-04-01 00:00", returnRefund, noReason, "", 0},
		{"30-day tag covers perishable goods too", func(o *aftersale.Order) {
			delivered("2026-03-02 15:00")(o)
			o.Tags, o.Category = aftersale.TagGuaranteedReturn, aftersale.CategoryPerishable
		}, "2026-03-05 10:00", returnRefund, noReason, "guaranteed_return_30d", aftersale.StatePendingReview},
		{"30-day tag does not cover an exchange", func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Tags = aftersale.TagGuaranteedReturn }, "2026-03-22 10:00", exchange, noReason, "", 0},

		// after_sale_window
		{"delivered 03-01 15:00, quality problem on 03-16 23:59 (15th day): eligible", delivered("2026-03-01 15:00"), "2026-03-16 23:59", returnRefund, quality, "after_sale_window", aftersale.StatePendingReview},
		{"delivered 03-01 15:00, quality problem on 03-17 00:00: not eligible", delivered("2026-03-01 15:00"), "2026-03-17 00:00", returnRefund, quality, "", 0},
		{"shipped, not delivered: not_received is eligible, intercepted", func(o *aftersale.Order) { o.ShippedAt = at(t, "2026-03-01 12:00") }, "2026-03-20 10:00", refundOnly, aftersale.ReasonNotReceived, "after_sale_window", aftersale.StateIntercepting},
		{"delivered 03-01: a partial refund_only for damage on day 3 is eligible", delivered("2026-03-01 15:00"), "2026-03-04 10:00", refundOnly, aftersale.ReasonDamaged, "after_sale_window", aftersale.StatePendingReview},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, defaults(), 9900, tc.setup)
			out, err := w.apply(tc.asked, ask("c1", tc.kind, tc.reason))
			if tc.want == "" {
				if aftersale.CodeOf(err) != aftersale.ErrNotEligible {
					t.Fatalf("got %v, want not_eligible", err)
				}
				reasons(t, err)
				return
			}
			if err != nil {
				t.Fatalf("not eligible: %v", err)
			}
			if got := out.Event.Decision.Policy; got != tc.want {
				t.Errorf("decided by %q, want %q", got, tc.want)
			}
			if out.Case.State() != tc.state {
				t.Errorf("opened in %s, want %s", out.Case.State(), tc.state)
			}
			if out.Case.PolicyVersion() != policy.DefaultVersion {
				t.Errorf("the case records rules %q", out.Case.PolicyVersion())
			}
		})
	}
}

func TestDenialListsEveryReason(t *testing.T) {
	// No reason, 20 days after delivery, no tag: every grant says why not,
	// the one that refuses first, then those that do not apply.
	w := newWorld(t, defaults(), 9900, delivered("2026-03-02 15:00"))
	_, err := w.apply("2026-03-22 10:00", ask("c1", returnRefund, noReason))
	want := []string{
		"seven_day_no_reason.window_passed",
		"unshipped_refund.shipped",
		"guaranteed_return_30d.no_tag",
		"after_sale_window.reason_needed",
		"repair_warranty.repair_only",
	}
	if diff := cmp.Diff(want, reasons(t, err)); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	t.Log(err)
}

// TestADenialLeadsWithItsMostSpecificReason pins the order of a denial's
// reasons: the refusals of rules that apply to the request (the grants',
// in the order of the rules, then the limits') before the rules that do
// not apply; and each policy answers with its most specific rule, so an
// excluded category comes before a window that passed. The error's rule
// id and its Chinese lead with the first.
func TestADenialLeadsWithItsMostSpecificReason(t *testing.T) {
	tagged := func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Tags = aftersale.TagGuaranteedReturn }
	threeCases := func(w *world) {
		for _, id := range []string{"c1", "c2", "c3"} {
			w.must("2026-03-03 10:00", ask(id, returnRefund, quality))
			w.must("2026-03-03 10:00", aftersale.Command{Case: id, Actor: aftersale.ActorBuyer, Action: aftersale.ActionWithdraw})
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(o *aftersale.Order)
		cases func(w *world)
		asked string
		cmd   aftersale.Command
		want  []string
		zh    string
	}{
		{"custom goods, no reason, after the seven days: the excluded category, not the window",
			func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryCustom }, nil,
			"2026-03-12 10:00", ask("c1", returnRefund, noReason),
			[]string{"seven_day_no_reason.excluded_category", "unshipped_refund.shipped", "guaranteed_return_30d.no_tag", "after_sale_window.reason_needed", "repair_warranty.repair_only"},
			"不符合售后条件：定制商品不适用7天无理由退货；"},
		{"a quality problem after the 15 days: the window that passed, before the grants that do not apply",
			delivered("2026-03-01 15:00"), nil, "2026-03-17 00:00", ask("c1", returnRefund, quality),
			[]string{"after_sale_window.window_passed", "unshipped_refund.shipped", "guaranteed_return_30d.no_tag", "seven_day_no_reason.no_reason_only", "repair_warranty.repair_only"},
			"不符合售后条件：15天售后有效期已于2026-03-17 00:00结束；"},
		{"two windows passed: in the order of the rules, the guaranteed return before the general window",
			tagged, nil, "2026-04-05 10:00", ask("c1", returnRefund, quality),
			[]string{"guaranteed_return_30d.window_passed", "after_sale_window.window_passed", "unshipped_refund.shipped", "seven_day_no_reason.no_reason_only", "repair_warranty.repair_only"},
			"不符合售后条件：30天包退期已于2026-04-01 00:00结束；15天售后有效期已于2026-03-18 00:00结束；"},
		{"no grant covers it and a limit forbids it: the grant's refusal, the limit's, then what does not apply",
			delivered("2026-03-01 15:00"), threeCases, "2026-03-20 10:00", ask("c4", returnRefund, quality),
			[]string{"after_sale_window.window_passed", "resubmission.too_many", "unshipped_refund.shipped", "guaranteed_return_30d.no_tag", "seven_day_no_reason.no_reason_only", "repair_warranty.repair_only"},
			"不符合售后条件：15天售后有效期已于2026-03-17 00:00结束；该订单已申请3次售后，同一商品最多申请3次；"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, defaults(), 9900, tc.setup)
			if tc.cases != nil {
				tc.cases(w)
			}
			_, err := w.apply(tc.asked, tc.cmd)
			if diff := cmp.Diff(tc.want, reasons(t, err)); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			var e *aftersale.Error
			errors.As(err, &e)
			if e.Rule != tc.want[0] {
				t.Errorf("Error.Rule is %q, want the first reason's, %q", e.Rule, tc.want[0])
			}
			if !strings.HasPrefix(e.Zh, tc.zh) {
				t.Errorf("Error.Zh is %q, want it to start %q", e.Zh, tc.zh)
			}
		})
	}
}

func TestExcludedCategoriesAreAParameter(t *testing.T) {
	rules := defaults().Replace(&policy.SevenDay{Excluded: []aftersale.Category{aftersale.CategoryCustom}})
	w := newWorld(t, rules, 9900, func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryPerishable })
	if _, err := w.apply("2026-03-02 10:00", ask("c1", returnRefund, noReason)); err != nil {
		t.Errorf("perishable goods with only custom goods excluded: %v", err)
	}
	w = newWorld(t, rules, 9900, func(o *aftersale.Order) { delivered("2026-03-01 15:00")(o); o.Category = aftersale.CategoryCustom })
	_, err := w.apply("2026-03-02 10:00", ask("c1", returnRefund, noReason))
	if !slices.Contains(reasons(t, err), "seven_day_no_reason.excluded_category") {
		t.Errorf("the denial does not name the excluded category: %v", err)
	}
}

func TestWindowsAreParameters(t *testing.T) {
	rules := defaults().Replace(&policy.SevenDay{Days: 15})
	w := newWorld(t, rules, 9900, delivered("2026-03-01 15:00"))
	out := w.must("2026-03-16 23:59", ask("c1", returnRefund, noReason))
	if out.Event.Decision.Policy != "seven_day_no_reason" {
		t.Errorf("decided by %q", out.Event.Decision.Policy)
	}
}

func TestResubmissionAllowsThreeCasesOnAnOrderWithoutLines(t *testing.T) {
	w := newWorld(t, defaults(), 9900, delivered("2026-03-01 15:00"))
	for i, id := range []string{"c1", "c2", "c3"} {
		when := []string{"2026-03-02 10:00", "2026-03-03 10:00", "2026-03-04 10:00"}[i]
		w.must(when, ask(id, returnRefund, quality))
		w.must(when, aftersale.Command{Case: id, Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Note: "no defect"})
	}
	_, err := w.apply("2026-03-05 10:00", ask("c4", returnRefund, quality))
	if diff := cmp.Diff([]string{"resubmission.too_many"}, reasons(t, err)); diff != "" {
		t.Errorf("the fourth case (-want +got):\n%s", diff)
	}
	if c := w.o.Case("c3"); c.State() != aftersale.StateRejected {
		t.Errorf("the refused request changed c3 to %s", c.State())
	}
	// The cap is a parameter.
	w.e, _ = aftersale.New(aftersale.Config{Rules: defaults().Replace(&policy.Resubmission{MaxCases: 4}), Zone: zone})
	w.must("2026-03-05 10:00", ask("c4", returnRefund, quality))
}
