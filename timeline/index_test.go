package timeline

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// popped is one key PopDue gave back.
type popped struct {
	Key string
	Due time.Time
}

// popAll pops every key due at now and returns them in the order PopDue
// gave them.
func popAll(x *Index, now time.Time) []popped {
	var got []popped
	x.PopDue(now, func(key string, due time.Time) bool {
		got = append(got, popped{key, due})
		return true
	})
	return got
}

// checkIndex fails t unless x is a heap in (due, seq) order whose map and
// slots give every key's place and nothing else.
func checkIndex(t *testing.T, x *Index) {
	t.Helper()
	for i := 1; i < len(x.heap); i++ {
		if p := (i - 1) / 2; x.heap[i].before(&x.heap[p]) {
			t.Fatalf("heap order broken: entry %d %+v is before its parent %d %+v", i, x.heap[i], p, x.heap[p])
		}
	}
	if len(x.slot) != len(x.heap) || len(x.keys) != len(x.pos) || len(x.keys) != len(x.heap)+len(x.free) {
		t.Fatalf("%d keys in the map, %d in the heap, %d slots of which %d free, %d places",
			len(x.slot), len(x.heap), len(x.keys), len(x.free), len(x.pos))
	}
	for i, e := range x.heap {
		key := x.keys[e.slot]
		if s, ok := x.slot[key]; !ok || s != e.slot || x.pos[s] != int32(i) {
			t.Fatalf("entry %d has slot %d for key %q, but the map gives slot %d, %v, and the slot's place is %d",
				i, e.slot, key, s, ok, x.pos[e.slot])
		}
	}
	for _, s := range x.free {
		if x.keys[s] != "" {
			t.Fatalf("free slot %d still holds key %q", s, x.keys[s])
		}
	}
}

func TestIndexPopsInOrderOfDueThenSet(t *testing.T) {
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, UTC8())
	at := func(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }
	type set struct {
		key string
		due time.Time
	}
	for _, tc := range []struct {
		name string
		sets []set
		now  time.Time
		want []string
	}{
		{"empty", nil, at(0), nil},
		{"one key due at its very instant", []set{{"a", at(5)}}, at(5), []string{"a"}},
		{"one key not yet due", []set{{"a", at(5)}}, at(4), nil},
		{"earliest first", []set{{"c", at(3)}, {"a", at(1)}, {"b", at(2)}}, at(10), []string{"a", "b", "c"}},
		{"ties in the order set", []set{{"z", at(1)}, {"y", at(1)}, {"x", at(1)}, {"w", at(0)}}, at(1), []string{"w", "z", "y", "x"}},
		{"only what is due", []set{{"a", at(1)}, {"b", at(9)}, {"c", at(2)}, {"d", at(3)}}, at(2), []string{"a", "c"}},
		{"moving a key gives it a later place among ties", []set{{"a", at(1)}, {"b", at(1)}, {"a", at(2)}, {"a", at(1)}}, at(1), []string{"b", "a"}},
		{"setting the same time keeps the place among ties", []set{{"a", at(1)}, {"b", at(1)}, {"a", at(1)}}, at(1), []string{"a", "b"}},
		{"the zero time is due first", []set{{"a", at(0)}, {"zero", time.Time{}}}, at(0), []string{"zero", "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var x Index
			for _, s := range tc.sets {
				x.Set(s.key, s.due)
				checkIndex(t, &x)
			}
			var got []string
			n := x.PopDue(tc.now, func(key string, _ time.Time) bool {
				got = append(got, key)
				return true
			})
			checkIndex(t, &x)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PopDue order (-want +got):\n%s", diff)
			}
			if n != len(got) {
				t.Errorf("PopDue returned %d, yielded %d keys", n, len(got))
			}
		})
	}
}

