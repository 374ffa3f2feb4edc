package aftersale

import (
	"cmp"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// Deadlines is the Schedule of the §4 deadlines: how long each waiting
// state may last before the system acts, and the service-level promises
// that raise an alert when broken. It is named "deadlines", the policy name
// every timeout is recorded under.
//
// Every zero field takes the default given beside it, so the zero Deadlines
// is the default schedule. Durations are plain: N days are N×24 hours from
// the moment the state was entered. Promises counted in business days use
// Calendar (nil: Monday to Friday) in the Engine's time zone.
type Deadlines struct {
	Review        time.Duration // pending_review: 48h, then approved (seeds 003, 004: 48小时内处理, 逾期默认同意)
	Interception  time.Duration // intercepting: 5 days, then approved (seed 002: 5天内拦截, 超时自动同意退款)
	Return        time.Duration // awaiting_return: 10 days, then closed (seeds 003, 004: 10日内寄回并提交运单)
	ReturnTransit time.Duration // return_in_transit: 10 days from the waybill, then received (seeds 003, 004)
	Negotiation   time.Duration // negotiating: 48h, then declined (assumed)
	Escalation    time.Duration // rejected: 7 days to escalate or ask again, then closed (assumed)
	Reship        time.Duration // awaiting_reship: 7 days, then refunded instead (assumed)
	ReshipTransit time.Duration // reship_in_transit: 10 days, then receipt confirmed (assumed)

	GuaranteedRefund time.Duration // refunding, goods under 30-day guaranteed return: 24h (seed 002: 最快24小时内完成退款)
	RefundDays       int           // refunding otherwise: 7 business days (seed 001: 7个工作日内退款)
	ArbitrationDays  int           // arbitration: 7 business days for a ruling (seed 001: 7个工作日内审核处理)
	RefundFailed     time.Duration // refund_failed: 24h for the platform to retry (assumed)
	Realert          time.Duration // after a promise was broken, the next alert: 24h later (assumed)

	Calendar timeline.Calendar // business days for RefundDays and ArbitrationDays; nil: Monday to Friday
}

var _ Schedule = Deadlines{}

// Name returns "deadlines".
func (Deadlines) Name() string { return "deadlines" }

// Due returns the deadline of state s entered at since: since plus the
// state's duration, or for RefundDays and ArbitrationDays the end of that
// many business days counted from the next day. With repeat, it is since
// plus Realert. Terminal states have no deadline (the zero time).
func (t Deadlines) Due(q Query, s State, since time.Time, repeat bool) time.Time {
	return t.due(&q, s, since, repeat)
}

// due is Due without copying the Deadlines and the Query, for the Engine.
func (t *Deadlines) due(q *Query, s State, since time.Time, repeat bool) time.Time {
	if repeat {
		return since.Add(cmp.Or(t.Realert, 24*time.Hour))
	}
	switch s {
	case StatePendingReview:
		return since.Add(cmp.Or(t.Review, 48*time.Hour))
	case StateIntercepting:
		return since.Add(cmp.Or(t.Interception, 5*timeline.Day))
	case StateAwaitingReturn:
		return since.Add(cmp.Or(t.Return, 10*timeline.Day))
	case StateReturnInTransit:
		return since.Add(cmp.Or(t.ReturnTransit, 10*timeline.Day))
	case StateNegotiating:
		return since.Add(cmp.Or(t.Negotiation, 48*time.Hour))
	case StateRejected:
		return since.Add(cmp.Or(t.Escalation, 7*timeline.Day))
	case StateAwaitingReship:
		return since.Add(cmp.Or(t.Reship, 7*timeline.Day))
	case StateReshipInTransit:
		return since.Add(cmp.Or(t.ReshipTransit, 10*timeline.Day))
	case StateRefunding:
		if q.Order != nil && q.Order.Tags.Has(TagGuaranteedReturn) {
			return since.Add(cmp.Or(t.GuaranteedRefund, 24*time.Hour))
		}
		return timeline.AddBusinessDays(t.Calendar, since, cmp.Or(t.RefundDays, 7), q.Zone)
	case StateArbitration:
		return timeline.AddBusinessDays(t.Calendar, since, cmp.Or(t.ArbitrationDays, 7), q.Zone)
	case StateRefundFailed:
		return since.Add(cmp.Or(t.RefundFailed, 24*time.Hour))
	}
	return time.Time{}
}

// Validate reports a negative duration or day count as ErrInvalidInput.
func (t Deadlines) Validate() error {
	for _, d := range []time.Duration{t.Review, t.Interception, t.Return, t.ReturnTransit, t.Negotiation,
		t.Escalation, t.Reship, t.ReshipTransit, t.GuaranteedRefund, t.RefundFailed, t.Realert} {
		if d < 0 {
			return fail(ErrInvalidInput, "deadlines: negative duration "+d.String())
		}
	}
	if t.RefundDays < 0 || t.ArbitrationDays < 0 {
		return fail(ErrInvalidInput, "deadlines: negative number of business days")
	}
	return nil
}

// timeoutsJSON is the JSON form of Deadlines: durations as "48h" or "10d".
type timeoutsJSON struct {
	Review           string             `json:"review,omitzero"`
	Interception     string             `json:"interception,omitzero"`
	Return           string             `json:"return,omitzero"`
	ReturnTransit    string             `json:"return_transit,omitzero"`
	Negotiation      string             `json:"negotiation,omitzero"`
	Escalation       string             `json:"escalation,omitzero"`
	Reship           string             `json:"reship,omitzero"`
	ReshipTransit    string             `json:"reship_transit,omitzero"`
	GuaranteedRefund string             `json:"guaranteed_refund,omitzero"`
	RefundDays       int                `json:"refund_days,omitzero"`
	ArbitrationDays  int                `json:"arbitration_days,omitzero"`
	RefundFailed     string             `json:"refund_failed,omitzero"`
	Realert          string             `json:"realert,omitzero"`
	Calendar         *timeline.Workweek `json:"calendar,omitzero"`
}

func (t *Deadlines) durations() []*time.Duration {
	return []*time.Duration{&t.Review, &t.Interception, &t.Return, &t.ReturnTransit, &t.Negotiation,
		&t.Escalation, &t.Reship, &t.ReshipTransit, &t.GuaranteedRefund, &t.RefundFailed, &t.Realert}
}

func (j *timeoutsJSON) texts() []*string {
	return []*string{&j.Review, &j.Interception, &j.Return, &j.ReturnTransit, &j.Negotiation,
		&j.Escalation, &j.Reship, &j.ReshipTransit, &j.GuaranteedRefund, &j.RefundFailed, &j.Realert}
}

// MarshalJSON writes durations as "48h0m0s" or "10d"; zero (default)
// fields are left out. A Calendar other than a Workweek cannot be written
// and is an error.
func (t Deadlines) MarshalJSON() ([]byte, error) {
	j := timeoutsJSON{RefundDays: t.RefundDays, ArbitrationDays: t.ArbitrationDays}
	texts := j.texts()
	for i, d := range t.durations() {
		if *d != 0 {
			*texts[i] = timeline.FormatDuration(*d)
		}
	}
	switch c := t.Calendar.(type) {
	case nil:
	case timeline.Workweek:
		j.Calendar = &c
	case *timeline.Workweek:
		j.Calendar = c
	default:
		return nil, fmt.Errorf("aftersale: deadlines: cannot encode a calendar of type %T", c)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes, over the current values:
// fields not given keep theirs, so a scenario can override one deadline.
// Unknown fields are errors.
func (t *Deadlines) UnmarshalJSON(b []byte) error {
	var j timeoutsJSON
	texts := j.texts()
	if err := strictJSON(b, &j); err != nil {
		return fail(ErrInvalidInput, "deadlines: "+err.Error())
	}
	next := *t
	for i, d := range next.durations() {
		if *texts[i] == "" {
			continue
		}
		v, err := timeline.ParseDuration(*texts[i])
		if err != nil {
			return fail(ErrInvalidInput, "deadlines: "+err.Error())
		}
		*d = v
	}
	if j.RefundDays != 0 {
		next.RefundDays = j.RefundDays
	}
	if j.ArbitrationDays != 0 {
		next.ArbitrationDays = j.ArbitrationDays
	}
	if j.Calendar != nil {
		next.Calendar = *j.Calendar
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*t = next
	return nil
}

// timeoutDecisions returns, for each state with a deadline, the decision
// recorded when it passes under the schedule: the Engine works them out
// once, when it compiles the rules.
func timeoutDecisions(sched Schedule) [numStates]Decision {
	var out [numStates]Decision
	for st, n := range timeoutNotes {
		if n.rule == "" {
			continue
		}
		v := VerdictAllow
		if State(st).alerting() {
			v = VerdictDeny // a promise was broken
		}
		out[st] = Decision{Policy: sched.Name(), Rule: n.rule, Verdict: v, Zh: n.zh, En: n.en}
	}
	return out
}

// timeoutNotes says, for each state with a deadline, what its passing
// means. Rule ids are constants, so recording a timeout builds no string.
var timeoutNotes = [numStates]struct{ rule, zh, en string }{
	StatePendingReview: {"deadlines.pending_review_timeout",
		"商家超时未处理，系统默认同意", "the merchant did not respond in time; approved automatically"},
	StateIntercepting: {"deadlines.intercepting_timeout",
		"商家超时未处理拦截，系统自动同意退款", "the merchant did not settle the interception in time; refund approved automatically"},
	StateAwaitingReturn: {"deadlines.awaiting_return_timeout",
		"买家超时未寄回商品并提交运单，售后关闭", "the buyer did not ship the goods back in time; case closed"},
	StateReturnInTransit: {"deadlines.return_in_transit_timeout",
		"商家超时未确认收货，系统自动确认收货", "the merchant did not confirm receipt in time; received automatically"},
	StateNegotiating: {"deadlines.negotiating_timeout",
		"买家超时未回应协商，视为拒绝", "the buyer did not answer the proposal in time; declined"},
	StateRejected: {"deadlines.rejected_timeout",
		"买家超时未申请平台介入或重新申请，售后关闭", "the buyer neither escalated nor asked again in time; case closed"},
	StateAwaitingReship: {"deadlines.awaiting_reship_timeout",
		"商家超时未发出换货，改为退货退款", "the merchant did not reship in time; refunding instead"},
	StateReshipInTransit: {"deadlines.reship_in_transit_timeout",
		"买家超时未确认收到换货，系统自动确认", "the buyer did not confirm receipt of the replacement in time; confirmed automatically"},
	StateRefunding: {"deadlines.refund_sla",
		"退款超过承诺时效", "the refund is later than promised"},
	StateArbitration: {"deadlines.arbitration_sla",
		"平台介入超过承诺时效", "the platform's ruling is later than promised"},
	StateRefundFailed: {"deadlines.refund_failed_sla",
		"退款失败后未及时重新退款", "the failed refund was not retried in time"},
}
