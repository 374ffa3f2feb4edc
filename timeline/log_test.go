package timeline

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testEvent is the event type of the Log tests.
type testEvent struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

func (e testEvent) Stamp() time.Time { return e.At }

var _ Stamped = testEvent{}

// logOf returns a Log of events, failing t if any is out of order.
func logOf(t *testing.T, events ...testEvent) Log[testEvent] {
	t.Helper()
	var l Log[testEvent]
	for _, e := range events {
		if err := l.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

func TestLogAppend(t *testing.T) {
	zone := UTC8()
	at := func(hour int) time.Time { return time.Date(2026, 3, 1, hour, 0, 0, 0, zone) }
	for _, tc := range []struct {
		name    string
		appends []testEvent
		refused []bool // whether each append must be refused
	}{
		{"in order", []testEvent{{at(9), "a"}, {at(10), "b"}, {at(11), "c"}}, []bool{false, false, false}},
		{"equal stamps are allowed", []testEvent{{at(9), "a"}, {at(9), "b"}, {at(9), "c"}}, []bool{false, false, false}},
		{"an earlier stamp is refused", []testEvent{{at(10), "a"}, {at(9), "b"}}, []bool{false, true}},
		{"after a refusal the log goes on from the last event kept",
			[]testEvent{{at(10), "a"}, {at(12), "b"}, {at(11), "c"}, {at(12), "d"}}, []bool{false, false, true, false}},
		{"the same instant in another zone is equal, not earlier",
			[]testEvent{{at(10), "a"}, {at(10).UTC(), "b"}, {at(10).Add(-time.Nanosecond).UTC(), "c"}}, []bool{false, false, true}},
		{"the first event may have any stamp, even the zero time", []testEvent{{time.Time{}, "a"}, {at(1), "b"}}, []bool{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l Log[testEvent]
			var want []testEvent
			for i, e := range tc.appends {
				err := l.Append(e)
				if tc.refused[i] {
					if !errors.Is(err, ErrOutOfOrder) {
						t.Errorf("Append(%v) = %v, want ErrOutOfOrder", e, err)
					}
				} else {
					if err != nil {
						t.Errorf("Append(%v) = %v", e, err)
					}
					want = append(want, e)
				}
				if diff := cmp.Diff(want, l.Events()); diff != "" {
					t.Fatalf("after Append(%v) (-want +got):\n%s", e, diff)
				}
			}
			if last, ok := l.Last(); ok != (len(want) > 0) || ok && last != want[len(want)-1] {
				t.Errorf("Last = %v, %v", last, ok)
			}
		})
	}
}

func TestLogJSONRoundTrip(t *testing.T) {
	zone := UTC8()
	at := func(hour, nano int) time.Time { return time.Date(2026, 3, 1, hour, 0, 0, nano, zone) }
	for _, tc := range []struct {
		name string
		log  Log[testEvent]
		want string // the JSON form, if the case checks it
	}{
		{"zero", Log[testEvent]{}, `[]`},
		{"empty with room", NewLog[testEvent](4), `[]`},
		{"one event", logOf(t, testEvent{at(10, 0), "requested"}), `[{"at":"2026-03-01T10:00:00+08:00","what":"requested"}]`},
		{"equal stamps and nanoseconds", logOf(t,
			testEvent{at(10, 1), "a"}, testEvent{at(10, 1), "b"}, testEvent{at(11, 999), "c"}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.log)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != "" && string(b) != tc.want {
				t.Errorf("json.Marshal = %s, want %s", b, tc.want)
			}
			var back Log[testEvent]
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("json.Unmarshal(%s) = %v", b, err)
			}
			// cmp compares times with Equal: the zone's name does not survive.
			if diff := cmp.Diff(tc.log.Events(), back.Events()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			// Inside another value, by value and by pointer.
			type holder struct {
				Log  Log[testEvent]
				Ptr  *Log[testEvent]
				Note string
			}
			b, err = json.Marshal(holder{tc.log, &tc.log, "x"})
			if err != nil {
				t.Fatal(err)
			}
			var h holder
			if err := json.Unmarshal(b, &h); err != nil {
				t.Fatalf("json.Unmarshal(%s) = %v", b, err)
			}
			if diff := cmp.Diff(tc.log.Events(), h.Log.Events()); diff != "" {
				t.Errorf("round trip in a struct (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.log.Events(), h.Ptr.Events()); diff != "" {
				t.Errorf("round trip through a pointer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogUnmarshalJSONRefuses(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         string
		outOfOrder bool // the error must be ErrOutOfOrder
	}{
		{"an unknown field", `[{"at":"2026-03-01T10:00:00Z","what":"a","who":"buyer"}]`, false},
		{"a stamp before the one before it", `[{"at":"2026-03-01T10:00:00Z","what":"a"},{"at":"2026-03-01T09:59:59Z","what":"b"}]`, true},
		{"an earlier stamp later on", `[{"at":"2026-03-01T10:00:00Z"},{"at":"2026-03-01T10:00:00Z"},{"at":"2026-03-01T11:00:00+08:00"}]`, true},
		{"an object", `{"at":"2026-03-01T10:00:00Z"}`, false},
		{"a bad stamp", `[{"at":"yesterday"}]`, false},
		{"a field of the wrong type", `[{"at":"2026-03-01T10:00:00Z","what":1}]`, false},
		{"a cut-off array", `[{"at":"2026-03-01T10:00:00Z"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := logOf(t,
				testEvent{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "kept"},
				testEvent{time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), "also kept"})
			want := l.Events()
			err := l.UnmarshalJSON([]byte(tc.in))
			if err == nil {
				t.Fatalf("UnmarshalJSON(%s) succeeded: %v", tc.in, l.Events())
			}
			if errors.Is(err, ErrOutOfOrder) != tc.outOfOrder {
				t.Errorf("UnmarshalJSON(%s) = %v; out of order: %v, want %v", tc.in, err, errors.Is(err, ErrOutOfOrder), tc.outOfOrder)
			}
			if diff := cmp.Diff(want, l.Events()); diff != "" {
				t.Errorf("the log changed on error (-want +got):\n%s", diff)
			}
			// json.Unmarshal reaches the same method, but refuses what is
			// not valid JSON before calling it.
			if err := json.Unmarshal([]byte(tc.in), &l); err == nil {
				t.Errorf("json.Unmarshal(%s) succeeded", tc.in)
			}
			if diff := cmp.Diff(want, l.Events()); diff != "" {
				t.Errorf("the log changed on a json.Unmarshal error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogEventsReturnsACopy(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	l := logOf(t, testEvent{day(1), "a"}, testEvent{day(2), "b"})
	l.Grow(4) // spare room the copy must not share
	want := []testEvent{{day(1), "a"}, {day(2), "b"}}

	got := l.Events()
	got[0].What = "changed"
	_ = append(got, testEvent{day(3), "appended"})
	if diff := cmp.Diff(want, l.Events()); diff != "" {
		t.Errorf("changing what Events returned changed the log (-want +got):\n%s", diff)
	}

	// Slice shares the events but not the log's spare room: what a caller
	// appends to it and what the log appends stay apart.
	s := l.Slice()
	if cap(s) != len(s) {
		t.Errorf("Slice has room for %d more events", cap(s)-len(s))
	}
	s = append(s, testEvent{day(3), "appended to Slice"})
	if err := l.Append(testEvent{day(4), "appended to the log"}); err != nil {
		t.Fatal(err)
	}
	if s[2].What != "appended to Slice" {
		t.Errorf("appending to the log changed what was appended to Slice: %v", s[2])
	}
	if last, _ := l.Last(); last.What != "appended to the log" || l.Len() != 3 {
		t.Errorf("after appending to Slice: Last = %v, Len = %d", last, l.Len())
	}

	var zero Log[testEvent]
	if got := zero.Events(); len(got) != 0 {
		t.Errorf("Events of the zero Log = %v", got)
	}
}

func TestLogGrow(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		log  func() Log[testEvent]
		n    int
	}{
		{"zero log", func() Log[testEvent] { return Log[testEvent]{} }, 5},
		{"zero log, no room", func() Log[testEvent] { return Log[testEvent]{} }, 0},
		{"full log", func() Log[testEvent] { return logOf(t, testEvent{day(1), "a"}, testEvent{day(2), "b"}) }, 8},
		{"room enough already", func() Log[testEvent] {
			l := NewLog[testEvent](16)
			l.Append(testEvent{day(1), "a"})
			return l
		}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.log()
			before := g.Events()
			g.Grow(tc.n)
			if got := cap(g.events) - len(g.events); got < tc.n {
				t.Errorf("Grow(%d) leaves room for %d", tc.n, got)
			}
			if diff := cmp.Diff(before, g.Events()); diff != "" {
				t.Errorf("Grow changed the events (-want +got):\n%s", diff)
			}
			// Appending n events does not move the grown log's events.
			first := cap(g.events)
			for i := range tc.n {
				if err := g.Append(testEvent{day(10 + i), "more"}); err != nil {
					t.Fatal(err)
				}
			}
			if cap(g.events) != first {
				t.Errorf("appending %d events after Grow(%d) grew the log again", tc.n, tc.n)
			}
		})
	}
}

func TestLogEdges(t *testing.T) {
	var l Log[testEvent]
	if err := l.Append(testEvent{At: time.Unix(10, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := l.UnmarshalJSON([]byte("null")); err != nil || l.Len() != 1 {
		t.Errorf("null: %v, %d events; want no change", err, l.Len())
	}
	if err := l.UnmarshalJSON([]byte("[] ]")); err == nil {
		t.Error("data after the array was accepted")
	}
	l.Grow(-3) // does not panic
	if l.Len() != 1 {
		t.Errorf("Grow changed the events")
	}
}
