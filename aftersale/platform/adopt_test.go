package platform_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/aftersale/platform"
	"github.com/shouhou/shouhou/policy"
)

// beijing parses a Beijing time "2006-01-02 15:04".
func beijing(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, platform.Beijing)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// records reads the records of a response in testdata.
func records(t *testing.T, p platform.Platform, file string) []platform.Record {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	raws, err := platform.Records(p, body)
	if err != nil {
		t.Fatal(err)
	}
	var out []platform.Record
	for _, raw := range raws {
		r, err := platform.Decode(p, raw)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, r)
	}
	return out
}

// shop is a merchant's engine and an order of 299.00 yuan, paid on
// March 1st, shipped on the 2nd and delivered on the 3rd.
func shop(t *testing.T) (*aftersale.Engine, *aftersale.Order) {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: platform.Beijing})
	if err != nil {
		t.Fatal(err)
	}
	return e, &aftersale.Order{
		ID: "o-1", Buyer: "b-1", Amount: aftersale.Yuan(299),
		PaidAt: beijing(t, "2026-03-01 09:00"), ShippedAt: beijing(t, "2026-03-02 12:00"), DeliveredAt: beijing(t, "2026-03-03 15:00"),
	}
}

func moves(o *aftersale.Order, id string, a aftersale.Actor) []string {
	var out []string
	for _, m := range o.Allowed(id, a) {
		out = append(out, m.Action.String()+" "+m.Action.Label())
	}
	return out
}

