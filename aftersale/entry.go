package aftersale

import "time"

// entry is how a case keeps an event in its log. It is the Event without
// what follows from its place in the log (Seq, From), with the text fields
// most events lack and the policy decision behind pointers: 120 bytes
// instead of the Event's 224. Appending copies less, and a case at rest
// holds half the memory.
type entry struct {
	at, due  time.Time
	amount   Money
	freight  Money
	comp     Money
	key      string
	text     *entryText // nil when the event has no note, carrier or waybill
	decision *Decision  // nil when no policy shaped the event
	actor    Actor
	action   Action
	to       State
	kind     Kind
	reason   Reason
	closed   ClosedReason
	ruling   Ruling
	payer    Payer
	goods    bool // ReturnGoods
}

// entryText holds the free text of an event.
type entryText struct{ note, carrier, waybill string }

// Stamp returns when the event happened; it makes entry a timeline.Stamped.
func (e entry) Stamp() time.Time { return e.at }

// pack returns the entry that keeps ev.
func pack(ev *Event) entry {
	e := entry{
		at: ev.At, due: ev.Due, amount: ev.Amount, freight: ev.Freight, comp: ev.Compensation, key: ev.Key,
		actor: ev.Actor, action: ev.Action, to: ev.To, kind: ev.Kind, reason: ev.Reason,
		closed: ev.Closed, ruling: ev.Ruling, payer: ev.Payer, goods: ev.ReturnGoods,
	}
	if ev.Note != "" || ev.Carrier != "" || ev.Waybill != "" {
		e.text = &entryText{ev.Note, ev.Carrier, ev.Waybill}
	}
	if !ev.Decision.IsZero() {
		d := ev.Decision
		e.decision = &d
	}
	return e
}

// event returns the i-th event of the case's log, counting from 0.
func (c *Case) event(i int) Event {
	log := c.log.Slice()
	e := &log[i]
	ev := Event{
		Seq: i + 1, At: e.at, Actor: e.actor, Action: e.action, To: e.to, Kind: e.kind,
		Reason: e.reason, Closed: e.closed, Ruling: e.ruling, ReturnGoods: e.goods, Payer: e.payer,
		Amount: e.amount, Freight: e.freight, Compensation: e.comp, Key: e.key, Due: e.due,
	}
	if i > 0 {
		ev.From = log[i-1].to
	}
	if e.text != nil {
		ev.Note, ev.Carrier, ev.Waybill = e.text.note, e.text.carrier, e.text.waybill
	}
	if e.decision != nil {
		ev.Decision = *e.decision
	}
	return ev
}
