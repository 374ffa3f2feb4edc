package timeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"time"
)

// Stamped is an event that knows when it happened.
type Stamped interface {
	Stamp() time.Time
}

// ErrOutOfOrder is returned when an event is stamped before the last event
// of a Log.
var ErrOutOfOrder = errors.New("timeline: event stamped before the last one")

// Log is an append-only sequence of events whose stamps never go
// backwards (equal stamps are fine). Events can be added at the end and
// read; they can never be changed, removed or reordered through the Log.
//
// The zero Log is empty and ready to use. A Log is a small value that
// refers to its events, like a slice: copy it only to keep an older,
// shorter view of the same events (which is how a caller undoes appends),
// never to append to both copies.
//
// Its JSON form is an array of the events' own JSON forms.
type Log[E Stamped] struct {
	events []E
}

// NewLog returns an empty Log with room for n events before it grows.
func NewLog[E Stamped](n int) Log[E] {
	return Log[E]{events: make([]E, 0, max(n, 0))}
}

// NewLogIn returns an empty Log that keeps its first cap(buf) events in
// buf's memory, so a caller can allocate the log's room together with
// whatever holds the log. The caller must not use buf afterwards.
func NewLogIn[E Stamped](buf []E) Log[E] {
	return Log[E]{events: buf[:0]}
}

// Append adds e at the end. It returns ErrOutOfOrder, and leaves the log as
// it was, if e is stamped before the last event.
func (l *Log[E]) Append(e E) error {
	if n := len(l.events); n > 0 && e.Stamp().Before(l.events[n-1].Stamp()) {
		return fmt.Errorf("%w: %s is before %s", ErrOutOfOrder,
			e.Stamp().Format(time.RFC3339Nano), l.events[n-1].Stamp().Format(time.RFC3339Nano))
	}
	l.events = append(l.events, e)
	return nil
}

// Len returns the number of events.
func (l *Log[E]) Len() int { return len(l.events) }

// At returns the i-th event, counting from 0. It panics if i is out of
// range, like a slice index.
func (l *Log[E]) At(i int) E { return l.events[i] }

// Last returns the last event, and false if the log is empty.
func (l *Log[E]) Last() (E, bool) {
	if len(l.events) == 0 {
		var zero E
		return zero, false
	}
	return l.events[len(l.events)-1], true
}

// All yields the events in order with their index.
func (l *Log[E]) All() iter.Seq2[int, E] {
	return func(yield func(int, E) bool) {
		for i, e := range l.events {
			if !yield(i, e) {
				return
			}
		}
	}
}

// Slice returns the events without copying them, for reading in place. Like
// bytes.Buffer.Bytes, it shares the log's memory: the caller must not
// change the events. Appending to the slice never reaches the log (its
// capacity is cut to its length).
func (l *Log[E]) Slice() []E { return l.events[:len(l.events):len(l.events)] }

// Events returns a copy of the events, safe to keep and change.
func (l *Log[E]) Events() []E {
	return append([]E(nil), l.events...)
}

// MarshalJSON encodes the log as a JSON array; an empty log is [].
func (l Log[E]) MarshalJSON() ([]byte, error) {
	if l.events == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.events)
}

// UnmarshalJSON decodes a JSON array of events, refusing fields the event
// type does not know and stamps that go backwards. JSON null changes
// nothing, as encoding/json does for other types. On error the log is left
// as it was.
func (l *Log[E]) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var events []E
	if err := dec.Decode(&events); err != nil {
		return fmt.Errorf("timeline: decoding log: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("timeline: decoding log: data after the array")
	}
	for i := 1; i < len(events); i++ {
		if events[i].Stamp().Before(events[i-1].Stamp()) {
			return fmt.Errorf("%w: event %d", ErrOutOfOrder, i+1)
		}
	}
	l.events = events
	return nil
}

// Grow makes room for n more events, so the next n appends allocate
// nothing. A negative n is taken as zero.
func (l *Log[E]) Grow(n int) {
	l.events = slices.Grow(l.events, max(n, 0))
}
