package aftersale

import (
	"net/url"
	"strconv"
	"time"
)

// EffectKind is what a host must do for an Effect.
type EffectKind uint8

// The kinds of effect.
const (
	// EffectRefund: instruct the payment system to pay the buyer Amount and
	// the Compensation lines, under the idempotency key Key.
	EffectRefund EffectKind = iota + 1
	// EffectNotify: tell the party To what happened and what comes next
	// (Template, Zh, En).
	EffectNotify
	// EffectAlert: a service-level promise was broken (Promise); Late is
	// who is late.
	EffectAlert
	// EffectWake: call Engine.AdvanceTo on the order at At, when the case's
	// deadline passes. A wake-up that finds nothing due does nothing, so a
	// host need not cancel the ones a later event made stale.
	EffectWake
)

var effectNames = [...]names{
	EffectRefund: {"refund", "发起退款"},
	EffectNotify: {"notify", "通知"},
	EffectAlert:  {"alert", "超时告警"},
	EffectWake:   {"wake", "定时唤醒"},
}

// String returns the kind's text form, such as "refund".
func (k EffectKind) String() string { return enumString(effectNames[:], k, "EffectKind") }

// Label returns the kind's Chinese label.
func (k EffectKind) Label() string { return enumLabel(effectNames[:], k) }

// MarshalText returns the text form; an unknown kind is an error.
func (k EffectKind) MarshalText() ([]byte, error) {
	return enumMarshal(effectNames[:], k, "EffectKind")
}

// UnmarshalText parses the text form.
func (k *EffectKind) UnmarshalText(b []byte) error {
	return enumUnmarshal(effectNames[:], b, k, "effect kind")
}

// Effect is something the host must do because an event was recorded: pay
// a refund, notify a party, raise an alert, wake up at a deadline.
//
// Effects are a pure function of a case's events (see Case.Effects): the
// same stored order gives the same effects with the same IDs, however
// often it is loaded. So a host delivers them at least once without an
// outbox of its own: it saves the order, then delivers the effects of what
// it saved, and after a crash recomputes them from the saved order;
// receivers drop an ID they have seen.
//
// Fields a kind does not use are zero and left out of the JSON form.
type Effect struct {
	// ID is unique to the effect and stable: the order, the case, the
	// event's number and the kind (and, for a notification, whom it is
	// for), as "o-1/o-1-1/4/refund". IDs are escaped as URL path
	// segments, so one with a "/" cannot pass for another.
	ID    string     `json:"id"`
	Kind  EffectKind `json:"kind"`
	Order string     `json:"order"`
	Case  string     `json:"case"`
	Seq   int        `json:"seq"` // the event that called for it
	// At is when the effect is due: the event's time, or for EffectWake
	// the deadline to wake up at.
	At time.Time `json:"at"`

	// EffectRefund: the refund, the compensation lines that come with it,
	// and the idempotency key to send to the payment system. Each attempt
	// has its own key: a retry after a failed refund gets a new one. Amount
	// is zero where only compensation is paid: an exchange's return
	// freight, when the goods are received.
	Amount       Money          `json:"amount,omitzero"`
	Compensation []Compensation `json:"compensation,omitempty"`
	Key          string         `json:"key,omitzero"`

	// EffectNotify: whom to tell, the template a host's messaging keys
	// its texts by (the state entered, such as "awaiting_return", or
	// "closed.withdrawn"), and ready texts in Chinese and English.
	// EffectAlert carries the texts too.
	To       Actor  `json:"to,omitzero"`
	Template string `json:"template,omitzero"`
	Zh       string `json:"zh,omitzero"`
	En       string `json:"en,omitzero"`

	// EffectAlert: the rule id of the promise broken, such as
	// "deadlines.refund_sla", and who is late keeping it.
	Promise string `json:"promise,omitzero"`
	Late    Actor  `json:"late,omitzero"`
}

