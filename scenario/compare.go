package scenario

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Comparison is what playing a scenario under several variants of its
// rules gave: for each variant, how each case ended and whether the
// file's expectations held. Its JSON form is what the runner's -json flag
// prints for a compared file.
type Comparison struct {
	File string `json:"file"`
	Name string `json:"name"`
	// Sweep is the parameter swept, such as "deadlines.review"; empty for
	// a comparison of the baseline with the file alone.
	Sweep string `json:"sweep,omitzero"`
	// Runs are the plays, in the order of the variants.
	Runs []Run `json:"runs"`
}

// Run is one play of a comparison.
type Run struct {
	// Label, and Value for a sweep's, are the variant's.
	Label string          `json:"label"`
	Value json.RawMessage `json:"value,omitempty"`
	// Passed says whether the file's expectations held under the variant;
	// Failures lists those that did not, as Result does.
	Passed   bool      `json:"passed"`
	Failures []Failure `json:"failures"`
	// Cases are the order's cases as the play left them, oldest first.
	Cases []Outcome `json:"cases"`
	// Timeline is the play's timeline, as Result has it.
	Timeline []Row `json:"timeline"`
}

// Outcome is how a case ended in one play.
type Outcome struct {
	Case   string                 `json:"case"`
	State  aftersale.State        `json:"state"`
	Closed aftersale.ClosedReason `json:"closed_reason,omitzero"`
	Kind   aftersale.Kind         `json:"kind"`
	// Refunded is the money refunded; Compensation what was decided on
	// top of it, by payer (empty for none).
	Refunded     aftersale.Money          `json:"refunded"`
	Compensation []aftersale.Compensation `json:"compensation"`
	// TimedOut lists the deadlines that passed on the case, in order:
	// whose deadline it was and what the system did.
	TimedOut []Timeout `json:"timed_out"`
	// Warnings lists the warnings of the case's rows (Row.Warnings), each
	// once, in the order they first came.
	Warnings []string `json:"warnings"`
}

// Timeout is a deadline that passed: the state whose deadline it was and
// the action the system took then (or sla_breached, a promise broken).
type Timeout struct {
	State  aftersale.State  `json:"state"`
	Action aftersale.Action `json:"action"`
	At     time.Time        `json:"at"`
}

// String writes the timeout as the comparison table shows it:
// "pending_review→approve".
func (t Timeout) String() string { return t.State.String() + "→" + t.Action.String() }

// Compare plays the scenario under each variant's rules, in order, and
// returns the comparison. A variant under which the file's expectations
// fail is no error: the Run says so. Compare returns an error only if a
// variant cannot be played at all (see Play).
func Compare(s *Scenario, variants ...Variant) (Comparison, error) {
	c := Comparison{File: s.File, Name: s.Name, Runs: []Run{}}
	for _, v := range variants {
		if c.Sweep == "" {
			c.Sweep = v.Param
		}
		cp := *s
		cp.Rules = v.Rules
		res, err := Play(&cp)
		if err != nil {
			return Comparison{}, err
		}
		c.Runs = append(c.Runs, Run{
			Label: v.Label, Value: v.Value, Passed: res.Passed, Failures: res.Failures,
			Cases: outcomes(res), Timeline: res.Timeline,
		})
	}
	return c, nil
}

// outcomes sums up how each case of the played order ended.
func outcomes(res Result) []Outcome {
	out := []Outcome{}
	for _, c := range res.Order.Cases() {
		o := Outcome{
			Case: c.ID(), State: c.State(), Closed: c.ClosedReason(), Kind: c.Kind(), Refunded: c.Refunded(),
			Compensation: slices.Clone(c.Compensation()), TimedOut: []Timeout{}, Warnings: []string{},
		}
		if o.Compensation == nil {
			o.Compensation = []aftersale.Compensation{}
		}
		for _, r := range res.Timeline {
			if r.Case != c.ID() {
				continue
			}
			if r.Deadline != 0 {
				o.TimedOut = append(o.TimedOut, Timeout{State: r.From, Action: r.Action, At: r.At})
			}
			for _, w := range r.Warnings {
				if !slices.Contains(o.Warnings, w) {
					o.Warnings = append(o.Warnings, w)
				}
			}
		}
		out = append(out, o)
	}
	return out
}

// comparisonWords are the fixed words of a comparison's text form in one
// language.
type comparisonWords struct {
	header    []string // but the first column's
	rules     string   // the first column's header without a sweep
	labels    map[string]string
	sweep     string // formats: the parameter
	baseline  string
	both      string // the parameter
	noCase    string
	pass      string
	failStep  string // formats: the step, the steps
	failSteps string
	failure   string // a format: label, step, field, want, got
	stepSep   string
}

