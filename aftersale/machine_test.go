package aftersale

import (
	"cmp"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// The tests in this file fail when a change to the machine forgot one of
// the places CONTRIBUTING.md lists, and name the place.

func TestTheTableUsesNamedValues(t *testing.T) {
	for _, r := range Transitions() {
		if int(r.Action) >= numActions || actionNames[r.Action].text == "" {
			t.Errorf("a row from %s uses action %d, which has no name: add it to actionNames in action.go", r.From, r.Action)
		}
		if int(r.To) >= numStates || stateNames[r.To].text == "" {
			t.Errorf("a row from %s leads to state %d, which has no name: add it to stateNames in state.go", r.From, r.To)
		}
		if int(r.Kind) >= len(kindNames) || r.Kind != 0 && kindNames[r.Kind].text == "" {
			t.Errorf("a row from %s makes kind %d, which has no name: add it to kindNames in kind.go", r.From, r.Kind)
		}
		if int(r.If) >= len(conditionNames) || r.If != 0 && conditionNames[r.If].text == "" {
			t.Errorf("a row from %s has condition %d, which has no name: add it to conditionNames in table.go", r.From, r.If)
		}
	}
	for a := Action(1); int(a) < numActions; a++ {
		if actionNames[a].text == "" || actionNames[a].zh == "" {
			t.Errorf("action %d has no name or no Chinese label in actionNames", a)
		}
		used := a.isFact()
		for _, r := range Transitions() {
			used = used || r.Action == a
		}
		if !used {
			t.Errorf("action %d (%q) is in no row of the table: add its rows to table.go", a, actionNames[a].text)
		}
	}
	for c := Condition(1); int(c) < len(conditionNames); c++ {
		used := false
		for _, r := range Transitions() {
			used = used || r.If == c
		}
		if !used {
			t.Errorf("condition %s picks no row: use it in table.go or remove it", c)
		}
	}
}

func TestEveryOpenStateWaitsAndTimesOut(t *testing.T) {
	since := time.Date(2026, 3, 2, 10, 0, 0, 0, timeline.UTC8())
	notes := timeoutDecisions(Deadlines{})
	reach := reachable()
	for s := State(1); int(s) < numStates; s++ {
		if stateNames[s].zh == "" {
			t.Errorf("state %s has no Chinese label in stateNames", s)
		}
		if s.Terminal() {
			continue
		}
		if s.Waiting() == 0 {
			t.Errorf("state %s waits for nobody: add it to State.Waiting in state.go", s)
		}
		for k := Kind(1); int(k) < len(kindNames); k++ {
			if reach[place{s, k}] && !hasTimeout(s, k) {
				t.Errorf("a %s case in %s has no row with Timeout: add one to table.go", k, s)
			}
		}
		q := Query{Order: &Order{}, Case: &Case{state: s}, Zone: timeline.UTC8()}
		if due := (Deadlines{}).Due(q, s, since, false); !due.After(since) {
			t.Errorf("the deadlines policy has no duration for %s: add a row to timeouts.go", s)
		}
		if n := notes[s]; n.Rule == "" || n.Zh == "" || n.En == "" {
			t.Errorf("the deadlines policy records no rule id or message when %s times out: add them in timeouts.go", s)
		}
	}
}

// place is where a case can be: a state and the kind it has there.
type place struct {
	s State
	k Kind
}

// reachable returns the places the table's rows lead a case to from its
// request. A row that resumes an interrupted state goes back to a place
// already reached, so it is not followed.
func reachable() map[place]bool {
	seen := map[place]bool{}
	var todo []place
	for k := Kind(1); int(k) < len(kindNames); k++ {
		todo = append(todo, place{0, k})
	}
	for len(todo) > 0 {
		n := todo[0]
		todo = todo[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		for _, r := range rowsFrom(n.s) {
			if r.Kinds.Has(n.k) && r.Due != DueResumed {
				todo = append(todo, place{r.To, cmp.Or(r.Kind, n.k)})
			}
		}
	}
	return seen
}

// hasTimeout reports whether a case of kind k in s has a timeout row.
func hasTimeout(s State, k Kind) bool {
	for _, r := range rowsFrom(s) {
		if r.Timeout && r.Kinds.Has(k) {
			return true
		}
	}
	return false
}

// TestEveryKindFinishes checks that a case of each kind can finish other
// than closed, following the table's rows from its request.
func TestEveryKindFinishes(t *testing.T) {
	reach := reachable()
	for k := Kind(1); int(k) < len(kindNames); k++ {
		done := false
		for p := range reach {
			done = done || p.k == k && p.s.Terminal() && p.s != StateClosed
		}
		if !done {
			t.Errorf("a %s case can never finish but closed: add its rows to table.go", k)
		}
	}
}

// TestRULESNamesEveryRule checks that RULES.md, which the code cites,
// records every rule id the engine itself writes.
func TestRULESNamesEveryRule(t *testing.T) {
	doc, err := os.ReadFile("../RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{ruleCapExceeded, ruleCapNothingLeft}
	for _, d := range timeoutDecisions(Deadlines{}) {
		if d.Rule != "" {
			ids = append(ids, d.Rule)
		}
	}
	for _, id := range ids {
		if !strings.Contains(string(doc), id) {
			t.Errorf("rule id %s is not in RULES.md: add it where its rule is written down", id)
		}
	}
}

// TestRULESNamesEveryTransition checks that RULES.md section 3 has a row
// for each row of the table that a party sends (what only a deadline does
// is section 4): its state and its action, or for an opening, the state
// the case starts in.
func TestRULESNamesEveryTransition(t *testing.T) {
	doc, err := os.ReadFile("../RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string // the cells of section 3's table rows
	for _, line := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(line, "| 3.") {
			rows = append(rows, strings.Split(line, "|"))
		}
	}
	for _, r := range Transitions() {
		if r.By == 0 {
			continue
		}
		found := false
		for _, cells := range rows {
			switch {
			case len(cells) < 4:
			case r.From == 0:
				found = found || strings.Contains(cells[2], r.To.String())
			default:
				found = found || strings.Contains(cells[2], r.From.String()) && strings.HasPrefix(strings.TrimSpace(cells[3]), r.Action.String())
			}
		}
		if !found {
			t.Errorf("RULES.md section 3 has no row for %s: add one", r)
		}
	}
}
