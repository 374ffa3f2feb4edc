package aftersale_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

var zone = timeline.UTC8()

// at parses "2026-03-01 15:00" in UTC+8.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, zone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// deep compares everything, unexported fields included, but for two
// things that are not what a case holds but how: the zone a case reads its
// times in (like time.Time's Equal, which cmp uses for times, it looks at
// instants, and the JSON form keeps a zone's offset, not its name), and
// whether an empty list of texts or decisions has room allocated (a new
// case does, a loaded one does not).
var deep = cmp.Options{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().Type() == reflect.TypeFor[*time.Location]()
	}, cmp.Ignore()),
	cmpopts.EquateEmpty(),
}

// fixture is one order driven through an engine by a test, with the time
// moving forward a minute between commands unless the test sets it.
type fixture struct {
	t   testing.TB
	e   *aftersale.Engine
	o   *aftersale.Order
	now time.Time
}

// paid is when the fixtures' orders are paid.
const paid = "2026-03-02 10:00"

// newFixture returns an order of 299.00 paid on Monday 2026-03-02 10:00,
// shipped two hours later and delivered the next day at 15:00, under an
// engine with the given rules.
func newFixture(t testing.TB, rules aftersale.Rules) *fixture {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: rules, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	o := &aftersale.Order{
		ID: "o-1", Buyer: "b-1", Amount: aftersale.Yuan(299),
		PaidAt:      at(t, paid),
		ShippedAt:   at(t, "2026-03-02 12:00"),
		DeliveredAt: at(t, "2026-03-03 15:00"),
	}
	return &fixture{t: t, e: e, o: o, now: at(t, "2026-03-04 09:00")}
}

// undelivered makes the order shipped but not delivered.
func (f *fixture) undelivered() *fixture {
	f.o.DeliveredAt = time.Time{}
	return f
}

// unshipped makes the order neither shipped nor delivered.
func (f *fixture) unshipped() *fixture {
	f.o.ShippedAt, f.o.DeliveredAt = time.Time{}, time.Time{}
	f.now = at(f.t, "2026-03-02 11:00")
	return f
}

// tick moves the clock one minute.
func (f *fixture) tick() time.Time {
	f.now = f.now.Add(time.Minute)
	return f.now
}

// do applies cmd a minute later and fails the test if it does not succeed.
func (f *fixture) do(cmd aftersale.Command) aftersale.Outcome {
	f.t.Helper()
	out, err := f.e.ApplyAt(f.tick(), f.o, cmd)
	if err != nil {
		f.t.Fatalf("%s by %s on %q: %v", cmd.Action, cmd.Actor, cmd.Case, err)
	}
	f.check()
	return out
}

// fails applies cmd a minute later, expects the error code, and checks that
// the order did not change at all.
func (f *fixture) fails(cmd aftersale.Command, code aftersale.Code) error {
	f.t.Helper()
	return f.failsAt(f.tick(), cmd, code)
}

func (f *fixture) failsAt(now time.Time, cmd aftersale.Command, code aftersale.Code) error {
	f.t.Helper()
	before := f.clone()
	beforeJSON := f.json()
	_, err := f.e.ApplyAt(now, f.o, cmd)
	if !errors.Is(err, code) {
		f.t.Fatalf("%s by %s: got error %v, want %s", cmd.Action, cmd.Actor, err, code)
	}
	var e *aftersale.Error
	if !errors.As(err, &e) || e.Message == "" {
		f.t.Errorf("error %v carries no message", err)
	}
	if why := unreadable(err); why != "" {
		f.t.Errorf("%s by %s was refused with %v, but %s", cmd.Action, cmd.Actor, err, why)
	}
	if diff := cmp.Diff(before, f.o, deep); diff != "" {
		f.t.Fatalf("%s by %s was refused (%v) but changed the order (-before +after):\n%s", cmd.Action, cmd.Actor, err, diff)
	}
	if got := f.json(); got != beforeJSON {
		f.t.Fatalf("%s by %s was refused but the order's JSON changed", cmd.Action, cmd.Actor)
	}
	return err
}

