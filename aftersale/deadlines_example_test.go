package aftersale_test

import (
	"fmt"

	"github.com/shouhou/shouhou/aftersale"
)

// The parameters of the deadline schedule, as an analyst's listing shows
// them.
func ExampleDeadlineParams() {
	for _, p := range aftersale.DeadlineParams() {
		state := "(each alert)"
		if p.State != 0 {
			state = p.State.String()
		}
		if p.When != "" {
			state += ", " + p.When
		}
		fmt.Printf("%-17s %-46s %-15s %s\n", p.Name, state, p.Default, p.Source)
	}
	// Output:
	// review            pending_review                                 48 hours        seeds 003, 004: 商户应在48小时内处理, 逾期系统默认同意
	// interception      intercepting                                   5 days          seed 002: 商家需在5天内拦截快递, 期间无法拒绝, 超时自动同意退款
	// return            awaiting_return                                10 days         seeds 003, 004: 消费者须在10日内寄回并提交运单, 否则自动关闭
	// return_transit    return_in_transit                              10 days         seeds 003, 004: 商户须在运单上传10日内确认收货, 否则自动退款
	// negotiation       negotiating                                    48 hours        assumed
	// escalation        rejected                                       7 days          assumed (buyers elsewhere get a week to escalate or resubmit)
	// reship            awaiting_reship                                7 days          assumed
	// reship_transit    reship_in_transit                              10 days         assumed
	// guaranteed_refund refunding, under the 30-day guaranteed return  24 hours        seed 002: 无等待包退, 审核通过后最快24小时内完成退款
	// refund_days       refunding                                      7 business days seed 001: 审核通过, 7个工作日内退款
	// arbitration_days  arbitration                                    7 business days seed 001: 7个工作日内审核处理
	// refund_failed     refund_failed                                  24 hours        assumed
	// realert           (each alert)                                   24 hours        assumed
}
