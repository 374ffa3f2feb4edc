// Command quickstart tells one return-and-refund case from request to
// refund, step by step: who acted, where the case went, which policy
// decided, and what happens next if nobody acts, and when.
//
// The clock is a mock from github.com/benbjohnson/clock: it moves only when
// the story moves it, so every run prints the same thing.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

func main() {
	if err := run(); err != nil {
		log.SetFlags(0)
		log.Fatal(err)
	}
}

var zone = timeline.UTC8()

func day(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, zone) }

func run() error {
	mock := clock.NewMock()
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Clock: mock, Zone: zone})
	if err != nil {
		return err
	}
	order := &aftersale.Order{
		ID: "o-1001", Buyer: "b-42", Amount: aftersale.Yuan(299),
		PaidAt:      day(2, 10, 0),
		ShippedAt:   day(2, 16, 0),
		DeliveredAt: day(3, 15, 0),
		Flags:       aftersale.FlagFreightInsurance,
	}
	n := narrator{engine: engine, order: order, clock: mock}

	fmt.Println("shouhou quickstart: one return-and-refund case, step by step.")
	fmt.Println("Times are UTC+8. The clock is a mock; it moves only when the story says so.")
	fmt.Println()
	fmt.Printf("Order %s: %s yuan, paid %s, shipped %s, delivered %s, flags %s.\n",
		order.ID, order.Amount, stamp(order.PaidAt), stamp(order.ShippedAt), stamp(order.DeliveredAt), order.Flags)
	fmt.Printf("Rules: %s.\n\n", engine.Version())

	steps := []struct {
		at  time.Time
		say string
		cmd aftersale.Command
	}{
		{day(5, 20, 0), "Two days after delivery the buyer wants to send the shirt back, no reason given.",
			aftersale.Command{Case: "as-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonNoReason, Key: "app-7781"}},
		{day(5, 20, 1), "The buyer's app retries the same request (same idempotency key): nothing changes.",
			aftersale.Command{Case: "as-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
				Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonNoReason, Key: "app-7781"}},
		{day(6, 9, 30), "The merchant approves the next morning.",
			aftersale.Command{Case: "as-1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}},
		{day(7, 11, 0), "The buyer ships it back with SF Express and pays 12.00 freight.",
			aftersale.Command{Case: "as-1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn,
				Carrier: "SF", Waybill: "SF1234567890", Freight: aftersale.Yuan(12)}},
		{day(8, 10, 0), "The merchant tries to refuse the return without saying why, and is turned away.",
			aftersale.Command{Case: "as-1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject}},
	}
	for _, s := range steps {
		if err := n.step(s.at, s.say, s.cmd); err != nil {
			return err
		}
	}

	fmt.Println("The merchant then does nothing. Ten days after the waybill, the system steps in.")
	mock.Set(day(17, 11, 0))
	fired, err := engine.Advance(order)
	if err != nil {
		return err
	}
	for _, ch := range fired {
		n.event(ch.Case, ch.Event)
	}
	fmt.Println()

	if err := n.step(day(17, 11, 5), "The payment system reports the refund paid.",
		aftersale.Command{Case: "as-1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}); err != nil {
		return err
	}

	c := order.Case("as-1")
	comp := c.Compensation()
	fmt.Printf("Done: case %s is %s (%s). Refunded %s; freight subsidy %s paid by %s.\n",
		c.ID(), c.State(), c.State().Label(), c.Refunded(), comp.Amount, comp.Payer)
	replayed, err := aftersale.Replay(c.Record())
	if err != nil {
		return err
	}
	fmt.Printf("Its log holds %d events; replayed from the log it is %s again, refunded %s.\n",
		c.Version(), replayed.State(), replayed.Refunded())
	return nil
}

// narrator applies commands and tells what happened.
type narrator struct {
	engine *aftersale.Engine
	order  *aftersale.Order
	clock  *clock.Mock
}

func (n narrator) step(at time.Time, say string, cmd aftersale.Command) error {
	n.clock.Set(at)
	fmt.Println(say)
	out, err := n.engine.Apply(n.order, cmd)
	if err != nil {
		code := aftersale.CodeOf(err)
		if code == 0 {
			return err
		}
		fmt.Printf("  %s  %-8s %s: refused, %s (%s)\n  %s\n\n", stamp(at), cmd.Actor, cmd.Action, code.String(), code.Label(), err)
		return nil
	}
	for _, ch := range out.Also {
		n.event(ch.Case, ch.Event)
	}
	if out.Repeat {
		fmt.Printf("  %s  %-8s %s: already applied as event %d; nothing changes\n\n", stamp(at), cmd.Actor, cmd.Action, out.Event.Seq)
		return nil
	}
	n.event(out.Case, out.Event)
	fmt.Println()
	return nil
}

func (n narrator) event(c *aftersale.Case, ev aftersale.Event) {
	what := ev.Action.String()
	switch ev.Action {
	case aftersale.ActionRequest:
		what += fmt.Sprintf(" %s (%s, %s)", ev.Kind, ev.Reason, ev.Amount)
	case aftersale.ActionShipReturn:
		what += fmt.Sprintf(" (%s %s, freight %s)", ev.Carrier, ev.Waybill, ev.Freight)
	case aftersale.ActionRefundSucceeded:
		what += fmt.Sprintf(" %s", ev.Amount)
		if ev.Compensation > 0 {
			what += fmt.Sprintf(" + freight subsidy %s from %s", ev.Compensation, ev.Payer)
		}
	}
	fmt.Printf("  %s  %-8s %s\n", stamp(ev.At), ev.Actor, what)
	fmt.Printf("  %16s -> %s %s\n", "", ev.To, ev.To.Label())
	if d := ev.Decision; d.Policy != "" {
		fmt.Printf("  %16s    decided by %s: %s (%s)\n", "", d.Policy, d.En, d.Zh)
	}
	next := c.Next()
	if next.Waiting == 0 {
		return
	}
	if next.Deadline.Alert {
		fmt.Printf("  %16s    next: waiting for the %s (payment); promised by %s, else an alert (%s)\n", "", next.Waiting, stamp(next.Deadline.At), next.Action)
		return
	}
	fmt.Printf("  %16s    next: waiting for the %s until %s; then the system will %s -> %s\n", "", next.Waiting, stamp(next.Deadline.At), next.Action, next.To)
}

func stamp(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04") }
