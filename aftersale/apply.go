package aftersale

import (
	"cmp"
	"strconv"
	"time"
)

// Outcome is what a command did.
type Outcome struct {
	// Case is the case the command addressed or opened; nil for an order
	// fact.
	Case *Case
	// Event is the event the command appended to Case; zero for an order
	// fact.
	Event Event
	// Also lists the other changes made on the way: first deadlines that
	// fell due before the command, in the order they fired; then the cases
	// the command changed besides Case, at the same time as Event (a
	// rejected case a request supersedes, cases in interception a delivery
	// moves on); last, deadlines the command itself made due at once,
	// recorded after Event. Nil when there were none.
	Also []Change
	// Repeat is set when the command's Key had already been applied: nothing
	// changed, and Event is the event the first delivery appended.
	Repeat bool
}

// Change is an event appended to a case.
type Change struct {
	Case  *Case
	Event Event
}

// Apply is shorthand for ApplyAt(now, o, cmd) with now read from the
// Engine's clock, in the Engine's zone.
func (e *Engine) Apply(o *Order, cmd Command) (Outcome, error) {
	return e.ApplyAt(e.now(), o, cmd)
}

// now reads the Engine's clock, in the Engine's zone: a host on the
// machine's clock stamps its events in the platform's zone, not the
// server's.
func (e *Engine) now() time.Time { return e.clock.Now().In(e.zone) }

