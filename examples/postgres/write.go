package postgres

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/shouhou/shouhou/aftersale"
)

// writeSet is what one statement writes: orders with their documents,
// their new events and their effects, as parallel arrays that the SQL
// unnests.
type writeSet struct {
	// orders
	ids  []string
	olds []int64 // the version loaded: the guard
	news []int64
	docs [][]byte
	dues []pgtype.Timestamptz
	// the orders themselves, for the cache once written
	orders []*aftersale.Order

	// events
	evOrder, evCase []string
	evSeq           []int32
	evAt            []time.Time
	evActor         []string
	evAction        []string
	evFrom, evTo    []string
	evKind          []string

	// outbox
	obID, obOrder, obKind []string
	obPayload             [][]byte // JSON
}

// addOrder adds the order's document, to replace the one at version old.
func (w *writeSet) addOrder(o *aftersale.Order, old int64) error {
	// What json.Marshal(o) writes, without json.Marshal checking and
	// compacting what MarshalJSON wrote: a third of the cost.
	doc, err := o.MarshalJSON()
	if err != nil {
		return err
	}
	w.ids = append(w.ids, o.ID)
	w.olds = append(w.olds, old)
	w.news = append(w.news, int64(o.Version()))
	w.docs = append(w.docs, doc)
	w.dues = append(w.dues, nextDue(o))
	w.orders = append(w.orders, o)
	return nil
}

// nextDue is the order's earliest pending deadline, rounded up to the
// microsecond PostgreSQL keeps: a sweep that finds it due finds the
// deadline due too.
func nextDue(o *aftersale.Order) pgtype.Timestamptz {
	up, ok := o.Next()
	if !ok || up.Deadline.IsZero() {
		return pgtype.Timestamptz{}
	}
	at := up.Deadline.At
	if r := at.Truncate(time.Microsecond); r.Before(at) {
		at = r.Add(time.Microsecond)
	}
	return pgtype.Timestamptz{Time: at, Valid: true}
}

// addEventsSince adds the events of o's cases after the versions they had
// in before (a case not in it is new: all its events).
func (w *writeSet) addEventsSince(o *aftersale.Order, before map[string]int) {
	for _, c := range o.Cases() {
		since := before[c.ID()]
		for i, ev := range c.All() {
			if i < since {
				continue
			}
			w.addEvent(o.ID, c.ID(), ev)
		}
	}
}

// addEvent adds one event of a case.
func (w *writeSet) addEvent(orderID, caseID string, ev aftersale.Event) {
	w.evOrder = append(w.evOrder, orderID)
	w.evCase = append(w.evCase, caseID)
	w.evSeq = append(w.evSeq, int32(ev.Seq))
	w.evAt = append(w.evAt, ev.At)
	w.evActor = append(w.evActor, ev.Actor.String())
	w.evAction = append(w.evAction, ev.Action.String())
	from := ""
	if ev.From != 0 {
		from = ev.From.String()
	}
	w.evFrom = append(w.evFrom, from)
	w.evTo = append(w.evTo, ev.To.String())
	w.evKind = append(w.evKind, ev.Kind.String())
}

// addEffects adds effects to the outbox.
func (w *writeSet) addEffects(effects []aftersale.Effect) error {
	for _, ef := range effects {
		payload, err := json.Marshal(ef)
		if err != nil {
			return err
		}
		w.obID = append(w.obID, ef.ID)
		w.obOrder = append(w.obOrder, ef.Order)
		w.obKind = append(w.obKind, ef.Kind.String())
		w.obPayload = append(w.obPayload, payload)
	}
	return nil
}

// maxRowsPerSave is the most events, and the most effects, that one
// order's write sends as rows of parameters (saveStatement); a write with
// more, such as a command stamped after many deadlines, goes through
// shouhou_save_order and its arrays.
var maxRowsPerSave = 8

// saveStatements[e][f] is saveStatement(e, f), for e and f up to
// maxRowsPerSave.
var saveStatements = func() [][]string {
	out := make([][]string, maxRowsPerSave+1)
	for e := range out {
		out[e] = make([]string, maxRowsPerSave+1)
		for f := range out[e] {
			out[e][f] = saveStatement(e, f)
		}
	}
	return out
}()

