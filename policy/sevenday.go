package policy

import (
	"cmp"
	"slices"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// SevenDay is the seven-day no-reason return (七天无理由退货). A request
// with reason no_reason is covered:
//   - to return or exchange delivered goods, until the end of the Days-th
//     calendar day counted from the day after delivery (签收次日起算), in
//     the platform's zone: delivered 03-01 15:00, covered through
//     03-08 23:59:59, not at 03-09 00:00;
//   - as refund_only while the parcel is on its way (the buyer may refuse
//     it; the engine intercepts it).
//
// It does not cover goods of an Excluded category, nor orders whose buyer
// confirmed at purchase that they are not returnable without a reason
// (aftersale.FlagNoReasonWaived); the denial names the exclusion. A
// no-reason refund_only after delivery is not covered either: the goods go
// back first. Return freight for a no-reason return is the buyer's unless
// freight insurance covers it (see FreightSubsidy).
type SevenDay struct {
	// Days is the length of the window: default 7 (seed 002: 签收商品之日起七天内).
	Days int `json:"days,omitzero"`
	// Excluded lists the categories the rule does not apply to. Nil: custom,
	// perishable, digital and periodical goods, as the law excludes them
	// (seed 002: 定制类、鲜活易腐、数字化商品、交付的报纸、期刊). An empty,
	// non-nil list excludes nothing.
	Excluded []aftersale.Category `json:"excluded"`
}

var _ aftersale.Grant = (*SevenDay)(nil)

// Name returns "seven_day_no_reason".
func (*SevenDay) Name() string { return "seven_day_no_reason" }

func (p *SevenDay) excluded(c aftersale.Category) bool {
	if p.Excluded == nil {
		return c == aftersale.CategoryCustom || c == aftersale.CategoryPerishable ||
			c == aftersale.CategoryDigital || c == aftersale.CategoryPeriodical
	}
	return slices.Contains(p.Excluded, c)
}

// Cover applies the rule to a request.
func (p *SevenDay) Cover(q aftersale.Query) aftersale.Decision {
	o, c := q.Order, q.Case
	switch {
	case c.Reason() != aftersale.ReasonNoReason:
		return sevenDayNoReasonOnly
	case p.excluded(o.Category):
		cat := o.Category
		if cat == 0 {
			cat = aftersale.CategoryGeneral
		}
		return aftersale.Decision{Policy: p.Name(), Rule: "seven_day_no_reason.excluded_category", Verdict: aftersale.VerdictDeny,
			Zh: cat.Label() + "不适用七天无理由退货", En: cat.String() + " goods are excluded from the seven-day no-reason return"}
	case o.Flags.Has(aftersale.FlagNoReasonWaived):
		return sevenDayWaived
	case !o.Shipped():
		return sevenDayNotShipped
	case !o.Delivered():
		if c.Kind() == aftersale.KindRefundOnly {
			return sevenDayInTransit
		}
		return sevenDayNotDelivered
	case c.Kind() == aftersale.KindRefundOnly:
		return sevenDayReturnFirst
	}
	end := timeline.EndOfDay(o.DeliveredAt, cmp.Or(p.Days, 7), q.Zone)
	if q.At.Before(end) {
		return sevenDayInWindow
	}
	return aftersale.Decision{Policy: p.Name(), Rule: "seven_day_no_reason.window_passed", Verdict: aftersale.VerdictDeny,
		Zh: "七天无理由退货期已于" + stamp(end, q.Zone) + "结束", En: "the seven-day no-reason window ended at " + stamp(end, q.Zone)}
}

// Validate refuses a negative number of days.
func (p *SevenDay) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *SevenDay) UnmarshalJSON(b []byte) error {
	type plain SevenDay
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// The decisions SevenDay takes, but for those that name a category or the
// end of the window (built when taken). One value each serves every call:
// the Engine copies the decisions it records and never changes them.
var (
	sevenDayNoReasonOnly = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.no_reason_only", Verdict: aftersale.VerdictPass, Zh: "仅适用于无理由申请", En: "applies to no-reason requests only"}
	sevenDayWaived       = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.waived", Verdict: aftersale.VerdictDeny, Zh: "买家下单时已确认该商品不支持七天无理由退货", En: "the buyer confirmed at purchase that these goods are not returnable without a reason"}
	sevenDayNotShipped   = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.not_shipped", Verdict: aftersale.VerdictPass, Zh: "订单未发货", En: "the order has not shipped"}
	sevenDayInTransit    = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.in_transit", Verdict: aftersale.VerdictAllow, Zh: "商品运输途中，可无理由拒收退款", En: "the parcel is on its way: it can be refused without a reason"}
	sevenDayNotDelivered = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.not_delivered", Verdict: aftersale.VerdictPass, Zh: "商品尚未签收", En: "the goods are not delivered yet"}
	sevenDayReturnFirst  = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.return_first", Verdict: aftersale.VerdictDeny, Zh: "签收后无理由申请须退货退款", En: "after delivery a no-reason request sends the goods back: ask for return_refund"}
	sevenDayInWindow     = aftersale.Decision{Policy: "seven_day_no_reason", Rule: "seven_day_no_reason.in_window", Verdict: aftersale.VerdictAllow, Zh: "七天无理由退货期内", En: "within the seven-day no-reason window"}
)
