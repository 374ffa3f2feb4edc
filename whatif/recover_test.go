package whatif

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// TestRecoverReplaysTheStoredOrder plays generated orders under the
// default rules, stores each, recovers its record from the stored form
// alone, and plays that again: the two stored orders are the same, byte
// for byte.
func TestRecoverReplaysTheStoredOrder(t *testing.T) {
	g := Generator{Orders: 500, Seed: 7}
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	play := func(rec *Record) *aftersale.Order {
		o := fresh(&rec.Order)
		for _, in := range rec.Inputs {
			apply(e, o, in) // a refused input changes nothing, as it did when recorded
		}
		return o
	}
	n := 0
	err = g.Each(func(rec *Record) bool {
		first := play(rec)
		want, err := json.Marshal(first)
		if err != nil {
			t.Fatal(err)
		}
		var stored aftersale.Order
		if err := json.Unmarshal(want, &stored); err != nil {
			t.Fatal(err)
		}
		back := Recover(&stored)
		got, err := json.Marshal(play(&back))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("order %s recovered from its stored form replays otherwise:\n%s\n%s", rec.Order.ID, want, got)
		}
		n++
		return true
	})
	if err != nil || n != 500 {
		t.Fatalf("played %d orders, %v", n, err)
	}
}

// TestRecoverKeepsTheFactsInTheirPlace: an order shipped and delivered
// through the engine, with a refund asked while the parcel was on its way;
// recovered, the facts come back as inputs at their times, so the request
// meets the parcel in transit again and the delivery moves the case on.
func TestRecoverKeepsTheFactsInTheirPlace(t *testing.T) {
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, timeline.UTC8())
	rec := Record{Order: aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(99), PaidAt: start}, Inputs: []Input{
		{At: start.Add(2 * time.Hour), Command: &aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionShipped}},
		{At: start.Add(5 * time.Hour), Command: &aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonNoReason}},
		{At: start.Add(30 * time.Hour), Command: &aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionDelivered}},
		{At: start.Add(40 * time.Hour), Command: &aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Carrier: "SF", Waybill: "SF1"}},
	}}
	play := func(rec *Record) []byte {
		o := fresh(&rec.Order)
		for _, in := range rec.Inputs {
			if err := apply(e, o, in); err != nil {
				t.Fatalf("%s at %v: %v", in.what(), in.At, err)
			}
		}
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := play(&rec)
	var stored aftersale.Order
	if err := json.Unmarshal(want, &stored); err != nil {
		t.Fatal(err)
	}
	if c := stored.Case("c1"); c.State() != aftersale.StateReturnInTransit || c.Kind() != aftersale.KindReturnRefund {
		t.Fatalf("the case is %s, %s; want return_in_transit after its interception failed", c.State(), c.Kind())
	}
	back := Recover(&stored)
	if !back.Order.ShippedAt.IsZero() || !back.Order.DeliveredAt.IsZero() {
		t.Errorf("the recovered order keeps its facts (%v, %v); they were inputs", back.Order.ShippedAt, back.Order.DeliveredAt)
	}
	if got := play(&back); string(got) != string(want) {
		t.Errorf("recovered, it replays otherwise:\n%s\n%s", want, got)
	}
}

// TestALineMayBeAStoredOrder: a JSON Lines file may hold orders as shouhou
// stores them; each is read as the record recovered from it.
func TestALineMayBeAStoredOrder(t *testing.T) {
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, timeline.UTC8())
	o := &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(99), PaidAt: start, ShippedAt: start.Add(time.Hour), DeliveredAt: start.Add(24 * time.Hour)}
	if _, err := e.ApplyAt(start.Add(30*time.Hour), o, aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}); err != nil {
		t.Fatal(err)
	}
	line, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := ParseRecord(line)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Inputs) != 1 || rec.Inputs[0].Command == nil || rec.Inputs[0].Command.Action != aftersale.ActionRequest || rec.Order.ID != "o-1" {
		t.Errorf("the stored order reads as %+v", rec)
	}
}
