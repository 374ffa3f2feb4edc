package aftersale_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// The fuzz targets. Their seeds are in testdata/fuzz/<target>/, made from
// real cases by TestFuzzSeeds. Run one with
//
//	go test -run '^$' -fuzz '^FuzzCaseJSON$' -fuzztime 1m ./aftersale/
//
// FuzzCommands and FuzzOrderJSON run a whole walk per input, so the
// fuzzer's default minimization (up to a minute for every input that finds
// new coverage, during which no executions are counted) eats short runs;
// bound it:
//
//	go test -run '^$' -fuzz '^FuzzCommands$' -fuzztime 1m -fuzzminimizetime 200x ./aftersale/

// amountForm is the form ParseMoney accepts: digits, then optionally a
// point and one or two digits.
var amountForm = regexp.MustCompile(`^([0-9]+)(?:\.([0-9]{1,2}))?$`)

// safeFen is an amount every parser must take: far above any price, far
// below where sums of amounts could overflow.
var safeFen = big.NewInt(1e18)

// FuzzParseMoney checks ParseMoney against a reference built from a
// regular expression and math/big: it never panics, refuses exactly what
// is not an amount like 299.00 (or too large to be safe), with
// invalid_input; what it accepts has the exact value, and round-trips
// through String, ParseMoney, UnmarshalText and JSON.
func FuzzParseMoney(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		m, err := aftersale.ParseMoney(s)
		var viaText aftersale.Money
		textErr := viaText.UnmarshalText([]byte(s))
		if (err == nil) != (textErr == nil) || viaText != m {
			t.Fatalf("ParseMoney(%q) = %d, %v but UnmarshalText gives %d, %v", s, m, err, viaText, textErr)
		}
		want, wellFormed := referenceMoney(s)
		if err != nil {
			var e *aftersale.Error
			if !errors.Is(err, aftersale.ErrInvalidInput) || !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("ParseMoney(%q) refused with %v; want invalid_input with a message", s, err)
			}
			if wellFormed && want.Cmp(safeFen) < 0 {
				t.Fatalf("ParseMoney(%q) refused an amount worth %s fen: %v", s, want, err)
			}
			return
		}
		if !wellFormed {
			t.Fatalf("ParseMoney(%q) = %d; it is not an amount like 299.00", s, m)
		}
		if !want.IsInt64() || want.Int64() != int64(m) {
			t.Fatalf("ParseMoney(%q) = %d fen, want %s", s, m, want)
		}
		text := m.String()
		if back, err := aftersale.ParseMoney(text); err != nil || back != m || !amountForm.MatchString(text) {
			t.Fatalf("ParseMoney(%q) = %d, whose text %q parses back as %d, %v", s, m, text, back, err)
		}
		b, err := json.Marshal(m)
		if err != nil || string(b) != `"`+text+`"` {
			t.Fatalf("json.Marshal(%d) = %s, %v; want %q", m, b, err, text)
		}
		var back aftersale.Money
		if err := json.Unmarshal(b, &back); err != nil || back != m {
			t.Fatalf("%s decodes as %d, %v; want %d", b, back, err, m)
		}
	})
}

// referenceMoney returns the value in fen of an amount like 299.00, and
// whether s is one.
func referenceMoney(s string) (*big.Int, bool) {
	p := amountForm.FindStringSubmatch(s)
	if p == nil {
		return nil, false
	}
	yuan, _ := new(big.Int).SetString(p[1], 10)
	fen := int64(0)
	for i, d := range (p[2] + "00")[:2] {
		fen += int64(d-'0') * [2]int64{10, 1}[i]
	}
	return yuan.Mul(yuan, big.NewInt(100)).Add(yuan, big.NewInt(fen)), true
}

