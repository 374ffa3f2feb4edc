package policy

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// FreightSubsidy is the return-freight subsidy (退货补运费, RULES.md 5.5). When
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
func (*FreightSubsidy) Name() string { return freightName }

// Compensate decides the subsidy for a case being refunded.
func (p *FreightSubsidy) Compensate(q aftersale.Query) (aftersale.Compensation, aftersale.Answer) {
	return p.compensate(&q)
}

// compensate decides for Compensate: the amount, the rule, the verdict and
// why; no rule when it has nothing to say.
func (p *FreightSubsidy) compensate(q *aftersale.Query) (comp aftersale.Compensation, a aftersale.Answer) {
	o, c := q.Order, q.Case
	ret, returned := c.ReturnShipment()
	switch {
	case c.Kind() != aftersale.KindReturnRefund || !returned || ret.Freight == 0:
		return
	case !c.Reason().MerchantFault() && !o.Flags.Has(aftersale.FlagFreightInsurance):
		return comp, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: freightBuyerPaysRule}
	case o.Delivered() && !ret.At.Before(p.windowEnd(o, q.Zone)):
		n, at := strconv.Itoa(cmp.Or(p.WindowDays, 15)), stamp(p.windowEnd(o, q.Zone), q.Zone)
		return comp, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(freightShippedLate, "签收后"+n+"天的补运费期限已于"+at+"结束，寄回过晚", "the goods were shipped back after the "+n+"-day subsidy window ended at "+at)}
	case len(p.Carriers) > 0 && !slices.Contains(p.Carriers, ret.Carrier):
		return comp, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(freightCarrier, "未使用指定物流寄回（指定物流："+strings.Join(p.Carriers, "、")+"）", "the goods were not shipped back with a designated carrier ("+strings.Join(p.Carriers, ", ")+")")}
	}
	limit, got := cmp.Or(p.Cap, aftersale.Yuan(20)), o.Compensated()
	amount := min(ret.Freight, limit-got)
	if amount <= 0 {
		return comp, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(freightCapReached, "本订单已获运费补贴"+got.String()+"元，已达每单"+limit.String()+"元上限", "the order already got "+got.String()+" of freight subsidy, the most allowed being "+limit.String()+" per order")}
	}
	comp = aftersale.Compensation{Amount: amount, Payer: aftersale.PayerMerchant}
	if o.Flags.Has(aftersale.FlagFreightInsurance) {
		comp.Payer = aftersale.PayerInsurance
		return comp, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: freightInsuredRule}
	}
	return comp, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: freightMerchantFaultRule}
}

// windowEnd returns when o's goods must be shipped back by for a subsidy.
func (p *FreightSubsidy) windowEnd(o *aftersale.Order, zone *time.Location) time.Time {
	return timeline.EndOfDay(o.DeliveredAt, cmp.Or(p.WindowDays, 15), zone)
}

// Validate refuses negative parameters.
func (p *FreightSubsidy) Validate() error {
	if p.Cap < 0 || p.WindowDays < 0 {
		return invalid(p.Name(), "cap and window_days must not be negative", "cap和window_days不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *FreightSubsidy) UnmarshalJSON(b []byte) error {
	type plain FreightSubsidy
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// freightName is FreightSubsidy's name: Compensate builds every decision
// of the policy under it, and the rule ids start with it.
const freightName = "freight_subsidy"

// FreightSubsidy's rules.
const (
	freightBuyerPays     = freightName + ".buyer_pays"
	freightShippedLate   = freightName + ".shipped_late"
	freightCarrier       = freightName + ".carrier"
	freightCapReached    = freightName + ".cap_reached"
	freightInsured       = freightName + ".insured"
	freightMerchantFault = freightName + ".merchant_fault"
)

// FreightSubsidy's rules whose messages are always the same.
var (
	freightBuyerPaysRule     = aftersale.NewRule(freightBuyerPays, "非商家责任且无运费险，退货运费由买家承担", "not the merchant's fault and no freight insurance: the buyer pays the return freight")
	freightInsuredRule       = aftersale.NewRule(freightInsured, "运费险补贴退货运费", "freight insurance pays the return freight")
	freightMerchantFaultRule = aftersale.NewRule(freightMerchantFault, "商家责任，商家承担退货运费", "the merchant's fault: the merchant pays the return freight")
)
