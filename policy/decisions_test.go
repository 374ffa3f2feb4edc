package policy_test

import (
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// bare returns an engine with no policies: every request is eligible, so
// it opens a case of any kind and reason for a policy to be asked about.
func bare(t testing.TB, rules ...aftersale.Policy) *aftersale.Engine {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: aftersale.Rules{Version: "test", Policies: rules}, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// deliveredOrder returns an order of amount paid 03-01 10:00, shipped
// 03-01 12:00 and delivered 03-01 15:00.
func deliveredOrder(t testing.TB, amount aftersale.Money) *aftersale.Order {
	o := &aftersale.Order{ID: "o-1", Buyer: "b-1", Amount: amount, PaidAt: at(t, "2026-03-01 10:00")}
	delivered("2026-03-01 15:00")(o)
	return o
}

// insuredOrder is deliveredOrder of 99.00 with freight insurance.
func insuredOrder(t testing.TB) *aftersale.Order {
	o := deliveredOrder(t, 9900)
	o.Flags = aftersale.FlagFreightInsurance
	return o
}

// step is a command and when it is given.
type step struct {
	at  string
	cmd aftersale.Command
}

// run applies the steps to o, failing on a refusal.
func run(t testing.TB, e *aftersale.Engine, o *aftersale.Order, steps ...step) {
	t.Helper()
	for _, s := range steps {
		if _, err := e.ApplyAt(at(t, s.at), o, s.cmd); err != nil {
			t.Fatalf("%s at %s: %v", s.cmd.Action, s.at, err)
		}
	}
}

var (
	approve        = aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}
	receiveReturn  = aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn}
	refundSucceeds = aftersale.Command{Case: "c1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}
)

// shipReturn sends c1's goods back with carrier and freight.
func shipReturn(carrier string, freight aftersale.Money) aftersale.Command {
	return aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Carrier: carrier, Waybill: "W1", Freight: freight}
}

// openCase returns a case of the given kind and reason opened 03-02 10:00
// on a delivered order of its own.
func openCase(t testing.TB, k aftersale.Kind, r aftersale.Reason) *aftersale.Case {
	t.Helper()
	return openCaseFor(t, k, r, 0)
}

// openCaseFor is openCase for a case that asks for amount (zero: the
// whole order, 99.00).
func openCaseFor(t testing.TB, k aftersale.Kind, r aftersale.Reason, amount aftersale.Money) *aftersale.Case {
	t.Helper()
	o := deliveredOrder(t, 9900)
	cmd := ask("c1", k, r)
	cmd.Amount = amount
	run(t, bare(t), o, step{"2026-03-02 10:00", cmd})
	return o.Case("c1")
}

// returnedCase returns a return_refund case whose goods were shipped back
// on the given day at 12:00 with carrier and freight, on a delivered order
// of its own; it was asked for and approved that morning.
func returnedCase(t testing.TB, r aftersale.Reason, day, carrier string, freight aftersale.Money) *aftersale.Case {
	t.Helper()
	o := deliveredOrder(t, 9900)
	run(t, bare(t), o,
		step{day + " 10:00", ask("c1", returnRefund, r)},
		step{day + " 11:00", approve},
		step{day + " 12:00", shipReturn(carrier, freight)})
	return o.Case("c1")
}

// resubmitted returns a delivered order with n cases, each but the last
// rejected and superseded by the next.
func resubmitted(t testing.TB, n int) *aftersale.Order {
	t.Helper()
	o := deliveredOrder(t, 9900)
	e := bare(t)
	for i := range n {
		id, when := "c"+strconv.Itoa(i+1), at(t, "2026-03-02 10:00").Add(time.Duration(i)*time.Hour)
		run(t, e, o, step{atString(when), ask(id, returnRefund, quality)})
		if i < n-1 {
			run(t, e, o, step{atString(when.Add(30 * time.Minute)), aftersale.Command{Case: id, Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Note: "no"}})
		}
	}
	return o
}

// compensated returns a delivered order with freight insurance whose case
// was refunded with the insurance's most, 20.00, and the merchant the
// rest of the freight.
func compensated(t testing.TB) *aftersale.Order {
	t.Helper()
	o := deliveredOrder(t, 9900)
	o.Flags = aftersale.FlagFreightInsurance
	run(t, bare(t, &policy.FreightSubsidy{}), o,
		step{"2026-03-02 10:00", ask("c1", returnRefund, quality)},
		step{"2026-03-02 11:00", approve},
		step{"2026-03-02 12:00", shipReturn("SF", aftersale.Yuan(25))},
		step{"2026-03-03 12:00", receiveReturn},
		step{"2026-03-03 13:00", refundSucceeds})
	if o.Compensated(aftersale.PayerInsurance) != aftersale.Yuan(20) || o.Compensated(0) != aftersale.Yuan(25) {
		t.Fatalf("the compensated order got %s, %s of it from the insurance", o.Compensated(0), o.Compensated(aftersale.PayerInsurance))
	}
	return o
}

