package aftersale

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// Deadlines is the Schedule of the deadlines of RULES.md section 4: how long each waiting
// state may last before the system acts, and the service-level promises
// that raise an alert when broken. It is named "deadlines", the policy name
// every timeout is recorded under.
//
// Every zero field takes the default given beside it, so the zero Deadlines
// is the default schedule. Durations are plain: N days are N×24 hours from
// the moment the state was entered. Promises counted in business days use
// Calendar (nil: Monday to Friday) in the Engine's time zone.
// DeadlineParams lists the fields with their JSON names, defaults and
// sources.
type Deadlines struct {
	Review        time.Duration // pending_review: 48h, then approved (RULES.md 4.1)
	Interception  time.Duration // intercepting: 5 days, then approved (RULES.md 4.2)
	Return        time.Duration // awaiting_return: 10 days, then closed (RULES.md 4.3)
	ReturnTransit time.Duration // return_in_transit: 10 days from the waybill, then received (RULES.md 4.4)
	Negotiation   time.Duration // negotiating: 48h, then declined (RULES.md 4.5, assumed)
	Escalation    time.Duration // rejected: 7 days to escalate or ask again, then closed (RULES.md 4.6, assumed)
	Reship        time.Duration // awaiting_reship: 7 days, then refunded instead (RULES.md 4.7, assumed)
	Repair        time.Duration // awaiting_reship, a repair: 15 days from receipt, then refunded instead (RULES.md 4.7, assumed)
	ReshipTransit time.Duration // reship_in_transit: 10 days, then receipt confirmed (RULES.md 4.8, assumed)

	GuaranteedRefund time.Duration // refunding, a case the 30-day guaranteed return covered: 24h (RULES.md 4.9)
	NoReasonRefund   time.Duration // refunding, returned goods of a no-reason return: 7 days from receipt, or RefundDays if earlier (RULES.md 4.10)
	RefundDays       int           // refunding otherwise: 7 business days (RULES.md 4.11)
	ArbitrationDays  int           // arbitration: 7 business days for a ruling (RULES.md 4.12)
	RefundFailed     time.Duration // refund_failed: 24h for the platform to retry (RULES.md 4.13, assumed)
	Realert          time.Duration // after a promise was broken, the next alert: 24h later (RULES.md 4.14, assumed)

	Calendar timeline.Calendar // business days for RefundDays and ArbitrationDays; nil: Monday to Friday
}

// deadlineRow is one parameter of Deadlines: the field, its default and
// JSON name, and what its passing records and why it is what it is.
type deadlineRow struct {
	name  string         // the JSON name
	state State          // the state whose deadline it sets; zero for realert, the wait between alerts
	only  *deadlineCases // the cases of state it is for; nil: the rest

	// A row is a duration (dur, durOf, def) or a number of business days
	// (days, daysOf, defDays). dur and days reach the field in place;
	// durOf and daysOf read it from a copy, for Due, whose copy would be
	// allocated at every call if a func value were handed a pointer to it.
	dur     func(*Deadlines) *time.Duration
	durOf   func(Deadlines) time.Duration
	def     time.Duration
	days    func(*Deadlines) *int
	daysOf  func(Deadlines) int
	defDays int
	// orDays, if set, is another row's number of business days: the
	// deadline is the duration or that, whichever comes first.
	orDays *deadlineDays

	// The rule id recorded when the deadline passes, and what it means: en
	// and zh with %s for the parameters of the state, enAny and zhAny for a
	// schedule of the host's, whose numbers this package does not know.
	// Rows for some cases leave them empty: the state's other row speaks
	// for them, naming their parameters too.
	rule, en, zh, enAny, zhAny string

	source string // the RULES.md entry the default comes from
	doc    string // what the parameter is, for listings
}

// deadlineCases picks out the cases of a state that a row is for.
type deadlineCases struct {
	holds  func(Query) bool
	en, zh string // how messages and listings name them
}

// deadlineDays names a parameter in business days of another row.
type deadlineDays struct {
	daysOf  func(Deadlines) int
	defDays int
}

// guaranteedGrant is the name of the policy of the 30-day guaranteed
// return (package policy's GuaranteedReturn), whose promise of a refund
// within 24 hours its cases carry.
const guaranteedGrant = "guaranteed_return_30d"

