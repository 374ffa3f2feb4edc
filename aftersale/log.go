package aftersale

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"time"
)

// caseLog is a case's events, oldest first, append-only. It keeps each
// event as a compact entry (no pointers, a fraction of an Event's size, so
// a case at rest stays small and appending is a plain copy) and gives
// events back whole. Nothing outside this file reads an entry's fields.
type caseLog struct {
	entries []entry
	// texts, decisions and lines hold what entries carry beside their
	// fixed fields, in log order: an entry's has bits say which and how
	// many.
	texts     []string
	decisions []Decision
	lines     []Compensation
	loc       *time.Location // the zone the log gives its times in: that of the first event
}

// entry is one event of a caseLog. It leaves out what follows from its
// place in the log (Seq, From) and its zone (the log's).
type entry struct {
	at, due moment
	amount  Money
	money   Money // Freight, on ship_return
	actor   Actor
	action  Action
	to      State
	kind    Kind
	reason  Reason
	closed  ClosedReason
	ruling  ruling
	has     has
}

// ruling is an entry's Ruling, with ReturnGoods in its top bit.
type ruling uint8

const rulingGoods ruling = 1 << 7

func rulingOf(ev *Event) ruling {
	r := ruling(ev.Ruling)
	if ev.ReturnGoods {
		r |= rulingGoods
	}
	return r
}

// has says what an entry carries besides its fixed fields: which texts,
// which decisions, and in its top two bits how many compensation lines.
// An import's entry carries one more text, after those: its record.
type has uint8

const (
	hasKey has = 1 << iota // the texts' bits are in the order of Event.texts
	hasNote
	hasCarrier
	hasWaybill
	hasDecision // the decisions' bits are in the order of Event.decisions
	hasCompensationDecision

	hasTexts     = hasKey | hasNote | hasCarrier | hasWaybill
	hasDecisions = hasDecision | hasCompensationDecision
	linesShift   = 6 // the number of compensation lines takes the bits from here up
)

func (h has) texts() int { return bits.OnesCount8(uint8(h & hasTexts)) }

// texts returns how many texts the entry carries: those its has bits name
// and an import's record.
func (e *entry) texts() int {
	if e.action == ActionImport {
		return e.has.texts() + 1
	}
	return e.has.texts()
}
func (h has) decisions() int { return bits.OnesCount8(uint8(h & hasDecisions)) }
func (h has) lines() int     { return int(h >> linesShift) }

// texts returns the event's texts in the order of the has bits: the one
// place that order is written down.
func (ev *Event) texts() [4]*string {
	return [...]*string{&ev.Key, &ev.Note, &ev.Carrier, &ev.Waybill}
}

// decisions returns the event's decisions in the order of the has bits.
func (ev *Event) decisions() [2]*Decision {
	return [...]*Decision{&ev.Decision, &ev.CompensationDecision}
}

// moment is an instant as nanoseconds since the Unix epoch, without a zone:
// how the log and the order keep the times they compare on every command.
// The zero moment is the zero time.Time, "no time".
type moment int64

// maxUnixSec is the last whole second a moment can hold, in 2262.
const maxUnixSec = math.MaxInt64 / int64(time.Second)

// momentIn returns t as a moment, and false if t is neither zero nor a
// time a moment can hold: after the Unix epoch, before the year 2262.
func momentIn(t time.Time) (moment, bool) {
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	switch {
	case sec > 0 && sec < maxUnixSec || sec == 0 && nsec > 0:
		return moment(sec*int64(time.Second) + nsec), true
	case sec == zeroUnix && nsec == 0:
		return 0, true // the zero time: no time
	}
	return 0, false
}

// zeroUnix is the zero time.Time in Unix seconds.
const zeroUnix = -62135596800

// lastMoment is the latest deadline a case can hold.
var lastMoment = time.Unix(maxUnixSec-1, 0)

// endOfEvents is the first moment no order fact, command or event may
// carry, 2200-01-01 UTC: well before lastMoment, so every deadline counted
// from one of them can be held after it.
const endOfEvents = moment(7258118400 * int64(time.Second))

