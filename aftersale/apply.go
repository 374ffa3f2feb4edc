package aftersale

import (
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
	// Also lists the other changes made on the way, in the order they were
	// recorded: first deadlines that fell due before the command; then the
	// cases the command changed besides Case (a rejected case a request
	// supersedes, cases in interception a delivery moves on), recorded just
	// before Event; last, deadlines the command itself made due at once,
	// recorded after it. Nil when there were none.
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

// Apply is shorthand for ApplyAt(e.Now(), o, cmd).
func (e *Engine) Apply(o *Order, cmd Command) (Outcome, error) {
	return e.ApplyAt(e.clock.Now(), o, cmd)
}

// ApplyAt performs cmd on the order at time now. Deadlines due at or
// before now fire first, in order, so no command overtakes a timeout; then
// the command is checked against the transition table and the policies and,
// if allowed, recorded.
//
// On error, nothing has changed: not the cases, not their logs, not the
// deadlines, not the version, not even the deadlines that were due (they
// fire when the host next calls Advance or sends a command that succeeds).
// The error's Code says why (errors.Is): ErrInvalidInput, ErrNotPermitted,
// ErrNotEligible, ErrConflict or ErrClockRegressed.
func (e *Engine) ApplyAt(now time.Time, o *Order, cmd Command) (out Outcome, err error) {
	now = now.Round(0) // an event records an instant, not a monotonic clock reading
	if o == nil {
		return out, fail(ErrInvalidInput, "no order")
	}
	b, err := o.validate()
	if err != nil {
		return out, err
	}
	if err := cmd.check(); err != nil {
		return out, err
	}
	if cmd.Key != "" {
		if seen, err := o.repeat(&cmd, &out); seen {
			return out, err
		}
	}
	if err := e.checkRules(o); err != nil {
		return out, err
	}
	at := momentOf(now)
	if err := o.checkTime(now, at, b); err != nil {
		return out, err
	}
	if cmd.Action != ActionShipped && cmd.Action != ActionDelivered {
		// The event's time and what it takes from the command as sent (the
		// check above let through only the arguments its action takes) are
		// set here, where the compiler knows out is on the stack and writes
		// its pointers without write barriers; act fills in the rest.
		out.Event.At, out.Event.Note, out.Event.Key = now, cmd.Note, cmd.Key
		out.Event.Carrier, out.Event.Waybill, out.Event.Freight = cmd.Carrier, cmd.Waybill, cmd.Freight
	}
	if !o.anyDue(at) {
		out.Case, err = e.act(now, o, &cmd, &out)
		return out, err
	}
	// Deadlines fall due first. If the command then fails, the order goes
	// back to how it was, deadlines included.
	snap := o.snapshot()
	fired := e.fire(o, now)
	if out.Case, err = e.act(now, o, &cmd, &out); err != nil {
		o.restore(snap)
		return Outcome{}, err
	}
	out.Also = append(fired, out.Also...)
	return out, nil
}

// act performs a checked command after the due deadlines fired, filling in
// out but for out.Case: it returns the case, for the caller to set there in
// its own frame, where the compiler knows the Outcome is on the stack and
// writes the pointer without a write barrier. Every path checks all it
// needs before changing anything, so an error leaves the order as it was.
func (e *Engine) act(now time.Time, o *Order, cmd *Command, out *Outcome) (*Case, error) {
	var c *Case
	var err error
	switch cmd.Action {
	case ActionRequest:
		c, err = e.request(now, o, cmd, out)
	case ActionShipped, ActionDelivered:
		err = e.fact(now, o, cmd, out)
	default:
		c, err = e.step(now, o, cmd, out)
	}
	if err != nil {
		*out = Outcome{}
		return nil, err
	}
	// Only a decline can leave a deadline that is already due: it returns
	// to a review whose 48 hours may have run out meanwhile. Every other
	// command sets a deadline after now (see due), and no other case's was
	// due, or it would have fired first. TestInvariants checks that no
	// step leaves a deadline overdue.
	if cmd.Action == ActionDecline && o.anyDue(momentOf(now)) {
		out.Also = append(out.Also, e.fire(o, now)...)
	}
	return c, nil
}

// step performs a command on an existing case and returns the case.
func (e *Engine) step(now time.Time, o *Order, cmd *Command, out *Outcome) (*Case, error) {
	c := o.Case(cmd.Case)
	if c == nil {
		return nil, fail(ErrNotPermitted, "order "+o.ID+" has no case "+strconv.Quote(cmd.Case)+": "+cmd.Action.String()+" needs a request first")
	}
	if cmd.Version != 0 && cmd.Version != c.Version() {
		return nil, fail(ErrConflict, "case "+c.id+" is at version "+strconv.Itoa(c.Version())+", the command expected "+strconv.Itoa(cmd.Version))
	}
	ev := &out.Event
	if err := e.decide(e.rulesFor(c), now, o, c, cmd, ev); err != nil {
		return nil, err
	}
	o.record(c, ev)
	return c, nil
}

// decide works out the event a command appends to c into ev, which is
// zero, or says why it may not.
func (e *Engine) decide(rs *ruleset, now time.Time, o *Order, c *Case, cmd *Command, ev *Event) error {
	if !c.Open() {
		return fail(ErrNotPermitted, "case "+c.id+" is "+c.state.String()+": nothing more can happen to it")
	}
	row := findRow(c.state, cmd.Action, c.kind, 0)
	if row == nil {
		msg := cmd.Action.String() + " is not permitted in state " + c.state.String()
		if c.state == StateIntercepting && cmd.Action == ActionReject {
			msg = "the merchant may not refuse while the parcel is being intercepted"
		}
		return fail(ErrNotPermitted, msg)
	}
	if !row.By.Has(cmd.Actor) {
		who := row.By.String()
		if who == "" {
			who = "the system, when the deadline passes,"
		}
		return fail(ErrNotPermitted, "only "+who+" may "+cmd.Action.String()+" in state "+c.state.String()+", not the "+cmd.Actor.String())
	}
	// ev is the Outcome's, with the command's time and texts (see ApplyAt)
	// and zero otherwise: setting the fields an event has is enough.
	ev.Seq, ev.Actor, ev.Action = c.Version()+1, cmd.Actor, cmd.Action
	ev.From, ev.To, ev.Kind, ev.Closed = c.state, row.To, c.kind, row.Closed
	q := Query{Order: o, Case: c, At: now, Zone: e.zone}
	switch cmd.Action {
	case ActionPropose:
		if cmd.Amount >= c.amount {
			return fail(ErrInvalidInput, "a proposal must be smaller than the "+c.amount.String()+" asked for, not "+cmd.Amount.String())
		}
		ev.Amount = cmd.Amount
	case ActionAccept:
		ev.Amount = c.Proposal()
	case ActionDecline:
		_, resume, due := c.negotiation()
		ev.To, ev.Due = resume, due.time(c.loc)
		return nil
	case ActionRule:
		if err := ruling(o, c, cmd, ev); err != nil {
			return err
		}
	case ActionRefundSucceeded:
		ev.Amount = c.amount
		compensate(rs, q, ev)
	case ActionSubmitEvidence:
		ev.Due = c.pending().time(c.loc)
		return nil
	}
	ev.Due = e.due(rs, q, ev.To, now, false)
	return nil
}

// ruling fills in the event of a platform ruling.
func ruling(o *Order, c *Case, cmd *Command, ev *Event) error {
	ev.Ruling, ev.ReturnGoods = cmd.Ruling, cmd.ReturnGoods
	if cmd.Ruling == RulingForMerchant {
		ev.To, ev.Closed = StateClosed, ClosedRuledForMerchant
		return nil
	}
	ev.Closed = 0
	ev.Amount = cmd.Amount
	if ev.Amount == 0 {
		ev.Amount = c.amount
	}
	if left := o.leftExcept(c); ev.Amount > left {
		return fail(ErrInvalidInput, "refund_cap: the ruling awards "+ev.Amount.String()+" but only "+left.String()+" of the order is left to refund")
	}
	_, returned := c.ReturnShipment()
	switch {
	case cmd.ReturnGoods:
		if !o.Delivered() {
			return fail(ErrInvalidInput, "the goods were never delivered, so they cannot come back")
		}
		ev.To, ev.Kind = StateAwaitingReturn, KindReturnRefund
	case returned:
		ev.To, ev.Kind = StateRefunding, KindReturnRefund
	default:
		ev.To, ev.Kind = StateRefunding, KindRefundOnly
	}
	return nil
}

// compensate asks the compensators, in order, for a compensation line,
// and records it in ev, the refund's event. The first to grant an amount
// decides; failing that, the first to explain why not is recorded.
func compensate(rs *ruleset, q Query, ev *Event) {
	var why Decision
	for _, p := range rs.compensators {
		comp, d := p.Compensate(q)
		if comp.Amount <= 0 {
			if why.IsZero() && !d.IsZero() {
				why = d.by(p)
			}
			continue
		}
		if comp.Payer == 0 || int(comp.Payer) >= len(payerNames) {
			comp.Payer = PayerMerchant
		}
		if d.IsZero() {
			d.Verdict = VerdictAllow
		}
		ev.Compensation, ev.Payer, ev.Decision = comp.Amount, comp.Payer, d.by(p)
		return
	}
	ev.Decision = why
}

// due returns the deadline of state s entered at since under the rules; a
// schedule's answer that is not after since is moved to a minute after it.
func (e *Engine) due(rs *ruleset, q Query, s State, since time.Time, repeat bool) time.Time {
	if s.Terminal() {
		return time.Time{}
	}
	var d time.Time
	if rs.timeouts != nil {
		d = rs.timeouts.due(&q, s, since, repeat)
	} else {
		d = rs.schedule.Due(q, s, since, repeat).Round(0)
	}
	if !d.After(since) {
		d = since.Add(time.Minute)
	}
	return d
}

// checkTime refuses the time now (at, as a moment) if it is before the
// order was paid, or before its last fact or event; b are the bounds
// validate found.
func (o *Order) checkTime(now time.Time, at moment, b bounds) error {
	if at.before(b.paid) {
		return fail(ErrInvalidInput, "time "+now.Format(time.RFC3339)+" is before the order was paid")
	}
	if at.before(b.fact) || at.before(o.latest) {
		return fail(ErrClockRegressed, "time "+now.Format(time.RFC3339Nano)+" is before the order's last event at "+o.last().Format(time.RFC3339Nano))
	}
	return nil
}

// repeat looks for an event that an earlier delivery of cmd, with the same
// Key, appended, and fills in out with it. seen is false if the key is new.
// A key used before for a different command is a conflict.
func (o *Order) repeat(cmd *Command, out *Outcome) (seen bool, err error) {
	for _, c := range o.cases {
		log := c.log
		text := 0
		for i := range log {
			e := &log[i]
			key := c.key(e, text)
			text += e.has.texts()
			if key != cmd.Key {
				continue
			}
			ev := c.event(i)
			if !cmd.matches(c, ev) {
				return true, fail(ErrConflict, "key "+strconv.Quote(cmd.Key)+" was used for a different command ("+ev.Action.String()+" on case "+c.id+")")
			}
			*out = Outcome{Case: c, Event: ev, Repeat: true}
			return true, nil
		}
	}
	switch cmd.Key {
	case o.shippedKey, o.deliveredKey:
		if cmd.Action == ActionShipped && cmd.Key == o.shippedKey || cmd.Action == ActionDelivered && cmd.Key == o.deliveredKey {
			*out = Outcome{Repeat: true}
			return true, nil
		}
		return true, fail(ErrConflict, "key "+strconv.Quote(cmd.Key)+" was used for another order fact")
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

// restore puts the order back as it was at the snapshot. Events appended
// since are cut off the logs (their slots may be reused by later appends).
func (o *Order) restore(s snapshot) {
	*o = s.order
	for i, c := range o.cases {
		*c = s.cases[i]
		c.cut()
	}
}
