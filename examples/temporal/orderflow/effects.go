package orderflow

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
)

// ActivityDeliver is the name of the activity that delivers one event's
// effects.
const ActivityDeliver = "Deliver"

// Payments is the payment system: Refund instructs it to pay the buyer the
// effect's Amount and Compensation. It must do so once per ef.Key, the
// payment idempotency key, however often it is called with it.
type Payments interface {
	Refund(ctx context.Context, ef aftersale.Effect) error
}

// Messages tells people: Notify the party ef.To, Alert the operators of a
// broken promise. Each must act once per ef.ID.
type Messages interface {
	Notify(ctx context.Context, ef aftersale.Effect) error
	Alert(ctx context.Context, ef aftersale.Effect) error
}

// Activities are the workflow's effects, delivered to the host's payment
// system and messaging. Register them on every worker of the task queue:
//
//	w.RegisterActivity(&orderflow.Activities{Payments: pay, Messages: msg})
type Activities struct {
	Payments Payments
	Messages Messages
}

// Deliver does the effects one event called for, in order: refunds
// through Payments, notices and alerts through Messages. It stops at the
// first that fails, and Temporal tries the whole event again, so a
// receiver is handed again the effects it already did: each drops what it
// has seen, by key or ID, as Payments and Messages require. It returns
// the effects' DeliveryID, which the history keeps as its result, so that
// a replay that would deliver other effects for the event is caught.
func (a *Activities) Deliver(ctx context.Context, effects []aftersale.Effect) (string, error) {
	for _, ef := range effects {
		var err error
		switch ef.Kind {
		case aftersale.EffectRefund:
			err = a.Payments.Refund(ctx, ef)
		case aftersale.EffectNotify:
			err = a.Messages.Notify(ctx, ef)
		case aftersale.EffectAlert:
			err = a.Messages.Alert(ctx, ef)
		default:
			return "", temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("orderflow: effect %s of kind %s is not delivered", ef.ID, ef.Kind), "wrong_kind", nil)
		}
		if err != nil {
			return "", fmt.Errorf("orderflow: deliver %s: %w", ef.ID, err)
		}
	}
	return DeliveryID(effects), nil
}

// activityOptions retry an effect until it goes out: a refund must be paid
// however long the payment system is down, and each attempt carries the
// same idempotency key.
var activityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    5 * time.Minute,
		// No MaximumAttempts: retried until it succeeds.
		NonRetryableErrorTypes: []string{"wrong_kind"},
	},
}

// deliver sends the effects not yet delivered, event by event: one
// activity per event carries all its effects, under their DeliveryID, and
// the watermark moves past the event once it returned. It delivers from a
// copy of the order: updates handled while a delivery runs change the
// order, and their effects go out on the next round.
//
// By default each delivery is a local activity, run by this worker within
// the workflow task that recorded the event, so a command's effects cost
// no workflow task of their own; the update that called for them returns
// once they are delivered. Input.RemoteDelivery makes them ordinary
// activities, whose ends are workflow tasks that the next command on the
// order queues behind (see BENCHMARKS.md).
//
// Cancelling the workflow does not interrupt a delivery: an activity
// abandoned half way would be sent again.
func (s *orderState) deliver(ctx workflow.Context) error {
	pending := s.delivered.Pending(s.order)
	if len(pending) == 0 {
		return nil
	}
	ctx, _ = workflow.NewDisconnectedContext(ctx)
	snapshot := s.order.Clone() // as it was when pending was taken
	for _, effects := range byEvent(pending) {
		if err := s.deliverEvent(ctx, effects); err != nil {
			return err
		}
		s.delivered[effects[0].Case] = effects[0].Seq
	}
	for _, c := range snapshot.Cases() {
		s.delivered[c.ID()] = c.Version() // events with no effects too
	}
	return nil
}

// deliverEvent runs the activity of one event's effects; wake-ups are left
// out, as the workflow's own timers do them.
func (s *orderState) deliverEvent(ctx workflow.Context, effects []aftersale.Effect) error {
	var send []aftersale.Effect
	for _, ef := range effects {
		if ef.Kind != aftersale.EffectWake {
			send = append(send, ef)
		}
	}
	if len(send) == 0 {
		return nil
	}
	id := DeliveryID(send)
	var f workflow.Future
	if s.remote {
		opts := s.flow.activity
		opts.ActivityID = id // a replay that schedules another ID fails
		opts.Summary = id
		f = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), ActivityDeliver, send)
	} else {
		lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout: s.flow.activity.StartToCloseTimeout,
			RetryPolicy:         s.flow.activity.RetryPolicy,
			Summary:             id,
		})
		f = workflow.ExecuteLocalActivity(lctx, ActivityDeliver, send)
	}
	var delivered string
	if err := f.Get(ctx, &delivered); err != nil {
		return err
	}
	if !s.remote && delivered != id {
		// Only a replay gets here: the history delivered other effects
		// for this event than the workflow's code calls for now. A local
		// activity's record names no ID, so this is its only check (it
		// ran in this worker's build; a remote one may have run in an
		// older build, and its ID is checked by Temporal).
		panic(fmt.Sprintf("orderflow: nondeterministic delivery: the history delivered %q where the workflow delivers %q", delivered, id))
	}
	return nil
}

// byEvent cuts effects, as Pending gives them, into the runs of one event
// each.
func byEvent(effects []aftersale.Effect) [][]aftersale.Effect {
	var out [][]aftersale.Effect
	for i, ef := range effects {
		if i == 0 || ef.Case != effects[i-1].Case || ef.Seq != effects[i-1].Seq {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], ef)
	}
	return out
}

// DeliveryID names the delivery of one event's effects, as Pending gives
// them with wake-ups left out: the event, as the effects' IDs begin (the
// order, the case and the event's number, "o-1/c1/4"), then what each
// effect's ID adds to it, joined by "+" ("o-1/c1/4/refund+notify/buyer").
// The activity runs under it, so a replay that would deliver other effects
// for an event than its history did is caught as nondeterministic.
func DeliveryID(effects []aftersale.Effect) string {
	if len(effects) == 0 {
		return ""
	}
	event := url.PathEscape(effects[0].Order) + "/" + url.PathEscape(effects[0].Case) + "/" + strconv.Itoa(effects[0].Seq) + "/"
	tails := make([]string, len(effects))
	for i, ef := range effects {
		tails[i] = strings.TrimPrefix(ef.ID, event)
	}
	return event + strings.Join(tails, "+")
}
