package aftersale

import (
	"encoding/json"
	"strconv"
	"time"
	"unique"
)

// caseJSON is the JSON form of a Case: its Record, and a summary of what
// the events add up to, for people and queries reading the stored form.
type caseJSON struct {
	Record
	caseSummary
	Due time.Time `json:"due,omitzero"`
}

// caseSummary is the comparable part of the summary.
type caseSummary struct {
	State        State        `json:"state"`
	Kind         Kind         `json:"kind"`
	Reason       Reason       `json:"reason"`
	ClosedReason ClosedReason `json:"closed_reason,omitzero"`
	Amount       Money        `json:"amount"`
	Proposal     Money        `json:"proposal,omitzero"`
	Refunded     Money        `json:"refunded,omitzero"`
	Compensation Compensation `json:"compensation,omitzero"`
	Version      int          `json:"version"`
}

func (c *Case) summary() caseSummary {
	return caseSummary{
		State: c.state, Kind: c.kind, Reason: c.reason, ClosedReason: c.closed,
		Amount: c.amount, Proposal: c.Proposal(), Refunded: c.Refunded(), Compensation: c.Compensation(),
		Version: c.Version(),
	}
}

// MarshalJSON encodes the case as its record (id, order, policy_version,
// lines, events) and a summary of its state, kind, amounts, version and
// pending deadline.
func (c *Case) MarshalJSON() ([]byte, error) {
	return json.Marshal(caseJSON{Record: c.Record(), caseSummary: c.summary(), Due: c.pending().time(c.log.loc)})
}

// UnmarshalJSON decodes the form MarshalJSON writes: it replays the events
// (see Replay) and then checks that the summary agrees with them, so an
// edited summary cannot contradict the log. Unknown fields are errors. On
// error the case is left as it was.
func (c *Case) UnmarshalJSON(b []byte) error {
	var j caseJSON
	if err := strictJSON(b, &j); err != nil {
		return fail(ErrInvalidInput, "case: "+err.Error())
	}
	// The case is built apart, so an error leaves c as it was.
	next := caseOf(j.Events)
	if err := j.replay(next); err != nil {
		return err
	}
	*c = *next
	return nil
}

// replay rebuilds the case the JSON form records into r, an empty case
// with room for its events, and checks the summary. The texts of decisions
// and the policy version repeat word for word across cases, so it interns
// them: a million loaded cases share one copy of each, as live cases share
// the policies' constants.
func (j *caseJSON) replay(r *Case) error {
	j.PolicyVersion = unique.Make(j.PolicyVersion).Value()
	for i := range j.Events {
		if d := &j.Events[i].Decision; !d.IsZero() {
			d.Policy, d.Rule = unique.Make(d.Policy).Value(), unique.Make(d.Rule).Value()
			d.Zh, d.En = unique.Make(d.Zh).Value(), unique.Make(d.En).Value()
		}
	}
	if err := r.replay(j.Record); err != nil {
		return err
	}
	if r.summary() != j.caseSummary || r.pending() != momentOf(j.Due) {
		return fail(ErrInvalidInput, "case "+r.id+": the summary (state, kind, amounts, version, due) does not match its events")
	}
	return nil
}

// orderFacts has the fields of Order and none of its methods, so the JSON
// form of an Order can embed its facts.
type orderFacts Order

// orderJSON is the JSON form of an Order: its facts, its version, the keys
// of its facts, and its cases.
type orderJSON struct {
	*orderFacts
	Version      int     `json:"version"`
	ShippedKey   string  `json:"shipped_key,omitzero"`
	DeliveredKey string  `json:"delivered_key,omitzero"`
	Cases        []*Case `json:"cases"`
}

// MarshalJSON encodes the order's facts, its version and its cases.
func (o *Order) MarshalJSON() ([]byte, error) {
	cases := o.cases
	if cases == nil {
		cases = []*Case{}
	}
	return json.Marshal(orderJSON{
		orderFacts: (*orderFacts)(o), Version: o.version,
		ShippedKey: o.shippedKey, DeliveredKey: o.deliveredKey, Cases: cases,
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes. It validates the
// facts, replays every case, and checks what spans the cases: each belongs
// to this order and has its own ID, refunds add up to no more than was
// paid, no line has two open cases, nothing happened before payment, and
// the version counts at least every event. Unknown fields are errors. On
// error the order is left as it was.
func (o *Order) UnmarshalJSON(b []byte) error {
	var facts orderFacts
	// The cases decode as their JSON forms and replay here, not through
	// Case.UnmarshalJSON, which would copy each replayed case into one
	// more allocation.
	var j struct {
		orderJSON
		Cases []*caseJSON `json:"cases"`
	}
	j.orderFacts = &facts
	if err := strictJSON(b, &j); err != nil {
		return fail(ErrInvalidInput, "order: "+err.Error())
	}
	next := Order(facts)
	next.version, next.shippedKey, next.deliveredKey = j.Version, j.ShippedKey, j.DeliveredKey
	if len(j.Cases) > 0 {
		next.cases = make([]*Case, len(j.Cases))
	}
	for i, cj := range j.Cases {
		if cj == nil {
			return fail(ErrInvalidInput, "order "+next.ID+": case "+strconv.Itoa(i+1)+" is null")
		}
		c := caseOf(cj.Events)
		if err := cj.replay(c); err != nil {
			return err
		}
		next.cases[i] = c
		next.latest = max(next.latest, c.log.at(c.log.len()-1))
	}
	if err := next.check(); err != nil {
		return err
	}
	*o = next
	return nil
}

// check validates a decoded order as a whole.
func (o *Order) check() error {
	if err := o.Validate(); err != nil {
		return err
	}
	events := 0
	for i, c := range o.cases {
		switch {
		case c.order != o.ID:
			return fail(ErrInvalidInput, "order "+o.ID+": case "+c.id+" belongs to order "+c.order)
		case c.OpenedAt().Before(o.PaidAt):
			return fail(ErrInvalidInput, "order "+o.ID+": case "+c.id+" was opened before the order was paid")
		}
		for _, d := range o.cases[:i] {
			if d.id == c.id {
				return fail(ErrInvalidInput, "order "+o.ID+": two cases have the id "+c.id)
			}
			if c.Open() && d.Open() && c.covers(d.lines) {
				return fail(ErrInvalidInput, "order "+o.ID+": cases "+d.id+" and "+c.id+" are both open on the same goods")
			}
		}
		for _, u := range c.lines {
			if _, ok := o.line(u.Line); !ok {
				return fail(ErrInvalidInput, "order "+o.ID+": case "+c.id+" names an unknown line "+u.Line)
			}
		}
		events += c.Version()
	}
	for _, l := range o.Lines {
		used := o.unitsRefunded(l.ID)
		for _, c := range o.cases {
			for _, u := range c.lines {
				if u.Line == l.ID && c.Open() {
					used += u.Quantity
				}
			}
		}
		if used > l.Quantity {
			return fail(ErrInvalidInput, "order "+o.ID+": its cases cover more than the "+strconv.Itoa(l.Quantity)+" units of line "+l.ID)
		}
	}
	if o.Refunded() > o.Amount || o.Refundable() < 0 {
		return fail(ErrInvalidInput, "order "+o.ID+": its cases refund or ask for more than was paid")
	}
	if o.version < events {
		return fail(ErrInvalidInput, "order "+o.ID+": version "+strconv.Itoa(o.version)+" is below the "+strconv.Itoa(events)+" events of its cases")
	}
	return nil
}
