package policy

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// SevenDay is the seven-day no-reason return (七天无理由退货, RULES.md 5.2). A request
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
// (aftersale.FlagNoReasonWaived); the denial names the exclusion. That
// flag is the buyer's own confirmation, never a merchant's label alone:
// without it the seller may not refuse (RULES.md 5.2.4). A
// no-reason refund_only after delivery is not covered either: the goods go
// back first. Return freight for a no-reason return is the buyer's unless
// freight insurance covers it (see FreightSubsidy).
type SevenDay struct {
	// Days is the length of the window: default 7 (RULES.md 5.2.1).
	Days int `json:"days,omitzero"`
	// Excluded lists the categories the rule does not apply to. Nil: custom,
	// perishable, digital and periodical goods, as the law excludes them
	// (RULES.md 5.2.3). An empty,
	// non-nil list excludes nothing.
	Excluded []aftersale.Category `json:"excluded"`
}

var _ aftersale.Grant = (*SevenDay)(nil)

// Name returns "seven_day_no_reason".
func (*SevenDay) Name() string { return sevenDayName }

func (p *SevenDay) excluded(c aftersale.Category) bool {
	if p.Excluded == nil {
		return c == aftersale.CategoryCustom || c == aftersale.CategoryPerishable ||
			c == aftersale.CategoryDigital || c == aftersale.CategoryPeriodical
	}
	return slices.Contains(p.Excluded, c)
}

// Cover applies the rule to a request.
func (p *SevenDay) Cover(q aftersale.Query) aftersale.Answer {
	return p.cover(&q)
}

// cover decides for Cover: the rule, the verdict and why.
func (p *SevenDay) cover(q *aftersale.Query) aftersale.Answer {
	o, c := q.Order, q.Case
	days := cmp.Or(p.Days, 7)
	switch {
	case c.Reason() != aftersale.ReasonNoReason:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: sevenDayNoReasonOnlyRule}
	case c.Kind() == aftersale.KindReissue || c.Kind() == aftersale.KindRepair:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: sevenDayNotForKindRule}
	case p.excluded(o.Category):
		cat := o.Category
		if cat == 0 {
			cat = aftersale.CategoryGeneral
		}
		n := strconv.Itoa(days)
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(sevenDayExcludedCategory,
			cat.Label()+"不适用"+n+"天无理由退货", cat.String()+" goods are excluded from the "+n+"-day no-reason return")}
	case o.Flags.Has(aftersale.FlagNoReasonWaived):
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: sevenDayWaivedRule}
	case !o.Shipped():
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: sevenDayNotShippedRule}
	case !o.Delivered():
		if c.Kind() == aftersale.KindRefundOnly {
			return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: sevenDayInTransitRule}
		}
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: sevenDayNotDeliveredRule}
	case c.Kind() == aftersale.KindRefundOnly:
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: sevenDayReturnFirstRule}
	}
	end := timeline.EndOfDay(o.DeliveredAt, days, q.Zone)
	if q.At.Before(end) {
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: sevenDayInWindowRule}
	}
	n, at := strconv.Itoa(days), stamp(end, q.Zone)
	return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(sevenDayWindowPassed,
		n+"天无理由退货期已于"+at+"结束", "the "+n+"-day no-reason window ended at "+at)}
}

// Validate refuses a negative number of days.
func (p *SevenDay) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative", "days不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *SevenDay) UnmarshalJSON(b []byte) error {
	type plain SevenDay
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// sevenDayName is SevenDay's name: Cover builds every decision of the
// policy under it, and the rule ids start with it.
const sevenDayName = "seven_day_no_reason"

// SevenDay's rules.
const (
	sevenDayNoReasonOnly     = sevenDayName + ".no_reason_only"
	sevenDayExcludedCategory = sevenDayName + ".excluded_category"
	sevenDayWaived           = sevenDayName + ".waived"
	sevenDayNotShipped       = sevenDayName + ".not_shipped"
	sevenDayInTransit        = sevenDayName + ".in_transit"
	sevenDayNotDelivered     = sevenDayName + ".not_delivered"
	sevenDayReturnFirst      = sevenDayName + ".return_first"
	sevenDayNotForKind       = sevenDayName + ".not_for_kind"
	sevenDayInWindow         = sevenDayName + ".in_window"
	sevenDayWindowPassed     = sevenDayName + ".window_passed"
)

// SevenDay's rules whose messages are always the same.
var (
	sevenDayNoReasonOnlyRule = aftersale.NewRule(sevenDayNoReasonOnly, "仅适用于无理由申请", "applies to no-reason requests only")
	sevenDayWaivedRule       = aftersale.NewRule(sevenDayWaived, "买家下单时已确认该商品不支持无理由退货", "the buyer confirmed at purchase that these goods are not returnable without a reason")
	sevenDayNotShippedRule   = aftersale.NewRule(sevenDayNotShipped, "订单未发货", "the order has not shipped")
	sevenDayInTransitRule    = aftersale.NewRule(sevenDayInTransit, "商品运输途中，可无理由拒收退款", "the parcel is on its way: it can be refused without a reason")
	sevenDayNotDeliveredRule = aftersale.NewRule(sevenDayNotDelivered, "商品尚未签收", "the goods are not delivered yet")
	sevenDayReturnFirstRule  = aftersale.NewRule(sevenDayReturnFirst, "签收后无理由申请须退货退款", "after delivery a no-reason request sends the goods back: ask for return_refund")
	sevenDayInWindowRule     = aftersale.NewRule(sevenDayInWindow, "无理由退货期内", "within the no-reason return window")
	sevenDayNotForKindRule   = aftersale.NewRule(sevenDayNotForKind, "补寄和维修不适用无理由退货", "a reissue or a repair is not a no-reason return: it needs a fault of the merchant's")
)
