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
		return unshippedShipped
	case q.Case.Kind() != aftersale.KindRefundOnly:
		return unshippedRefundOnly
	}
	return unshippedBeforeShipment
}

// The decisions UnshippedRefund takes. One value each serves every call: the
// Engine copies the decisions it records and never changes them.
var (
	unshippedShipped        = aftersale.Decision{Policy: "unshipped_refund", Rule: "unshipped_refund.shipped", Verdict: aftersale.VerdictPass, Zh: "订单已发货", En: "the order has shipped"}
	unshippedRefundOnly     = aftersale.Decision{Policy: "unshipped_refund", Rule: "unshipped_refund.refund_only", Verdict: aftersale.VerdictPass, Zh: "未发货订单只能申请仅退款", En: "before shipment only refund_only applies"}
	unshippedBeforeShipment = aftersale.Decision{Policy: "unshipped_refund", Rule: "unshipped_refund.before_shipment", Verdict: aftersale.VerdictAllow, Zh: "订单未发货，可申请仅退款", En: "the order has not shipped: refund only, any reason"}
)
