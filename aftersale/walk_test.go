package aftersale_test

// This file holds the walk of TestInvariants and FuzzCommands: the chooser
// that makes its choices, random orders and commands, the steps that apply
// them, and what each step checks besides check_test.go's invariants.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// chooser makes the choices of a walk: from a seeded random source in
// TestInvariants, from the fuzzer's bytes in FuzzCommands.
type chooser interface {
	// intn returns a choice in [0, n); n > 0.
	intn(n int) int
	// done reports whether the choices ran out.
	done() bool
}

// width is how many bytes spell a choice among n.
func width(n int) int {
	w := 1
	for m := 256; m < n; m <<= 8 {
		w++
	}
	return w
}

// randChooser chooses at random. With record set it also writes each
// choice as the bytes a byteChooser reads back as the same choice, which is
// how FuzzCommands' seeds are made from random walks.
type randChooser struct {
	r      *rand.Rand
	record bool
	bytes  []byte
}

func newRandChooser(seed uint64, walk int) *randChooser {
	return &randChooser{r: rand.New(rand.NewPCG(seed, uint64(walk)))}
}

func (c *randChooser) intn(n int) int {
	v := c.r.IntN(n)
	if c.record {
		for i := width(n) - 1; i >= 0; i-- {
			c.bytes = append(c.bytes, byte(v>>(8*i)))
		}
	}
	return v
}

func (c *randChooser) done() bool { return false }

// byteChooser reads its choices from a fuzzer's input, big-endian, width(n)
// bytes a choice; missing bytes read as zero.
type byteChooser struct{ b []byte }

func (c *byteChooser) intn(n int) int {
	v := 0
	for range width(n) {
		v <<= 8
		if len(c.b) > 0 {
			v |= int(c.b[0])
			c.b = c.b[1:]
		}
	}
	return v % n
}

func (c *byteChooser) done() bool { return len(c.b) == 0 }

func chance(ch chooser, percent int) bool { return ch.intn(100) < percent }

func pick[T any](ch chooser, xs ...T) T { return xs[ch.intn(len(xs))] }

// walkStart is the earliest payment of a random order: Monday 2026-03-02.
var walkStart = time.Date(2026, 3, 2, 10, 0, 0, 0, zone)

// randomOrder returns a valid order: any amount from one fen up, around the
// 300.00 of fast refund too; lines or none; any category, flags and tags;
// unshipped, shipped or delivered.
func randomOrder(ch chooser, id string) *aftersale.Order {
	o := &aftersale.Order{
		ID:       id,
		Buyer:    pick(ch, "b-0", "b-1", "b-2", ""),
		PaidAt:   walkStart.Add(time.Duration(ch.intn(14*24*60)) * time.Minute),
		Category: aftersale.Category(ch.intn(6)),
		Flags:    aftersale.Flags(ch.intn(8)),
		Tags:     aftersale.Tags(ch.intn(2)),
	}
	switch ch.intn(4) {
	case 0:
		o.Amount = pick[aftersale.Money](ch, 1, 29999, 30000, 30001)
	case 1:
		o.Amount = aftersale.Money(1 + ch.intn(30000))
	default:
		o.Amount = aftersale.Money(1 + ch.intn(1_000_000))
	}
	if chance(ch, 50) {
		n := 1 + ch.intn(3)
		left := o.Amount
		for i := range n {
			paid := left
			if i < n-1 {
				paid = aftersale.Money(ch.intn(int(left) + 1))
			}
			left -= paid
			o.Lines = append(o.Lines, aftersale.Line{ID: "l" + strconv.Itoa(i+1), SKU: "sku-" + strconv.Itoa(i+1), Quantity: 1 + ch.intn(4), Paid: paid})
		}
	}
	if chance(ch, 75) {
		o.ShippedAt = o.PaidAt.Add(time.Duration(ch.intn(72*60)) * time.Minute)
		if chance(ch, 70) {
			o.DeliveredAt = o.ShippedAt.Add(time.Duration(60+ch.intn(5*24*60)) * time.Minute)
		}
	}
	return o
}

// walkRules are the rule sets the walks run under.
type walkRules struct {
	name   string
	rules  aftersale.Rules
	limits limits
}

// recentRefunds is a refund history in which buyer b-0 was refunded six
// times in the days before the walks start, so abuse_guard vetoes fast
// refunds for them.
func recentRefunds() policy.RefundTimes {
	var ts []time.Time
	for d := range 6 {
		ts = append(ts, walkStart.AddDate(0, 0, -d-1))
	}
	return policy.RefundTimes{"b-0": ts}
}

func allWalkRules() []walkRules {
	def := limits{maxCases: 3, maxCompensation: aftersale.Yuan(20)}
	return []walkRules{
		{"default", policy.Default(), def},
		{"default_with_refund_history", policy.Default().Replace(&policy.AbuseGuard{History: recentRefunds()}), def},
		{"no_policies", aftersale.Rules{}, limits{}},
	}
}