// guaranteedReturn is the cases the 30-day guaranteed return covered: the
// grant recorded on their request.
var guaranteedReturn = &deadlineCases{
	holds: func(q Query) bool { return q.Case != nil && q.Case.coveredBy() == guaranteedGrant },
	en:    "for cases the 30-day guarantee covered",
	zh:    "30天包退",
}

// repairs is the cases of a repair, which the merchant has longer to send
// back.
var repairs = &deadlineCases{
	holds: func(q Query) bool { return q.Case != nil && q.Case.Kind() == KindRepair },
	en:    "for a repair",
	zh:    "维修",
}

// noReasonReturned is the cases of a no-reason return whose goods came
// back: the law counts their refund from the merchant's receipt.
var noReasonReturned = &deadlineCases{
	holds: func(q Query) bool {
		return q.Case != nil && q.Case.Reason() == ReasonNoReason && q.Case.log.returnParcel() >= 0
	},
	en: "for goods returned without a reason",
	zh: "无理由退回的商品",
}

// refundDays is the general refund promise, in business days.
var refundDays = &deadlineDays{daysOf: func(t Deadlines) int { return t.RefundDays }, defDays: 7}

// deadlineTable is every parameter of Deadlines, in the order of its JSON
// form. A new deadline is a field of Deadlines and a row here.
var deadlineTable = [...]deadlineRow{
	{
		name: "review", state: StatePendingReview, def: 48 * time.Hour,
		dur:    func(t *Deadlines) *time.Duration { return &t.Review },
		durOf:  func(t Deadlines) time.Duration { return t.Review },
		rule:   "deadlines.pending_review_timeout",
		en:     "the merchant did not respond within %s; approved automatically",
		zh:     "商家%s内未处理，系统默认同意",
		enAny:  "the merchant did not respond in time; approved automatically",
		zhAny:  "商家超时未处理，系统默认同意",
		source: "RULES.md 4.1",
		doc:    "How long the merchant has to answer a request; then it is approved (refund_only: refunding; otherwise awaiting_return).",
	},
	{
		name: "interception", state: StateIntercepting, def: 5 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.Interception },
		durOf:  func(t Deadlines) time.Duration { return t.Interception },
		rule:   "deadlines.intercepting_timeout",
		en:     "the merchant did not settle the interception within %s; refund approved automatically",
		zh:     "商家%s内未处理拦截，系统自动同意退款",
		enAny:  "the merchant did not settle the interception in time; refund approved automatically",
		zhAny:  "商家超时未处理拦截，系统自动同意退款",
		source: "RULES.md 4.2",
		doc:    "How long the merchant has to have the parcel intercepted, unable to refuse meanwhile; then the refund is approved.",
	},
	{
		name: "return", state: StateAwaitingReturn, def: 10 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.Return },
		durOf:  func(t Deadlines) time.Duration { return t.Return },
		rule:   "deadlines.awaiting_return_timeout",
		en:     "the buyer did not ship the goods back within %s; case closed",
		zh:     "买家%s内未寄回商品并提交运单，售后关闭",
		enAny:  "the buyer did not ship the goods back in time; case closed",
		zhAny:  "买家超时未寄回商品并提交运单，售后关闭",
		source: "RULES.md 4.3",
		doc:    "How long the buyer has to ship the goods back and give the waybill; then the case closes (return_timeout).",
	},
	{
		name: "return_transit", state: StateReturnInTransit, def: 10 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.ReturnTransit },
		durOf:  func(t Deadlines) time.Duration { return t.ReturnTransit },
		rule:   "deadlines.return_in_transit_timeout",
		en:     "the merchant did not confirm receipt within %s of the waybill; received automatically",
		zh:     "商家在运单上传%s内未确认收货，系统自动确认收货",
		enAny:  "the merchant did not confirm receipt in time; received automatically",
		zhAny:  "商家超时未确认收货，系统自动确认收货",
		source: "RULES.md 4.4",
		doc:    "How long the merchant has, from the waybill, to confirm the goods came back; then they count as received.",
	},
	{
		name: "negotiation", state: StateNegotiating, def: 48 * time.Hour,
		dur:    func(t *Deadlines) *time.Duration { return &t.Negotiation },
		durOf:  func(t Deadlines) time.Duration { return t.Negotiation },
		rule:   "deadlines.negotiating_timeout",
		en:     "the buyer did not answer the proposal in time (%s at most); declined",
		zh:     "买家超时未回应协商（最长%s），视为拒绝",
		enAny:  "the buyer did not answer the proposal in time; declined",
		zhAny:  "买家超时未回应协商，视为拒绝",
		source: "RULES.md 4.5, assumed",
		doc:    "How long the buyer has to answer a proposal, never past the deadline of the state it was made in; then it is declined.",
	},
	{
		name: "escalation", state: StateRejected, def: 7 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.Escalation },
		durOf:  func(t Deadlines) time.Duration { return t.Escalation },
		rule:   "deadlines.rejected_timeout",
		en:     "the buyer neither escalated nor asked again within %s; case closed",
		zh:     "买家%s内未申请平台介入或重新申请，售后关闭",
		enAny:  "the buyer neither escalated nor asked again in time; case closed",
		zhAny:  "买家超时未申请平台介入或重新申请，售后关闭",
		source: "RULES.md 4.6, assumed (buyers elsewhere get a week to escalate or resubmit)",
		doc:    "How long the buyer has after a rejection to escalate or ask again; then the case closes (not_escalated).",
	},
	{
		name: "reship", state: StateAwaitingReship, def: 7 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.Reship },
		durOf:  func(t Deadlines) time.Duration { return t.Reship },
		rule:   "deadlines.awaiting_reship_timeout",
		en:     "the merchant did not send the goods within %s; refunding instead",
		zh:     "商家%s内未寄出商品，改为退款",
		enAny:  "the merchant did not send the goods in time; refunding instead",
		zhAny:  "商家超时未寄出商品，改为退款",
		source: "RULES.md 4.7, assumed",
		doc:    "How long the merchant has to send a replacement or what was missing; then the case is refunded instead.",
	},
	{
		name: "repair", state: StateAwaitingReship, only: repairs, def: 15 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.Repair },
		durOf:  func(t Deadlines) time.Duration { return t.Repair },
		source: "RULES.md 4.7, assumed (三包: a repair is finished within 15 days)",
		doc:    "How long the merchant has, from receiving the goods, to send them back repaired; then the case is refunded instead.",
	},
	{
		name: "reship_transit", state: StateReshipInTransit, def: 10 * timeline.Day,
		dur:    func(t *Deadlines) *time.Duration { return &t.ReshipTransit },
		durOf:  func(t Deadlines) time.Duration { return t.ReshipTransit },
		rule:   "deadlines.reship_in_transit_timeout",
		en:     "the buyer did not confirm receipt of the goods sent within %s; confirmed automatically",
		zh:     "买家%s内未确认收货，系统自动确认",
		enAny:  "the buyer did not confirm receipt of the goods sent in time; confirmed automatically",
		zhAny:  "买家超时未确认收货，系统自动确认",
		source: "RULES.md 4.8, assumed",
		doc:    "How long the buyer has to confirm the goods sent arrived; then receipt is confirmed.",
	},
	{
		name: "guaranteed_refund", state: StateRefunding, only: guaranteedReturn, def: 24 * time.Hour,
		dur:    func(t *Deadlines) *time.Duration { return &t.GuaranteedRefund },
		durOf:  func(t Deadlines) time.Duration { return t.GuaranteedRefund },
		source: "RULES.md 4.9",
		doc:    "The refund promised from approval for goods under the 30-day guaranteed return; then an alert.",
	},
	{
		name: "no_reason_refund", state: StateRefunding, only: noReasonReturned, def: 7 * timeline.Day, orDays: refundDays,
		dur:    func(t *Deadlines) *time.Duration { return &t.NoReasonRefund },
		durOf:  func(t Deadlines) time.Duration { return t.NoReasonRefund },
		source: "RULES.md 4.10 (Consumer Protection Law art. 25)",
		doc:    "The refund of goods returned without a reason, from the merchant's receipt, or refund_days if that is earlier; then an alert.",
	},
	{
		name: "refund_days", state: StateRefunding, defDays: 7,
		days:   func(t *Deadlines) *int { return &t.RefundDays },
		daysOf: func(t Deadlines) int { return t.RefundDays },
		rule:   "deadlines.refund_sla",
		en:     "the refund is later than the promised %s",
		zh:     "退款超过承诺的%s",
		enAny:  "the refund is later than promised",
		zhAny:  "退款超过承诺时效",
		source: "RULES.md 4.11",
		doc:    "The refund promised from approval, in business days; then an alert.",
	},
	{
		name: "arbitration_days", state: StateArbitration, defDays: 7,
		days:   func(t *Deadlines) *int { return &t.ArbitrationDays },
		daysOf: func(t Deadlines) int { return t.ArbitrationDays },
		rule:   "deadlines.arbitration_sla",
		en:     "the platform's ruling is later than the promised %s",
		zh:     "平台介入超过承诺的%s",
		enAny:  "the platform's ruling is later than promised",
		zhAny:  "平台介入超过承诺时效",
		source: "RULES.md 4.12",
		doc:    "The ruling the platform promises on an escalated case, in business days; then an alert.",
	},
	{
		name: "refund_failed", state: StateRefundFailed, def: 24 * time.Hour,
		dur:    func(t *Deadlines) *time.Duration { return &t.RefundFailed },
		durOf:  func(t Deadlines) time.Duration { return t.RefundFailed },
		rule:   "deadlines.refund_failed_sla",
		en:     "the failed refund was not retried within %s",
		zh:     "退款失败后%s内未重新退款",
		enAny:  "the failed refund was not retried in time",
		zhAny:  "退款失败后未及时重新退款",
		source: "RULES.md 4.13, assumed",
		doc:    "How long the platform has to retry a failed refund; then an alert.",
	},
	{
		name: "realert", def: 24 * time.Hour,
		dur:    func(t *Deadlines) *time.Duration { return &t.Realert },
		durOf:  func(t Deadlines) time.Duration { return t.Realert },
		source: "RULES.md 4.14, assumed",
		doc:    "How long after an alert the next one comes, while the promise stays broken.",
	},
}

