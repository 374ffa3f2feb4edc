package aftersale_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// abstract is a case as far as what may happen next goes: its state, its
// kind, the state a decline would go back to while negotiating, and two
// facts that change where a ruling leads: whether the goods were shipped
// back, and whether they were delivered at all.
type abstract struct {
	state     aftersale.State
	kind      aftersale.Kind
	resume    aftersale.State
	returned  bool
	delivered bool
}

func (a abstract) String() string {
	s := a.state.String() + "/" + a.kind.String()
	if a.resume != 0 {
		s += "/resume=" + a.resume.String()
	}
	if a.returned {
		s += "/returned"
	}
	if !a.delivered {
		s += "/undelivered"
	}
	return s
}

func abstractOf(o *aftersale.Order, c *aftersale.Case) abstract {
	a := abstract{state: c.State(), kind: c.Kind(), delivered: o.Delivered()}
	if a.state == aftersale.StateNegotiating {
		a.resume = c.Next().To
	}
	_, a.returned = c.ReturnShipment()
	return a
}

// node is an abstract state of case c1 with a concrete order that reached
// it, kept as JSON so each edge starts from a fresh copy.
type node struct {
	at    abstract
	order []byte
	now   time.Time // the order's last event
	path  string    // how it was reached
	depth int
}

// edge is what one action or timeout did to case c1.
type edge struct {
	from, to abstract
	timeout  bool
}

// opening is one way case c1 opens.
type opening struct {
	name  string
	rules aftersale.Rules
	setup func(f *fixture)
	req   aftersale.Command
	want  aftersale.State
}

func openings() []opening {
	approving := aftersale.Rules{Policies: []aftersale.Policy{approveAll{}}}
	fast := func(f *fixture) { f.unshipped(); f.o.Flags = aftersale.FlagFastRefund }
	unshipped := func(f *fixture) { f.unshipped() }
	undelivered := func(f *fixture) { f.undelivered() }
	return []opening{
		{"refund_only before shipment", policy.Default(), unshipped, request(refundOnly, aftersale.ReasonMistakenPurchase), aftersale.StatePendingReview},
		{"refund_only approved at once by fast refund", policy.Default(), fast, request(refundOnly, aftersale.ReasonMistakenPurchase), aftersale.StateRefunding},
		{"refund_only while the parcel is on its way", policy.Default(), undelivered, request(refundOnly, aftersale.ReasonNotReceived), aftersale.StateIntercepting},
		{"refund_only after delivery", policy.Default(), nil, request(refundOnly, aftersale.ReasonQuality), aftersale.StatePendingReview},
		{"return_refund after delivery", policy.Default(), nil, request(returnRefund, aftersale.ReasonQuality), aftersale.StatePendingReview},
		{"exchange after delivery", policy.Default(), nil, request(exchange, aftersale.ReasonQuality), aftersale.StatePendingReview},
		{"return_refund approved at once", approving, nil, request(returnRefund, aftersale.ReasonQuality), aftersale.StateAwaitingReturn},
		{"exchange approved at once", approving, nil, request(exchange, aftersale.ReasonQuality), aftersale.StateAwaitingReturn},
		{"reissue after delivery", policy.Default(), nil, request(aftersale.KindReissue, aftersale.ReasonNotReceived), aftersale.StatePendingReview},
		{"reissue approved at once", approving, nil, request(aftersale.KindReissue, aftersale.ReasonNotReceived), aftersale.StateAwaitingReship},
		{"repair after delivery", policy.Default(), nil, request(aftersale.KindRepair, aftersale.ReasonQuality), aftersale.StatePendingReview},
		{"repair approved at once", approving, nil, request(aftersale.KindRepair, aftersale.ReasonQuality), aftersale.StateAwaitingReturn},
	}
}

