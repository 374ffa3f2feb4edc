package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/postgres/internal/pgtest"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// The server every test and benchmark of this run uses: started by
// TestMain in a temporary folder, with a new database for each test.
var harness struct {
	srv *pgtest.Server
	err error
	dbs atomic.Int64
}

func TestMain(m *testing.M) {
	if role := os.Getenv(workerEnv); role != "" {
		os.Exit(workerMain(role)) // a worker process started by a test
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	harness.srv, harness.err = pgtest.Start(ctx)
	cancel()
	code := m.Run()
	if harness.srv != nil {
		if err := harness.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// needServer fails the test in CI, and skips it elsewhere, when there is
// no PostgreSQL to test against.
func needServer(t testing.TB) *pgtest.Server {
	t.Helper()
	if harness.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("these tests need PostgreSQL, and CI=true: %v", harness.err)
		}
		t.Skipf("skipped: no PostgreSQL to test against (%v); %s", harness.err, pgtest.HowToGet)
	}
	return harness.srv
}

// freshDB creates a new empty database and returns its connection
// string.
func freshDB(t testing.TB) string {
	t.Helper()
	srv := needServer(t)
	name := fmt.Sprintf("t%03d", harness.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.CreateDatabase(ctx, name); err != nil {
		t.Fatal(err)
	}
	return srv.ConnString(name)
}

// connect opens a pool of at most conns connections on dsn.
func connect(t testing.TB, dsn string, conns int) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = int32(conns)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// freshStore returns a store on a new migrated database, and the
// database's connection string.
func freshStore(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	dsn := freshDB(t)
	pool := connect(t, dsn, 20)
	if err := Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return New(pool, testEngine(t), opts), dsn
}

var zone = timeline.UTC8()

// at returns a time in March 2026, UTC+8.
func at(day, hour, minute int) time.Time { return time.Date(2026, 3, day, hour, minute, 0, 0, zone) }

func testEngine(t testing.TB) *aftersale.Engine {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newOrder returns a delivered order of 299.00 with no case.
func newOrder(id string) *aftersale.Order {
	return &aftersale.Order{
		ID: id, Buyer: "b-" + id, Amount: aftersale.Yuan(299),
		PaidAt: at(1, 10, 0), ShippedAt: at(1, 18, 0), DeliveredAt: at(3, 15, 0),
	}
}

// Commands of a return-and-refund case, request to refund.
var (
	request = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}
	approve    = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}
	shipReturn = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn,
		Carrier: "SF", Waybill: "SF1302", Freight: aftersale.Yuan(12)}
	receive  = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn}
	refunded = aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}
)

// on returns cmd addressed to case c.
func on(c string, cmd aftersale.Command) aftersale.Command {
	cmd.Case = c
	return cmd
}

// requested returns an order with one case in pending_review, requested
// at t: its deadline (the merchant's review) is 48 hours later.
func requested(t testing.TB, e *aftersale.Engine, id string, at time.Time) *aftersale.Order {
	t.Helper()
	o := newOrder(id)
	if _, err := e.ApplyAt(at, o, on(id+"-1", request)); err != nil {
		t.Fatal(err)
	}
	return o
}

// row is an order's row as stored, with counts of its events and outbox
// rows. Two rows are equal when nothing was written.
type row struct {
	Version  int64
	Doc      string
	NextDue  string // RFC 3339 in UTC, or "" for none
	SweepErr string
	Events   int
	Outbox   int
}

func readRow(t testing.TB, s *Store, id string) row {
	t.Helper()
	var r row
	var due *time.Time
	err := s.pool.QueryRow(context.Background(), `
		SELECT version, doc::text, next_due, coalesce(sweep_error, ''),
			(SELECT count(*) FROM events WHERE order_id = $1),
			(SELECT count(*) FROM outbox WHERE order_id = $1)
		FROM orders WHERE id = $1`, id).Scan(&r.Version, &r.Doc, &due, &r.SweepErr, &r.Events, &r.Outbox)
	if err != nil {
		t.Fatalf("order %s: %v", id, err)
	}
	if due != nil {
		r.NextDue = due.UTC().Format(time.RFC3339Nano)
	}
	return r
}

