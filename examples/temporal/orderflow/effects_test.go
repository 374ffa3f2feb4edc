package orderflow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/temporal"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

// receivers record what they were handed, and fail on the effect IDs in
// fail.
type receivers struct {
	got  []string
	fail map[string]bool
}

var errReceiverDown = errors.New("receiver down")

func (r *receivers) take(ef aftersale.Effect) error {
	r.got = append(r.got, ef.ID)
	if r.fail[ef.ID] {
		return errReceiverDown
	}
	return nil
}

func (r *receivers) Refund(_ context.Context, ef aftersale.Effect) error { return r.take(ef) }
func (r *receivers) Notify(_ context.Context, ef aftersale.Effect) error { return r.take(ef) }
func (r *receivers) Alert(_ context.Context, ef aftersale.Effect) error  { return r.take(ef) }

// The delivery of an event hands its effects to the receivers in order,
// stops at the first that fails and fails with it, so that Temporal tries
// the event again; an effect it cannot deliver fails it for good.
func TestDeliverHandsAnEventsEffectsOverInOrder(t *testing.T) {
	refund := aftersale.Effect{ID: "o-1/c1/4/refund", Kind: aftersale.EffectRefund, Order: "o-1", Case: "c1", Seq: 4, Key: "o-1/c1/4/refund/1"}
	buyer := aftersale.Effect{ID: "o-1/c1/4/notify/buyer", Kind: aftersale.EffectNotify, Order: "o-1", Case: "c1", Seq: 4, To: aftersale.ActorBuyer}
	alert := aftersale.Effect{ID: "o-1/c1/4/alert", Kind: aftersale.EffectAlert, Order: "o-1", Case: "c1", Seq: 4}
	wake := aftersale.Effect{ID: "o-1/c1/4/wake", Kind: aftersale.EffectWake, Order: "o-1", Case: "c1", Seq: 4}
	for _, tc := range []struct {
		name         string
		effects      []aftersale.Effect
		fail         string
		want         []string
		wantID       string
		wantErr      error
		nonRetryable bool
	}{
		{name: "all go out", effects: []aftersale.Effect{refund, buyer, alert},
			want: []string{refund.ID, buyer.ID, alert.ID}, wantID: "o-1/c1/4/refund+notify/buyer+alert"},
		{name: "a failure stops the rest", effects: []aftersale.Effect{refund, buyer, alert}, fail: buyer.ID,
			want: []string{refund.ID, buyer.ID}, wantErr: errReceiverDown},
		{name: "a wake-up is not delivered", effects: []aftersale.Effect{refund, wake},
			want: []string{refund.ID}, nonRetryable: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &receivers{fail: map[string]bool{tc.fail: true}}
			acts := &orderflow.Activities{Payments: r, Messages: r}
			id, err := acts.Deliver(context.Background(), tc.effects)
			if id != tc.wantID {
				t.Errorf("delivered %q, want %q", id, tc.wantID)
			}
			if diff := cmp.Diff(tc.want, r.got); diff != "" {
				t.Errorf("handed over (-want +got):\n%s", diff)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			var app *temporal.ApplicationError
			if got := errors.As(err, &app) && app.NonRetryable(); got != tc.nonRetryable {
				t.Errorf("error %v: not retried %v, want %v", err, got, tc.nonRetryable)
			}
			if tc.wantErr == nil && !tc.nonRetryable && err != nil {
				t.Errorf("error %v, want none", err)
			}
		})
	}
}

// A delivery's ID names the event and each of its effects.
func TestDeliveryIDNamesTheEventAndItsEffects(t *testing.T) {
	effects := []aftersale.Effect{
		{ID: "o%2F1/c1/4/refund", Order: "o/1", Case: "c1", Seq: 4},
		{ID: "o%2F1/c1/4/notify/buyer", Order: "o/1", Case: "c1", Seq: 4},
	}
	if got, want := orderflow.DeliveryID(effects), "o%2F1/c1/4/refund+notify/buyer"; got != want {
		t.Errorf("DeliveryID = %q, want %q", got, want)
	}
}