// saveStatement is the guarded write of one order with e new events and f
// effects, in one statement that returns how many orders it wrote, 1 or 0
// (the version moved on: then nothing is written). Every value is a
// parameter of its own rather than an element of an array, so PostgreSQL
// plans the statement once per connection and shape; over arrays it
// plans it afresh every time, as its estimate of an array parameter's
// length never matches the one row it holds.
//
// Parameters: $1 id, $2 the version loaded, $3 the new one, $4 the
// document, $5 next_due; then 8 per event (case, seq, at, actor, action,
// from, to, kind) and 3 per effect (id, kind, payload).
func saveStatement(e, f int) string {
	var b strings.Builder
	b.WriteString(`WITH u AS (
	UPDATE orders SET version = $3, doc = $4, next_due = $5, sweep_error = NULL, updated = now()
	WHERE id = $1 AND version = $2
	RETURNING id
)`)
	n := 6
	param := func(typ string) string {
		n++
		return fmt.Sprintf("$%d::%s", n-1, typ)
	}
	if e > 0 {
		b.WriteString(`, e AS (
	INSERT INTO events (order_id, case_id, seq, at, actor, action, from_state, to_state, kind)
	SELECT u.id, x.case_id, x.seq, x.at, x.actor, x.action, NULLIF(x.from_state, ''), x.to_state, x.kind
	FROM u, (VALUES `)
		for i := range e {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "(%s, %s, %s, %s, %s, %s, %s, %s)", param("text"), param("integer"), param("timestamptz"),
				param("text"), param("text"), param("text"), param("text"), param("text"))
		}
		b.WriteString(`) AS x(case_id, seq, at, actor, action, from_state, to_state, kind)
)`)
	}
	if f > 0 {
		b.WriteString(`, b AS (
	INSERT INTO outbox (id, order_id, kind, payload)
	SELECT y.id, u.id, y.kind, y.payload
	FROM u, (VALUES `)
		for i := range f {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "(%d, %s, %s, %s)", i, param("text"), param("text"), param("json"))
		}
		b.WriteString(`) AS y(n, id, kind, payload)
	ORDER BY y.n
)`)
	}
	b.WriteString(`
SELECT count(*) FROM u`)
	return b.String()
}

// save returns the statement that writes the only order of w over the
// version it was loaded at, with its events and effects, and its
// arguments; the statement returns how many orders it wrote.
func (w *writeSet) save() (string, []any) {
	e, f := len(w.evCase), len(w.obID)
	if e > maxRowsPerSave || f > maxRowsPerSave {
		return saveOrder, []any{
			w.ids[0], w.olds[0], w.news[0], w.docs[0], w.dues[0],
			w.evCase, w.evSeq, w.evAt, w.evActor, w.evAction, w.evFrom, w.evTo, w.evKind,
			w.obID, w.obKind, w.obPayload,
		}
	}
	args := make([]any, 0, 5+8*e+3*f)
	args = append(args, w.ids[0], w.olds[0], w.news[0], w.docs[0], w.dues[0])
	for i := range e {
		args = append(args, w.evCase[i], w.evSeq[i], w.evAt[i], w.evActor[i], w.evAction[i], w.evFrom[i], w.evTo[i], w.evKind[i])
	}
	for i := range f {
		args = append(args, w.obID[i], w.obKind[i], w.obPayload[i])
	}
	return saveStatements[e][f], args
}

// keep puts copies of w's orders in the cache, once written.
func (w *writeSet) keep(c *orderCache) {
	for i, o := range w.orders {
		c.put(o, len(w.docs[i]))
	}
}

