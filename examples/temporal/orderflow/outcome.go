package orderflow

import (
	"github.com/shouhou/shouhou/aftersale"
)

// Outcome is what a command did, as the update returns it: the
// aftersale.Outcome in a form that travels as JSON. It leaves out the
// effects, which the workflow delivers itself (QueryOutbox shows them),
// so that each update's result, which the history keeps, stays small.
type Outcome struct {
	// Case is the case the command addressed or opened; empty for an
	// order fact.
	Case string `json:"case,omitzero"`
	// Event is the event the command appended; zero for an order fact.
	Event aftersale.Event `json:"event,omitzero"`
	// State is the case's state after the command.
	State aftersale.State `json:"state,omitzero"`
	// Also lists the other changes made on the way, as
	// aftersale.Outcome.Also does.
	Also []Change `json:"also,omitempty"`
	// Repeat is set when the command's Key had already been applied.
	Repeat bool `json:"repeat,omitzero"`
	// Version is the order's version after the command.
	Version int `json:"version"`
}

// Change is an event appended to a case.
type Change struct {
	Case  string          `json:"case"`
	Event aftersale.Event `json:"event"`
}

func outcomeOf(out aftersale.Outcome, o *aftersale.Order) Outcome {
	r := Outcome{Event: out.Event, Repeat: out.Repeat, Version: o.Version()}
	if out.Case != nil {
		r.Case, r.State = out.Case.ID(), out.Case.State()
	}
	for _, ch := range out.Also {
		r.Also = append(r.Also, Change{Case: ch.Case.ID(), Event: ch.Event})
	}
	return r
}
