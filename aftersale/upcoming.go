package aftersale

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// Upcoming is what happens next to one open case of an order if nobody
// acts.
type Upcoming struct {
	Order string `json:"order"`
	Case  string `json:"case"`
	Next
}

// nextJSON is Next without its methods, for its JSON form.
type nextJSON Next

// MarshalJSON writes Next as its fields (those not zero) and what Zh and
// En say: {"waiting":"merchant","deadline":{"at":...},"action":"approve",
// "to":"refunding","zh":"等待商家处理；…","en":"waiting for the merchant; …"}.
func (n Next) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		nextJSON
		Zh string `json:"zh"`
		En string `json:"en"`
	}{nextJSON(n), n.Zh(), n.En()})
}

// MarshalJSON writes the order's and the case's IDs and then Next's JSON
// form, so lists of many orders merge into one.
func (u Upcoming) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Order string `json:"order"`
		Case  string `json:"case"`
		nextJSON
		Zh string `json:"zh"`
		En string `json:"en"`
	}{u.Order, u.Case, nextJSON(u.Next), u.Zh(), u.En()})
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
// time.Hour)) is what falls due in the next day; a host merges the lists
// of its orders, each entry naming its order, by Deadline.At.
func (o *Order) Upcoming(until time.Time) []Upcoming {
	var out []Upcoming
	for _, c := range o.cases {
		if due := c.pending(); due != 0 && due <= momentOf(until) {
			out = append(out, Upcoming{Order: o.ID, Case: c.id, Next: c.Next()})
		}
	}
	slices.SortStableFunc(out, func(a, b Upcoming) int { return cmp.Compare(momentOf(a.Deadline.At), momentOf(b.Deadline.At)) })
	return out
}
