package platform_test

import (
	"fmt"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/aftersale/platform"
	"github.com/shouhou/shouhou/policy"
)

// A Douyin return the merchant agreed to on March 5th at 14:00, waiting
// for the buyer to send the goods back (after_sale_status 7) by the
// platform's deadline, adopted the next morning.
func ExampleAdopt() {
	data := []byte(`{"process_info": {"after_sale_info": {
		"after_sale_id": 7301150938517062000, "after_sale_type": 0, "after_sale_status": 7, "refund_status": 1,
		"refund_total_amount": 29900, "apply_time": 1772676000, "update_time": 1772690400, "status_deadline": 1773295200}}}`)
	r, err := platform.Decode(platform.Douyin, data)
	if err != nil {
		fmt.Println(err)
		return
	}
	engine, _ := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: platform.Beijing})
	order := &aftersale.Order{ID: "6936476692437472563", Amount: aftersale.Yuan(299),
		PaidAt:      time.Date(2026, 3, 1, 9, 0, 0, 0, platform.Beijing),
		ShippedAt:   time.Date(2026, 3, 2, 12, 0, 0, 0, platform.Beijing),
		DeliveredAt: time.Date(2026, 3, 3, 15, 0, 0, 0, platform.Beijing)}

	out, _, err := platform.Adopt(engine, order, r, time.Date(2026, 3, 6, 9, 0, 0, 0, platform.Beijing), platform.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := out.Case
	fmt.Println(c.ID(), c.Kind().Label(), c.State().Label())
	fmt.Println(c.Next().Zh())
	for _, m := range order.Allowed(c.ID(), aftersale.ActorBuyer) {
		fmt.Println("买家可以:", m.Action.Label())
	}
	// Output:
	// douyin-7301150938517062000 退货退款 待买家退货
	// 等待买家处理；2026-03-12 14:00前无人处理，系统将自动超时处理，转为已关闭
	// 买家可以: 寄回商品
	// 买家可以: 撤销申请
}

// Kuaishou says a request the merchant rejected by keeping its status and
// setting negotiateStatus; the placement is their combination.
func ExampleKuaishouCodes_Place() {
	for _, c := range []platform.KuaishouCodes{
		{HandlingWay: 1, Status: 11, NegotiateStatus: 1},
		{HandlingWay: 1, Status: 11, NegotiateStatus: 3},
		{HandlingWay: 1, Status: 30, NegotiateStatus: 2},
	} {
		p, _ := c.Place()
		fmt.Printf("%v: %v\n", c, p)
	}
	// Output:
	// handlingWay=1 status=11 negotiateStatus=1: return_refund pending_review (waiting: merchant)
	// handlingWay=1 status=11 negotiateStatus=3: return_refund rejected (waiting: buyer)
	// handlingWay=1 status=30 negotiateStatus=2: return_refund awaiting_return (waiting: buyer)
}

// Statuses says which codes stand for a shouhou state on each platform,
// for a tool that writes states back.
func ExampleStatuses() {
	for _, p := range platform.Platforms() {
		fmt.Println(p, platform.Statuses(p, aftersale.KindReturnRefund, aftersale.StateAwaitingReturn))
	}
	// Output:
	// kuaishou [22 30 10 (negotiateStatus=2) 11 (negotiateStatus=2)]
	// douyin [7]
	// taobao [WAIT_BUYER_RETURN_GOODS]
	// pinduoduo [7]
}

// An unknown code is an error with a stable rule, not a guess.
func ExamplePinduoduoCodes_Place() {
	_, err := platform.PinduoduoCodes{Type: 2, Status: 19}.Place()
	fmt.Println(err)
	// Output:
	// aftersale: invalid_input: pinduoduo: after_sales_status "19" is not a documented code
}

// Table says what each documented code means, where that is documented
// and what shouhou makes of it.
func ExampleTable() {
	for _, c := range platform.Table(platform.Douyin) {
		if c.Field == "after_sale_status" && (c.Value == "7" || c.Value == "51") {
			fmt.Printf("%s %s %s: %s\n", c.Field, c.Value, c.Meaning, c.Maps)
		}
	}
	// Output:
	// after_sale_status 7 售后退货中 / 待买家退货: awaiting_return 待买家退货 (waiting: buyer)
	// after_sale_status 51 订单取消成功: not_a_case: the order was cancelled (after_sale_type 4 or 5), not an after-sale case
}
