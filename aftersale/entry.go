package aftersale

import (
	"math/bits"
	"time"
)

// entry is how a case keeps an event in its log: 48 bytes where the Event
// takes 232, and no pointers, so appending one is a plain copy the garbage
// collector never has to look at. It leaves out what follows from its
// place in the log (Seq, From); it keeps times as seconds and nanoseconds,
// without a location (the case reads them back in its own, see Case.loc);
// and its texts and its policy decision live beside the log, in the case's
// texts and decisions, in log order, with a bit in has for each one the
// event carries.
type entry struct {
	at, due         stamp
	amount          Money
	money           Money // Freight on ship_return, Compensation on refund_succeeded
	atNsec, dueNsec int32
	actor           Actor
	action          Action
	to              State
	kind            Kind
	reason          Reason
	closed          ClosedReason
	ruling          Ruling
	has             has
}

// has says what an entry carries besides its fixed fields: which texts (in
// the order of the bits, the case's texts hold them), whether a decision,
// ReturnGoods, and in its top two bits the Payer.
type has uint8

const (
	hasKey has = 1 << iota
	hasNote
	hasCarrier
	hasWaybill
	hasDecision
	hasGoods

	hasTexts   = hasKey | hasNote | hasCarrier | hasWaybill
	payerShift = 6 // the Payer takes the bits from here up; payerNames fits in two
)

// texts returns the event's texts, in the order of the has bits (hasKey,
// hasNote, hasCarrier, hasWaybill) and so of the case's texts: the one
// place that order is written down.
func (ev *Event) texts() [4]*string {
	return [...]*string{&ev.Key, &ev.Note, &ev.Carrier, &ev.Waybill}
}

// texts returns how many texts the entry keeps in the case's texts.
func (h has) texts() int { return bits.OnesCount8(uint8(h & hasTexts)) }

// decisions returns how many decisions the entry keeps: 0 or 1.
func (h has) decisions() int {
	if h&hasDecision != 0 {
		return 1
	}
	return 0
}

func (h has) payer() Payer { return Payer(h >> payerShift) }

// stamp is a time as whole seconds since the zero time.Time (January 1,
// year 1, UTC), so the zero stamp is the zero time.
type stamp int64

// secondsToUnix is the zero time.Time in Unix seconds, negated.
const secondsToUnix = 62135596800

func stampOf(t time.Time) (stamp, int32) {
	if t.IsZero() {
		return 0, 0
	}
	return stamp(t.Unix() + secondsToUnix), int32(t.Nanosecond())
}

// time returns the time the stamp and nsec make, in loc.
func (s stamp) time(nsec int32, loc *time.Location) time.Time {
	if s == 0 && nsec == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s)-secondsToUnix, int64(nsec)).In(loc)
}

// when returns when the entry's event happened.
func (e *entry) when() moment { return moment{e.at, e.atNsec} }

// until returns the deadline the entry's event left pending.
func (e *entry) until() moment { return moment{e.due, e.dueNsec} }

// moment is an instant without a zone, compared as two integers: how a
// case and an order keep the times they compare on every command. The zero
// moment is the zero time.
type moment struct {
	sec  stamp
	nsec int32
}

func momentOf(t time.Time) moment {
	s, n := stampOf(t)
	return moment{s, n}
}

// time returns the moment as a time in loc.
func (m moment) time(loc *time.Location) time.Time { return m.sec.time(m.nsec, loc) }

func (m moment) isZero() bool { return m == moment{} }

// before reports whether m is before n.
func (m moment) before(n moment) bool { return m.sec < n.sec || m.sec == n.sec && m.nsec < n.nsec }

// pack fills in every field of e, the log's new last entry (whose memory
// may hold an entry a rollback cut off), to keep ev, which happened at at,
// and appends ev's texts and decision to the case's.
func (c *Case) pack(e *entry, ev *Event, at moment) {
	e.at, e.atNsec = at.sec, at.nsec
	e.due, e.dueNsec = stampOf(ev.Due)
	e.amount, e.money = ev.Amount, 0
	e.actor, e.action, e.to, e.kind, e.reason = ev.Actor, ev.Action, ev.To, ev.Kind, ev.Reason
	e.closed, e.ruling, e.has = ev.Closed, ev.Ruling, has(ev.Payer)<<payerShift
	switch {
	case ev.Freight != 0:
		e.money = ev.Freight
	case ev.Compensation != 0:
		e.money = ev.Compensation
	}
	if ev.ReturnGoods {
		e.has |= hasGoods
	}
	if ev.Key != "" || ev.Note != "" || ev.Carrier != "" || ev.Waybill != "" {
		c.packTexts(e, ev)
	}
	if !ev.Decision.IsZero() {
		if n := len(c.decisions); n < cap(c.decisions) {
			c.decisions = c.decisions[:n+1] // a free slot is zero (see cut)
		} else {
			c.decisions = append(c.decisions, Decision{})
		}
		c.decisions[len(c.decisions)-1] = ev.Decision
		e.has |= hasDecision
	}
}

// packTexts appends the texts ev has to the case's, in the order of the
// has bits.
func (c *Case) packTexts(e *entry, ev *Event) {
	for i, s := range ev.texts() {
		if *s != "" {
			c.texts = append(c.texts, *s)
			e.has |= hasKey << i
		}
	}
}

// sides returns where the texts and the decision of the i-th entry start
// in the case's texts and decisions: after those of the entries before it.
func (c *Case) sides(i int) (text, decision int) {
	for _, e := range c.log[:i] {
		text += e.has.texts()
		decision += e.has.decisions()
	}
	return text, decision
}

// event returns the i-th event of the case's log, counting from 0.
func (c *Case) event(i int) Event {
	t, d := c.sides(i)
	return c.eventAt(i, t, d)
}

// eventAt is event for a caller that knows where the entry's texts and
// decision start.
func (c *Case) eventAt(i, text, decision int) Event {
	log := c.log
	e := &log[i]
	ev := Event{
		Seq: i + 1, At: e.at.time(e.atNsec, c.loc), Actor: e.actor, Action: e.action, To: e.to, Kind: e.kind,
		Reason: e.reason, Closed: e.closed, Ruling: e.ruling, ReturnGoods: e.has&hasGoods != 0,
		Amount: e.amount, Payer: e.has.payer(), Due: e.due.time(e.dueNsec, c.loc),
	}
	if i > 0 {
		ev.From = log[i-1].to
	}
	if e.action == ActionRefundSucceeded {
		ev.Compensation = e.money
	} else {
		ev.Freight = e.money
	}
	if e.has&hasTexts != 0 {
		for b, s := range ev.texts() {
			if e.has&(hasKey<<b) != 0 {
				*s = c.texts[text]
				text++
			}
		}
	}
	if e.has&hasDecision != 0 {
		ev.Decision = c.decisions[decision]
	}
	return ev
}

// key returns the idempotency key of the entry whose texts start at text.
func (c *Case) key(e *entry, text int) string {
	if e.has&hasKey == 0 {
		return ""
	}
	return c.texts[text]
}

// cut takes the texts and decisions beyond the log's entries off the case,
// after a rollback cut entries off the log, and zeroes the room they took,
// so a refused command leaves the case as it found it and keeps no text
// alive.
func (c *Case) cut() {
	t, d := c.sides(len(c.log))
	clear(c.texts[t:cap(c.texts)])
	clear(c.decisions[d:cap(c.decisions)])
	c.texts, c.decisions = c.texts[:t], c.decisions[:d]
}