var comparisonVocabulary = map[Lang]comparisonWords{
	English: {
		header:   []string{"CASE", "END STATE", "KIND", "REFUNDED", "COMPENSATION", "TIMED OUT", "WARNINGS", "EXPECT"},
		rules:    "RULES",
		labels:   map[string]string{Baseline: Baseline, ThisFile: ThisFile},
		sweep:    ", %s swept over the file's own rules",
		baseline: ", the default rules (baseline) beside the file's own (this file)",
		both:     ", the default rules (baseline), the file's own (this file), and %s swept over the file's own",
		noCase:   "(no case)",
		pass:     "pass", failStep: "fail step %s", failSteps: "fail steps %s", stepSep: ", ",
		failure: "   %s: step %d: %s: want %s, got %s\n",
	},
	Chinese: {
		header:   []string{"售后单", "最终状态", "类型", "已退款", "补偿", "超时", "警告", "预期"},
		rules:    "规则",
		labels:   map[string]string{Baseline: "默认规则", ThisFile: "本文件"},
		sweep:    "，在本文件规则上逐一取 %s 的值",
		baseline: "，默认规则与本文件规则对照",
		both:     "，默认规则、本文件规则，以及在本文件规则上逐一取 %s 的值",
		noCase:   "（无售后单）",
		pass:     "通过", failStep: "未通过：第 %s 步", failSteps: "未通过：第 %s 步", stepSep: "、",
		failure: "   %s：第 %d 步：%s：应为 %s，实为 %s\n",
	},
}

// WriteText writes the comparison for people, in English: the
// scenario's name, its file and what was compared, then one table with a
// row for each case of each run (the run's label, the case, its end
// state, kind, money refunded, compensation by payer, the deadlines that
// passed and the warnings, and whether the file's expectations held,
// "pass" or "fail step N"), then each failure, after its run's label.
func (c Comparison) WriteText(w io.Writer) error { return c.WriteTextIn(w, English) }

// WriteTextIn writes the comparison as WriteText does, in the language
// lang: in Chinese the headers, the labels baseline and this file, the
// verdicts and the failures are Chinese; names of states, kinds, actions
// and values stay as the file writes them. An unknown language is an
// error.
func (c Comparison) WriteTextIn(w io.Writer, lang Lang) error {
	v, ok := comparisonVocabulary[lang]
	if !ok {
		return fmt.Errorf("scenario: unknown language %q; one of %s", lang, joinLangs())
	}
	first := v.rules
	if c.Sweep != "" {
		first = c.Sweep
	}
	rows := [][]string{append([]string{first}, v.header...)}
	baseline := false
	for _, run := range c.Runs {
		label := v.label(run)
		baseline = baseline || run.Value == nil && run.Label == Baseline
		expect := v.pass
		if !run.Passed {
			var steps []string
			for _, f := range run.Failures {
				if s := strconv.Itoa(f.Step); !slices.Contains(steps, s) {
					steps = append(steps, s)
				}
			}
			format := v.failStep
			if len(steps) > 1 {
				format = v.failSteps
			}
			expect = fmt.Sprintf(format, strings.Join(steps, v.stepSep))
		}
		if len(run.Cases) == 0 {
			rows = append(rows, []string{label, "-", v.noCase, "-", "-", "-", "-", "-", expect})
		}
		for i, o := range run.Cases {
			rows = append(rows, []string{label, o.Case, endState(o), o.Kind.String(), o.Refunded.String(),
				orDash(compensation(o.Compensation)), orDash(timeouts(o.TimedOut)), orDash(strings.Join(o.Warnings, ", ")), expect})
			if i == 0 {
				label, expect = "", "" // said on the run's first row
			}
		}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n   %s", c.Name, c.File)
	switch {
	case baseline && c.Sweep != "":
		fmt.Fprintf(&b, v.both, c.Sweep)
	case baseline:
		b.WriteString(v.baseline)
	case c.Sweep != "":
		fmt.Fprintf(&b, v.sweep, c.Sweep)
	}
	b.WriteString("\n\n")
	for _, line := range align(rows, 2) {
		b.WriteString("   " + line + "\n")
	}
	var failures strings.Builder
	for _, run := range c.Runs {
		label := v.label(run)
		for _, f := range run.Failures {
			fmt.Fprintf(&failures, v.failure, label, f.Step, f.Field, f.Want, f.Got)
		}
	}
	if failures.Len() > 0 {
		b.WriteString("\n" + failures.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// label returns the run's label in the language: Baseline and ThisFile
// translated, a value as it is.
func (v comparisonWords) label(run Run) string {
	if l, ok := v.labels[run.Label]; ok && run.Value == nil {
		return l
	}
	return run.Label
}

// endState writes a case's end state, with its closed reason.
func endState(o Outcome) string {
	if o.Closed != 0 {
		return o.State.String() + " (" + o.Closed.String() + ")"
	}
	return o.State.String()
}

// compensation writes the compensation by payer: "insurance 20.00,
// merchant 5.00"; "" for none.
func compensation(lines []aftersale.Compensation) string {
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		parts = append(parts, l.Payer.String()+" "+l.Amount.String())
	}
	return strings.Join(parts, ", ")
}

// timeouts writes the deadlines that passed, in order, a run of the same
// one counted: "pending_review→approve, refunding→sla_breached x2".
func timeouts(ts []Timeout) string {
	var parts []string
	for i := 0; i < len(ts); {
		j := i + 1
		for j < len(ts) && ts[j].State == ts[i].State && ts[j].Action == ts[i].Action {
			j++
		}
		s := ts[i].String()
		if j-i > 1 {
			s += " x" + strconv.Itoa(j-i)
		}
		parts = append(parts, s)
		i = j
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
