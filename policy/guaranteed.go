package policy

import (
	"cmp"
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// GuaranteedReturn is the platform's 30-day guaranteed return (30天包退:
// 无理由、无门槛、无等待). For an order whose goods carry
// aftersale.TagGuaranteedReturn, a return_refund request with any reason
// is covered until the end of the Days-th calendar day after shipment
// (RULES.md 5.3). There is no minimum amount. Once approved, the
// refund is promised within 24 hours (aftersale.Deadlines.GuaranteedRefund, RULES.md 4.9). Without
// the tag the policy does nothing.
type GuaranteedReturn struct {
	// Days is the length of the window after shipment: default 30.
	Days int `json:"days,omitzero"`
}

var _ aftersale.Grant = (*GuaranteedReturn)(nil)

// Name returns "guaranteed_return_30d".
func (*GuaranteedReturn) Name() string { return guaranteedName }

// Cover applies the rule to a request.
func (p *GuaranteedReturn) Cover(q aftersale.Query) aftersale.Answer {
	return p.cover(&q)
}

// cover decides for Cover: the rule, the verdict and why.
func (p *GuaranteedReturn) cover(q *aftersale.Query) aftersale.Answer {
	o := q.Order
	switch {
	case !o.Tags.Has(aftersale.TagGuaranteedReturn):
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: guaranteedNoTagRule}
	case q.Case.Kind() != aftersale.KindReturnRefund:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: guaranteedReturnRefundOnlyRule}
	case !o.Shipped():
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: guaranteedNotShippedRule}
	}
	days := cmp.Or(p.Days, 30)
	end := timeline.EndOfDay(o.ShippedAt, days, q.Zone)
	if q.At.Before(end) {
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: guaranteedInWindowRule}
	}
	n, at := strconv.Itoa(days), stamp(end, q.Zone)
	return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(guaranteedWindowPassed,
		n+"天包退期已于"+at+"结束", "the "+n+"-day guaranteed return ended at "+at)}
}

// Validate refuses a negative number of days.
func (p *GuaranteedReturn) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative", "days不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *GuaranteedReturn) UnmarshalJSON(b []byte) error {
	type plain GuaranteedReturn
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// guaranteedName is GuaranteedReturn's name: Cover builds every decision
// of the policy under it, and the rule ids start with it.
const guaranteedName = "guaranteed_return_30d"

// GuaranteedReturn's rules.
const (
	guaranteedNoTag            = guaranteedName + ".no_tag"
	guaranteedReturnRefundOnly = guaranteedName + ".return_refund_only"
	guaranteedNotShipped       = guaranteedName + ".not_shipped"
	guaranteedInWindow         = guaranteedName + ".in_window"
	guaranteedWindowPassed     = guaranteedName + ".window_passed"
)

// GuaranteedReturn's rules whose messages are always the same.
var (
	guaranteedNoTagRule            = aftersale.NewRule(guaranteedNoTag, "商品无包退标识", "the goods do not carry the guaranteed-return tag")
	guaranteedReturnRefundOnlyRule = aftersale.NewRule(guaranteedReturnRefundOnly, "包退仅适用于退货退款", "the guaranteed return covers return_refund only")
	guaranteedNotShippedRule       = aftersale.NewRule(guaranteedNotShipped, "订单未发货", "the order has not shipped")
	guaranteedInWindowRule         = aftersale.NewRule(guaranteedInWindow, "包退期内，无理由、无门槛", "within the guaranteed-return period: any reason, any amount")
)