// mergeAll returns one write of the orders of ws, their events and
// effects, in the order of ws.
func mergeAll(ws []*writeSet) *writeSet {
	var orders, events, effects int
	for _, o := range ws {
		orders, events, effects = orders+len(o.ids), events+len(o.evCase), effects+len(o.obID)
	}
	w := &writeSet{
		ids: make([]string, 0, orders), olds: make([]int64, 0, orders), news: make([]int64, 0, orders),
		docs: make([][]byte, 0, orders), dues: make([]pgtype.Timestamptz, 0, orders),
		orders:  make([]*aftersale.Order, 0, orders),
		evOrder: make([]string, 0, events), evCase: make([]string, 0, events), evSeq: make([]int32, 0, events),
		evAt: make([]time.Time, 0, events), evActor: make([]string, 0, events), evAction: make([]string, 0, events),
		evFrom: make([]string, 0, events), evTo: make([]string, 0, events), evKind: make([]string, 0, events),
		obID: make([]string, 0, effects), obOrder: make([]string, 0, effects), obKind: make([]string, 0, effects),
		obPayload: make([][]byte, 0, effects),
	}
	for _, o := range ws {
		w.merge(o)
	}
	return w
}

// merge adds the orders of o, their events and effects.
func (w *writeSet) merge(o *writeSet) {
	w.ids = append(w.ids, o.ids...)
	w.olds = append(w.olds, o.olds...)
	w.news = append(w.news, o.news...)
	w.docs = append(w.docs, o.docs...)
	w.dues = append(w.dues, o.dues...)
	w.orders = append(w.orders, o.orders...)
	w.evOrder = append(w.evOrder, o.evOrder...)
	w.evCase = append(w.evCase, o.evCase...)
	w.evSeq = append(w.evSeq, o.evSeq...)
	w.evAt = append(w.evAt, o.evAt...)
	w.evActor = append(w.evActor, o.evActor...)
	w.evAction = append(w.evAction, o.evAction...)
	w.evFrom = append(w.evFrom, o.evFrom...)
	w.evTo = append(w.evTo, o.evTo...)
	w.evKind = append(w.evKind, o.evKind...)
	w.obID = append(w.obID, o.obID...)
	w.obOrder = append(w.obOrder, o.obOrder...)
	w.obKind = append(w.obKind, o.obKind...)
	w.obPayload = append(w.obPayload, o.obPayload...)
}

// args returns the arguments of writeOrders and insertOrders.
func (w *writeSet) args() []any {
	return []any{
		w.ids, w.olds, w.news, w.docs, w.dues,
		w.evOrder, w.evCase, w.evSeq, w.evAt, w.evActor, w.evAction, w.evFrom, w.evTo, w.evKind,
		w.obID, w.obOrder, w.obKind, w.obPayload,
	}
}

// The events and outbox rows of a write, for the orders in the CTE "u".
const writeChildren = `
e AS (
	INSERT INTO events (order_id, case_id, seq, at, actor, action, from_state, to_state, kind)
	SELECT x.order_id, x.case_id, x.seq, x.at, x.actor, x.action, NULLIF(x.from_state, ''), x.to_state, x.kind
	FROM unnest($6::text[], $7::text[], $8::integer[], $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
		AS x(order_id, case_id, seq, at, actor, action, from_state, to_state, kind)
	WHERE x.order_id IN (SELECT id FROM u)
), b AS (
	INSERT INTO outbox (id, order_id, kind, payload)
	SELECT y.id, y.order_id, y.kind, y.payload::json
	FROM unnest($15::text[], $16::text[], $17::text[], $18::text[]) WITH ORDINALITY AS y(id, order_id, kind, payload, n)
	WHERE y.order_id IN (SELECT id FROM u)
	ORDER BY y.n
)
SELECT id FROM u`

// writeOrders saves orders over the versions they were loaded at, with
// their events and effects, in one statement: an order whose version
// moved on is not written, nor are its events and effects. It returns
// the IDs of the orders written.
const writeOrders = `
WITH u AS (
	UPDATE orders o
	SET version = w.new, doc = w.doc::json, next_due = w.due, sweep_error = NULL, updated = now()
	FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[]) AS w(id, old, new, doc, due)
	WHERE o.id = w.id AND o.version = w.old
	RETURNING o.id
), ` + writeChildren

// insertOrders stores new orders, with their events and effects; $2 is
// unused.
const insertOrders = `
WITH u AS (
	INSERT INTO orders (id, version, doc, next_due)
	SELECT w.id, w.new, w.doc::json, w.due
	FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[]) AS w(id, old, new, doc, due)
	RETURNING id
), ` + writeChildren
