package policy

import (
	"cmp"
	"strconv"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// History tells how many refunds a buyer received in a period. The host
// implements it from its own records; it must be safe for concurrent use if
// the engine is.
type History interface {
	Refunds(buyer string, since, until time.Time) int
}

// AbuseGuard keeps automatic approvals from buyers who were refunded too
// often lately: with MaxRefunds or more refunds in the last Days days, no
// automatic approval (no fast refund) is given and the request waits for
// the merchant. The decision says so. RULES.md 5.11: the rule and its
// defaults (5 refunds in 30 days) are assumed. Without a History the guard
// has nothing to go on and passes.
type AbuseGuard struct {
	// MaxRefunds is how many refunds make a buyer suspect: default 5.
	MaxRefunds int `json:"max_refunds,omitzero"`
	// Days is the period looked at, in days of 24 hours: default 30.
	Days int `json:"days,omitzero"`
	// History is the host's record of refunds.
	History History `json:"-"`
}

var _ aftersale.Approver = (*AbuseGuard)(nil)

// Name returns "abuse_guard".
func (*AbuseGuard) Name() string { return abuseName }

// Approve vetoes automatic approval for a buyer with too many recent
// refunds.
func (p *AbuseGuard) Approve(q aftersale.Query) aftersale.Answer {
	return p.approve(&q)
}

// approve decides for Approve: the rule, the verdict and why; no rule when
// it has nothing to say.
func (p *AbuseGuard) approve(q *aftersale.Query) aftersale.Answer {
	if p.History == nil || q.Order.Buyer == "" {
		return aftersale.Answer{}
	}
	limit := cmp.Or(p.MaxRefunds, 5)
	days := cmp.Or(p.Days, 30)
	since := q.At.Add(-time.Duration(days) * timeline.Day)
	n := p.History.Refunds(q.Order.Buyer, since, q.At)
	if n < limit {
		return aftersale.Answer{}
	}
	count, period, most, from := strconv.Itoa(n), strconv.Itoa(days), strconv.Itoa(limit), stamp(since, q.Zone)
	times := count + " times"
	if n == 1 {
		times = "once"
	}
	return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(abuseTooManyRefunds,
		"买家自"+from+"起的"+period+"天内已退款"+count+"次（满"+most+"次即需商家审核），不予自动通过",
		"the buyer was refunded "+times+" in the "+period+" days since "+from+" ("+most+" or more need the merchant's review): no automatic approval")}
}

// Validate refuses negative parameters.
func (p *AbuseGuard) Validate() error {
	if p.MaxRefunds < 0 || p.Days < 0 {
		return invalid(p.Name(), "max_refunds and days must not be negative", "max_refunds和days不能为负数")
	}
	return nil
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields. History is not part of the JSON form.
func (p *AbuseGuard) UnmarshalJSON(b []byte) error {
	type plain AbuseGuard
	return overlay(b, (*plain)(p), p.Name(), func() error { return p.Validate() })
}

// abuseName is AbuseGuard's name: Approve builds every decision of the
// policy under it, and the rule ids start with it.
const abuseName = "abuse_guard"

// AbuseGuard's rule.
const abuseTooManyRefunds = abuseName + ".too_many_refunds"

// RefundTimes is a History kept in memory: each buyer's refund times. It
// suits tests and simulations; it is safe for concurrent reads.
type RefundTimes map[string][]time.Time

// Refunds counts the buyer's refunds at or after since and before until.
func (r RefundTimes) Refunds(buyer string, since, until time.Time) int {
	n := 0
	for _, t := range r[buyer] {
		if !t.Before(since) && t.Before(until) {
			n++
		}
	}
	return n
}