// eventTime returns t as a moment, and false if t is neither zero nor a
// time an order fact, a command or an event may carry: from 1970 to 2200.
func eventTime(t time.Time) (moment, bool) {
	m, ok := momentIn(t)
	return m, ok && m < endOfEvents
}

// momentOf returns t as a moment; momentIn accepted t.
func momentOf(t time.Time) moment {
	if t.IsZero() {
		return 0
	}
	return moment(t.UnixNano())
}

// time returns the moment as a time in loc.
func (m moment) time(loc *time.Location) time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(m)).In(loc)
}

// fixedZone returns the zone a case opened at t gives its times in: the
// offset t has, as a fixed zone. The log keeps instants and the JSON form
// offsets, so a zone whose offset changes (daylight saving) would read
// back as another, and differently with the process's TZ; a fixed zone
// (timeline.UTC8(), UTC) is kept as it is.
func fixedZone(t time.Time) *time.Location {
	if start, end := t.ZoneBounds(); start.IsZero() && end.IsZero() {
		return t.Location()
	}
	_, offset := t.Zone()
	return time.FixedZone("", offset)
}

// newLog returns an empty log in the zone loc whose slices start in the
// given room.
func newLog(loc *time.Location, entries []entry, texts []string, decisions []Decision, lines []Compensation) caseLog {
	return caseLog{entries: entries[:0], texts: texts[:0], decisions: decisions[:0], lines: lines[:0], loc: loc}
}

// len returns the number of events.
func (l *caseLog) len() int { return len(l.entries) }

// append adds ev, whose times momentIn accepts, as the last event; ev
// itself is left as it is (see inZone). The caller has checked that it is
// not stamped before the last one.
func (l *caseLog) append(ev *Event) {
	if l.loc == nil {
		l.loc = fixedZone(ev.At)
	}
	e := entry{
		at: momentOf(ev.At), due: momentOf(ev.Due), amount: ev.Amount,
		actor: ev.Actor, action: ev.Action, to: ev.To, kind: ev.Kind, reason: ev.Reason,
		closed: ev.Closed, ruling: rulingOf(ev), money: ev.Freight,
	}
	if len(ev.Compensation) > 0 && !ev.repeatsCompensation(l) {
		e.has = has(len(ev.Compensation)) << linesShift
		l.lines = append(l.lines, ev.Compensation...)
	}
	if ev.Key != "" || ev.Note != "" || ev.Carrier != "" || ev.Waybill != "" {
		for i, s := range ev.texts() {
			if *s != "" {
				l.texts = append(l.texts, *s)
				e.has |= hasKey << i
			}
		}
	}
	if ev.Action == ActionImport {
		l.texts = append(l.texts, string(ev.Record))
	}
	for i, src := range ev.decisions() {
		if src.IsZero() {
			continue
		}
		// Field by field: a Decision copied whole into the heap goes
		// through the collector's bulk write barrier while it marks.
		l.decisions = append(l.decisions, Decision{})
		d := &l.decisions[len(l.decisions)-1]
		d.Policy, d.Rule, d.Verdict, d.Zh, d.En = src.Policy, src.Rule, src.Verdict, src.Zh, src.En
		e.has |= hasDecision << i
	}
	l.entries = append(l.entries, e)
}

// inZone puts ev's times in the log's zone, as the log gives them back.
func (l *caseLog) inZone(ev *Event) {
	if ev.At.Location() != l.loc {
		ev.At = ev.At.In(l.loc)
	}
	if !ev.Due.IsZero() && ev.Due.Location() != l.loc {
		ev.Due = ev.Due.In(l.loc)
	}
}

// repeatsCompensation reports whether ev is a refund that pays the
// compensation the log already holds, decided on the way into refunding:
// the log keeps those lines once, and gives them back for the refund too.
func (ev *Event) repeatsCompensation(l *caseLog) bool {
	return ev.Action == ActionRefundSucceeded && len(ev.Compensation) > 0 && slices.Equal(ev.Compensation, l.compensation())
}

