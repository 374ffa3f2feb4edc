package policy

import "github.com/shouhou/shouhou/aftersale"

// UnshippedRefund grants a refund_only request for any reason before the
// order ships (未发货仅退款). It has no parameters.
type UnshippedRefund struct{}

var _ aftersale.Grant = (*UnshippedRefund)(nil)

// Name returns "unshipped_refund".
func (*UnshippedRefund) Name() string { return "unshipped_refund" }

// Cover allows a refund_only request on an order not yet shipped.
func (p *UnshippedRefund) Cover(q aftersale.Query) aftersale.Decision {
	switch {
	case q.Order.Shipped():
		return decide(p.Name(), "unshipped_refund.shipped", aftersale.VerdictPass, "订单已发货", "the order has shipped")
	case q.Case.Kind() != aftersale.KindRefundOnly:
		return decide(p.Name(), "unshipped_refund.refund_only", aftersale.VerdictPass, "未发货订单只能申请仅退款", "before shipment only refund_only applies")
	}
	return decide(p.Name(), "unshipped_refund.before_shipment", aftersale.VerdictAllow, "订单未发货，可申请仅退款", "the order has not shipped: refund only, any reason")
}