// TestAdoptDouyinAwaitingReturn is the case: a merchant tool
// imports a Douyin return waiting for the buyer to send the goods back
// (after_sale_status 7) and learns when the platform steps in, who may do
// what, in Chinese, and carries the case on to its end.
func TestAdoptDouyinAwaitingReturn(t *testing.T) {
	e, o := shop(t)
	r := records(t, platform.Douyin, "douyin_detail_awaiting_return.json")[0]
	out, changes, err := platform.Adopt(e, o, r, beijing(t, "2026-03-06 09:00"), platform.Options{Reason: aftersale.ReasonQuality})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Errorf("nothing was due by March 6th, but %d changes", len(changes))
	}
	c := out.Case
	if c.ID() != "douyin-7301150938517062000" || c.Kind() != aftersale.KindReturnRefund || c.State() != aftersale.StateAwaitingReturn {
		t.Fatalf("adopted %s as %s %s", c.ID(), c.Kind(), c.State())
	}
	next := c.Next()
	got := []string{c.State().Label(), next.Waiting.Label(), next.Deadline.At.Format(time.DateTime), next.Action.String(), next.To.String()}
	want := []string{"待买家退货", "买家", "2026-03-12 14:00:00", "expire", "closed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("what happens next (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ship_return 寄回商品", "withdraw 撤销申请"}, moves(o, c.ID(), aftersale.ActorBuyer)); diff != "" {
		t.Errorf("the buyer's moves (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"resolve_offline 线下换/修"}, moves(o, c.ID(), aftersale.ActorMerchant)); diff != "" {
		t.Errorf("the merchant's moves (-want +got):\n%s", diff)
	}
	if out.Event.Decision.Policy != aftersale.DecidedByImport {
		t.Errorf("the import is decided by %q, want %q: no policy is asked", out.Event.Decision.Policy, aftersale.DecidedByImport)
	}
	if string(out.Event.Record) == "" || out.Event.Action != aftersale.ActionImport || c.Amount() != aftersale.Yuan(299) {
		t.Errorf("the import event is %s with record %.40s, asking %s", out.Event.Action, out.Event.Record, c.Amount())
	}

	// The buyer sends the goods back, the merchant receives them, the
	// payment goes through: the case ends refunded.
	steps := []aftersale.Command{
		{Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Case: c.ID(), Carrier: "顺丰速运", Waybill: "SF1400000002"},
		{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn, Case: c.ID()},
		{Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded, Case: c.ID()},
	}
	now := beijing(t, "2026-03-06 10:00")
	for _, cmd := range steps {
		if _, err := e.ApplyAt(now, o, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
		now = now.Add(24 * time.Hour)
	}
	if c.State() != aftersale.StateRefunded || c.Refunded() != aftersale.Yuan(299) {
		t.Errorf("the case ends %s with %s refunded", c.State(), c.Refunded())
	}
	replayAndRoundTrip(t, o)
}

// replayAndRoundTrip checks that an order with imported cases reads back
// from its JSON form event for event, and that each case replays from its
// record to where it is.
func replayAndRoundTrip(t *testing.T, o *aftersale.Order) {
	t.Helper()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var back aftersale.Order
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("the stored form does not read back: %v", err)
	}
	for _, c := range o.Cases() {
		if diff := cmp.Diff(c.Events(), back.Case(c.ID()).Events()); diff != "" {
			t.Errorf("case %s reads back otherwise (-stored +read):\n%s", c.ID(), diff)
		}
	}
	for _, c := range o.Cases() {
		replayed, err := aftersale.Replay(c.Record())
		if err != nil {
			t.Fatalf("case %s does not replay: %v", c.ID(), err)
		}
		if replayed.State() != c.State() || replayed.Kind() != c.Kind() || replayed.Next() != c.Next() {
			t.Errorf("case %s replays as %s %s, next %+v; it is %s %s, next %+v", c.ID(), replayed.Kind(), replayed.State(), replayed.Next(), c.Kind(), c.State(), c.Next())
		}
	}
	again, err := json.Marshal(&back)
	if err != nil || string(again) != string(b) {
		t.Errorf("the stored form does not write back byte for byte: %v", err)
	}
}

// TestAdoptAndCarryOn imports a record of each platform, shaped as the
// platform's API documents its response, and carries it to a final
// state: by the parties' commands, or by the deadline the platform gave.
func TestAdoptAndCarryOn(t *testing.T) {
	type step struct {
		actor  aftersale.Actor
		action aftersale.Action
		args   func(*aftersale.Command)
	}
	tests := []struct {
		name    string
		p       platform.Platform
		file    string
		now     string // when the tool adopts the case
		place   string
		parcel  string // the return parcel the import knows of, "carrier waybill"
		steps   []step
		advance string // then the clock moves here
		end     aftersale.State
		closed  aftersale.ClosedReason
	}{
		{
			name: "Kuaishou return on its way back (status 40): the merchant receives it, the refund succeeds",
			p:    platform.Kuaishou, file: "kuaishou_detail_return_in_transit.json", now: "2026-03-07 09:00",
			place: "return_refund return_in_transit (waiting: merchant)", parcel: "圆通速递 YT9000000001",
			steps: []step{
				{actor: aftersale.ActorMerchant, action: aftersale.ActionReceiveReturn},
				{actor: aftersale.ActorSystem, action: aftersale.ActionRefundSucceeded},
			},
			end: aftersale.StateRefunded,
		},
		{
			name: "Taobao refund waiting for the seller, who lets the platform's deadline pass: approved, then refunded",
			p:    platform.Taobao, file: "taobao_refund_get_wait_seller_agree.json", now: "2026-03-06 09:00",
			place: "refund_only pending_review (waiting: merchant)",
			steps: []step{
				{actor: aftersale.ActorSystem, action: aftersale.ActionRefundSucceeded},
			},
			advance: "2026-03-07 10:00", end: aftersale.StateRefunded,
		},
		{
			name: "Douyin refund in arbitration after a rejection: the platform rules for the merchant",
			p:    platform.Douyin, file: "douyin_list_arbitration.json", now: "2026-03-06 09:00",
			place: "refund_only arbitration (waiting: platform)",
			steps: []step{
				{actor: aftersale.ActorPlatform, action: aftersale.ActionRule, args: func(c *aftersale.Command) { c.Ruling = aftersale.RulingForMerchant }},
			},
			end: aftersale.StateClosed, closed: aftersale.ClosedRuledForMerchant,
		},
		{
			name: "Pinduoduo return waiting for the buyer (status 7), who never sends it: closed return_timeout",
			p:    platform.Pinduoduo, file: "pinduoduo_refund_list_increment.json", now: "2026-03-06 09:00",
			place:   "return_refund awaiting_return (waiting: buyer)",
			advance: "2026-04-01 00:00", end: aftersale.StateClosed, closed: aftersale.ClosedReturnTimeout,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, o := shop(t)
			r := records(t, tc.p, tc.file)[0]
			pl, err := r.Place()
			if err != nil || pl.String() != tc.place {
				t.Fatalf("the record places %v (%v), want %s", pl, err, tc.place)
			}
			out, _, err := platform.Adopt(e, o, r, beijing(t, tc.now), platform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			c := out.Case
			if s, ok := c.ReturnShipment(); tc.parcel != "" && (!ok || s.Carrier+" "+s.Waybill != tc.parcel) {
				t.Errorf("the return parcel is %+v, want %s", s, tc.parcel)
			}
			now := beijing(t, tc.now)
			if tc.advance != "" {
				now = beijing(t, tc.advance)
				if _, err := e.AdvanceTo(now, o); err != nil {
					t.Fatal(err)
				}
			}
			for _, s := range tc.steps {
				now = now.Add(time.Hour)
				cmd := aftersale.Command{Actor: s.actor, Action: s.action, Case: c.ID()}
				if s.args != nil {
					s.args(&cmd)
				}
				if _, err := e.ApplyAt(now, o, cmd); err != nil {
					t.Fatalf("%s: %v", s.action, err)
				}
			}
			if c.State() != tc.end || c.ClosedReason() != tc.closed {
				t.Errorf("the case ends %s %s, want %s %s", c.State(), c.ClosedReason(), tc.end, tc.closed)
			}
			replayAndRoundTrip(t, o)
		})
	}
}

// TestAdoptRefusesWhatIsNotInFlight checks that records with nothing to
// carry on are refused with their own rule, and change nothing.
func TestAdoptRefusesWhatIsNotInFlight(t *testing.T) {
	list := records(t, platform.Pinduoduo, "pinduoduo_refund_list_increment.json")
	tests := []struct {
		name string
		r    platform.Record
		code aftersale.Code
		rule string
	}{
		{"a refund the platform has paid (10 退款成功)", list[1], aftersale.ErrNotPermitted, platform.RuleFinished},
		{"an order with no after-sale case (0 无售后)", list[2], aftersale.ErrInvalidInput, platform.RuleNotACase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, o := shop(t)
			_, _, err := platform.Adopt(e, o, tc.r, beijing(t, "2026-03-06 09:00"), platform.Options{})
			var ae *aftersale.Error
			if !errors.As(err, &ae) || ae.Rule != tc.rule || !errors.Is(err, tc.code) {
				t.Fatalf("got %v, want %s under %s", err, tc.code, tc.rule)
			}
			if o.NumCases() != 0 || o.Version() != 0 {
				t.Errorf("the refusal changed the order: %d cases, version %d", o.NumCases(), o.Version())
			}
		})
	}
}

// TestImportTwice checks that adopting one record twice opens one case:
// the import's key is the case's name.
func TestImportTwice(t *testing.T) {
	e, o := shop(t)
	r := records(t, platform.Douyin, "douyin_detail_awaiting_return.json")[0]
	now := beijing(t, "2026-03-06 09:00")
	if _, _, err := platform.Adopt(e, o, r, now, platform.Options{}); err != nil {
		t.Fatal(err)
	}
	out, _, err := platform.Adopt(e, o, r, now, platform.Options{})
	if err != nil || !out.Repeat || o.NumCases() != 1 {
		t.Errorf("the second adoption: %v, repeat %v, %d cases", err, out.Repeat, o.NumCases())
	}
}
