package aftersale

import (
	"iter"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// Case is one after-sale case (售后单): a request and everything that
// happened to it since. Its state, kind, amounts and pending deadline are
// all folded from its event log, which is the record a host persists (see
// Replay and the JSON form). Only the Engine changes a Case; the methods
// here read it.
//
// A case gives its events' times in the zone of its first event, whatever
// zone later commands were stamped in, and without monotonic clock
// readings: an event records an instant.
//
// Cases live in their Order. A Case is not safe for concurrent use.
type Case struct {
	id     string
	order  string
	policy string // the version of the rules the case opened under
	lines  []Units
	log    []entry        // the events, oldest first; append-only, stamps never go back
	loc    *time.Location // the zone of the first event; the log's times are read back in it
	// texts and decisions hold what the log's entries carry beside their
	// fixed fields, in log order (see entry).
	texts     []string
	decisions []Decision

	// What the log adds up to, kept for the questions asked on every
	// command. What the log answers at once is not kept: the pending
	// deadline (the last entry's), the offer and the state a decline
	// returns to while negotiating (the last two entries), the refund and
	// its compensation (the last entry).
	amount Money // what the case asks for now
	kind   Kind
	state  State
	reason Reason
	closed ClosedReason
}

// ID returns the case's ID, unique within its order.
func (c *Case) ID() string { return c.id }

// OrderID returns the ID of the order the case belongs to.
func (c *Case) OrderID() string { return c.order }

// PolicyVersion returns the version of the rules the case opened under;
// the Engine keeps deciding the case under those rules.
func (c *Case) PolicyVersion() string { return c.policy }

// State returns where the case stands.
func (c *Case) State() State { return c.state }

// Open reports whether the case has not reached a terminal state.
func (c *Case) Open() bool { return !c.state.Terminal() }

// Kind returns what the case asks for now; interception that fails turns a
// refund_only case into return_refund, for example.
func (c *Case) Kind() Kind { return c.kind }

// Reason returns the reason the buyer gave.
func (c *Case) Reason() Reason { return c.reason }

// ClosedReason returns why a closed case closed, or zero.
func (c *Case) ClosedReason() ClosedReason { return c.closed }

// Amount returns the refund the case asks for now: the requested amount,
// or the amount agreed in negotiation or awarded by the platform.
func (c *Case) Amount() Money { return c.amount }

// Proposal returns the merchant's offer while the case is negotiating, or
// zero.
func (c *Case) Proposal() Money {
	offer, _, _ := c.negotiation()
	return offer
}

// Refunded returns the money refunded by this case.
func (c *Case) Refunded() Money {
	if c.state == StateRefunded {
		return c.amount // refund_succeeded pays what the case asks for, and ends it
	}
	return 0
}

// Compensation returns the compensation granted with the refund (such as
// the freight subsidy), if any.
func (c *Case) Compensation() Compensation {
	if c.state != StateRefunded {
		return Compensation{}
	}
	e := &c.log[len(c.log)-1] // the refund, which ends the case
	return Compensation{e.money, e.has.payer()}
}

// negotiation returns, while the case is negotiating, the merchant's offer
// and the state and deadline a decline goes back to. A case enters
// negotiation only by a proposal and leaves it with its next event, so
// the proposal is the last entry, and the entry before it holds the state
// and deadline it interrupted.
func (c *Case) negotiation() (offer Money, resume State, resumeDue moment) {
	if c.state != StateNegotiating || len(c.log) < 2 {
		return 0, 0, moment{}
	}
	p, before := &c.log[len(c.log)-1], &c.log[len(c.log)-2]
	return p.amount, before.to, before.until()
}

// Lines returns the units the case covers, in a new slice; none means the
// whole order.
func (c *Case) Lines() []Units { return append([]Units(nil), c.lines...) }

// Version returns the number of events in the case's log. It grows by one
// with every change, so a host can use it to detect stale commands
// (Command.Version).
func (c *Case) Version() int { return len(c.log) }

// OpenedAt returns when the case was requested.
func (c *Case) OpenedAt() time.Time {
	if len(c.log) == 0 {
		return time.Time{}
	}
	e := &c.log[0]
	return e.at.time(e.atNsec, c.loc)
}

// Events returns the case's log in a new slice.
func (c *Case) Events() []Event {
	out := make([]Event, 0, len(c.log))
	for _, ev := range c.All() {
		out = append(out, ev)
	}
	return out
}

// All yields the case's events in order.
func (c *Case) All() iter.Seq2[int, Event] {
	return func(yield func(int, Event) bool) {
		text, decision := 0, 0
		for i := 0; i < len(c.log); i++ {
			if !yield(i, c.eventAt(i, text, decision)) {
				return
			}
			h := c.log[i].has
			text, decision = text+h.texts(), decision+h.decisions()
		}
	}
}

// LastEvent returns the latest event, and false if there is none.
func (c *Case) LastEvent() (Event, bool) {
	if len(c.log) == 0 {
		return Event{}, false
	}
	return c.event(len(c.log) - 1), true
}

// last returns the time of the case's latest event, or the zero time.
func (c *Case) last() time.Time {
	if log := c.log; len(log) > 0 {
		e := &log[len(log)-1]
		return e.at.time(e.atNsec, c.loc)
	}
	return time.Time{}
}

// Deadline returns the pending deadline: for a waiting state the timeout,
// for refunding, arbitration and refund_failed the service-level alert
// (Alert set). It is zero once the case is over.
func (c *Case) Deadline() Deadline {
	return Deadline{Deadline: timeline.Deadline{At: c.pending().time(c.loc)}, Alert: c.state.alerting()}
}

// Deadline is when the system next steps in on a case. When it passes, the
// system either acts (a timeout: the waiting party loses its turn) or, for
// an Alert deadline, raises an alert and changes nothing else (a
// service-level promise was broken). The zero Deadline is "none".
type Deadline struct {
	timeline.Deadline
	Alert bool
}

// pending returns the pending deadline: the one the latest event left,
// zero once the case is over.
func (c *Case) pending() moment {
	if len(c.log) == 0 {
		return moment{}
	}
	return c.log[len(c.log)-1].until()
}

// ReturnShipment returns the buyer's latest return shipment, and false if the
// goods were never shipped back.
func (c *Case) ReturnShipment() (Shipment, bool) { return c.shipment(ActionShipReturn) }

// Reshipment returns the merchant's replacement shipment for an exchange,
// and false if there is none.
func (c *Case) Reshipment() (Shipment, bool) { return c.shipment(ActionReship) }

func (c *Case) shipment(a Action) (Shipment, bool) {
	// One pass finds the latest such event and where its texts start.
	found, text := -1, 0
	for i, t := 0, 0; i < len(c.log); i++ {
		e := &c.log[i]
		if e.action == a {
			found, text = i, t
		}
		t += e.has.texts()
	}
	if found < 0 {
		return Shipment{}, false
	}
	e := &c.log[found]
	s := Shipment{At: e.at.time(e.atNsec, c.loc), Freight: e.money}
	text += (e.has & (hasKey | hasNote)).texts()
	if e.has&hasCarrier != 0 {
		s.Carrier = c.texts[text]
		text++
	}
	if e.has&hasWaybill != 0 {
		s.Waybill = c.texts[text]
	}
	return s, true
}

// Shipment is a parcel sent for a case.
type Shipment struct {
	At      time.Time
	Carrier string
	Waybill string
	Freight Money // what the sender paid for it
}

// Next says what happens to a case if nobody acts: whose move it is, when
// the system steps in, and what it does then.
type Next struct {
	Waiting  Actor    // whose move it is; zero once the case is over
	Deadline Deadline // when the system steps in
	Action   Action   // what it does: a timeout action, or ActionSLABreached for an alert
	To       State    // where that leads (the same state for an alert)
}

// Next returns what happens to the case if nobody acts. A merchant tool
// shows it as "what happens next, and when".
func (c *Case) Next() Next {
	if !c.Open() {
		return Next{}
	}
	n := Next{Waiting: c.state.Waiting(), Deadline: c.Deadline(), Action: ActionSLABreached, To: c.state}
	if c.state.alerting() {
		return n
	}
	if r := timeoutRow(c.state, c.kind); r != nil {
		n.Action, n.To = r.Action, r.To
		if c.state == StateNegotiating {
			_, n.To, _ = c.negotiation()
		}
	}
	return n
}

// reserves reports whether the case holds part of the order's amount: an
// open case may still be refunded what it asks for.
func (c *Case) reserves() bool { return c.Open() }

// covers reports whether the case and the given units share a line; a
// case or request without lines covers every line.
func (c *Case) covers(units []Units) bool {
	if len(c.lines) == 0 || len(units) == 0 {
		return true
	}
	for _, u := range units {
		for _, v := range c.lines {
			if u.Line == v.Line {
				return true
			}
		}
	}
	return false
}

// placed reports whether t is in loc already, as the case's log gives it
// back. Most are, and leaving them alone saves a write. No event time
// carries a monotonic clock reading: the Engine strips it from the time a
// host passes, and from a Schedule's answer.
func placed(t time.Time, loc *time.Location) bool {
	return t.Location() == loc
}

// commit folds one event into the case. It is the only place a case
// changes, for live commands and for Replay alike, so both give the same
// case. The caller has checked the event; the log refuses one stamped
// before the last. The event's times are put in the case's zone, the zone
// of its first event, as the log gives them back.
func (c *Case) commit(e *Event) error {
	if c.loc == nil { // newCase sets it already, from the request's time
		c.loc = e.At.Location()
	}
	if !placed(e.At, c.loc) {
		e.At = e.At.In(c.loc)
	}
	if !e.Due.IsZero() && !placed(e.Due, c.loc) {
		e.Due = e.Due.In(c.loc)
	}
	at := momentOf(e.At)
	if n := len(c.log); n > 0 && at.before(c.log[n-1].when()) {
		return fail(ErrClockRegressed, "event at "+e.At.Format(time.RFC3339Nano)+" is before the case's last, at "+c.last().Format(time.RFC3339Nano))
	}
	// The new entry is filled in where it lies, not copied there.
	if n := len(c.log); n < cap(c.log) {
		c.log = c.log[:n+1]
	} else {
		c.log = append(c.log, entry{})
	}
	c.pack(&c.log[len(c.log)-1], e, at)
	switch e.Action {
	case ActionRequest:
		if e.From == 0 {
			c.reason, c.amount = e.Reason, e.Amount
		}
	case ActionAccept:
		c.amount = e.Amount
	case ActionRule:
		if e.Ruling == RulingForBuyer {
			c.amount = e.Amount
		}
	}
	c.state, c.kind, c.closed = e.To, e.Kind, e.Closed
	return nil
}