// deadlinesOf lists, by state, the rows that set its deadline: those for
// some of its cases first, in table order, then the one for the rest.
// realert is the row of the wait between alerts.
var deadlinesOf, realert = indexDeadlines()

// indexDeadlines builds deadlinesOf and realert from the table.
func indexDeadlines() (by [numStates][]*deadlineRow, realert *deadlineRow) {
	for _, some := range []bool{true, false} {
		for i := range deadlineTable {
			r := &deadlineTable[i]
			switch {
			case r.state == 0:
				realert = r
			case (r.only != nil) == some:
				by[r.state] = append(by[r.state], r)
			}
		}
	}
	return by, realert
}

var _ Schedule = Deadlines{}

// Name returns "deadlines".
func (Deadlines) Name() string { return "deadlines" }

// Due returns the deadline of state s entered at since: since plus the
// state's duration, or for RefundDays and ArbitrationDays the end of that
// many business days counted from the next day. With repeat, it is since
// plus Realert. Terminal states have no deadline (the zero time).
func (t Deadlines) Due(q Query, s State, since time.Time, repeat bool) time.Time {
	r := deadlineFor(&q, s, repeat)
	switch {
	case r == nil:
		return time.Time{}
	case r.days != nil:
		return timeline.AddBusinessDays(t.Calendar, since, cmp.Or(r.daysOf(t), r.defDays), q.Zone)
	case r.orDays != nil:
		d := since.Add(cmp.Or(r.durOf(t), r.def))
		if business := timeline.AddBusinessDays(t.Calendar, since, cmp.Or(r.orDays.daysOf(t), r.orDays.defDays), q.Zone); business.Before(d) {
			return business
		}
		return d
	}
	return since.Add(cmp.Or(r.durOf(t), r.def))
}

