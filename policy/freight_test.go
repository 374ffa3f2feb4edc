package policy_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// refundReturn plays a return of case id to its refund, and returns the
// event that took the case into refunding, where the compensation is
// decided, and the refund, which pays it.
func (w *world) refundReturn(id string, reason aftersale.Reason, shipped, carrier string, freight aftersale.Money, units ...aftersale.Units) (entered, refund aftersale.Event) {
	w.t.Helper()
	entered = w.receiveReturn(id, reason, shipped, carrier, freight, units...)
	return entered, w.must(shipped, aftersale.Command{Case: id, Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}).Event
}

// receiveReturn plays a return of case id until the merchant receives the
// goods, and returns that event.
func (w *world) receiveReturn(id string, reason aftersale.Reason, shipped, carrier string, freight aftersale.Money, units ...aftersale.Units) aftersale.Event {
	w.t.Helper()
	req := ask(id, aftersale.KindReturnRefund, reason)
	req.Lines = units
	w.must(shipped, req)
	w.must(shipped, aftersale.Command{Case: id, Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})
	w.must(shipped, aftersale.Command{Case: id, Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Carrier: carrier, Waybill: "W-" + id, Freight: freight})
	return w.must(shipped, aftersale.Command{Case: id, Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn}).Event
}

// TestFreightSubsidy checks who pays back the return freight (RULES.md
// 5.5): the merchant, all of it, for its own fault; the freight insurance
// first, up to its cap and within its window and carriers, and then the
// merchant the rest; for any other reason only the insurance; else the
// buyer.
func TestFreightSubsidy(t *testing.T) {
	plain := delivered("2026-03-02 15:00")
	insured := func(o *aftersale.Order) { plain(o); o.Flags = aftersale.FlagFreightInsurance }
	merchant := func(m aftersale.Money) aftersale.Compensation {
		return aftersale.Compensation{Amount: m, Payer: aftersale.PayerMerchant}
	}
	insurance := func(m aftersale.Money) aftersale.Compensation {
		return aftersale.Compensation{Amount: m, Payer: aftersale.PayerInsurance}
	}
	carriers := defaults().Replace(&policy.FreightSubsidy{Carriers: []string{"SF", "JD"}})
	for _, tc := range []struct {
		name    string
		rules   aftersale.Rules
		setup   func(o *aftersale.Order)
		reason  aftersale.Reason
		shipped string
		carrier string
		freight aftersale.Money
		lines   []aftersale.Compensation
		rule    string
	}{
		{"quality, freight 12.00, uninsured: the merchant pays 12.00", defaults(), plain, quality, "2026-03-04 10:00", "SF", 1200,
			[]aftersale.Compensation{merchant(1200)}, "freight_subsidy.merchant_fault"},
		{"quality, freight 25.00, uninsured: the merchant pays 25.00, no cap", defaults(), plain, quality, "2026-03-04 10:00", "SF", 2500,
			[]aftersale.Compensation{merchant(2500)}, "freight_subsidy.merchant_fault"},
		{"quality, freight 25.00, insured: the insurance 20.00, the merchant 5.00", defaults(), insured, quality, "2026-03-04 10:00", "SF", 2500,
			[]aftersale.Compensation{insurance(2000), merchant(500)}, "freight_subsidy.insured_then_merchant"},
		{"quality, freight 12.00, insured: the insurance pays it all", defaults(), insured, quality, "2026-03-04 10:00", "SF", 1200,
			[]aftersale.Compensation{insurance(1200)}, "freight_subsidy.insured"},
		{"no reason, freight 10.00, insured: the insurance pays", defaults(), insured, noReason, "2026-03-04 10:00", "SF", 1000,
			[]aftersale.Compensation{insurance(1000)}, "freight_subsidy.insured"},
		{"no reason, freight 25.00, insured: the insurance pays its 20.00, the buyer the rest", defaults(), insured, noReason, "2026-03-04 10:00", "SF", 2500,
			[]aftersale.Compensation{insurance(2000)}, "freight_subsidy.insured"},
		{"no reason, uninsured: the buyer pays", defaults(), plain, noReason, "2026-03-04 10:00", "SF", 1000,
			nil, "freight_subsidy.buyer_pays"},
		{"insured, delivered 03-02, shipped back 03-17 23:59 (15th day): the insurance pays", defaults().Replace(&policy.SevenDay{Days: 30}), insured, noReason, "2026-03-17 23:59", "SF", 800,
			[]aftersale.Compensation{insurance(800)}, "freight_subsidy.insured"},
		{"insured, shipped back 03-18 00:00, no reason: too late for the insurance", defaults().Replace(&policy.SevenDay{Days: 30}), insured, noReason, "2026-03-18 00:00", "SF", 800,
			nil, "freight_subsidy.shipped_late"},
		{"insured, shipped back 03-18 00:00, quality: too late for the insurance, the merchant pays", defaults().Replace(&policy.AfterSaleWindow{Days: 30}), insured, quality, "2026-03-18 00:00", "SF", 800,
			[]aftersale.Compensation{merchant(800)}, "freight_subsidy.merchant_fault"},
		{"uninsured, shipped back late, quality: the merchant pays, its liability has no window", defaults().Replace(&policy.AfterSaleWindow{Days: 30}), plain, quality, "2026-03-18 00:00", "SF", 800,
			[]aftersale.Compensation{merchant(800)}, "freight_subsidy.merchant_fault"},
		{"insured, designated carriers, another used, no reason: the insurance pays nothing", carriers, insured, noReason, "2026-03-04 10:00", "YTO", 800,
			nil, "freight_subsidy.carrier"},
		{"insured, designated carriers, another used, quality: the merchant pays", carriers, insured, quality, "2026-03-04 10:00", "YTO", 800,
			[]aftersale.Compensation{merchant(800)}, "freight_subsidy.merchant_fault"},
		{"insured, designated carriers, one of them used: the insurance pays", carriers, insured, noReason, "2026-03-04 10:00", "JD", 800,
			[]aftersale.Compensation{insurance(800)}, "freight_subsidy.insured"},
		{"insured, designated carriers SF and JD, returned by \" sf \": the same carrier, the insurance pays", carriers, insured, noReason, "2026-03-04 10:00", " sf ", 800,
			[]aftersale.Compensation{insurance(800)}, "freight_subsidy.insured"},
		{"insured, cap raised to 30.00, quality, freight 35.00: the insurance 30.00, the merchant 5.00", defaults().Replace(&policy.FreightSubsidy{Cap: aftersale.Yuan(30)}), insured, quality, "2026-03-04 10:00", "SF", 3500,
			[]aftersale.Compensation{insurance(3000), merchant(500)}, "freight_subsidy.insured_then_merchant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.rules, 9900, tc.setup)
			entered, ev := w.refundReturn("c1", tc.reason, tc.shipped, tc.carrier, tc.freight)
			if diff := cmp.Diff(tc.lines, entered.Compensation); diff != "" || entered.CompensationDecision.Rule != tc.rule {
				t.Errorf("decided on receipt under %q, want %q (-want +got):\n%s", entered.CompensationDecision.Rule, tc.rule, diff)
			}
			if diff := cmp.Diff(tc.lines, ev.Compensation); diff != "" || !ev.CompensationDecision.IsZero() {
				t.Errorf("the refund pays otherwise than decided on receipt (%+v):\n%s", ev.CompensationDecision, diff)
			}
			if diff := cmp.Diff(tc.lines, w.o.Case("c1").Compensation()); diff != "" {
				t.Errorf("the case's compensation:\n%s", diff)
			}
			if ev.Amount != 9900 {
				t.Errorf("refunded %s, want the full 99.00", ev.Amount)
			}
		})
	}
}