// FuzzCaseJSON decodes anything as a Case: it never panics; a refusal
// leaves the target as it was; what decodes keeps the invariants of a case
// at rest (checkCase), replays to itself, and encodes to a form that
// decodes equal and encodes to the same bytes.
func FuzzCaseJSON(f *testing.F) {
	fx := newFixture(f, aftersale.Rules{})
	fx.reach(exchange, aftersale.StateReshipInTransit)
	target, err := json.Marshal(fx.c("c1"))
	if err != nil {
		f.Fatal(err)
	}
	var proto aftersale.Case
	if err := json.Unmarshal(target, &proto); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := proto
		if err := json.Unmarshal(data, &c); err != nil {
			if b, _ := json.Marshal(&c); string(b) != string(target) || !reflect.DeepEqual(c, proto) {
				t.Fatalf("a refused decoding (%v) changed the case:\n%s", err, cmp.Diff(&proto, &c, deep))
			}
			return
		}
		checkCase(t, &c)
		checkReplay(t, &c)
		b, err := json.Marshal(&c)
		if err != nil {
			t.Fatalf("encoding a decoded case: %v", err)
		}
		var back aftersale.Case
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("a decoded case encodes to a form that does not decode: %v\n%s", err, b)
		}
		if diff := cmp.Diff(&c, &back, deep); diff != "" {
			t.Fatalf("a decoded case changed in a round trip (-before +after):\n%s", diff)
		}
		if again, err := json.Marshal(&back); err != nil || string(again) != string(b) {
			t.Fatalf("encoding is not stable: %s, then %s (%v)", b, again, err)
		}
	})
}

// FuzzOrderJSON decodes anything as an Order, with the checks of
// FuzzCaseJSON and the invariants of an order at rest (checkInvariants);
// then it lets 40 days pass on what decoded under an engine that holds its
// rules, which must not panic, and must keep the invariants or refuse and
// change nothing.
func FuzzOrderJSON(f *testing.F) {
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Earlier: []aftersale.Rules{{}}, Zone: zone})
	if err != nil {
		f.Fatal(err)
	}
	target := []byte(newFixture(f, aftersale.Rules{}).json())
	proto := *decode(f, target)
	f.Fuzz(func(t *testing.T, data []byte) {
		o := proto
		if err := json.Unmarshal(data, &o); err != nil {
			if b, _ := json.Marshal(&o); string(b) != string(target) || !reflect.DeepEqual(o, proto) {
				t.Fatalf("a refused decoding (%v) changed the order:\n%s", err, cmp.Diff(&proto, &o, deep))
			}
			return
		}
		checkInvariants(t, &o, limits{})
		for _, c := range o.Cases() {
			checkReplay(t, c)
		}
		b := roundTrip(t, &o)
		last := lastOf(&o)
		if last.Year() > 9000 {
			return // 40 days later may not be written in JSON, whose years end at 9999
		}
		if _, err := e.AdvanceTo(last.Add(40*day), &o); err != nil {
			var ae *aftersale.Error
			if !errors.As(err, &ae) || ae.Code == 0 {
				t.Fatalf("advancing a decoded order: %v, an error without a code", err)
			}
			if again, _ := json.Marshal(&o); string(again) != string(b) {
				t.Fatalf("advancing a decoded order was refused (%v) but changed it", err)
			}
			return
		}
		checkInvariants(t, &o, limits{})
		for _, c := range o.Cases() {
			checkReplay(t, c)
		}
		roundTrip(t, &o)
	})
}

// fuzzRules are the rules FuzzCommands runs under.
func fuzzRules() walkRules { return allWalkRules()[1] }

// FuzzCommands reads its input as the choices of a walk (see walk): which
// order, which steps, which commands and times. Each step is checked as in
// TestInvariants.
func FuzzCommands(f *testing.F) {
	rs := fuzzRules()
	e, err := aftersale.New(aftersale.Config{Rules: rs.rules, Zone: zone})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var w *walk
		tellOnFailure(t, func() *walk { return w })
		w = newWalk(t, e, &byteChooser{b: data}, rs.limits, nil, "o-fuzz")
		steps := 64
		if w.light {
			steps = 32 // a case finishes within a dozen steps: more inputs find more than longer walks
		}
		w.about = fmt.Sprintf("FuzzCommands(%q) under %s", data, rs.name)
		w.run(steps)
	})
}

// fuzzing reports whether the test binary runs a fuzzer (-test.fuzz), not
// the seeds as plain tests.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}
