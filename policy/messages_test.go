package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// decide asks p about q the way its kind of policy is asked.
func decide(t testing.TB, p aftersale.Policy, q aftersale.Query) aftersale.Decision {
	t.Helper()
	switch x := p.(type) {
	case aftersale.Grant:
		return recorded(p, x.Cover(q))
	case aftersale.Limit:
		return recorded(p, x.Check(q))
	case aftersale.Approver:
		return recorded(p, x.Approve(q))
	case aftersale.Compensator:
		_, a := x.Compensate(q)
		return recorded(p, a)
	}
	t.Fatalf("%s is asked nothing", p.Name())
	return aftersale.Decision{}
}

// TestMessagesStateTheParameters: a decision that turns on a parameter
// says, in both languages, the value in effect and the boundary it sets,
// with other parameters as with the defaults.
func TestMessagesStateTheParameters(t *testing.T) {
	history := policy.RefundTimes{"b-1": {at(t, "2026-02-20 10:00"), at(t, "2026-02-25 10:00"), at(t, "2026-02-28 10:00")}}
	fiveRefunds := policy.RefundTimes{}
	for _, day := range []string{"2026-01-30 11:00", "2026-02-05 10:00", "2026-02-10 10:00", "2026-02-20 10:00", "2026-02-28 10:00"} {
		fiveRefunds["b-1"] = append(fiveRefunds["b-1"], at(t, day))
	}
	fastOrder := func(amount aftersale.Money) *aftersale.Order {
		return &aftersale.Order{ID: "o-1", Buyer: "b-1", Amount: amount, PaidAt: at(t, "2026-03-01 10:00"), Flags: aftersale.FlagFastRefund}
	}
	fastOrderAt := func(paid string) *aftersale.Order {
		o := fastOrder(9900)
		var err error
		if o.PaidAt, err = time.Parse(time.RFC3339, paid); err != nil {
			t.Fatal(err)
		}
		return o
	}
	tagged := deliveredOrder(t, 9900)
	tagged.Tags = aftersale.TagGuaranteedReturn
	custom := deliveredOrder(t, 9900)
	custom.Category = aftersale.CategoryCustom
	for _, tc := range []struct {
		name   string
		policy aftersale.Policy
		order  *aftersale.Order
		c      *aftersale.Case
		asked  string
		rule   string
		zh, en string
	}{
		// Delivered 03-01 15:00: the 10 days run 03-02 to 03-11.
		{"10-day no-reason window, the last minute", &policy.SevenDay{Days: 10}, deliveredOrder(t, 9900), openCase(t, returnRefund, noReason), "2026-03-11 23:59",
			"seven_day_no_reason.in_window", "无理由退货期内", "within the no-reason return window"},
		{"10-day no-reason window, passed", &policy.SevenDay{Days: 10}, deliveredOrder(t, 9900), openCase(t, returnRefund, noReason), "2026-03-12 00:00",
			"seven_day_no_reason.window_passed", "10天无理由退货期已于2026-03-12 00:00结束", "the 10-day no-reason window ended at 2026-03-12 00:00"},
		{"7-day no-reason window, passed", &policy.SevenDay{}, deliveredOrder(t, 9900), openCase(t, returnRefund, noReason), "2026-03-09 00:00",
			"seven_day_no_reason.window_passed", "7天无理由退货期已于2026-03-09 00:00结束", "the 7-day no-reason window ended at 2026-03-09 00:00"},
		{"10-day no-reason return, excluded category", &policy.SevenDay{Days: 10}, custom, openCase(t, returnRefund, noReason), "2026-03-02 10:00",
			"seven_day_no_reason.excluded_category", "定制商品不适用10天无理由退货", "custom goods are excluded from the 10-day no-reason return"},

		// Shipped 03-01 12:00: the 45 days run 03-02 to 04-15.
		{"45-day guarantee, the last minute", &policy.GuaranteedReturn{Days: 45}, tagged, openCase(t, returnRefund, noReason), "2026-04-15 23:59",
			"guaranteed_return_30d.in_window", "包退期内，无理由、无门槛", "within the guaranteed-return period: any reason, any amount"},
		{"45-day guarantee, passed", &policy.GuaranteedReturn{Days: 45}, tagged, openCase(t, returnRefund, noReason), "2026-04-16 00:00",
			"guaranteed_return_30d.window_passed", "45天包退期已于2026-04-16 00:00结束", "the 45-day guaranteed return ended at 2026-04-16 00:00"},
		{"30-day guarantee, passed", &policy.GuaranteedReturn{}, tagged, openCase(t, returnRefund, noReason), "2026-04-01 00:00",
			"guaranteed_return_30d.window_passed", "30天包退期已于2026-04-01 00:00结束", "the 30-day guaranteed return ended at 2026-04-01 00:00"},
		{"45-day guarantee, untagged goods", &policy.GuaranteedReturn{Days: 45}, deliveredOrder(t, 9900), openCase(t, returnRefund, noReason), "2026-03-02 10:00",
			"guaranteed_return_30d.no_tag", "商品无包退标识", "the goods do not carry the guaranteed-return tag"},

		// Delivered 03-01 15:00: the 20 days run 03-02 to 03-21.
		{"20-day after-sale period, passed", &policy.AfterSaleWindow{Days: 20}, deliveredOrder(t, 9900), openCase(t, returnRefund, quality), "2026-03-22 00:00",
			"after_sale_window.window_passed", "20天售后有效期已于2026-03-22 00:00结束", "the 20-day after-sale period ended at 2026-03-22 00:00"},
		{"15-day after-sale period, passed", &policy.AfterSaleWindow{}, deliveredOrder(t, 9900), openCase(t, returnRefund, quality), "2026-03-17 00:00",
			"after_sale_window.window_passed", "15天售后有效期已于2026-03-17 00:00结束", "the 15-day after-sale period ended at 2026-03-17 00:00"},

		// An order without lines is one line: every case counts.
		{"at most 2 cases, 2 had", &policy.Resubmission{MaxCases: 2}, resubmitted(t, 2), openCase(t, returnRefund, quality), "2026-03-03 10:00",
			"resubmission.too_many", "该订单已申请2次售后，同一商品最多申请2次", "the order already had 2 after-sale cases; at most 2 are allowed on the same goods"},
		{"at most 2 cases, 3 had", &policy.Resubmission{MaxCases: 2}, resubmitted(t, 3), openCase(t, returnRefund, quality), "2026-03-03 10:00",
			"resubmission.too_many", "该订单已申请3次售后，同一商品最多申请2次", "the order already had 3 after-sale cases; at most 2 are allowed on the same goods"},
		{"at most 3 cases, 3 had", &policy.Resubmission{}, resubmitted(t, 3), openCase(t, returnRefund, quality), "2026-03-03 10:00",
			"resubmission.too_many", "该订单已申请3次售后，同一商品最多申请3次", "the order already had 3 after-sale cases; at most 3 are allowed on the same goods"},
		{"at most 2 cases per line, line l2 had 2", &policy.Resubmission{MaxCases: 2}, casesOn(t, "l1", "l2", "l2"), asking(t, "l2"), "2026-03-03 10:00",
			"resubmission.too_many", "商品行l2（JEANS-32）已申请2次售后，每个商品行最多申请2次", "line l2 (JEANS-32) already had 2 after-sale cases; at most 2 are allowed per line"},
		{"at most 3 cases per line, line l2 had 3", &policy.Resubmission{}, casesOn(t, "l2", "l2", "l2"), asking(t, "l2"), "2026-03-03 10:00",
			"resubmission.too_many", "商品行l2（JEANS-32）已申请3次售后，每个商品行最多申请3次", "line l2 (JEANS-32) already had 3 after-sale cases; at most 3 are allowed per line"},

		// Paid 03-01 10:00.
		{"fast refund within 1h30m, asked 1h30m after payment", &policy.FastRefund{Within: 90 * time.Minute}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:30",
			"fast_refund.too_late", "极速退款须在付款后1小时30分钟内（2026-03-01 11:30前）申请", "a fast refund must be asked for less than 1h30m after payment, before 2026-03-01 11:30"},
		{"fast refund within 6h, asked 6h after payment", &policy.FastRefund{}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 16:00",
			"fast_refund.too_late", "极速退款须在付款后6小时内（2026-03-01 16:00前）申请", "a fast refund must be asked for less than 6h after payment, before 2026-03-01 16:00"},
		{"fast refund within 45m", &policy.FastRefund{Within: 45 * time.Minute}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"fast_refund.too_late", "极速退款须在付款后45分钟内（2026-03-01 10:45前）申请", "a fast refund must be asked for less than 45m after payment, before 2026-03-01 10:45"},
		{"fast refund within 6h, paid at 10:00:30: the boundary to the second", &policy.FastRefund{}, fastOrderAt("2026-03-01T10:00:30+08:00"), openCase(t, refundOnly, quality), "2026-03-01 16:01",
			"fast_refund.too_late", "极速退款须在付款后6小时内（2026-03-01 16:00:30前）申请", "a fast refund must be asked for less than 6h after payment, before 2026-03-01 16:00:30"},
		{"fast refund within 2h under 100.00: approved, naming them", &policy.FastRefund{Within: 2 * time.Hour, Below: aftersale.Yuan(100)}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"fast_refund.approved", "符合极速退款条件（付款后2小时内申请、订单金额低于100.00元、未发货），系统自动退款", "fast refund: asked less than 2h after payment, the order under 100.00 and not shipped; refunded at once"},
		{"fast refund within 6h under 300.00: approved, naming them", &policy.FastRefund{}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"fast_refund.approved", "符合极速退款条件（付款后6小时内申请、订单金额低于300.00元、未发货），系统自动退款", "fast refund: asked less than 6h after payment, the order under 300.00 and not shipped; refunded at once"},
		{"fast refund under 100.00, an order of 100.00", &policy.FastRefund{Below: aftersale.Yuan(100)}, fastOrder(aftersale.Yuan(100)), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"fast_refund.too_much", "极速退款仅适用于金额低于100.00元的订单", "a fast refund is for orders under 100.00"},
		{"fast refund under 300.00, an order of 300.00", &policy.FastRefund{}, fastOrder(aftersale.Yuan(300)), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"fast_refund.too_much", "极速退款仅适用于金额低于300.00元的订单", "a fast refund is for orders under 300.00"},

		// The cases of openCase ask for the whole order, 99.00.
		{"automatic approval up to 99.00, asked 99.00", &policy.AutoApprove{Enabled: true, Ceiling: aftersale.Yuan(99)}, deliveredOrder(t, 9900), openCase(t, refundOnly, quality), "2026-03-02 10:00",
			"auto_approve.at_or_below_ceiling", "仅退款金额不超过商家设置的99.00元，系统自动确认退款", "refund_only at or below the merchant's ceiling of 99.00: approved at once"},
		{"automatic approval up to 98.99, asked 99.00", &policy.AutoApprove{Enabled: true, Ceiling: 9899}, deliveredOrder(t, 9900), openCase(t, refundOnly, quality), "2026-03-02 10:00",
			"auto_approve.above_ceiling", "申请金额99.00元超过商家设置的98.99元，不自动确认退款", "the request asks 99.00, above the merchant's ceiling of 98.99 for automatic approval"},
		{"automatic approval up to 50.00, asked 99.00", &policy.AutoApprove{Enabled: true}, deliveredOrder(t, 9900), openCase(t, refundOnly, quality), "2026-03-02 10:00",
			"auto_approve.above_ceiling", "申请金额99.00元超过商家设置的50.00元，不自动确认退款", "the request asks 99.00, above the merchant's ceiling of 50.00 for automatic approval"},
		{"automatic approval up to 50.00, asked 50.00", &policy.AutoApprove{Enabled: true}, deliveredOrder(t, 9900), openCaseFor(t, refundOnly, quality, aftersale.Yuan(50)), "2026-03-02 10:00",
			"auto_approve.at_or_below_ceiling", "仅退款金额不超过商家设置的50.00元，系统自动确认退款", "refund_only at or below the merchant's ceiling of 50.00: approved at once"},

		// Delivered 03-01 15:00: a 10-day insurance window runs 03-02 to 03-11.
		{"10-day insurance window, shipped back on the 11th day", &policy.FreightSubsidy{WindowDays: 10}, insuredOrder(t), returnedCase(t, noReason, "2026-03-12", "SF", 1200), "2026-03-13 10:00",
			"freight_subsidy.shipped_late", "签收后10天的运费险期限已于2026-03-12 00:00结束，寄回过晚", "the goods were shipped back after the 10-day window of the freight insurance ended at 2026-03-12 00:00"},
		{"15-day insurance window, shipped back on the 16th day", &policy.FreightSubsidy{}, insuredOrder(t), returnedCase(t, noReason, "2026-03-17", "SF", 1200), "2026-03-18 10:00",
			"freight_subsidy.shipped_late", "签收后15天的运费险期限已于2026-03-17 00:00结束，寄回过晚", "the goods were shipped back after the 15-day window of the freight insurance ended at 2026-03-17 00:00"},
		{"designated carriers", &policy.FreightSubsidy{Carriers: []string{"SF", "JD"}}, insuredOrder(t), returnedCase(t, noReason, "2026-03-02", "YTO", 1200), "2026-03-03 10:00",
			"freight_subsidy.carrier", "未使用运费险指定的物流寄回（指定物流：SF、JD）", "the goods were not shipped back with a carrier the freight insurance designates (SF, JD)"},
		{"cap 15.00, 20.00 already paid", &policy.FreightSubsidy{Cap: aftersale.Yuan(15)}, compensated(t), returnedCase(t, noReason, "2026-03-02", "SF", 1200), "2026-03-04 10:00",
			"freight_subsidy.cap_reached", "本订单运费险已赔付20.00元，已达每单15.00元上限", "the freight insurance already paid 20.00 for the order, its cap being 15.00 per order"},
		{"cap 20.00, 20.00 already paid", &policy.FreightSubsidy{}, compensated(t), returnedCase(t, noReason, "2026-03-02", "SF", 1200), "2026-03-04 10:00",
			"freight_subsidy.cap_reached", "本订单运费险已赔付20.00元，已达每单20.00元上限", "the freight insurance already paid 20.00 for the order, its cap being 20.00 per order"},
		{"cap 10.00, no reason, freight 12.00: the insurance pays to its cap, and says so", &policy.FreightSubsidy{Cap: aftersale.Yuan(10)}, insuredOrder(t), returnedCase(t, noReason, "2026-03-02", "SF", 1200), "2026-03-04 10:00",
			"freight_subsidy.insured", "运费险赔付退货运费12.00元中的10.00元（每单上限10.00元），其余2.00元由买家承担", "the freight insurance pays 10.00 of the 12.00 return freight, its cap being 10.00 per order; the buyer bears the other 2.00"},
		{"designated carriers, quality, another carrier: the merchant pays, and the note says why the insurance did not", &policy.FreightSubsidy{Carriers: []string{"SF", "JD"}}, insuredOrder(t), returnedCase(t, quality, "2026-03-02", "YTO", 1200), "2026-03-03 10:00",
			"freight_subsidy.merchant_fault", "商家责任，商家承担全部退货运费（运费险未赔付：未使用运费险指定的物流寄回（指定物流：SF、JD））",
			"the merchant's fault: the merchant pays the whole return freight (the freight insurance paid nothing: the goods were not shipped back with a carrier the freight insurance designates (SF, JD))"},
		{"cap 10.00, quality, freight 12.00: the insurance first, the merchant the rest", &policy.FreightSubsidy{Cap: aftersale.Yuan(10)}, insuredOrder(t), returnedCase(t, quality, "2026-03-02", "SF", 1200), "2026-03-04 10:00",
			"freight_subsidy.insured_then_merchant", "商家责任：运费险先赔付10.00元，其余2.00元由商家承担", "the merchant's fault: the freight insurance pays 10.00 first, the merchant the other 2.00"},

		{"2 refunds in 14 days", &policy.AbuseGuard{MaxRefunds: 2, Days: 14, History: history}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"abuse_guard.too_many_refunds", "买家自2026-02-15 11:00起的14天内已退款3次（满2次即需商家审核），不予自动通过",
			"the buyer was refunded 3 times in the 14 days since 2026-02-15 11:00 (2 or more need the merchant's review): no automatic approval"},
		{"5 refunds in 30 days", &policy.AbuseGuard{History: fiveRefunds}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:00",
			"abuse_guard.too_many_refunds", "买家自2026-01-30 11:00起的30天内已退款5次（满5次即需商家审核），不予自动通过",
			"the buyer was refunded 5 times in the 30 days since 2026-01-30 11:00 (5 or more need the merchant's review): no automatic approval"},
		{"1 refund in 2 days, asked at 11:00:45: the boundary to the second", &policy.AbuseGuard{MaxRefunds: 1, Days: 2, History: history}, fastOrder(9900), openCase(t, refundOnly, quality), "2026-03-01 11:00:45",
			"abuse_guard.too_many_refunds", "买家自2026-02-27 11:00:45起的2天内已退款1次（满1次即需商家审核），不予自动通过",
			"the buyer was refunded once in the 2 days since 2026-02-27 11:00:45 (1 or more need the merchant's review): no automatic approval"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := decide(t, tc.policy, aftersale.Query{Order: tc.order, Case: tc.c, At: at(t, tc.asked), Zone: zone})
			if d.Rule != tc.rule || d.Zh != tc.zh || d.En != tc.en {
				t.Errorf("got %s\n  %s\n  %s\nwant %s\n  %s\n  %s", d.Rule, d.Zh, d.En, tc.rule, tc.zh, tc.en)
			}
		})
	}
}

