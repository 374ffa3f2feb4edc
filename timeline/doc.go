// Package timeline is the bottom layer of shouhou: time as data.
//
// Nothing in shouhou reads the wall clock on its own. A host hands the
// current time to every operation, or hands over a [Clock] to read it from,
// so a test, a replay or a policy simulation runs the same way every time.
// The package holds the few time rules the layers above share:
//
//   - [Clock], the one method shouhou needs from a clock. Both clock.New()
//     and clock.NewMock() from github.com/benbjohnson/clock satisfy it.
//   - Calendar-day windows in a time zone: [EndOfDay] answers "until the end
//     of the Nth day counted from the day after T", the way the seven-day
//     and 30-day rules count.
//   - Business days: a [Calendar] says which dates are working days;
//     [Workweek] is the usual Monday-to-Friday week with public holidays and
//     make-up working days (调休); [AddBusinessDays] counts them.
//   - [Deadline], a moment by which something must happen.
//   - [Index], a deadline index a host keeping many cases in one process
//     uses to find the ones that fall due.
//
// Time zones are always explicit. [UTC8] is the default zone of the
// platform rules shouhou models: a fixed UTC+8 offset, so no tzdata is
// needed.
//
// A seven-day window, delivered on 1 March at 15:00:
//
//	zone := timeline.UTC8()
//	delivered := time.Date(2026, 3, 1, 15, 0, 0, 0, zone)
//	end := timeline.EndOfDay(delivered, 7, zone) // 2026-03-09 00:00 +08:00
//	asked := time.Date(2026, 3, 8, 23, 59, 0, 0, zone)
//	eligible := asked.Before(end) // true
package timeline
