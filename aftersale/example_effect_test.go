package aftersale_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

func ExampleOutcome_Effects() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	engine.ApplyAt(now, order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonQuality,
	})
	out, _ := engine.ApplyAt(now.Add(time.Hour), order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove,
	})
	for _, ef := range out.Effects() {
		switch ef.Kind {
		case aftersale.EffectRefund:
			fmt.Println(ef.ID, "pay", ef.Amount, "with key", ef.Key)
		case aftersale.EffectNotify:
			fmt.Println(ef.ID, "tell the", ef.To.String()+":", ef.Zh)
		case aftersale.EffectWake:
			fmt.Println(ef.ID, "advance at", ef.At.Format("01-02 15:04"))
		}
	}
	// Output:
	// o-1/c1/2/refund pay 299.00 with key o-1/c1/2
	// o-1/c1/2/notify/buyer tell the buyer: 商家同意，退款中：等待系统处理；应于2026-03-14 00:00前完成，逾期将告警
	// o-1/c1/2/wake advance at 03-14 00:00
}

// A host that saved an order and crashed before delivering its effects
// recomputes them from what it saved: the same effects, with the same IDs,
// which receivers have not seen or drop.
func ExampleCase_Effects() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	out, _ := engine.ApplyAt(now, order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	saved, _ := json.Marshal(order) // saved; the host crashes before delivering out.Effects()
	delivered := 0                  // the case version the host had delivered up to

	var loaded aftersale.Order
	json.Unmarshal(saved, &loaded)
	again := loaded.Case("c1").Effects(delivered)
	fmt.Println(len(again) == len(out.Effects()), again[0].ID == out.Effects()[0].ID)
	for _, ef := range again {
		fmt.Println(ef.ID)
	}
	// Output:
	// true true
	// o-1/c1/1/notify/merchant
	// o-1/c1/1/wake
}

func ExampleOrder_Allowed() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	engine.ApplyAt(now, order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	for _, m := range order.Allowed("c1", aftersale.ActorMerchant) {
		fmt.Println(m.Action, m.Action.Label(), m.Needs, m.MaxAmount, "until", m.Deadline.At.Format("01-02 15:04"))
	}
	// Output:
	// approve 同意 [] 0.00 until 03-06 09:00
	// reject 拒绝 [note] 0.00 until 03-06 09:00
	// propose 协商退款金额 [amount] 298.99 until 03-06 09:00
	// escalate 申请平台介入 [] 0.00 until 03-06 09:00
	// resolve_offline 线下换/修 [note] 0.00 until 03-06 09:00
}

func ExampleOrder_Next() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	for i, kind := range []aftersale.Kind{aftersale.KindReturnRefund, aftersale.KindRefundOnly} {
		engine.ApplyAt(now.Add(time.Duration(i)*time.Hour), order, aftersale.Command{
			Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: kind, Reason: aftersale.ReasonQuality,
			Amount: aftersale.Yuan(100),
		})
	}
	engine.ApplyAt(now.Add(2*time.Hour), order, aftersale.Command{Case: "o-1-2", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})

	next, _ := order.Next()
	fmt.Println("wake up at", next.Deadline.At.Format("01-02 15:04"), "for", next.Case, next.Action)
	for _, u := range order.Upcoming(now.Add(7 * 24 * time.Hour)) {
		fmt.Println(u.Case, u.Deadline.At.Format("01-02 15:04"), u.Zh())
	}
	// Output:
	// wake up at 03-06 09:00 for o-1-1 approve
	// o-1-1 03-06 09:00 等待商家处理；2026-03-06 09:00前无人处理，系统将自动同意，转为待买家退货
}

// A host answering over HTTP writes what happens next and a refusal as
// JSON as they are.
func ExampleNext_json() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	out, _ := engine.ApplyAt(now, order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonQuality,
	})
	next, _ := json.Marshal(out.Case.Next())
	fmt.Println(string(next))

	_, err := engine.ApplyAt(now, order, aftersale.Command{Case: "c9", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove})
	refusal, _ := json.Marshal(err)
	fmt.Println(string(refusal))
	// Output:
	// {"waiting":"merchant","deadline":{"at":"2026-03-06T09:00:00+08:00"},"action":"approve","to":"refunding","zh":"等待商家处理；2026-03-06 09:00前无人处理，系统将自动同意，转为退款中","en":"waiting for the merchant; if nobody acts by 2026-03-06 09:00, the system will approve, and the case goes to refunding"}
	// {"code":"not_found","message":"order o-1 has no case \"c9\": approve needs a request first","zh":"订单o-1没有售后单“c9”，请先申请售后","rule":"case.not_found"}
}

// An outbox keeps one small map per order beside it: what went out. After
// a crash, Pending gives what was saved but not delivered.
func ExampleDelivered() {
	engine, _ := aftersale.New(aftersale.Config{})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, timeline.UTC8())
	engine.ApplyAt(now, order, aftersale.Command{
		Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
	})
	delivered := aftersale.Delivered{} // stored beside the order, as JSON
	delivered.Deliver(order, func(ef aftersale.Effect) error {
		fmt.Println("deliver", ef.ID)
		return nil
	})
	b, _ := json.Marshal(delivered)
	fmt.Println(string(b), len(delivered.Pending(order)))
	// Output:
	// deliver o-1/c1/1/notify/merchant
	// deliver o-1/c1/1/wake
	// {"c1":1} 0
}
