package orderflow_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/policy"
)

func testFlow(t *testing.T) *orderflow.Flow {
	t.Helper()
	f, err := orderflow.New(aftersale.Config{Rules: policy.Default(), Zone: zone}, orderflow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func testEngine(t *testing.T) *aftersale.Engine {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newEnv returns a test environment with the workflow and the activities
// registered, delivering to a ledger in dir.
func newEnv(t *testing.T, dir string) (*testsuite.TestWorkflowEnvironment, *demosink.Ledger) {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(temporaltest.QuietLogger())
	env := suite.NewTestWorkflowEnvironment()
	testFlow(t).Register(env)
	ledger, err := demosink.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	env.RegisterActivity(&orderflow.Activities{Payments: ledger, Messages: ledger})
	return env, ledger
}

func delivered() aftersale.Order {
	return aftersale.Order{ID: "o-7", Amount: aftersale.Yuan(299),
		PaidAt: day(1, 10, 0), ShippedAt: day(1, 18, 0), DeliveredAt: day(3, 15, 0)}
}

var returnRequest = aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
	Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A workflow that wakes long after its deadlines (its worker was down, or
// the order is brought in from another system) fires every deadline due,
// in order and each at its own time, in one wake-up: here the merchant's
// 48 hours end in an approval, and the buyer's 10 days to send the goods
// back in a closed case.
func TestOneWakeUpFiresEveryDeadlineDue(t *testing.T) {
	e := testEngine(t)
	order := delivered()
	if _, err := e.ApplyAt(day(5, 9, 0), &order, returnRequest); err != nil {
		t.Fatal(err)
	}
	want := order
	wantCopy := new(aftersale.Order)
	if err := json.Unmarshal(mustJSON(t, want), wantCopy); err != nil {
		t.Fatal(err)
	}
	wake := day(30, 12, 0)
	changes, err := e.AdvanceTo(wake, wantCopy)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 {
		t.Fatalf("the reference fired %d deadlines, want 2", len(changes))
	}

	env, _ := newEnv(t, t.TempDir())
	env.SetStartTime(wake)
	var got json.RawMessage
	env.RegisterDelayedCallback(func() {
		got = queryJSON[json.RawMessage](t, env, orderflow.QueryOrder)
		env.CancelWorkflow()
	}, time.Minute)
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: order})
	if diff := cmp.Diff(orderTree(t, mustJSON(t, wantCopy)), orderTree(t, got)); diff != "" {
		t.Errorf("order (-AdvanceTo +workflow):\n%s", diff)
	}
}

// The queries answer what a merchant tool asks, as the engine's own
// readers answer it: each case's state and whose move it is, the moves a
// party may make, the next deadline, and the outbox.
func TestQueriesAnswerAsTheOrderDoes(t *testing.T) {
	e := testEngine(t)
	ref := delivered()
	at := day(5, 9, 0)
	if _, err := e.ApplyAt(at, &ref, returnRequest); err != nil {
		t.Fatal(err)
	}
	refCase := ref.Case("c1")
	refNext, _ := ref.Next()

	env, _ := newEnv(t, t.TempDir())
	env.SetStartTime(delivered().PaidAt)
	type answers struct {
		Cases   []orderflow.CaseStatus
		Allowed []aftersale.Move
		Buyer   []aftersale.Move
		Next    *aftersale.Upcoming
		Outbox  orderflow.Outbox
	}
	var got answers
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflowNoRejection(orderflow.UpdateCommand, "1", t, returnRequest)
	}, at.Sub(delivered().PaidAt))
	env.RegisterDelayedCallback(func() {
		got.Cases = queryJSON[[]orderflow.CaseStatus](t, env, orderflow.QueryCases)
		got.Allowed = queryJSON[[]aftersale.Move](t, env, orderflow.QueryAllowed, "c1", aftersale.ActorMerchant)
		got.Buyer = queryJSON[[]aftersale.Move](t, env, orderflow.QueryAllowed, "c1", aftersale.ActorBuyer)
		got.Next = queryJSON[*aftersale.Upcoming](t, env, orderflow.QueryNext)
		got.Outbox = queryJSON[orderflow.Outbox](t, env, orderflow.QueryOutbox)
		env.CancelWorkflow()
	}, at.Sub(delivered().PaidAt)+time.Minute)
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: delivered()})

	want := answers{
		Cases: []orderflow.CaseStatus{{
			ID: "c1", Kind: aftersale.KindReturnRefund, State: aftersale.StatePendingReview, Open: true,
			Amount: aftersale.Yuan(299), Version: 1, Waiting: aftersale.ActorMerchant, Next: refCase.Next(),
		}},
		Allowed: ref.Allowed("c1", aftersale.ActorMerchant),
		Buyer:   ref.Allowed("c1", aftersale.ActorBuyer),
		Next:    &refNext,
		Outbox:  orderflow.Outbox{Delivered: aftersale.Delivered{"c1": 1}},
	}
	if want.Cases[0].Next.Waiting != aftersale.ActorMerchant || len(want.Allowed) == 0 {
		t.Fatalf("the reference is not a case waiting for the merchant: %+v", want)
	}
	if diff := cmp.Diff(jsonTree(t, want), jsonTree(t, got)); diff != "" {
		t.Errorf("answers (-order +queries):\n%s", diff)
	}
}

