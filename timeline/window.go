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
	// Count in seconds of local time; if the zone's offset is the same at
	// the end as at t (always, for a fixed zone), that is the answer.
	// Otherwise the offset changed in between and time.Date settles it.
	_, off := t.In(zone).Zone()
	day := floorDiv64(t.Unix()+int64(off), secondsPerDay)
	end := time.Unix((day+int64(n)+1)*secondsPerDay-int64(off), 0).In(zone)
	if _, endOff := end.Zone(); endOff == off {
		return end
	}
	return DateOf(t, zone).AddDays(n + 1).Start(zone)
}

const secondsPerDay = 24 * 60 * 60

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
