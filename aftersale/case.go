package aftersale

import (
	"iter"
	"slices"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// Case is one after-sale case (售后单): a request and everything that
// happened to it since. Its state, kind, amounts and pending deadline are
// all folded from its event log, which is the record a host persists (see
// Replay and the JSON form). Only the Engine changes a Case; the methods
// here read it.
//
// A case gives its events' times at the offset its first event was
// stamped with, whatever zone later commands were stamped in, and without
// monotonic clock readings: an event records an instant. In a zone with
// daylight saving the offset stays that of the first event, so the case
// reads back from JSON exactly as it was; show local wall-clock times with
// t.In(zone).
//
// Cases live in their Order. A Case is not safe for concurrent use.
type Case struct {
	id     string
	order  string
	policy string // the version of the rules the case opened under
	lines  []Units
	log    caseLog // the events; their times are given at the offset of the first

	// What the log adds up to, kept for the questions asked on every
	// command; what the last events answer at once is read from them.
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

// Compensation returns the compensation that comes with the refund (such
// as the return freight), in lines by payer, in a new slice; nil if none.
// It is decided when the case enters refunding (for an exchange, when the
// goods are received), so the payment instruction carries it, and paid
// with the refund.
func (c *Case) Compensation() []Compensation { return slices.Clone(c.log.compensation()) }

// Compensated returns the total of the case's compensation lines; with a
// payer given, the total of that payer's.
func (c *Case) Compensated(by Payer) Money {
	var sum Money
	for _, l := range c.log.compensation() {
		if by == 0 || l.Payer == by {
			sum += l.Amount
		}
	}
	return sum
}

// negotiation returns, while the case is negotiating, the merchant's offer
// and the state and deadline a decline goes back to. A case enters
// negotiation only by a proposal and leaves it with its next event, so
// the proposal is the last entry, and the entry before it holds the state
// and deadline it interrupted.
func (c *Case) negotiation() (offer Money, resume State, resumeDue moment) {
	n := c.log.len()
	if c.state != StateNegotiating || n < 2 {
		return 0, 0, 0
	}
	return c.log.amount(n - 1), c.log.to(n - 2), c.log.due(n - 2)
}

// Lines returns the units the case covers, in a new slice; none means the
// whole order.
func (c *Case) Lines() []Units { return append([]Units(nil), c.lines...) }

// Version returns the number of events in the case's log. It grows by one
// with every change, so a host can use it to detect stale commands
// (Command.Version).
func (c *Case) Version() int { return c.log.len() }

// OpenedAt returns when the case was requested.
func (c *Case) OpenedAt() time.Time {
	if c.log.len() == 0 {
		return time.Time{}
	}
	return c.log.at(0).time(c.log.loc)
}

// Events returns the case's log in a new slice.
func (c *Case) Events() []Event { return c.log.events() }

// All yields the case's events in order.
func (c *Case) All() iter.Seq2[int, Event] {
	return c.log.all
}

// LastEvent returns the latest event, and false if there is none.
func (c *Case) LastEvent() (Event, bool) {
	if c.log.len() == 0 {
		return Event{}, false
	}
	return c.log.event(c.log.len() - 1), true
}

// last returns the time of the case's latest event, or the zero time.
func (c *Case) last() time.Time {
	if n := c.log.len(); n > 0 {
		return c.log.at(n - 1).time(c.log.loc)
	}
	return time.Time{}
}

// Deadline returns the pending deadline: for a waiting state the timeout,
// for refunding, arbitration and refund_failed the service-level alert
// (Alert set). It is zero once the case is over.
func (c *Case) Deadline() Deadline {
	return Deadline{Deadline: timeline.Deadline{At: c.pending().time(c.log.loc)}, Alert: c.state.alerting()}
}

// Deadline is when the system next steps in on a case. When it passes, the
// system either acts (a timeout: the waiting party loses its turn) or, for
// an Alert deadline, raises an alert and changes nothing else (a
// service-level promise was broken). The zero Deadline is "none".
type Deadline struct {
	timeline.Deadline      // in JSON, "at"
	Alert             bool `json:"alert,omitzero"`
}

// pending returns the pending deadline: the one the latest event left,
// zero once the case is over.
func (c *Case) pending() moment {
	if n := c.log.len(); n > 0 {
		return c.log.due(n - 1)
	}
	return 0
}

// coveredBy returns the name of the policy whose decision the case's
// request records: the grant that covered it, or the approver that
// approved it at once.
func (c *Case) coveredBy() string { return c.log.firstDecision() }

// ReturnShipment returns the buyer's latest return shipment (for an
// imported case, possibly the one its import names), and false if the
// goods were never shipped back.
func (c *Case) ReturnShipment() (Shipment, bool) { return c.parcel(c.log.returnParcel()) }

// Reshipment returns the merchant's replacement shipment for an exchange,
// and false if there is none.
func (c *Case) Reshipment() (Shipment, bool) { return c.shipment(ActionReship) }

func (c *Case) shipment(a Action) (Shipment, bool) { return c.parcel(c.log.latest(a)) }

// parcel returns the parcel the i-th event names, and false if i < 0.
func (c *Case) parcel(i int) (Shipment, bool) {
	if i < 0 {
		return Shipment{}, false
	}
	var s Shipment
	s.At, s.Carrier, s.Waybill, s.Freight = c.log.parcel(i)
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
//
// Its JSON form leaves out what is zero and adds what Zh and En say, so a
// finished case's Next is {"zh":"售后已结束","en":"the case is over"}.
type Next struct {
	Waiting  Actor    `json:"waiting,omitzero"`  // whose move it is; zero once the case is over
	Deadline Deadline `json:"deadline,omitzero"` // when the system steps in
	Action   Action   `json:"action,omitzero"`   // what it does: a timeout action, or ActionSLABreached for an alert
	To       State    `json:"to,omitzero"`       // where that leads (the same state for an alert)
}

// Next returns what happens to the case if nobody acts. A merchant tool
// shows it as "what happens next, and when".
func (c *Case) Next() Next {
	if !c.Open() {
		return Next{}
	}
	n := Next{Waiting: c.state.Waiting(), Deadline: c.Deadline()}
	if r := timeoutRow(c.state, c.kind, &facts{c: c}); r != nil {
		n.Action, n.To = r.Action, r.To
	}
	return n
}

// Zh says in Chinese what Next says, for a merchant tool: "等待商家处理；
// 2026-03-06 20:00前无人处理，系统将自动同意，转为退款中", or for an alert
// "等待系统处理；应于2026-03-27 00:00前完成，逾期将告警". Times are in the
// case's zone, to the minute. Once the case is over: "售后已结束".
func (n Next) Zh() string {
	if n.Waiting == 0 {
		return "售后已结束"
	}
	at := n.Deadline.At.Format(minuteLayout)
	if n.Deadline.Alert {
		return "等待" + n.Waiting.Label() + "处理；应于" + at + "前完成，逾期将告警"
	}
	return "等待" + n.Waiting.Label() + "处理；" + at + "前无人处理，系统将自动" + n.Action.Label() + "，转为" + n.To.Label()
}

// En says in English what Next says: "waiting for the merchant; if nobody
// acts by 2026-03-06 20:00, the system will approve, and the case goes to
// refunding", or for an alert "waiting for the system; due by 2026-03-27
// 00:00, else an alert is raised". Once the case is over: "the case is
// over".
func (n Next) En() string {
	if n.Waiting == 0 {
		return "the case is over"
	}
	at := n.Deadline.At.Format(minuteLayout)
	if n.Deadline.Alert {
		return "waiting for the " + n.Waiting.String() + "; due by " + at + ", else an alert is raised"
	}
	return "waiting for the " + n.Waiting.String() + "; if nobody acts by " + at + ", the system will " + n.Action.String() + ", and the case goes to " + n.To.String()
}

// minuteLayout is how a deadline reads in a sentence.
const minuteLayout = "2006-01-02 15:04"

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

// commit folds one event into the case: the only place a case changes,
// for live commands and for Replay alike, so both give the same case. The
// caller has checked the event against the table and its times are
// ones a case can hold; commit refuses one stamped before the last.
func (c *Case) commit(e *Event) error {
	if n := c.log.len(); n > 0 && momentOf(e.At) < c.log.at(n-1) {
		return refuse(ErrClockRegressed, "clock.regressed", "event at "+e.At.Format(time.RFC3339Nano)+" is before the case's last, at "+c.last().Format(time.RFC3339Nano),
			"记录时间"+zhTime(e.At)+"早于售后单最近一条记录的时间"+zhTime(c.last()))
	}
	c.log.append(e)
	switch e.Action {
	case ActionRequest, ActionImport:
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