// amendLast records in the last event the compensation ev carries, which
// was decided once the event was in the log (Engine.record): its lines and
// the compensator's decision, which comes after the event's own.
func (l *caseLog) amendLast(ev *Event) {
	e := &l.entries[len(l.entries)-1]
	e.has |= has(len(ev.Compensation)) << linesShift
	l.lines = append(l.lines, ev.Compensation...)
	if !ev.CompensationDecision.IsZero() {
		l.decisions = append(l.decisions, ev.CompensationDecision)
		e.has |= hasCompensationDecision
	}
}

// firstDecision returns the policy of the decision the first event
// records, or "": the grant that covered the request, or the approver
// that approved it at once. It is the log's first decision.
func (l *caseLog) firstDecision() string {
	if len(l.entries) == 0 || l.entries[0].has&hasDecision == 0 {
		return ""
	}
	return l.decisions[0].Policy
}

// truncate cuts the log back to its first n events, after a refused
// command, and clears the room the cut texts and decisions took so the
// log keeps nothing of them alive.
func (l *caseLog) truncate(n int) {
	s := l.sides(n)
	l.entries = l.entries[:n]
	clear(l.texts[s.text:cap(l.texts)])
	clear(l.decisions[s.decision:cap(l.decisions)])
	l.texts, l.decisions, l.lines = l.texts[:s.text], l.decisions[:s.decision], l.lines[:s.line]
}

// side is where an event's texts, decisions and compensation lines start
// in the log's side slices.
type side struct{ text, decision, line int }

// next returns where the next event's start, after e's.
func (s side) next(e *entry) side {
	return side{s.text + e.texts(), s.decision + e.has.decisions(), s.line + e.has.lines()}
}

// sides returns where the texts, decisions and lines of the i-th event
// start.
func (l *caseLog) sides(i int) side {
	var s side
	for j := range l.entries[:i] {
		s = s.next(&l.entries[j])
	}
	return s
}

// event returns the i-th event, counting from 0.
func (l *caseLog) event(i int) Event {
	return l.eventAt(i, l.sides(i))
}

// eventAt is event for a caller that knows where the event's side
// values start.
func (l *caseLog) eventAt(i int, at side) Event {
	text, decision := at.text, at.decision
	e := &l.entries[i]
	ev := Event{
		Seq: i + 1, At: e.at.time(l.loc), Actor: e.actor, Action: e.action, To: e.to, Kind: e.kind,
		Reason: e.reason, Closed: e.closed, Ruling: Ruling(e.ruling &^ rulingGoods), ReturnGoods: e.ruling&rulingGoods != 0,
		Amount: e.amount, Freight: e.money, Due: e.due.time(l.loc),
	}
	if i > 0 {
		ev.From = l.entries[i-1].to
	}
	switch n := e.has.lines(); {
	case n > 0:
		ev.Compensation = slices.Clone(l.lines[at.line : at.line+n])
	case e.action == ActionRefundSucceeded:
		ev.Compensation = slices.Clone(l.compensation()) // it pays what was decided: see repeatsCompensation
	}
	if e.has&hasTexts != 0 {
		for b, s := range ev.texts() {
			if e.has&(hasKey<<b) != 0 {
				*s = l.texts[text]
				text++
			}
		}
	}
	if e.action == ActionImport {
		ev.Record = json.RawMessage(l.texts[text])
	}
	if e.has&hasDecisions != 0 {
		for b, d := range ev.decisions() {
			if e.has&(hasDecision<<b) != 0 {
				*d = l.decisions[decision]
				decision++
			}
		}
	}
	return ev
}

// all calls yield with each event in order until it returns false.
func (l *caseLog) all(yield func(int, Event) bool) {
	var at side
	for i := range l.entries {
		if !yield(i, l.eventAt(i, at)) {
			return
		}
		at = at.next(&l.entries[i])
	}
}

