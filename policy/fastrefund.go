package policy

import (
	"cmp"
	"encoding/json"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// FastRefund is fast refund (极速退款, RULES.md 5.4). If the merchant enabled it
// (aftersale.FlagFastRefund), a refund_only request is approved at once by
// the system when all hold: it comes less than Within after payment, the
// order amount is less than Below, and the order has not shipped. The
// bounds are strict: exactly 6 hours, or exactly 300.00, does not qualify.
type FastRefund struct {
	// Within is how soon after payment: default 6 hours (订单付款6小时内).
	Within time.Duration
	// Below is the order amount it stays under: default 300.00 (订单金额小于300元).
	Below aftersale.Money
}

var _ aftersale.Approver = (*FastRefund)(nil)

// Name returns "fast_refund".
func (*FastRefund) Name() string { return fastRefundName }

// Approve approves a qualifying refund_only request, and passes on any other.
func (p *FastRefund) Approve(q aftersale.Query) aftersale.Answer {
	return p.approve(&q)
}

// approve decides for Approve: the rule, the verdict and why.
func (p *FastRefund) approve(q *aftersale.Query) aftersale.Answer {
	o := q.Order
	within, below := cmp.Or(p.Within, fastRefundWithin), cmp.Or(p.Below, fastRefundBelow)
	switch {
	case q.Case.Kind() != aftersale.KindRefundOnly:
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: fastRefundRefundOnlyRule}
	case !o.Flags.Has(aftersale.FlagFastRefund):
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: fastRefundNotEnabledRule}
	case o.Shipped():
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: fastRefundShippedRule}
	case q.At.Sub(o.PaidAt) >= within:
		// The boundary is an instant of this order's: the message is made
		// for it, whatever the bound.
		spanZh, spanEn := span(within)
		end := stamp(o.PaidAt.Add(within), q.Zone)
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: aftersale.NewRule(fastRefundTooLate,
			"极速退款须在付款后"+spanZh+"内（"+end+"前）申请", "a fast refund must be asked for less than "+spanEn+" after payment, before "+end)}
	case o.Amount >= below:
		if below == fastRefundBelow {
			return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: fastRefundTooMuchRule}
		}
		b := below.String()
		return aftersale.Answer{Verdict: aftersale.VerdictPass, Rule: aftersale.NewRule(fastRefundTooMuch, "极速退款仅适用于金额低于"+b+"元的订单", "a fast refund is for orders under "+b)}
	}
	if within == fastRefundWithin && below == fastRefundBelow {
		return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: fastRefundApprovedRule}
	}
	return aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: fastRefundApprovedFor(within, below)}
}

// fastRefundApprovedFor returns the approval under the bounds within and
// below, which names them.
func fastRefundApprovedFor(within time.Duration, below aftersale.Money) *aftersale.Rule {
	spanZh, spanEn := span(within)
	b := below.String()
	return aftersale.NewRule(fastRefundApproved, "符合极速退款条件（付款后"+spanZh+"内申请、订单金额低于"+b+"元、未发货），系统自动退款",
		"fast refund: asked less than "+spanEn+" after payment, the order under "+b+" and not shipped; refunded at once")
}

// Validate refuses negative bounds.
func (p *FastRefund) Validate() error {
	if p.Within < 0 || p.Below < 0 {
		return invalid(p.Name(), "within and below must not be negative", "within和below不能为负数")
	}
	return nil
}

// fastRefundJSON is the JSON form of FastRefund: {"within": "6h", "below": "300.00"}.
type fastRefundJSON struct {
	Within string          `json:"within,omitzero"`
	Below  aftersale.Money `json:"below,omitzero"`
}

// MarshalJSON writes the parameters; Within as a duration like "6h0m0s".
func (p FastRefund) MarshalJSON() ([]byte, error) {
	j := fastRefundJSON{Below: p.Below}
	if p.Within != 0 {
		j.Within = timeline.FormatDuration(p.Within)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads parameters over the current ones, refusing unknown
// fields.
func (p *FastRefund) UnmarshalJSON(b []byte) error {
	var j fastRefundJSON
	if err := overlay(b, &j, p.Name(), func() error { return nil }); err != nil {
		return err
	}
	next := *p
	if j.Within != "" {
		d, err := timeline.ParseDuration(j.Within)
		if err != nil {
			return invalid(p.Name(), err.Error(), "within不是有效的时长，应写作6h这样")
		}
		next.Within = d
	}
	if j.Below != 0 {
		next.Below = j.Below
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*p = next
	return nil
}

// FastRefund's default bounds. The engine asks on every eligible refund_only
// request, so the messages that state only these are made once; a message
// that names an instant of the order's is made for it.
const (
	fastRefundWithin = 6 * time.Hour
	fastRefundBelow  = aftersale.Money(300_00)
)

// fastRefundName is FastRefund's name: Approve builds every decision of the
// policy under it, and the rule ids start with it.
const fastRefundName = "fast_refund"

// FastRefund's rules.
const (
	fastRefundRefundOnly = fastRefundName + ".refund_only"
	fastRefundNotEnabled = fastRefundName + ".not_enabled"
	fastRefundShipped    = fastRefundName + ".shipped"
	fastRefundTooLate    = fastRefundName + ".too_late"
	fastRefundTooMuch    = fastRefundName + ".too_much"
	fastRefundApproved   = fastRefundName + ".approved"
)

// FastRefund's rules whose messages are always the same.
var (
	fastRefundRefundOnlyRule = aftersale.NewRule(fastRefundRefundOnly, "极速退款仅适用于仅退款", "fast refund is for refund_only")
	fastRefundNotEnabledRule = aftersale.NewRule(fastRefundNotEnabled, "商家未开启极速退款", "the merchant has not enabled fast refund")
	fastRefundShippedRule    = aftersale.NewRule(fastRefundShipped, "订单已发货，不适用极速退款", "the order has shipped: no fast refund")
	fastRefundTooMuchRule    = aftersale.NewRule(fastRefundTooMuch, "极速退款仅适用于金额低于300.00元的订单", "a fast refund is for orders under 300.00")
)

// fastRefundApprovedRule is the approval under the default bounds, made
// once: every fast refund under them shares it.
var fastRefundApprovedRule = fastRefundApprovedFor(fastRefundWithin, fastRefundBelow)