// jsonTree compares values by their JSON forms, which is what the queries
// send.
func jsonTree(t *testing.T, v any) any {
	t.Helper()
	return orderTree(t, mustJSON(t, v))
}

// A command the engine refuses is refused by the update's validator, and
// the client gets the engine's refusal back, code and rule and Chinese
// text, matched with errors.Is.
func TestRefusedCommandComesBackAsTheEnginesError(t *testing.T) {
	env, _ := newEnv(t, t.TempDir())
	env.SetStartTime(delivered().DeliveredAt)
	var rejected error
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(orderflow.UpdateCommand, "1", &testsuite.TestUpdateCallback{
			OnAccept:   func() { t.Error("accepted an approval of a case that does not exist") },
			OnReject:   func(err error) { rejected = err },
			OnComplete: func(any, error) {},
		}, aftersale.Command{Case: "c9", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})
	}, time.Hour)
	env.RegisterDelayedCallback(env.CancelWorkflow, 2*time.Hour)
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: delivered()})
	r, ok := orderflow.Refusal(rejected)
	if !ok {
		t.Fatalf("not the engine's refusal: %v", rejected)
	}
	if !errors.Is(r, aftersale.ErrNotFound) || r.Rule == "" || r.Zh == "" {
		t.Errorf("refusal: got %+v, want not_found with a rule and a Chinese text", r)
	}
}

