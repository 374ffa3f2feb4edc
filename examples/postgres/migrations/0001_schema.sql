-- The orders, each one shouhou document: json.Marshal(order), stored as
-- written (json, not jsonb, so it reads back byte for byte). version is
-- the order's Version(), the guard of every write; next_due is the
-- earliest pending deadline (Order.Next), what the sweeper claims by.
CREATE TABLE orders (
	id          text        PRIMARY KEY,
	version     bigint      NOT NULL CHECK (version >= 0),
	doc         json        NOT NULL,
	next_due    timestamptz,
	sweep_error text,
	created     timestamptz NOT NULL DEFAULT now(),
	updated     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_next_due ON orders (next_due) WHERE next_due IS NOT NULL;

-- Every event of every case, for queries; the document is the truth and
-- this table follows it in the same transaction. Append-only: a trigger
-- refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE events (
	order_id   text        NOT NULL REFERENCES orders (id),
	case_id    text        NOT NULL,
	seq        integer     NOT NULL CHECK (seq >= 1),
	at         timestamptz NOT NULL,
	actor      text        NOT NULL,
	action     text        NOT NULL,
	from_state text,
	to_state   text        NOT NULL,
	kind       text        NOT NULL,
	recorded   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (order_id, case_id, seq)
);
CREATE INDEX events_at ON events (at);

CREATE FUNCTION shouhou_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'shouhou: events are append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE FUNCTION shouhou_events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
	FOR EACH STATEMENT EXECUTE FUNCTION shouhou_events_append_only();

-- The effects the host must carry out (pay, notify, alert), keyed by the
-- effect's stable ID; written with the order, delivered by the relay at
-- least once. pos is the order they were recorded in. A row is pending
-- while delivered is null; next_attempt is when a relay may take it
-- (again): after a failure, the backoff; while a relay holds it, the end
-- of its lease.
CREATE TABLE outbox (
	id           text        PRIMARY KEY,
	pos          bigint      GENERATED ALWAYS AS IDENTITY,
	order_id     text        NOT NULL,
	kind         text        NOT NULL,
	payload      json        NOT NULL,
	created      timestamptz NOT NULL DEFAULT now(),
	delivered    timestamptz,
	attempts     integer     NOT NULL DEFAULT 0,
	next_attempt timestamptz NOT NULL DEFAULT now(),
	last_error   text
);
CREATE INDEX outbox_pending ON outbox (pos) WHERE delivered IS NULL;

-- shouhou_save_order writes one order over the version it was loaded at
-- (p_old), with its new events and effects: all of them, or nothing when
-- the version moved on (another writer got there first), which it
-- returns as false. One statement for the client, so one round trip, and
-- its plans are cached in the session.
CREATE FUNCTION shouhou_save_order(
	p_id text, p_old bigint, p_new bigint, p_doc json, p_next_due timestamptz,
	p_case text[], p_seq integer[], p_at timestamptz[], p_actor text[], p_action text[],
	p_from text[], p_to text[], p_kind text[],
	p_effect text[], p_effect_kind text[], p_payload json[])
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	UPDATE orders SET version = p_new, doc = p_doc, next_due = p_next_due, sweep_error = NULL, updated = now()
	WHERE id = p_id AND version = p_old;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	INSERT INTO events (order_id, case_id, seq, at, actor, action, from_state, to_state, kind)
	SELECT p_id, e.case_id, e.seq, e.at, e.actor, e.action, NULLIF(e.from_state, ''), e.to_state, e.kind
	FROM unnest(p_case, p_seq, p_at, p_actor, p_action, p_from, p_to, p_kind)
		AS e(case_id, seq, at, actor, action, from_state, to_state, kind);
	INSERT INTO outbox (id, order_id, kind, payload)
	SELECT b.id, p_id, b.kind, b.payload
	FROM unnest(p_effect, p_effect_kind, p_payload) WITH ORDINALITY AS b(id, kind, payload, n)
	ORDER BY b.n
	ON CONFLICT (id) DO NOTHING;
	RETURN true;
END
$$;