// events returns every event, in a new slice.
func (l *caseLog) events() []Event {
	out := make([]Event, len(l.entries))
	var at side
	for i := range l.entries {
		out[i] = l.eventAt(i, at)
		at = at.next(&l.entries[i])
	}
	return out
}

// latest returns the index of the latest event of the action, or -1 if
// there is none.
func (l *caseLog) latest(a Action) int {
	for i := len(l.entries) - 1; i >= 0; i-- {
		if l.entries[i].action == a {
			return i
		}
	}
	return -1
}

// returnParcel returns the index of the event that says what the buyer
// sent back: the latest ship_return, or an import that names a return
// parcel; -1 if there is none.
func (l *caseLog) returnParcel() int {
	if i := l.latest(ActionShipReturn); i >= 0 {
		return i
	}
	if len(l.entries) > 0 && l.entries[0].action == ActionImport && l.entries[0].has&hasWaybill != 0 {
		return 0
	}
	return -1
}

// parcel returns what the i-th event says of a parcel: when it was sent,
// by which carrier under which waybill, and the freight paid.
func (l *caseLog) parcel(i int) (at time.Time, carrier, waybill string, freight Money) {
	e := &l.entries[i]
	text := l.sides(i).text + (e.has & (hasKey | hasNote)).texts()
	if e.has&hasCarrier != 0 {
		carrier = l.texts[text]
		text++
	}
	if e.has&hasWaybill != 0 {
		waybill = l.texts[text]
	}
	return e.at.time(l.loc), carrier, waybill, e.money
}

// withKey returns the index of the event sent with the idempotency key,
// and false if there is none.
func (l *caseLog) withKey(key string) (int, bool) {
	text := 0
	for i, e := range l.entries {
		if e.has&hasKey != 0 && l.texts[text] == key {
			return i, true
		}
		text += e.texts()
	}
	return 0, false
}

// keys calls yield with the idempotency key of each event sent with one,
// in order, until it returns false.
func (l *caseLog) keys(yield func(string) bool) {
	text := 0
	for _, e := range l.entries {
		if e.has&hasKey != 0 && !yield(l.texts[text]) {
			return
		}
		text += e.texts()
	}
}

// hasKeys reports whether any event was sent with an idempotency key.
func (l *caseLog) hasKeys() bool {
	for _, e := range l.entries {
		if e.has&hasKey != 0 {
			return true
		}
	}
	return false
}

// What the engine reads of the i-th event on every command, without
// building the whole Event.

func (l *caseLog) at(i int) moment     { return l.entries[i].at }
func (l *caseLog) due(i int) moment    { return l.entries[i].due }
func (l *caseLog) to(i int) State      { return l.entries[i].to }
func (l *caseLog) amount(i int) Money  { return l.entries[i].amount }
func (l *caseLog) action(i int) Action { return l.entries[i].action }

// compensationDecided reports whether an event records a compensator's
// decision.
func (l *caseLog) compensationDecided() bool {
	for _, e := range l.entries {
		if e.has&hasCompensationDecision != 0 {
			return true
		}
	}
	return false
}

// compensationCopy returns the compensation lines in a slice of their
// own, for a refund's Outcome: in the room the log's lines have spare,
// which no event takes after a refund (it ends the case), or else in a
// new slice; nil if none were decided.
func (l *caseLog) compensationCopy() []Compensation {
	decided := l.compensation()
	if spare := l.lines[len(l.lines):cap(l.lines)]; len(decided) > 0 && len(spare) >= len(decided) {
		return spare[:copy(spare, decided):len(decided)]
	}
	return slices.Clone(decided)
}

// compensation returns the compensation lines decided when the case
// entered refunding (and repeated by refund_succeeded), nil if none were:
// those of the first event that has any, which are the first lines of the
// log. The slice is the log's own, to read.
func (l *caseLog) compensation() []Compensation {
	for i := range l.entries {
		if n := l.entries[i].has.lines(); n > 0 {
			return l.lines[:n:n]
		}
	}
	return nil
}