// walk drives one random order through an engine, one step at a time, and
// checks the invariants after each step.
type walk struct {
	t      testing.TB
	e      *aftersale.Engine
	o      *aftersale.Order
	ch     chooser
	limits limits
	stats  *walkStats // nil: not counted
	now    time.Time  // the walk's clock; a step may send a time before it
	prev   snapshot   // the order as the last step left it
	keys   []sentKey  // the keyed commands applied, for repeats
	nkeys  int
	start  []byte // the order's JSON before the first step
	trace  []traced
	about  string // how to run this walk again
	told   bool   // the story was told
	// light, while fuzzing, checks the JSON round trip once at the end of
	// the walk rather than after every step, and a refusal against the
	// snapshot's fields, not its JSON too. An input that fails is run
	// again as a plain test, with every check, and its diffs.
	light bool
	// twin, if set, is the same order kept apart and now and then reloaded
	// from its JSON: every call the walk makes on the order it makes on the
	// twin too, which must answer alike and end up with the same bytes.
	twin *aftersale.Order
}

// sentKey is a command with an idempotency key that was applied.
type sentKey struct {
	cmd   aftersale.Command
	event aftersale.Event // zero for an order fact
	cas   string          // the case it went to; empty for an order fact
}

// traced is one step, kept to tell the story of a failing walk.
type traced struct {
	at     time.Time
	cmd    *aftersale.Command // nil for AdvanceTo
	result string
}

// generated is a command a walk sends and, if it was made malformed on
// purpose, the code it must be refused with.
type generated struct {
	cmd  aftersale.Command
	want aftersale.Code
}

func newWalk(t testing.TB, e *aftersale.Engine, ch chooser, lim limits, stats *walkStats, id string) *walk {
	t.Helper()
	w := &walk{t: t, e: e, o: randomOrder(ch, id), ch: ch, limits: lim, stats: stats}
	w.now = lastOf(w.o)
	if w.o.Shipped() {
		w.now = w.now.Add(time.Duration(ch.intn(pick(ch, 24, 7*24, 20*24))) * time.Hour) // inside or past the windows after delivery
	} else {
		w.now = w.now.Add(time.Duration(ch.intn(8*60)) * time.Minute) // around fast refund's six hours
	}
	w.light = fuzzing()
	if w.light {
		w.take(nil)
		w.start = encodeOrFail(w, w.o)
	} else {
		w.take(roundTrip(t, w.o))
		w.start = w.prev.json
	}
	return w
}

// run takes up to n steps, fewer if the choices run out.
func (w *walk) run(n int) {
	w.t.Helper()
	if w.stats != nil {
		w.stats.walks++
	}
	for i := 0; i < n && !w.ch.done(); i++ {
		w.step()
	}
	if w.light { // checkOrder's checks, at a fraction of the cost (see roundTrip)
		roundTrip(w.t, w.o)
		for _, c := range w.o.Cases() {
			checkReplay(w.t, c)
		}
	} else {
		checkOrder(w.t, w.o)
	}
	if w.stats != nil {
		w.stats.count(w.o)
	}
}

// step is one random step: time passes, a command, a late command, a
// repeat, a key used again, or time sent backwards.
func (w *walk) step() {
	w.t.Helper()
	switch n := w.ch.intn(100); {
	case n < 12:
		w.now = w.now.Add(w.jump())
		w.advance(w.now)
	case n < 15:
		w.advance(w.prev.last.Add(-w.back()))
	case n < 22 && len(w.keys) > 0:
		w.repeat()
	case n < 25 && len(w.keys) > 0:
		w.reuseKey()
	case n < 30:
		w.apply(w.prev.last.Add(-w.back()), w.command())
	default:
		w.now = w.now.Add(w.jump())
		w.apply(w.now, w.command())
	}
}

// jump is how far the walk's clock moves: not at all, seconds, hours, days,
// weeks, or just before, at or after the next deadline.
func (w *walk) jump() time.Duration {
	switch w.ch.intn(12) {
	case 0, 1, 2:
		return 0
	case 3, 4:
		return time.Duration(1+w.ch.intn(59)) * time.Second
	case 5, 6:
		return time.Duration(1+w.ch.intn(600)) * time.Minute
	case 7, 8:
		return time.Duration(1+w.ch.intn(120)) * time.Hour
	case 9:
		return time.Duration(1+w.ch.intn(21*24)) * time.Hour
	}
	var next time.Time
	for _, c := range w.o.Cases() {
		if d := c.Deadline().At; !d.IsZero() && (next.IsZero() || d.Before(next)) {
			next = d
		}
	}
	if next.IsZero() {
		return 0
	}
	return max(0, next.Sub(w.now)+pick[time.Duration](w.ch, -1, 0, 1))
}

// back is how far before the order's last event a late step is stamped;
// the longest go back before the payment.
func (w *walk) back() time.Duration {
	return pick(w.ch, time.Nanosecond, time.Second, time.Hour, 25*time.Hour, 40*24*time.Hour)
}