// importOpenings are the ways case c1 opens by import: one for each row
// of the table that imports and each kind it is for.
func importOpenings() []opening {
	var out []opening
	for _, r := range aftersale.Transitions() {
		if r.Action != aftersale.ActionImport {
			continue
		}
		for k := aftersale.Kind(1); k < aftersale.NumKinds; k++ {
			if !r.Kinds.Has(k) {
				continue
			}
			cmd := importing(k, r.To)
			var setup func(f *fixture)
			if r.To == aftersale.StateIntercepting {
				setup = func(f *fixture) { f.undelivered() }
			}
			if r.To == aftersale.StateReturnInTransit || r.To == aftersale.StateAwaitingReship && k != aftersale.KindReissue {
				cmd.Carrier, cmd.Waybill, cmd.Freight = "SF", "SF-imported", aftersale.Yuan(12)
			}
			out = append(out, opening{"imported " + k.String() + " in " + r.To.String(), policy.Default(), setup, cmd, r.To})
		}
	}
	return out
}

// exploreDepth bounds the paths explored; every abstract state is reached
// in fewer steps.
const exploreDepth = 14

// TestExploreReachableStates explores, breadth first, every abstract state
// (state, kind, resume state) case c1 can reach from each way of opening
// it, within exploreDepth steps: from each state it tries every action of
// the table by every actor, and lets the pending deadline pass. Each edge
// starts from a fresh copy of the order (decoded from the node's JSON). It
// checks that
//   - an action is accepted exactly when the table permits it to the actor
//     (a refused one changes nothing), and leads where a row says;
//   - every row of the table is taken by some edge;
//   - the invariants hold after every edge (checkInvariants, replay, JSON);
//   - no open state is a dead end: it has a deadline, a finished case can
//     be reached from it, and if nobody acts its deadlines lead to a
//     finished case or to an alert the platform sees;
//   - Order.Allowed lists exactly the actions on the case that each actor
//     can send and have accepted (allowedIsAccepted);
//   - every terminal state is reached (refunded, exchanged, and closed for
//     each of the six reasons), and is absorbing: every action on it is
//     refused, and no time changes it.
func TestExploreReachableStates(t *testing.T) {
	taken := map[aftersale.Transition]bool{}
	terminal := map[string]bool{}
	var states, edges, refusals, tried int
	for _, op := range append(openings(), importOpenings()...) {
		t.Run(op.name, func(t *testing.T) {
			f := newFixture(t, op.rules)
			if op.setup != nil {
				op.setup(f)
			}
			out := f.do(op.req)
			if got := out.Case.State(); got != op.want {
				t.Fatalf("the request opened in %s, want %s", got, op.want)
			}
			for _, r := range aftersale.Transitions() {
				if r.From == 0 && r.Action == op.req.Action && r.To == op.want && r.Kinds.Has(op.req.Kind) {
					taken[r] = true
				}
			}
			x := &explorer{t: t, e: f.e, req: op.req, taken: taken, seen: map[abstract]*node{}, graph: map[abstract][]edge{}}
			x.run(&node{at: abstractOf(f.o, out.Case), order: []byte(f.json()), now: f.now, path: op.req.Action.String()})
			x.noDeadEnds()
			for a := range x.seen {
				if a.state.Terminal() {
					terminal[a.state.String()] = true
				}
			}
			for r := range x.closed {
				terminal["closed "+r.String()] = true
			}
			t.Logf("%d abstract states, at most %d steps from the request; %d edges taken, %d actions tried, %d refused", len(x.seen), x.deepest, x.edges, x.tried, x.refused)
			if x.deepest >= exploreDepth {
				t.Errorf("states %d steps from the request were not explored: raise exploreDepth", exploreDepth)
			}
			states, edges, tried, refusals = states+len(x.seen), edges+x.edges, tried+x.tried, refusals+x.refused
		})
	}
	t.Logf("%d openings: %d abstract states, %d edges taken, %d actions tried, %d refused", len(openings())+len(importOpenings()), states, edges, tried, refusals)
	for _, r := range aftersale.Transitions() {
		if !taken[r] {
			t.Errorf("no edge took the row %s", r)
		}
	}
	want := []string{"refunded", "exchanged", "reissued", "repaired"}
	for r := aftersale.ClosedReason(1); r < aftersale.NumClosedReasons; r++ {
		want = append(want, "closed "+r.String())
	}
	for _, w := range want {
		if !terminal[w] {
			t.Errorf("no path ends %s", w)
		}
	}
}

// explorer explores the states of case c1 under one engine.
type explorer struct {
	t       *testing.T
	e       *aftersale.Engine
	req     aftersale.Command // the request that opened c1
	taken   map[aftersale.Transition]bool
	seen    map[abstract]*node
	graph   map[abstract][]edge
	closed  map[aftersale.ClosedReason]bool
	edges   int
	tried   int
	refused int
	deepest int // the depth of the deepest state
}