// fixed returns, by state, the deadline's duration where it is one plain
// duration for every case of the state (zero where it is counted in
// business days or depends on the case), and the wait between alerts: what
// the Engine works out once, when it compiles the rules, instead of at
// every step.
func (t *Deadlines) fixed() (byState [numStates]time.Duration, realertAfter time.Duration) {
	for s, rows := range deadlinesOf {
		if len(rows) == 1 && rows[0].only == nil && rows[0].dur != nil {
			byState[s] = cmp.Or(*rows[0].dur(t), rows[0].def)
		}
	}
	return byState, cmp.Or(*realert.dur(t), realert.def)
}

// deadlineFor returns the row that sets the deadline of s for the case q
// asks about (with repeat, realert), or nil if s has none.
func deadlineFor(q *Query, s State, repeat bool) *deadlineRow {
	if repeat {
		return realert
	}
	if int(s) >= len(deadlinesOf) {
		return nil
	}
	for _, r := range deadlinesOf[s] {
		if r.only == nil || r.only.holds(*q) {
			return r
		}
	}
	return nil
}

// Validate reports a negative duration or day count, or a duration above
// zero but below one minute, as ErrInvalidInput.
func (t Deadlines) Validate() error {
	for i := range deadlineTable {
		r := &deadlineTable[i]
		if r.days != nil {
			if n := r.daysOf(t); n < 0 {
				return refuse(ErrInvalidInput, "rules.bad_parameter", "deadlines: "+r.name+": negative number of business days "+strconv.Itoa(n),
					"时限"+r.name+"的工作日天数不能为负数（"+strconv.Itoa(n)+"）")
			}
		} else if d := r.durOf(t); d < 0 {
			return refuse(ErrInvalidInput, "rules.bad_parameter", "deadlines: "+r.name+": negative duration "+d.String(), "时限"+r.name+"的时长不能为负数（"+d.String()+"）")
		} else if d != 0 && d < time.Minute {
			return refuse(ErrInvalidInput, "rules.bad_parameter", "deadlines: "+r.name+": duration "+d.String()+" is below one minute", "时限"+r.name+"的时长"+d.String()+"不足一分钟")
		}
	}
	return nil
}