// command makes a well-formed command, most often one the table permits
// in the state of a case, and now and then breaks it on purpose.
func (w *walk) command() generated {
	o, ch := w.o, w.ch
	cases := o.Cases()
	var cmd aftersale.Command
	var c *aftersale.Case
	open := 0
	for _, c := range cases {
		if c.Open() {
			open++
		}
	}
	onCase := 0 // how likely the command goes to a case: to an open one mostly
	switch {
	case open > 0:
		onCase = 65
	case len(cases) > 0:
		onCase = 15
	}
	switch n := ch.intn(100); {
	case n < onCase:
		c = w.someCase(cases)
		cmd.Case = c.ID()
		// Half the time only rows that keep the case going, so walks get
		// deep: exchanges reshipped, refunds retried.
		onward := chance(ch, 50)
		var rows []aftersale.Transition
		for _, r := range aftersale.Transitions() {
			if r.From == c.State() && r.Kinds.Has(c.Kind()) && !(onward && (r.To == aftersale.StateClosed || r.To == aftersale.StateRejected)) {
				rows = append(rows, r)
			}
		}
		if len(rows) > 0 && chance(ch, 90) {
			r := pick(ch, rows...)
			cmd.Action, cmd.Actor = r.Action, pick(ch, allActors...)
			if by := actorsIn(r.By); len(by) > 0 && chance(ch, 90) {
				cmd.Actor = pick(ch, by...)
			}
		} else {
			cmd.Action = aftersale.Action(1 + ch.intn(int(aftersale.NumActions)-1))
			cmd.Actor = pick(ch, allActors...)
		}
	case n < 92:
		cmd.Action, cmd.Actor = aftersale.ActionRequest, buyer
		if chance(ch, 15) {
			cmd.Action, cmd.Actor = aftersale.ActionImport, system
		}
		if chance(ch, 10) {
			cmd.Actor = pick(ch, allActors...)
		}
	case n < 96:
		cmd.Action = pick(ch, aftersale.ActionShipped, aftersale.ActionDelivered)
		cmd.Actor = system
		if chance(ch, 15) {
			cmd.Actor = pick(ch, allActors...)
		}
	default:
		// Anything well-formed: any action a command may carry, by anyone,
		// to any case or to one that does not exist.
		cmd.Action = aftersale.Action(1 + ch.intn(int(aftersale.ActionDelivered)))
		cmd.Actor = pick(ch, allActors...)
		cmd.Case = "nope"
		if len(cases) > 0 && chance(ch, 70) {
			c = pick(ch, cases...)
			cmd.Case = c.ID()
		}
	}
	w.arguments(&cmd, c)
	g := generated{cmd: cmd}
	if cmd.Action.IsCommand() && chance(ch, 8) {
		g.want = w.malform(&g.cmd)
	}
	return g
}

// someCase picks a case, an open one if there is one most of the time.
func (w *walk) someCase(cases []*aftersale.Case) *aftersale.Case {
	var open []*aftersale.Case
	for _, c := range cases {
		if c.Open() {
			open = append(open, c)
		}
	}
	if len(open) > 0 && chance(w.ch, 95) {
		return pick(w.ch, open...)
	}
	return pick(w.ch, cases...)
}

func actorsIn(s aftersale.Actors) []aftersale.Actor {
	var as []aftersale.Actor
	for _, a := range allActors {
		if s.Has(a) {
			as = append(as, a)
		}
	}
	return as
}

// arguments gives cmd the arguments its action takes, with plausible
// values: some fine, some too large or too small for the case (which the
// engine must refuse), none malformed. c is the case cmd addresses, if any.
func (w *walk) arguments(cmd *aftersale.Command, c *aftersale.Case) {
	o, ch := w.o, w.ch
	asked := aftersale.Yuan(100)
	if c != nil {
		asked = c.Amount()
	}
	if cmd.Action == aftersale.ActionRequest || cmd.Action == aftersale.ActionImport {
		w.request(cmd, c)
	}
	if cmd.Action == aftersale.ActionImport {
		w.imported(cmd)
	}
	// The arguments the action takes, as the engine's own rule says.
	need, may := aftersale.ArgRule(cmd.Action)
	if !slices.Contains(need, "case") && cmd.Action != aftersale.ActionRequest && cmd.Action != aftersale.ActionImport {
		cmd.Case = "" // an order fact addresses no case
	}
	for _, arg := range append(need, may...) {
		needed := slices.Contains(need, arg)
		switch arg {
		case "kind", "reason", "lines", "case", "version", "state", "due", "record":
			// request and imported gave those of a request and an import;
			// the case is chosen, the version below.
		case "note":
			if needed {
				cmd.Note = pick(ch, "used", "买家同意线下维修", "photos 1-3", strings.Repeat("理由", 200))
			} else if chance(ch, 10) {
				cmd.Note = "note"
			}
		case "amount":
			switch {
			case cmd.Action == aftersale.ActionRequest, cmd.Action == aftersale.ActionImport:
			case needed:
				cmd.Amount = max(1, pick(ch, 1, asked-1, asked/2, asked, asked+1))
			case cmd.Ruling == aftersale.RulingForBuyer:
				room := o.Refundable() + asked // what is left, the case's own ask included
				cmd.Amount = pick(ch, 0, 0, 1, asked, room, room+1)
			}
		case "carrier":
			cmd.Carrier = pick(ch, "SF", "YTO", "顺丰", "ZTO")
		case "waybill":
			cmd.Waybill = "WB" + strconv.Itoa(ch.intn(1000))
		case "freight":
			cmd.Freight = pick[aftersale.Money](ch, 0, 800, aftersale.Yuan(12), aftersale.Yuan(25))
		case "ruling":
			cmd.Ruling = pick(ch, aftersale.RulingForBuyer, aftersale.RulingForMerchant)
		case "return_goods":
			cmd.ReturnGoods = cmd.Ruling == aftersale.RulingForBuyer && chance(ch, 30)
		default:
			panic("walk: no value for the argument " + arg + " of " + cmd.Action.String() + ": add one to arguments")
		}
	}
	if c != nil && cmd.Case == c.ID() && aftersale.AddressesCase(cmd.Action) {
		switch ch.intn(20) {
		case 0, 1, 2:
			cmd.Version = c.Version()
		case 3:
			cmd.Version = c.Version() + pick(ch, -1, 1) // stale, or from the future
		}
	}
	if chance(ch, 35) {
		w.nkeys++
		cmd.Key = "k-" + strconv.Itoa(w.nkeys)
	}
}

