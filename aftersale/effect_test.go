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

// effect is what a test says of an Effect: everything but its texts and
// the fields every effect has (order, case, seq), which the ID carries.
type effect struct {
	ID           string
	Kind         aftersale.EffectKind
	At           string // "2026-03-04 09:01" in UTC+8
	To           aftersale.Actor
	Template     string
	Amount       aftersale.Money
	Compensation []aftersale.Compensation
	Key          string
	Promise      string
	Late         aftersale.Actor
}

func brief(effects []aftersale.Effect) []effect {
	var out []effect
	for _, ef := range effects {
		out = append(out, effect{
			ID: ef.ID, Kind: ef.Kind, At: ef.At.In(zone).Format("2006-01-02 15:04"), To: ef.To, Template: ef.Template,
			Amount: ef.Amount, Compensation: ef.Compensation, Key: ef.Key, Promise: ef.Promise, Late: ef.Late,
		})
	}
	return out
}

var (
	refundEffect = aftersale.EffectRefund
	notify       = aftersale.EffectNotify
	alert        = aftersale.EffectAlert
	wake         = aftersale.EffectWake
)

// TestEffectsOfAReturn follows a no-reason return on an order with freight
// insurance, and checks what each step asks of the host: the other party
// hears of every step, each deadline is a wake-up, and the refund is one
// payment instruction that carries the return freight the insurance pays.
func TestEffectsOfAReturn(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.o.Flags = aftersale.FlagFreightInsurance
	insured := []aftersale.Compensation{{Amount: aftersale.Yuan(8), Payer: aftersale.PayerInsurance}}
	for _, step := range []struct {
		name string
		cmd  aftersale.Command
		want []effect
	}{
		{"the buyer asks: the merchant hears, and the review deadline is a wake-up",
			request(aftersale.KindReturnRefund, aftersale.ReasonNoReason),
			[]effect{
				{ID: "o-1/c1/1/notify/merchant", Kind: notify, At: "2026-03-04 09:01", To: merchant, Template: "pending_review"},
				{ID: "o-1/c1/1/wake", Kind: wake, At: "2026-03-06 09:01"},
			}},
		{"the merchant approves: the buyer hears, and the return deadline is a wake-up",
			act(merchant, aftersale.ActionApprove),
			[]effect{
				{ID: "o-1/c1/2/notify/buyer", Kind: notify, At: "2026-03-04 09:02", To: buyer, Template: "awaiting_return"},
				{ID: "o-1/c1/2/wake", Kind: wake, At: "2026-03-14 09:02"},
			}},
		{"the buyer ships the goods back: the merchant hears",
			with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier, c.Waybill, c.Freight = "SF", "SF1", aftersale.Yuan(8) }),
			[]effect{
				{ID: "o-1/c1/3/notify/merchant", Kind: notify, At: "2026-03-04 09:03", To: merchant, Template: "return_in_transit"},
				{ID: "o-1/c1/3/wake", Kind: wake, At: "2026-03-14 09:03"},
			}},
		{"the merchant receives them: one payment instruction, with the freight the insurance pays",
			act(merchant, aftersale.ActionReceiveReturn),
			[]effect{
				{ID: "o-1/c1/4/refund", Kind: refundEffect, At: "2026-03-04 09:04", Amount: aftersale.Yuan(299), Compensation: insured, Key: "o-1/c1/4"},
				{ID: "o-1/c1/4/notify/buyer", Kind: notify, At: "2026-03-04 09:04", To: buyer, Template: "refunding"},
				{ID: "o-1/c1/4/wake", Kind: wake, At: "2026-03-11 09:04"}, // no reason: 7 days from receipt
			}},
		{"the refund is paid: both parties hear, and nothing is left to wake up for",
			act(aftersale.ActorSystem, aftersale.ActionRefundSucceeded),
			[]effect{
				{ID: "o-1/c1/5/notify/buyer", Kind: notify, At: "2026-03-04 09:05", To: buyer, Template: "refunded"},
				{ID: "o-1/c1/5/notify/merchant", Kind: notify, At: "2026-03-04 09:05", To: merchant, Template: "refunded"},
			}},
	} {
		out := f.do(step.cmd)
		if diff := cmp.Diff(step.want, brief(out.Effects())); diff != "" {
			t.Errorf("%s (-want +got):\n%s", step.name, diff)
		}
	}
}

