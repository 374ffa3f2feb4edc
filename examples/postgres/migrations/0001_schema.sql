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
CREATE INDEX events_action_at ON events (action, at);

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
CREATE INDEX outbox_order ON outbox (order_id);
