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
		Decision: timeoutDecision(rs.schedule.Name(), c.state),
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

// timeoutDecision records why the system acted when a state's deadline
// passed, under the schedule's name.
func timeoutDecision(policy string, s State) Decision {
	n := timeoutNotes[s]
	v := VerdictAllow
	if s.alerting() {
		v = VerdictDeny // a promise was broken
	}
	return Decision{Policy: policy, Rule: n.rule, Verdict: v, Zh: n.zh, En: n.en}
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
