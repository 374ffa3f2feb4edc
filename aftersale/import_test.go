package aftersale_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// TestImportCarriesACaseOn checks what an imported case does next: the
// deadline it waits for (the platform's own, or the state's), who may act,
// and what happens when nobody does.
func TestImportCarriesACaseOn(t *testing.T) {
	tests := []struct {
		name    string
		cmd     aftersale.Command
		advance string // then the clock moves here
		wantDue string // the pending deadline after the import
		state   aftersale.State
		closed  aftersale.ClosedReason
		waiting aftersale.Actor
		buyer   []aftersale.Action // what the buyer may do then
	}{
		{
			name:    "return waiting for the buyer, platform deadline 03-14 12:00: the buyer ships or withdraws by then",
			cmd:     withDue(importing(returnRefund, aftersale.StateAwaitingReturn), "2026-03-14 12:00"),
			wantDue: "2026-03-14 12:00", state: aftersale.StateAwaitingReturn, waiting: buyer,
			buyer: []aftersale.Action{aftersale.ActionShipReturn, aftersale.ActionWithdraw},
		},
		{
			name:    "return waiting for the buyer, no platform deadline: 10 days from the import at 03-04 09:01",
			cmd:     importing(returnRefund, aftersale.StateAwaitingReturn),
			wantDue: "2026-03-14 09:01", state: aftersale.StateAwaitingReturn, waiting: buyer,
			buyer: []aftersale.Action{aftersale.ActionShipReturn, aftersale.ActionWithdraw},
		},
		{
			name:    "return waiting for the buyer, platform deadline 03-06 09:00 passed by 03-07: closed return_timeout",
			cmd:     withDue(importing(returnRefund, aftersale.StateAwaitingReturn), "2026-03-06 09:00"),
			advance: "2026-03-07 09:00", state: aftersale.StateClosed, closed: aftersale.ClosedReturnTimeout,
		},
		{
			name:    "refund_only waiting for the merchant, no platform deadline: approved 48 h after the import",
			cmd:     importing(refundOnly, aftersale.StatePendingReview),
			advance: "2026-03-06 09:01", state: aftersale.StateRefunding, waiting: aftersale.ActorSystem,
			wantDue: "2026-03-18 00:00", // 7 business days to refund, from Friday 03-06, to the end of Tuesday 03-17
		},
		{
			name:    "rejected refund_only: the buyer may escalate, ask again or withdraw",
			cmd:     importing(refundOnly, aftersale.StateRejected),
			wantDue: "2026-03-11 09:01", state: aftersale.StateRejected, waiting: buyer,
			buyer: []aftersale.Action{aftersale.ActionEscalate, aftersale.ActionWithdraw},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, policy.Default())
			out := f.do(tc.cmd)
			if tc.advance != "" {
				f.advance(at(t, tc.advance))
			}
			c := f.c("c1")
			if c != out.Case {
				t.Fatalf("the import opened %q", out.Case.ID())
			}
			if c.State() != tc.state || c.ClosedReason() != tc.closed {
				t.Fatalf("case is %s %s, want %s %s", c.State(), c.ClosedReason(), tc.state, tc.closed)
			}
			next := c.Next()
			if next.Waiting != tc.waiting {
				t.Errorf("waiting for %s, want %s", next.Waiting, tc.waiting)
			}
			if tc.wantDue != "" && !next.Deadline.At.Equal(at(t, tc.wantDue)) {
				t.Errorf("next deadline %v, want %s", next.Deadline.At, tc.wantDue)
			}
			if tc.buyer != nil {
				var got []aftersale.Action
				for _, m := range f.o.Allowed("c1", buyer) {
					got = append(got, m.Action)
				}
				if diff := cmp.Diff(tc.buyer, got); diff != "" {
					t.Errorf("the buyer's moves (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func withDue(cmd aftersale.Command, due string) aftersale.Command {
	d, err := time.ParseInLocation("2006-01-02 15:04", due, zone)
	if err != nil {
		panic(err)
	}
	return with(cmd, func(c *aftersale.Command) { c.Due = d })
}

// TestImportKeepsTheRecord checks that the import event keeps the
// platform's record, asks no policy, pays and tells nobody (the platform
// did), and reads back from the stored form as it was.
func TestImportKeepsTheRecord(t *testing.T) {
	f := newFixture(t, policy.Default())
	cmd := importing(refundOnly, aftersale.StateRefunding)
	cmd.Record = json.RawMessage(` {"after_sale_status": 12, "text": "<退款中>"} `)
	out := f.do(cmd)

	ev := out.Event
	if want := `{"after_sale_status":12,"text":"\u003c退款中\u003e"}`; string(ev.Record) != want {
		t.Errorf("the event keeps the record %s, want it compact as encoding/json writes it, %s", ev.Record, want)
	}
	if ev.Decision.Policy != "import" || ev.Decision.Rule != "import.adopted" {
		t.Errorf("the import is decided by %s (%s), want import (import.adopted)", ev.Decision.Policy, ev.Decision.Rule)
	}
	var kinds []aftersale.EffectKind
	for _, ef := range out.Effects() {
		kinds = append(kinds, ef.Kind)
	}
	if diff := cmp.Diff([]aftersale.EffectKind{aftersale.EffectWake}, kinds); diff != "" {
		t.Errorf("an import into refunding has effects (-want +got):\n%s", diff)
	}

	var back aftersale.Order
	if err := json.Unmarshal([]byte(f.json()), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f.c("c1").Events(), back.Case("c1").Events()); diff != "" {
		t.Errorf("the events read back otherwise (-stored +read):\n%s", diff)
	}

	// The refund the platform was paying succeeds: the case is over.
	out = f.do(act(system, aftersale.ActionRefundSucceeded))
	if out.Case.State() != aftersale.StateRefunded || out.Case.Refunded() != f.o.Amount {
		t.Errorf("after the refund the case is %s with %s refunded", out.Case.State(), out.Case.Refunded())
	}
}

// TestImportedReturnComesWithItsParcel checks that an imported return in
// transit knows the parcel the buyer sent: a merchant-fault return gets its
// freight back from the merchant when the goods are received.
func TestImportedReturnComesWithItsParcel(t *testing.T) {
	f := newFixture(t, policy.Default())
	cmd := importing(returnRefund, aftersale.StateReturnInTransit)
	cmd.Carrier, cmd.Waybill, cmd.Freight = "SF", "SF1302", aftersale.Yuan(15)
	f.do(cmd)
	s, ok := f.c("c1").ReturnShipment()
	if !ok || s.Waybill != "SF1302" || s.Freight != aftersale.Yuan(15) {
		t.Fatalf("the return shipment is %+v, %v", s, ok)
	}
	f.do(act(merchant, aftersale.ActionReceiveReturn))
	if got := f.c("c1").Compensated(aftersale.PayerMerchant); got != aftersale.Yuan(15) {
		t.Errorf("the merchant pays %s of the freight, want 15.00 (quality is the merchant's fault)", got)
	}
}

// TestImportRefusals checks that an import the table or the order does
// not allow is refused with its code and rule, and changes nothing.
func TestImportRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture)
		cmd   aftersale.Command
		code  aftersale.Code
		rule  string
	}{
		{name: "a proposal no record describes: negotiating is not importable",
			cmd: importing(refundOnly, aftersale.StateNegotiating), code: aftersale.ErrNotPermitted, rule: "import.not_importable"},
		{name: "a finished case: closed is not importable",
			cmd: importing(refundOnly, aftersale.StateClosed), code: aftersale.ErrNotPermitted, rule: "import.not_importable"},
		{name: "a refund_only has no parcel coming back: awaiting_return is not importable for it",
			cmd: importing(refundOnly, aftersale.StateAwaitingReturn), code: aftersale.ErrNotPermitted, rule: "import.not_importable"},
		{name: "only the system imports",
			cmd: with(importing(refundOnly, aftersale.StatePendingReview), func(c *aftersale.Command) { c.Actor = buyer }), code: aftersale.ErrNotPermitted, rule: "table.wrong_actor"},
		{name: "a record that is not a JSON object",
			cmd: with(importing(refundOnly, aftersale.StatePendingReview), func(c *aftersale.Command) { c.Record = json.RawMessage(`[12]`) }), code: aftersale.ErrInvalidInput, rule: "import.bad_record"},
		{name: "a record that is not JSON",
			cmd: with(importing(refundOnly, aftersale.StatePendingReview), func(c *aftersale.Command) { c.Record = json.RawMessage(`{"a":`) }), code: aftersale.ErrInvalidInput, rule: "import.bad_record"},
		{name: "no record",
			cmd: with(importing(refundOnly, aftersale.StatePendingReview), func(c *aftersale.Command) { c.Record = nil }), code: aftersale.ErrInvalidInput, rule: "command.missing_argument"},
		{name: "a platform deadline before the import: import as of when the case entered its state",
			cmd: withDue(importing(refundOnly, aftersale.StatePendingReview), "2026-03-04 09:00"), code: aftersale.ErrInvalidInput, rule: "import.due_passed"},
		{name: "intercepting on a delivered order",
			cmd: importing(refundOnly, aftersale.StateIntercepting), code: aftersale.ErrInvalidInput, rule: "import.not_in_transit"},
		{name: "a second open case on the same goods",
			setup: func(f *fixture) { f.do(request(refundOnly, aftersale.ReasonQuality)) },
			cmd:   with(importing(refundOnly, aftersale.StatePendingReview), func(c *aftersale.Command) { c.Case = "c2" }), code: aftersale.ErrConflict, rule: "line.open_case"},
		{name: "more than was paid",
			cmd: with(importing(refundOnly, aftersale.StatePendingReview), func(c *aftersale.Command) { c.Amount = aftersale.Yuan(300) }), code: aftersale.ErrInvalidInput, rule: "refund_cap.exceeded"},
		{name: "a return before the goods were delivered",
			setup: func(f *fixture) { f.undelivered() },
			cmd:   importing(returnRefund, aftersale.StatePendingReview), code: aftersale.ErrNotPermitted, rule: "order.not_delivered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, policy.Default())
			if tc.setup != nil {
				tc.setup(f)
			}
			err := f.fails(tc.cmd, tc.code)
			if got := ruleOf(err); got != tc.rule {
				t.Errorf("refused by %s (%v), want %s", got, err, tc.rule)
			}
		})
	}
}

// TestImportTwiceWithOneKey checks idempotency: the same import again is
// the first one's outcome; the key on another record is a conflict.
func TestImportTwiceWithOneKey(t *testing.T) {
	f := newFixture(t, policy.Default())
	cmd := importing(refundOnly, aftersale.StatePendingReview)
	cmd.Key = "douyin-7301"
	first := f.do(cmd)
	again := f.do(cmd)
	if !again.Repeat || again.Event.Seq != first.Event.Seq || f.o.NumCases() != 1 {
		t.Errorf("the same import again: repeat %v, seq %d, %d cases", again.Repeat, again.Event.Seq, f.o.NumCases())
	}
	cmd.Record = json.RawMessage(`{"status":"another"}`)
	f.fails(cmd, aftersale.ErrConflict)
}

func ruleOf(err error) string {
	var e *aftersale.Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
}
