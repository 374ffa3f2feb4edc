package scenario

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
)

// stampLayout is how the timeline shows times, in the scenario's zone.
const stampLayout = "2006-01-02 15:04"

// Lang is a language the text form is written in.
type Lang string

// The languages of the text form.
const (
	English Lang = "en" // the default
	Chinese Lang = "zh" // 中文: headers, verdicts, failures and notes
)

// Langs lists the languages WriteTextIn knows.
var Langs = []Lang{English, Chinese}

// words are the fixed words of the text form in one language.
type words struct {
	header              []string
	timesIn, pass, fail string
	failure             string // a format: step, field, want, got
	warning             string // what starts the note of a decision that is a warning
}

var vocabulary = map[Lang]words{
	English: {
		header:  []string{"STEP", "TIME", "ACTOR", "ACTION", "CASE", "FROM -> TO", "POLICY", "NOTE"},
		timesIn: ", times in %s", pass: "PASS", fail: "FAIL",
		failure: "   step %d: %s: want %s, got %s\n",
		warning: "warning: ",
	},
	Chinese: {
		header:  []string{"步骤", "时间", "角色", "动作", "售后单", "状态变化", "策略", "说明"},
		timesIn: "，时间为 %s", pass: "通过", fail: "未通过",
		failure: "   第 %d 步：%s：应为 %s，实为 %s\n",
		warning: "警告：",
	},
}

// WriteText writes the result for people, in English: the scenario's
// name, its file and the zone its times are in, its timeline as a table,
// then PASS, or FAIL and each failure with what was expected and what
// happened. A row shows the step it belongs to, or, for a deadline that
// passed as the clock moved, the deadline's own number: D1, D2...
func (r Result) WriteText(w io.Writer) error { return r.WriteTextIn(w, English) }

// WriteTextIn writes the result as WriteText does, in the language lang:
// in Chinese the headers, the verdict (通过 or 未通过), the failures and
// the notes are Chinese, where the note has a Chinese form (the policies'
// decisions, order facts, repeats, and the reasons a request is not
// eligible); names of actions, states and fields stay as the file writes
// them. An unknown language is an error.
func (r Result) WriteTextIn(w io.Writer, lang Lang) error {
	v, ok := vocabulary[lang]
	if !ok {
		return fmt.Errorf("scenario: unknown language %q; one of %s", lang, joinLangs())
	}
	rows := [][]string{v.header}
	for _, row := range r.Timeline {
		action := row.Action.String()
		if row.Args != "" {
			action += " " + row.Args
		}
		step := strconv.Itoa(row.Step)
		if row.Deadline != 0 {
			step = "D" + strconv.Itoa(row.Deadline)
		}
		rows = append(rows, []string{step, row.At.Format(stampLayout), row.Actor.String(),
			action, row.Case, transition(row), policies(row.Decision, row.CompensationDecision), note(row, lang)})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n   %s", r.Name, r.File)
	if len(r.Timeline) > 0 {
		fmt.Fprintf(&b, v.timesIn, r.Timeline[0].At.Location())
	}
	b.WriteString("\n\n")
	for _, line := range align(rows, 2) {
		b.WriteString("   " + line + "\n")
	}
	b.WriteString("\n")
	if r.Passed {
		b.WriteString(v.pass + "\n")
	} else {
		b.WriteString(v.fail + "\n")
		for _, f := range r.Failures {
			fmt.Fprintf(&b, v.failure, f.Step, f.Field, f.Want, f.Got)
		}
	}
	// Built in memory and written once: a failing writer fails once.
	_, err := io.WriteString(w, b.String())
	return err
}

func joinLangs() string {
	names := make([]string, len(Langs))
	for i, l := range Langs {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// align lays rows out in columns gap spaces apart, as text/tabwriter
// would, but counting the width a terminal gives each character: two
// columns for Chinese. The last column is not padded, nor are empty cells
// at the end of a row.
func align(rows [][]string, gap int) []string {
	var widths []int
	for _, row := range rows {
		for i, cell := range row[:max(len(row)-1, 0)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(cell))
		}
	}
	lines := make([]string, len(rows))
	for r, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-width(cell)+gap))
			}
		}
		lines[r] = strings.TrimRight(b.String(), " ")
	}
	return lines
}

// width is how many columns a terminal gives s: two for each wide
// (East Asian) character, one for any other.
func width(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

// wide reports whether r is an East Asian wide or fullwidth character:
// Hangul Jamo, CJK punctuation, ideographs and syllables, and fullwidth
// forms.
func wide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

// transition writes a row's "from -> to" cell.
func transition(r Row) string {
	switch {
	case r.Refused != 0:
		return "refused: " + r.Refused.String()
	case r.Repeat:
		return "repeat"
	case r.To == 0:
		return ""
	}
	s := "-> " + r.To.String()
	if r.From != 0 {
		s = r.From.String() + " " + s
	}
	if r.Closed != 0 {
		s += " (" + r.Closed.String() + ")"
	}
	return s
}

// note writes a row's note: in English, the decisions' messages in
// English and Chinese, or why nothing changed; in Chinese, the Chinese of
// either where there is one, else the English.
func note(r Row, lang Lang) string {
	switch {
	case lang == Chinese && r.Message != "":
		return cmp.Or(r.MessageZh, r.Message)
	case r.Message != "":
		return r.Message
	}
	var notes []string
	for _, d := range [...]aftersale.Decision{r.Decision, r.CompensationDecision} {
		s := decisionNote(d, lang)
		if d.Policy != "" && slices.Contains(r.Warnings, cmp.Or(d.Rule, d.Policy)) {
			s = vocabulary[lang].warning + cmp.Or(s, cmp.Or(d.Rule, d.Policy))
		}
		if s != "" {
			notes = append(notes, s)
		}
	}
	return strings.Join(notes, "; ")
}

// decisionNote writes a decision's message in the language.
func decisionNote(d aftersale.Decision, lang Lang) string {
	switch {
	case lang == Chinese:
		return cmp.Or(d.Zh, d.En)
	case d.En != "" && d.Zh != "":
		return d.En + " (" + d.Zh + ")"
	}
	return d.En + d.Zh
}

// policies names the policies that took the decisions, in order.
func policies(ds ...aftersale.Decision) string {
	var names []string
	for _, d := range ds {
		if d.Policy != "" {
			names = append(names, d.Policy)
		}
	}
	return strings.Join(names, ", ")
}

// eventArgs writes the key arguments of an event: first what it names
// (what a request asks for, a parcel, a ruling, an amount), then, after
// commas, what comes with it (lines, freight, compensation, a note), then
// the case's new kind if kindChanged, and the idempotency key. lines are
// the units a request covers.
func eventArgs(ev aftersale.Event, lines []aftersale.Units, kindChanged bool) string {
	var head, tail []string
	switch ev.Action {
	case aftersale.ActionRequest:
		if ev.Closed == aftersale.ClosedSuperseded {
			return "superseded by " + ev.Note
		}
		if ev.Kind != 0 {
			head = append(head, ev.Kind.String())
		}
		if ev.Reason != 0 {
			head = append(head, ev.Reason.String())
		}
	case aftersale.ActionRule:
		if ev.Ruling != 0 {
			head = append(head, "for the "+ev.Ruling.String())
		}
	case aftersale.ActionShipReturn, aftersale.ActionReship:
		if ev.Carrier != "" {
			head = append(head, ev.Carrier)
		}
		if ev.Waybill != "" {
			head = append(head, ev.Waybill)
		}
	}
	if ev.Amount != 0 {
		head = append(head, ev.Amount.String())
	}
	for _, u := range lines {
		tail = append(tail, "line "+u.Line+" x"+strconv.Itoa(u.Quantity))
	}
	if ev.ReturnGoods {
		tail = append(tail, "goods come back first")
	}
	if ev.Freight != 0 {
		tail = append(tail, "freight "+ev.Freight.String())
	}
	for _, l := range ev.Compensation {
		tail = append(tail, "compensation "+l.Amount.String()+" paid by "+l.Payer.String())
	}
	if ev.Note != "" {
		tail = append(tail, strconv.Quote(ev.Note))
	}
	if len(head) > 0 {
		tail = append([]string{strings.Join(head, " ")}, tail...)
	}
	s := strings.Join(tail, ", ")
	if kindChanged {
		s += " (now " + ev.Kind.String() + ")"
	}
	if ev.Key != "" {
		s += " [key " + ev.Key + "]"
	}
	return strings.TrimSpace(s)
}

// commandArgs writes the key arguments of a command that appended no event
// of its own: refused, or a repeat.
func commandArgs(cmd aftersale.Command) string {
	return eventArgs(aftersale.Event{
		Action: cmd.Action, Kind: cmd.Kind, Reason: cmd.Reason, Amount: cmd.Amount,
		Ruling: cmd.Ruling, ReturnGoods: cmd.ReturnGoods, Freight: cmd.Freight,
		Note: cmd.Note, Carrier: cmd.Carrier, Waybill: cmd.Waybill, Key: cmd.Key,
	}, cmd.Lines, false)
}
