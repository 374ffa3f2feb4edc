package policy

import (
	"cmp"
	"slices"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// FreightSubsidy is the return-freight subsidy (退货补运费, seed 002). When
// a return_refund case is refunded and the buyer paid return freight, a
// compensation line is added if all hold:
//   - the reason is the merchant's fault (quality, not as described, wrong
//     item, damaged) or the order carries freight insurance;
//   - the goods were shipped back within WindowDays calendar days counted
//     from the day after delivery (签收后7-15天内; default 15);
//   - if Carriers lists designated carriers, the return used one of them
//     (使用指定物流方式寄回).
//
// The amount is the freight paid, up to Cap per order, less what earlier
// cases of the order already got (平台一般最高补贴20元/单). It is paid by
// the insurance when the order has freight insurance, else by the merchant.
type FreightSubsidy struct {
	// Cap is the most paid per order: default 20.00.
	Cap aftersale.Money `json:"cap,omitzero"`
	// WindowDays is how soon after delivery the goods must be shipped back:
	// default 15.
	WindowDays int `json:"window_days,omitzero"`
	// Carriers are the designated carriers; none means any carrier.
	Carriers []string `json:"carriers,omitempty"`
}

var _ aftersale.Compensator = (*FreightSubsidy)(nil)

// Name returns "freight_subsidy".
func (*FreightSubsidy) Name() string { return "freight_subsidy" }

// Compensate decides the subsidy for a case being refunded.
func (p *FreightSubsidy) Compensate(q aftersale.Query) (aftersale.Compensation, aftersale.Decision) {
	o, c := q.Order, q.Case
	ret, returned := c.ReturnShipment()
	switch {
	case c.Kind() != aftersale.KindReturnRefund || !returned || ret.Freight == 0:
		return aftersale.Compensation{}, aftersale.Decision{}
	case !c.Reason().MerchantFault() && !o.Flags.Has(aftersale.FlagFreightInsurance):
		return aftersale.Compensation{}, freightBuyerPays
	case o.Delivered() && !ret.At.Before(timeline.EndOfDay(o.DeliveredAt, cmp.Or(p.WindowDays, 15), q.Zone)):
		return aftersale.Compensation{}, freightShippedLate
	case len(p.Carriers) > 0 && !slices.Contains(p.Carriers, ret.Carrier):
		return aftersale.Compensation{}, freightCarrier
	}
	left := cmp.Or(p.Cap, aftersale.Yuan(20)) - o.Compensated()
	amount := min(ret.Freight, left)
	if amount <= 0 {
		return aftersale.Compensation{}, freightCapReached
	}
	comp := aftersale.Compensation{Amount: amount, Payer: aftersale.PayerMerchant}
	if o.Flags.Has(aftersale.FlagFreightInsurance) {
		comp.Payer = aftersale.PayerInsurance
		return comp, freightInsured
	}
	return comp, freightMerchantFault
}

// Validate refuses negative parameters.
func (p *FreightSubsidy) Validate() error {
	if p.Cap < 0 || p.WindowDays < 0 {
		return invalid(p.Name(), "cap and window_days must not be negative")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *FreightSubsidy) UnmarshalJSON(b []byte) error {
	type plain FreightSubsidy
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// The decisions FreightSubsidy takes. One value each serves every call: the
// Engine copies the decisions it records and never changes them.
var (
	freightBuyerPays     = aftersale.Decision{Policy: "freight_subsidy", Rule: "freight_subsidy.buyer_pays", Verdict: aftersale.VerdictDeny, Zh: "非商家责任且无运费险，退货运费由买家承担", En: "not the merchant's fault and no freight insurance: the buyer pays the return freight"}
	freightShippedLate   = aftersale.Decision{Policy: "freight_subsidy", Rule: "freight_subsidy.shipped_late", Verdict: aftersale.VerdictDeny, Zh: "超过签收后补运费期限才寄回", En: "the goods were shipped back too long after delivery for a subsidy"}
	freightCarrier       = aftersale.Decision{Policy: "freight_subsidy", Rule: "freight_subsidy.carrier", Verdict: aftersale.VerdictDeny, Zh: "未使用指定物流寄回", En: "the goods were not shipped back with a designated carrier"}
	freightCapReached    = aftersale.Decision{Policy: "freight_subsidy", Rule: "freight_subsidy.cap_reached", Verdict: aftersale.VerdictDeny, Zh: "本订单运费补贴已达上限", En: "the order already got the most freight subsidy allowed"}
	freightInsured       = aftersale.Decision{Policy: "freight_subsidy", Rule: "freight_subsidy.insured", Verdict: aftersale.VerdictAllow, Zh: "运费险补贴退货运费", En: "freight insurance pays the return freight"}
	freightMerchantFault = aftersale.Decision{Policy: "freight_subsidy", Rule: "freight_subsidy.merchant_fault", Verdict: aftersale.VerdictAllow, Zh: "商家责任，商家承担退货运费", En: "the merchant's fault: the merchant pays the return freight"}
)
