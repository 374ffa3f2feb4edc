package aftersale

import (
	"slices"
	"strconv"
	"time"
)

// logReserve is how many events a new case's log has room for: a whole
// ordinary case (request, approve, ship_return, receive_return,
// refund_succeeded). textReserve and decisionReserve are the room for
// their texts and decisions: the carrier and waybill of the return and two
// more (keys or notes), the decision that covered the request and the one
// on compensation.
const (
	logReserve      = 5
	textReserve     = 4
	decisionReserve = 2
)

// newCase returns a case with no events yet, with the given IDs, rules
// version and zone, whose log, texts and decisions have room for an
// ordinary case, allocated with the case in one piece; and a list of cases
// holding only it, for an order with none yet to start from: opening and
// finishing an ordinary case allocates nothing more. Its pointers are all
// set here, together, so that while the collector marks the compiler hands
// them to it in one write barrier call.
func newCase(id, order, version string, loc *time.Location) (*Case, []*Case) {
	x := new(caseRoom)
	x.c.id, x.c.order, x.c.policy, x.c.loc = id, order, version, loc
	x.c.log = x.log[:0]
	x.c.texts, x.c.decisions = x.texts[:0], x.decisions[:0]
	x.list[0] = &x.c
	return &x.c, x.list[:]
}

// caseRoom is what newCase allocates.
type caseRoom struct {
	c         Case
	log       [logReserve]entry
	texts     [textReserve]string
	decisions [decisionReserve]Decision
	list      [1]*Case
}

// request opens a case. It checks the lines and the amount, the cases
// already open on those lines, and the policies, and only then records the
// new case and closes the rejected cases it supersedes.
func (e *Engine) request(now time.Time, o *Order, cmd *Command, out *Outcome) (*Case, error) {
	rs := e.current
	if cmd.Actor != ActorBuyer {
		return nil, fail(ErrNotPermitted, "only the buyer may request after-sale service, not the "+cmd.Actor.String())
	}
	id := cmd.Case
	if id == "" {
		id = o.ID + "-" + strconv.Itoa(len(o.cases)+1)
	}
	if o.Case(id) != nil {
		return nil, fail(ErrConflict, "order "+o.ID+" already has a case "+strconv.Quote(id))
	}
	if cmd.Kind.needsGoods() && !o.Delivered() {
		return nil, fail(ErrNotPermitted, cmd.Kind.String()+" needs delivered goods to send back; before delivery ask for refund_only")
	}
	value, err := o.unitsValue(cmd.Lines)
	if err != nil {
		return nil, err
	}
	// One open case per line: a rejected one is superseded, any other is a
	// conflict. What the superseded cases reserved is free again.
	left := o.Amount
	superseding := false
	for _, c := range o.cases {
		left -= c.Refunded()
		if !c.Open() {
			continue
		}
		if c.covers(cmd.Lines) {
			if c.state != StateRejected {
				return nil, fail(ErrConflict, "case "+c.id+" is still open ("+c.state.String()+") on the same goods")
			}
			superseding = true
			continue
		}
		left -= c.amount
	}
	amount := cmd.Amount
	switch {
	case len(cmd.Lines) > 0 && amount == 0:
		amount = value
	case len(cmd.Lines) > 0 && amount > value:
		return nil, fail(ErrInvalidInput, "the request asks "+amount.String()+" for units worth "+value.String())
	case amount == 0:
		amount = left
	}
	if amount <= 0 {
		return nil, fail(ErrInvalidInput, "refund_cap: nothing is left to refund on order "+o.ID)
	}
	if amount > left {
		return nil, fail(ErrInvalidInput, "refund_cap: the request asks "+amount.String()+" but only "+left.String()+" of the order is left to refund")
	}

	c, list := newCase(id, o.ID, rs.version, now.Location())
	c.kind, c.reason, c.amount = cmd.Kind, cmd.Reason, amount
	if len(cmd.Lines) > 0 {
		c.lines = slices.Clone(cmd.Lines)
	}
	q := Query{Order: o, Case: c, At: now, Zone: e.zone}
	// The event is built where the Outcome holds it (with the command's
	// time and texts, see ApplyAt), and recorded from there; the policies'
	// decisions go straight into it.
	ev := &out.Event
	cover, err := eligible(rs, q)
	if err != nil {
		return nil, err
	}
	ev.Decision = cover
	ev.Seq, ev.Actor, ev.Action, ev.To = 1, ActorBuyer, ActionRequest, StatePendingReview
	ev.Kind, ev.Reason, ev.Amount = cmd.Kind, cmd.Reason, amount
	if cmd.Kind == KindRefundOnly && o.Shipped() && !o.Delivered() {
		ev.To = StateIntercepting
	} else if settled, ok := approve(rs, q); ok {
		ev.Decision = settled
		ev.To = findRow(StatePendingReview, ActionApprove, cmd.Kind, 0).To
	} else if !settled.IsZero() {
		ev.Decision = settled
	}
	ev.Due = e.due(rs, q, ev.To, now, false)

	if superseding {
		for _, old := range o.cases {
			if !old.Open() || old.state != StateRejected || !old.covers(cmd.Lines) {
				continue
			}
			sev := Event{
				Seq: old.Version() + 1, At: now, Actor: ActorBuyer, Action: ActionRequest,
				From: StateRejected, To: StateClosed, Kind: old.kind, Closed: ClosedSuperseded, Note: id,
			}
			o.record(old, &sev)
			out.Also = append(out.Also, Change{Case: old, Event: sev})
		}
	}
	if cap(o.cases) == 0 {
		o.cases = list
	} else {
		o.cases = append(o.cases, c)
	}
	o.record(c, ev)
	return c, nil
}

