package policy

import (
	"cmp"
	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// GuaranteedReturn is the platform's 30-day guaranteed return (30天包退:
// 无理由、无门槛、无等待). For an order whose goods carry
// aftersale.TagGuaranteedReturn, a return_refund request with any reason
// is covered until the end of the Days-th calendar day after shipment
// (seed 002: 发货后30天内). There is no minimum amount. Once approved, the
// refund is promised within 24 hours (aftersale.Deadlines.GuaranteedRefund). Without
// the tag the policy does nothing.
type GuaranteedReturn struct {
	// Days is the length of the window after shipment: default 30.
	Days int `json:"days,omitzero"`
}

var _ aftersale.Grant = (*GuaranteedReturn)(nil)

// Name returns "guaranteed_return_30d".
func (*GuaranteedReturn) Name() string { return "guaranteed_return_30d" }

// Cover applies the rule to a request.
func (p *GuaranteedReturn) Cover(q aftersale.Query) aftersale.Decision {
	o := q.Order
	switch {
	case !o.Tags.Has(aftersale.TagGuaranteedReturn):
		return guaranteedNoTag
	case q.Case.Kind() != aftersale.KindReturnRefund:
		return guaranteedReturnRefundOnly
	case !o.Shipped():
		return guaranteedNotShipped
	}
	end := timeline.EndOfDay(o.ShippedAt, cmp.Or(p.Days, 30), q.Zone)
	if q.At.Before(end) {
		return guaranteedInWindow
	}
	return aftersale.Decision{Policy: p.Name(), Rule: "guaranteed_return_30d.window_passed", Verdict: aftersale.VerdictDeny,
		Zh: "30天包退期已于" + stamp(end, q.Zone) + "结束", En: "the 30-day guaranteed return ended at " + stamp(end, q.Zone)}
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

// The decisions GuaranteedReturn takes, but for the one that names the end
// of the window (built when taken). One value each serves every call: the
// Engine copies the decisions it records and never changes them.
var (
	guaranteedNoTag            = aftersale.Decision{Policy: "guaranteed_return_30d", Rule: "guaranteed_return_30d.no_tag", Verdict: aftersale.VerdictPass, Zh: "商品无30天包退标识", En: "the goods do not carry the 30-day guaranteed-return tag"}
	guaranteedReturnRefundOnly = aftersale.Decision{Policy: "guaranteed_return_30d", Rule: "guaranteed_return_30d.return_refund_only", Verdict: aftersale.VerdictPass, Zh: "30天包退仅适用于退货退款", En: "the 30-day guarantee covers return_refund only"}
	guaranteedNotShipped       = aftersale.Decision{Policy: "guaranteed_return_30d", Rule: "guaranteed_return_30d.not_shipped", Verdict: aftersale.VerdictPass, Zh: "订单未发货", En: "the order has not shipped"}
	guaranteedInWindow         = aftersale.Decision{Policy: "guaranteed_return_30d", Rule: "guaranteed_return_30d.in_window", Verdict: aftersale.VerdictAllow, Zh: "30天包退期内，无理由、无门槛", En: "within the 30-day guaranteed return: any reason, any amount"}
)