// Effects returns what the host must do for the case's events after
// version since (0 for all of them), in the order of the events. It reads
// only the case's log, so it gives the same effects, with the same IDs,
// for a case as recorded and for the same case loaded from storage.
func (c *Case) Effects(since int) []Effect {
	var out []Effect
	var amount Money
	var decided []Compensation
	for i, ev := range c.All() {
		amount = amountAfter(amount, ev)
		if decided == nil {
			decided = ev.Compensation
		}
		if i >= since {
			then := c.asOf(i + 1)
			out = effectsOf(out, &then, ev, amount, decided)
		}
	}
	return out
}

// asOf returns the case as it was after its first n events, to read, not
// to change: what Next said then. Its amounts are not folded.
func (c *Case) asOf(n int) Case {
	then := *c
	then.log.entries = c.log.entries[:n:n]
	last := &then.log.entries[n-1]
	then.state, then.kind, then.closed = last.to, last.kind, last.closed
	return then
}

// Effects returns what the host must do for the change.
func (ch Change) Effects() []Effect {
	if ch.Case == nil || ch.Event.Seq < 1 {
		return nil
	}
	return ch.Case.effectsAt(ch.Event.Seq)
}

// Effects returns what the host must do for everything the command did, in
// the order it was recorded: the deadlines that fired first and the other
// cases it changed (Also), Event, and the deadlines it made due at once.
// For a Repeat it returns the effects of the first delivery again, with
// the same IDs, so a host that crashed before delivering them delivers
// them now.
func (out Outcome) Effects() []Effect {
	var effects []Effect
	after := 0 // Also's changes from here on came after Event
	for i, ch := range out.Also {
		if ch.Case == out.Case && ch.Event.Seq > out.Event.Seq {
			break
		}
		after = i + 1
	}
	for _, ch := range out.Also[:after] {
		effects = append(effects, ch.Effects()...)
	}
	effects = append(effects, Change{Case: out.Case, Event: out.Event}.Effects()...)
	for _, ch := range out.Also[after:] {
		effects = append(effects, ch.Effects()...)
	}
	return effects
}

// effectsAt returns the effects of the event numbered seq.
func (c *Case) effectsAt(seq int) []Effect {
	if seq > c.Version() {
		return nil
	}
	all := c.Effects(seq - 1)
	for i, ef := range all {
		if ef.Seq != seq {
			return all[:i]
		}
	}
	return all
}

// amountAfter returns what the case asks for after ev, given what it asked
// for before: as commit folds it.
func amountAfter(before Money, ev Event) Money {
	switch {
	case ev.Action.opens() && ev.From == 0, ev.Action == ActionAccept,
		ev.Action == ActionRule && ev.Ruling == RulingForBuyer:
		return ev.Amount
	}
	return before
}

// effectsOf appends the effects of ev, the last event of the case then
// (as it was right after ev), after which the case asks for amount, with
// the compensation decided so far.
func effectsOf(out []Effect, then *Case, ev Event, amount Money, decided []Compensation) []Effect {
	base := Effect{Order: then.order, Case: then.id, Seq: ev.Seq, At: ev.At}
	key := url.PathEscape(then.order) + "/" + url.PathEscape(then.id) + "/" + strconv.Itoa(ev.Seq)
	with := func(k EffectKind, suffix string) Effect {
		ef := base
		ef.Kind, ef.ID = k, key+"/"+k.String()+suffix
		return ef
	}

	// A refund: on entering refunding and on a retry, with the
	// compensation decided; and the compensation alone where it was
	// decided without a refund (an exchange's receipt) or after it (what
	// format 1 decided at refund_succeeded).
	refund := ev.To == StateRefunding && ev.From != StateRefunding
	alone := !refund && len(ev.Compensation) > 0 && !ev.CompensationDecision.IsZero()
	if (refund || alone) && ev.Action != ActionImport { // the platform is paying an imported case already
		ef := with(EffectRefund, "")
		ef.Key, ef.Compensation = key, decided
		if refund {
			ef.Amount = amount
		}
		out = append(out, ef)
	}

	if ev.Action == ActionSLABreached {
		ef := with(EffectAlert, "")
		ef.Promise, ef.Late = ev.Decision.Rule, ev.From.Waiting()
		ef.Zh, ef.En = ev.Decision.Zh, ev.Decision.En
		out = append(out, ef)
	} else {
		zh, en := notice(ev, then.Next())
		for _, to := range [...]Actor{ActorBuyer, ActorMerchant, ActorPlatform} {
			if !notified(to, ev) {
				continue
			}
			ef := with(EffectNotify, "/"+to.String())
			ef.To, ef.Template, ef.Zh, ef.En = to, template(ev), zh, en
			out = append(out, ef)
		}
	}

	if !ev.Due.IsZero() {
		ef := with(EffectWake, "")
		ef.At = ev.Due
		out = append(out, ef)
	}
	return out
}

