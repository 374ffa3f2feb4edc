package aftersale

import (
	"cmp"
	"slices"
	"time"
)

// Upcoming is what happens next to one open case of an order if nobody
// acts.
type Upcoming struct {
	Case string `json:"case"`
	Next
}

// Next returns the order's earliest pending deadline, with the open case
// it belongs to and what happens then; false if no case is open. A host
// wakes up for the order then (Engine.AdvanceTo), and a sweep over many
// orders keeps Next().Deadline.At beside each as the time to look again,
// so it never walks the cases itself.
func (o *Order) Next() (Upcoming, bool) {
	soon := o.Upcoming(lastMoment)
	if len(soon) == 0 {
		return Upcoming{}, false
	}
	return soon[0], true
}

// Upcoming returns what happens next to each open case whose deadline is at
// or before until, earliest first; of deadlines at the same time, the
// older case's first, the order in which they fire. Upcoming(now.Add(24 *
// time.Hour)) is what falls due in the next day.
func (o *Order) Upcoming(until time.Time) []Upcoming {
	var out []Upcoming
	for _, c := range o.cases {
		if due := c.pending(); due != 0 && due <= momentOf(until) {
			out = append(out, Upcoming{Case: c.id, Next: c.Next()})
		}
	}
	slices.SortStableFunc(out, func(a, b Upcoming) int { return cmp.Compare(momentOf(a.Deadline.At), momentOf(b.Deadline.At)) })
	return out
}
