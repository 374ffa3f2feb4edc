package whatif

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shouhou/shouhou/aftersale"
)

// MaxExamples is how many example order IDs a row keeps.
const MaxExamples = 3

// The sections of a report, in the order it lists them.
const (
	SectionStates       = "end state"          // cases by the state they ended in ("closed.withdrawn" for a closed case)
	SectionRequests     = "requests"           // "eligible", "denied"
	SectionAuto         = "automatic approval" // cases a request approved at once, by the approver
	SectionTimeouts     = "timeout of"         // deadlines that acted for the party waited on
	SectionAlerts       = "sla alert"          // sla_breached events, by the promise broken
	SectionRefunds      = "refunds"            // "cases", and "total" (money)
	SectionCompensation = "compensation by"    // money by payer
	SectionDecisions    = "decision"           // decisions recorded, by rule id; the text report lists those that changed
	SectionChanged      = "changed"            // "end state": cases that ended otherwise after than before (counted on the after side)
)

var sections = []string{SectionStates, SectionChanged, SectionRequests, SectionAuto, SectionTimeouts, SectionAlerts, SectionRefunds, SectionCompensation, SectionDecisions}

// Line is one row of the report: a count or a sum of money, before and
// after, and up to MaxExamples order IDs on each side.
type Line struct {
	Section string `json:"section"`
	Key     string `json:"key"`
	// Money says the values are money, in fen (1/100 yuan).
	Money          bool     `json:"money,omitzero"`
	Before         int64    `json:"before"`
	After          int64    `json:"after"`
	Delta          int64    `json:"delta"` // After - Before
	BeforeExamples []string `json:"before_examples,omitempty"`
	AfterExamples  []string `json:"after_examples,omitempty"`
}