// TestFastRefundDefaultMessagesReadLikeOthers: the default bounds' messages
// (written out, see FastRefund) say what any other bound's would.
func TestFastRefundDefaultMessagesReadLikeOthers(t *testing.T) {
	order := func(amount aftersale.Money) *aftersale.Order {
		return &aftersale.Order{ID: "o-1", Amount: amount, PaidAt: at(t, "2026-03-01 10:00"), Flags: aftersale.FlagFastRefund}
	}
	c := openCase(t, refundOnly, quality)
	for _, tc := range []struct {
		name     string
		other    *policy.FastRefund
		amount   aftersale.Money
		asked    string
		from, to []string // what turns the other bound's message into the default's
	}{
		{"too much", &policy.FastRefund{Below: aftersale.Yuan(299)}, aftersale.Yuan(300), "2026-03-01 11:00", []string{"299.00"}, []string{"300.00"}},
		{"approved", &policy.FastRefund{Within: 5 * time.Hour, Below: aftersale.Yuan(299)}, 9900, "2026-03-01 11:00", []string{"5小时", "5h", "299.00"}, []string{"6小时", "6h", "300.00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := aftersale.Query{Order: order(tc.amount), Case: c, At: at(t, tc.asked), Zone: zone}
			other, def := recorded(tc.other, tc.other.Approve(q)), recorded(tc.other, (&policy.FastRefund{}).Approve(q))
			for i := range tc.from {
				other.Zh = strings.ReplaceAll(other.Zh, tc.from[i], tc.to[i])
				other.En = strings.ReplaceAll(other.En, tc.from[i], tc.to[i])
			}
			if other != def {
				t.Errorf("the default bound's message\n  %+v\nreads unlike another's\n  %+v", def, other)
			}
		})
	}
}

// TestEligibleRequestsAllocateNothing: what the default policies answer
// about a request they let through, and about a refund with compensation,
// is fixed text; the compensation's lines are one allocation.
func TestEligibleRequestsAllocateNothing(t *testing.T) {
	fast := &aftersale.Order{ID: "o-1", Buyer: "b-1", Amount: aftersale.Yuan(300), PaidAt: at(t, "2026-03-01 10:00"), Flags: aftersale.FlagFastRefund}
	fastSmall := &aftersale.Order{ID: "o-1", Buyer: "b-1", Amount: aftersale.Yuan(99), PaidAt: at(t, "2026-03-01 10:00"), Flags: aftersale.FlagFastRefund}
	insured := deliveredOrder(t, 9900)
	insured.Flags = aftersale.FlagFreightInsurance
	for _, tc := range []struct {
		name   string
		order  *aftersale.Order
		c      *aftersale.Case
		asked  string
		allocs float64 // what the answers must allocate: a compensation's lines, once per case
	}{
		{"a quality return in the after-sale period", deliveredOrder(t, 9900), openCase(t, returnRefund, quality), "2026-03-05 10:00", 0},
		{"a no-reason return in the window", deliveredOrder(t, 9900), openCase(t, returnRefund, noReason), "2026-03-05 10:00", 0},
		{"refund_only before shipment, refunded at once by fast refund", fastSmall, openCase(t, refundOnly, quality), "2026-03-01 11:00", 0},
		{"refund_only before shipment, too much for a fast refund", fast, openCase(t, refundOnly, quality), "2026-03-01 11:00", 0},
		{"the refund of an insured return: its one line", insured, returnedCase(t, noReason, "2026-03-02", "SF", 1200), "2026-03-04 10:00", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := aftersale.Query{Order: tc.order, Case: tc.c, At: at(t, tc.asked), Zone: zone}
			policies := policy.Default().Policies
			if n := testing.AllocsPerRun(100, func() {
				for _, p := range policies {
					if _, ok := p.(aftersale.Schedule); !ok {
						decide(t, p, q)
					}
				}
			}); n != tc.allocs {
				t.Errorf("%v allocations, want %v", n, tc.allocs)
			}
		})
	}
}
