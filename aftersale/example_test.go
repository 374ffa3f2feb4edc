package aftersale_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// exampleOrder is a 299.00 order paid on 2026-03-02 10:00, shipped at
// 12:00 and delivered the next day at 15:00.
func exampleOrder() *aftersale.Order {
	z := timeline.UTC8()
	return &aftersale.Order{
		ID: "o-1", Amount: aftersale.Yuan(299),
		PaidAt:      time.Date(2026, 3, 2, 10, 0, 0, 0, z),
		ShippedAt:   time.Date(2026, 3, 2, 12, 0, 0, 0, z),
		DeliveredAt: time.Date(2026, 3, 3, 15, 0, 0, 0, z),
	}
}

func ExampleEngine_ApplyAt() {
	engine, err := aftersale.New(aftersale.Config{})
	if err != nil {
		panic(err)
	}
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	out, err := engine.ApplyAt(now, order, aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	if err != nil {
		panic(err)
	}
	c := out.Case
	next := c.Next()
	fmt.Println(c.ID(), c.State(), c.State().Label(), c.Amount())
	fmt.Println("waiting for", next.Waiting, "until", next.Deadline.At.Format("01-02 15:04"), "then", next.Action, "->", next.To)
	// Output:
	// o-1-1 pending_review 待商家处理 299.00
	// waiting for merchant until 03-06 09:00 then approve -> awaiting_return
}

func ExampleEngine_Apply() {
	// A mock clock drives the engine: the host sets the time, nothing moves
	// by itself.
	mock := clock.NewMock()
	mock.Set(time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8()))
	engine, _ := aftersale.New(aftersale.Config{Clock: mock})
	order := exampleOrder()
	out, _ := engine.Apply(order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonNotAsDescribed, Amount: aftersale.Yuan(50),
	})
	mock.Add(2 * time.Hour)
	_, err := engine.Apply(order, aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject})
	fmt.Println(err)
	fmt.Println(errors.Is(err, aftersale.ErrInvalidInput), out.Case.State())
	// Output:
	// aftersale: invalid_input: reject needs note
	// true pending_review
}

func ExampleEngine_AdvanceTo() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	z := timeline.UTC8()
	engine.ApplyAt(time.Date(2026, 3, 4, 9, 0, 0, 0, z), order, aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	// Nobody acts for three weeks: the merchant's review lapses, then the
	// buyer's ten days to ship the goods back.
	fired, _ := engine.AdvanceTo(time.Date(2026, 3, 25, 9, 0, 0, 0, z), order)
	for _, ch := range fired {
		ev := ch.Event
		fmt.Println(ev.At.Format("01-02 15:04"), ev.Actor, ev.Action, ev.From, "->", ev.To, "|", ev.Decision.Policy+":", ev.Decision.En)
	}
	fmt.Println(order.Case("o-1-1").ClosedReason())
	// Output:
	// 03-06 09:00 system approve pending_review -> awaiting_return | deadlines: the merchant did not respond within 48 hours; approved automatically
	// 03-16 09:00 system expire awaiting_return -> closed | deadlines: the buyer did not ship the goods back within 10 days; case closed
	// return_timeout
}

func ExampleReplay() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	out, _ := engine.ApplyAt(time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8()), order, aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonQuality,
	})
	record := out.Case.Record() // what a host stores
	c, err := aftersale.Replay(record)
	fmt.Println(c.State(), c.Amount(), c.Deadline().At.Equal(out.Case.Deadline().At), err)
	// Output: pending_review 299.00 true <nil>
}

func ExampleParseMoney() {
	for _, s := range []string{"299", "299.5", "-1", "1.234"} {
		m, err := aftersale.ParseMoney(s)
		fmt.Println(int64(m), m, err)
	}
	// Output:
	// 29900 299.00 <nil>
	// 29950 299.50 <nil>
	// 0 0.00 aftersale: invalid_input: money: "-1" does not start with a digit (negative amounts and signs are not accepted)
	// 0 0.00 aftersale: invalid_input: money: "1.234" needs one or two decimals
}

