package whatif

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// Generator makes a month of synthetic recorded orders, deterministically:
// the same parameters give the same orders, line for line.
//
// Each order is played as it is generated, under Rules, so that its inputs
// are what parties would have sent: an input the recording rules refuse is
// left out, except a request, which is kept (a denied request is part of
// the record). The mix: about half the orders get an after-sale request;
// kinds refund_only 35%, return_refund 45%, exchange 10%, reissue 5%,
// repair 5%; a tenth of the orders are unshipped when the buyer asks
// (fast-refund material), 40% carry freight insurance, 40% fast refund;
// merchants approve within hours (60%), reject (10%), propose (5%) or never
// answer (the review timeout approves); buyers ship returns back within 1
// to 9 days (some too late: return_timeout); the payment system reports a
// refund within an hour to 10 days (late ones break the refund promise:
// sla_breached); a sweeper's advance is recorded now and then.
type Generator struct {
	Orders int       // how many orders; 0: 1,000
	Seed   uint64    // the PCG seed
	Start  time.Time // the first payment; zero: DefaultStart
	Days   int       // the period's length in days; 0: 30. Orders are paid in it and no input falls after it
	Rules  aftersale.Rules
}

// DefaultStart is the start of the generated month: 2026-11-01 00:00 in UTC+8.
var DefaultStart = time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("UTC+8", 8*3600))

// End returns the end of the generated period: Start plus Days.
func (g Generator) End() time.Time {
	g.defaults()
	return g.Start.AddDate(0, 0, g.Days)
}

func (g *Generator) defaults() {
	if g.Orders == 0 {
		g.Orders = 1000
	}
	if g.Start.IsZero() {
		g.Start = DefaultStart
	}
	if g.Days == 0 {
		g.Days = 30
	}
	if g.Rules.Policies == nil {
		g.Rules = policy.Default()
	}
}

// Each generates the orders in turn and hands each to yield; it stops
// when yield returns false. The record passed is reused by the next call.
func (g Generator) Each(yield func(*Record) bool) error {
	g.defaults()
	eng, err := aftersale.New(aftersale.Config{Rules: g.Rules})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(g.Seed, 0x5eed_0f_a4_7e75a1e))
	end := g.End()
	rec := &Record{}
	for i := range g.Orders {
		*rec = Record{Inputs: rec.Inputs[:0]}
		g.order(rng, eng, i, end, rec)
		if !yield(rec) {
			return nil
		}
	}
	return nil
}

func hours(rng *rand.Rand, lo, hi float64) time.Duration {
	return time.Duration((lo + rng.Float64()*(hi-lo)) * float64(time.Hour)).Round(time.Minute)
}

var reasons = []aftersale.Reason{
	aftersale.ReasonNoReason, aftersale.ReasonNoReason, aftersale.ReasonNoReason, aftersale.ReasonNoReason,
	aftersale.ReasonQuality, aftersale.ReasonQuality, aftersale.ReasonNotAsDescribed, aftersale.ReasonDamaged,
	aftersale.ReasonWrongItem, aftersale.ReasonMistakenPurchase, aftersale.ReasonOther,
}

