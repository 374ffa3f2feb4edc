package orderflow_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// An order's workflow in the SDK's test environment, whose clock skips:
// the buyer asks for a refund; the merchant lets the 48 hours pass, and the
// workflow's timer approves in the merchant's place.
func Example() {
	zone := timeline.UTC8()
	flow, err := orderflow.New(aftersale.Config{Rules: policy.Default(), Zone: zone}, orderflow.Options{})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "ledger")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ledger, err := demosink.Open(dir)
	if err != nil {
		log.Fatal(err)
	}

	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(temporaltest.QuietLogger())
	env := suite.NewTestWorkflowEnvironment()
	flow.Register(env)
	env.RegisterActivity(&orderflow.Activities{Payments: ledger, Messages: ledger})
	paid := time.Date(2026, 3, 1, 10, 0, 0, 0, zone)
	env.SetStartTime(paid)

	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(orderflow.UpdateCommand, "req-1", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) { fmt.Println("refused:", err) },
			OnComplete: func(v any, err error) {
				out := v.(orderflow.Outcome)
				fmt.Println(out.Case, out.State, "due", out.Event.Due.Format(time.DateTime))
			},
		}, aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
			Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonMistakenPurchase})
	}, time.Hour)
	env.RegisterDelayedCallback(func() {
		res, _ := env.QueryWorkflow(orderflow.QueryCases)
		var cases []orderflow.CaseStatus
		if err := res.Get(&cases); err != nil {
			log.Fatal(err)
		}
		fmt.Println(cases[0].ID, cases[0].State, "waiting for", cases[0].Waiting)
		env.CancelWorkflow()
	}, 50*time.Hour)
	env.ExecuteWorkflow(orderflow.WorkflowName, orderflow.Input{Order: aftersale.Order{
		ID: "o-1", Amount: aftersale.Yuan(299), PaidAt: paid}})

	refunds, _ := ledger.Done(demosink.Refunds)
	fmt.Println("refunds instructed:", len(refunds), refunds[0].Key, refunds[0].Amount)
	// Output:
	// c1 pending_review due 2026-03-03 11:00:00
	// c1 refunding waiting for system
	// refunds instructed: 1 o-1/c1/2 299.00
}
