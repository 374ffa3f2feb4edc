package scenario_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

// review is a scenario file: a return request the merchant leaves
// unanswered.
const review = `{
  "name": "review timeout: unanswered for 48 hours, the return is approved",
  "order": {"id": "o-1", "amount": "299.00", "paid_at": "2026-03-01T10:00:00+08:00",
            "shipped_at": "2026-03-01T18:00:00+08:00", "delivered_at": "2026-03-03T15:00:00+08:00"},
  "steps": [
    {"at": "2026-03-04T20:00:00+08:00", "actor": "buyer", "action": "request",
     "kind": "return_refund", "reason": "quality"},
    {"after": "2d", "expect": {"state": "awaiting_return", "decided_by": "deadlines"}}
  ]
}`

func ExampleParse() {
	s, err := scenario.Parse("review.json", []byte(review), policy.Default())
	if err != nil {
		panic(err)
	}
	for i, st := range s.Steps {
		fmt.Printf("step %d, %s:", i+1, st.At.Format("01-02 15:04"))
		if st.Command.Action != 0 {
			fmt.Print(" ", st.Command.Actor, " ", st.Command.Action, " ", st.Command.Kind, " on case ", st.Command.Case)
		}
		if st.Expect.State != 0 {
			fmt.Print(" expect ", st.Expect.State, " decided by ", st.Expect.DecidedBy)
		}
		fmt.Println()
	}
	// Output:
	// step 1, 03-04 20:00: buyer request return_refund on case c1
	// step 2, 03-06 20:00: expect awaiting_return decided by deadlines
}

func ExampleLoad() {
	s, err := scenario.Load("../examples/scenarios/seven_day_0309_0000_denied.json", policy.Default())
	if err != nil {
		panic(err)
	}
	res, err := scenario.Play(s)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Name)
	fmt.Println(res.Timeline[0].Action, res.Timeline[0].Refused.String(), res.Passed)
	// Output:
	// seven-day no-reason return: delivered 03-01 15:00, a request at 03-09 00:00 is one minute too late
	// request not_eligible true
}

func ExamplePlay() {
	s, err := scenario.Parse("review.json", []byte(review), policy.Default())
	if err != nil {
		panic(err)
	}
	res, err := scenario.Play(s)
	if err != nil {
		panic(err)
	}
	for _, r := range res.Timeline {
		fmt.Println(r.At.Format("01-02 15:04"), r.Actor, r.Action, "->", r.To, "by", r.Decision.Policy)
	}
	fmt.Println("passed:", res.Passed)
	// Output:
	// 03-04 20:00 buyer request -> pending_review by after_sale_window
	// 03-06 20:00 system approve -> awaiting_return by deadlines
	// passed: true
}

// A scenario that expects the wrong thing says where and what.
func ExampleResult_WriteText() {
	s, err := scenario.Parse("review.json", []byte(review), policy.Default())
	if err != nil {
		panic(err)
	}
	s.Steps[1].Expect.State = aftersale.StateRefunding
	res, err := scenario.Play(s)
	if err != nil {
		panic(err)
	}
	res.WriteText(os.Stdout)
	// Output:
	// == review timeout: unanswered for 48 hours, the return is approved
	//    review.json, times in UTC+8
	//
	//    STEP  TIME              ACTOR   ACTION                                CASE  FROM -> TO                         POLICY             NOTE
	//    1     2026-03-04 20:00  buyer   request return_refund quality 299.00  c1    -> pending_review                  after_sale_window  within the after-sale period (售后有效期内)
	//    D1    2026-03-06 20:00  system  approve                               c1    pending_review -> awaiting_return  deadlines          the merchant did not respond within 48 hours; approved automatically (商家48小时内未处理，系统默认同意)
	//
	// FAIL
	//    step 2: state: want refunding, got awaiting_return
}

func ExampleError() {
	_, err := scenario.Parse("fast.json", []byte(`{"name": "x", "order": {"id": "o-1", "amount": "29.999"}}`), policy.Default())
	fmt.Println(err)
	var se *scenario.Error
	fmt.Println(errors.As(err, &se), se.Field, errors.Is(err, aftersale.ErrInvalidInput))
	// Output:
	// fast.json: field "order.amount": money: "29.999" needs one or two decimals
	// true order.amount true
}

// A sweep plays a scenario once for each value of one parameter and
// compares the plays: here the merchant's review deadline, written as the
// runner's -sweep flag takes it. The file expects the system to have
// approved the return two days after it was asked, which no longer holds
// when the merchant has 72 hours.
func ExamplePlaySweep() {
	s, err := scenario.Parse("review.json", []byte(review), policy.Default())
	if err != nil {
		panic(err)
	}
	sw, err := scenario.ParseSweep("deadlines.review=24h,48h,72h", policy.Default())
	if err != nil {
		panic(err)
	}
	c, err := scenario.PlaySweep(s, sw)
	if err != nil {
		panic(err)
	}
	for _, run := range c.Runs {
		fmt.Println(run.Label, run.Cases[0].State, run.Cases[0].TimedOut, run.Passed)
	}
	fmt.Println()
	c.WriteText(os.Stdout)
	// Output:
	// 24h awaiting_return [pending_review→approve] true
	// 48h awaiting_return [pending_review→approve] true
	// 72h pending_review [] false
	//
	// == review timeout: unanswered for 48 hours, the return is approved
	//    review.json, deadlines.review swept over the file's own rules
	//
	//    deadlines.review  CASE  END STATE        KIND           REFUNDED  COMPENSATION  TIMED OUT               WARNINGS  EXPECT
	//    24h               c1    awaiting_return  return_refund  0.00      -             pending_review→approve  -         pass
	//    48h               c1    awaiting_return  return_refund  0.00      -             pending_review→approve  -         pass
	//    72h               c1    pending_review   return_refund  0.00      -             -                       -         fail step 2
	//
	//    72h: step 2: state: want awaiting_return, got pending_review
	//    72h: step 2: decided_by: want deadlines, got after_sale_window
}