// TestEffectsOfAlertsAndRetries checks the effects of a refund that is
// late, fails and is retried: the alert names the promise and who is late,
// the platform hears of what waits for it, and the retry is a payment
// instruction of its own, with its own key.
func TestEffectsOfAlertsAndRetries(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.do(request(aftersale.KindRefundOnly, aftersale.ReasonQuality))
	f.do(act(merchant, aftersale.ActionApprove)) // Wednesday 2026-03-04: 7 business days end with Friday 03-13
	fired, err := f.e.AdvanceTo(at(t, "2026-03-14 10:00"), f.o)
	if err != nil || len(fired) != 1 {
		t.Fatalf("advancing past the refund promise fired %d events, %v", len(fired), err)
	}
	if diff := cmp.Diff([]effect{
		{ID: "o-1/c1/3/alert", Kind: alert, At: "2026-03-14 00:00", Promise: "deadlines.refund_sla", Late: aftersale.ActorSystem},
		{ID: "o-1/c1/3/wake", Kind: wake, At: "2026-03-15 00:00"},
	}, brief(fired[0].Effects())); diff != "" {
		t.Errorf("the refund is late (-want +got):\n%s", diff)
	}
	f.now = at(t, "2026-03-14 10:00")
	if diff := cmp.Diff([]effect{
		{ID: "o-1/c1/4/notify/buyer", Kind: notify, At: "2026-03-14 10:01", To: buyer, Template: "refund_failed"},
		{ID: "o-1/c1/4/notify/merchant", Kind: notify, At: "2026-03-14 10:01", To: merchant, Template: "refund_failed"},
		{ID: "o-1/c1/4/notify/platform", Kind: notify, At: "2026-03-14 10:01", To: platform, Template: "refund_failed"},
		{ID: "o-1/c1/4/wake", Kind: wake, At: "2026-03-15 10:01"},
	}, brief(f.do(act(aftersale.ActorSystem, aftersale.ActionRefundFailed)).Effects())); diff != "" {
		t.Errorf("the refund fails (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]effect{
		{ID: "o-1/c1/5/refund", Kind: refundEffect, At: "2026-03-14 10:02", Amount: aftersale.Yuan(299), Key: "o-1/c1/5"},
		{ID: "o-1/c1/5/notify/buyer", Kind: notify, At: "2026-03-14 10:02", To: buyer, Template: "refunding"},
		{ID: "o-1/c1/5/notify/merchant", Kind: notify, At: "2026-03-14 10:02", To: merchant, Template: "refunding"},
		{ID: "o-1/c1/5/wake", Kind: wake, At: "2026-03-25 00:00"}, // 7 business days from a Saturday
	}, brief(f.do(act(platform, aftersale.ActionRetryRefund)).Effects())); diff != "" {
		t.Errorf("the platform retries (-want +got):\n%s", diff)
	}
}

// TestANotificationSaysWhatHappenedAndWhatIsNext checks the texts of one
// notification, which a host without templates of its own sends as they
// are.
func TestANotificationSaysWhatHappenedAndWhatIsNext(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.do(request(aftersale.KindReturnRefund, aftersale.ReasonNoReason))
	out := f.do(act(merchant, aftersale.ActionApprove))
	ef := out.Effects()[0]
	for _, tc := range []struct{ got, want string }{
		{ef.Zh, "商家同意，待买家退货：等待买家处理；2026-03-14 09:02前无人处理，系统将自动超时处理，转为已关闭"},
		{ef.En, "the merchant did approve; the case is awaiting_return: waiting for the buyer; if nobody acts by 2026-03-14 09:02, the system will expire, and the case goes to closed"},
	} {
		if tc.got != tc.want {
			t.Errorf("notification text:\n got %s\nwant %s", tc.got, tc.want)
		}
	}
	if got, want := out.Case.Next().Zh(), "等待买家处理；2026-03-14 09:02前无人处理，系统将自动超时处理，转为已关闭"; got != want {
		t.Errorf("Next().Zh() = %s, want %s", got, want)
	}
}

