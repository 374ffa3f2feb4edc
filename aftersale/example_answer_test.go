package aftersale_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// bigTicket is a host's limit: requests above 5,000.00 go to a person, not
// through the engine. Its rule never changes, so it is made once and
// shared by every answer.
type bigTicket struct{}

var bigTicketRule = aftersale.NewRule("big_ticket.above_5000", "金额超过5000元，须人工处理", "above 5,000.00: handled by a person")

func (bigTicket) Name() string { return "big_ticket" }

func (bigTicket) Check(q aftersale.Query) aftersale.Answer {
	if q.Case.Amount() > aftersale.Yuan(5000) {
		return aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: bigTicketRule}
	}
	return aftersale.Answer{} // nothing to say
}

func ExampleNewRule() {
	engine, err := aftersale.New(aftersale.Config{Rules: aftersale.Rules{Policies: []aftersale.Policy{bigTicket{}}}})
	if err != nil {
		panic(err)
	}
	o := exampleOrder()
	o.Amount = aftersale.Yuan(6000)
	_, err = engine.ApplyAt(o.DeliveredAt.Add(time.Hour), o, aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	var e *aftersale.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code.String(), e.Rule)
		fmt.Printf("%+v\n", e.Reasons[0])
	}
	// Output:
	// not_eligible big_ticket.above_5000
	// {Policy:big_ticket Rule:big_ticket.above_5000 Verdict:deny Zh:金额超过5000元，须人工处理 En:above 5,000.00: handled by a person}
}

func ExampleTransitions() {
	for _, r := range aftersale.Transitions() {
		if r.From != aftersale.StateArbitration || r.Action != aftersale.ActionRule {
			continue
		}
		switch {
		case r.Kind != 0:
			fmt.Println(r, "and becomes", r.Kind)
		case r.Closed != 0:
			fmt.Println(r, "and closes", r.Closed)
		}
	}
	// Output:
	// arbitration --rule--> refunding (every kind, if for_buyer_goods_stay) and becomes refund_only
	// arbitration --rule--> refunding (every kind, if for_buyer_goods_returned) and becomes return_refund
	// arbitration --rule--> awaiting_return (every kind, if for_buyer_goods_come_back) and becomes return_refund
	// arbitration --rule--> closed (every kind, if for_merchant) and closes ruled_for_merchant
}
