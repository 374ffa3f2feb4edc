package aftersale_test

// The checks the invariant tests share (TestInvariants, FuzzCommands, the
// JSON fuzz targets, TestExploreReachableStates, TestBadInputChangesNothing
// and TestEngineIsSafeForConcurrentUse): what must hold of any order at
// rest, replay and JSON round trips that are fast enough to run after every
// step, and snapshots that show a refused input changed nothing.

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// limits are bounds a rule set keeps on top of the invariants every rule
// set keeps; zero: none.
type limits struct {
	maxCases        int             // resubmission
	maxCompensation aftersale.Money // freight_subsidy's cap per order
}

// alerting reports whether the deadline of s is a service-level alert.
func alerting(s aftersale.State) bool {
	return s == aftersale.StateRefunding || s == aftersale.StateArbitration || s == aftersale.StateRefundFailed
}

// permitted reports whether the table lets who send a in state s for a
// case of kind k.
func permitted(s aftersale.State, a aftersale.Action, who aftersale.Actor, k aftersale.Kind) bool {
	for _, r := range aftersale.Transitions() {
		if r.From == s && r.Action == a && r.By.Has(who) && r.Kinds.Has(k) {
			return true
		}
	}
	return false
}

// allActors are the four actors, in order.
var allActors = []aftersale.Actor{buyer, merchant, platform, system}

// shareGoods reports whether two cases cover a line in common; a case
// without lines covers every line.
func shareGoods(a, b []aftersale.Units) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, u := range a {
		for _, v := range b {
			if u.Line == v.Line {
				return true
			}
		}
	}
	return false
}

// checkCase checks what must hold of any case at rest: a deadline exactly
// while it is open (an alert in the states that wait for money or a
// ruling), the same in Next and in the last event, a closed reason exactly
// when closed, and money only when refunded, once.
func checkCase(t testing.TB, c *aftersale.Case) {
	t.Helper()
	s, d := c.State(), c.Deadline()
	if c.Open() == d.At.IsZero() {
		t.Fatalf("case %s in %s has deadline %v: an open case has one, a finished one none", c.ID(), s, d.At)
	}
	if d.Alert != (c.Open() && alerting(s)) {
		t.Fatalf("case %s in %s: deadline alert %v", c.ID(), s, d.Alert)
	}
	if last, _ := c.LastEvent(); !last.Due.Equal(d.At) {
		t.Fatalf("case %s: its last event left deadline %v, the case says %v", c.ID(), last.Due, d.At)
	}
	if n := c.Next(); !c.Open() && n != (aftersale.Next{}) || c.Open() && (n.Deadline != d || n.Waiting != s.Waiting() || n.Waiting == 0) {
		t.Fatalf("case %s in %s: Next() = %+v, deadline %+v", c.ID(), s, n, d)
	}
	if (s == aftersale.StateClosed) != (c.ClosedReason() != 0) {
		t.Fatalf("case %s in %s has closed reason %q", c.ID(), s, c.ClosedReason())
	}
	if c.Amount() <= 0 {
		t.Fatalf("case %s asks for %s", c.ID(), c.Amount())
	}
	refunds := 0
	var paid aftersale.Money
	var paidWith []aftersale.Compensation
	for _, e := range c.All() {
		if e.Action == aftersale.ActionRefundSucceeded {
			refunds++
			paid += e.Amount
			paidWith = e.Compensation
		}
	}
	refunding := s == aftersale.StateRefunding || s == aftersale.StateRefundFailed
	switch {
	case s == aftersale.StateRefunded:
		if refunds != 1 || c.Refunded() != c.Amount() || paid != c.Refunded() || !slices.Equal(paidWith, c.Compensation()) {
			t.Fatalf("refunded case %s: %d refunds of %s with %+v in its log, Refunded() %s, Amount() %s, Compensation() %+v",
				c.ID(), refunds, paid, paidWith, c.Refunded(), c.Amount(), c.Compensation())
		}
	case refunds != 0 || c.Refunded() != 0 || !refunding && c.Kind() != aftersale.KindExchange && c.Kind() != aftersale.KindRepair && len(c.Compensation()) != 0:
		t.Fatalf("case %s in %s: %d refunds in its log, Refunded() %s, compensation %+v", c.ID(), s, refunds, c.Refunded(), c.Compensation())
	}
}