func TestIndexSetMovesAKey(t *testing.T) {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return base.AddDate(0, 0, n) }
	for _, tc := range []struct {
		name string
		key  string
		to   time.Time
		want []string
	}{
		{"the last key moved to the front", "e", day(0), []string{"e", "a", "b", "c", "d"}},
		{"the first key moved to the back", "a", day(9), []string{"b", "c", "d", "e", "a"}},
		{"a middle key moved earlier", "d", day(2), []string{"a", "b", "d", "c", "e"}},
		{"a middle key moved later", "b", day(4), []string{"a", "c", "d", "b", "e"}},
		{"a new key in the middle", "new", day(3), []string{"a", "b", "c", "new", "d", "e"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := NewIndex(8)
			for i, k := range []string{"a", "b", "c", "d", "e"} {
				x.Set(k, day(i+1))
			}
			x.Set(tc.key, tc.to)
			checkIndex(t, x)
			if due, ok := x.Due(tc.key); !ok || !due.Equal(tc.to) {
				t.Errorf("Due(%q) = %v, %v; want %v", tc.key, due, ok, tc.to)
			}
			var got []string
			for _, p := range popAll(x, day(10)) {
				got = append(got, p.Key)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("order after Set (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndexRemove(t *testing.T) {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	keys := []string{"a", "b", "c", "d", "e", "f", "g"}
	for _, tc := range []struct {
		name   string
		remove []string
		want   []string
	}{
		{"absent", []string{"zz"}, keys},
		{"the root", []string{"a"}, []string{"b", "c", "d", "e", "f", "g"}},
		{"a leaf", []string{"g"}, []string{"a", "b", "c", "d", "e", "f"}},
		{"the middle", []string{"b", "e"}, []string{"a", "c", "d", "f", "g"}},
		{"twice", []string{"c", "c"}, []string{"a", "b", "d", "e", "f", "g"}},
		{"all", keys, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var x Index
			// Set in reverse so the heap is not simply the order of keys.
			for i := len(keys) - 1; i >= 0; i-- {
				x.Set(keys[i], base.Add(time.Duration(i)*time.Hour))
			}
			removed := map[string]bool{}
			for _, k := range tc.remove {
				want := slices.Contains(keys, k) && !removed[k]
				if got := x.Remove(k); got != want {
					t.Errorf("Remove(%q) = %v, want %v", k, got, want)
				}
				removed[k] = true
				checkIndex(t, &x)
				if _, ok := x.Due(k); ok {
					t.Errorf("Due(%q) found a removed key", k)
				}
			}
			if x.Len() != len(tc.want) {
				t.Errorf("Len = %d, want %d", x.Len(), len(tc.want))
			}
			var got []string
			for _, p := range popAll(&x, base.AddDate(1, 0, 0)) {
				got = append(got, p.Key)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("order after Remove (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndexPopDueStopsEarly(t *testing.T) {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		stopAfter int // yield returns false for the stopAfter-th key
		wantN     int
		wantLeft  []string
	}{
		{"at the first key", 1, 1, []string{"b", "c", "d"}},
		{"at the second key", 2, 2, []string{"c", "d"}},
		{"at the last due key", 3, 3, []string{"d"}},
		{"never", 0, 3, []string{"d"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var x Index
			for i, k := range []string{"a", "b", "c", "d"} {
				x.Set(k, base.Add(time.Duration(i)*time.Hour))
			}
			calls := 0
			n := x.PopDue(base.Add(2*time.Hour), func(string, time.Time) bool {
				calls++
				return calls != tc.stopAfter
			})
			checkIndex(t, &x)
			if n != tc.wantN || calls != tc.wantN {
				t.Errorf("PopDue = %d after %d calls, want %d", n, calls, tc.wantN)
			}
			var left []string
			for _, p := range popAll(&x, base.AddDate(1, 0, 0)) {
				left = append(left, p.Key)
			}
			if diff := cmp.Diff(tc.wantLeft, left); diff != "" {
				t.Errorf("keys left (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndexPopDueWithNilYield(t *testing.T) {
	var x Index
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10 {
		x.Set(fmt.Sprint(i), base.Add(time.Duration(i)*time.Minute))
	}
	if n := x.PopDue(base.Add(4*time.Minute), nil); n != 5 {
		t.Errorf("PopDue(nil) = %d, want 5", n)
	}
	checkIndex(t, &x)
	if key, due, ok := x.Next(); key != "5" || !due.Equal(base.Add(5*time.Minute)) || !ok {
		t.Errorf("Next = %q, %v, %v; want 5 at %v", key, due, ok, base.Add(5*time.Minute))
	}
}

func TestIndexYieldMaySetAndRemove(t *testing.T) {
	var x Index
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	x.Set("a", base)
	x.Set("b", base.Add(time.Minute))
	x.Set("c", base.Add(2*time.Minute))
	x.Set("later", base.Add(time.Hour))
	var got []string
	x.PopDue(base.Add(2*time.Minute), func(key string, due time.Time) bool {
		got = append(got, key)
		switch key {
		case "a":
			x.Remove("b")
			x.Set("a", due.Add(24*time.Hour)) // back in, not due now
		case "c":
			x.Set("again", base) // due now: popped in this call
		}
		return true
	})
	checkIndex(t, &x)
	if diff := cmp.Diff([]string{"a", "c", "again"}, got); diff != "" {
		t.Errorf("popped (-want +got):\n%s", diff)
	}
	if x.Len() != 2 {
		t.Errorf("Len = %d, want 2 (a and later)", x.Len())
	}
}

func TestIndexZeroValue(t *testing.T) {
	var x Index
	if x.Len() != 0 {
		t.Errorf("Len = %d", x.Len())
	}
	if _, ok := x.Due("a"); ok {
		t.Error("Due found a key in the zero Index")
	}
	if x.Remove("a") {
		t.Error("Remove found a key in the zero Index")
	}
	if n := x.PopDue(time.Now(), nil); n != 0 {
		t.Errorf("PopDue = %d", n)
	}
	due := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	x.Set("a", due)
	if got, ok := x.Due("a"); !ok || !got.Equal(due) || x.Len() != 1 {
		t.Errorf("after Set: Due = %v, %v; Len = %d", got, ok, x.Len())
	}
}

func TestIndexNextOnEmpty(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    *Index
	}{
		{"zero", &Index{}},
		{"new", NewIndex(10)},
		{"new with negative room", NewIndex(-1)},
		{"emptied", func() *Index {
			x := NewIndex(0)
			x.Set("a", time.Now())
			x.Remove("a")
			return x
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if key, due, ok := tc.x.Next(); key != "" || !due.IsZero() || ok {
				t.Errorf("Next = %q, %v, %v; want \"\", zero, false", key, due, ok)
			}
		})
	}
}

func TestIndexTimes(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  time.Time
		want time.Time
	}{
		{"another zone comes back in UTC", time.Date(2026, 3, 1, 8, 0, 0, 1, UTC8()), time.Date(2026, 3, 1, 0, 0, 0, 1, time.UTC)},
		{"the zero time stays the zero time", time.Time{}, time.Time{}},
		{"the earliest instant kept exactly", time.Unix(0, minNanos).UTC(), time.Unix(0, minNanos).UTC()},
		{"the latest instant kept exactly", time.Unix(0, maxNanos).UTC(), time.Unix(0, maxNanos).UTC()},
		{"before 1678 is kept as the earliest instant", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), time.Unix(0, minNanos).UTC()},
		{"year 1, not the zero time", time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), time.Unix(0, minNanos).UTC()},
		{"after 2262 is kept as the latest instant", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Unix(0, maxNanos).UTC()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var x Index
			x.Set("k", tc.set)
			got, ok := x.Due("k")
			if !ok || got != tc.want { // == also compares the location
				t.Errorf("Due = %v (%v), %v; want %v (%v)", got, got.Location(), ok, tc.want, tc.want.Location())
			}
			if _, next, _ := x.Next(); next != tc.want {
				t.Errorf("Next gives %v, want %v", next, tc.want)
			}
			if p := popAll(&x, tc.set); len(p) != 1 || p[0].Due != tc.want {
				t.Errorf("PopDue at its own time gives %v, want %v", p, tc.want)
			}
		})
	}
}

func TestIndexOrdersTimesOutsideTheRange(t *testing.T) {
	var x Index
	x.Set("never", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	x.Set("now", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	x.Set("long ago", time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC))
	x.Set("zero", time.Time{})
	var got []string
	for _, p := range popAll(&x, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)) {
		got = append(got, p.Key)
	}
	if diff := cmp.Diff([]string{"zero", "long ago", "now", "never"}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	x.Set("zero", time.Time{})
	if n := x.PopDue(time.Time{}, nil); n != 1 {
		t.Errorf("PopDue at the zero time = %d, want 1", n)
	}
}

// model is the Index as a slice kept sorted by (due, seq): slow and
// obviously right.
type model struct {
	entries []modelEntry
	seq     int
}

type modelEntry struct {
	key string
	due time.Time
	seq int
}

func (m *model) find(key string) int {
	return slices.IndexFunc(m.entries, func(e modelEntry) bool { return e.key == key })
}

func (m *model) set(key string, due time.Time) {
	if i := m.find(key); i >= 0 {
		if m.entries[i].due.Equal(due) {
			return
		}
		m.entries = slices.Delete(m.entries, i, i+1)
	}
	m.entries = append(m.entries, modelEntry{key, due, m.seq})
	m.seq++
	slices.SortFunc(m.entries, func(a, b modelEntry) int {
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
}

func (m *model) remove(key string) bool {
	i := m.find(key)
	if i < 0 {
		return false
	}
	m.entries = slices.Delete(m.entries, i, i+1)
	return true
}

// popDue pops what is due at now, at most limit keys if limit > 0.
func (m *model) popDue(now time.Time, limit int) []popped {
	var out []popped
	for len(m.entries) > 0 && !m.entries[0].due.After(now) && (limit <= 0 || len(out) < limit) {
		out = append(out, popped{m.entries[0].key, m.entries[0].due})
		m.entries = m.entries[1:]
	}
	return out
}

// TestIndexAgainstAModel runs thousands of random Sets, Removes and PopDues
// on an Index and on a sorted slice, and checks after each that they agree
// and that the heap is in order.
func TestIndexAgainstAModel(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 20260301} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, seed))
			base := time.Date(2026, 3, 1, 0, 0, 0, 0, UTC8())
			// Few distinct minutes, so ties are common.
			randomTime := func() time.Time {
				if r.IntN(50) == 0 {
					return time.Time{}
				}
				return base.Add(time.Duration(r.IntN(300)) * time.Minute)
			}
			var x Index
			var m model
			for op := range 5000 {
				key := fmt.Sprint("case-", r.IntN(150))
				switch k := r.IntN(10); {
				case k < 6:
					due := randomTime()
					x.Set(key, due)
					m.set(key, due)
				case k < 8:
					if got, want := x.Remove(key), m.remove(key); got != want {
						t.Fatalf("op %d: Remove(%q) = %v, model says %v", op, key, got, want)
					}
				default:
					now := randomTime()
					limit := 0
					if r.IntN(3) == 0 {
						limit = 1 + r.IntN(5)
					}
					var got []popped
					n := x.PopDue(now, func(key string, due time.Time) bool {
						got = append(got, popped{key, due})
						return limit <= 0 || len(got) < limit
					})
					want := m.popDue(now, limit)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("op %d: PopDue(%v) (-model +index):\n%s", op, now, diff)
					}
					if n != len(got) {
						t.Fatalf("op %d: PopDue returned %d, yielded %d", op, n, len(got))
					}
				}
				checkIndex(t, &x)
				if x.Len() != len(m.entries) {
					t.Fatalf("op %d: Len = %d, model has %d", op, x.Len(), len(m.entries))
				}
				key, due, ok := x.Next()
				if len(m.entries) == 0 {
					if ok {
						t.Fatalf("op %d: Next = %q on an empty index", op, key)
					}
				} else if e := m.entries[0]; !ok || key != e.key || !due.Equal(e.due) {
					t.Fatalf("op %d: Next = %q, %v, %v; model says %q, %v", op, key, due, ok, e.key, e.due)
				}
				for _, e := range m.entries {
					if due, ok := x.Due(e.key); !ok || !due.Equal(e.due) {
						t.Fatalf("op %d: Due(%q) = %v, %v; model says %v", op, e.key, due, ok, e.due)
					}
				}
			}
		})
	}
}

// benchKeys returns n keys like a host's order IDs.
func benchKeys(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("order-%08d", i)
	}
	return keys
}

// buildIndex returns an Index of keys due uniformly over the 30 days from
// start.
func buildIndex(keys []string, start time.Time, r *rand.Rand) *Index {
	x := NewIndex(len(keys))
	for _, k := range keys {
		x.Set(k, start.Add(time.Duration(r.Int64N(int64(30*Day)))))
	}
	return x
}

// BenchmarkIndexSet moves a random key of a million to a random time in
// the next 30 days.
func BenchmarkIndexSet(b *testing.B) {
	const n = 1_000_000
	keys := benchKeys(n)
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	x := buildIndex(keys, start, r)
	for b.Loop() {
		x.Set(keys[r.IntN(n)], start.Add(time.Duration(r.Int64N(int64(30*Day)))))
	}
}

// BenchmarkIndexSweep keeps a million keys due over 30 days and advances
// the clock an hour an op, popping what fell due (about 1,400 keys) and
// setting each again 30 days later. It reports the heap the Index takes a
// key, not counting the key strings, which belong to the host.
func BenchmarkIndexSweep(b *testing.B) {
	const n = 1_000_000
	keys := benchKeys(n)
	r := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := buildIndex(keys, start, r)
	runtime.GC()
	runtime.ReadMemStats(&after)
	bytesPerKey := float64(after.HeapAlloc-before.HeapAlloc) / n

	now, sweeps, popped := start, 0, 0
	for b.Loop() {
		now = now.Add(time.Hour)
		popped += x.PopDue(now, func(key string, due time.Time) bool {
			x.Set(key, due.Add(30*Day))
			return true
		})
		sweeps++
	}
	if x.Len() != n {
		b.Fatalf("Len = %d after the sweeps, want %d", x.Len(), n)
	}
	// Metrics go after the loop: b.Loop resets the timer, which drops
	// metrics reported before it.
	b.ReportMetric(bytesPerKey, "B/key")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(sweeps), "ns/sweep")
	b.ReportMetric(float64(popped)/float64(sweeps), "keys/sweep")
	runtime.KeepAlive(keys)
}
