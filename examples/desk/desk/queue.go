package desk

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Entry is one open case in the queue: what the desk shows of it without
// loading its order.
type Entry struct {
	Order, Case string
	Title       Text // the goods, as the host's Config.Title names them
	Kind        aftersale.Kind
	State       aftersale.State
	Amount      aftersale.Money // what the case asks for now
	OpenedAt    time.Time
	Next        aftersale.Next // whose move, until when, and what the system does then
	// Alerted says a service-level promise of the case's state was
	// already broken: an sla_breached event since it entered the state.
	Alerted bool
}

// Due returns when the system steps in on the case.
func (e *Entry) Due() time.Time { return e.Next.Deadline.At }

// Filter picks entries of the queue. The zero Filter picks every open case.
type Filter struct {
	Mine    bool           // waiting for the merchant
	Within  time.Duration  // due within this long of now, overdue ones included; zero: any time
	Kind    aftersale.Kind // zero: every kind
	Alerted bool           // a service-level promise already broken
}

func (f Filter) keeps(e *Entry, now time.Time) bool {
	switch {
	case f.Mine && e.Next.Waiting != aftersale.ActorMerchant:
		return false
	case f.Within > 0 && e.Due().After(now.Add(f.Within)):
		return false
	case f.Kind != 0 && e.Kind != f.Kind:
		return false
	case f.Alerted && !e.Alerted:
		return false
	}
	return true
}

// Queue is the desk's index of open cases across orders, kept in memory
// and replaced order by order as the store saves them. It is safe for
// concurrent use.
type Queue struct {
	mu      sync.RWMutex
	byOrder map[string][]Entry
	due     map[string]time.Time // each order's earliest deadline (Order.Next)
	sorted  []*Entry             // every entry, in queue order; nil when it must be sorted again
	total   int
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	return &Queue{byOrder: map[string][]Entry{}, due: map[string]time.Time{}}
}

// Put replaces what the queue holds of the order with its open cases.
func (q *Queue) Put(o *aftersale.Order, title Text) {
	var entries []Entry
	for _, c := range o.Cases() {
		if !c.Open() {
			continue
		}
		entries = append(entries, Entry{
			Order: o.ID, Case: c.ID(), Title: title,
			Kind: c.Kind(), State: c.State(), Amount: c.Amount(), OpenedAt: c.OpenedAt(),
			Next: c.Next(), Alerted: alerted(c),
		})
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.total += len(entries) - len(q.byOrder[o.ID])
	if len(entries) == 0 {
		delete(q.byOrder, o.ID)
	} else {
		q.byOrder[o.ID] = entries
	}
	if next, ok := o.Next(); ok {
		q.due[o.ID] = next.Deadline.At
	} else {
		delete(q.due, o.ID)
	}
	q.sorted = nil
}

// alerted reports whether the case's current state has already broken a
// promise: an sla_breached event after the event that entered the state.
func alerted(c *aftersale.Case) bool {
	events := c.Events()
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		if ev.Action == aftersale.ActionSLABreached {
			return true
		}
		if ev.From != ev.To || ev.To != c.State() {
			return false
		}
	}
	return false
}

// Len returns how many open cases the queue holds.
func (q *Queue) Len() int {
	q.mu.RLock()
	defer q.mu.RUnlock()
	return q.total
}

// DueBy returns the orders with a deadline at or before now: the ones a
// sweep must advance.
func (q *Queue) DueBy(now time.Time) []string {
	q.mu.RLock()
	defer q.mu.RUnlock()
	var ids []string
	for id, at := range q.due {
		if !at.After(now) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Page is one page of the queue as a filter picks it.
type Page struct {
	Entries []Entry
	Matched int // entries the filter picked, on every page
	Number  int // from 1
	Pages   int // at least 1
	// Counts are how many open cases each quick filter would pick, for
	// the filter bar.
	Mine, DueSoon, Alerted, All int
}

// Select returns page number n (from 1) of size entries of what f picks,
// in queue order: the cases waiting for the merchant first, then the
// others, each by deadline, earliest first. A number past the last page
// gives the last page.
func (q *Queue) Select(f Filter, now time.Time, n, size int) Page {
	q.mu.Lock()
	if q.sorted == nil {
		q.sort()
	}
	sorted := q.sorted
	q.mu.Unlock()

	soon := Filter{Within: 24 * time.Hour}
	p := Page{All: len(sorted)}
	matched := make([]*Entry, 0, len(sorted))
	for _, e := range sorted {
		if e.Next.Waiting == aftersale.ActorMerchant {
			p.Mine++
		}
		if soon.keeps(e, now) {
			p.DueSoon++
		}
		if e.Alerted {
			p.Alerted++
		}
		if f.keeps(e, now) {
			matched = append(matched, e)
		}
	}
	p.Matched = len(matched)
	p.Pages = max(1, (len(matched)+size-1)/size)
	p.Number = min(max(n, 1), p.Pages)
	from := (p.Number - 1) * size
	to := min(from+size, len(matched))
	p.Entries = make([]Entry, 0, to-from)
	for _, e := range matched[from:to] {
		p.Entries = append(p.Entries, *e)
	}
	return p
}

// sort builds the sorted list; the caller holds the write lock. Entries
// are never changed in place (Put replaces an order's slice), so the
// pointers stay valid for readers of an older list.
func (q *Queue) sort() {
	all := make([]*Entry, 0, q.total)
	for _, entries := range q.byOrder {
		for i := range entries {
			all = append(all, &entries[i])
		}
	}
	slices.SortFunc(all, func(a, b *Entry) int {
		am, bm := a.Next.Waiting == aftersale.ActorMerchant, b.Next.Waiting == aftersale.ActorMerchant
		if am != bm {
			if am {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Due().Compare(b.Due()), cmp.Compare(a.Order, b.Order), cmp.Compare(a.Case, b.Case))
	})
	q.sorted = all
}
