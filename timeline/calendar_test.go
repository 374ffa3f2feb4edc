package timeline

import (
	"testing"
	"time"
)

func TestAddBusinessDays(t *testing.T) {
	zone := UTC8()
	d := func(y int, m time.Month, day int) Date { return Date{y, m, day} }
	// National Day 2026: 10-01 (Thu) to 10-07 off; Sunday 09-27 and
	// Saturday 10-10 worked instead (an illustrative 调休 arrangement).
	golden := Workweek{
		Holidays: []Date{d(2026, 10, 1), d(2026, 10, 2), d(2026, 10, 5), d(2026, 10, 6), d(2026, 10, 7)},
		Workdays: []Date{d(2026, 9, 27), d(2026, 10, 10)},
	}
	for _, tc := range []struct {
		name string
		cal  Calendar
		from time.Time
		n    int
		want Date // the last business day counted
	}{
		{"7 business days from a Friday evening: the Tuesday after next", nil,
			time.Date(2026, 11, 6, 20, 0, 0, 0, zone), 7, d(2026, 11, 17)},
		{"7 business days from a Monday morning: Tuesday next week", Workweek{},
			time.Date(2026, 11, 9, 9, 0, 0, 0, zone), 7, d(2026, 11, 18)},
		{"from a Saturday the count starts on Monday", Workweek{},
			time.Date(2026, 11, 7, 9, 0, 0, 0, zone), 1, d(2026, 11, 9)},
		{"holidays are skipped and make-up Saturdays count", golden,
			time.Date(2026, 9, 30, 18, 0, 0, 0, zone), 3, d(2026, 10, 10)},
		{"make-up Sunday counts", golden,
			time.Date(2026, 9, 26, 18, 0, 0, 0, zone), 1, d(2026, 9, 27)},
		{"a make-up Saturday is the only working day after the holiday week", golden,
			time.Date(2026, 10, 9, 18, 0, 0, 0, zone), 1, d(2026, 10, 10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := AddBusinessDays(tc.cal, tc.from, tc.n, zone)
			want := tc.want.AddDays(1).Start(zone)
			if !got.Equal(want) {
				t.Errorf("AddBusinessDays = %v, want the end of %v (%v)", got, tc.want, want)
			}
		})
	}
}

type noBusinessDays struct{}

func (noBusinessDays) IsBusinessDay(Date) bool { return false }

func TestAddBusinessDaysStopsOnACalendarWithoutWorkingDays(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	got := AddBusinessDays(noBusinessDays{}, from, 3, time.UTC)
	if got.Sub(from) > 11*366*24*time.Hour || !got.After(from) {
		t.Errorf("AddBusinessDays on a calendar with no working days = %v", got)
	}
}

func TestAddBusinessDaysZero(t *testing.T) {
	from := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	if got := AddBusinessDays(nil, from, 0, time.UTC); !got.Equal(from) {
		t.Errorf("AddBusinessDays(0) = %v, want %v", got, from)
	}
}

// TestAddBusinessDaysArithmeticAgreesWithCounting checks the arithmetic
// for a plain week against counting day by day, from every weekday and for
// 1 to 30 business days.
func TestAddBusinessDaysArithmeticAgreesWithCounting(t *testing.T) {
	plain := calendarFunc(func(d Date) bool { return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday })
	for start := 20000; start < 20014; start++ {
		for n := 1; n <= 30; n++ {
			if got, want := addWeekdays(start, n), addBusinessDays(plain, start, n); got != want {
				t.Fatalf("from %v (%v), %d business days: arithmetic gives %v, counting %v",
					dateOfDay(start), weekdayOfDay(start), n, dateOfDay(got), dateOfDay(want))
			}
		}
	}
}

type calendarFunc func(Date) bool

func (f calendarFunc) IsBusinessDay(d Date) bool { return f(d) }

func TestAddBusinessDaysNilWorkweek(t *testing.T) {
	var w *Workweek
	from := time.Date(2026, 11, 6, 20, 0, 0, 0, time.UTC)
	if got, want := AddBusinessDays(w, from, 7, time.UTC), AddBusinessDays(nil, from, 7, time.UTC); !got.Equal(want) {
		t.Errorf("a nil *Workweek gives %v, want %v", got, want)
	}
}

// TestAddBusinessDaysAcrossDaylightSaving checks, through a year of New
// York time, that the count ends at local midnight of the day after the
// last business day, as a calendar on the wall reads it, when the offset
// changes in between.
func TestAddBusinessDaysAcrossDaylightSaving(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for tm := time.Date(2026, 1, 1, 0, 30, 0, 0, ny); tm.Year() == 2026; tm = tm.Add(7 * time.Hour) {
		for _, n := range []int{1, 5, 7} {
			d := DateOf(tm, ny)
			for seen := 0; seen < n; {
				d = d.AddDays(1)
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					seen++
				}
			}
			if got, want := AddBusinessDays(nil, tm, n, ny), d.AddDays(1).Start(ny); !got.Equal(want) {
				t.Fatalf("AddBusinessDays(%v, %d) = %v, want %v", tm, n, got, want)
			}
		}
	}
}
