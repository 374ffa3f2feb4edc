package aftersale

import "strings"

// Diagram returns the transition table as a Mermaid state diagram: one
// arrow a row, labelled with the action, who may send it, the kinds it is
// for and its condition; "timeout" marks what the system does when the
// state's deadline passes; the states a case may be imported into are
// listed in a comment. The README shows it, and a test keeps the
// README's copy current.
func Diagram() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	for s := StatePendingReview; int(s) < numStates; s++ {
		b.WriteString("    state \"" + s.String() + " " + s.Label() + "\" as " + s.String() + "\n")
	}
	var imported []string
	for _, r := range Transitions() {
		if r.Action == ActionImport {
			imported = append(imported, r.To.String())
			continue
		}
		from := "[*]"
		if r.From != 0 {
			from = r.From.String()
		}
		b.WriteString("    " + from + " --> " + r.To.String() + ": " + r.Action.String())
		var who []string
		if r.By != 0 {
			who = append(who, "by "+r.By.String())
		}
		if r.Timeout {
			who = append(who, "on timeout")
		}
		b.WriteString(" (" + strings.Join(who, ", ") + ")")
		if r.Kinds != 0 {
			var ks []string
			for k := KindRefundOnly; int(k) < len(kindNames); k++ {
				if r.Kinds.Has(k) {
					ks = append(ks, k.String())
				}
			}
			b.WriteString(" [" + strings.Join(ks, ", ") + "]")
		}
		if r.Closed != 0 {
			b.WriteString(" closed " + r.Closed.String())
		}
		var words []string
		if r.If != 0 {
			words = append(words, r.If.Describe())
		}
		if r.Kind != 0 {
			words = append(words, "becomes "+r.Kind.String())
		}
		if r.Due == DueKept || r.Due == DueResumed || r.Due == DueCapped {
			words = append(words, dueRuleNames[r.Due].zh)
		}
		if r.Note != "" {
			words = append(words, r.Note)
		}
		if len(words) > 0 {
			b.WriteString(", " + strings.Join(words, ", "))
		}
		b.WriteString("\n")
	}
	for s := StatePendingReview; int(s) < numStates; s++ {
		if s.Terminal() {
			b.WriteString("    " + s.String() + " --> [*]\n")
		}
	}
	// One arrow for each state a case may be imported into would hide the
	// machine; a comment lists them instead.
	b.WriteString("    %% import (by system): a case in flight on a platform starts in " + strings.Join(imported, ", ") + "\n")
	return b.String()
}
