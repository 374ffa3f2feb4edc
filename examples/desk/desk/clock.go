package desk

import (
	"sync"
	"time"
)

// Clock is the desk's demo clock. It starts at a chosen time and, when
// running, advances at the pace of the machine's clock; Forward moves it
// on at once, so a person sees deadlines fire without waiting two days.
// It never moves back: the engine refuses a command stamped before the
// order's last event.
type Clock struct {
	mu      sync.Mutex
	start   time.Time        // the demo time when the clock was made
	began   time.Time        // the machine's time then
	skipped time.Duration    // what Forward added
	running bool             // whether it follows the machine's clock between jumps
	wall    func() time.Time // the machine's clock
	zone    *time.Location
}

// NewClock returns a clock that reads start now, in start's zone. A
// running clock goes on from there at the machine's pace; a stopped one
// moves only with Forward, which tests use to get the same times each
// run.
func NewClock(start time.Time, running bool) *Clock {
	return &Clock{start: start, began: time.Now(), running: running, wall: time.Now, zone: start.Location()}
}

// Now returns the demo time, to the second, in the clock's zone.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now()
}

func (c *Clock) now() time.Time {
	t := c.start.Add(c.skipped)
	if c.running {
		t = t.Add(c.wall().Sub(c.began))
	}
	return t.In(c.zone).Truncate(time.Second)
}

// Forward moves the clock on by d (a negative d does nothing) and returns
// the new time.
func (c *Clock) Forward(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.skipped += d
	}
	return c.now()
}

// Running reports whether the clock follows the machine's clock between
// jumps: the page's countdowns tick only then.
func (c *Clock) Running() bool {
	return c.running
}
