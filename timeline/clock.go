package timeline

import "time"

// Clock is the source of "now". It is the single method shouhou uses from
// a clock, so clock.New() and clock.NewMock() from
// github.com/benbjohnson/clock, a fork of that package, or a host's own
// type all fit.
type Clock interface {
	Now() time.Time
}

// System is the Clock that reads the machine's wall clock. Its zero value
// is ready to use.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }
