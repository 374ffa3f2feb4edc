package postgres

import (
	"container/list"
	"sync"
)

// docCache keeps the stored documents this process read or wrote last,
// by order ID, up to a budget of bytes, dropping the least recently used
// first. Apply on an order it holds starts from the document kept instead
// of loading it: one round trip fewer.
//
// An entry may be stale: another process, or a sweep, may have written
// the order since. That costs a retry, never a lost update, because the
// write is guarded by the version the entry had; and Apply never answers
// from an entry alone, as a refusal or a Repeat is tried again on the
// order as stored.
type docCache struct {
	budget int // bytes; at most 0: nothing is kept

	mu   sync.Mutex
	size int
	byID map[string]*list.Element
	lru  list.List // of *cachedDoc, most recently used first
}

// cachedDoc is one order's stored document and the version it holds.
type cachedDoc struct {
	id      string
	version int64
	doc     []byte // never changed once kept
}

// entryOverhead is roughly what an entry costs besides its ID and
// document: the map slot, the list element, the struct.
const entryOverhead = 128

func (d *cachedDoc) cost() int { return len(d.id) + len(d.doc) + entryOverhead }

func newDocCache(budget int) *docCache {
	return &docCache{budget: budget, byID: make(map[string]*list.Element)}
}

// get returns the document kept for id and its version.
func (c *docCache) get(id string) (version int64, doc []byte, ok bool) {
	if c.budget <= 0 {
		return 0, nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok {
		return 0, nil, false
	}
	c.lru.MoveToFront(e)
	d := e.Value.(*cachedDoc)
	return d.version, d.doc, true
}

// put keeps doc as order id's document at version, unless a later
// version is kept already (writers of one order may finish out of order).
// doc must not be changed afterwards.
func (c *docCache) put(id string, version int64, doc []byte) {
	d := &cachedDoc{id: id, version: version, doc: doc}
	if d.cost() > c.budget {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		old := e.Value.(*cachedDoc)
		if old.version > version {
			return
		}
		c.size += d.cost() - old.cost()
		e.Value = d
		c.lru.MoveToFront(e)
	} else {
		c.byID[id] = c.lru.PushFront(d)
		c.size += d.cost()
	}
	for c.size > c.budget {
		last := c.lru.Back()
		old := last.Value.(*cachedDoc)
		c.lru.Remove(last)
		delete(c.byID, old.id)
		c.size -= old.cost()
	}
}

// drop forgets order id's document if it is the one at version: a write
// over that version found the order moved on.
func (c *docCache) drop(id string, version int64) {
	if c.budget <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok && e.Value.(*cachedDoc).version == version {
		c.lru.Remove(e)
		delete(c.byID, id)
		c.size -= e.Value.(*cachedDoc).cost()
	}
}