// TestEffectsSurviveACrash plays an order to its end, and after every
// command and every Advance drops the delivery of its effects, as a host
// that crashed right after saving would: the saved JSON, loaded again,
// gives the same effects with the same IDs, and the effects of all steps
// are exactly the effects the stored cases give from the start.
func TestEffectsSurviveACrash(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.o.Flags = aftersale.FlagFreightInsurance
	var delivered []aftersale.Effect
	watermark := map[string]int{} // what was delivered, by case: the versions
	crash := func(name string, dropped []aftersale.Effect) {
		t.Helper()
		b, err := json.Marshal(f.o)
		if err != nil {
			t.Fatal(err)
		}
		var loaded aftersale.Order
		if err := json.Unmarshal(b, &loaded); err != nil {
			t.Fatal(err)
		}
		var again []aftersale.Effect
		for _, c := range loaded.Cases() {
			again = append(again, c.Effects(watermark[c.ID()])...)
			watermark[c.ID()] = c.Version()
		}
		if diff := cmp.Diff(dropped, again); diff != "" {
			t.Errorf("%s: the reloaded order gives other effects than those dropped (-dropped +recomputed):\n%s", name, diff)
		}
		delivered = append(delivered, again...)
	}
	for _, cmd := range []aftersale.Command{
		request(aftersale.KindReturnRefund, aftersale.ReasonQuality),
		act(merchant, aftersale.ActionApprove),
		with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier, c.Waybill, c.Freight = "SF", "SF1", aftersale.Yuan(12) }),
	} {
		crash(cmd.Action.String(), f.do(cmd).Effects())
	}
	// The merchant never confirms receipt: the deadline receives the goods.
	fired, err := f.e.AdvanceTo(f.now.Add(11*24*time.Hour), f.o)
	if err != nil {
		t.Fatal(err)
	}
	var dropped []aftersale.Effect
	for _, ch := range fired {
		dropped = append(dropped, ch.Effects()...)
	}
	if len(dropped) == 0 || dropped[0].Kind != aftersale.EffectRefund || len(dropped[0].Compensation) != 1 {
		t.Fatalf("the receipt by timeout gave %+v, want a refund with its compensation first", dropped)
	}
	crash("receive_return on timeout", dropped)
	f.now = f.now.Add(11 * 24 * time.Hour)
	crash("refund_succeeded", f.do(act(aftersale.ActorSystem, aftersale.ActionRefundSucceeded)).Effects())

	if diff := cmp.Diff(f.o.Case("c1").Effects(0), delivered); diff != "" {
		t.Errorf("the effects delivered step by step are not the case's effects (-case +delivered):\n%s", diff)
	}
}

// TestARepeatGivesTheSameEffects checks that a command resent with its key
// gives the effects of its first delivery again, with the same IDs.
func TestARepeatGivesTheSameEffects(t *testing.T) {
	f := newFixture(t, policy.Default())
	cmd := with(request(aftersale.KindReturnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Key = "k1" })
	first := f.do(cmd).Effects()
	again := f.do(cmd)
	if !again.Repeat {
		t.Fatal("the resent command was applied again")
	}
	if diff := cmp.Diff(first, again.Effects()); diff != "" {
		t.Errorf("the repeat's effects (-first +repeat):\n%s", diff)
	}
}

