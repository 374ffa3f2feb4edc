package policy

import (
	"cmp"
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// AfterSaleWindow is the general after-sale period (售后有效期): a request
// with any reason but no_reason is covered any time before delivery, and
// until the end of the Days-th calendar day counted from the day after
// delivery. A reissue needs a fault of the merchant's or goods not
// received (未收到货); a repair follows RepairWarranty instead. The 15 days are assumed (RULES.md 5.6): the platform names the
// window (售后有效期) but not its length.
type AfterSaleWindow struct {
	// Days is the window after delivery: default 15 (assumed).
	Days int `json:"days,omitzero"`
}

var _ aftersale.Grant = (*AfterSaleWindow)(nil)

// Name returns "after_sale_window".
func (*AfterSaleWindow) Name() string { return windowName }

// Cover applies the rule to a request.
func (p *AfterSaleWindow) Cover(q aftersale.Query) aftersale.Answer {
	return p.cover(&q)
}

// cover decides for Cover: the rule, the verdict and why.
func (p *AfterSaleWindow) cover(q *aftersale.Query) aftersale.Answer {
	o, c := q.Order, q.Case
	switch {
	case c.Reason() == aftersale.ReasonNoReason:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: windowReasonNeededRule}
	case c.Kind() == aftersale.KindRepair:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: windowRepairByWarrantyRule}
	case c.Kind() == aftersale.KindReissue && !c.Reason().MerchantFault() && c.Reason() != aftersale.ReasonNotReceived:
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: windowReissueReasonRule}
	case !o.Delivered():
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: windowBeforeDeliveryRule}
	}
	days := cmp.Or(p.Days, 15)
	end := timeline.EndOfDay(o.DeliveredAt, days, q.Zone)
	if q.At.Before(end) {
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: windowInWindowRule}
	}
	n, at := strconv.Itoa(days), stamp(end, q.Zone)
	return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(windowWindowPassed,
		n+"天售后有效期已于"+at+"结束", "the "+n+"-day after-sale period ended at "+at)}
}

// Validate refuses a negative number of days.
func (p *AfterSaleWindow) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative", "days不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *AfterSaleWindow) UnmarshalJSON(b []byte) error {
	type plain AfterSaleWindow
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// windowName is AfterSaleWindow's name: Cover builds every decision of the
// policy under it, and the rule ids start with it.
const windowName = "after_sale_window"

// AfterSaleWindow's rules.
const (
	windowReasonNeeded     = windowName + ".reason_needed"
	windowBeforeDelivery   = windowName + ".before_delivery"
	windowInWindow         = windowName + ".in_window"
	windowWindowPassed     = windowName + ".window_passed"
	windowRepairByWarranty = windowName + ".repair_by_warranty"
	windowReissueReason    = windowName + ".reissue_reason"
)

// AfterSaleWindow's rules whose messages are always the same.
var (
	windowReasonNeededRule     = aftersale.NewRule(windowReasonNeeded, "无理由申请不适用售后有效期", "no-reason requests are not covered by the after-sale period")
	windowBeforeDeliveryRule   = aftersale.NewRule(windowBeforeDelivery, "商品签收前可申请售后", "before delivery any reason may be given")
	windowInWindowRule         = aftersale.NewRule(windowInWindow, "售后有效期内", "within the after-sale period")
	windowRepairByWarrantyRule = aftersale.NewRule(windowRepairByWarranty, "维修按保修期处理", "a repair follows the warranty, not the after-sale period")
	windowReissueReasonRule    = aftersale.NewRule(windowReissueReason, "补寄须为商家责任或未收到货", "a reissue is for a fault of the merchant's or goods not received")
)
