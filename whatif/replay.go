package whatif

import (
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Comparer replays recorded orders under two rule sets, Before and After,
// each with its own Engine. It is safe for concurrent use: each call to
// Replay works on orders of its own.
type Comparer struct {
	before, after *aftersale.Engine
	rules         [2]aftersale.Rules
	end           time.Time
}

// New returns a Comparer of the two rule sets; end is the end of the
// period replayed (the end of the month): every order is brought to it
// after its last input, so deadlines due by then fire.
func New(before, after aftersale.Rules, end time.Time) (*Comparer, error) {
	b, err := aftersale.New(aftersale.Config{Rules: before})
	if err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	a, err := aftersale.New(aftersale.Config{Rules: after})
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	return &Comparer{before: b, after: a, rules: [2]aftersale.Rules{before, after}, end: end}, nil
}

// Result is what one order did under both rule sets.
type Result struct {
	Order string
	// Before and After are the orders as replayed. After is as it stood
	// when it diverged, if it did.
	Before, After *aftersale.Order
	// Requests counts, for each side, the requests accepted and those
	// refused as not eligible.
	Eligible, Denied [2]int
	// Refused lists the inputs both sides refused (by action, with the
	// code under Before).
	Refused []string
	// Diverged is set when an input that one side accepted the other
	// refused: After stops there, and the order counts on neither side.
	Diverged *Divergence
}

// Divergence says where an order's replay under After parted from Before.
type Divergence struct {
	Input  int            // the input's index, from 0
	Action string         // what the input did: its command's action, or "advance"
	Before aftersale.Code // its code under Before; 0: accepted
	After  aftersale.Code // its code under After; 0: accepted
}

// Reason says it in words: "approve: ok before, not_permitted after".
func (d *Divergence) Reason() string {
	code := func(c aftersale.Code) string {
		if c == 0 {
			return "ok"
		}
		return c.String()
	}
	return fmt.Sprintf("%s: %s before, %s after", d.Action, code(d.Before), code(d.After))
}

// Replay replays one record. An error is an input Replay could not use at
// all (such as an invalid order); refusals are part of the Result.
func (c *Comparer) Replay(rec *Record) (*Result, error) {
	if err := rec.Order.Validate(); err != nil {
		return nil, fmt.Errorf("order %s: %w", rec.Order.ID, err)
	}
	r := &Result{Order: rec.Order.ID, Before: fresh(&rec.Order), After: fresh(&rec.Order)}
	engines := [2]*aftersale.Engine{c.before, c.after}
	orders := [2]*aftersale.Order{r.Before, r.After}
	for i, in := range rec.Inputs {
		var errs [2]error
		for s := range 2 {
			errs[s] = apply(engines[s], orders[s], in)
			if in.Command != nil && in.Command.Action == aftersale.ActionRequest {
				switch {
				case errs[s] == nil:
					r.Eligible[s]++
				case errors.Is(errs[s], aftersale.ErrNotEligible):
					r.Denied[s]++
				}
			}
		}
		cb, ca := aftersale.CodeOf(errs[0]), aftersale.CodeOf(errs[1])
		if errs[0] != nil && cb == 0 || errs[1] != nil && ca == 0 {
			return nil, fmt.Errorf("order %s: input %d: %w", rec.Order.ID, i+1, errors.Join(errs[0], errs[1]))
		}
		if (errs[0] == nil) != (errs[1] == nil) {
			r.Diverged = &Divergence{Input: i, Action: in.what(), Before: cb, After: ca}
			return r, nil
		}
		if errs[0] != nil {
			r.Refused = append(r.Refused, in.what()+": "+cb.String())
		}
	}
	for s := range 2 {
		if err := finish(engines[s], orders[s], c.end); err != nil {
			return nil, fmt.Errorf("order %s: the end: %w", rec.Order.ID, err)
		}
	}
	return r, nil
}

// what names the input: its command's action, or "advance".
func (in Input) what() string {
	if in.Command == nil {
		return "advance"
	}
	return in.Command.Action.String()
}

func apply(e *aftersale.Engine, o *aftersale.Order, in Input) error {
	if in.Advance {
		_, err := e.AdvanceTo(in.At, o)
		return err
	}
	_, err := e.ApplyAt(in.At, o, *in.Command)
	return err
}

// finish brings the order to end, or leaves it where it is if its last
// event is later (an input after the end of the period).
func finish(e *aftersale.Engine, o *aftersale.Order, end time.Time) error {
	_, err := e.AdvanceTo(end, o)
	if errors.Is(err, aftersale.ErrClockRegressed) {
		return nil
	}
	return err
}
