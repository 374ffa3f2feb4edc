package aftersale

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestDeadlineTableShape checks what the rest of the package assumes of the
// table: one field per row, unique names, and for every waiting state one
// row for the general case, last, carrying the rule and messages.
func TestDeadlineTableShape(t *testing.T) {
	names := map[string]bool{"calendar": true}
	realerts := 0
	for i := range deadlineTable {
		r := &deadlineTable[i]
		if names[strings.ToLower(r.name)] {
			t.Errorf("%s: a second row or the calendar has this name", r.name)
		}
		names[strings.ToLower(r.name)] = true
		if (r.dur == nil) == (r.days == nil) || (r.dur == nil) != (r.durOf == nil) || (r.days == nil) != (r.daysOf == nil) {
			t.Errorf("%s: a row is a duration (dur, durOf) or a day count (days, daysOf), not both or neither", r.name)
		}
		if r.source == "" || r.doc == "" {
			t.Errorf("%s: no source or doc", r.name)
		}
		// The two ways to the field reach the same one.
		var d Deadlines
		if r.days != nil {
			*r.days(&d) = 3
			if r.daysOf(d) != 3 {
				t.Errorf("%s: days and daysOf reach different fields", r.name)
			}
		} else {
			*r.dur(&d) = time.Minute
			if r.durOf(d) != time.Minute {
				t.Errorf("%s: dur and durOf reach different fields", r.name)
			}
		}
		if r.state == 0 {
			realerts++
		}
	}
	if realerts != 1 || realert == nil {
		t.Errorf("%d rows have no state, want 1 (realert)", realerts)
	}
	for s := State(1); int(s) < numStates; s++ {
		rows := deadlinesOf[s]
		if s.Terminal() {
			if len(rows) != 0 {
				t.Errorf("%s is terminal but has a deadline", s)
			}
			continue
		}
		if len(rows) == 0 {
			t.Errorf("%s has no deadline: a case could wait there forever", s)
			continue
		}
		for i, r := range rows {
			last := i == len(rows)-1
			if last != (r.only == nil) {
				t.Errorf("%s: row %s is out of place: rows for some cases come first, then the one for the rest", s, r.name)
			}
			if last != (r.rule != "" && r.en != "" && r.zh != "") {
				t.Errorf("%s: row %s: only the row for the rest carries the rule and messages", s, r.name)
			}
		}
	}
}

// nonDefault sets the row's field in d to a value that is not its default
// and returns how JSON writes it.
func nonDefault(r *deadlineRow, d *Deadlines) string {
	if r.days != nil {
		*r.days(d) = r.defDays + 3
		return `{"` + r.name + `":` + itoa(r.defDays+3) + `}`
	}
	*r.dur(d) = r.def + 90*time.Minute
	return `{"` + r.name + `":"` + (r.def + 90*time.Minute).String() + `"}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestEveryDeadlineRoundTripsThroughJSON sets each row's field alone to a
// value other than its default and reads it back.
func TestEveryDeadlineRoundTripsThroughJSON(t *testing.T) {
	for i := range deadlineTable {
		r := &deadlineTable[i]
		t.Run(r.name, func(t *testing.T) {
			var d Deadlines
			want := nonDefault(r, &d)
			b, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != want {
				t.Errorf("encoded %s, want %s", b, want)
			}
			var back Deadlines
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back != d {
				t.Errorf("decoded %+v, want %+v", back, d)
			}
			upper := strings.Replace(string(b), r.name, strings.ToUpper(r.name), 1)
			back = Deadlines{}
			if err := json.Unmarshal([]byte(upper), &back); err != nil || back != d {
				t.Errorf("decoding %s: %+v, %v; names match ignoring case, as encoding/json's do", upper, back, err)
			}
		})
	}
}

// TestValidateRefusesEveryNegativeDeadline sets each row's field alone to
// a negative value.
func TestValidateRefusesEveryNegativeDeadline(t *testing.T) {
	for i := range deadlineTable {
		r := &deadlineTable[i]
		t.Run(r.name, func(t *testing.T) {
			var d Deadlines
			var js string
			if r.days != nil {
				*r.days(&d) = -1
				js = `{"` + r.name + `": -1}`
			} else {
				*r.dur(&d) = -time.Nanosecond
				js = `{"` + r.name + `": "-1ns"}`
			}
			err := d.Validate()
			if CodeOf(err) != ErrInvalidInput || !strings.Contains(err.Error(), r.name) {
				t.Errorf("Validate = %v, want invalid_input naming %s", err, r.name)
			}
			var back Deadlines
			if err := back.UnmarshalJSON([]byte(js)); CodeOf(err) != ErrInvalidInput || back != (Deadlines{}) {
				t.Errorf("decoding %s: %v, leaving %+v; want invalid_input and no change", js, err, back)
			}
		})
	}
}