func (x *explorer) run(start *node) {
	x.closed = map[aftersale.ClosedReason]bool{}
	x.seen[start.at] = start
	queue := []*node{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		x.allowedIsAccepted(n)
		if n.at.state.Terminal() {
			x.absorbing(n)
			continue
		}
		for _, next := range x.expand(n) {
			if _, ok := x.seen[next.at]; ok || next.depth > exploreDepth {
				continue
			}
			x.seen[next.at] = next
			x.deepest = max(x.deepest, next.depth)
			queue = append(queue, next)
		}
	}
}

// attempt is one thing to try on a node: a command, or the deadline passing.
type attempt struct {
	cmd     aftersale.Command
	timeout bool
	ok      bool           // the table permits it
	may     aftersale.Code // a refusal the contract allows even so
}

// attempts lists what to try in n: each action the table names from the
// state, in each form it takes, by each actor; and the deadline.
func (x *explorer) attempts(n *node, o *aftersale.Order) []attempt {
	c := o.Case("c1")
	var as []attempt
	seen := map[aftersale.Action]bool{}
	for _, r := range aftersale.Transitions() {
		if r.From != n.at.state || !r.Kinds.Has(n.at.kind) || seen[r.Action] || len(actorsIn(r.By)) == 0 {
			continue
		}
		seen[r.Action] = true
		for _, cmd := range x.forms(r.Action, c, o) {
			for _, who := range allActors {
				cmd.Actor = who
				a := attempt{cmd: cmd, ok: permitted(n.at.state, r.Action, who, n.at.kind)}
				if r.Action == aftersale.ActionRequest {
					// Asking again may find the windows closed by now.
					a.may = aftersale.ErrNotEligible
				}
				as = append(as, a)
			}
		}
	}
	return append(as, attempt{timeout: true, ok: true})
}

// forms returns the commands for an action on c1, one for each way it can
// go: a ruling for the merchant, or for the buyer with the goods staying or
// (if they were delivered) coming back.
func (x *explorer) forms(a aftersale.Action, c *aftersale.Case, o *aftersale.Order) []aftersale.Command {
	switch a {
	case aftersale.ActionRequest:
		again := x.req
		if again.Action == aftersale.ActionImport {
			again = request(again.Kind, again.Reason)
		}
		again.Case = fmt.Sprintf("c%d", o.NumCases()+1)
		return []aftersale.Command{again}
	case aftersale.ActionShipped, aftersale.ActionDelivered:
		return []aftersale.Command{{Action: a}}
	}
	base, ok := wellFormed(x.t, 0, a)
	if !ok {
		x.t.Fatalf("explore: %s addresses no case", a)
	}
	if base.Amount != 0 { // a proposal: half of what the case asks
		base.Amount = max(1, c.Amount()/2)
	}
	forms := []aftersale.Command{base}
	if base.Ruling != 0 { // every way a ruling goes
		forms = append(forms, rule(aftersale.RulingForBuyer, false))
		if o.Delivered() {
			forms = append(forms, rule(aftersale.RulingForBuyer, true))
		}
	}
	return forms
}

