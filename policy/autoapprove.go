package policy

import (
	"cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// AutoApprove is automatic approval (自动确认退款, RULES.md 5.9), a setting
// of the merchant's: off unless Enabled; then a refund_only request that
// asks at most Ceiling is approved at once by the system, and the case
// goes straight to refunding. The abuse guard vetoes it as it vetoes fast
// refund. A refund_only request on goods on their way is intercepted
// instead, before any approver is asked (RULES.md 3.1).
//
// Enabled is a parameter of the rule set, not a fact of the order: an
// order flag like fast refund's (aftersale.FlagFastRefund) would need a
// new aftersale.Flags value. A host whose merchants differ gives each
// merchant's orders a rule set of their own.
type AutoApprove struct {
	// Enabled says the merchant switched automatic approval on: default
	// off.
	Enabled bool `json:"enabled,omitzero"`
	// Ceiling is the most a request may ask and be approved at once,
	// inclusive: default 50.00 (assumed).
	Ceiling aftersale.Money `json:"ceiling,omitzero"`
}

var _ aftersale.Approver = (*AutoApprove)(nil)

// Name returns "auto_approve".
func (*AutoApprove) Name() string { return autoApproveName }

// Approve approves a refund_only request at or below the ceiling, if the
// merchant enabled it, and passes on any other.
func (p *AutoApprove) Approve(q aftersale.Query) aftersale.Answer {
	return p.approve(&q)
}

// approve decides for Approve: the rule, the verdict and why.
func (p *AutoApprove) approve(q *aftersale.Query) aftersale.Answer {
	ceiling := cmp.Or(p.Ceiling, autoApproveCeiling)
	switch {
	case q.Case.Kind() != aftersale.KindRefundOnly:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: autoApproveRefundOnlyRule}
	case !p.Enabled:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: autoApproveNotEnabledRule}
	case q.Case.Amount() > ceiling:
		asked, most := q.Case.Amount().String(), ceiling.String()
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: aftersale.NewRule(autoApproveAboveCeiling,
			"申请金额"+asked+"元超过商家设置的"+most+"元，不自动确认退款",
			"the request asks "+asked+", above the merchant's ceiling of "+most+" for automatic approval")}
	}
	if ceiling == autoApproveCeiling {
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: autoApproveAtOrBelowRule}
	}
	return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: autoApproveAtOrBelow(ceiling)}
}

// autoApproveAtOrBelow returns the approval under the given ceiling, which
// names it.
func autoApproveAtOrBelow(ceiling aftersale.Money) *aftersale.Rule {
	most := ceiling.String()
	return aftersale.NewRule(autoApproveAtOrBelowCeiling, "仅退款金额不超过商家设置的"+most+"元，系统自动确认退款",
		"refund_only at or below the merchant's ceiling of "+most+": approved at once")
}

// Validate refuses a negative ceiling.
func (p *AutoApprove) Validate() error {
	if p.Ceiling < 0 {
		return invalid(p.Name(), "ceiling must not be negative", "ceiling不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields: {"enabled": true, "ceiling": "80.00"}.
func (p *AutoApprove) UnmarshalJSON(b []byte) error {
	type plain AutoApprove
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// autoApproveCeiling is AutoApprove's default ceiling (assumed, RULES.md 5.9).
const autoApproveCeiling = aftersale.Money(50_00)

// autoApproveName is AutoApprove's name: Approve builds every decision of
// the policy under it, and the rule ids start with it.
const autoApproveName = "auto_approve"

// AutoApprove's rules.
const (
	autoApproveRefundOnly       = autoApproveName + ".refund_only"
	autoApproveNotEnabled       = autoApproveName + ".not_enabled"
	autoApproveAboveCeiling     = autoApproveName + ".above_ceiling"
	autoApproveAtOrBelowCeiling = autoApproveName + ".at_or_below_ceiling"
)

// AutoApprove's rules whose messages are always the same, and the
// approval under the default ceiling, made once.
var (
	autoApproveRefundOnlyRule = aftersale.NewRule(autoApproveRefundOnly, "自动确认退款仅适用于仅退款", "automatic approval is for refund_only")
	autoApproveNotEnabledRule = aftersale.NewRule(autoApproveNotEnabled, "商家未开启自动确认退款", "the merchant has not enabled automatic approval")
	autoApproveAtOrBelowRule  = autoApproveAtOrBelow(autoApproveCeiling)
)
