package policy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

var zone = timeline.UTC8()

// at parses "2026-03-01 15:00", or "2026-03-01 15:00:30", in UTC+8.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += ":05"
	}
	v, err := time.ParseInLocation(layout, s, zone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// world is one order under the default rules (or others).
type world struct {
	t testing.TB
	e *aftersale.Engine
	o *aftersale.Order
}

// newWorld returns an order of the given amount paid 2026-03-01 10:00,
// changed by setup, under rules.
func newWorld(t testing.TB, rules aftersale.Rules, amount aftersale.Money, setup func(o *aftersale.Order)) *world {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: rules, Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	o := &aftersale.Order{ID: "o-1", Buyer: "b-1", Amount: amount, PaidAt: at(t, "2026-03-01 10:00")}
	if setup != nil {
		setup(o)
	}
	return &world{t: t, e: e, o: o}
}

// delivered ships the order at 03-01 12:00 and delivers it at when.
func delivered(when string) func(o *aftersale.Order) {
	return func(o *aftersale.Order) {
		o.ShippedAt = time.Date(2026, 3, 1, 12, 0, 0, 0, zone)
		v, err := time.ParseInLocation("2006-01-02 15:04", when, zone)
		if err != nil {
			panic(err)
		}
		o.DeliveredAt = v
	}
}

func (w *world) apply(when string, cmd aftersale.Command) (aftersale.Outcome, error) {
	w.t.Helper()
	return w.e.ApplyAt(at(w.t, when), w.o, cmd)
}

func (w *world) must(when string, cmd aftersale.Command) aftersale.Outcome {
	w.t.Helper()
	out, err := w.apply(when, cmd)
	if err != nil {
		w.t.Fatalf("%s at %s: %v", cmd.Action, when, err)
	}
	return out
}

func ask(id string, k aftersale.Kind, r aftersale.Reason) aftersale.Command {
	return aftersale.Command{Case: id, Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: k, Reason: r}
}

// reasons returns the policies and verdicts a denial lists.
func reasons(t testing.TB, err error) []string {
	t.Helper()
	var e *aftersale.Error
	if !errors.As(err, &e) || e.Code != aftersale.ErrNotEligible {
		t.Fatalf("got %v, want not_eligible", err)
	}
	var out []string
	for _, r := range e.Reasons {
		if r.Zh == "" || r.En == "" || r.Rule == "" {
			t.Errorf("reason %+v lacks a rule id or a message", r)
		}
		out = append(out, r.Rule)
	}
	return out
}

const (
	refundOnly   = aftersale.KindRefundOnly
	returnRefund = aftersale.KindReturnRefund
	exchange     = aftersale.KindExchange
	noReason     = aftersale.ReasonNoReason
	quality      = aftersale.ReasonQuality
)

func defaults() aftersale.Rules { return policy.Default() }
