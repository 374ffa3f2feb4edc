package postgres

import (
	"encoding/json"
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
	docs []string
	dues []pgtype.Timestamptz

	// events
	evOrder, evCase []string
	evSeq           []int32
	evAt            []time.Time
	evActor         []string
	evAction        []string
	evFrom, evTo    []string
	evKind          []string

	// outbox
	obID, obOrder, obKind, obPayload []string
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
	w.docs = append(w.docs, string(doc))
	w.dues = append(w.dues, nextDue(o))
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
		w.obPayload = append(w.obPayload, string(payload))
	}
	return nil
}

// saveArgs returns the arguments of saveOrder for the only order of w.
func (w *writeSet) saveArgs(i int) []any {
	return []any{
		w.ids[i], w.olds[i], w.news[i], w.docs[i], w.dues[i],
		w.evCase, w.evSeq, w.evAt, w.evActor, w.evAction, w.evFrom, w.evTo, w.evKind,
		w.obID, w.obKind, w.obPayload,
	}
}

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
	ON CONFLICT (id) DO NOTHING
)
SELECT count(*) FROM u`

// writeOrders saves orders over the versions they were loaded at, with
// their events and effects, in one statement: an order whose version
// moved on is not written, nor are its events and effects. It returns
// how many orders were written.
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