// Past ContinueAfter events the run continues as new, carrying the order
// and the outbox's watermark; the next run goes on from there and delivers
// nothing the first one delivered.
func TestContinueAsNewCarriesTheOrderAndItsOutbox(t *testing.T) {
	dir := t.TempDir()
	env, ledger := newEnv(t, dir)
	start := delivered().PaidAt
	env.SetStartTime(start)
	requestAt := day(5, 9, 0)
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflowNoRejection(orderflow.UpdateCommand, "1", t, returnRequest)
		// The test environment keeps no history; it says how long it is.
		env.SetCurrentHistoryLength(8)
	}, requestAt.Sub(start))
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: delivered(), ContinueAfter: 8})

	var can *workflow.ContinueAsNewError
	if err := env.GetWorkflowError(); !errors.As(err, &can) {
		t.Fatalf("the run ended with %v, want it continued as new", err)
	}
	var next orderflow.Input
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	ref := delivered()
	if _, err := testEngine(t).ApplyAt(requestAt, &ref, returnRequest); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(orderTree(t, mustJSON(t, ref)), orderTree(t, mustJSON(t, next.Order))); diff != "" {
		t.Errorf("carried order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(aftersale.Delivered{"c1": 1}, next.Delivered); diff != "" {
		t.Errorf("carried watermark (-want +got):\n%s", diff)
	}
	if next.ContinueAfter != 8 {
		t.Errorf("carried ContinueAfter %d, want 8", next.ContinueAfter)
	}

	// The next run: the merchant approves; event 1's notices are not sent
	// again.
	env2, _ := newEnv(t, dir)
	resumeAt := requestAt.Add(time.Hour)
	env2.SetStartTime(resumeAt)
	var out orderflow.Outcome
	env2.RegisterDelayedCallback(func() {
		env2.UpdateWorkflow(orderflow.UpdateCommand, "2", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { t.Errorf("approve refused: %v", err) },
			OnComplete: func(v any, err error) {
				if err == nil {
					out = v.(orderflow.Outcome)
				}
			},
		}, aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})
	}, time.Minute)
	env2.RegisterDelayedCallback(env2.CancelWorkflow, 2*time.Minute)
	env2.ExecuteWorkflow(orderflow.WorkflowName, next)
	if out.State != aftersale.StateAwaitingReturn || out.Event.Seq != 2 {
		t.Errorf("approve in the next run: got %s at seq %d, want awaiting_return at seq 2", out.State, out.Event.Seq)
	}
	journal, err := ledger.Journal()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range journal {
		if !e.Done {
			t.Errorf("%s %s sent again by the next run", e.Kind, e.Key)
		}
	}
	if len(journal) < 2 {
		t.Errorf("the ledger saw %d deliveries, want the notices of both events", len(journal))
	}
}

// slowMessages delivers notices after a pause, so that a command can come
// in while one is under way.
type slowMessages struct {
	*demosink.Ledger
	pause time.Duration
}

func (s slowMessages) Notify(ctx context.Context, ef aftersale.Effect) error {
	time.Sleep(s.pause)
	return s.Ledger.Notify(ctx, ef)
}

// A command handled while the workflow delivers the effects of the one
// before is not forgotten: its effects go out as soon as that delivery
// ends, not at the next deadline, in either delivery mode.
func TestCommandDuringADeliveryHasItsEffectsDelivered(t *testing.T) {
	for _, mode := range deliveryModes {
		t.Run(mode.name, func(t *testing.T) { commandDuringADelivery(t, mode.remote) })
	}
}

func commandDuringADelivery(t *testing.T, remote bool) {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(temporaltest.QuietLogger())
	env := suite.NewTestWorkflowEnvironment()
	testFlow(t).Register(env)
	ledger, err := demosink.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env.RegisterActivity(&orderflow.Activities{Payments: ledger, Messages: slowMessages{ledger, 300 * time.Millisecond}})
	order := aftersale.Order{ID: "o-8", Amount: aftersale.Yuan(299), PaidAt: day(1, 10, 0)}
	env.SetStartTime(order.PaidAt)
	request := aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonMistakenPurchase}
	approve := aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}
	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(orderflow.UpdateCommand, "1", t, request) }, time.Hour)
	// While the request's notice takes its 300 ms, the test clock follows
	// the wall clock: the approval comes in the middle of it.
	env.RegisterDelayedCallback(func() { env.UpdateWorkflowNoRejection(orderflow.UpdateCommand, "2", t, approve) }, time.Hour+10*time.Millisecond)
	var box orderflow.Outbox
	env.RegisterDelayedCallback(func() {
		box = queryJSON[orderflow.Outbox](t, env, orderflow.QueryOutbox)
		env.CancelWorkflow()
	}, 2*time.Hour)
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: order, RemoteDelivery: remote})
	if len(box.Pending) != 0 {
		t.Errorf("an hour after the approval, effects still pending: %v", box.Pending)
	}
	refunds, err := ledger.Done(demosink.Refunds)
	if err != nil {
		t.Fatal(err)
	}
	if len(refunds) != 1 {
		t.Errorf("refunds instructed: %d, want the approval's one", len(refunds))
	}
}
