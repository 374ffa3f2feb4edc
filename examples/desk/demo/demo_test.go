package demo_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/demo"
)

func TestTheDemoIsTheSameForTheSameSeedAndBroughtToItsStart(t *testing.T) {
	a, start, err := demo.Orders(demo.Options{Orders: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := demo.Orders(demo.Options{Orders: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if diff := cmp.Diff(string(ja), string(jb)); diff != "" {
		t.Errorf("two demos of one seed differ:\n%s", diff)
	}
	if !start.Equal(demo.Start) {
		t.Errorf("the demo starts at %s, want %s", start, demo.Start)
	}
	states := map[aftersale.State]int{}
	for _, o := range a {
		if next, ok := o.Next(); ok && !next.Deadline.At.After(start) {
			t.Errorf("order %s has a deadline at %s, due at the demo's start: it should have fired", o.ID, next.Deadline.At)
		}
		for _, c := range o.Cases() {
			if ev, _ := c.LastEvent(); ev.At.After(start) {
				t.Errorf("case %s has an event at %s, after the demo's start", c.ID(), ev.At)
			}
			if c.Open() {
				states[c.State()]++
			}
		}
	}
	for _, s := range []aftersale.State{aftersale.StatePendingReview, aftersale.StateAwaitingReturn, aftersale.StateReturnInTransit, aftersale.StateRefunding} {
		if states[s] == 0 {
			t.Errorf("no open case in %s among %v; the desk's demo wants one of each", s, states)
		}
	}
}

func TestTitleIsTheSameForTheSameOrder(t *testing.T) {
	o := &aftersale.Order{ID: "o-0000018"}
	zh, en := demo.Title(o)
	zh2, en2 := demo.Title(&aftersale.Order{ID: "o-0000018"})
	if zh == "" || en == "" || zh != zh2 || en != en2 {
		t.Errorf("Title gives %q %q, then %q %q", zh, en, zh2, en2)
	}
}
