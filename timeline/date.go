package timeline

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no zone: the unit the
// day-counting rules work in. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t as a clock in zone shows it.
func DateOf(t time.Time, zone *time.Location) Date {
	y, m, d := t.In(zone).Date()
	return Date{y, m, d}
}

// Start returns the first instant of d in zone: midnight, or where a
// clock change skips midnight (America/Santiago goes from 23:59:59 to
// 01:00 on its first day of summer time), the change itself; where
// midnight comes twice, the first.
func (d Date) Start(zone *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, zone)
	start, end := t.ZoneBounds()
	switch {
	case DateOf(t, zone).Compare(d) < 0 && !end.IsZero():
		return end.In(zone) // time.Date answered the hour before a skipped midnight
	case !start.IsZero():
		// A midnight under the offset before the last change, if the
		// clock showed it then, came first.
		_, before := start.Add(-time.Second).Zone()
		_, now := t.Zone()
		if earlier := t.Add(time.Duration(now-before) * time.Second); earlier.Before(start) && earlier.In(zone).Format(time.DateTime) == t.Format(time.DateTime) {
			return earlier.In(zone)
		}
	}
	return t
}

// AddDays returns the date n days after d (before it, for negative n).
func (d Date) AddDays(n int) Date { return dateOfDay(d.day() + n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOfDay(d.day()) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a day that exists on the calendar.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && dateOfDay(d.day()) == d
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a, b := d.day(), e.day()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// String returns d as "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("timeline: date %q is not of the form 2006-01-02", s)
	}
	return DateOf(t, time.UTC), nil
}

// MarshalText returns the form String gives; the zero Date and impossible
// dates are errors.
func (d Date) MarshalText() ([]byte, error) {
	if !d.Valid() {
		return nil, errors.New("timeline: cannot encode an invalid date")
	}
	return []byte(d.String()), nil
}

// UnmarshalText parses the form MarshalText returns.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// day returns the number of days from 1970-01-01 to d. Day arithmetic on a
// plain integer keeps business-day counting free of time.Date calls.
func (d Date) day() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March is 0
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDay is the inverse of Date.day.
func dateOfDay(n int) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
		y++
	}
	return Date{y, time.Month(m), d}
}

// weekdayOfDay gives the weekday of a day number; 1970-01-01 was a Thursday.
func weekdayOfDay(n int) time.Weekday {
	return time.Weekday((n%7 + 7 + 4) % 7)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
