package timeline

import (
	"testing"
	"time"
)

func TestDateDayNumbersRoundTrip(t *testing.T) {
	// Every day from 1900 to 2200 converts to a day number and back, and the
	// day numbers agree with the standard library's.
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2200; tm = tm.AddDate(0, 0, 1) {
		d := DateOf(tm, time.UTC)
		want := int(tm.Sub(epoch) / (24 * time.Hour))
		if got := d.day(); got != want {
			t.Fatalf("%v.day() = %d, want %d", d, got, want)
		}
		if back := dateOfDay(want); back != d {
			t.Fatalf("dateOfDay(%d) = %v, want %v", want, back, d)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", d, d.Weekday(), tm.Weekday())
		}
	}
}

func TestDateValid(t *testing.T) {
	for _, tc := range []struct {
		d    Date
		want bool
	}{
		{Date{2026, 2, 28}, true},
		{Date{2028, 2, 29}, true},
		{Date{2026, 2, 29}, false},
		{Date{2026, 4, 31}, false},
		{Date{2026, 13, 1}, false},
		{Date{2026, 1, 0}, false},
		{Date{}, false},
	} {
		if got := tc.d.Valid(); got != tc.want {
			t.Errorf("%v.Valid() = %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestDateText(t *testing.T) {
	d, err := ParseDate("2026-10-01")
	if err != nil || d != (Date{2026, time.October, 1}) {
		t.Fatalf("ParseDate = %v, %v", d, err)
	}
	b, err := d.MarshalText()
	if err != nil || string(b) != "2026-10-01" {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	for _, bad := range []string{"", "2026-1-01", "2026-02-30", "01/10/2026", "2026-10-01T00:00:00Z"} {
		var x Date
		if err := x.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = %v, want an error", bad, x)
		}
	}
	if _, err := (Date{2026, 2, 30}).MarshalText(); err == nil {
		t.Error("MarshalText of 2026-02-30 succeeded")
	}
}

func TestDateCompare(t *testing.T) {
	a, b := Date{2026, 3, 1}, Date{2026, 3, 2}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare disagrees with the calendar")
	}
}
