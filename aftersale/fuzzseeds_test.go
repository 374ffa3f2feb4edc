package aftersale_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

var writeSeeds = flag.Bool("fuzzseeds.write", false, "TestFuzzSeeds writes the seed corpora of the fuzz targets afresh, from real cases")

// TestFuzzSeeds keeps the seed corpora in testdata/fuzz meaningful: every
// target has seeds, and the stored cases and orders among them still
// decode (a stored form that stopped decoding is a compatibility break for
// hosts, and would leave the fuzzer starting from noise). With
// -fuzzseeds.write it writes the corpora afresh from the cases fuzzSeeds
// builds.
func TestFuzzSeeds(t *testing.T) {
	if *writeSeeds {
		for target, seeds := range fuzzSeeds(t) {
			dir := filepath.Join("testdata", "fuzz", target)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, v := range seeds {
				typ := "string"
				if _, ok := v.([]byte); ok {
					typ = "[]byte"
				}
				corpus := fmt.Sprintf("go test fuzz v1\n%s(%q)\n", typ, v)
				if err := os.WriteFile(filepath.Join(dir, name), []byte(corpus), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for _, target := range []string{"FuzzParseMoney", "FuzzCaseJSON", "FuzzOrderJSON", "FuzzCommands"} {
		files, err := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
		if err != nil || len(files) < 3 {
			t.Errorf("%s has %d seeds (%v); write them with -fuzzseeds.write", target, len(files), err)
		}
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			seed, err := readSeed(string(b))
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			switch target {
			case "FuzzCaseJSON":
				var c aftersale.Case
				err = json.Unmarshal([]byte(seed), &c)
			case "FuzzOrderJSON":
				var o aftersale.Order
				err = json.Unmarshal([]byte(seed), &o)
			}
			if err != nil {
				t.Errorf("%s no longer decodes: %v", file, err)
			}
		}
	}
}

// readSeed reads a corpus file of one []byte or string value.
func readSeed(corpus string) (string, error) {
	lines := strings.Split(strings.TrimSpace(corpus), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return "", fmt.Errorf("not a corpus file of one value")
	}
	v := lines[1]
	for _, prefix := range []string{"[]byte(", "string("} {
		if strings.HasPrefix(v, prefix) && strings.HasSuffix(v, ")") {
			return strconv.Unquote(v[len(prefix) : len(v)-1])
		}
	}
	return "", fmt.Errorf("not a []byte or a string: %s", v)
}

// fuzzSeeds builds the seeds of each fuzz target, by name: amounts, real
// cases and orders in their stored form, and FuzzCommands inputs that spell
// random walks.
func fuzzSeeds(t *testing.T) map[string]map[string]any {
	money := map[string]any{}
	for i, s := range []string{"299", "299.5", "0.01", "007.10", "1.234", "-1", "1e3", "99999999999999999999"} {
		money[fmt.Sprintf("amount-%d", i)] = s
	}

	cases, orders := map[string]any{}, map[string]any{}
	keep := func(name string, f *fixture, id string) {
		b, err := json.Marshal(f.c(id))
		if err != nil {
			t.Fatal(err)
		}
		cases[name] = b
		orders[name] = []byte(f.json())
	}
	// Short cases: the fuzzer minimizes every input that finds something
	// new, which takes long on long inputs.
	f := newFixture(t, policy.Default())
	f.do(request(returnRefund, aftersale.ReasonQuality))
	keep("pending-review", f, "c1")

	f = newFixture(t, aftersale.Rules{})
	f.do(keyed(request(exchange, aftersale.ReasonWrongItem), "req-1"))
	f.do(act(buyer, aftersale.ActionWithdraw))
	keep("withdrawn", f, "c1")

	f = newFixture(t, policy.Default()).unshipped()
	f.o.Flags = aftersale.FlagFastRefund
	f.do(request(refundOnly, aftersale.ReasonMistakenPurchase))
	f.do(act(system, aftersale.ActionRefundSucceeded))
	keep("fast-refund-refunded", f, "c1")

	f = newFixture(t, aftersale.Rules{})
	f.do(request(refundOnly, aftersale.ReasonNotAsDescribed))
	f.do(propose(aftersale.Yuan(200)))
	keep("negotiating", f, "c1")

	f = newFixture(t, aftersale.Rules{})
	f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 3, Paid: aftersale.Yuan(100)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(199)}}
	f.do(with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 2})))
	f.do(note(act(merchant, aftersale.ActionReject), "no"))
	f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c2", []aftersale.Units{{Line: "l1", Quantity: 1}}
	}))
	keep("superseded-on-a-line", f, "c1")

	f = newFixture(t, aftersale.Rules{}).unshipped()
	f.do(keyed(aftersale.Command{Actor: system, Action: aftersale.ActionShipped}, "wms-1"))
	f.do(request(refundOnly, aftersale.ReasonNotReceived))
	f.do(keyed(aftersale.Command{Actor: system, Action: aftersale.ActionDelivered}, "wms-2"))
	keep("interception-failed", f, "c1")

	// Walks under FuzzCommands' rules, each choice written as the bytes
	// that make it.
	walks := map[string]any{}
	rs := fuzzRules()
	e, err := aftersale.New(aftersale.Config{Rules: rs.rules, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		ch := newRandChooser(7, i)
		ch.record = true
		w := newWalk(t, e, ch, rs.limits, nil, "o-seed")
		w.run(20)
		walks[fmt.Sprintf("walk-%d", i)] = ch.bytes
	}
	return map[string]map[string]any{"FuzzParseMoney": money, "FuzzCaseJSON": cases, "FuzzOrderJSON": orders, "FuzzCommands": walks}
}
