package orderflow_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/scenario"
)

// played is what playing a scenario's steps through the workflow gave.
type played struct {
	// Order is the order's stored form as the workflow's query gives it,
	// at the time of the last step.
	Order json.RawMessage
	// Refused are the codes the updates were refused with, by step
	// (counting from 1); a step whose update was accepted is not in it.
	Refused map[int]aftersale.Code
	// Outcomes are the updates' results, by step.
	Outcomes map[int]orderflow.Outcome
	// Outbox is the workflow's outbox at the end.
	Outbox orderflow.Outbox
	// Ledger is what the activities did.
	Ledger *demosink.Ledger
}

// deliveryModes are the ways the workflow can deliver effects, which every
// path is played in.
var deliveryModes = []struct {
	name   string
	remote bool // Input.RemoteDelivery
}{{"local_activities", false}, {"activities", true}}

// playInWorkflow plays the scenario's steps through the workflow in the
// SDK's test environment, whose clock skips ahead to each step: the
// workflow starts when the order was paid, each step's command arrives as
// an update at the step's time, and deadlines fire on the workflow's own
// timers in between. After the last step it queries the order and cancels
// the workflow.
func playInWorkflow(t *testing.T, s *scenario.Scenario, remote bool) played {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(temporaltest.QuietLogger())
	env := suite.NewTestWorkflowEnvironment()
	flow, err := orderflow.New(aftersale.Config{Rules: s.Rules, Zone: s.Zone}, orderflow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	flow.Register(env)
	ledger, err := demosink.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env.RegisterActivity(&orderflow.Activities{Payments: ledger, Messages: ledger})
	start := s.Order.PaidAt
	env.SetStartTime(start)

	p := played{Refused: map[int]aftersale.Code{}, Outcomes: map[int]orderflow.Outcome{}, Ledger: ledger}
	// Steps at one time go in one callback, in order: the updates are
	// handled in the order they are sent.
	at := start
	type batch struct {
		at    time.Time
		steps []int
	}
	var batches []batch
	for i, st := range s.Steps {
		if !st.At.IsZero() {
			at = st.At
		}
		if len(batches) == 0 || !batches[len(batches)-1].at.Equal(at) {
			batches = append(batches, batch{at: at})
		}
		b := &batches[len(batches)-1]
		b.steps = append(b.steps, i)
	}
	for _, b := range batches {
		env.RegisterDelayedCallback(func() {
			for _, i := range b.steps {
				cmd := s.Steps[i].Command
				if cmd.Action == 0 {
					continue
				}
				step := i + 1
				env.UpdateWorkflow(orderflow.UpdateCommand, fmt.Sprint(step), &testsuite.TestUpdateCallback{
					OnReject: func(err error) {
						r, ok := orderflow.Refusal(err)
						if !ok {
							t.Errorf("step %d: refused without the engine's refusal: %v", step, err)
							return
						}
						p.Refused[step] = r.Code
					},
					OnAccept: func() {},
					OnComplete: func(v any, err error) {
						if err != nil {
							t.Errorf("step %d: accepted, then failed: %v", step, err)
							return
						}
						p.Outcomes[step] = v.(orderflow.Outcome)
					},
				}, cmd)
			}
		}, b.at.Sub(start))
	}
	// The updates of the last step are handled once its callback returns;
	// a millisecond on, well before any deadline the rules could set,
	// they are all in.
	// Cancelled then, the workflow delivers what it still owes and ends.
	env.RegisterDelayedCallback(func() {
		p.Order = queryJSON[json.RawMessage](t, env, orderflow.QueryOrder)
		env.CancelWorkflow()
	}, at.Sub(start)+time.Millisecond)
	// A warranty repair a year on needs the workflow open that long.
	linger := max(orderflow.DefaultLinger, at.Sub(start)+24*time.Hour)
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: s.Order, Linger: linger, RemoteDelivery: remote})
	if !env.IsWorkflowCompleted() {
		t.Fatal("the workflow did not end")
	}
	p.Outbox = queryJSON[orderflow.Outbox](t, env, orderflow.QueryOutbox)
	if p.Order == nil {
		t.Fatalf("the last step's query never ran; the workflow ended with %v", env.GetWorkflowError())
	}
	return p
}

func queryJSON[T any](t *testing.T, env *testsuite.TestWorkflowEnvironment, name string, args ...any) T {
	t.Helper()
	var v T
	res, err := env.QueryWorkflow(name, args...)
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	if err := res.Get(&v); err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	return v
}

// expectedRefusals are the codes a scenario's steps expect their commands
// refused with, by step.
func expectedRefusals(s *scenario.Scenario) map[int]aftersale.Code {
	out := map[int]aftersale.Code{}
	for i, st := range s.Steps {
		if st.Command.Action != 0 && st.Expect.Error != 0 {
			out[i+1] = st.Expect.Error
		}
	}
	return out
}

// effectIDs lists the IDs of the effects of the order that the workflow
// delivers through activities (all but wake-ups), in the order's order.
func effectIDs(t *testing.T, doc []byte, kind aftersale.EffectKind) []string {
	t.Helper()
	var o aftersale.Order
	if err := json.Unmarshal(doc, &o); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ef := range aftersale.Delivered(nil).Pending(&o) {
		if ef.Kind == kind {
			ids = append(ids, ef.ID)
		}
	}
	slices.Sort(ids)
	return ids
}
