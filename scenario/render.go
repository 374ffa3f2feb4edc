package scenario

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shouhou/shouhou/aftersale"
)

// stampLayout is how the timeline shows times, in the scenario's zone.
const stampLayout = "2006-01-02 15:04"

// WriteText writes the result for people: the scenario's name, its file
// and the zone its times are in, its timeline as a table, then PASS, or
// FAIL and each failure with what was expected and what happened. A row
// shows the step it belongs to, or, for a deadline that passed as the
// clock moved, the deadline's own number: D1, D2...
func (r Result) WriteText(w io.Writer) error {
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tTIME\tACTOR\tACTION\tCASE\tFROM -> TO\tPOLICY\tNOTE")
	for _, row := range r.Timeline {
		action := row.Action.String()
		if row.Args != "" {
			action += " " + row.Args
		}
		step := strconv.Itoa(row.Step)
		if row.Deadline != 0 {
			step = "D" + strconv.Itoa(row.Deadline)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", step, row.At.Format(stampLayout), row.Actor,
			action, row.Case, transition(row), row.Decision.Policy, note(row))
	}
	tw.Flush()

	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n   %s", r.Name, r.File)
	if len(r.Timeline) > 0 {
		fmt.Fprintf(&b, ", times in %s", r.Timeline[0].At.Location())
	}
	b.WriteString("\n\n")
	for line := range strings.Lines(table.String()) {
		// Empty cells at the end of a row leave padding behind.
		b.WriteString("   " + strings.TrimRight(line, " \n") + "\n")
	}
	b.WriteString("\n")
	if r.Passed {
		b.WriteString("PASS\n")
	} else {
		b.WriteString("FAIL\n")
		for _, f := range r.Failures {
			fmt.Fprintf(&b, "   step %d: %s: want %s, got %s\n", f.Step, f.Field, f.Want, f.Got)
		}
	}
	// Built in memory and written once: a failing writer fails once.
	_, err := io.WriteString(w, b.String())
	return err
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

// note writes a row's note: the decision's message in English and
// Chinese, or why nothing changed.
func note(r Row) string {
	d := r.Decision
	switch {
	case r.Message != "":
		return r.Message
	case d.En != "" && d.Zh != "":
		return d.En + " (" + d.Zh + ")"
	}
	return d.En + d.Zh
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
	if ev.Compensation != 0 {
		c := "compensation " + ev.Compensation.String()
		if ev.Payer != 0 {
			c += " paid by " + ev.Payer.String()
		}
		tail = append(tail, c)
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
