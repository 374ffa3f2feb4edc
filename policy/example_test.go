package policy_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// NoReasonUnderwear is a host's own policy: no no-reason returns on
// underwear, whose SKUs start with "UW-".
type NoReasonUnderwear struct{}

func (NoReasonUnderwear) Name() string { return "no_reason_underwear" }

// underwearDenied is the decision NoReasonUnderwear takes.
var underwearDenied = aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule("no_reason_underwear.sku",
	"贴身衣物不支持七天无理由退货", "underwear cannot be returned without a reason")}

// Check forbids a no-reason request that covers an underwear line; it has
// nothing to say (the zero Answer) about any other.
func (p NoReasonUnderwear) Check(q aftersale.Query) aftersale.Answer {
	if q.Case.Reason() != aftersale.ReasonNoReason {
		return aftersale.Answer{}
	}
	for _, l := range q.Order.Lines {
		covered := len(q.Case.Lines()) == 0
		for _, u := range q.Case.Lines() {
			covered = covered || u.Line == l.ID
		}
		if covered && strings.HasPrefix(l.SKU, "UW-") {
			return underwearDenied
		}
	}
	return aftersale.Answer{}
}

// HolidayExtension is a host's own schedule: during a holiday season,
// every deadline the buyer must meet is three days later.
type HolidayExtension struct {
	aftersale.Deadlines
	Extra time.Duration
}

func (HolidayExtension) Name() string { return "holiday_deadlines" }

func (h HolidayExtension) Due(q aftersale.Query, s aftersale.State, since time.Time, repeat bool) time.Time {
	due := h.Deadlines.Due(q, s, since, repeat)
	if s.Waiting() == aftersale.ActorBuyer {
		due = due.Add(h.Extra)
	}
	return due
}

func exampleOrder() *aftersale.Order {
	z := timeline.UTC8()
	return &aftersale.Order{
		ID: "o-7", Buyer: "b-7", Amount: aftersale.Yuan(158),
		PaidAt:      time.Date(2026, 3, 1, 10, 0, 0, 0, z),
		ShippedAt:   time.Date(2026, 3, 1, 18, 0, 0, 0, z),
		DeliveredAt: time.Date(2026, 3, 3, 11, 0, 0, 0, z),
		Lines: []aftersale.Line{
			{ID: "l1", SKU: "UW-32B", Quantity: 1, Paid: aftersale.Yuan(58)},
			{ID: "l2", SKU: "TEE-L", Quantity: 1, Paid: aftersale.Yuan(100)},
		},
	}
}

func noReasonReturn(line string) aftersale.Command {
	return aftersale.Command{
		Case: "c-" + line, Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonNoReason,
		Lines: []aftersale.Units{{Line: line, Quantity: 1}},
	}
}

func ExampleDefault() {
	rules := policy.Default()
	fmt.Println(rules.Version)
	for _, p := range rules.Policies {
		fmt.Print(p.Name(), " ")
	}
	fmt.Println()
	// Output:
	// kuaishou-default-2026.12
	// unshipped_refund guaranteed_return_30d seven_day_no_reason after_sale_window repair_warranty resubmission fast_refund auto_approve abuse_guard freight_subsidy deadlines
}

// A host adds its own limit: no no-reason returns on underwear.
func Example_customPolicy() {
	rules := policy.Default().Insert("resubmission", NoReasonUnderwear{})
	engine, _ := aftersale.New(aftersale.Config{Rules: rules})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 20, 0, 0, 0, timeline.UTC8())
	_, err := engine.ApplyAt(now, order, noReasonReturn("l1"))
	fmt.Println(err)
	out, err := engine.ApplyAt(now, order, noReasonReturn("l2"))
	fmt.Println(out.Case.State(), out.Event.Decision.Policy, err)
	// Output:
	// aftersale: not_eligible: a limit forbids the request: no_reason_underwear: underwear cannot be returned without a reason
	// pending_review seven_day_no_reason <nil>
}

// A host changes one parameter: the freight subsidy cap goes up to 30.00.
func Example_changeParameter() {
	rules := policy.Default().Replace(&policy.FreightSubsidy{Cap: aftersale.Yuan(30)})
	fs := rules.Lookup("freight_subsidy").(*policy.FreightSubsidy)
	fmt.Println(fs.Cap, fs.WindowDays == 0)
	// Output: 30.00 true
}