// request gives a request its arguments: a new case, sometimes on the
// goods of case like (to supersede it), sometimes with an ID that is taken
// or none; lines or none; an amount or the default.
func (w *walk) request(cmd *aftersale.Command, like *aftersale.Case) {
	o, ch := w.o, w.ch
	cmd.Kind = aftersale.Kind(1 + ch.intn(int(aftersale.NumKinds)-1))
	if !o.Delivered() && chance(ch, 70) {
		cmd.Kind = refundOnly // goods go back only once delivered
	}
	cmd.Reason = aftersale.Reason(1 + ch.intn(int(aftersale.NumReasons)-1))
	cmd.Case = "c" + strconv.Itoa(o.NumCases()+1)
	switch ch.intn(20) {
	case 0:
		if o.NumCases() > 0 {
			cmd.Case = o.Cases()[0].ID()
		}
	case 1:
		cmd.Case = "" // the engine names it
	}
	switch {
	case like != nil:
		cmd.Lines = like.Lines()
	case len(o.Lines) > 0 && chance(ch, 60):
		for _, l := range o.Lines {
			if chance(ch, 50) {
				cmd.Lines = append(cmd.Lines, aftersale.Units{Line: l.ID, Quantity: 1 + ch.intn(l.Quantity+1)})
			}
		}
		if chance(ch, 5) {
			cmd.Lines = append(cmd.Lines, aftersale.Units{Line: "l9", Quantity: 1})
		}
	}
	if chance(ch, 40) {
		cmd.Amount = max(0, pick(ch, 1, o.Refundable(), o.Refundable()+1, aftersale.Money(1+ch.intn(int(o.Amount)))))
	}
}

// imported gives an import what it takes beside a request's arguments:
// the state the platform's record stands in (sometimes one no case can
// be imported into), the record, sometimes the platform's own deadline
// (sometimes one already passed) and a return parcel.
func (w *walk) imported(cmd *aftersale.Command) {
	ch := w.ch
	cmd.State = aftersale.State(1 + ch.intn(int(aftersale.NumStates)-1))
	cmd.Record = []byte(`{"status":` + strconv.Itoa(ch.intn(100)) + `,"note":"<导入>"}`)
	if chance(ch, 30) {
		cmd.Due = w.prev.last.Add(time.Duration(ch.intn(20*24)-24) * time.Hour)
	}
	if chance(ch, 40) {
		cmd.Carrier, cmd.Waybill = "SF", "WB"+strconv.Itoa(ch.intn(1000))
		if chance(ch, 50) {
			cmd.Freight = aftersale.Yuan(12)
		}
	}
}

