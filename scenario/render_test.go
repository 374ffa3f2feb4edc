package scenario_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/timeline"
)

func TestWriteText(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, timeline.UTC8()) }
	res := scenario.Result{
		File: "x.json",
		Name: "a return, refused once, that times out",
		Timeline: []scenario.Row{
			{Step: 1, At: at(1, 18), Actor: aftersale.ActorSystem, Action: aftersale.ActionDelivered, Message: "order o-1 is delivered"},
			{Step: 2, At: at(2, 9), Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Args: "return_refund quality 10.00",
				Case: "c1", To: aftersale.StatePendingReview, Decision: aftersale.Decision{Policy: "p", En: "covered", Zh: "可以"}},
			{Step: 3, At: at(2, 10), Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Args: "return_refund quality [key k]",
				Case: "c1", Repeat: true, Message: "nothing changed"},
			{Step: 4, At: at(2, 11), Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn,
				Case: "c1", Refused: aftersale.ErrNotPermitted, Message: "not now"},
			{Step: 5, Deadline: 1, At: at(4, 9), Actor: aftersale.ActorSystem, Action: aftersale.ActionApprove, Case: "c1",
				From: aftersale.StatePendingReview, To: aftersale.StateAwaitingReturn, Decision: aftersale.Decision{Policy: "deadlines", En: "late"}},
			{Step: 5, Deadline: 2, At: at(14, 9), Actor: aftersale.ActorSystem, Action: aftersale.ActionExpire, Case: "c1",
				From: aftersale.StateAwaitingReturn, To: aftersale.StateClosed, Closed: aftersale.ClosedReturnTimeout},
			{Step: 6, At: at(14, 10), Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Args: "refund_only other 10.00", Case: "c2",
				To: aftersale.StatePendingReview, Decision: aftersale.Decision{Policy: "g", Rule: "g.no", Verdict: aftersale.VerdictDeny, En: "no fast refund"},
				CompensationDecision: aftersale.Decision{Policy: "h", Verdict: aftersale.VerdictDeny}, Warnings: []string{"g.no", "h"}},
		},
		Failures: []scenario.Failure{{Step: 5, Field: "state", Want: "refunded", Got: "closed"}},
	}
	want := `== a return, refused once, that times out
   x.json, times in UTC+8

   STEP  TIME              ACTOR     ACTION                                 CASE  FROM -> TO                                  POLICY     NOTE
   1     2026-03-01 18:00  system    delivered                                                                                           order o-1 is delivered
   2     2026-03-02 09:00  buyer     request return_refund quality 10.00    c1    -> pending_review                           p          covered (可以)
   3     2026-03-02 10:00  buyer     request return_refund quality [key k]  c1    repeat                                                 nothing changed
   4     2026-03-02 11:00  merchant  receive_return                         c1    refused: not_permitted                                 not now
   D1    2026-03-04 09:00  system    approve                                c1    pending_review -> awaiting_return           deadlines  late
   D2    2026-03-14 09:00  system    expire                                 c1    awaiting_return -> closed (return_timeout)
   6     2026-03-14 10:00  buyer     request refund_only other 10.00        c2    -> pending_review                           g, h       warning: no fast refund; warning: h

FAIL
   step 5: state: want refunded, got closed
`
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteText (-want +got):\n%s", diff)
	}

	res.Failures, res.Passed, res.Timeline = nil, true, nil
	b.Reset()
	if err := res.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(b.String(), "\nPASS\n") {
		t.Errorf("WriteText of a passed result ends %q, want PASS", b.String())
	}
}

func TestWriteTextInUnknownLang(t *testing.T) {
	var b strings.Builder
	err := scenario.Result{Passed: true}.WriteTextIn(&b, "fr")
	if err == nil || !strings.Contains(err.Error(), `unknown language "fr"; one of en, zh`) || b.Len() != 0 {
		t.Errorf("WriteTextIn(fr): %v, wrote %q", err, b.String())
	}
}