// notified reports whether an event is news to the party: the buyer and
// the merchant hear of everything they did not do themselves, the
// platform of what waits for it.
func notified(to Actor, ev Event) bool {
	if to == ev.Actor || ev.Action == ActionImport { // the platform told the parties of an imported case
		return false
	}
	if to == ActorPlatform {
		return ev.To.Waiting() == ActorPlatform
	}
	return true
}

// template names what a notification is about: the state entered, and
// why a case closed.
func template(ev Event) string {
	if ev.Closed != 0 {
		return ev.To.String() + "." + ev.Closed.String()
	}
	return ev.To.String()
}

// notice writes what happened and what comes next, in Chinese and
// English: "商家同意，待买家退货：…" and "the merchant did approve; the
// case is awaiting_return: …".
func notice(ev Event, next Next) (zh, en string) {
	who := ev.Actor.Label()
	if ev.Actor == ActorSystem && ev.Decision.Policy == (Deadlines{}).Name() {
		who = "超时后系统"
	}
	zh, en = who+ev.Action.Label()+"，"+ev.To.Label(), "the "+ev.Actor.String()+" did "+ev.Action.String()+"; the case is "+ev.To.String()
	if ev.Closed != 0 {
		zh, en = zh+"（"+ev.Closed.Label()+"）", en+" ("+ev.Closed.String()+")"
	}
	return zh + "：" + next.Zh(), en + ": " + next.En()
}

// Delivered is an outbox's watermark for one order: for each case, the
// version up to which its effects went out. Effects follow from the stored
// order, so a host keeps this small map beside it, not the effects: after a
// crash, Pending gives again what was saved but not delivered. Its JSON form
// is an object of case IDs and versions. The zero Delivered (nil) has
// delivered nothing; Mark needs a made map.
type Delivered map[string]int

// Pending returns the effects of o's cases not yet delivered, case by case
// in the order's order and, within a case, in the order of its events.
func (d Delivered) Pending(o *Order) []Effect {
	var out []Effect
	for _, c := range o.cases {
		out = append(out, c.Effects(d[c.id])...)
	}
	return out
}

// Deliver sends the effects Pending gives to send, in order, and moves
// the watermark past each event once all its effects went out. It stops
// at the first error send returns, and returns it: the next Deliver starts
// again with the effects of that event, which receivers that saw some of
// them drop by ID. The watermark moves past what was pending when Deliver
// began, and no further: events a command appends while send runs (a host
// that handles commands while it waits on a send) stay pending.
func (d Delivered) Deliver(o *Order, send func(Effect) error) error {
	for _, c := range o.cases { // the cases as they were: one opened during a send waits for the next Deliver
		version, effects := c.Version(), c.Effects(d[c.id])
		for _, ef := range effects {
			if ef.Seq-1 > d[c.id] {
				d[c.id] = ef.Seq - 1 // every effect of the events before ef's went out
			}
			if err := send(ef); err != nil {
				return err
			}
		}
		d[c.id] = version
	}
	return nil
}
