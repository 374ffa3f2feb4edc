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
	rule, v, zh, en := p.cover(&q)
	return aftersale.Answer{Rule: rule, Verdict: v, Zh: zh, En: en}
}

// cover decides for Cover: the rule, the verdict and why.
func (p *GuaranteedReturn) cover(q *aftersale.Query) (rule string, v aftersale.Verdict, zh, en string) {
	o := q.Order
	switch {
	case !o.Tags.Has(aftersale.TagGuaranteedReturn):
		return guaranteedNoTag, aftersale.VerdictPass, "商品无包退标识", "the goods do not carry the guaranteed-return tag"
	case q.Case.Kind() != aftersale.KindReturnRefund:
		return guaranteedReturnRefundOnly, aftersale.VerdictPass, "包退仅适用于退货退款", "the guaranteed return covers return_refund only"
	case !o.Shipped():
		return guaranteedNotShipped, aftersale.VerdictPass, "订单未发货", "the order has not shipped"
	}
	days := cmp.Or(p.Days, 30)
	end := timeline.EndOfDay(o.ShippedAt, days, q.Zone)
	if q.At.Before(end) {
		return guaranteedInWindow, aftersale.VerdictAllow,
			"包退期内，无理由、无门槛", "within the guaranteed-return period: any reason, any amount"
	}
	n, at := strconv.Itoa(days), stamp(end, q.Zone)
	return guaranteedWindowPassed, aftersale.VerdictDeny,
		n + "天包退期已于" + at + "结束", "the " + n + "-day guaranteed return ended at " + at
}

// Validate refuses a negative number of days.
func (p *GuaranteedReturn) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative")
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
