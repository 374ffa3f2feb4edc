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

// TestStartIsTheFirstInstantOfTheDay checks Date.Start in zones whose
// clocks change at midnight, skipping it (America/Santiago, America/Havana,
// Asia/Beirut) or showing it twice, and in New York, whose change is at
// 02:00: for every day of 2020 to 2030, Start falls on the day, and the
// instant before it on the day before.
func TestStartIsTheFirstInstantOfTheDay(t *testing.T) {
	for _, name := range []string{"America/Santiago", "America/Havana", "Asia/Beirut", "America/Asuncion", "America/New_York"} {
		zone, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for d := (Date{2020, time.January, 1}); d.Year <= 2030; d = d.AddDays(1) {
			start := d.Start(zone)
			if got := DateOf(start, zone); got != d {
				t.Fatalf("%s: %s starts at %v, on %s", name, d, start, got)
			}
			if got := DateOf(start.Add(-time.Nanosecond), zone); got != d.AddDays(-1) {
				t.Fatalf("%s: %s starts at %v, but the instant before is on %s, not the day before", name, d, start, got)
			}
		}
	}
}

// TestWindowWhereDaylightSavingSkipsMidnight: in Santiago summer time
// starts on 2026-09-06, whose clock goes from 09-05 23:59:59 to 09-06
// 01:00. Delivered 08-29, asked 09-05 23:30: within the seven days, which
// end at 09-06 01:00, the first instant of 09-06.
func TestWindowWhereDaylightSavingSkipsMidnight(t *testing.T) {
	santiago, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	delivered := time.Date(2026, 8, 29, 15, 0, 0, 0, santiago)
	end := EndOfDay(delivered, 7, santiago)
	if want := time.Date(2026, 9, 6, 4, 0, 0, 0, time.UTC); !end.Equal(want) {
		t.Errorf("the seven days end at %v, want 09-06 01:00 -03 (%v)", end, want)
	}
	if asked := time.Date(2026, 9, 5, 23, 30, 0, 0, santiago); !asked.Before(end) {
		t.Errorf("asked %v, after the end %v", asked, end)
	}
}