// checkInvariants checks what must hold of any order at rest: each case
// (checkCase), refunds never above what was paid, Left() what was paid less
// refunds and what open cases ask for, no two open cases on one line, no
// line refunded or asked for beyond its units, and the rule set's limits.
func checkInvariants(t testing.TB, o *aftersale.Order, lim limits) {
	t.Helper()
	var refunded, reserved aftersale.Money
	units := map[string]int{}
	cases := o.Cases()
	for i, c := range cases {
		checkCase(t, c)
		refunded += c.Refunded()
		if c.Open() {
			reserved += c.Amount()
			for _, d := range cases[:i] {
				if d.Open() && shareGoods(c.Lines(), d.Lines()) {
					t.Fatalf("cases %s (%s) and %s (%s) are both open on the same goods", d.ID(), d.State(), c.ID(), c.State())
				}
			}
		}
		if c.Open() || c.State() == aftersale.StateRefunded {
			for _, u := range c.Lines() {
				units[u.Line] += u.Quantity
			}
		}
	}
	if refunded != o.Refunded() || o.Refunded() > o.Amount {
		t.Fatalf("order %s: refunded %s (cases add up to %s) of %s paid", o.ID, o.Refunded(), refunded, o.Amount)
	}
	if left := o.Amount - refunded - reserved; o.Refundable() != left || left < 0 {
		t.Fatalf("order %s: Left() = %s; paid %s, refunded %s, open cases ask %s", o.ID, o.Refundable(), o.Amount, refunded, reserved)
	}
	for _, l := range o.Lines {
		if units[l.ID] > l.Quantity {
			t.Fatalf("order %s: cases cover %d units of line %s, which has %d", o.ID, units[l.ID], l.ID, l.Quantity)
		}
		delete(units, l.ID)
	}
	if len(units) > 0 {
		t.Fatalf("order %s: cases cover lines it does not have: %v", o.ID, units)
	}
	if lim.maxCases > 0 {
		checkCasesPerLine(t, o, cases, lim.maxCases)
	}
	if by := o.Compensated(aftersale.PayerInsurance); lim.maxCompensation > 0 && by > lim.maxCompensation {
		t.Fatalf("order %s was compensated %s by the freight insurance; its cap is %s", o.ID, by, lim.maxCompensation)
	}
}

// checkCasesPerLine checks resubmission's limit (RULES.md 5.8): at most
// most cases requested on any one line, a case without lines counting for
// every line; an order without lines is one line, so its cases count
// together. Imported cases are the platform's doing (RULES.md 3.29): they
// count against later requests, but no limit stopped them.
func checkCasesPerLine(t testing.TB, o *aftersale.Order, all []*aftersale.Case, most int) {
	t.Helper()
	var cases []*aftersale.Case
	for _, c := range all {
		if c.Events()[0].Action == aftersale.ActionRequest {
			cases = append(cases, c)
		}
	}
	if len(o.Lines) == 0 {
		if len(cases) > most {
			t.Fatalf("order %s has %d cases; the rules allow %d", o.ID, len(cases), most)
		}
		return
	}
	for _, l := range o.Lines {
		n := 0
		for _, c := range cases {
			if shareGoods(c.Lines(), []aftersale.Units{{Line: l.ID, Quantity: 1}}) {
				n++
			}
		}
		if n > most {
			t.Fatalf("order %s has %d cases on line %s; the rules allow %d per line", o.ID, n, l.ID, most)
		}
	}
}

// lastOf returns the time of the order's latest event or fact.
func lastOf(o *aftersale.Order) time.Time {
	last := o.PaidAt
	for _, t := range []time.Time{o.ShippedAt, o.DeliveredAt} {
		if t.After(last) {
			last = t
		}
	}
	for _, c := range o.Cases() {
		if e, ok := c.LastEvent(); ok && e.At.After(last) {
			last = e.At
		}
	}
	return last
}

