// Command quickstart tells one return-and-refund case from request to
// refund, step by step: who acted, where the case went, which policy
// decided, what happens next if nobody acts, and when, and the effects the
// host delivers (pay, notify, wake up).
//
// The clock is a mock from github.com/benbjohnson/clock: it moves only when
// the story moves it, so every run prints the same thing.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"strings"
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
	for i, s := range steps {
		if err := n.step(s.at, s.say, s.cmd); err != nil {
			return err
		}
		if i == 0 {
			n.moves("as-1", aftersale.ActorMerchant)
		}
	}

	fmt.Println("The merchant then does nothing. Ten days after the waybill, the system steps in.")
	mock.Set(day(17, 11, 0))
	fired, err := engine.Advance(order)
	if err != nil {
		return err
	}
	for _, ch := range fired {
		n.event(ch)
	}
	fmt.Println()

	if err := n.step(day(17, 11, 5), "The payment system reports the refund paid.",
		aftersale.Command{Case: "as-1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}); err != nil {
		return err
	}

	c := order.Case("as-1")
	fmt.Printf("Done: case %s is %s (%s). Refunded %s; return freight paid back: %s.\n",
		c.ID(), c.State(), c.State().Label(), c.Refunded(), lines(c.Compensation()))
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
		n.event(ch)
	}
	if out.Repeat {
		fmt.Printf("  %s  %-8s %s: already applied as event %d; nothing changes\n", stamp(at), cmd.Actor, cmd.Action, out.Event.Seq)
		fmt.Printf("  %16s    effects: the first delivery's again, same IDs, which receivers drop\n\n", "")
		return nil
	}
	n.event(aftersale.Change{Case: out.Case, Event: out.Event})
	fmt.Println()
	return nil
}

// moves tells what a party may do on the case now, as a merchant desk
// shows it.
func (n narrator) moves(caseID string, who aftersale.Actor) {
	fmt.Printf("What the %s's desk offers now:\n", who)
	for _, m := range n.order.Allowed(caseID, who) {
		line := fmt.Sprintf("  %-15s %s", m.Action, m.Action.Label())
		if len(m.Needs) > 0 {
			line += fmt.Sprintf(", needs %v", m.Needs)
		}
		if m.MaxAmount > 0 {
			line += fmt.Sprintf(", at most %s", m.MaxAmount)
		}
		fmt.Println(line)
	}
	fmt.Println()
}

func (n narrator) event(ch aftersale.Change) {
	c, ev := ch.Case, ch.Event
	what := ev.Action.String()
	switch ev.Action {
	case aftersale.ActionRequest:
		what += fmt.Sprintf(" %s (%s, %s)", ev.Kind, ev.Reason, ev.Amount)
	case aftersale.ActionShipReturn:
		what += fmt.Sprintf(" (%s %s, freight %s)", ev.Carrier, ev.Waybill, ev.Freight)
	case aftersale.ActionRefundSucceeded:
		what += fmt.Sprintf(" %s", ev.Amount)
	}
	if len(ev.Compensation) > 0 {
		what += " + return freight " + lines(ev.Compensation)
	}
	fmt.Printf("  %s  %-8s %s\n", stamp(ev.At), ev.Actor, what)
	fmt.Printf("  %16s -> %s %s\n", "", ev.To, ev.To.Label())
	for _, d := range []aftersale.Decision{ev.Decision, ev.CompensationDecision} {
		if d.Policy != "" {
			fmt.Printf("  %16s    decided by %s: %s (%s)\n", "", d.Policy, d.En, d.Zh)
		}
	}
	if next := c.Next(); next.Waiting != 0 && ev.Seq == c.Version() {
		fmt.Printf("  %16s    next: %s\n", "", next.En())
	}
	for _, ef := range ch.Effects() {
		fmt.Printf("  %16s    effect %-34s %s\n", "", ef.ID, effect(ef))
	}
}

// effect says what the host does for an effect.
func effect(ef aftersale.Effect) string {
	switch ef.Kind {
	case aftersale.EffectRefund:
		s := fmt.Sprintf("pay %s", ef.Amount)
		if len(ef.Compensation) > 0 {
			s += " + " + lines(ef.Compensation)
		}
		return s + ", payment key " + ef.Key
	case aftersale.EffectNotify:
		return fmt.Sprintf("tell the %s (%s)", ef.To, ef.Template)
	case aftersale.EffectAlert:
		return fmt.Sprintf("alert: %s is late (%s)", ef.Late, ef.Promise)
	case aftersale.EffectWake:
		return "wake up at " + stamp(ef.At)
	}
	return ef.Kind.String()
}

// lines writes compensation lines: "12.00 from insurance, 3.00 from merchant".
func lines(ls []aftersale.Compensation) string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Amount.String()+" from "+l.Payer.String())
	}
	return strings.Join(out, ", ")
}

func stamp(t time.Time) string { return t.In(zone).Format("2006-01-02 15:04") }