// dbState is a digest of every row the store writes: unchanged when
// nothing was written.
func dbState(t testing.TB, s *Store) string {
	t.Helper()
	var state string
	err := s.pool.QueryRow(context.Background(), `
		SELECT coalesce((SELECT string_agg(md5(o::text), ',' ORDER BY id) FROM orders o), '') || '|' ||
			coalesce((SELECT string_agg(md5(e::text), ',' ORDER BY order_id, case_id, seq) FROM events e), '') || '|' ||
			coalesce((SELECT string_agg(md5(b::text), ',' ORDER BY pos) FROM outbox b), '')`).Scan(&state)
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// storedEvent is one row of the events table.
type storedEvent struct {
	Case, Actor, Action, From, To, Kind string
	Seq                                 int
	At                                  time.Time
}

// checkConsistent checks that the rows of an order follow from its
// document: the version and next_due columns, every event of every case
// in the events table and nothing else, and every effect but the
// wake-ups in the outbox, with the same IDs and payloads, and nothing
// else. It returns the stored order.
func checkConsistent(t testing.TB, s *Store, id string) *aftersale.Order {
	t.Helper()
	ctx := context.Background()
	r := readRow(t, s, id)
	o, err := s.Load(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(o); string(got) != r.Doc {
		t.Errorf("order %s: the stored document does not read back byte for byte", id)
	}
	if r.Version != int64(o.Version()) {
		t.Errorf("order %s: version column %d, document %d", id, r.Version, o.Version())
	}
	want := nextDue(o)
	switch {
	case !want.Valid && r.NextDue != "":
		t.Errorf("order %s: next_due %v, but nothing is pending", id, r.NextDue)
	case want.Valid && r.NextDue != want.Time.UTC().Format(time.RFC3339Nano):
		t.Errorf("order %s: next_due %v, want %v", id, r.NextDue, want.Time)
	}

	var wantEvents []storedEvent
	var wantEffects []aftersale.Effect
	for _, c := range o.Cases() {
		for _, ev := range c.Events() {
			se := storedEvent{Case: c.ID(), Seq: ev.Seq, At: ev.At.Truncate(time.Microsecond),
				Actor: ev.Actor.String(), Action: ev.Action.String(), To: ev.To.String(), Kind: ev.Kind.String()}
			if ev.From != 0 {
				se.From = ev.From.String()
			}
			wantEvents = append(wantEvents, se)
		}
		wantEffects = append(wantEffects, outboxEffects(c.Effects(0))...)
	}
	rows, err := s.pool.Query(ctx, `SELECT case_id, seq, at, actor, action, coalesce(from_state, ''), to_state, kind
		FROM events WHERE order_id = $1 ORDER BY case_id, seq`, id)
	if err != nil {
		t.Fatal(err)
	}
	var gotEvents []storedEvent
	for rows.Next() {
		var se storedEvent
		if err := rows.Scan(&se.Case, &se.Seq, &se.At, &se.Actor, &se.Action, &se.From, &se.To, &se.Kind); err != nil {
			t.Fatal(err)
		}
		gotEvents = append(gotEvents, se)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(wantEvents, func(a, b storedEvent) int {
		if a.Case != b.Case {
			if a.Case < b.Case {
				return -1
			}
			return 1
		}
		return a.Seq - b.Seq
	})
	if diff := cmp.Diff(wantEvents, gotEvents, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("order %s: events table differs from the document (-document +table):\n%s", id, diff)
	}

	got := outboxOf(t, s, id)
	slices.SortFunc(wantEffects, func(a, b aftersale.Effect) int { return cmpString(a.ID, b.ID) })
	slices.SortFunc(got, func(a, b aftersale.Effect) int { return cmpString(a.ID, b.ID) })
	if diff := cmp.Diff(wantEffects, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("order %s: outbox differs from the document's effects (-document +outbox):\n%s", id, diff)
	}
	return o
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// outboxOf returns the effects in the outbox for an order, in the order
// they were recorded.
func outboxOf(t testing.TB, s *Store, id string) []aftersale.Effect {
	t.Helper()
	rows, err := s.pool.Query(context.Background(), `SELECT id, payload::text FROM outbox WHERE order_id = $1 ORDER BY pos`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []aftersale.Effect
	for rows.Next() {
		var key, payload string
		if err := rows.Scan(&key, &payload); err != nil {
			t.Fatal(err)
		}
		var ef aftersale.Effect
		if err := json.Unmarshal([]byte(payload), &ef); err != nil {
			t.Fatalf("outbox %s: %v", key, err)
		}
		if ef.ID != key {
			t.Errorf("outbox row %s holds effect %s", key, ef.ID)
		}
		out = append(out, ef)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// ids returns the IDs of effects.
func ids(effects []aftersale.Effect) []string {
	out := make([]string, len(effects))
	for i, ef := range effects {
		out[i] = ef.ID
	}
	return out
}