// malform breaks a well-formed command in one way that no state can
// excuse, and returns the code it must be refused with.
func (w *walk) malform(cmd *aftersale.Command) aftersale.Code {
	ch := w.ch
	switch ch.intn(10) {
	case 0:
		cmd.Actor = pick[aftersale.Actor](ch, 0, 5, 255)
	case 1:
		cmd.Action = pick[aftersale.Action](ch, 0, aftersale.NumActions, 200)
	case 2:
		cmd.Action = pick(ch, aftersale.ActionExpire, aftersale.ActionSLABreached)
		return aftersale.ErrNotPermitted
	case 3: // a stray argument: one the action does not take
		need, may := aftersale.ArgRule(cmd.Action)
		takes := func(arg string) bool { return slices.Contains(need, arg) || slices.Contains(may, arg) }
		switch {
		case !takes("carrier"):
			cmd.Carrier = "SF"
		case !takes("ruling"):
			cmd.Ruling = aftersale.RulingForBuyer
		default:
			panic("walk: " + cmd.Action.String() + " takes every argument malform knows how to stray: add one")
		}
	case 4: // a missing argument, or for a fact a case it does not take
		need, _ := aftersale.ArgRule(cmd.Action)
		if len(need) == 0 {
			cmd.Case = "c1" // facts are about the order, not a case
			break
		}
		switch pick(ch, need...) {
		case "kind":
			cmd.Kind = 0
		case "reason":
			cmd.Reason = 0
		case "case":
			cmd.Case = ""
		case "note":
			cmd.Note = ""
		case "amount":
			cmd.Amount = 0
		case "carrier":
			cmd.Carrier = ""
		case "waybill":
			cmd.Waybill = ""
		case "ruling":
			cmd.Ruling = 0
			cmd.Amount, cmd.ReturnGoods = 0, false // they go with a ruling only
		case "state":
			cmd.State = 0
		case "record":
			cmd.Record = nil
		default:
			panic("walk: cannot leave out " + need[0] + ": add it to malform")
		}
	case 5:
		cmd.Amount = -pick[aftersale.Money](ch, 1, 100)
	case 6:
		cmd.Freight = -1
	case 7:
		switch ch.intn(3) {
		case 0:
			cmd.Kind = 9
		case 1:
			cmd.Reason = 42
		default:
			cmd.Ruling = 3
		}
	case 8:
		cmd.Version = -1
	default:
		cmd.Lines = pick(ch,
			[]aftersale.Units{{Line: "", Quantity: 1}},
			[]aftersale.Units{{Line: "l1", Quantity: 0}},
			[]aftersale.Units{{Line: "l1", Quantity: 1}, {Line: "l1", Quantity: 1}})
	}
	return aftersale.ErrInvalidInput
}

// refusal returns the code a command must be refused with whatever the
// order, its time and its key, or 0.
func (g generated) refusal() aftersale.Code {
	if g.want == 0 && !g.cmd.Action.IsCommand() {
		return aftersale.ErrNotPermitted // only a deadline expires a case or raises an alert
	}
	return g.want
}

// expect returns the code the contract fixes for a command sent at now,
// before the engine sees it, or 0 if it leaves the outcome open. Only
// fresh keys come here: repeats are checked apart.
func (w *walk) expect(now time.Time, g generated) aftersale.Code {
	o, cmd := w.o, g.cmd
	switch {
	case g.refusal() != 0:
		return g.refusal()
	case now.Before(o.PaidAt):
		return aftersale.ErrInvalidInput
	case now.Before(w.prev.last):
		return aftersale.ErrClockRegressed
	}
	switch cmd.Action {
	case aftersale.ActionRequest:
		if cmd.Actor != buyer {
			return aftersale.ErrNotPermitted
		}
	case aftersale.ActionImport:
		if cmd.Actor != system || !importable(cmd.Kind, cmd.State) {
			return aftersale.ErrNotPermitted
		}
	case aftersale.ActionShipped:
		if cmd.Actor != system || o.Shipped() {
			return aftersale.ErrNotPermitted
		}
	case aftersale.ActionDelivered:
		if cmd.Actor != system || !o.Shipped() || o.Delivered() {
			return aftersale.ErrNotPermitted
		}
	default:
		c := o.Case(cmd.Case)
		switch {
		case c == nil:
			return aftersale.ErrNotFound
		case w.anyDue(now):
			// Deadlines fire first and may move the case: the table
			// below would be read in the wrong state.
		case cmd.Version != 0 && cmd.Version != c.Version():
			return aftersale.ErrConflict
		case !permitted(c.State(), cmd.Action, cmd.Actor, c.Kind()):
			return aftersale.ErrNotPermitted
		}
	}
	return 0
}

func (w *walk) anyDue(now time.Time) bool {
	for _, c := range w.o.Cases() {
		if d := c.Deadline(); !d.IsZero() && d.Due(now) {
			return true
		}
	}
	return false
}

// apply sends a command with a fresh key, or none, and checks the outcome.
func (w *walk) apply(now time.Time, g generated) {
	w.t.Helper()
	want := w.expect(now, g)
	out, err := w.e.ApplyAt(now, w.o, g.cmd)
	w.record(now, &g.cmd, err)
	w.mirror(now, &g.cmd, err)
	if err != nil {
		w.refused(err, want, "")
		return
	}
	if want != 0 {
		w.fail("the command was accepted; want it refused with %s", want)
	}
	if out.Repeat {
		w.fail("a command with a fresh key (%q) was taken for a repeat", g.cmd.Key)
	}
	reported := out.Also
	if out.Case != nil {
		ev := out.Event
		if !ev.At.Equal(now) || ev.Actor != g.cmd.Actor || ev.Action != g.cmd.Action || ev.Key != g.cmd.Key {
			w.fail("the outcome's event is %s by %s at %v (key %q)", ev.Action, ev.Actor, ev.At, ev.Key)
		}
		reported = append(slices.Clone(out.Also), aftersale.Change{Case: out.Case, Event: out.Event})
	} else if g.cmd.Action != aftersale.ActionShipped && g.cmd.Action != aftersale.ActionDelivered {
		w.fail("%s was accepted but the outcome names no case", g.cmd.Action)
	}
	w.changed(now, reported, false)
	if g.cmd.Key != "" {
		k := sentKey{cmd: g.cmd}
		if out.Case != nil {
			k.event, k.cas = out.Event, out.Case.ID()
		}
		w.keys = append(w.keys, k)
	}
}