func ExampleCase_Next() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	out, _ := engine.ApplyAt(time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8()), order, aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindExchange, Reason: aftersale.ReasonWrongItem,
	})
	n := out.Case.Next()
	fmt.Printf("%s (%s) until %s, then the %s will %s\n", n.Waiting.Label(), n.Waiting, n.Deadline.At.Format("2006-01-02 15:04"), "system", n.Action)
	// Output: 商家 (merchant) until 2026-03-06 09:00, then the system will approve
}

func ExampleRules_Replace() {
	rules := aftersale.Rules{Version: "2026-11", Policies: []aftersale.Policy{aftersale.Deadlines{}}}
	longer := rules.Replace(aftersale.Deadlines{Review: 72 * time.Hour})
	fmt.Println(rules.Lookup("deadlines").(aftersale.Deadlines).Review, longer.Lookup("deadlines").(aftersale.Deadlines).Review)
	// Output: 0s 72h0m0s
}

func ExampleDeadlines_Due() {
	z := timeline.UTC8()
	approved := time.Date(2026, 11, 6, 20, 0, 0, 0, z) // a Friday evening
	due := aftersale.Deadlines{}.Due(aftersale.Query{Zone: z}, aftersale.StateRefunding, approved, false)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))
	// Output: Wed 2026-11-18 00:00
}

func ExampleDiagram() {
	d := aftersale.Diagram()
	fmt.Println(d[:len("stateDiagram-v2")])
	// Output: stateDiagram-v2
}

func ExampleError() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	engine.ApplyAt(now, order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	show := func(err error) {
		var e *aftersale.Error
		if errors.As(err, &e) {
			fmt.Println(e.Code.String(), e.Code.Label(), e.Rule)
			fmt.Println(" ", e.Message)
			fmt.Println(" ", e.Zh)
		}
	}
	// The buyer approves their own request.
	_, err := engine.ApplyAt(now.Add(time.Minute), order, aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionApprove})
	fmt.Println(errors.Is(err, aftersale.ErrNotPermitted))
	show(err)
	// The merchant approves a case that does not exist.
	_, err = engine.ApplyAt(now.Add(time.Minute), order, aftersale.Command{Case: "c9", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})
	show(err)
	// Output:
	// true
	// not_permitted 当前状态不允许此操作 table.wrong_actor
	//   only merchant may approve in state pending_review, not the buyer
	//   只有商家可以在“待商家处理”状态同意，买家不可以
	// not_found 售后单不存在 case.not_found
	//   order o-1 has no case "c9": approve needs a request first
	//   订单o-1没有售后单“c9”，请先申请售后
}

// A case in flight on a platform is imported as of when it entered the
// state its record stands in, with the platform's own deadline; advancing
// to now then does what fell due since.
func ExampleEngine_ApplyAt_import() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	z := timeline.UTC8()
	entered := time.Date(2026, 3, 5, 10, 0, 0, 0, z) // the merchant approved the return then
	out, err := engine.ApplyAt(entered, order, aftersale.Command{
		Case: "dy-7301", Actor: aftersale.ActorSystem, Action: aftersale.ActionImport,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonNoReason,
		State:  aftersale.StateAwaitingReturn,
		Due:    time.Date(2026, 3, 12, 10, 0, 0, 0, z), // the platform gives the buyer 7 days
		Record: []byte(`{"aftersale_id":"7301","after_sale_status":7}`),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Case.ID(), out.Case.State().Label(), "-", out.Case.Next().Zh())
	fired, _ := engine.AdvanceTo(time.Date(2026, 3, 13, 9, 0, 0, 0, z), order)
	for _, ch := range fired {
		fmt.Println(ch.Event.At.Format("01-02 15:04"), ch.Event.Action, "->", ch.Event.To, ch.Event.Closed)
	}
	// Output:
	// dy-7301 待买家退货 - 等待买家处理；2026-03-12 10:00前无人处理，系统将自动超时处理，转为已关闭
	// 03-12 10:00 expire -> closed return_timeout
}

// A command tried on a copy tells whether it would be accepted, and
// leaves the order as it was.
func ExampleOrder_Clone() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	try := aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	}
	out, err := engine.ApplyAt(now, order.Clone(), try)
	fmt.Println(out.Case.State(), err, order.NumCases())
	// Output:
	// pending_review <nil> 0
}