// expand tries everything on n and returns the nodes it leads to.
func (x *explorer) expand(n *node) []*node {
	t := x.t
	t.Helper()
	var next []*node
	o := decode(t, n.order) // shared by the refusals, which must not change it
	for _, a := range x.attempts(n, o) {
		x.tried++
		from := o.Case("c1")
		before := from.Events()
		now := n.now.Add(time.Minute)
		var err error
		if a.timeout {
			now = from.Deadline().At
			_, err = x.e.AdvanceTo(now, o)
		} else {
			_, err = x.e.ApplyAt(now, o, a.cmd)
		}
		what := "the deadline passing"
		if !a.timeout {
			what = describe(a.cmd)
		}
		if err != nil {
			x.refused++
			code := aftersale.CodeOf(err)
			switch {
			case a.ok && code != a.may:
				t.Fatalf("%s: %s is permitted but was refused: %v", n.path, what, err)
			case !a.ok && code != aftersale.ErrNotPermitted:
				t.Fatalf("%s: %s is not in the table but was refused with %v, not not_permitted", n.path, what, err)
			}
			if got, _ := json.Marshal(o); string(got) != string(n.order) {
				t.Fatalf("%s: %s was refused (%v) but changed the order", n.path, what, err)
			}
			continue
		}
		if !a.ok {
			t.Fatalf("%s: %s is not in the table but was accepted", n.path, what)
		}
		c := o.Case("c1")
		x.edges++
		x.take(n, c, len(before), a.timeout)
		for _, c := range o.Cases() {
			checkReplay(t, c)
		}
		b := roundTrip(t, o)
		checkInvariants(t, o, limits{})
		m := &node{at: abstractOf(o, c), order: b, now: lastOf(o), path: n.path + " > " + what, depth: n.depth + 1}
		if _, ok := x.seen[m.at]; !ok {
			checkOrder(t, o) // the slower, cmp-based check, once per state
		}
		if c.State() == aftersale.StateClosed {
			x.closed[c.ClosedReason()] = true
		}
		x.graph[n.at] = append(x.graph[n.at], edge{from: n.at, to: m.at, timeout: a.timeout})
		next = append(next, m)
		o = decode(t, n.order)
	}
	return next
}

// take marks the rows of the table that the events of c after the first
// old took, and checks that a row allows each of them.
func (x *explorer) take(n *node, c *aftersale.Case, old int, timeout bool) {
	t := x.t
	t.Helper()
	for _, e := range c.Events()[old:] {
		if e.Action == aftersale.ActionSLABreached && (!timeout || e.From != e.To || !alerting(e.From)) {
			t.Fatalf("%s: an alert %s -> %s", n.path, e.From, e.To)
		}
		found := false
		for _, r := range aftersale.Transitions() {
			if r.From == e.From && r.Action == e.Action && r.To == e.To && r.Closed == e.Closed {
				x.taken[r] = true
				found = true
			}
		}
		if !found {
			t.Fatalf("%s: %s led from %s to %s, which no row of the table allows", n.path, e.Action, e.From, e.To)
		}
	}
}

// absorbing checks a finished case: every action on it by anyone is
// refused as not permitted and changes nothing, and so does a year passing.
func (x *explorer) absorbing(n *node) {
	t := x.t
	t.Helper()
	o := decode(t, n.order)
	before := o.Case("c1").Events()
	for a := aftersale.Action(1); a < aftersale.NumActions; a++ {
		if !a.IsCommand() || !aftersale.AddressesCase(a) {
			continue // not an action on the case
		}
		for _, cmd := range x.forms(a, o.Case("c1"), o) {
			for _, who := range allActors {
				cmd.Actor = who
				x.tried++
				_, err := x.e.ApplyAt(n.now.Add(time.Minute), o, cmd)
				if aftersale.CodeOf(err) != aftersale.ErrNotPermitted {
					t.Fatalf("%s: %s on a %s case gave %v, want not_permitted", n.path, describe(cmd), n.at.state, err)
				}
				x.refused++
				if got, _ := json.Marshal(o); string(got) != string(n.order) {
					t.Fatalf("%s: %s was refused but changed the order", n.path, describe(cmd))
				}
			}
		}
	}
	if _, err := x.e.AdvanceTo(n.now.Add(365*day), o); err != nil {
		t.Fatalf("%s: a year passing: %v", n.path, err)
	}
	if got := o.Case("c1").Events(); len(got) != len(before) {
		t.Fatalf("%s: a year passing added %s to a %s case", n.path, got[len(before)].Action, n.at.state)
	}
}