// advance brings the order to now and checks what fired.
func (w *walk) advance(now time.Time) {
	w.t.Helper()
	var want aftersale.Code
	switch {
	case now.Before(w.o.PaidAt):
		want = aftersale.ErrInvalidInput
	case now.Before(w.prev.last):
		want = aftersale.ErrClockRegressed
	}
	fired, err := w.e.AdvanceTo(now, w.o)
	w.record(now, nil, err)
	w.mirror(now, nil, err)
	if err != nil {
		w.refused(err, want, "AdvanceTo")
		return
	}
	if want != 0 {
		w.fail("AdvanceTo(%v) succeeded; want %s", now, want)
	}
	// Deadlines fire in due order, each stamped with its own due time, or
	// with the order's last event if it was already overdue.
	first := map[string]bool{}
	for _, ch := range fired {
		id := ch.Case.ID()
		if first[id] {
			continue
		}
		first[id] = true
		var due time.Time
		for _, p := range w.prev.cases {
			if p.c == ch.Case {
				due = p.value.Deadline().At
			}
		}
		want := due
		if want.Before(w.prev.last) {
			want = w.prev.last
		}
		if due.IsZero() || due.After(now) || !ch.Event.At.Equal(want) {
			w.fail("case %s was due at %v, the order's last event was at %v; its first timeout is stamped %v (advancing to %v)", id, due, w.prev.last, ch.Event.At, now)
		}
	}
	w.changed(now, fired, true)
}

// repeat sends a keyed command again, now or stamped in the past, even
// before the payment (a retry from a queue), to the order or to a copy
// loaded from its JSON (a retry after the host reloaded it): it must be
// recognised, return the first event and change nothing.
func (w *walk) repeat() {
	w.t.Helper()
	k := pick(w.ch, w.keys...)
	now := w.now
	if chance(w.ch, 50) {
		now = w.prev.last.Add(-w.back())
	}
	o := w.o
	if chance(w.ch, 30) {
		o = decode(w.t, w.stored())
	}
	out, err := w.e.ApplyAt(now, o, k.cmd)
	w.record(now, &k.cmd, err)
	if err != nil || !out.Repeat {
		w.fail("sending %q again (to the order reloaded: %v) gave %+v, %v; want the first outcome again", k.cmd.Key, o != w.o, out, err)
	}
	w.sameEvent(k, out)
	w.unchanged("a repeat")
	if w.stats != nil {
		w.stats.repeats++
	}
}

// reuseKey sends another command with a key already applied: it is either
// taken for the same command (a repeat) or refused as a conflict, and never
// applied.
func (w *walk) reuseKey() {
	w.t.Helper()
	k := pick(w.ch, w.keys...)
	g := w.command()
	g.cmd.Key = k.cmd.Key
	w.now = w.now.Add(w.jump())
	out, err := w.e.ApplyAt(w.now, w.o, g.cmd)
	w.record(w.now, &g.cmd, err)
	w.mirror(w.now, &g.cmd, err)
	switch {
	case err == nil && out.Repeat:
		w.sameEvent(k, out)
		w.unchanged("a repeat")
	case err == nil:
		w.fail("key %q, already used, was applied to another command", k.cmd.Key)
	default:
		want := aftersale.ErrConflict
		if g.refusal() != 0 {
			want = g.refusal()
		}
		w.refused(err, want, "")
	}
}

func (w *walk) sameEvent(k sentKey, out aftersale.Outcome) {
	w.t.Helper()
	if k.cas == "" {
		if out.Case != nil {
			w.fail("a repeated order fact names case %s", out.Case.ID())
		}
		return
	}
	if out.Case == nil || out.Case.ID() != k.cas {
		w.fail("the repeat of %q names another case than %s", k.cmd.Key, k.cas)
	}
	if diff := cmp.Diff(k.event, out.Event); diff != "" {
		w.fail("the repeat of %q returned another event (-first +repeat):\n%s", k.cmd.Key, diff)
	}
}

// refused checks a refusal: a code, want if it is not zero, a message,
// and nothing changed.
func (w *walk) refused(err error, want aftersale.Code, what string) {
	w.t.Helper()
	code := aftersale.CodeOf(err)
	var e *aftersale.Error
	if code == 0 || !errors.As(err, &e) || e.Message == "" {
		w.fail("%s refused with %v, which carries no code or no message", what, err)
	}
	if why := unreadable(err); why != "" {
		w.fail("%s refused with %v, but %s", what, err, why)
	}
	if want != 0 && code != want {
		w.fail("%s refused with %v; want %s", what, err, want)
	}
	if w.stats != nil {
		w.stats.refused[code]++
	}
	w.unchanged("a refusal (" + code.String() + ")")
}

