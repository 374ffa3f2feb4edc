package aftersale

import "time"

// entry is how a case keeps an event in its log: 72 bytes where the Event
// takes 232. It leaves out what follows from its place in the log (Seq,
// From); it keeps times as seconds and nanoseconds, without a location (the
// case reads them back in its own, see Case.loc); and it keeps what most
// events lack (free text, freight, compensation, the policy decision)
// behind pointers. Appending copies less, and a case at rest holds less
// memory.
type entry struct {
	at, due  stamp
	amount   Money
	key      string
	extra    *entryExtra // nil when the event has no text, freight or compensation
	decision *Decision   // nil when no policy shaped the event
	atNsec   int32
	dueNsec  int32
	actor    Actor
	action   Action
	to       State
	kind     Kind
	reason   Reason
	closed   ClosedReason
	ruling   Ruling
	goods    bool // ReturnGoods
}

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

// entryExtra holds what only some events carry.
type entryExtra struct {
	note, carrier, waybill string
	freight, comp          Money
	payer                  Payer
}

// Stamp returns when the event happened, in UTC; it makes entry a
// timeline.Stamped, which the log uses to keep its events in order.
func (e entry) Stamp() time.Time { return e.at.time(e.atNsec, time.UTC) }

// spare is room for the decisions and extras of an ordinary case,
// allocated with the case (see newCase), so recording them allocates
// nothing. A slot is free when no entry of the log points to it: slots
// follow the log when a command rolls back, like the log's own room.
type spare struct {
	decisions [2]Decision
	extras    [2]entryExtra
}

// pack returns the entry that keeps ev, with its decision and extra in
// free slots of the case's spare room, or on the heap.
func (c *Case) pack(ev *Event) entry {
	e := entry{
		amount: ev.Amount, key: ev.Key,
		actor: ev.Actor, action: ev.Action, to: ev.To, kind: ev.Kind, reason: ev.Reason,
		closed: ev.Closed, ruling: ev.Ruling, goods: ev.ReturnGoods,
	}
	e.at, e.atNsec = stampOf(ev.At)
	e.due, e.dueNsec = stampOf(ev.Due)
	if ev.Note != "" || ev.Carrier != "" || ev.Waybill != "" || ev.Freight != 0 || ev.Compensation != 0 || ev.Payer != 0 {
		x := c.freeExtra()
		*x = entryExtra{ev.Note, ev.Carrier, ev.Waybill, ev.Freight, ev.Compensation, ev.Payer}
		e.extra = x
	}
	if !ev.Decision.IsZero() {
		d := c.freeDecision()
		*d = ev.Decision
		e.decision = d
	}
	return e
}

// freeDecision returns a spare decision slot no entry uses, or a new one.
func (c *Case) freeDecision() *Decision {
	if c.spare != nil {
		for i := range c.spare.decisions {
			if d := &c.spare.decisions[i]; !c.uses(d, nil) {
				return d
			}
		}
	}
	return new(Decision)
}

// freeExtra returns a spare extra slot no entry uses, or a new one.
func (c *Case) freeExtra() *entryExtra {
	if c.spare != nil {
		for i := range c.spare.extras {
			if x := &c.spare.extras[i]; !c.uses(nil, x) {
				return x
			}
		}
	}
	return new(entryExtra)
}

// event returns the i-th event of the case's log, counting from 0.
func (c *Case) event(i int) Event {
	log := c.log.Slice()
	e := &log[i]
	ev := Event{
		Seq: i + 1, At: e.at.time(e.atNsec, c.loc), Actor: e.actor, Action: e.action, To: e.to, Kind: e.kind,
		Reason: e.reason, Closed: e.closed, Ruling: e.ruling, ReturnGoods: e.goods,
		Amount: e.amount, Key: e.key, Due: e.due.time(e.dueNsec, c.loc),
	}
	if i > 0 {
		ev.From = log[i-1].to
	}
	if x := e.extra; x != nil {
		ev.Note, ev.Carrier, ev.Waybill = x.note, x.carrier, x.waybill
		ev.Freight, ev.Compensation, ev.Payer = x.freight, x.comp, x.payer
	}
	if e.decision != nil {
		ev.Decision = *e.decision
	}
	return ev
}

// clearSpare zeroes the spare slots no entry uses, after a rollback cut
// entries off the log: a free slot is always zero, so a refused command
// leaves the case as it found it, byte for byte.
func (c *Case) clearSpare() {
	if c.spare == nil {
		return
	}
	for i := range c.spare.decisions {
		if d := &c.spare.decisions[i]; !c.uses(d, nil) {
			*d = Decision{}
		}
	}
	for i := range c.spare.extras {
		if x := &c.spare.extras[i]; !c.uses(nil, x) {
			*x = entryExtra{}
		}
	}
}

// uses reports whether an entry of the log points to d or to x.
func (c *Case) uses(d *Decision, x *entryExtra) bool {
	for _, e := range c.log.Slice() {
		if d != nil && e.decision == d || x != nil && e.extra == x {
			return true
		}
	}
	return false
}
