package timeline

import (
	"testing"
	"time"
	_ "time/tzdata" // the daylight-saving test needs a zone database on any machine
)

func TestEndOfDay(t *testing.T) {
	zone := UTC8()
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, zone)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name   string
		from   string
		days   int
		asked  string
		inside bool
	}{
		{"delivered 03-01 15:00, asked 03-08 23:59:59: inside the 7 days", "2026-03-01 15:00:00", 7, "2026-03-08 23:59:59", true},
		{"delivered 03-01 15:00, asked 03-09 00:00: outside the 7 days", "2026-03-01 15:00:00", 7, "2026-03-09 00:00:00", false},
		{"delivered 03-01 00:00, asked 03-08 23:59: counting starts the next day", "2026-03-01 00:00:00", 7, "2026-03-08 23:59:00", true},
		{"delivered 02-28 23:59 in a non-leap year: 7 days end 03-08", "2026-02-28 23:59:00", 7, "2026-03-07 23:59:59", true},
		{"shipped 01-31 10:00, asked 03-02 23:59: inside the 30 days", "2026-01-31 10:00:00", 30, "2026-03-02 23:59:59", true},
		{"shipped 01-31 10:00, asked 03-03 00:00: outside the 30 days", "2026-01-31 10:00:00", 30, "2026-03-03 00:00:00", false},
		{"n = 0: the window is the rest of the day itself", "2026-03-01 15:00:00", 0, "2026-03-01 23:59:59", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			end := EndOfDay(at(tc.from), tc.days, zone)
			if got := at(tc.asked).Before(end); got != tc.inside {
				t.Errorf("asked %s with the window ending %v: inside = %v, want %v", tc.asked, end, got, tc.inside)
			}
		})
	}
}

func TestEndOfDayCountsInTheGivenZone(t *testing.T) {
	// 2026-03-01 20:00 UTC is already 03-02 04:00 in UTC+8: the seven days
	// start on 03-03 there, and the window ends 03-10 00:00 UTC+8.
	from := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	got := EndOfDay(from, 7, UTC8())
	want := time.Date(2026, 3, 10, 0, 0, 0, 0, UTC8())
	if !got.Equal(want) {
		t.Errorf("EndOfDay = %v, want %v", got, want)
	}
	if got := EndOfDay(from, 7, time.UTC); !got.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("EndOfDay in UTC = %v, want 2026-03-09 00:00 UTC", got)
	}
}

func TestEndOfDayAcrossDaylightSaving(t *testing.T) {
	// Where the offset changes inside the window, the window still ends at
	// local midnight.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 5, 15, 0, 0, 0, ny) // daylight saving starts 03-08
	got := EndOfDay(from, 7, ny)
	if want := time.Date(2026, 3, 13, 0, 0, 0, 0, ny); !got.Equal(want) {
		t.Errorf("EndOfDay = %v, want %v", got, want)
	}
	for tm := time.Date(2026, 1, 1, 0, 30, 0, 0, ny); tm.Year() == 2026; tm = tm.Add(7 * time.Hour) {
		for _, n := range []int{0, 7, 30} {
			if got, want := EndOfDay(tm, n, ny), DateOf(tm, ny).AddDays(n+1).Start(ny); !got.Equal(want) {
				t.Fatalf("EndOfDay(%v, %d) = %v, want %v", tm, n, got, want)
			}
		}
	}
}