// unchanged checks that the order is as the last step left it: every
// field of the Order and of each Case, unexported ones included, what their
// slices hold, and the JSON bytes.
func (w *walk) unchanged(what string) {
	w.t.Helper()
	if d := w.prev.differs(w.o); d != "" {
		w.fail("%s changed %s (-before +after):\n%s", what, d, w.diff())
	}
	if w.light {
		return // differs compared every field; the JSON says it again
	}
	b, err := json.Marshal(w.o)
	if err != nil || string(b) != string(w.prev.json) {
		w.fail("%s changed the order's JSON (%v):\nbefore %s\nafter  %s", what, err, w.prev.json, b)
	}
}

// mirror makes on the twin the call the walk just made on the order, cmd
// at now or, for nil, AdvanceTo(now), which answered err: the twin must
// answer with the same code and hold the same bytes after. Then, one time
// in four, the twin is reloaded from its JSON.
func (w *walk) mirror(now time.Time, cmd *aftersale.Command, err error) {
	w.t.Helper()
	if w.twin == nil {
		return
	}
	var twinErr error
	if cmd == nil {
		_, twinErr = w.e.AdvanceTo(now, w.twin)
	} else {
		_, twinErr = w.e.ApplyAt(now, w.twin, *cmd)
	}
	if aftersale.CodeOf(err) != aftersale.CodeOf(twinErr) {
		w.fail("the order answered %v, its twin reloaded from JSON %v", err, twinErr)
	}
	mine, theirs := encodeOrFail(w, w.o), encodeOrFail(w, w.twin)
	if string(mine) != string(theirs) {
		w.fail("the order and its twin reloaded from JSON differ:\n%s\n%s", mine, theirs)
	}
	if chance(w.ch, 25) {
		w.twin = decode(w.t, theirs)
	}
}

func encodeOrFail(w *walk, o *aftersale.Order) []byte {
	b, err := json.Marshal(o)
	if err != nil {
		w.fail("encoding the order: %v", err)
	}
	return b
}

// stored returns the order's JSON as the last step left it.
func (w *walk) stored() []byte {
	if w.prev.json != nil {
		return w.prev.json
	}
	return encodeOrFail(w, w.o) // light: nothing changed since
}

// diff shows how the order differs from the snapshot's JSON, decoded.
func (w *walk) diff() string {
	if w.prev.json == nil {
		return "(the walk kept no JSON to compare with: run the input as a plain test)"
	}
	var before aftersale.Order
	if err := json.Unmarshal(w.prev.json, &before); err != nil {
		return "(the snapshot does not decode: " + err.Error() + ")"
	}
	return cmp.Diff(&before, w.o, deep)
}

// changed checks a step that succeeded and reported the changes given:
// each case with new events replays to itself, the order survives a JSON
// round trip, the invariants at rest hold, no event was lost or edited,
// none added to a finished case, no case changed without an event, new
// events are stamped between the order's last event and now, the version
// moved by one per event or fact, every change was reported, and no
// deadline is left overdue.
func (w *walk) changed(now time.Time, reported []aftersale.Change, advancing bool) {
	w.t.Helper()
	o, prev := w.o, &w.prev
	cases := o.Cases()
	if len(cases) < len(prev.cases) {
		w.fail("the order lost cases: %d, was %d", len(cases), len(prev.cases))
	}
	added := 0
	for i, c := range cases {
		events := c.Events()
		old := 0
		if i < len(prev.cases) {
			p := &prev.cases[i]
			old = len(p.events)
			switch {
			case c != p.c || len(events) < old || !sameEvents(events[:old], p.events):
				w.fail("case %s: its earlier events changed", p.value.ID())
			case !p.value.Open() && len(events) != old:
				w.fail("case %s had finished (%s), yet %s was added", c.ID(), p.value.State(), events[old].Action)
			case len(events) == old && (!reflect.DeepEqual(p.value, *c) || !slices.Equal(p.lines, c.Lines())):
				w.fail("case %s changed without an event (-before +after):\n%s", c.ID(), w.diff())
			}
		}
		if len(events) > old {
			checkReplay(w.t, c)
		}
		if c.PolicyVersion() != w.e.Version() {
			w.fail("case %s opened under %q, the engine's rules are %q", c.ID(), c.PolicyVersion(), w.e.Version())
		}
		for _, e := range events[old:] {
			if e.At.Before(prev.last) || e.At.After(now) {
				w.fail("case %s: event %d (%s) stamped %v, before the order's last event %v or after now %v", c.ID(), e.Seq, e.Action, e.At, prev.last, now)
			}
			found := false
			for _, ch := range reported {
				found = found || ch.Case == c && reflect.DeepEqual(ch.Event, e)
			}
			if !found {
				w.fail("case %s: event %d (%s) was appended but not reported", c.ID(), e.Seq, e.Action)
			}
		}
		added += len(events) - old
		if c.Open() && !c.Deadline().At.After(now) {
			w.fail("case %s in %s: deadline %v left overdue at %v", c.ID(), c.State(), c.Deadline().At, now)
		}
	}
	if added != len(reported) {
		w.fail("%d events were appended, %d reported", added, len(reported))
	}
	for i := 1; i < len(reported); i++ {
		if reported[i].Event.At.Before(reported[i-1].Event.At) {
			w.fail("change %d is stamped before the one before it", i)
		}
	}
	facts := factsOf(o) - prev.facts
	if advancing && facts != 0 {
		w.fail("AdvanceTo recorded an order fact")
	}
	if d := o.Version() - prev.version; d != added+facts {
		w.fail("the version moved by %d for %d events and %d facts", d, added, facts)
	}
	checkInvariants(w.t, o, w.limits)
	var b []byte // light: the snapshot keeps the order's fields only
	if !w.light {
		b = roundTrip(w.t, o)
	}
	if w.stats != nil {
		w.stats.accepted++
		w.stats.events += added
		for _, c := range cases {
			w.stats.states[c.State()]++
		}
	}
	w.take(b)
}