// TestFreightInsuranceCapIsPerOrder checks that the insurance's cap counts
// across the cases of the order, also those still refunding: two insured
// returns of 15.00 each, received before either refund is paid, get 15.00
// and the 5.00 left of the 20.00 from the insurance; the merchant's fault
// makes the merchant pay the other 10.00, uncapped.
func TestFreightInsuranceCapIsPerOrder(t *testing.T) {
	w := newWorld(t, defaults(), 9900, func(o *aftersale.Order) {
		delivered("2026-03-02 15:00")(o)
		o.Flags = aftersale.FlagFreightInsurance
		o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: 5000}, {ID: "l2", Quantity: 1, Paid: 4900}}
	})
	first := w.receiveReturn("c1", quality, "2026-03-04 10:00", "SF", 1500, aftersale.Units{Line: "l1", Quantity: 1})
	second := w.receiveReturn("c2", quality, "2026-03-04 11:00", "SF", 1500, aftersale.Units{Line: "l2", Quantity: 1})
	want := [][]aftersale.Compensation{
		{{Amount: 1500, Payer: aftersale.PayerInsurance}},
		{{Amount: 500, Payer: aftersale.PayerInsurance}, {Amount: 1000, Payer: aftersale.PayerMerchant}},
	}
	if diff := cmp.Diff(want, [][]aftersale.Compensation{first.Compensation, second.Compensation}); diff != "" {
		t.Errorf("the two returns (-want +got):\n%s", diff)
	}
	if by := w.o.Compensated(aftersale.PayerInsurance); by != 2000 {
		t.Errorf("the insurance paid %s for the order, want its cap, 20.00", by)
	}
}
