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
// delivery. The 15 days are assumed (RULES.md 5.6): the platform names the
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
	o := q.Order
	switch {
	case q.Case.Reason() == aftersale.ReasonNoReason:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: windowReasonNeededRule}
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
	windowReasonNeeded   = windowName + ".reason_needed"
	windowBeforeDelivery = windowName + ".before_delivery"
	windowInWindow       = windowName + ".in_window"
	windowWindowPassed   = windowName + ".window_passed"
)

// AfterSaleWindow's rules whose messages are always the same.
var (
	windowReasonNeededRule   = aftersale.NewRule(windowReasonNeeded, "无理由申请不适用售后有效期", "no-reason requests are not covered by the after-sale period")
	windowBeforeDeliveryRule = aftersale.NewRule(windowBeforeDelivery, "商品签收前可申请售后", "before delivery any reason may be given")
	windowInWindowRule       = aftersale.NewRule(windowInWindow, "售后有效期内", "within the after-sale period")
)