// noDeadEnds checks that from every open state a finished case can be
// reached, and that if nobody acts the deadlines lead to a finished case or
// to an alert state, which keeps alerting the platform.
func (x *explorer) noDeadEnds() {
	t := x.t
	t.Helper()
	finishes := map[abstract]bool{}
	for a := range x.seen {
		finishes[a] = a.state.Terminal()
	}
	for changed := true; changed; {
		changed = false
		for a, es := range x.graph {
			for _, e := range es {
				if finishes[e.to] && !finishes[a] {
					finishes[a], changed = true, true
				}
			}
		}
	}
	for a, n := range x.seen {
		if !finishes[a] {
			t.Errorf("dead end: no finished case can be reached from %s (reached by %s)", a, n.path)
		}
		// Nobody acts: follow the timeouts.
		cur, hops := a, []string{a.String()}
		for !cur.state.Terminal() && !alerting(cur.state) && len(hops) <= len(x.seen) {
			next, ok := abstract{}, false
			for _, e := range x.graph[cur] {
				if e.timeout {
					next, ok = e.to, true
				}
			}
			if !ok {
				t.Errorf("from %s, nobody acting, %s has no deadline that moves it: %s", a, cur, strings.Join(hops, " > "))
				break
			}
			cur = next
			hops = append(hops, cur.String())
		}
		if !cur.state.Terminal() && !alerting(cur.state) {
			t.Errorf("from %s, nobody acting, the deadlines go round: %s", a, strings.Join(hops, " > "))
		}
	}
}

// allowedIsAccepted checks Order.Allowed in n against the engine: for
// every actor and every action on a case, some command of the action (in
// each form it takes, with the arguments its move says it needs) is
// accepted exactly when Allowed lists it, and a listed move's details are
// those of the case: its deadline, the amounts it may name.
func (x *explorer) allowedIsAccepted(n *node) {
	t := x.t
	t.Helper()
	o := decode(t, n.order)
	c := o.Case("c1")
	for _, who := range allActors {
		moves := map[aftersale.Action]aftersale.Move{}
		for _, m := range o.Allowed("c1", who) {
			if _, twice := moves[m.Action]; twice {
				t.Fatalf("%s: Allowed lists %s twice for the %s", n.path, m.Action, who)
			}
			moves[m.Action] = m
		}
		for a := aftersale.Action(1); a < aftersale.NumActions; a++ {
			if !a.IsCommand() || !aftersale.AddressesCase(a) {
				continue // not an action on the case
			}
			m, listed := moves[a]
			accepted := false
			for _, cmd := range x.forms(a, c, o) {
				cmd.Actor = who
				if listed && !sameArgs(m, cmd) {
					t.Fatalf("%s: %s by the %s: the move needs %v and may carry %v, but a well-formed command carries %s",
						n.path, a, who, m.Needs, m.May, describe(cmd))
				}
				_, err := x.e.ApplyAt(n.now.Add(time.Minute), decode(t, n.order), cmd)
				accepted = accepted || err == nil
			}
			if accepted != listed {
				t.Fatalf("%s: %s by the %s is accepted: %v; listed by Allowed: %v", n.path, a, who, accepted, listed)
			}
			if !listed {
				continue
			}
			if m.Deadline != c.Deadline() {
				t.Errorf("%s: the move %s is open until %v, but the case's deadline is %v", n.path, a, m.Deadline, c.Deadline())
			}
			want := aftersale.Money(0)
			switch a {
			case aftersale.ActionPropose:
				want = c.Amount() - 1
			case aftersale.ActionRule:
				want = o.Refundable() + c.Amount()
			}
			if m.MaxAmount != want {
				t.Errorf("%s: the move %s names at most %s, want %s", n.path, a, m.MaxAmount, want)
			}
		}
	}
}

// sameArgs reports whether cmd carries every argument the move needs and
// none it may not carry.
func sameArgs(m aftersale.Move, cmd aftersale.Command) bool {
	have := carried(cmd)
	for _, n := range m.Needs {
		if !have[n] {
			return false
		}
		delete(have, n)
	}
	for _, n := range m.May {
		delete(have, n)
	}
	return len(have) == 0
}

// carried returns the names of the arguments cmd carries, as Move names
// them: all but the case, the actor and the action.
func carried(cmd aftersale.Command) map[string]bool {
	have := map[string]bool{}
	for name, set := range map[string]bool{
		"kind": cmd.Kind != 0, "reason": cmd.Reason != 0, "amount": cmd.Amount != 0, "lines": len(cmd.Lines) > 0,
		"carrier": cmd.Carrier != "", "waybill": cmd.Waybill != "", "freight": cmd.Freight != 0, "ruling": cmd.Ruling != 0,
		"return_goods": cmd.ReturnGoods, "note": cmd.Note != "", "version": cmd.Version != 0,
	} {
		if set {
			have[name] = true
		}
	}
	return have
}