// Row is a count with up to MaxExamples order IDs.
type Row struct {
	Key      string   `json:"key"`
	Count    int64    `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

// Report compares the two rule sets over a set of orders. Both sides count
// the same orders: those that did not diverge (Compared); a diverged order
// is listed in Diverged, with its reason, and counted on neither side.
type Report struct {
	Before   string `json:"before"` // the rule sets' names
	After    string `json:"after"`
	Orders   int64  `json:"orders"`   // records replayed
	Compared int64  `json:"compared"` // of them, those counted on both sides
	Lines    []Line `json:"lines"`
	// Diverged lists the diverged orders by reason.
	Diverged []Row `json:"diverged"`
	// Refused lists inputs both sides refused, by action and code: inputs
	// the recording did not match (such as a request no rule set allowed).
	Refused []Row `json:"refused"`

	tally [2]map[lineKey]*cell
	div   map[string]*Row
	ref   map[string]*Row
}

type lineKey struct{ section, key string }

type cell struct {
	money    bool
	n        int64
	examples []string
}

// NewReport returns an empty report of the two sides, named as given.
func NewReport(before, after string) *Report {
	return &Report{Before: before, After: after,
		tally: [2]map[lineKey]*cell{{}, {}}, div: map[string]*Row{}, ref: map[string]*Row{}}
}

func (r *Report) add(side int, section, key string, n int64, money bool, order string) {
	k := lineKey{section, key}
	c := r.tally[side][k]
	if c == nil {
		c = &cell{money: money}
		r.tally[side][k] = c
	}
	c.n += n
	if len(c.examples) < MaxExamples && !slices.Contains(c.examples, order) {
		c.examples = append(c.examples, order)
	}
}

func addRow(m map[string]*Row, key, order string) {
	row := m[key]
	if row == nil {
		row = &Row{Key: key}
		m[key] = row
	}
	row.Count++
	if len(row.Examples) < MaxExamples {
		row.Examples = append(row.Examples, order)
	}
}

// Add counts one order's result. Results must be added in the same order
// every time for the examples to be the same.
func (r *Report) Add(res *Result, rules [2]aftersale.Rules) {
	r.Orders++
	r.Lines = nil
	for _, x := range res.Refused {
		addRow(r.ref, x, res.Order)
	}
	if res.Diverged != nil {
		addRow(r.div, res.Diverged.Reason(), res.Order)
		return
	}
	r.Compared++
	if n := changedEnds(res.Before, res.After); n > 0 {
		r.add(1, SectionChanged, "end state", n, false, res.Order)
	}
	for s, o := range [2]*aftersale.Order{res.Before, res.After} {
		if res.Eligible[s] > 0 {
			r.add(s, SectionRequests, "eligible", int64(res.Eligible[s]), false, res.Order)
		}
		if res.Denied[s] > 0 {
			r.add(s, SectionRequests, "denied", int64(res.Denied[s]), false, res.Order)
		}
		tallyOrder(o, rules[s], func(section, key string, n int64, money bool) {
			r.add(s, section, key, n, money, res.Order)
		})
	}
}

// changedEnds counts the cases of an order that ended otherwise after than
// before: the same inputs, so the same cases, by ID.
func changedEnds(before, after *aftersale.Order) int64 {
	var n int64
	for _, c := range after.Cases() {
		if b := before.Case(c.ID()); b == nil || EndState(b) != EndState(c) {
			n++
		}
	}
	return n
}

// EndState names where a case ended: its state, or for a closed case
// "closed." and the reason.
func EndState(c *aftersale.Case) string {
	if c.State() == aftersale.StateClosed {
		return "closed." + c.ClosedReason().String()
	}
	return c.State().String()
}

// tallyOrder reports what the report counts of one replayed order.
func tallyOrder(o *aftersale.Order, rules aftersale.Rules, add func(section, key string, n int64, money bool)) {
	for _, c := range o.Cases() {
		add(SectionStates, EndState(c), 1, false)
		for i, ev := range c.All() {
			for _, d := range [...]aftersale.Decision{ev.Decision, ev.CompensationDecision} {
				if d.Policy != "" {
					add(SectionDecisions, cmp.Or(d.Rule, d.Policy), 1, false)
				}
			}
			if i == 0 && ev.Action == aftersale.ActionRequest && ev.Decision.Policy != "" {
				if _, ok := rules.Lookup(ev.Decision.Policy).(aftersale.Approver); ok {
					add(SectionAuto, ev.Decision.Policy, 1, false)
				}
			}
			if ev.Actor != aftersale.ActorSystem || ev.Decision.Policy != "deadlines" {
				continue
			}
			if ev.Action == aftersale.ActionSLABreached {
				key := ev.Decision.Rule
				if key == "" {
					key = ev.From.String()
				}
				add(SectionAlerts, key, 1, false)
				continue
			}
			add(SectionTimeouts, ev.From.Waiting().String(), 1, false)
		}
		if m := c.Refunded(); m > 0 {
			add(SectionRefunds, "cases", 1, false)
			add(SectionRefunds, "total", int64(m), true)
		}
		for _, line := range c.Compensation() {
			add(SectionCompensation, line.Payer.String(), int64(line.Amount), true)
		}
	}
}

func (r *Report) lines() []Line {
	if r.Lines != nil {
		return r.Lines
	}
	keys := map[lineKey]bool{}
	for s := range 2 {
		for k := range r.tally[s] {
			keys[k] = true
		}
	}
	order := func(a, b lineKey) int {
		if c := slices.Index(sections, a.section) - slices.Index(sections, b.section); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	}
	sorted := slices.SortedFunc(func(yield func(lineKey) bool) {
		for k := range keys {
			if !yield(k) {
				return
			}
		}
	}, order)
	lines := make([]Line, 0, len(sorted))
	for _, k := range sorted {
		l := Line{Section: k.section, Key: k.key}
		if c := r.tally[0][k]; c != nil {
			l.Before, l.BeforeExamples, l.Money = c.n, c.examples, c.money
		}
		if c := r.tally[1][k]; c != nil {
			l.After, l.AfterExamples, l.Money = c.n, c.examples, c.money
		}
		l.Delta = l.After - l.Before
		lines = append(lines, l)
	}
	r.Lines = lines
	return lines
}

func rows(m map[string]*Row) []Row {
	out := make([]Row, 0, len(m))
	for _, row := range m {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b Row) int {
		if a.Count != b.Count {
			if a.Count > b.Count {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// Finish fills Lines, Diverged and Refused from what was added.
func (r *Report) Finish() *Report {
	r.lines()
	r.Diverged, r.Refused = rows(r.div), rows(r.ref)
	return r
}

// Get returns the line of a section and key, and false if neither side
// counted it.
func (r *Report) Get(section, key string) (Line, bool) {
	for _, l := range r.lines() {
		if l.Section == section && l.Key == key {
			return l, true
		}
	}
	return Line{}, false
}

// DivergedOrders returns how many orders diverged.
func (r *Report) DivergedOrders() int64 { return r.Orders - r.Compared }

func value(n int64, money bool) string {
	if money {
		return aftersale.Money(n).String()
	}
	return strconv.FormatInt(n, 10)
}

func signed(n int64, money bool) string {
	s := value(n, money)
	if n > 0 {
		return "+" + s
	}
	return s
}

// WriteText writes the report as text tables.
func (r *Report) WriteText(w io.Writer) error {
	r.Finish()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "orders %d, compared %d, diverged %d\n", r.Orders, r.Compared, r.DivergedOrders())
	fmt.Fprintf(tw, "before: %s\nafter:  %s\n\n", r.Before, r.After)
	fmt.Fprintf(tw, "section\tkey\tbefore\tafter\tdelta\t examples\n")
	for _, l := range r.lines() {
		if l.Section == SectionDecisions && l.Delta == 0 {
			continue // the decisions that changed; -json has them all
		}
		ex := l.AfterExamples
		if len(ex) == 0 {
			ex = l.BeforeExamples
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t %s\n", l.Section, l.Key, value(l.Before, l.Money), value(l.After, l.Money), signed(l.Delta, l.Money), strings.Join(ex, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, part := range []struct {
		title string
		rows  []Row
	}{{"diverged orders", r.Diverged}, {"inputs refused on both sides", r.Refused}} {
		if len(part.rows) == 0 {
			continue
		}
		fmt.Fprintf(tw, "\n%s\tcount\t examples\n", part.title)
		for _, row := range part.rows {
			fmt.Fprintf(tw, "%s\t%d\t %s\n", row.Key, row.Count, strings.Join(row.Examples, " "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	r.Finish()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
