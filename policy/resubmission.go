package policy

import (
	"cmp"
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Resubmission limits how many cases one order may have. After a
// rejection the buyer may ask again (RULES.md 5.8); the engine closes the rejected case as
// superseded. The cap of 3 cases per order is assumed.
type Resubmission struct {
	// MaxCases is the most cases an order may have: default 3 (assumed).
	MaxCases int `json:"max_cases,omitzero"`
}

var _ aftersale.Limit = (*Resubmission)(nil)

// Name returns "resubmission".
func (*Resubmission) Name() string { return resubmissionName }

// Check forbids a request once the order has MaxCases cases.
func (p *Resubmission) Check(q aftersale.Query) aftersale.Answer {
	return p.check(&q)
}

// check decides for Check: the rule, the verdict and why; no rule when
// it has nothing to say.
func (p *Resubmission) check(q *aftersale.Query) aftersale.Answer {
	limit, cases := cmp.Or(p.MaxCases, 3), q.Order.NumCases()
	if cases < limit {
		return aftersale.Answer{}
	}
	n, most := strconv.Itoa(cases), strconv.Itoa(limit)
	return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(resubmissionTooMany, "该订单已申请"+n+"次售后，每单最多"+most+"次", "the order already had "+n+" after-sale cases; at most "+most+" are allowed per order")}
}

// Validate refuses a negative cap.
func (p *Resubmission) Validate() error {
	if p.MaxCases < 0 {
		return invalid(p.Name(), "max_cases must not be negative", "max_cases不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *Resubmission) UnmarshalJSON(b []byte) error {
	type plain Resubmission
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// resubmissionName is Resubmission's name: Check builds every decision of the
// policy under it, and the rule ids start with it.
const resubmissionName = "resubmission"

// Resubmission's rule.
const resubmissionTooMany = resubmissionName + ".too_many"