// ApplyAt performs cmd on the order at time now. Deadlines due at or
// before now fire first, in order, so no command overtakes a timeout; then
// the command is checked against the transition table and the policies and,
// if allowed, recorded.
//
// On error, nothing has changed: not the cases, not their logs, not the
// deadlines, not the version, not even the deadlines that were due (they
// fire when the host next calls Advance or sends a command that succeeds).
// As with AdvanceTo, a time whose due deadlines would append more than
// MaxEventsPerCall events is ErrInvalidInput. A policy that panics leaves
// the order as it was, and the panic goes on to the caller.
// The error's Code says why (errors.Is): ErrInvalidInput, ErrNotPermitted,
// ErrNotEligible, ErrConflict, ErrClockRegressed, or ErrNotFound for a case
// the order does not have.
func (e *Engine) ApplyAt(now time.Time, o *Order, cmd Command) (out Outcome, err error) {
	now = now.Round(0) // an event records an instant, not a monotonic clock reading
	if o == nil {
		return Outcome{}, refuse(ErrInvalidInput, "order.missing", "no order", "没有订单")
	}
	b, err := o.validate(e.zones)
	if err != nil {
		return Outcome{}, err
	}
	if err := cmd.check(); err != nil {
		return Outcome{}, err
	}
	if cmd.Key != "" {
		if seen, err := o.repeat(&cmd, &out); seen {
			return out, err
		}
	}
	if err := e.checkRules(o); err != nil {
		return Outcome{}, err
	}
	at, err := o.checkTime(now, b, e.zones)
	if err != nil {
		return Outcome{}, err
	}
	// A command changes the order only once every policy it asks has
	// answered, unless deadlines fire first, it records an order fact
	// (which moves cases one by one) or it may leave a deadline due (which
	// fires after it): then the order is kept to go back to, on an error
	// and on a policy's panic, which goes on to the caller.
	due := o.anyDue(at)
	if due || cmd.Action.isFact() || mayResume(cmd.Action) {
		snap := o.snapshot()
		defer o.backOnPanic(snap)
		if err = e.fireAndAct(now, o, &cmd, &out, due); err != nil {
			o.restore(snap)
			return Outcome{}, err
		}
		return out, nil
	}
	if err = e.act(now, o, &cmd, &out); err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// fireAndAct fires the deadlines due (if due) and then performs cmd, and
// after it the deadline it may have left due: a decline returns to one
// that may have passed meanwhile.
func (e *Engine) fireAndAct(now time.Time, o *Order, cmd *Command, out *Outcome, due bool) error {
	var fired []Change
	if due {
		var err error
		if fired, err = e.fire(o, now, MaxEventsPerCall); err != nil {
			return err
		}
	}
	if err := staleByDeadlines(o, cmd, fired, now); err != nil {
		return err
	}
	if err := e.act(now, o, cmd, out); err != nil {
		return err
	}
	if fired != nil {
		out.Also = append(fired, out.Also...)
	}
	if d := out.Event.Due; !d.IsZero() && !d.After(now) {
		more, err := e.fire(o, now, MaxEventsPerCall)
		if err != nil {
			return err
		}
		out.Also = append(out.Also, more...)
	}
	return nil
}

// staleByDeadlines refuses a command that expects a version of its case
// that the deadlines just fired moved on: a conflict, whose message names
// the version the host has stored (the fired events go back with the
// refusal) and the one to send once it has advanced the order, so that a
// retry does not meet the same refusal.
func staleByDeadlines(o *Order, cmd *Command, fired []Change, now time.Time) error {
	c := o.Case(cmd.Case)
	if cmd.Version == 0 || c == nil || cmd.Version == c.Version() {
		return nil
	}
	moved := 0
	for _, ch := range fired {
		if ch.Case == c {
			moved++
		}
	}
	if moved == 0 {
		return nil
	}
	stored, after, sent := strconv.Itoa(c.Version()-moved), strconv.Itoa(c.Version()), strconv.Itoa(cmd.Version)
	return refuse(ErrConflict, "case.stale_version",
		"case "+c.id+" is at version "+stored+", but the deadlines due by "+now.Format(time.RFC3339)+" move it on to version "+after+
			" before this command, which expected "+sent+": advance the order (AdvanceTo) and send the command again with version "+after,
		"售后单"+c.id+"当前为第"+stored+"版，但截至"+now.Format(time.DateTime)+"已到期的处理会先将它更新到第"+after+
			"版（操作基于第"+sent+"版）：请先推进订单时间，再按第"+after+"版重新提交")
}

// act performs a checked command after the due deadlines fired. Every path
// checks all it needs before changing anything, so an error leaves the
// order as it was.
func (e *Engine) act(now time.Time, o *Order, cmd *Command, out *Outcome) error {
	switch {
	case cmd.Action == ActionRequest:
		return e.request(now, o, cmd, out)
	case cmd.Action == ActionImport:
		return e.adopt(now, o, cmd, out)
	case cmd.Action.isFact():
		return e.fact(now, o, cmd, out)
	}
	return e.step(now, o, cmd, out)
}

// step performs a command on an existing case.
func (e *Engine) step(now time.Time, o *Order, cmd *Command, out *Outcome) error {
	c := o.Case(cmd.Case)
	if c == nil {
		return refuse(ErrNotFound, "case.not_found", "order "+o.ID+" has no case "+strconv.Quote(cmd.Case)+": "+cmd.Action.String()+" needs a request first",
			"订单"+o.ID+"没有售后单“"+cmd.Case+"”，请先申请售后")
	}
	if cmd.Version != 0 && cmd.Version != c.Version() {
		return refuse(ErrConflict, "case.stale_version", "case "+c.id+" is at version "+strconv.Itoa(c.Version())+", the command expected "+strconv.Itoa(cmd.Version),
			"售后单"+c.id+"已有更新（当前第"+strconv.Itoa(c.Version())+"版，操作基于第"+strconv.Itoa(cmd.Version)+"版），请刷新后重试")
	}
	if !c.Open() {
		return refuse(ErrNotPermitted, "case.closed", "case "+c.id+" is "+c.state.String()+": nothing more can happen to it",
			"售后单"+c.id+"已结束（"+c.state.Label()+"），不能再操作")
	}
	rs, q := e.rulesFor(c), Query{Order: o, Case: c, At: now, Zone: e.zone}
	row, err := permitted(&facts{c: c, ruling: cmd.Ruling, returnGoods: cmd.ReturnGoods, rs: rs, q: &q}, cmd)
	if err != nil {
		return err
	}
	amount, err := amountOf(o, c, cmd)
	if err != nil {
		return err
	}
	ev := &out.Event
	e.build(ev, rs, q, row, cmd.Actor, cmd, amount)
	if ev.Action == ActionRefundSucceeded {
		ev.Compensation = c.log.compensationCopy() // decided when the case entered refunding; paid now
	}
	if err := e.record(rs, o, c, ev); err != nil {
		return err
	}
	out.Case = c
	return nil
}

// permitted returns the row cmd takes on the case f is about, or says why
// it may not.
func permitted(f *facts, cmd *Command) (*Transition, error) {
	c := f.c
	row := pick(c.state, cmd.Action, c.kind, f)
	if row == nil {
		if c.state == StateIntercepting && cmd.Action == ActionReject {
			return nil, refuse(ErrNotPermitted, "table.intercepting_no_reject", "the merchant may not refuse while the parcel is being intercepted",
				"包裹拦截中，商家不能拒绝")
		}
		return nil, refuse(ErrNotPermitted, "table.not_permitted", cmd.Action.String()+" is not permitted in state "+c.state.String(),
			"“"+c.state.Label()+"”状态不能"+cmd.Action.Label())
	}
	if !row.By.Has(cmd.Actor) {
		who, whoZh := row.By.String(), actorsZh(row.By)
		if who == "" {
			who, whoZh = "the system, when the deadline passes,", "系统在时限到期时"
		}
		return nil, refuse(ErrNotPermitted, "table.wrong_actor", "only "+who+" may "+cmd.Action.String()+" in state "+c.state.String()+", not the "+cmd.Actor.String(),
			"只有"+whoZh+"可以在“"+c.state.Label()+"”状态"+cmd.Action.Label()+"，"+cmd.Actor.Label()+"不可以")
	}
	return row, nil
}

// amountOf returns the money the event of cmd on c names, checked against
// the case and the refund cap: an offer, an agreement, an award, a refund.
func amountOf(o *Order, c *Case, cmd *Command) (Money, error) {
	switch cmd.Action {
	case ActionPropose:
		if cmd.Amount >= c.amount {
			return 0, refuse(ErrInvalidInput, "money.proposal_not_below", "a proposal must be smaller than the "+c.amount.String()+" asked for, not "+cmd.Amount.String(),
				"协商金额须低于申请的"+yuan(c.amount)+"，不能是"+yuan(cmd.Amount))
		}
		return cmd.Amount, nil
	case ActionAccept:
		return c.Proposal(), nil
	case ActionRefundSucceeded:
		return c.amount, nil
	case ActionRule:
		if cmd.Ruling != RulingForBuyer {
			return 0, nil
		}
		if cmd.ReturnGoods && !o.Delivered() {
			return 0, refuse(ErrInvalidInput, "order.nothing_to_return", "the goods were never delivered, so they cannot come back",
				"商品从未签收，无法判定退回商品")
		}
		award := cmp.Or(cmd.Amount, c.amount)
		if left := o.leftExcept(c); award > left {
			return 0, capError(ruleCapExceeded, "the ruling awards "+award.String()+" but only "+left.String()+" of the order is left to refund",
				"判定金额"+yuan(award)+"超过订单剩余可退的"+yuan(left))
		}
		return award, nil
	}
	return 0, nil
}

// The rule ids of the refund cap, which keeps refunds within what was paid
// (RULES.md 5.7).
const (
	ruleCapExceeded    = "refund_cap.exceeded"
	ruleCapNothingLeft = "refund_cap.nothing_left"
)

// capError is a refusal by the refund cap.
func capError(rule, msg, zh string) error {
	return refuse(ErrInvalidInput, rule, "refund_cap: "+msg, zh)
}

// build fills in ev, a zero Event, as the event row makes for its case
// (q.Case) at q.At by actor: the one place an event's state, kind, closed
// reason and deadline are decided, for commands, timeouts and facts alike.
// cmd is the command that sent it, or nil; amount is the money it names.
func (e *Engine) build(ev *Event, rs *ruleset, q Query, row *Transition, actor Actor, cmd *Command, amount Money) {
	c := q.Case
	ev.Seq, ev.At, ev.Actor, ev.Action = c.Version()+1, q.At, actor, row.Action
	ev.From, ev.To, ev.Kind, ev.Closed, ev.Amount = row.From, row.To, cmp.Or(row.Kind, c.kind), row.Closed, amount
	if cmd != nil {
		// The command's texts and arguments, as sent: check let through
		// only those its action takes.
		if cmd.Note != "" || cmd.Key != "" || cmd.Carrier != "" || cmd.Waybill != "" {
			ev.Note, ev.Key, ev.Carrier, ev.Waybill = cmd.Note, cmd.Key, cmd.Carrier, cmd.Waybill
		}
		ev.Freight, ev.Ruling, ev.ReturnGoods = cmd.Freight, cmd.Ruling, cmd.ReturnGoods
		if row.From == 0 {
			ev.Kind, ev.Reason = cmd.Kind, cmd.Reason
		}
	}
	switch {
	case row.To.Terminal():
	case row.Due == DueKept:
		ev.Due = c.pending().time(c.log.loc)
	case row.Due == DueResumed:
		_, _, resumed := c.negotiation()
		ev.Due = resumed.time(c.log.loc)
	case row.Due == DueGiven && cmd != nil && !cmd.Due.IsZero():
		ev.Due = cmd.Due
	default:
		ev.Due = e.due(rs, q, row.To, q.At, row.Due == DueRepeated)
		if p := c.pending(); row.Due == DueCapped && p != 0 && momentOf(ev.Due) > p {
			ev.Due = p.time(c.log.loc)
		}
	}
}

// entersRefunding reports whether ev takes its case into refunding (not
// back into it, after a failed refund).
func (ev *Event) entersRefunding() bool {
	return ev.To == StateRefunding && ev.From != StateRefunding && ev.From != StateRefundFailed
}

// decidesCompensation reports whether ev is where the compensation that
// comes with a refund is decided, if it was not yet: the event that takes
// the case into refunding or receives the goods back (an exchange's
// return freight is paid then), and, for a case that got to its refund
// with nothing decided (as every case did before the stored form's format
// 2), refund_succeeded.
func (ev *Event) decidesCompensation() bool {
	return ev.entersRefunding() || ev.Action == ActionReceiveReturn || ev.Action == ActionRefundSucceeded
}

// record appends ev, an event the engine decided, to c. Where ev decides
// the compensation and nothing was decided yet, the compensators are
// asked, of the case as it is once ev is recorded (compensate), and their
// answer is recorded in ev. A bad answer is an error, and then nothing is
// recorded.
func (e *Engine) record(rs *ruleset, o *Order, c *Case, ev *Event) error {
	if !ev.decidesCompensation() || len(ev.Compensation) > 0 || c.log.compensationDecided() {
		o.record(c, ev)
		return nil
	}
	before, version, latest := *c, o.version, o.latest
	o.record(c, ev)
	lines, why, err := compensate(rs, Query{Order: o, Case: c, At: ev.At, Zone: e.zone})
	if err != nil {
		log := c.log
		*c, o.version, o.latest = before, version, latest
		c.log = log
		c.log.truncate(before.log.len())
		return err
	}
	ev.Compensation, ev.CompensationDecision = lines, why
	c.log.amendLast(ev)
	return nil
}

// compensate asks the compensators, in order, for compensation lines. The
// first to grant an amount decides; failing that, the first to explain why
// not is what is recorded. Lines of no amount are dropped; a negative
// amount, a total no case can hold, or two lines for one payer are
// refused. A line without a known payer is the merchant's.
func compensate(rs *ruleset, q Query) ([]Compensation, Decision, error) {
	var why Decision
	for _, p := range rs.compensators {
		granted, a := p.Compensate(q)
		if err := checkVerdict(p, a); err != nil {
			return nil, Decision{}, err
		}
		lines, err := checkLines(p, granted)
		if err != nil {
			return nil, Decision{}, err
		}
		if len(lines) == 0 {
			if why.IsZero() && a != (Answer{}) {
				why = a.decision(p.Name())
			}
			continue
		}
		a.Verdict = VerdictAllow // it grants an amount, whatever verdict it gave
		return lines, a.decision(p.Name()), nil
	}
	return nil, why, nil
}

// checkLines returns a compensator's lines as a case keeps them, or why it
// cannot: see compensate.
func checkLines(p Compensator, granted []Compensation) ([]Compensation, error) {
	if linesOK(granted) {
		return granted, nil // as a case keeps them already, the usual answer
	}
	var lines []Compensation
	var total Money
	for _, l := range granted {
		if l.Amount < 0 || l.Amount > maxMoney || total+l.Amount > maxMoney {
			return nil, refuse(ErrInvalidInput, "answer.bad_compensation", "policy "+p.Name()+" compensates "+l.Amount.String()+", which no case can hold",
				"政策"+p.Name()+"给出的补偿金额超出范围")
		}
		if l.Amount == 0 {
			continue
		}
		if l.Payer == 0 || int(l.Payer) >= len(payerNames) {
			l.Payer = PayerMerchant
		}
		for _, m := range lines {
			if m.Payer == l.Payer {
				return nil, refuse(ErrInvalidInput, "answer.bad_compensation", "policy "+p.Name()+" compensates twice for the "+l.Payer.String()+" to pay",
					"政策"+p.Name()+"为同一付款方给出了两笔补偿")
			}
		}
		total += l.Amount
		lines = append(lines, l)
	}
	return lines, nil
}

// linesOK reports whether lines are as a case keeps them: each of an
// amount above zero, for a known payer not named before, and their total
// one a case can hold.
func linesOK(lines []Compensation) bool {
	var total Money
	for i, l := range lines {
		total += l.Amount
		if l.Amount <= 0 || l.Amount > maxMoney || total > maxMoney || !enumValid(payerNames[:], l.Payer) {
			return false
		}
		for _, m := range lines[:i] {
			if m.Payer == l.Payer {
				return false
			}
		}
	}
	return true
}

// due returns the deadline of state s entered at since under the rules; a
// schedule's answer that is not after since is moved to a minute after it,
// and one beyond the deadlines a case can hold (2262) to the last of them,
// which no event reaches (see endOfEvents).
func (e *Engine) due(rs *ruleset, q Query, s State, since time.Time, repeat bool) time.Time {
	var d time.Time
	switch {
	case rs.timeouts != nil && repeat:
		d = since.Add(rs.realert)
	case rs.timeouts != nil && rs.fixed[s] != 0:
		d = since.Add(rs.fixed[s])
	case rs.timeouts != nil:
		d = rs.timeouts.Due(q, s, since, repeat)
	default:
		d = rs.schedule.Due(q, s, since, repeat).Round(0)
	}
	if !d.After(since) {
		d = since.Add(time.Minute)
	}
	if d.Unix() >= maxUnixSec { // since is an event's time, so d is after 1970
		d = lastMoment.In(d.Location())
	}
	return d
}

// checkTime returns now as a moment, or refuses it if it cannot be
// stored, is before the order was paid, or before its last fact or event;
// b are the bounds validate found, and zones are as validate takes them.
func (o *Order) checkTime(now time.Time, b bounds, zones checkedZones) (moment, error) {
	at, ok := eventTime(now)
	if !ok {
		return 0, refuse(ErrInvalidInput, "time.out_of_range", "time "+now.Format(time.RFC3339)+" is out of range (1970 to 2200)",
			"时间"+zhTime(now)+"超出可记录的范围（1970年至2200年）")
	}
	if !zones.wholeMinute(now) {
		return 0, zoneError("time "+now.UTC().Format(time.RFC3339), "时间"+zhTime(now.UTC()), now)
	}
	if at < b.paid {
		return 0, refuse(ErrInvalidInput, "time.before_payment", "time "+now.Format(time.RFC3339)+" is before the order was paid",
			"时间"+zhTime(now)+"早于订单付款时间")
	}
	if at < b.fact || at < o.latest {
		return 0, refuse(ErrClockRegressed, "clock.regressed", "time "+now.Format(time.RFC3339Nano)+" is before the order's last event at "+o.last().Format(time.RFC3339Nano),
			"时间"+zhTime(now)+"早于订单最近一次记录的时间"+zhTime(o.last()))
	}
	return at, nil
}

// repeat looks for an event that an earlier delivery of cmd, with the same
// Key, appended, and fills in out with the outcome it had. seen is false
// if the key is new. A key used before for a different command is a
// conflict.
func (o *Order) repeat(cmd *Command, out *Outcome) (seen bool, err error) {
	for _, c := range o.cases {
		i, ok := c.log.withKey(cmd.Key)
		if !ok {
			continue
		}
		ev := c.log.event(i)
		if !cmd.matches(c, ev) {
			return true, refuse(ErrConflict, "key.reused", "key "+strconv.Quote(cmd.Key)+" was used for a different command ("+ev.Action.String()+" on case "+c.id+")",
				"幂等键“"+cmd.Key+"”已用于另一操作（售后单"+c.id+"的"+ev.Action.Label()+"）")
		}
		*out = Outcome{Case: c, Event: ev, Repeat: true}
		return true, nil
	}
	switch cmd.Key {
	case o.shippedKey, o.deliveredKey:
		if cmd.Action == ActionShipped && cmd.Key == o.shippedKey || cmd.Action == ActionDelivered && cmd.Key == o.deliveredKey {
			*out = Outcome{Repeat: true}
			return true, nil
		}
		return true, refuse(ErrConflict, "key.reused", "key "+strconv.Quote(cmd.Key)+" was used for another order fact",
			"幂等键“"+cmd.Key+"”已用于订单的另一项记录")
	}
	return false, nil
}

// snapshot is a copy of an order and its cases to go back to.
type snapshot struct {
	order Order
	cases []Case
}

func (o *Order) snapshot() snapshot {
	s := snapshot{order: *o, cases: make([]Case, len(o.cases))}
	for i, c := range o.cases {
		s.cases[i] = *c
	}
	return s
}

// backOnPanic, deferred, puts the order back as it was at the snapshot if
// a policy panics, and lets the panic go on to the caller.
func (o *Order) backOnPanic(s snapshot) {
	if p := recover(); p != nil {
		o.restore(s)
		panic(p)
	}
}

// restore puts the order back as it was at the snapshot, cutting events
// appended since off the logs.
func (o *Order) restore(s snapshot) {
	*o = s.order
	for i, c := range o.cases {
		*c = s.cases[i]
		c.log.truncate(c.log.len())
	}
}
