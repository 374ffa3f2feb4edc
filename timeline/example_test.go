package timeline_test

import (
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/shouhou/shouhou/timeline"
)

func ExampleEndOfDay() {
	zone := timeline.UTC8()
	delivered := time.Date(2026, 3, 1, 15, 0, 0, 0, zone)
	end := timeline.EndOfDay(delivered, 7, zone)
	fmt.Println("seven days end", end.Format("2006-01-02 15:04"))
	for _, asked := range []time.Time{
		time.Date(2026, 3, 8, 23, 59, 59, 0, zone),
		time.Date(2026, 3, 9, 0, 0, 0, 0, zone),
	} {
		fmt.Println(asked.Format("01-02 15:04:05"), "eligible:", asked.Before(end))
	}
	// Output:
	// seven days end 2026-03-09 00:00
	// 03-08 23:59:59 eligible: true
	// 03-09 00:00:00 eligible: false
}

func ExampleAddBusinessDays() {
	zone := timeline.UTC8()
	friday := time.Date(2026, 11, 6, 20, 0, 0, 0, zone)
	due := timeline.AddBusinessDays(nil, friday, 7, zone)
	fmt.Println("the last business day is", due.Add(-time.Nanosecond).Format("Monday 01-02"))
	// Output: the last business day is Tuesday 11-17
}

func ExampleWorkweek() {
	zone := timeline.UTC8()
	// National Day: October 1 to 7 off, Saturday October 10 worked instead.
	cal := timeline.Workweek{Workdays: []timeline.Date{{Year: 2026, Month: 10, Day: 10}}}
	for d := 1; d <= 7; d++ {
		cal.Holidays = append(cal.Holidays, timeline.Date{Year: 2026, Month: 10, Day: d})
	}
	due := timeline.AddBusinessDays(cal, time.Date(2026, 9, 30, 18, 0, 0, 0, zone), 3, zone)
	fmt.Println(due.Add(-time.Nanosecond).Format("Monday 01-02"))
	// Output: Saturday 10-10
}

func ExampleClock() {
	// The mock clock from github.com/benbjohnson/clock is a timeline.Clock.
	// It starts at the Unix epoch, so set a real date first.
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 3, 1, 10, 0, 0, 0, timeline.UTC8()))
	var c timeline.Clock = mock
	mock.Add(6 * time.Hour)
	fmt.Println(c.Now().In(timeline.UTC8()).Format("2006-01-02 15:04"))
	// Output: 2026-03-01 16:00
}

func ExampleParseDuration() {
	for _, s := range []string{"48h", "10d", "5h59m"} {
		d, _ := timeline.ParseDuration(s)
		fmt.Println(s, d, timeline.FormatDuration(d))
	}
	// Output:
	// 48h 48h0m0s 2d
	// 10d 240h0m0s 10d
	// 5h59m 5h59m0s 5h59m0s
}

func ExampleDeadline() {
	zone := timeline.UTC8()
	d := timeline.Deadline{At: time.Date(2026, 3, 3, 10, 0, 0, 0, zone)}
	now := time.Date(2026, 3, 2, 22, 30, 0, 0, zone)
	fmt.Println(d.Due(now), d.Left(now), d.Due(d.At))
	// Output: false 11h30m0s true
}