// A host switches a policy off: no fast refund on this platform.
func Example_dropPolicy() {
	rules := policy.Default().Without("fast_refund")
	fmt.Println(rules.Lookup("fast_refund") == nil, len(rules.Policies))
	// Output: true 10
}

// A host orders its policies: here the seven-day rule is recorded ahead of
// the 30-day guarantee when both cover a request (the default is the other
// way round), so the case does not carry the guarantee's 24-hour promise.
func Example_order() {
	rules := policy.Default().Without("seven_day_no_reason").Insert("guaranteed_return_30d", &policy.SevenDay{})
	engine, _ := aftersale.New(aftersale.Config{Rules: rules})
	order := exampleOrder()
	order.Tags = aftersale.TagGuaranteedReturn
	out, _ := engine.ApplyAt(time.Date(2026, 3, 4, 20, 0, 0, 0, timeline.UTC8()), order, noReasonReturn("l2"))
	fmt.Println(out.Event.Decision.Policy)
	// Output: seven_day_no_reason
}

// A host's own schedule: buyers get three more days in the holiday season.
func Example_holidayExtension() {
	rules := policy.Default().Without("deadlines").Replace(HolidayExtension{Extra: 3 * timeline.Day})
	engine, _ := aftersale.New(aftersale.Config{Rules: rules})
	order := exampleOrder()
	z := timeline.UTC8()
	engine.ApplyAt(time.Date(2026, 3, 4, 20, 0, 0, 0, z), order, noReasonReturn("l2"))
	out, _ := engine.ApplyAt(time.Date(2026, 3, 5, 9, 0, 0, 0, z), order, aftersale.Command{
		Case: "c-l2", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove,
	})
	fmt.Println("ship back by", out.Case.Deadline().At.Format("01-02 15:04"), "(10 days + 3)")
	// Output: ship back by 03-18 09:00 (10 days + 3)
}

func ExampleRefundTimes() {
	z := timeline.UTC8()
	h := policy.RefundTimes{"b-1": {time.Date(2026, 2, 1, 0, 0, 0, 0, z), time.Date(2026, 2, 20, 0, 0, 0, 0, z)}}
	fmt.Println(h.Refunds("b-1", time.Date(2026, 2, 10, 0, 0, 0, 0, z), time.Date(2026, 3, 10, 0, 0, 0, 0, z)))
	// Output: 1
}

// A merchant switches automatic approval on (自动确认退款): a refund_only
// request of at most 50.00 is refunded at once; one fen more waits for
// the merchant.
func ExampleAutoApprove() {
	rules := policy.Default().Replace(&policy.AutoApprove{Enabled: true})
	engine, _ := aftersale.New(aftersale.Config{Rules: rules})
	order := exampleOrder()
	now := time.Date(2026, 3, 4, 20, 0, 0, 0, timeline.UTC8())
	for _, ask := range []struct {
		line   string
		amount aftersale.Money
	}{{"l2", aftersale.Yuan(50)}, {"l1", aftersale.Yuan(50) + 1}} {
		out, err := engine.ApplyAt(now, order, aftersale.Command{
			Case: "c-" + ask.line, Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
			Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonDamaged, Amount: ask.amount,
			Lines: []aftersale.Units{{Line: ask.line, Quantity: 1}},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ask.amount, out.Case.State(), out.Event.Decision.Policy+":", out.Event.Decision.En)
	}
	// Output:
	// 50.00 refunding auto_approve: refund_only at or below the merchant's ceiling of 50.00: approved at once
	// 50.01 pending_review after_sale_window: within the after-sale period
}

// A kettle delivered in March stops heating in the summer: past every
// return window, but within the year of the warranty, so it goes back for
// repair.
func ExampleRepairWarranty() {
	engine, _ := aftersale.New(aftersale.Config{Rules: policy.Default()})
	order := exampleOrder()
	out, err := engine.ApplyAt(time.Date(2026, 7, 20, 9, 0, 0, 0, timeline.UTC8()), order, aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: aftersale.KindRepair, Reason: aftersale.ReasonQuality,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Case.State(), out.Event.Decision.Policy+":", out.Event.Decision.En)
	// Output:
	// pending_review repair_warranty: within the 365-day warranty: a fault of the merchant's is repaired
}
