package integration

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

// A command the engine refuses is rejected by the update's validator and
// leaves no event in the workflow's history: read back from the server, it
// is the same before and after, event for event. The command is answered
// with the engine's refusal; an accepted one then goes through as usual.
func TestRefusedUpdateLeavesNoEventInTheHistory(t *testing.T) {
	c := dial(t)
	fc, _ := startWorker(t, c)
	ctx := ctxFor(t, time.Minute)
	run, err := fc.Start(ctx, orderflow.Input{Order: unshipped("o-refused")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fc.Send(ctx, "o-refused", refundOnly); err != nil {
		t.Fatal(err)
	}
	// Let the workflow deliver the request's notices, so the history
	// stands still.
	waitDelivered(t, ctx, fc, "o-refused")
	before := history(t, ctx, c, run.GetID(), run.GetRunID())

	refused := []struct {
		cmd  aftersale.Command
		code aftersale.Code
	}{
		{buyerApproves, aftersale.ErrNotPermitted},
		{aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject}, aftersale.ErrInvalidInput},
		{aftersale.Command{Case: "c9", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}, aftersale.ErrNotFound},
		{refundOnly, aftersale.ErrConflict},
	}
	for _, r := range refused {
		_, err := fc.Send(ctx, "o-refused", r.cmd)
		ref, ok := orderflow.Refusal(err)
		if !ok || !errors.Is(ref, r.code) {
			t.Errorf("%s %s: got %v, want a refusal %s", r.cmd.Actor, r.cmd.Action, err, r.code)
		}
	}
	after := history(t, ctx, c, run.GetID(), run.GetRunID())
	if diff := cmp.Diff(eventsText(t, before), eventsText(t, after)); diff != "" {
		t.Errorf("the history changed (-before +after):\n%s", diff)
	}
	for _, ev := range after {
		if ev.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_REJECTED {
			t.Errorf("event %d records a rejected update", ev.GetEventId())
		}
	}

	out, err := fc.Send(ctx, "o-refused", approve)
	if err != nil {
		t.Fatal(err)
	}
	if out.State != aftersale.StateRefunding {
		t.Errorf("approve: state %s, want refunding", out.State)
	}
	if n := len(history(t, ctx, c, run.GetID(), run.GetRunID())); n <= len(after) {
		t.Errorf("an accepted update left the history at %d events", n)
	}
}

// waitDelivered waits until the workflow has delivered every effect.
func waitDelivered(t testing.TB, ctx context.Context, fc orderflow.Client, id string) orderflow.Outbox {
	t.Helper()
	for {
		box, err := fc.Outbox(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(box.Pending) == 0 {
			return box
		}
		select {
		case <-ctx.Done():
			t.Fatalf("order %s: effects still pending: %v", id, box.Pending)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
