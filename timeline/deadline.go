package timeline

import "time"

// Deadline is a moment by which something must happen. The zero Deadline
// is "none".
type Deadline struct {
	At time.Time `json:"at,omitzero"`
}

// IsZero reports whether d is no deadline at all.
func (d Deadline) IsZero() bool { return d.At.IsZero() }

// Due reports whether the deadline has come at now: it is due at its very
// instant, not only after it.
func (d Deadline) Due(now time.Time) bool { return !d.At.IsZero() && !now.Before(d.At) }

// Left returns how long remains at now; it is zero once the deadline is due.
func (d Deadline) Left(now time.Time) time.Duration {
	if d.At.IsZero() || !now.Before(d.At) {
		return 0
	}
	return d.At.Sub(now)
}
