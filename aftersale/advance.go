package aftersale

import "time"

// Advance is shorthand for AdvanceTo(e.Now(), o).
func (e *Engine) Advance(o *Order) ([]Change, error) {
	return e.AdvanceTo(e.clock.Now(), o)
}

// AdvanceTo brings the order to time now: every deadline due at or before
// now fires, earliest first, each stamped with its own due time (or with the
// order's last event, for a deadline that came back already overdue). A
// timeout may schedule a deadline that is also due; it fires in the same
// call. It returns the events appended, in order, or nil if none were due.
//
// A time before the order's last event is ErrClockRegressed, and changes
// nothing.
func (e *Engine) AdvanceTo(now time.Time, o *Order) ([]Change, error) {
	if o == nil {
		return nil, fail(ErrInvalidInput, "no order")
	}
	b, err := o.validate()
	if err != nil {
		return nil, err
	}
	if err := e.checkRules(o); err != nil {
		return nil, err
	}
	if err := o.checkTime(now, momentOf(now), b); err != nil {
		return nil, err
	}
	return e.fire(o, now), nil
}

// anyDue reports whether a deadline of the order is due at the moment at.
func (o *Order) anyDue(at moment) bool {
	for _, c := range o.cases {
		if due := c.pending(); !due.isZero() && !at.before(due) {
			return true
		}
	}
	return false
}

// fire performs every deadline due at now, earliest first; of deadlines
// due at the same time, the older case's goes first. The caller has checked
// that the rules of every case are held.
func (e *Engine) fire(o *Order, now time.Time) []Change {
	var fired []Change
	m := momentOf(now)
	for {
		var c *Case
		for _, x := range o.cases {
			if due := x.pending(); !due.isZero() && !m.before(due) && (c == nil || due.before(c.pending())) {
				c = x
			}
		}
		if c == nil {
			return fired
		}
		at := c.pending().time(c.loc)
		if last := o.last(); at.Before(last) {
			at = last.Round(0) // the host's facts may carry monotonic readings
		}
		ev := e.timeout(e.rulesFor(c), o, c, at)
		o.record(c, &ev)
		fired = append(fired, Change{Case: c, Event: ev})
	}
}

// timeout returns the event the system appends when c's deadline passes.
func (e *Engine) timeout(rs *ruleset, o *Order, c *Case, at time.Time) Event {
	q := Query{Order: o, Case: c, At: at, Zone: e.zone}
	ev := Event{
		Seq: c.Version() + 1, At: at, Actor: ActorSystem,
		From: c.state, To: c.state, Kind: c.kind,
		Decision: rs.timeoutNotes[c.state],
	}
	if c.state.alerting() {
		ev.Action = ActionSLABreached
		ev.Due = e.due(rs, q, c.state, at, true)
		return ev
	}
	row := timeoutRow(c.state, c.kind)
	ev.Action, ev.To, ev.Closed = row.Action, row.To, row.Closed
	switch c.state {
	case StateNegotiating:
		_, resume, due := c.negotiation()
		ev.To, ev.Due = resume, due.time(c.loc)
		return ev
	case StateAwaitingReship:
		ev.Kind = KindReturnRefund
	}
	ev.Due = e.due(rs, q, ev.To, at, false)
	return ev
}
