package whatif

import (
	"slices"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Recover returns the record of an order kept in shouhou's stored form:
// the inputs its cases received, read back from their events, so a host's
// stored orders can be replayed too.
//   - A party's event (the buyer's, the merchant's, the platform's, and the
//     system's own commands: a payment report, a retry) is its command
//     again, with the arguments it carried; a request names the amount the
//     case asked for, which is what a request taking it by default got.
//   - An event of a deadline passing is an advance to its time.
//   - The order's shipment and delivery, where the engine recorded them
//     (the order's version counts them beside the events), are its
//     shipped and delivered facts again, at their times, so a case opened
//     before delivery is replayed before it; facts the host gave with the
//     order stay on the record's order.
func Recover(stored *aftersale.Order) Record {
	o := fresh(stored)
	rec := Record{Order: *o}
	recorded := stored.Version() // the facts the engine recorded: the version less the events
	for _, c := range stored.Cases() {
		recorded -= c.Version()
	}
	for i, fact := range [...]struct {
		at     *time.Time
		action aftersale.Action
	}{{&rec.Order.DeliveredAt, aftersale.ActionDelivered}, {&rec.Order.ShippedAt, aftersale.ActionShipped}} {
		if i < recorded && !fact.at.IsZero() { // the later facts first: a host that gave one gave the shipment
			rec.Inputs = append(rec.Inputs, Input{At: *fact.at, Command: &aftersale.Command{Actor: aftersale.ActorSystem, Action: fact.action}})
			*fact.at = time.Time{}
		}
	}
	for _, c := range stored.Cases() {
		for _, ev := range c.Events() {
			switch {
			case ev.Action == aftersale.ActionDelivered, ev.Action == aftersale.ActionRequest && ev.From != 0:
				// what the delivered fact, or a new request on a rejected
				// case's goods, did to this case: they come back with them
			case ev.Actor == aftersale.ActorSystem && !sentBySystem(ev):
				rec.Inputs = append(rec.Inputs, Input{At: ev.At, Advance: true})
			default:
				rec.Inputs = append(rec.Inputs, Input{At: ev.At, Command: commandOf(c, ev)})
			}
		}
	}
	slices.SortStableFunc(rec.Inputs, func(a, b Input) int { return a.At.Compare(b.At) })
	return rec
}

// sentBySystem reports whether a system event was a command the host's
// system sent (a row allows it to the system), not a deadline passing.
func sentBySystem(ev aftersale.Event) bool {
	for _, r := range aftersale.Transitions() {
		if r.From == ev.From && r.Action == ev.Action && r.To == ev.To && r.By.Has(aftersale.ActorSystem) {
			return true
		}
	}
	return false
}

// commandOf returns the command that appended ev to c.
func commandOf(c *aftersale.Case, ev aftersale.Event) *aftersale.Command {
	cmd := &aftersale.Command{
		Case: c.ID(), Actor: ev.Actor, Action: ev.Action, Note: ev.Note, Carrier: ev.Carrier, Waybill: ev.Waybill,
		Freight: ev.Freight, Ruling: ev.Ruling, ReturnGoods: ev.ReturnGoods, Key: ev.Key,
	}
	switch ev.Action {
	case aftersale.ActionRequest:
		cmd.Kind, cmd.Reason, cmd.Amount, cmd.Lines = ev.Kind, ev.Reason, ev.Amount, c.Lines()
	case aftersale.ActionPropose, aftersale.ActionRule:
		cmd.Amount = ev.Amount
	}
	return cmd
}