// TestEffectIDsAreEscaped checks that an ID with a "/" cannot pass for
// another's.
func TestEffectIDsAreEscaped(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.o.ID = "o/1"
	out := f.do(with(request(aftersale.KindReturnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c/2" }))
	if got, want := out.Effects()[0].ID, "o%2F1/c%2F2/1/notify/merchant"; got != want {
		t.Errorf("ID %q, want %q", got, want)
	}
}

// TestAnExchangePaysItsReturnFreightOnReceipt: an exchange refunds
// nothing, so the return freight the merchant owes for its wrong item is a
// payment of its own, decided and due when the goods come back.
func TestAnExchangePaysItsReturnFreightOnReceipt(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.do(request(aftersale.KindExchange, aftersale.ReasonWrongItem))
	f.do(act(merchant, aftersale.ActionApprove))
	f.do(with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier, c.Waybill, c.Freight = "SF", "SF1", aftersale.Yuan(12) }))
	out := f.do(act(merchant, aftersale.ActionReceiveReturn))
	if diff := cmp.Diff([]effect{
		{ID: "o-1/c1/4/refund", Kind: refundEffect, At: "2026-03-04 09:04",
			Compensation: []aftersale.Compensation{{Amount: aftersale.Yuan(12), Payer: aftersale.PayerMerchant}}, Key: "o-1/c1/4"},
		{ID: "o-1/c1/4/notify/buyer", Kind: notify, At: "2026-03-04 09:04", To: buyer, Template: "awaiting_reship"},
		{ID: "o-1/c1/4/wake", Kind: wake, At: "2026-03-11 09:04"},
	}, brief(out.Effects())); diff != "" {
		t.Errorf("the merchant receives the wrong item (-want +got):\n%s", diff)
	}
}

// TestDeliveredKeepsTheOutboxWatermark delivers an order's effects through
// a watermark whose receiver fails halfway: what is pending after the
// failure starts at the event whose effects were not all delivered,
// repeats none of the events before it, and once all went out nothing is
// pending until the order changes again.
func TestDeliveredKeepsTheOutboxWatermark(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.do(request(aftersale.KindReturnRefund, aftersale.ReasonQuality)) // event 1: notify the merchant, wake
	f.do(act(merchant, aftersale.ActionApprove))                       // event 2: notify the buyer, wake
	mark := aftersale.Delivered{}
	ids := func(effects []aftersale.Effect) []string {
		var out []string
		for _, ef := range effects {
			out = append(out, ef.ID)
		}
		return out
	}
	if diff := cmp.Diff([]string{"o-1/c1/1/notify/merchant", "o-1/c1/1/wake", "o-1/c1/2/notify/buyer", "o-1/c1/2/wake"}, ids(mark.Pending(f.o))); diff != "" {
		t.Fatalf("pending at first (-want +got):\n%s", diff)
	}
	var sent []string
	failing := errors.New("receiver down")
	err := mark.Deliver(f.o, func(ef aftersale.Effect) error {
		if ef.ID == "o-1/c1/2/wake" {
			return failing
		}
		sent = append(sent, ef.ID)
		return nil
	})
	if !errors.Is(err, failing) || len(sent) != 3 {
		t.Fatalf("Deliver = %v after sending %v; want the receiver's error after three", err, sent)
	}
	if diff := cmp.Diff([]string{"o-1/c1/2/notify/buyer", "o-1/c1/2/wake"}, ids(mark.Pending(f.o))); diff != "" {
		t.Errorf("pending after a failure in event 2 (-want +got):\n%s", diff)
	}
	if err := mark.Deliver(f.o, func(aftersale.Effect) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := mark.Pending(f.o); len(got) != 0 {
		t.Errorf("pending once all went out: %v", ids(got))
	}
	f.do(with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier, c.Waybill = "SF", "SF1" }))
	if diff := cmp.Diff([]string{"o-1/c1/3/notify/merchant", "o-1/c1/3/wake"}, ids(mark.Pending(f.o))); diff != "" {
		t.Errorf("pending after the next command (-want +got):\n%s", diff)
	}
}

// TestDeliverLeavesWhatArrivesMeanwhilePending checks a host that handles
// a command while it waits on a send (a workflow engine does): the event
// the command appends is not marked delivered with those sent.
func TestDeliverLeavesWhatArrivesMeanwhilePending(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.do(request(aftersale.KindReturnRefund, aftersale.ReasonQuality)) // event 1: notify the merchant, wake
	mark := aftersale.Delivered{}
	once := false
	err := mark.Deliver(f.o, func(aftersale.Effect) error {
		if !once {
			once = true
			f.do(act(merchant, aftersale.ActionApprove)) // event 2 arrives during the send
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pending []string
	for _, ef := range mark.Pending(f.o) {
		pending = append(pending, ef.ID)
	}
	if diff := cmp.Diff([]string{"o-1/c1/2/notify/buyer", "o-1/c1/2/wake"}, pending); diff != "" {
		t.Errorf("pending after a command handled during the delivery (-want +got):\n%s", diff)
	}
}
