package policy

import "github.com/shouhou/shouhou/aftersale"

// UnshippedRefund grants a refund_only request for any reason before the
// order ships (未发货仅退款, RULES.md 5.1). It has no parameters.
type UnshippedRefund struct{}

var _ aftersale.Grant = (*UnshippedRefund)(nil)

// Name returns "unshipped_refund".
func (*UnshippedRefund) Name() string { return unshippedName }

// Cover allows a refund_only request on an order not yet shipped.
func (p *UnshippedRefund) Cover(q aftersale.Query) aftersale.Answer {
	return p.cover(&q)
}

// cover decides for Cover: the rule, the verdict and why.
func (p *UnshippedRefund) cover(q *aftersale.Query) aftersale.Answer {
	switch {
	case q.Order.Shipped():
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: unshippedShippedRule}
	case q.Case.Kind() != aftersale.KindRefundOnly:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: unshippedRefundOnlyRule}
	}
	return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: unshippedBeforeShipmentRule}
}

// unshippedName is UnshippedRefund's name: Cover builds every decision of the
// policy under it, and the rule ids start with it.
const unshippedName = "unshipped_refund"

// UnshippedRefund's rules.
const (
	unshippedShipped        = unshippedName + ".shipped"
	unshippedRefundOnly     = unshippedName + ".refund_only"
	unshippedBeforeShipment = unshippedName + ".before_shipment"
)

// UnshippedRefund's rules whose messages are always the same.
var (
	unshippedShippedRule        = aftersale.NewRule(unshippedShipped, "订单已发货", "the order has shipped")
	unshippedRefundOnlyRule     = aftersale.NewRule(unshippedRefundOnly, "未发货订单只能申请仅退款", "before shipment only refund_only applies")
	unshippedBeforeShipmentRule = aftersale.NewRule(unshippedBeforeShipment, "订单未发货，可申请仅退款", "the order has not shipped: refund only, any reason")
)
