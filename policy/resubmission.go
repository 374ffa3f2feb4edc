package policy

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/shouhou/shouhou/aftersale"
)

// Resubmission limits how often the buyer may ask about the same goods
// (RULES.md 5.8). After a rejection the buyer may ask again, and the
// engine closes the rejected case as superseded; but at most MaxCases
// cases may cover any one line of the order. A request is denied when a
// line it covers already has MaxCases cases, in any state. A case or
// request that names no lines covers every line, and an order without
// lines is one line, so there every case counts. Different lines returned
// one by one are not resubmissions: each line counts its own cases. The
// cap of 3 is assumed.
type Resubmission struct {
	// MaxCases is the most cases that may cover one line: default 3
	// (assumed).
	MaxCases int `json:"max_cases,omitzero"`
}

var _ aftersale.Limit = (*Resubmission)(nil)

// Name returns "resubmission".
func (*Resubmission) Name() string { return resubmissionName }

// Check forbids a request that covers a line with MaxCases cases already.
func (p *Resubmission) Check(q aftersale.Query) aftersale.Answer {
	return p.check(&q)
}

// check decides for Check: the rule, the verdict and why; no rule when
// it has nothing to say.
func (p *Resubmission) check(q *aftersale.Query) aftersale.Answer {
	limit, o := cmp.Or(p.MaxCases, 3), q.Order
	if o.NumCases() < limit {
		return aftersale.Answer{} // no line can have reached it; and nothing to copy
	}
	most := strconv.Itoa(limit)
	cases := o.Cases()
	if len(o.Lines) == 0 {
		n := strconv.Itoa(len(cases))
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(resubmissionTooMany,
			"该订单已申请"+n+"次售后，同一商品最多申请"+most+"次",
			"the order already had "+n+" after-sale cases; at most "+most+" are allowed on the same goods")}
	}
	asked := q.Case.Lines()
	lines := make([][]aftersale.Units, len(cases))
	for i, c := range cases {
		lines[i] = c.Lines()
	}
	for _, l := range o.Lines {
		if !covers(asked, l.ID) {
			continue
		}
		n := 0
		for _, units := range lines {
			if covers(units, l.ID) {
				n++
			}
		}
		if n < limit {
			continue
		}
		zh, en, count := l.ID, l.ID, strconv.Itoa(n)
		if l.SKU != "" {
			zh, en = zh+"（"+l.SKU+"）", en+" ("+l.SKU+")"
		}
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule(resubmissionTooMany,
			"商品行"+zh+"已申请"+count+"次售后，每个商品行最多申请"+most+"次",
			"line "+en+" already had "+count+" after-sale cases; at most "+most+" are allowed per line")}
	}
	return aftersale.Answer{}
}

// covers reports whether the units of a case or request cover the line:
// none cover every line.
func covers(units []aftersale.Units, line string) bool {
	return len(units) == 0 || slices.ContainsFunc(units, func(u aftersale.Units) bool { return u.Line == line })
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
