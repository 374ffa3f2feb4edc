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

// FreightSubsidy decides who pays back the return freight (退货运费, RULES.md
// 5.5) when the buyer sent goods back (a return, an exchange, a repair)
// and gave the freight with ship_return. It is asked when the case enters
// refunding, or for an exchange or repair when the goods are received, and answers
// with compensation lines by payer:
//   - For a reason of the merchant's fault (quality, not as described,
//     wrong item, damaged) the merchant bears the whole freight, with no
//     cap (Consumer Protection Law art. 24: 退货、更换、修理的, 经营者应当承担运输等必要费用);
//     if the order has freight insurance, the insurance pays first, up to
//     its cap, and the merchant the rest.
//   - For any other reason only freight insurance pays, up to its cap;
//     without it the buyer bears the freight.
//
// The insurance pays only for goods shipped back within WindowDays
// calendar days counted from the day after delivery (签收后7-15天内; default
// 15) and, if Carriers lists designated carriers, with one of them; its
// Cap (default 20.00, 平台一般最高补贴20元/单) counts across all the cases of
// the order. The merchant's own liability has no such conditions.
type FreightSubsidy struct {
	// Cap is the most the freight insurance pays per order: default 20.00.
	Cap aftersale.Money `json:"cap,omitzero"`
	// WindowDays is how soon after delivery the goods must be shipped back
	// for the insurance to pay: default 15.
	WindowDays int `json:"window_days,omitzero"`
	// Carriers are the carriers the insurance requires; none means any.
	// They match the carrier of the return ignoring case and the spaces
	// around them: "SF" is "sf".
	Carriers []string `json:"carriers,omitempty"`
}

var _ aftersale.Compensator = (*FreightSubsidy)(nil)

// Name returns "freight_subsidy".
func (*FreightSubsidy) Name() string { return freightName }

// Compensate decides who pays back the return freight of a case whose
// goods came back.
func (p *FreightSubsidy) Compensate(q aftersale.Query) ([]aftersale.Compensation, aftersale.Answer) {
	return p.compensate(&q)
}

// compensate decides for Compensate: the lines, the rule, the verdict and
// why; nothing when the case sent no freight back.
func (p *FreightSubsidy) compensate(q *aftersale.Query) ([]aftersale.Compensation, aftersale.Answer) {
	o, c := q.Order, q.Case
	ret, returned := c.ReturnShipment()
	if k := c.Kind(); k != aftersale.KindReturnRefund && k != aftersale.KindExchange && k != aftersale.KindRepair || !returned || ret.Freight == 0 {
		return nil, aftersale.Answer{}
	}
	fault, insured := c.Reason().MerchantFault(), o.Flags.Has(aftersale.FlagFreightInsurance)
	if !fault && !insured {
		return nil, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: freightBuyerPaysRule}
	}
	var byInsurance aftersale.Money
	var notInsured aftersale.Answer // why the insurance pays nothing, if it does not
	if insured {
		byInsurance, notInsured = p.insurance(q, ret)
	}
	var lines []aftersale.Compensation
	if byInsurance > 0 {
		lines = append(lines, aftersale.Compensation{Amount: byInsurance, Payer: aftersale.PayerInsurance})
	}
	byMerchant := ret.Freight - byInsurance
	if fault && byMerchant > 0 {
		lines = append(lines, aftersale.Compensation{Amount: byMerchant, Payer: aftersale.PayerMerchant})
	}
	switch {
	case !fault && byInsurance == 0:
		return nil, notInsured
	case !fault && byMerchant > 0: // the buyer bears what the cap left
		limit := cmp.Or(p.Cap, aftersale.Yuan(20))
		return lines, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule(freightInsured,
			"运费险赔付退货运费"+ret.Freight.String()+"元中的"+byInsurance.String()+"元（每单上限"+limit.String()+"元），其余"+byMerchant.String()+"元由买家承担",
			"the freight insurance pays "+byInsurance.String()+" of the "+ret.Freight.String()+" return freight, its cap being "+limit.String()+" per order; the buyer bears the other "+byMerchant.String())}
	case !fault || byMerchant == 0:
		return lines, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: freightInsuredRule}
	case byInsurance > 0:
		return lines, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule(freightInsuredThenMerchant,
			"商家责任：运费险先赔付"+byInsurance.String()+"元，其余"+byMerchant.String()+"元由商家承担",
			"the merchant's fault: the freight insurance pays "+byInsurance.String()+" first, the merchant the other "+byMerchant.String())}
	}
	if insured { // the insurance paid nothing: say why, so a designated carrier's refusal is not lost
		zh, en := notInsured.Rule.Zh(), notInsured.Rule.En()
		return lines, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule(freightMerchantFault,
			freightMerchantFaultRule.Zh()+"（运费险未赔付："+zh+"）", freightMerchantFaultRule.En()+" (the freight insurance paid nothing: "+en+")")}
	}
	return lines, aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: freightMerchantFaultRule}
}

// insurance returns what the freight insurance pays of the return freight
// of ret, and if nothing, why not.
func (p *FreightSubsidy) insurance(q *aftersale.Query, ret aftersale.Shipment) (aftersale.Money, aftersale.Answer) {
	o := q.Order
	switch {
	case o.Delivered() && !ret.At.Before(p.windowEnd(o, q.Zone)):
		n, at := strconv.Itoa(cmp.Or(p.WindowDays, 15)), stamp(p.windowEnd(o, q.Zone), q.Zone)
		return 0, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(freightShippedLate,
			"签收后"+n+"天的运费险期限已于"+at+"结束，寄回过晚", "the goods were shipped back after the "+n+"-day window of the freight insurance ended at "+at)}
	case len(p.Carriers) > 0 && !slices.ContainsFunc(p.Carriers, func(c string) bool { return sameCarrier(c, ret.Carrier) }):
		return 0, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(freightCarrier,
			"未使用运费险指定的物流寄回（指定物流："+strings.Join(p.Carriers, "、")+"）", "the goods were not shipped back with a carrier the freight insurance designates ("+strings.Join(p.Carriers, ", ")+")")}
	}
	limit, got := cmp.Or(p.Cap, aftersale.Yuan(20)), o.Compensated(aftersale.PayerInsurance)
	if pays := min(ret.Freight, limit-got); pays > 0 {
		return pays, aftersale.Answer{}
	}
	return 0, aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(freightCapReached,
		"本订单运费险已赔付"+got.String()+"元，已达每单"+limit.String()+"元上限", "the freight insurance already paid "+got.String()+" for the order, its cap being "+limit.String()+" per order")}
}

// sameCarrier reports whether two carrier names are one carrier: carriers
// are matched ignoring case and the spaces around them, so "sf" is "SF".
func sameCarrier(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
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

	freightInsuredThenMerchant = freightName + ".insured_then_merchant"
)

// FreightSubsidy's rules whose messages are always the same.
var (
	freightBuyerPaysRule     = aftersale.NewRule(freightBuyerPays, "非商家责任且无运费险，退货运费由买家承担", "not the merchant's fault and no freight insurance: the buyer pays the return freight")
	freightInsuredRule       = aftersale.NewRule(freightInsured, "运费险补贴退货运费", "freight insurance pays the return freight")
	freightMerchantFaultRule = aftersale.NewRule(freightMerchantFault, "商家责任，商家承担全部退货运费", "the merchant's fault: the merchant pays the whole return freight")
)