// MarshalJSON writes durations as "48h0m0s" or "10d" and day counts as
// numbers, in table order, then the calendar; zero (default) fields are
// left out. A Calendar other than a Workweek cannot be written and is an
// error.
func (t Deadlines) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	add := func(name string, v any) error {
		js, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(strconv.AppendQuote(b, name), ':')
		b = append(b, js...)
		return nil
	}
	for i := range deadlineTable {
		r := &deadlineTable[i]
		var err error
		if r.days != nil {
			if n := r.daysOf(t); n != 0 {
				err = add(r.name, n)
			}
		} else if d := r.durOf(t); d != 0 {
			err = add(r.name, timeline.FormatDuration(d))
		}
		if err != nil {
			return nil, err
		}
	}
	var err error
	switch c := t.Calendar.(type) {
	case nil:
	case timeline.Workweek:
		err = add("calendar", c)
	case *timeline.Workweek:
		if c != nil {
			err = add("calendar", c)
		}
	default:
		err = fmt.Errorf("aftersale: deadlines: cannot encode a calendar of type %T", c)
	}
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the form MarshalJSON writes, over the current values:
// fields not given keep theirs, so a scenario can override one deadline.
// Names match ignoring case, as encoding/json matches fields. Unknown
// fields are errors.
func (t *Deadlines) UnmarshalJSON(b []byte) error {
	var fields map[string]json.RawMessage
	if err := strictJSON(b, &fields); err != nil {
		return refuse(ErrInvalidInput, "rules.bad_parameter", "deadlines: "+err.Error(), "时限参数的格式有误")
	}
	next := *t
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if err := next.decodeField(name, fields[name]); err != nil {
			return refuse(ErrInvalidInput, "rules.bad_parameter", "deadlines: "+err.Error(), "时限参数"+name+"有误")
		}
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*t = next
	return nil
}