// take snapshots the order, whose JSON is b, for the next step.
func (w *walk) take(b []byte) { w.prev = snapshotOf(w.o, b) }

func (w *walk) record(at time.Time, cmd *aftersale.Command, err error) {
	result := "ok"
	if err != nil {
		result = err.Error()
	}
	var c *aftersale.Command
	if cmd != nil {
		cp := *cmd
		c = &cp
	}
	w.trace = append(w.trace, traced{at: at, cmd: c, result: result})
	if w.stats != nil {
		w.stats.steps++
	}
}

// fail stops the test with the walk's story.
func (w *walk) fail(format string, args ...any) {
	w.t.Helper()
	w.told = true
	w.t.Fatalf("%s\n%s", fmt.Sprintf(format, args...), w.story())
}

// tellOnFailure has the story of the walk current returns told if the test
// fails in a check that does not know the walk (checkOrder, for one).
func tellOnFailure(t testing.TB, current func() *walk) {
	t.Cleanup(func() {
		if w := current(); t.Failed() && w != nil && !w.told {
			t.Log(w.story())
		}
	})
}

// story tells the walk: how to run it again, the order it started from,
// and every step.
func (w *walk) story() string {
	var b strings.Builder
	fmt.Fprintf(&b, "walk: %s\norder at the start: %s\n", w.about, w.start)
	for i, s := range w.trace {
		what := "AdvanceTo"
		if s.cmd != nil {
			what = "ApplyAt " + describe(*s.cmd)
		}
		fmt.Fprintf(&b, "%3d %s %s: %s\n", i+1, s.at.Format("2006-01-02 15:04:05.999999999"), what, s.result)
	}
	return b.String()
}

// describe writes the fields of a command that are set.
func describe(c aftersale.Command) string {
	parts := []string{c.Actor.String(), c.Action.String()}
	add := func(ok bool, k string, v any) {
		if ok {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	add(c.Case != "", "case", c.Case)
	add(c.Kind != 0, "kind", c.Kind)
	add(c.Reason != 0, "reason", c.Reason)
	add(c.Amount != 0, "amount", c.Amount)
	add(len(c.Lines) > 0, "lines", c.Lines)
	if len(c.Note) > 20 {
		add(true, "note", fmt.Sprintf("(%d bytes)", len(c.Note)))
	} else {
		add(c.Note != "", "note", strconv.Quote(c.Note))
	}
	add(c.Carrier != "", "carrier", c.Carrier)
	add(c.Waybill != "", "waybill", c.Waybill)
	add(c.Freight != 0, "freight", c.Freight)
	add(c.Ruling != 0, "ruling", c.Ruling)
	add(c.ReturnGoods, "return_goods", true)
	add(c.Key != "", "key", c.Key)
	add(c.Version != 0, "version", c.Version)
	return strings.Join(parts, " ")
}

// walkStats counts what the walks did, so a test can show it and check
// they went everywhere.
type walkStats struct {
	walks, steps, accepted, repeats, events, cases int
	refused                                        map[aftersale.Code]int
	states                                         map[aftersale.State]int        // the states cases were in after each step
	closed                                         map[aftersale.ClosedReason]int // why the cases that closed closed
}

func newWalkStats() *walkStats {
	return &walkStats{refused: map[aftersale.Code]int{}, states: map[aftersale.State]int{}, closed: map[aftersale.ClosedReason]int{}}
}

func (s *walkStats) count(o *aftersale.Order) {
	for _, c := range o.Cases() {
		s.cases++
		if c.ClosedReason() != 0 {
			s.closed[c.ClosedReason()]++
		}
	}
}

func (s *walkStats) String() string {
	return fmt.Sprintf("%d walks, %d cases, %d steps: %d accepted (%d events), %d repeats recognised, refused %v; states after steps %v, closed %v",
		s.walks, s.cases, s.steps, s.accepted, s.events, s.repeats, s.refused, s.states, s.closed)
}

// importable reports whether the table lets a case of kind k be imported
// in state s.
func importable(k aftersale.Kind, s aftersale.State) bool {
	for _, r := range aftersale.Transitions() {
		if r.Action == aftersale.ActionImport && r.To == s && r.Kinds.Has(k) {
			return true
		}
	}
	return false
}
