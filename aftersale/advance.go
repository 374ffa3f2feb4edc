package aftersale

import (
	"strconv"
	"time"
)

// Advance is shorthand for AdvanceTo(now, o) with now read from the
// Engine's clock, in the Engine's zone.
func (e *Engine) Advance(o *Order) ([]Change, error) {
	return e.AdvanceTo(e.now(), o)
}

// AdvanceTo brings the order to time now: every deadline due at or before
// now fires, earliest first, each stamped with its own due time (or with the
// order's last event, for a deadline that came back already overdue). A
// timeout may schedule a deadline that is also due; it fires in the same
// call. It returns the events appended, in order, or nil if none were due.
//
// A time before the order's last event is ErrClockRegressed, and changes
// nothing. So is ErrInvalidInput a time in a zone whose offset from UTC is
// not a whole minute, and a time so far ahead that more than
// MaxEventsPerCall events would be appended: a host catching up on a long
// gap advances in steps.
func (e *Engine) AdvanceTo(now time.Time, o *Order) ([]Change, error) {
	if o == nil {
		return nil, refuse(ErrInvalidInput, "order.missing", "no order", "没有订单")
	}
	b, err := o.validate(e.zones)
	if err != nil {
		return nil, err
	}
	if err := e.checkRules(o); err != nil {
		return nil, err
	}
	now = now.Round(0)
	at, err := o.checkTime(now, b, e.zones)
	if err != nil {
		return nil, err
	}
	if !o.anyDue(at) {
		return nil, nil
	}
	snap := o.snapshot()
	defer o.backOnPanic(snap)
	fired, err := e.fire(o, now, MaxEventsPerCall)
	if err != nil {
		o.restore(snap)
		return nil, err
	}
	return fired, nil
}

// anyDue reports whether a deadline of the order is due at the moment at.
func (o *Order) anyDue(at moment) bool {
	for _, c := range o.cases {
		if due := c.pending(); due != 0 && at >= due {
			return true
		}
	}
	return false
}

// fire performs every deadline due at now, earliest first; of deadlines
// due at the same time, the older case's goes first. The caller has checked
// that the rules of every case are held. If more than limit events fall
// due, it stops with ErrInvalidInput, having appended limit of them, and
// so it does with a compensator's bad answer: the caller restores the
// order.
func (e *Engine) fire(o *Order, now time.Time, limit int) ([]Change, error) {
	var fired []Change
	m := momentOf(now)
	for {
		var c *Case
		for _, x := range o.cases {
			if due := x.pending(); due != 0 && due <= m && (c == nil || due < c.pending()) {
				c = x
			}
		}
		if c == nil {
			return fired, nil
		}
		if len(fired) >= limit {
			return nil, refuse(ErrInvalidInput, "time.too_far_ahead", "time "+now.Format(time.RFC3339)+" is so far ahead of order "+o.ID+
				" that its deadlines would append more than "+strconv.Itoa(limit)+" events in one call; advance in smaller steps",
				"时间"+zhTime(now)+"离订单"+o.ID+"的记录太远，一次将触发超过"+strconv.Itoa(limit)+"条到期记录，请分几次推进")
		}
		at := c.pending().time(c.log.loc)
		if last := o.last(); at.Before(last) {
			at = last.Round(0) // the host's facts may carry monotonic readings
		}
		var ev Event
		e.timeout(&ev, o, c, at)
		if err := e.record(e.rulesFor(c), o, c, &ev); err != nil {
			return nil, err
		}
		fired = append(fired, Change{Case: c, Event: ev})
	}
}

// timeout builds in ev the event the system appends when c's deadline
// passes: the row its state performs on a timeout, under the schedule's
// decision.
func (e *Engine) timeout(ev *Event, o *Order, c *Case, at time.Time) {
	rs, q := e.rulesFor(c), Query{Order: o, Case: c, At: at, Zone: e.zone}
	row := timeoutRow(c.state, c.kind, &facts{c: c, rs: rs, q: &q})
	e.build(ev, rs, q, row, ActorSystem, nil, 0)
	ev.Decision = rs.timeoutNotes[c.state]
	if c.log.len() == 1 && c.log.action(0) == ActionImport {
		ev.Decision = inTime(ev.Decision, c.state) // the platform may have set the deadline: no length to name
	}
}