// atString formats t the way at reads it.
func atString(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04") }

// queries returns a varied set of queries: orders at every stage, with
// and without each flag and tag, with earlier cases and compensation;
// cases of every kind, with and without a return shipment; times from an
// hour after payment to six weeks after delivery.
func queries(t testing.TB) []aftersale.Query {
	t.Helper()
	paid := func(amount aftersale.Money, change func(o *aftersale.Order)) *aftersale.Order {
		o := &aftersale.Order{ID: "o-1", Buyer: "b-1", Amount: amount, PaidAt: at(t, "2026-03-01 10:00")}
		if change != nil {
			change(o)
		}
		return o
	}
	shipped := func(o *aftersale.Order) { o.ShippedAt = at(t, "2026-03-01 12:00") }
	fast := func(o *aftersale.Order) { o.Flags |= aftersale.FlagFastRefund }
	tagged := func(o *aftersale.Order) { o.Tags = aftersale.TagGuaranteedReturn }
	with := func(o *aftersale.Order, change func(o *aftersale.Order)) *aftersale.Order { change(o); return o }

	orders := []*aftersale.Order{
		paid(9900, nil),
		paid(9900, fast),
		paid(50000, fast),
		paid(9900, tagged),
		paid(9900, func(o *aftersale.Order) { shipped(o); fast(o) }),
		deliveredOrder(t, 9900),
		with(deliveredOrder(t, 9900), fast),
		with(deliveredOrder(t, 9900), tagged),
		with(deliveredOrder(t, 9900), func(o *aftersale.Order) { o.Category = aftersale.CategoryCustom }),
		with(deliveredOrder(t, 9900), func(o *aftersale.Order) { o.Flags = aftersale.FlagNoReasonWaived }),
		with(deliveredOrder(t, 9900), func(o *aftersale.Order) { o.Flags = aftersale.FlagFreightInsurance }),
		resubmitted(t, 3),
		compensated(t),
	}
	var cases []*aftersale.Case
	for _, k := range []aftersale.Kind{refundOnly, returnRefund, exchange, aftersale.KindReissue, aftersale.KindRepair} {
		for _, r := range []aftersale.Reason{noReason, quality, aftersale.ReasonMistakenPurchase, aftersale.ReasonNotReceived} {
			cases = append(cases, openCase(t, k, r))
		}
	}
	cases = append(cases, openCaseFor(t, refundOnly, quality, aftersale.Yuan(50)), openCaseFor(t, refundOnly, quality, 5001))
	for _, r := range []aftersale.Reason{noReason, quality, aftersale.ReasonMistakenPurchase} {
		for _, day := range []string{"2026-03-02", "2026-03-20"} {
			for _, carrier := range []string{"SF", "YTO"} {
				cases = append(cases, returnedCase(t, r, day, carrier, aftersale.Yuan(12)))
			}
		}
		cases = append(cases, returnedCase(t, r, "2026-03-02", "SF", 0))
	}
	times := []string{"2026-03-01 11:00", "2026-03-01 17:00", "2026-03-05 10:00", "2026-03-09 00:00", "2026-03-20 10:00", "2026-04-10 10:00", "2027-03-10 10:00"}

	var out []aftersale.Query
	for _, o := range orders {
		for _, c := range cases {
			for _, when := range times {
				out = append(out, aftersale.Query{Order: o, Case: c, At: at(t, when), Zone: zone})
			}
		}
	}
	return out
}

// answers returns every answer p gives over qs as the decision the engine
// records, the zero ones left out.
func answers(p aftersale.Policy, qs []aftersale.Query) []aftersale.Decision {
	var out []aftersale.Decision
	keep := func(a aftersale.Answer) {
		if a != (aftersale.Answer{}) {
			out = append(out, recorded(p, a))
		}
	}
	for _, q := range qs {
		if g, ok := p.(aftersale.Grant); ok {
			keep(g.Cover(q))
		}
		if l, ok := p.(aftersale.Limit); ok {
			keep(l.Check(q))
		}
		if a, ok := p.(aftersale.Approver); ok {
			keep(a.Approve(q))
		}
		if c, ok := p.(aftersale.Compensator); ok {
			_, d := c.Compensate(q)
			keep(d)
		}
	}
	return out
}

// TestDecisionsNameTheirPolicy asks every shipped policy, with default and
// other parameters, over a varied set of queries: each answer names a rule
// of the policy that gave it (the Engine records it under the policy's
// name), and says why in both languages. Between them the answers use every rule id there is, and no
// other: hosts store these ids, so they never change.
func TestDecisionsNameTheirPolicy(t *testing.T) {
	history := policy.RefundTimes{"b-1": {at(t, "2026-02-20 10:00"), at(t, "2026-02-25 10:00")}}
	policies := append(slices.Clone(policy.Default().Policies),
		&policy.SevenDay{Days: 10, Excluded: []aftersale.Category{}},
		&policy.GuaranteedReturn{Days: 45},
		&policy.AfterSaleWindow{Days: 20},
		&policy.Resubmission{MaxCases: 2},
		&policy.FastRefund{Within: 90 * time.Minute, Below: aftersale.Yuan(100)},
		&policy.AutoApprove{Enabled: true},
		&policy.AutoApprove{Enabled: true, Ceiling: aftersale.Yuan(60)},
		&policy.AbuseGuard{MaxRefunds: 2, Days: 14, History: history},
		&policy.FreightSubsidy{Cap: aftersale.Yuan(5), WindowDays: 10, Carriers: []string{"SF", "JD"}},
	)
	qs := queries(t)
	seen := map[string]bool{}
	for _, p := range policies {
		for _, d := range answers(p, qs) {
			seen[d.Rule] = true
			if !strings.HasPrefix(d.Rule, p.Name()+".") {
				t.Errorf("%s (%T) answered by rule %q, not one of its own", p.Name(), p, d.Rule)
			}
			if d.Zh == "" || d.En == "" {
				t.Errorf("%s: %s does not say why in both languages: %+v", p.Name(), d.Rule, d)
			}
			if d.Verdict > aftersale.VerdictDeny {
				t.Errorf("%s: %s has verdict %d", p.Name(), d.Rule, d.Verdict)
			}
		}
	}
	want := []string{
		"abuse_guard.too_many_refunds",
		"after_sale_window.before_delivery",
		"after_sale_window.in_window",
		"after_sale_window.reason_needed",
		"after_sale_window.reissue_reason",
		"after_sale_window.repair_by_warranty",
		"after_sale_window.window_passed",
		"auto_approve.above_ceiling",
		"auto_approve.at_or_below_ceiling",
		"auto_approve.not_enabled",
		"auto_approve.refund_only",
		"fast_refund.approved",
		"fast_refund.not_enabled",
		"fast_refund.refund_only",
		"fast_refund.shipped",
		"fast_refund.too_late",
		"fast_refund.too_much",
		"freight_subsidy.buyer_pays",
		"freight_subsidy.cap_reached",
		"freight_subsidy.carrier",
		"freight_subsidy.insured",
		"freight_subsidy.insured_then_merchant",
		"freight_subsidy.merchant_fault",
		"freight_subsidy.shipped_late",
		"guaranteed_return_30d.in_window",
		"guaranteed_return_30d.no_tag",
		"guaranteed_return_30d.not_shipped",
		"guaranteed_return_30d.return_refund_only",
		"guaranteed_return_30d.window_passed",
		"repair_warranty.fault_only",
		"repair_warranty.in_warranty",
		"repair_warranty.not_delivered",
		"repair_warranty.repair_only",
		"repair_warranty.warranty_passed",
		"resubmission.too_many",
		"seven_day_no_reason.excluded_category",
		"seven_day_no_reason.in_transit",
		"seven_day_no_reason.in_window",
		"seven_day_no_reason.no_reason_only",
		"seven_day_no_reason.not_delivered",
		"seven_day_no_reason.not_for_kind",
		"seven_day_no_reason.not_shipped",
		"seven_day_no_reason.return_first",
		"seven_day_no_reason.waived",
		"seven_day_no_reason.window_passed",
		"unshipped_refund.before_shipment",
		"unshipped_refund.refund_only",
		"unshipped_refund.shipped",
	}
	if diff := cmp.Diff(want, slices.Sorted(maps.Keys(seen))); diff != "" {
		t.Errorf("rule ids (-want +got):\n%s", diff)
	}
	rules, err := os.ReadFile("../RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	for id := range seen {
		if !strings.Contains(string(rules), "`"+id+"`") {
			t.Errorf("rule id %s is not in RULES.md: add it where its rule is written down", id)
		}
	}
}

// recorded returns a as the engine records it for p.
func recorded(p aftersale.Policy, a aftersale.Answer) aftersale.Decision {
	d := aftersale.Decision{Policy: p.Name(), Verdict: a.Verdict}
	if a.Rule != nil {
		d.Rule, d.Zh, d.En = a.Rule.ID(), a.Rule.Zh(), a.Rule.En()
	}
	return d
}
