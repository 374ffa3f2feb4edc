package timeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day is 24 hours: the unit of the after-sale deadlines ("10 days" after a
// waybill is 240 hours, whatever the calendar says).
const Day = 24 * time.Hour

// ParseDuration parses a duration as time.ParseDuration does ("48h",
// "1h30m"), and also "Nd" for N days of 24 hours ("10d"). Signs are
// refused: a duration here is never negative.
func ParseDuration(s string) (time.Duration, error) {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return 0, fmt.Errorf("timeline: duration %q has a sign; durations are written without one", s)
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days > 100000 {
			return 0, fmt.Errorf("timeline: duration %q is not a number of days like \"10d\"", s)
		}
		return time.Duration(days) * Day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("timeline: duration %q is neither like \"48h\" nor like \"10d\"", s)
	}
	return d, nil
}

// FormatDuration writes d the way ParseDuration reads it: whole days as
// "10d", anything else as time.Duration.String does ("48h0m0s" is 2 days,
// so it is written "2d").
func FormatDuration(d time.Duration) string {
	if d > 0 && d%Day == 0 {
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	}
	return d.String()
}