// snapshot is what a step is checked against: the order before it, as
// JSON and as copies of its values: the Order and Case structs, unexported
// fields included, and what their slices held.
type snapshot struct {
	json    []byte
	order   aftersale.Order
	lines   []aftersale.Line
	version int
	last    time.Time // the order's latest event or fact
	facts   int       // shipped and delivered facts recorded
	cases   []caseSnapshot
}

type caseSnapshot struct {
	c      *aftersale.Case
	value  aftersale.Case
	lines  []aftersale.Units
	events []aftersale.Event
}

// differs names what of the order differs from the snapshot, or returns "".
// It compares the copied structs with reflect.DeepEqual, which is exact
// (even time.Time's location pointers must match) and a hundred times faster
// than cmp; the callers show a difference with cmp.
func (s *snapshot) differs(o *aftersale.Order) string {
	cases := o.Cases()
	if o.Version() != s.version || !reflect.DeepEqual(s.order, *o) || !slices.Equal(s.lines, o.Lines) || len(cases) != len(s.cases) {
		return "the order"
	}
	for i, c := range cases {
		p := &s.cases[i]
		if c != p.c || !reflect.DeepEqual(p.value, *c) || !slices.Equal(p.lines, c.Lines()) || !sameEvents(p.events, c.Events()) {
			return "case " + p.value.ID()
		}
	}
	return ""
}

// checkReplay checks that the case's record replays to the case itself.
// Like checkOrder it compares with cmp, but only when the much faster
// reflect.DeepEqual finds a difference.
func checkReplay(t testing.TB, c *aftersale.Case) {
	t.Helper()
	r, err := aftersale.Replay(c.Record())
	if err != nil {
		t.Fatalf("replaying case %s: %v", c.ID(), err)
	}
	if !aftersale.SameCase(r, c) {
		if diff := cmp.Diff(c, r, deep); diff != "" {
			t.Fatalf("case %s replayed differently (-live +replayed):\n%s", c.ID(), diff)
		}
	}
}

// roundTrip checks that the order's JSON decodes to an order that encodes
// to the same bytes, and returns them. With checkReplay of every case, that
// is checkOrder's round trip at a fraction of the cost: what JSON does not
// carry (a negotiation's resume state, say) the decoder rebuilds by replay,
// which checkReplay has shown gives the live case.
func roundTrip(t testing.TB, o *aftersale.Order) []byte {
	t.Helper()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("encoding the order: %v", err)
	}
	var back aftersale.Order
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decoding the order's own JSON: %v\n%s", err, b)
	}
	again, err := json.Marshal(&back)
	if err != nil || string(again) != string(b) {
		t.Fatalf("the order changed in a JSON round trip (%v) (-before +after):\n%s", err, cmp.Diff(o, &back, deep))
	}
	return b
}

// factsOf counts the order facts recorded: shipped, delivered.
func factsOf(o *aftersale.Order) int {
	n := 0
	if o.Shipped() {
		n++
	}
	if o.Delivered() {
		n++
	}
	return n
}

// snapshotOf copies what the order holds; b is its JSON.
func snapshotOf(o *aftersale.Order, b []byte) snapshot {
	s := snapshot{json: b, order: *o, lines: slices.Clone(o.Lines), version: o.Version(), last: lastOf(o), facts: factsOf(o)}
	for _, c := range o.Cases() {
		s.cases = append(s.cases, caseSnapshot{c: c, value: *c, lines: c.Lines(), events: c.Events()})
	}
	return s
}

// decode decodes an order, failing the test if it does not.
func decode(t testing.TB, b []byte) *aftersale.Order {
	t.Helper()
	var o aftersale.Order
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatalf("decoding an order: %v\n%s", err, b)
	}
	return &o
}

// sameEvents reports whether two lists hold equal events; an Event holds
// a slice, so it is compared with reflect.DeepEqual.
func sameEvents(a, b []aftersale.Event) bool {
	return slices.EqualFunc(a, b, func(x, y aftersale.Event) bool { return reflect.DeepEqual(x, y) })
}