// advance moves the clock to now and fires what is due.
func (f *fixture) advance(now time.Time) []aftersale.Change {
	f.t.Helper()
	f.now = now
	ch, err := f.e.AdvanceTo(now, f.o)
	if err != nil {
		f.t.Fatalf("AdvanceTo(%v): %v", now, err)
	}
	f.check()
	return ch
}

func (f *fixture) json() string {
	f.t.Helper()
	b, err := json.Marshal(f.o)
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

// clone returns a deep copy of the order through its JSON form.
func (f *fixture) clone() *aftersale.Order {
	f.t.Helper()
	var o aftersale.Order
	if err := json.Unmarshal([]byte(f.json()), &o); err != nil {
		f.t.Fatalf("decoding the order's own JSON: %v", err)
	}
	return &o
}

// check verifies what must hold after every step: each case replays from
// its record to an equal case, and the order survives a JSON round trip.
func (f *fixture) check() {
	f.t.Helper()
	checkOrder(f.t, f.o)
}

func checkOrder(t testing.TB, o *aftersale.Order) {
	t.Helper()
	for _, c := range o.Cases() {
		r, err := aftersale.Replay(c.Record())
		if err != nil {
			t.Fatalf("replaying case %s: %v", c.ID(), err)
		}
		if aftersale.SameCase(c, r) {
			continue
		}
		if diff := cmp.Diff(c, r, deep); diff != "" {
			t.Fatalf("case %s replayed differently (-live +replayed):\n%s", c.ID(), diff)
		}
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("encoding order: %v", err)
	}
	var back aftersale.Order
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decoding order: %v\n%s", err, b)
	}
	if aftersale.SameOrder(o, &back) {
		return
	}
	if diff := cmp.Diff(o, &back, deep); diff != "" {
		t.Fatalf("order changed in a JSON round trip (-before +after):\n%s", diff)
	}
}

// c returns the case with the ID, failing if there is none.
func (f *fixture) c(id string) *aftersale.Case {
	f.t.Helper()
	c := f.o.Case(id)
	if c == nil {
		f.t.Fatalf("no case %q", id)
	}
	return c
}

// Command shorthands; each names case c1 unless changed.

func request(k aftersale.Kind, r aftersale.Reason) aftersale.Command {
	return aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: k, Reason: r}
}

func act(who aftersale.Actor, a aftersale.Action) aftersale.Command {
	return aftersale.Command{Case: "c1", Actor: who, Action: a}
}

// wellFormed returns a command for action a on case c1 that carries what
// the engine's argument rule says a needs, with plain values; the ruling
// is for the merchant. It reports false for a request or an order fact,
// which address no case.
func wellFormed(t testing.TB, who aftersale.Actor, a aftersale.Action) (aftersale.Command, bool) {
	t.Helper()
	need, _ := aftersale.ArgRule(a)
	if a == aftersale.ActionRequest || !slices.Contains(need, "case") {
		return aftersale.Command{}, false
	}
	cmd := act(who, a)
	for _, arg := range need {
		switch arg {
		case "case":
		case "note":
			cmd.Note = "a reason"
		case "amount":
			cmd.Amount = aftersale.Yuan(1)
		case "carrier":
			cmd.Carrier = "SF"
		case "waybill":
			cmd.Waybill = "SF" + a.String()
		case "ruling":
			cmd.Ruling = aftersale.RulingForMerchant
		default:
			t.Fatalf("no value for the argument %q that %s needs: add one to wellFormed in fixture_test.go", arg, a)
		}
	}
	return cmd, true
}

func (f *fixture) state(id string, want aftersale.State) {
	f.t.Helper()
	if got := f.c(id).State(); got != want {
		f.t.Fatalf("case %s is %s, want %s", id, got, want)
	}
}

// importing returns the import of case c1 of kind k in state s, as a
// platform's record has it.
func importing(k aftersale.Kind, s aftersale.State) aftersale.Command {
	r := aftersale.ReasonQuality
	if k == aftersale.KindReissue {
		r = aftersale.ReasonNotReceived
	}
	return aftersale.Command{Case: "c1", Actor: aftersale.ActorSystem, Action: aftersale.ActionImport, Kind: k, Reason: r, State: s,
		Record: []byte(`{"platform":"test","status":"` + s.String() + `"}`)}
}
