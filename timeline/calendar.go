package timeline

import "time"

// Calendar says which dates are business days (工作日).
type Calendar interface {
	IsBusinessDay(d Date) bool
}

// Workweek is the Calendar of a Monday-to-Friday week. Holidays are
// weekdays off (public holidays); Workdays are weekend days worked instead
// (调休, make-up working days). A date in Workdays is a business day even
// if it is also listed in Holidays.
//
// The zero Workweek is a plain Monday-to-Friday week. The lists are
// searched in order; a year's worth of dates is a few dozen entries.
type Workweek struct {
	Holidays []Date
	Workdays []Date
}

var _ Calendar = Workweek{}

// IsBusinessDay reports whether d is a working day in w.
func (w Workweek) IsBusinessDay(d Date) bool {
	for _, x := range w.Workdays {
		if x == d {
			return true
		}
	}
	for _, x := range w.Holidays {
		if x == d {
			return false
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// maxScan bounds the days AddBusinessDays looks at, so a Calendar that has
// no business days at all cannot make it loop forever: about ten years.
const maxScan = 3660

// AddBusinessDays returns the first instant after the nth business day
// counted from the day after from, as clocks in zone show the days. A nil
// cal is the zero Workweek. Seven business days from a Friday evening end
// with the Tuesday after next, so the result is the Wednesday's midnight.
// For n <= 0 it returns from.
//
// If cal has fewer than n business days in the ten years after from, the
// count stops there and the end of the last day looked at is returned.
func AddBusinessDays(cal Calendar, from time.Time, n int, zone *time.Location) time.Time {
	if n <= 0 {
		return from
	}
	start, off := localDay(from, zone)
	var last int
	switch w := cal.(type) {
	case nil:
		last = addWeekdays(start, n)
	case Workweek:
		last = w.addBusinessDays(start, n)
	case *Workweek:
		if w == nil {
			last = addWeekdays(start, n)
		} else {
			last = w.addBusinessDays(start, n)
		}
	default:
		last = addBusinessDays(cal, start, n)
	}
	return midnight(last+1, off, zone)
}

// addBusinessDays counts n business days after the day numbered start and
// returns the number of the last one, looking at no more than maxScan
// days.
func addBusinessDays(cal Calendar, start, n int) int {
	day := start
	for seen, scanned := 0, 0; seen < n && scanned < maxScan; scanned++ {
		day++
		if cal.IsBusinessDay(dateOfDay(day)) {
			seen++
		}
	}
	return day
}

// addBusinessDays is AddBusinessDays for a Workweek: a plain week is
// counted by arithmetic; holidays and make-up days are then looked at as
// day numbers.
func (w Workweek) addBusinessDays(start, n int) int {
	if len(w.Holidays) == 0 && len(w.Workdays) == 0 {
		return addWeekdays(start, n)
	}
	return addBusinessDays(w, start, n)
}

// addWeekdays returns the number of the nth Monday-to-Friday day after the
// day numbered start.
func addWeekdays(start, n int) int {
	// Move to the last weekday on or before start, then whole weeks, then
	// the rest one day at a time (at most four weekdays and a weekend).
	day := start
	switch weekdayOfDay(day) {
	case time.Saturday:
		day--
	case time.Sunday:
		day -= 2
	}
	day += (n - 1) / 5 * 7
	for left := (n-1)%5 + 1; left > 0; {
		day++
		if wd := weekdayOfDay(day); wd != time.Saturday && wd != time.Sunday {
			left--
		}
	}
	return day
}
