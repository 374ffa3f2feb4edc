package policy

import (
	"cmp"
	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// AfterSaleWindow is the general after-sale period (售后有效期): a request
// with any reason but no_reason is covered any time before delivery, and
// until the end of the Days-th calendar day counted from the day after
// delivery. The 15 days are assumed: the seeds name the window (seed 003:
// 售后有效期) but not its length.
type AfterSaleWindow struct {
	// Days is the window after delivery: default 15 (assumed).
	Days int `json:"days,omitzero"`
}

var _ aftersale.Grant = (*AfterSaleWindow)(nil)

// Name returns "after_sale_window".
func (*AfterSaleWindow) Name() string { return "after_sale_window" }

// Cover applies the rule to a request.
func (p *AfterSaleWindow) Cover(q aftersale.Query) aftersale.Decision {
	o := q.Order
	switch {
	case q.Case.Reason() == aftersale.ReasonNoReason:
		return windowReasonNeeded
	case !o.Delivered():
		return windowBeforeDelivery
	}
	end := timeline.EndOfDay(o.DeliveredAt, cmp.Or(p.Days, 15), q.Zone)
	if q.At.Before(end) {
		return windowInWindow
	}
	return aftersale.Decision{Policy: p.Name(), Rule: "after_sale_window.window_passed", Verdict: aftersale.VerdictDeny,
		Zh: "售后有效期已于" + stamp(end, q.Zone) + "结束", En: "the after-sale period ended at " + stamp(end, q.Zone)}
}

// Validate refuses a negative number of days.
func (p *AfterSaleWindow) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *AfterSaleWindow) UnmarshalJSON(b []byte) error {
	type plain AfterSaleWindow
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// The decisions AfterSaleWindow takes, but for the one that names the end
// of the window (built when taken). One value each serves every call: the
// Engine copies the decisions it records and never changes them.
var (
	windowReasonNeeded   = aftersale.Decision{Policy: "after_sale_window", Rule: "after_sale_window.reason_needed", Verdict: aftersale.VerdictPass, Zh: "无理由申请不适用售后有效期", En: "no-reason requests are not covered by the after-sale period"}
	windowBeforeDelivery = aftersale.Decision{Policy: "after_sale_window", Rule: "after_sale_window.before_delivery", Verdict: aftersale.VerdictAllow, Zh: "商品签收前可申请售后", En: "before delivery any reason may be given"}
	windowInWindow       = aftersale.Decision{Policy: "after_sale_window", Rule: "after_sale_window.in_window", Verdict: aftersale.VerdictAllow, Zh: "售后有效期内", En: "within the after-sale period"}
)
