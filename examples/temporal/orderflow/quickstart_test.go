package orderflow_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/timeline"
)

var zone = timeline.UTC8()

func day(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, zone) }

// quickstart is the story examples/quickstart tells, as a scenario: a
// return and refund asked two days after delivery, a retried request, the
// merchant's approval, the goods sent back, a rejection refused for want of
// a reason, the merchant's silence ended by the system ten days after the
// waybill, and the payment system's report.
func quickstart() *scenario.Scenario {
	step := func(at time.Time, cmd aftersale.Command) scenario.Step {
		cmd.Case = "as-1"
		return scenario.Step{At: at, Command: cmd}
	}
	request := aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonNoReason, Key: "app-7781"}
	reject := step(day(8, 10, 0), aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject})
	reject.Expect.Error = aftersale.ErrInvalidInput
	return &scenario.Scenario{
		File: "examples/quickstart", Name: "quickstart", Zone: zone, Rules: policy.Default(),
		Order: aftersale.Order{
			ID: "o-1001", Buyer: "b-42", Amount: aftersale.Yuan(299),
			PaidAt: day(2, 10, 0), ShippedAt: day(2, 16, 0), DeliveredAt: day(3, 15, 0),
			Flags: aftersale.FlagFreightInsurance,
		},
		Steps: []scenario.Step{
			step(day(5, 20, 0), request),
			step(day(5, 20, 1), request),
			step(day(6, 9, 30), aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}),
			step(day(7, 11, 0), aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn,
				Carrier: "SF", Waybill: "SF1234567890", Freight: aftersale.Yuan(12)}),
			reject,
			{At: day(17, 11, 0)},
			step(day(17, 11, 5), aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}),
		},
	}
}

// The quickstart's case, run as a workflow, takes the path the quickstart
// narrates: the retried request is a repeat, the reason-less rejection is
// refused before it reaches the history, the merchant's silence is ended
// by the workflow's timer, and the refund with its freight goes to the
// payment system once, under its key.
func TestQuickstartCaseRunsAsAWorkflow(t *testing.T) {
	s := quickstart()
	want, err := scenario.Play(s)
	if err != nil {
		t.Fatal(err)
	}
	if !want.Passed {
		t.Fatalf("the quickstart fails under the scenario runner: %v", want.Failures)
	}
	for _, mode := range deliveryModes {
		t.Run(mode.name, func(t *testing.T) { checkQuickstart(t, want, playInWorkflow(t, s, mode.remote)) })
	}
}

func checkQuickstart(t *testing.T, want scenario.Result, got played) {
	t.Helper()

	wantDoc, err := json.Marshal(want.Order)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(orderTree(t, wantDoc), orderTree(t, got.Order)); diff != "" {
		t.Errorf("order (-runner +workflow):\n%s", diff)
	}
	if diff := cmp.Diff(map[int]aftersale.Code{5: aftersale.ErrInvalidInput}, got.Refused); diff != "" {
		t.Errorf("refusals by step (-want +got):\n%s", diff)
	}
	if !got.Outcomes[2].Repeat || got.Outcomes[2].Event.Seq != 1 {
		t.Errorf("the retried request: got %+v, want a repeat of event 1", got.Outcomes[2])
	}
	last := got.Outcomes[7]
	if last.State != aftersale.StateRefunded || len(last.Also) != 0 {
		t.Errorf("refund_succeeded: got state %s with %d other changes, want refunded alone", last.State, len(last.Also))
	}
	checkDelivered(t, got)

	refunds, err := got.Ledger.Done("refunds")
	if err != nil {
		t.Fatal(err)
	}
	type paid struct {
		Key          string
		Amount       aftersale.Money
		Compensation []aftersale.Compensation
	}
	var gotPaid []paid
	for _, ef := range refunds {
		gotPaid = append(gotPaid, paid{ef.Key, ef.Amount, ef.Compensation})
	}
	wantPaid := []paid{{"o-1001/as-1/4", aftersale.Yuan(299),
		[]aftersale.Compensation{{Amount: aftersale.Yuan(12), Payer: aftersale.PayerInsurance}}}}
	if diff := cmp.Diff(wantPaid, gotPaid); diff != "" {
		t.Errorf("refunds paid (-want +got):\n%s", diff)
	}
}