// decodeField sets the field of JSON name name from v; null, "" and 0
// leave it as it is.
func (t *Deadlines) decodeField(name string, v json.RawMessage) error {
	if strings.EqualFold(name, "calendar") {
		var w *timeline.Workweek
		if err := strictJSON(v, &w); err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
		if w != nil {
			t.Calendar = *w
		}
		return nil
	}
	i := slices.IndexFunc(deadlineTable[:], func(r deadlineRow) bool { return strings.EqualFold(r.name, name) })
	if i < 0 {
		return fmt.Errorf("unknown field %q", name)
	}
	r := &deadlineTable[i]
	if r.days != nil {
		var n int
		if err := json.Unmarshal(v, &n); err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		if n != 0 {
			*r.days(t) = n
		}
		return nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	if s == "" {
		return nil
	}
	d, err := timeline.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	*r.dur(t) = d
	return nil
}

// spell writes the row's value in t, its default if zero, the way a
// message reads it: hours up to 72 ("48 hours"), whole days beyond ("10
// days"), business days as such ("7 business days").
func (r *deadlineRow) spell(t Deadlines) (en, zh string) {
	if r.days != nil {
		n := cmp.Or(r.daysOf(t), r.defDays)
		return count(n, "business day"), strconv.Itoa(n) + "个工作日"
	}
	d := cmp.Or(r.durOf(t), r.def)
	switch {
	case d > 72*time.Hour && d%timeline.Day == 0:
		n := int(d / timeline.Day)
		return count(n, "day"), strconv.Itoa(n) + "天"
	case d%time.Hour == 0:
		n := int(d / time.Hour)
		return count(n, "hour"), strconv.Itoa(n) + "小时"
	case d%time.Minute == 0:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if h == 0 {
			return count(m, "minute"), strconv.Itoa(m) + "分钟"
		}
		return count(h, "hour") + " " + count(m, "minute"), strconv.Itoa(h) + "小时" + strconv.Itoa(m) + "分钟"
	}
	return d.String(), d.String()
}

// count writes n units in English: "1 hour", "48 hours".
func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// timeoutDecisions returns, for each state with a deadline, the decision
// recorded when it passes under the schedule, naming its parameters when
// the schedule is Deadlines: the Engine works them out once, when it
// compiles the rules.
func timeoutDecisions(sched Schedule) [numStates]Decision {
	var t *Deadlines
	switch s := sched.(type) {
	case Deadlines:
		t = &s
	case *Deadlines:
		t = s
	}
	var out [numStates]Decision
	for st, rows := range deadlinesOf {
		if len(rows) == 0 {
			continue
		}
		main := rows[len(rows)-1]
		d := Decision{Policy: sched.Name(), Rule: main.rule, Verdict: VerdictAllow, Zh: main.zhAny, En: main.enAny}
		if State(st).alerting() {
			d.Verdict = VerdictDeny // a promise was broken
		}
		if t != nil {
			d.En, d.Zh = explain(*t, rows)
		}
		out[st] = d
	}
	return out
}

// inTime returns d, the decision of state s's timeout, with the messages
// that name no length of time ("in time").
func inTime(d Decision, s State) Decision {
	if rows := deadlinesOf[s]; len(rows) > 0 {
		main := rows[len(rows)-1]
		d.En, d.Zh = main.enAny, main.zhAny
	}
	return d
}

// explain returns the messages of a state's deadline passing under t:
// the rule's, naming the value of the row for most cases and, in
// brackets, those of the rows for some.
func explain(t Deadlines, rows []*deadlineRow) (en, zh string) {
	main := rows[len(rows)-1]
	en, zh = main.spell(t)
	var enSome, zhSome []string
	for _, r := range rows[:len(rows)-1] {
		e, z := r.spell(t)
		enSome, zhSome = append(enSome, e+" "+r.only.en), append(zhSome, r.only.zh+"为"+z)
	}
	if len(enSome) > 0 {
		en += " (" + strings.Join(enSome, "; ") + ")"
		zh += "（" + strings.Join(zhSome, "；") + "）"
	}
	return fmt.Sprintf(main.en, en), fmt.Sprintf(main.zh, zh)
}

// DeadlineParam describes one parameter of Deadlines, for listings of
// what a rule set waits for and on what grounds.
type DeadlineParam struct {
	Name    string // the JSON name, such as "review"
	State   State  // the state whose deadline it sets; zero for "realert", the wait between alerts
	When    string // the cases of State it is for, such as "under the 30-day guaranteed return"; empty: all others
	Rule    string // the rule id recorded when it passes, such as "deadlines.pending_review_timeout"; empty for realert
	Default string // the default, such as "48 hours" or "7 business days"
	Source  string // the RULES.md entry the default comes from, such as "RULES.md 4.11"
	Doc     string // what it is, in a sentence
}

// DeadlineParams returns the parameters of Deadlines in the order of its
// JSON form; Calendar, which says what a business day is, is not one.
func DeadlineParams() []DeadlineParam {
	out := make([]DeadlineParam, len(deadlineTable))
	for i := range deadlineTable {
		r := &deadlineTable[i]
		def, _ := r.spell(Deadlines{})
		p := DeadlineParam{Name: r.name, State: r.state, Default: def, Source: r.source, Doc: r.doc}
		if r.only != nil {
			p.When = r.only.en
		}
		if rows := deadlinesOf[r.state]; r.state != 0 && len(rows) > 0 {
			p.Rule = rows[len(rows)-1].rule
		}
		out[i] = p
	}
	return out
}
