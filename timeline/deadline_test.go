package timeline

import (
	"testing"
	"time"
)

func TestDeadline(t *testing.T) {
	zone := UTC8()
	at := time.Date(2026, 3, 3, 10, 0, 0, 0, zone)
	for _, tc := range []struct {
		name string
		d    Deadline
		now  time.Time
		zero bool
		due  bool
		left time.Duration
	}{
		{"none", Deadline{}, at, true, false, 0},
		{"none, even at the zero time", Deadline{}, time.Time{}, true, false, 0},
		{"hours before", Deadline{At: at}, at.Add(-11*time.Hour - 30*time.Minute), false, false, 11*time.Hour + 30*time.Minute},
		{"a nanosecond before", Deadline{At: at}, at.Add(-time.Nanosecond), false, false, time.Nanosecond},
		{"at its very instant", Deadline{At: at}, at, false, true, 0},
		{"the same instant in another zone", Deadline{At: at}, at.UTC(), false, true, 0},
		{"after", Deadline{At: at}, at.Add(time.Hour), false, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.d.IsZero(); got != tc.zero {
				t.Errorf("IsZero = %v, want %v", got, tc.zero)
			}
			if got := tc.d.Due(tc.now); got != tc.due {
				t.Errorf("Due(%v) = %v, want %v", tc.now, got, tc.due)
			}
			if got := tc.d.Left(tc.now); got != tc.left {
				t.Errorf("Left(%v) = %v, want %v", tc.now, got, tc.left)
			}
		})
	}
}
