package orderflow

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
)

// The activities effects are delivered through, by name.
const (
	ActivityRefund = "Refund"
	ActivityNotify = "Notify"
	ActivityAlert  = "Alert"
)

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

// Refund delivers an EffectRefund.
func (a *Activities) Refund(ctx context.Context, ef aftersale.Effect) error {
	if ef.Kind != aftersale.EffectRefund {
		return wrongKind(ActivityRefund, ef)
	}
	return a.Payments.Refund(ctx, ef)
}

// Notify delivers an EffectNotify.
func (a *Activities) Notify(ctx context.Context, ef aftersale.Effect) error {
	if ef.Kind != aftersale.EffectNotify {
		return wrongKind(ActivityNotify, ef)
	}
	return a.Messages.Notify(ctx, ef)
}

// Alert delivers an EffectAlert.
func (a *Activities) Alert(ctx context.Context, ef aftersale.Effect) error {
	if ef.Kind != aftersale.EffectAlert {
		return wrongKind(ActivityAlert, ef)
	}
	return a.Messages.Alert(ctx, ef)
}

func wrongKind(activity string, ef aftersale.Effect) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("orderflow: %s got effect %s of kind %s", activity, ef.ID, ef.Kind), "wrong_kind", nil)
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

// deliver sends the effects not yet delivered, in order, each through its
// activity under the effect's ID, and moves the watermark past each event
// once its effects went out. It delivers from a copy of the order: updates
// handled while an activity runs change the order, and their effects go out
// on the next round.
//
// Cancelling the workflow does not interrupt a delivery: an activity
// abandoned half way would be sent again.
func (s *orderState) deliver(ctx workflow.Context) error {
	if len(s.delivered.Pending(s.order)) == 0 {
		return nil
	}
	ctx, _ = workflow.NewDisconnectedContext(ctx)
	snapshot, err := s.copyOrder()
	if err != nil {
		return err
	}
	return s.delivered.Deliver(snapshot, func(ef aftersale.Effect) error {
		var name string
		switch ef.Kind {
		case aftersale.EffectRefund:
			name = ActivityRefund
		case aftersale.EffectNotify:
			name = ActivityNotify
		case aftersale.EffectAlert:
			name = ActivityAlert
		default:
			return nil // EffectWake: the workflow's own timer wakes it
		}
		if s.flow.local {
			lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
				StartToCloseTimeout: s.flow.activity.StartToCloseTimeout,
				RetryPolicy:         s.flow.activity.RetryPolicy,
				Summary:             ef.ID,
			})
			return workflow.ExecuteLocalActivity(lctx, name, ef).Get(ctx, nil)
		}
		opts := s.flow.activity
		opts.ActivityID = ef.ID
		opts.Summary = ef.ID
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), name, ef).Get(ctx, nil)
	})
}
