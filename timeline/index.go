package timeline

import (
	"math"
	"time"
)

// Index is a set of keys, each with the time it falls due: the deadline
// index a host keeping many cases in one process uses to find, as its
// clock moves, the ones whose next deadline has come. A key is whatever the
// host names a case by (a case or order ID).
//
// A key is due at its very instant: at now, every key whose time is at or
// before now is due, as with [Deadline.Due]. Keys due at the same instant
// come out in the order their times were set.
//
// Times are kept as nanoseconds since the Unix epoch, so times come back
// in UTC; convert with In. The zero time.Time is a valid due time (no host
// should need it): it comes back as the zero time.Time and falls due
// before any other time. Other times outside the years 1678 to 2262, which
// nanoseconds cannot hold, are kept as the nearest instant that fits: a
// "never" of 9999-12-31 comes back as 2262-04-11 and still falls due after
// every real deadline.
//
// The Index is a binary min-heap of due times with a map from each key to
// its place, so Set, Remove and taking the earliest key cost O(log n), and
// looking at the earliest key O(1). With a million keys it takes about
// 100 bytes a key besides the key strings, which it shares with the
// caller: 44 in three slices and the rest in the map. Removing keys does
// not give memory back. An Index holds at most 2³¹−1 keys.
//
// The zero Index is empty and ready to use. An Index is not safe for
// concurrent use.
type Index struct {
	// Each key has a slot, a number that stays the same while the key is
	// in the Index. The heap refers to slots, and moving an entry in the
	// heap updates its slot's pos: an array store, where keeping places in
	// the map would hash the key and probe the map at every level, which
	// made a sweep of a million keys about twice as slow. The heap
	// holds no pointers, so the garbage collector does not scan it.
	heap []entry
	slot map[string]int32 // a key's slot
	keys []string         // by slot: the key, or "" when free
	pos  []int32          // by slot: the index of the key's entry in heap
	free []int32          // slots to reuse
	seq  uint64           // the sequence number the next Set takes
}

// entry is one key in the heap. The due time is int64 nanoseconds rather
// than a time.Time, 8 bytes instead of 24, to keep a million keys small.
type entry struct {
	due  int64  // see nanos
	seq  uint64 // orders keys due at the same instant: earlier Set first
	slot int32
}

// before reports whether e falls due before f. No two entries share a
// sequence number, so it is a strict total order.
func (e *entry) before(f *entry) bool {
	return e.due < f.due || e.due == f.due && e.seq < f.seq
}

const (
	// zeroNanos stands for the zero time.Time, which is far before the
	// earliest instant int64 nanoseconds can hold.
	zeroNanos = math.MinInt64
	// minNanos and maxNanos are the earliest and latest instants kept
	// exactly; times outside are kept as these.
	minNanos = math.MinInt64 + 1
	maxNanos = math.MaxInt64
)

// nanos returns t as the Index keeps it; see the Index doc for the zero
// time and times that nanoseconds cannot hold.
func nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return zeroNanos
	case t.Before(time.Unix(0, minNanos)):
		return minNanos
	case t.After(time.Unix(0, maxNanos)):
		return maxNanos
	}
	return t.UnixNano()
}

