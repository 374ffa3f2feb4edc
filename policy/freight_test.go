package policy_test

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// refundReturn takes case id through a return with the given freight and
// carrier, shipped back at shipped, and returns the refund event.
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

// TestFreightSubsidy checks 退货补运费: merchant fault or insurance, shipped
// within 15 days of delivery, designated carriers, min(freight, cap) per
// order, paid by the insurance or the merchant.
func TestFreightSubsidy(t *testing.T) {
	insured := func(o *aftersale.Order) { delivered("2026-03-02 15:00")(o); o.Flags = aftersale.FlagFreightInsurance }
	for _, tc := range []struct {
		name    string
		rules   aftersale.Rules
		setup   func(o *aftersale.Order)
		reason  aftersale.Reason
		shipped string
		carrier string
		freight aftersale.Money
		comp    aftersale.Money
		payer   aftersale.Payer
		rule    string
	}{
		{"quality problem, freight 12.00: the merchant pays 12.00", defaults(), delivered("2026-03-02 15:00"), quality, "2026-03-04 10:00", "SF", 1200, 1200, aftersale.PayerMerchant, "freight_subsidy.merchant_fault"},
		{"wrong item, freight 35.00: capped at 20.00", defaults(), delivered("2026-03-02 15:00"), aftersale.ReasonWrongItem, "2026-03-04 10:00", "SF", 3500, 2000, aftersale.PayerMerchant, "freight_subsidy.merchant_fault"},
		{"no reason with freight insurance: the insurance pays", defaults(), insured, noReason, "2026-03-04 10:00", "SF", 1000, 1000, aftersale.PayerInsurance, "freight_subsidy.insured"},
		{"no reason without insurance: the buyer pays", defaults(), delivered("2026-03-02 15:00"), noReason, "2026-03-04 10:00", "SF", 1000, 0, 0, "freight_subsidy.buyer_pays"},
		{"delivered 03-02, shipped back 03-17 23:59 (15th day): subsidised", defaults(), delivered("2026-03-02 15:00"), quality, "2026-03-17 23:59", "SF", 800, 800, aftersale.PayerMerchant, "freight_subsidy.merchant_fault"},
		{"delivered 03-02, shipped back 03-18 00:00: too late", defaults().Replace(&policy.AfterSaleWindow{Days: 30}), delivered("2026-03-02 15:00"), quality, "2026-03-18 00:00", "SF", 800, 0, 0, "freight_subsidy.shipped_late"},
		{"designated carriers, returned with another: no subsidy", defaults().Replace(&policy.FreightSubsidy{Carriers: []string{"SF", "JD"}}), delivered("2026-03-02 15:00"), quality, "2026-03-04 10:00", "YTO", 800, 0, 0, "freight_subsidy.carrier"},
		{"designated carriers, returned with one of them: subsidised", defaults().Replace(&policy.FreightSubsidy{Carriers: []string{"SF", "JD"}}), delivered("2026-03-02 15:00"), quality, "2026-03-04 10:00", "JD", 800, 800, aftersale.PayerMerchant, "freight_subsidy.merchant_fault"},
		{"cap raised to 30.00: 30.00 of 35.00", defaults().Replace(&policy.FreightSubsidy{Cap: aftersale.Yuan(30)}), delivered("2026-03-02 15:00"), quality, "2026-03-04 10:00", "SF", 3500, 3000, aftersale.PayerMerchant, "freight_subsidy.merchant_fault"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.rules, 9900, tc.setup)
			entered, ev := w.refundReturn("c1", tc.reason, tc.shipped, tc.carrier, tc.freight)
			if entered.Compensation != tc.comp || entered.Payer != tc.payer || entered.CompensationDecision.Rule != tc.rule {
				t.Errorf("decided on receipt: compensation %s paid by %s (%s), want %s paid by %s (%s)",
					entered.Compensation, entered.Payer, entered.CompensationDecision.Rule, tc.comp, tc.payer, tc.rule)
			}
			if ev.Compensation != tc.comp || ev.Payer != tc.payer || !ev.CompensationDecision.IsZero() {
				t.Errorf("the refund pays compensation %s by %s (%+v), want what was decided on receipt", ev.Compensation, ev.Payer, ev.CompensationDecision)
			}
			if got := w.o.Case("c1").Compensation(); got.Amount != tc.comp {
				t.Errorf("case compensation %s", got.Amount)
			}
			if ev.Amount != 9900 {
				t.Errorf("refunded %s, want the full 99.00", ev.Amount)
			}
		})
	}
}

func TestFreightSubsidyCapIsPerOrder(t *testing.T) {
	w := newWorld(t, defaults(), 9900, func(o *aftersale.Order) {
		delivered("2026-03-02 15:00")(o)
		o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: 5000}, {ID: "l2", Quantity: 1, Paid: 4900}}
	})
	_, first := w.refundReturn("c1", quality, "2026-03-04 10:00", "SF", 1500, aftersale.Units{Line: "l1", Quantity: 1})
	_, second := w.refundReturn("c2", quality, "2026-03-05 10:00", "SF", 1500, aftersale.Units{Line: "l2", Quantity: 1})
	if first.Compensation != 1500 || second.Compensation != 500 {
		t.Errorf("subsidies %s and %s, want 15.00 and the 5.00 left of the 20.00 cap", first.Compensation, second.Compensation)
	}
	if w.o.Compensated() != 2000 {
		t.Errorf("order compensated %s", w.o.Compensated())
	}
}

// TestFreightSubsidyCapCountsCasesStillRefunding checks that the cap
// counts what a case still refunding was granted: two returns received
// before either refund is paid share the 20.00.
func TestFreightSubsidyCapCountsCasesStillRefunding(t *testing.T) {
	w := newWorld(t, defaults(), 9900, func(o *aftersale.Order) {
		delivered("2026-03-02 15:00")(o)
		o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: 5000}, {ID: "l2", Quantity: 1, Paid: 4900}}
	})
	first := w.receiveReturn("c1", quality, "2026-03-04 10:00", "SF", 1500, aftersale.Units{Line: "l1", Quantity: 1})
	second := w.receiveReturn("c2", quality, "2026-03-04 11:00", "SF", 1500, aftersale.Units{Line: "l2", Quantity: 1})
	if first.Compensation != 1500 || second.Compensation != 500 {
		t.Errorf("subsidies %s and %s while both refund, want 15.00 and the 5.00 left of the 20.00 cap", first.Compensation, second.Compensation)
	}
	if got := w.o.Compensated(); got != 2000 {
		t.Errorf("order compensated %s while both refund, want 20.00", got)
	}
}
