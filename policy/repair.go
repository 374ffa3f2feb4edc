package policy

import (
	"cmp"
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// RepairWarranty is the repair window (保修期, RULES.md 5.10): a repair
// request for a reason of the merchant's fault (quality, not as described,
// wrong item, damaged) is covered until the end of the Days-th calendar
// day counted from the day after delivery. No other reason is covered:
// neither no-reason grant covers a repair. The 365 days are assumed; the
// three-guarantees rule (三包) has a repair finished within 15 days, which
// is the deadlines' repair.
type RepairWarranty struct {
	// Days is the warranty after delivery: default 365 (assumed).
	Days int `json:"days,omitzero"`
}

var _ aftersale.Grant = (*RepairWarranty)(nil)

// Name returns "repair_warranty".
func (*RepairWarranty) Name() string { return repairName }

// Cover applies the rule to a request.
func (p *RepairWarranty) Cover(q aftersale.Query) aftersale.Answer {
	return p.cover(&q)
}

// cover decides for Cover: the rule, the verdict and why.
func (p *RepairWarranty) cover(q *aftersale.Query) aftersale.Answer {
	o, c := q.Order, q.Case
	switch {
	case c.Kind() != aftersale.KindRepair:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: repairOnlyRule}
	case !c.Reason().MerchantFault():
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: repairFaultOnlyRule}
	case !o.Delivered():
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: repairNotDeliveredRule}
	}
	days := cmp.Or(p.Days, 365)
	end := timeline.EndOfDay(o.DeliveredAt, days, q.Zone)
	if q.At.Before(end) {
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule(repairInWarranty,
			"保修期内（签收后"+strconv.Itoa(days)+"天），商家责任可申请维修", "within the "+strconv.Itoa(days)+"-day warranty: a fault of the merchant's is repaired")}
	}
	n, at := strconv.Itoa(days), stamp(end, q.Zone)
	return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(repairWarrantyPassed,
		n+"天保修期已于"+at+"结束", "the "+n+"-day warranty ended at "+at)}
}

// Validate refuses a negative number of days.
func (p *RepairWarranty) Validate() error {
	if p.Days < 0 {
		return invalid(p.Name(), "days must not be negative", "days不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *RepairWarranty) UnmarshalJSON(b []byte) error {
	type plain RepairWarranty
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// repairName is RepairWarranty's name: Cover builds every decision of the
// policy under it, and the rule ids start with it.
const repairName = "repair_warranty"

// RepairWarranty's rules.
const (
	repairOnly           = repairName + ".repair_only"
	repairFaultOnly      = repairName + ".fault_only"
	repairNotDelivered   = repairName + ".not_delivered"
	repairInWarranty     = repairName + ".in_warranty"
	repairWarrantyPassed = repairName + ".warranty_passed"
)

// RepairWarranty's rules whose messages are always the same.
var (
	repairOnlyRule         = aftersale.NewRule(repairOnly, "仅适用于维修申请", "applies to repair requests only")
	repairFaultOnlyRule    = aftersale.NewRule(repairFaultOnly, "维修须为商家责任（质量问题、与描述不符、发错货、运输破损）", "a repair is for a fault of the merchant's: quality, not as described, wrong item or damaged")
	repairNotDeliveredRule = aftersale.NewRule(repairNotDelivered, "商品尚未签收，无法维修", "the goods are not delivered yet: nothing to repair")
)
