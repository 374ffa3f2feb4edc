package postgres

import (
	"container/list"
	"sync"

	"github.com/shouhou/shouhou/aftersale"
)

// orderCache keeps the orders this process read or wrote last, decoded,
// by ID, up to a budget of bytes, dropping the least recently used first.
// Apply on an order it holds starts from a copy of the order kept instead
// of loading and decoding it: one round trip and one decode fewer.
//
// An entry may be stale: another process, or a sweep, may have written
// the order since. That costs a retry, never a lost update, because the
// write is guarded by the version the entry had; and Apply never answers
// from an entry alone, as a refusal or a Repeat is tried again on the
// order as stored.
//
// The cache keeps copies of its own: put clones the order it is given and
// get returns a clone, so what callers do to their orders never reaches
// the one kept.
type orderCache struct {
	budget int // bytes; at most 0: nothing is kept

	mu   sync.Mutex
	size int
	byID map[string]*list.Element
	lru  list.List // of *cachedOrder, most recently used first
}

// cachedOrder is one order kept, never changed once kept.
type cachedOrder struct {
	order *aftersale.Order
	cost  int
}

// entryOverhead is roughly what an entry costs besides its ID and order:
// the map slot, the list element, the struct.
const entryOverhead = 128

// costOf is what keeping order costs the budget, order's stored document
// being docLen bytes long. A decoded order takes less memory than its
// document (about two thirds, for one case under review), so the
// document's length bounds it and needs no walk over the order.
func costOf(order *aftersale.Order, docLen int) int {
	return len(order.ID) + docLen + entryOverhead
}

func newOrderCache(budget int) *orderCache {
	return &orderCache{budget: budget, byID: make(map[string]*list.Element)}
}

// get returns a copy of the order kept for id, the caller's to change.
func (c *orderCache) get(id string) (*aftersale.Order, bool) {
	if c.budget <= 0 {
		return nil, false
	}
	c.mu.Lock()
	var kept *aftersale.Order
	if e, ok := c.byID[id]; ok {
		c.lru.MoveToFront(e)
		kept = e.Value.(*cachedOrder).order
	}
	c.mu.Unlock()
	if kept == nil {
		return nil, false
	}
	// Outside the lock: the order kept is never changed.
	return kept.Clone(), true
}

// put keeps a copy of order, whose stored document is docLen bytes long,
// unless a later version of it is kept already (writers of one order may
// finish out of order).
func (c *orderCache) put(order *aftersale.Order, docLen int) {
	cost := costOf(order, docLen)
	if cost > c.budget {
		return
	}
	d := &cachedOrder{order: order.Clone(), cost: cost}
	id, version := order.ID, order.Version()
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		old := e.Value.(*cachedOrder)
		if old.order.Version() > version {
			return
		}
		c.size += d.cost - old.cost
		e.Value = d
		c.lru.MoveToFront(e)
	} else {
		c.byID[id] = c.lru.PushFront(d)
		c.size += d.cost
	}
	for c.size > c.budget {
		last := c.lru.Back()
		old := last.Value.(*cachedOrder)
		c.lru.Remove(last)
		delete(c.byID, old.order.ID)
		c.size -= old.cost
	}
}

// drop forgets order id if the one kept is at version: a write over that
// version found the order moved on.
func (c *orderCache) drop(id string, version int64) {
	if c.budget <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok && int64(e.Value.(*cachedOrder).order.Version()) == version {
		c.lru.Remove(e)
		delete(c.byID, id)
		c.size -= e.Value.(*cachedOrder).cost
	}
}
