package timeline

import "time"

// EndOfDay returns the first instant after a window of n whole calendar
// days counted from the day after t, as clocks in zone show the days. It is
// how the after-sale rules count days (签收次日起算): delivered on
// 2026-03-01 at 15:00 with n = 7, the window holds 03-02 to 03-08 and ends
// at 2026-03-09 00:00, so a request at 03-08 23:59:59 is inside it and one
// at 03-09 00:00 is not. Use now.Before(EndOfDay(...)) to test.
//
// With n = 0 it returns the end of t's own day.
func EndOfDay(t time.Time, n int, zone *time.Location) time.Time {
	day, off := localDay(t, zone)
	return midnight(day+n+1, off, zone)
}

const secondsPerDay = 24 * 60 * 60

// localDay returns the number of the day (days since 1970-01-01, see
// Date.day) that t falls on as a clock in zone shows it, and zone's offset
// at t in seconds. It is DateOf(t, zone).day() without building a Date.
func localDay(t time.Time, zone *time.Location) (day, offset int) {
	_, off := t.In(zone).Zone()
	return int(floorDiv64(t.Unix()+int64(off), secondsPerDay)), off
}

// midnight returns the first instant of the day numbered day in zone,
// given zone's offset on a nearby day. If the offset is the same at that
// midnight (always, for a fixed zone), plain arithmetic is the answer;
// otherwise the offset changed in between and time.Date settles it.
func midnight(day, offset int, zone *time.Location) time.Time {
	t := time.Unix(int64(day)*secondsPerDay-int64(offset), 0).In(zone)
	if _, off := t.Zone(); off == offset {
		return t
	}
	return dateOfDay(day).Start(zone)
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