// unitsValue checks the units a request names against the order's lines
// and returns what they are worth: each line's next units, after those
// already refunded.
func (o *Order) unitsValue(units []Units) (Money, error) {
	if len(units) > 0 && len(o.Lines) == 0 {
		return 0, fail(ErrInvalidInput, "order "+o.ID+" has no lines to name")
	}
	var value Money
	for _, u := range units {
		l, ok := o.line(u.Line)
		if !ok {
			return 0, fail(ErrInvalidInput, "order "+o.ID+" has no line "+strconv.Quote(u.Line))
		}
		done := o.unitsRefunded(u.Line)
		if u.Quantity > l.Quantity-done {
			return 0, fail(ErrInvalidInput, "line "+u.Line+": the request names "+strconv.Itoa(u.Quantity)+" units, but only "+strconv.Itoa(l.Quantity-done)+" are left to refund")
		}
		value += l.value(done, u.Quantity)
	}
	return value, nil
}

// eligible asks the grants and limits, each once, whether a request may
// open. It returns the decision of the first grant that covers it, or an
// ErrNotEligible error built from the answers: every grant's when none
// covers it, the most specific first (a refusal before a rule that does not
// apply), then every limit that forbids it.
func eligible(rs *ruleset, q Query) (Decision, error) {
	var buf [8]Decision // the answers, on the stack while no denial needs them
	answers := buf[:0]
	var cover Decision
	covered := len(rs.grants) == 0
	for _, g := range rs.grants {
		d := g.Cover(q).by(g)
		if d.Verdict == VerdictAllow {
			cover, covered = d, true
			break
		}
		answers = append(answers, d)
	}
	if covered {
		answers = answers[:0]
	}
	for _, l := range rs.limits {
		if d := l.Check(q); d.Verdict == VerdictDeny {
			answers = append(answers, d.by(l))
		}
	}
	slices.SortStableFunc(answers, func(a, b Decision) int { return int(b.Verdict) - int(a.Verdict) })
	if len(answers) == 0 && covered {
		return cover, nil
	}
	msg := "no policy covers the request"
	if covered {
		msg = "a limit forbids the request"
	}
	return Decision{}, &Error{Code: ErrNotEligible, Message: msg, Rule: answers[0].Rule, Reasons: slices.Clone(answers)}
}

// approve asks the approvers, each once, whether an eligible request is
// approved at once. Any veto stops automatic approval. It reports the
// decision that settles it: the approval, or the veto that stopped one; or
// the zero Decision if no approver approves.
func approve(rs *ruleset, q Query) (settled Decision, approved bool) {
	var yes, veto Decision
	for _, a := range rs.approvers {
		d := a.Approve(q)
		switch {
		case d.Verdict == VerdictAllow && yes.IsZero():
			yes = d.by(a)
		case d.Verdict == VerdictDeny && veto.IsZero():
			veto = d.by(a)
		}
	}
	switch {
	case yes.IsZero():
		return Decision{}, false
	case !veto.IsZero():
		return veto, false
	}
	return yes, true
}

// fact records a fact about the order: shipped or delivered. A delivery
// ends every interception: the buyer signed, so the case becomes a
// return_refund waiting for the goods to come back.
func (e *Engine) fact(now time.Time, o *Order, cmd *Command, out *Outcome) error {
	if cmd.Actor != ActorSystem {
		return fail(ErrNotPermitted, "only the system may record that an order was "+cmd.Action.String())
	}
	if cmd.Action == ActionShipped {
		if o.Shipped() {
			return fail(ErrNotPermitted, "order "+o.ID+" was already shipped at "+o.ShippedAt.Format(time.RFC3339))
		}
		o.ShippedAt, o.shippedKey = now, cmd.Key
		o.version++
		return nil
	}
	switch {
	case !o.Shipped():
		return fail(ErrNotPermitted, "order "+o.ID+" cannot be delivered before it is shipped")
	case o.Delivered():
		return fail(ErrNotPermitted, "order "+o.ID+" was already delivered at "+o.DeliveredAt.Format(time.RFC3339))
	}
	o.DeliveredAt, o.deliveredKey = now, cmd.Key
	o.version++
	for _, c := range o.cases {
		if c.state != StateIntercepting {
			continue
		}
		rs := e.rulesFor(c)
		ev := Event{
			Seq: c.Version() + 1, At: now, Actor: ActorSystem, Action: ActionDelivered,
			From: StateIntercepting, To: StateAwaitingReturn, Kind: KindReturnRefund,
		}
		ev.Due = e.due(rs, Query{Order: o, Case: c, At: now, Zone: e.zone}, ev.To, now, false)
		o.record(c, &ev)
		out.Also = append(out.Also, Change{Case: c, Event: ev})
	}
	return nil
}
