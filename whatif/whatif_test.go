package whatif_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/whatif"
)

func generate(t testing.TB, n int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := whatif.NewWriter(&buf)
	err := whatif.Generator{Orders: n, Seed: seed}.Each(func(r *whatif.Record) bool {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func rules(t testing.TB, js string) aftersale.Rules {
	t.Helper()
	r, err := scenario.ParseRules([]byte(js), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func run(t testing.TB, data []byte, before, after aftersale.Rules, workers int) *whatif.Report {
	t.Helper()
	c, err := whatif.New(before, after, whatif.Generator{}.End())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.Run(whatif.NewReader(bytes.NewReader(data)), whatif.Options{Workers: workers, Before: "before", After: "after"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// sums is what the independent loop adds up for one side.
type sums struct {
	refunds   int64
	payers    map[string]int64
	states    map[string]int64
	decisions map[string]int64 // by rule id
	changed   int64            // on the after side: cases that ended otherwise than before
}

// independent replays the orders directly, one engine per side, without
// package whatif's replay or report: an order where one side accepts an
// input the other refuses is left out of both, as the report does.
func independent(t *testing.T, data []byte, before, after aftersale.Rules, end time.Time) (orders, compared int64, s [2]sums) {
	t.Helper()
	var engines [2]*aftersale.Engine
	for i, r := range []aftersale.Rules{before, after} {
		e, err := aftersale.New(aftersale.Config{Rules: r})
		if err != nil {
			t.Fatal(err)
		}
		engines[i] = e
		s[i] = sums{payers: map[string]int64{}, states: map[string]int64{}, decisions: map[string]int64{}}
	}
	rd := whatif.NewReader(bytes.NewReader(data))
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		orders++
		var os [2]*aftersale.Order
		for i := range 2 {
			o := rec.Order // facts only: a record's order has no cases yet
			os[i] = &o
		}
		diverged := false
		for _, in := range rec.Inputs {
			var ok [2]bool
			for i := range 2 {
				var err error
				if in.Advance {
					_, err = engines[i].AdvanceTo(in.At, os[i])
				} else {
					_, err = engines[i].ApplyAt(in.At, os[i], *in.Command)
				}
				ok[i] = err == nil
			}
			if ok[0] != ok[1] {
				diverged = true
				break
			}
		}
		if diverged {
			continue
		}
		compared++
		for i := range 2 {
			if _, err := engines[i].AdvanceTo(end, os[i]); err != nil && !errors.Is(err, aftersale.ErrClockRegressed) {
				t.Fatal(err)
			}
			for _, c := range os[i].Cases() {
				s[i].states[endOf(c)]++
				s[i].refunds += int64(c.Refunded())
				for _, e := range c.Events() {
					for _, d := range []aftersale.Decision{e.Decision, e.CompensationDecision} {
						if d.Rule != "" {
							s[i].decisions[d.Rule]++
						} else if d.Policy != "" {
							s[i].decisions[d.Policy]++
						}
					}
				}
				for _, p := range []aftersale.Payer{aftersale.PayerMerchant, aftersale.PayerInsurance, aftersale.PayerPlatform} {
					if m := c.Compensated(p); m != 0 {
						s[i].payers[p.String()] += int64(m)
					}
				}
			}
		}
		for _, c := range os[1].Cases() {
			if b := os[0].Case(c.ID()); b == nil || endOf(b) != endOf(c) {
				s[1].changed++
			}
		}
	}
	return orders, compared, s
}

// endOf names where a case ended, as the report does.
func endOf(c *aftersale.Case) string {
	if c.State() == aftersale.StateClosed {
		return "closed." + c.ClosedReason().String()
	}
	return c.State().String()
}

// TestTotals checks the report's totals against an independent sum of the
// same 2,000 orders.
func TestTotals(t *testing.T) {
	data := generate(t, 2000, 7)
	before := rules(t, "")
	after := rules(t, `{"freight_subsidy": {"cap": "30.00"}, "deadlines": {"review": "24h"}}`)
	end := whatif.Generator{}.End()
	rep := run(t, data, before, after, 3)
	orders, compared, want := independent(t, data, before, after, end)
	if rep.Orders != orders || rep.Compared != compared || orders != 2000 {
		t.Fatalf("orders %d compared %d, independently %d and %d", rep.Orders, rep.Compared, orders, compared)
	}
	if rep.DivergedOrders() == 0 {
		t.Error("a shorter review diverged no order")
	}
	if changed, _ := rep.Get(whatif.SectionChanged, "end state"); changed.After != want[1].changed || changed.After == 0 {
		t.Errorf("%d cases ended otherwise, independently %d", changed.After, want[1].changed)
	}
	for i, side := range []string{"before", "after"} {
		val := func(l whatif.Line) int64 {
			if i == 0 {
				return l.Before
			}
			return l.After
		}
		refunds, _ := rep.Get(whatif.SectionRefunds, "total")
		if got := val(refunds); got != want[i].refunds || got == 0 {
			t.Errorf("%s: refunds %d, independently %d", side, got, want[i].refunds)
		}
		got := map[string]int64{}
		states := map[string]int64{}
		decisions := map[string]int64{}
		for _, l := range rep.Lines {
			switch l.Section {
			case whatif.SectionDecisions:
				if v := val(l); v != 0 {
					decisions[l.Key] = v
				}
			case whatif.SectionCompensation:
				if v := val(l); v != 0 {
					got[l.Key] = v
				}
			case whatif.SectionStates:
				if v := val(l); v != 0 {
					states[l.Key] = v
				}
			}
		}
		if !equal(got, want[i].payers) || len(got) == 0 {
			t.Errorf("%s: compensation %v, independently %v", side, got, want[i].payers)
		}
		if !equal(states, want[i].states) {
			t.Errorf("%s: end states %v, independently %v", side, states, want[i].states)
		}
		if !equal(decisions, want[i].decisions) || len(decisions) == 0 {
			t.Errorf("%s: decisions %v, independently %v", side, decisions, want[i].decisions)
		}
	}
	// The generator's mix reaches every row the issue asks for.
	for _, k := range [][2]string{
		{whatif.SectionTimeouts, "merchant"}, {whatif.SectionTimeouts, "buyer"},
		{whatif.SectionAlerts, "deadlines.refund_sla"}, {whatif.SectionAuto, "fast_refund"},
		{whatif.SectionRequests, "denied"}, {whatif.SectionStates, "closed.return_timeout"},
		{whatif.SectionStates, "exchanged"}, {whatif.SectionCompensation, "merchant"},
	} {
		if l, ok := rep.Get(k[0], k[1]); !ok || l.Before == 0 {
			t.Errorf("%s %s: none in 2,000 generated orders", k[0], k[1])
		}
	}
	ins, _ := rep.Get(whatif.SectionCompensation, "insurance")
	if ins.Delta <= 0 {
		t.Errorf("a higher cap paid the insurance no more: %+v", ins)
	}
}

func equal(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestDeterministic: the same orders give the same report for any number
// of workers, and the same seed the same orders.
func TestDeterministic(t *testing.T) {
	data := generate(t, 1500, 3)
	if !bytes.Equal(data, generate(t, 1500, 3)) {
		t.Fatal("the generator is not deterministic")
	}
	if bytes.Equal(data, generate(t, 1500, 4)) {
		t.Fatal("the seed changes nothing")
	}
	before, after := rules(t, ""), rules(t, `{"deadlines": {"review": "24h"}}`)
	var texts []string
	for _, w := range []int{1, 2, 5} {
		var b strings.Builder
		if err := run(t, data, before, after, w).WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, b.String())
	}
	if texts[0] != texts[1] || texts[0] != texts[2] {
		t.Error("the report depends on the number of workers")
	}
}

// TestDivergence: fast refund only in "after" approves at once a request
// the merchant approved under "before": the merchant's approve is
// not_permitted there, and the order diverges.
func TestDivergence(t *testing.T) {
	paid := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	line := `{"order":{"id":"o-1","amount":"99.00","paid_at":"2026-11-03T10:00:00Z","flags":["fast_refund"]},"inputs":[` +
		`{"at":"2026-11-03T11:00:00Z","command":{"actor":"buyer","action":"request","kind":"refund_only","reason":"mistaken_purchase"}},` +
		`{"at":"2026-11-03T15:00:00Z","command":{"actor":"merchant","action":"approve","case":"o-1-1"}},` +
		`{"at":"2026-11-03T16:00:00Z","command":{"actor":"system","action":"refund_succeeded","case":"o-1-1"}}]}` + "\n"
	other := `{"order":{"id":"o-2","amount":"500.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[{"at":"2026-11-03T12:00:00Z","advance":true}]}` + "\n"
	before, after := rules(t, `{"fast_refund": null}`), rules(t, "")
	c, err := whatif.New(before, after, paid.AddDate(0, 0, 20))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.Run(whatif.NewReader(strings.NewReader(line+other)), whatif.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Orders != 2 || rep.Compared != 1 || len(rep.Diverged) != 1 {
		t.Fatalf("orders %d compared %d diverged %+v", rep.Orders, rep.Compared, rep.Diverged)
	}
	d := rep.Diverged[0]
	if d.Key != "approve: ok before, not_permitted after" || d.Count != 1 || len(d.Examples) != 1 || d.Examples[0] != "o-1" {
		t.Errorf("diverged %+v", d)
	}
	rec, err := whatif.ParseRecord([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Replay(&rec)
	if err != nil {
		t.Fatal(err)
	}
	if res.Diverged == nil || res.Diverged.Input != 1 || res.Diverged.After != aftersale.ErrNotPermitted {
		t.Fatalf("divergence %+v", res.Diverged)
	}
	if got := res.After.Cases()[0].State(); got != aftersale.StateRefunding {
		t.Errorf("after: %s, want refunding (approved at once)", got)
	}
	if got := res.Before.Cases()[0].State(); got != aftersale.StateRefunding {
		t.Errorf("before: %s, want refunding (approved by the merchant)", got)
	}
}

func TestParseRecordErrors(t *testing.T) {
	for _, bad := range []string{
		`{"order":{"id":"o","amount":"1.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[{"at":"2026-11-03T10:00:00Z"}]}`,
		`{"order":{"id":"o","amount":"1.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[{"at":"2026-11-03T10:00:00Z","advance":true,"command":{}}]}`,
		`{"order":{"id":"o","amount":"1.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[{"at":"2026-11-04T10:00:00Z","advance":true},{"at":"2026-11-03T10:00:00Z","advance":true}]}`,
		`{"order":{"id":"o","amount":"1.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[],"x":1}`,
		`{"order":{"id":"o","amount":"1.00","paid_at":"2026-11-03T10:00:00Z","cases":[]},"inputs":[]}`,
		`{"order":{"amount":"1.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[]}`,
		`{"order":{"id":"o","amount":1,"paid_at":"2026-11-03T10:00:00Z"},"inputs":[]}`,
		`{"order":{"id":"o","amount":"1.00","paid_at":"2026-11-03T10:00:00Z"},"inputs":[]} {}`,
	} {
		if _, err := whatif.ParseRecord([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// BenchmarkWhatIf replays 10,000 generated orders under two rule sets; it
// reports ns/order.
func BenchmarkWhatIf(b *testing.B) {
	const n = 10_000
	data := generate(b, n, 1)
	before := rules(b, "")
	after := rules(b, `{"freight_subsidy": {"cap": "30.00"}, "deadlines": {"review": "24h"}}`)
	c, err := whatif.New(before, after, whatif.Generator{}.End())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Run(whatif.NewReader(bytes.NewReader(data)), whatif.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/order")
}

// TestRunError: a bad line stops the run with its line number, whatever
// the number of workers.
func TestRunError(t *testing.T) {
	data := generate(t, 3000, 5)
	lines := bytes.Split(data, []byte("\n"))
	lines[1700] = []byte(`{"order":{"id":"x"}}`)
	data = bytes.Join(lines, []byte("\n"))
	for _, w := range []int{1, 4} {
		c, err := whatif.New(policy.Default(), policy.Default(), whatif.Generator{}.End())
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Run(whatif.NewReader(bytes.NewReader(data)), whatif.Options{Workers: w})
		if err == nil || !strings.Contains(err.Error(), "line 1701") {
			t.Errorf("workers %d: %v", w, err)
		}
	}
}
