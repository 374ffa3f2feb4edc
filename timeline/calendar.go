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
	if cal == nil {
		cal = Workweek{}
	}
	day := DateOf(from, zone).day()
	for seen, scanned := 0, 0; seen < n && scanned < maxScan; scanned++ {
		day++
		if cal.IsBusinessDay(dateOfDay(day)) {
			seen++
		}
	}
	return dateOfDay(day + 1).Start(zone)
}