// timeOf is the inverse of nanos, in UTC.
func timeOf(n int64) time.Time {
	if n == zeroNanos {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// NewIndex returns an empty Index with room for n keys before it grows.
func NewIndex(n int) *Index {
	n = min(max(n, 0), math.MaxInt32)
	return &Index{
		heap: make([]entry, 0, n),
		slot: make(map[string]int32, n),
		keys: make([]string, 0, n),
		pos:  make([]int32, 0, n),
	}
}

// Len returns the number of keys.
func (x *Index) Len() int { return len(x.heap) }

// Due returns the time key falls due, and false if key is not in x.
func (x *Index) Due(key string) (time.Time, bool) {
	s, ok := x.slot[key]
	if !ok {
		return time.Time{}, false
	}
	return timeOf(x.heap[x.pos[s]].due), true
}

// Next returns the key that falls due first, without removing it, and
// false if x is empty.
func (x *Index) Next() (key string, due time.Time, ok bool) {
	if len(x.heap) == 0 {
		return "", time.Time{}, false
	}
	e := &x.heap[0]
	return x.keys[e.slot], timeOf(e.due), true
}

// Set adds key with the time it falls due, or moves key to due if it is
// already in x. Among keys due at the same instant, the one whose time was
// set first comes out first; Set with the time a key already has changes
// nothing, not even its place among those.
//
// Set panics if x already holds 2³¹−1 keys and key is not one of them.
func (x *Index) Set(key string, due time.Time) {
	n := nanos(due)
	s, ok := x.slot[key]
	if !ok {
		s = x.newSlot(key)
		x.heap = append(x.heap, entry{})
		x.up(int32(len(x.heap)-1), entry{due: n, seq: x.next(), slot: s})
		return
	}
	i := x.pos[s]
	e := x.heap[i]
	if e.due == n {
		return
	}
	e.due, e.seq = n, x.next()
	x.fix(i, e)
}

// newSlot gives key a slot, a free one if there is one.
func (x *Index) newSlot(key string) int32 {
	if x.slot == nil {
		x.slot = make(map[string]int32)
	}
	var s int32
	if n := len(x.free); n > 0 {
		s = x.free[n-1]
		x.free = x.free[:n-1]
		x.keys[s] = key
	} else {
		if len(x.keys) == math.MaxInt32 {
			panic("timeline: Index holds 2³¹−1 keys already")
		}
		s = int32(len(x.keys))
		x.keys = append(x.keys, key)
		x.pos = append(x.pos, 0)
	}
	x.slot[key] = s
	return s
}

// next returns a fresh sequence number. At a billion Sets a second it
// would take centuries to wrap.
func (x *Index) next() uint64 {
	s := x.seq
	x.seq++
	return s
}

// Remove removes key from x, and reports whether it was there.
func (x *Index) Remove(key string) bool {
	s, ok := x.slot[key]
	if !ok {
		return false
	}
	x.removeAt(x.pos[s])
	return true
}

// PopDue removes every key due at now (its time at or before now), earliest
// first, and calls yield with each key and its time once it is removed. If
// yield returns false, PopDue stops: that key is removed, later ones stay.
// A nil yield just removes. PopDue returns how many keys it removed.
//
// yield may Set and Remove keys of x. A key it sets due at or before now is
// popped again in the same call, so a yield that always sets its key to now
// never lets PopDue return.
func (x *Index) PopDue(now time.Time, yield func(key string, due time.Time) bool) int {
	t := nanos(now)
	popped := 0
	for len(x.heap) > 0 && x.heap[0].due <= t {
		due := x.heap[0].due
		key := x.removeAt(0)
		popped++
		if yield != nil && !yield(key, timeOf(due)) {
			break
		}
	}
	return popped
}

// removeAt removes the entry at index i, frees its slot, and returns its
// key. The last entry takes its place in the heap.
func (x *Index) removeAt(i int32) string {
	s := x.heap[i].slot
	key := x.keys[s]
	delete(x.slot, key)
	x.keys[s] = "" // let go of the key string
	x.free = append(x.free, s)

	last := int32(len(x.heap) - 1)
	e := x.heap[last]
	x.heap = x.heap[:last]
	if i < last {
		x.fix(i, e)
	}
	return key
}

// fix places e at index i or wherever up or down from i the heap order
// wants it.
func (x *Index) fix(i int32, e entry) {
	if i > 0 && e.before(&x.heap[(i-1)/2]) {
		x.up(i, e)
	} else {
		x.down(i, e)
	}
}

// up places e at index i or above, moving each entry it passes one level
// down. Moving a hole rather than swapping writes each entry once.
func (x *Index) up(i int32, e entry) {
	for i > 0 {
		p := (i - 1) / 2
		if !e.before(&x.heap[p]) {
			break
		}
		x.heap[i] = x.heap[p]
		x.pos[x.heap[i].slot] = i
		i = p
	}
	x.heap[i] = e
	x.pos[e.slot] = i
}

// down places e at index i or below, moving each entry it passes one level
// up.
func (x *Index) down(i int32, e entry) {
	n := int32(len(x.heap))
	for {
		c := 2*i + 1
		if c >= n || c < 0 { // c < 0: overflow past 2³¹
			break
		}
		if r := c + 1; r < n && x.heap[r].before(&x.heap[c]) {
			c = r
		}
		if !x.heap[c].before(&e) {
			break
		}
		x.heap[i] = x.heap[c]
		x.pos[x.heap[i].slot] = i
		i = c
	}
	x.heap[i] = e
	x.pos[e.slot] = i
}
