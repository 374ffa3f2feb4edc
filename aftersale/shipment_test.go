package aftersale_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// noted gives a command an idempotency key and a note, so the texts of
// the events around a shipment are in the way of finding it.
func noted(cmd aftersale.Command, key, note string) aftersale.Command {
	cmd.Key, cmd.Note = key, note
	return cmd
}

func TestShipmentsAreTheLatestOfTheirKind(t *testing.T) {
	merchant, buyer, platform := aftersale.ActorMerchant, aftersale.ActorBuyer, aftersale.ActorPlatform
	ship := func(carrier, waybill string, freight aftersale.Money) aftersale.Command {
		return aftersale.Command{Case: "c1", Actor: buyer, Action: aftersale.ActionShipReturn, Carrier: carrier, Waybill: waybill, Freight: freight}
	}
	t.Run("exchange: returned with SF, replaced with JD", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.do(noted(with(request(exchange, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c1" }), "k1", "wrong size"))
		f.do(noted(aftersale.Command{Case: "c1", Actor: merchant, Action: aftersale.ActionApprove}, "k2", ""))
		returned := f.do(noted(ship("SF", "SF100", aftersale.Yuan(12)), "k3", "in the original box"))
		f.do(noted(aftersale.Command{Case: "c1", Actor: merchant, Action: aftersale.ActionReceiveReturn}, "k4", ""))
		reshipped := f.do(noted(aftersale.Command{Case: "c1", Actor: merchant, Action: aftersale.ActionReship, Carrier: "JD", Waybill: "JD200"}, "", "size L"))
		c := f.c("c1")
		got, ok := c.ReturnShipment()
		want := aftersale.Shipment{At: returned.Event.At, Carrier: "SF", Waybill: "SF100", Freight: aftersale.Yuan(12)}
		if diff := cmp.Diff(want, got); !ok || diff != "" {
			t.Errorf("Return() = %v (-want +got):\n%s", ok, diff)
		}
		got, ok = c.Reshipment()
		want = aftersale.Shipment{At: reshipped.Event.At, Carrier: "JD", Waybill: "JD200"}
		if diff := cmp.Diff(want, got); !ok || diff != "" {
			t.Errorf("Reshipment() = %v (-want +got):\n%s", ok, diff)
		}
	})
	t.Run("return refused, ruled back, returned again: the second parcel", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.do(with(request(returnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c1" }))
		f.do(aftersale.Command{Case: "c1", Actor: merchant, Action: aftersale.ActionApprove})
		f.do(noted(ship("SF", "SF100", aftersale.Yuan(12)), "k1", ""))
		f.do(aftersale.Command{Case: "c1", Actor: merchant, Action: aftersale.ActionReject, Note: "used"})
		f.do(aftersale.Command{Case: "c1", Actor: buyer, Action: aftersale.ActionEscalate})
		f.do(aftersale.Command{Case: "c1", Actor: platform, Action: aftersale.ActionRule, Ruling: aftersale.RulingForBuyer, ReturnGoods: true})
		second := f.do(noted(ship("YTO", "YT300", aftersale.Yuan(8)), "k2", "resent"))
		got, ok := f.c("c1").ReturnShipment()
		want := aftersale.Shipment{At: second.Event.At, Carrier: "YTO", Waybill: "YT300", Freight: aftersale.Yuan(8)}
		if diff := cmp.Diff(want, got); !ok || diff != "" {
			t.Errorf("Return() = %v (-want +got):\n%s", ok, diff)
		}
		if _, ok := f.c("c1").Reshipment(); ok {
			t.Error("a return_refund case reports a reshipment")
		}
	})
	t.Run("refund_only: no parcel", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c1" }))
		if s, ok := f.c("c1").ReturnShipment(); ok || s != (aftersale.Shipment{}) {
			t.Errorf("Return() = %v, %v; want nothing", s, ok)
		}
	})
}