func (g Generator) order(rng *rand.Rand, eng *aftersale.Engine, i int, end time.Time, rec *Record) {
	span := end.Sub(g.Start)
	paid := g.Start.Add(time.Duration(rng.Int64N(int64(span))).Truncate(time.Minute))
	o := aftersale.Order{
		ID:     fmt.Sprintf("o-%07d", i+1),
		Buyer:  fmt.Sprintf("b-%05d", rng.IntN(50_000)),
		Amount: aftersale.Yuan(int64(19 + rng.IntN(780))),
		PaidAt: paid,
	}
	if rng.IntN(100) < 40 {
		o.Flags |= aftersale.FlagFreightInsurance
	}
	if rng.IntN(100) < 40 {
		o.Flags |= aftersale.FlagFastRefund
	}
	unshipped := rng.IntN(10) == 0
	if !unshipped {
		o.ShippedAt = paid.Add(hours(rng, 2, 48))
		o.DeliveredAt = o.ShippedAt.Add(hours(rng, 20, 96))
		if o.DeliveredAt.After(end) {
			o.DeliveredAt = time.Time{}
			if o.ShippedAt.After(end) {
				o.ShippedAt = time.Time{}
			}
		}
	}
	rec.Order = o
	if !unshipped && rng.IntN(2) == 0 || o.DeliveredAt.IsZero() && !unshipped {
		return // no after-sale request
	}
	play := fresh(&o)
	at := paid.Add(hours(rng, 0.2, 5))
	kind := aftersale.KindRefundOnly
	if !unshipped {
		at = o.DeliveredAt.Add(hours(rng, 1, 24*10))
		switch k := rng.IntN(100); {
		case k < 35:
		case k < 80:
			kind = aftersale.KindReturnRefund
		case k < 90:
			kind = aftersale.KindExchange
		case k < 95:
			kind = aftersale.KindReissue
		default:
			kind = aftersale.KindRepair
		}
	}
	reason := reasons[rng.IntN(len(reasons))]
	if unshipped {
		reason = aftersale.ReasonMistakenPurchase
	}
	if kind == aftersale.KindRepair {
		reason = aftersale.ReasonQuality
	}
	if at.After(end) {
		return
	}
	send := func(cmd aftersale.Command) bool {
		_, err := eng.ApplyAt(at, play, cmd)
		if err == nil || cmd.Action == aftersale.ActionRequest {
			c := cmd
			rec.Inputs = append(rec.Inputs, Input{At: at, Command: &c})
		}
		return err == nil
	}
	if !send(aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: kind, Reason: reason}) {
		return
	}
	cs := play.Cases()[0]
	id := cs.ID()
	for step := 0; step < 12 && cs.Open(); step++ {
		var cmd aftersale.Command
		wait := hours(rng, 1, 12)
		switch cs.State() {
		case aftersale.StatePendingReview, aftersale.StateIntercepting:
			switch m := rng.IntN(100); {
			case m < 60:
				cmd = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}
				wait = hours(rng, 0.5, 40)
			case m < 70 && cs.State() == aftersale.StatePendingReview:
				cmd = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Note: "不符合退货条件"}
				wait = hours(rng, 1, 30)
			case m < 75 && cs.State() == aftersale.StatePendingReview:
				cmd = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionPropose, Amount: cs.Amount() * 7 / 10}
				wait = hours(rng, 1, 20)
			default: // the merchant never answers
				cmd, wait = aftersale.Command{}, hours(rng, 60, 90)
			}
		case aftersale.StateNegotiating:
			if rng.IntN(2) == 0 {
				cmd = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionAccept}
			} else {
				cmd = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionDecline}
			}
		case aftersale.StateAwaitingReturn:
			cmd = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn,
				Carrier: "SF", Waybill: fmt.Sprintf("SF%d", 100000+rng.IntN(900000)), Freight: aftersale.Yuan(int64(8 + rng.IntN(18)))}
			wait = hours(rng, 2, 24*9)
		case aftersale.StateReturnInTransit:
			cmd = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn}
			wait = hours(rng, 24, 24*12)
		case aftersale.StateAwaitingReship:
			cmd = aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReship,
				Carrier: "YTO", Waybill: fmt.Sprintf("YT%d", 100000+rng.IntN(900000))}
			wait = hours(rng, 4, 24*8)
		case aftersale.StateReshipInTransit:
			cmd = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionConfirmReceipt}
			wait = hours(rng, 24, 24*12)
		case aftersale.StateRejected:
			if rng.IntN(2) == 0 {
				cmd = aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionEscalate}
			}
			wait = hours(rng, 2, 24*5)
		case aftersale.StateArbitration:
			ruling := aftersale.RulingForBuyer
			if rng.IntN(3) == 0 {
				ruling = aftersale.RulingForMerchant
			}
			cmd = aftersale.Command{Actor: aftersale.ActorPlatform, Action: aftersale.ActionRule, Ruling: ruling}
			wait = hours(rng, 24, 24*9)
		case aftersale.StateRefunding:
			cmd = aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}
			if rng.IntN(30) == 0 {
				cmd.Action = aftersale.ActionRefundFailed
			}
			wait = hours(rng, 0.1, 24*10)
		case aftersale.StateRefundFailed:
			cmd = aftersale.Command{Actor: aftersale.ActorPlatform, Action: aftersale.ActionRetryRefund}
			wait = hours(rng, 1, 48)
		}
		at = at.Add(wait)
		if at.After(end) {
			break
		}
		if cmd.Action == 0 || rng.IntN(5) == 0 { // a sweep comes by
			if _, err := eng.AdvanceTo(at, play); err == nil {
				rec.Inputs = append(rec.Inputs, Input{At: at, Advance: true})
			}
			if cmd.Action == 0 {
				continue
			}
		}
		cmd.Case = id
		send(cmd)
	}
}
