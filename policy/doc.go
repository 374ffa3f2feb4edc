// Package policy holds the pluggable rules of the after-sale engine and the
// default rule set, modelled on a Kuaishou-like platform (快手小店).
//
// Each policy is a small struct whose exported fields are its parameters.
// A zero field takes the documented default (the one RULES.md gives), so &FreightSubsidy{} is the default subsidy and
// &FreightSubsidy{Cap: aftersale.Yuan(30)} changes one number. The same
// fields are the policy's JSON form, which scenario files use to override
// parameters by policy name.
//
// The policies have pointer receivers, so a rule set holds pointers to
// them, as Default does. Each is pure: the same parameters and query give
// the same answer. A policy answers with an aftersale.Answer: a verdict
// and the aftersale.Rule that decided it, whose id starts with the
// policy's name, such as "seven_day_no_reason.window_passed"; hosts store
// these ids, so they do not change. Rules whose messages never change are
// package variables, shared by every answer; when a parameter decided (a
// window passed, a cap reached) the rule is made for the answer and its
// Chinese and English messages state the value in effect and the
// boundary. A policy with nothing to say answers with the zero Answer:
// resubmission under its cap, abuse_guard for a buyer with few refunds or
// without a History, freight_subsidy for a case with no return freight.
//
// The policies, with their default parameters, and what they do in the
// engine:
//
//	unshipped_refund       Grant     refund_only before shipment, any reason
//	guaranteed_return_30d  Grant     returns of tagged goods until the end of the 30th day after shipment
//	seven_day_no_reason    Grant     no-reason returns until the end of the 7th day after delivery
//	after_sale_window      Grant     other reasons until the end of the 15th day after delivery
//	repair_warranty        Grant     repairs of a fault of the merchant's until the end of the 365th day after delivery
//	resubmission           Limit     at most 3 cases per order line
//	fast_refund            Approver  refund_only approved at once: <6 h after payment, <300.00, unshipped
//	auto_approve           Approver  off; if the merchant enables it, refund_only up to 50.00 approved at once
//	abuse_guard            Approver  vetoes automatic approvals for buyers with many recent refunds
//	freight_subsidy        Compensator  return freight back in lines by payer: the merchant all of it for its fault, the freight insurance first up to 20.00 per order
//	deadlines              Schedule  the review, return and receipt timeouts and the refund promises
//
// A request is eligible when at least one Grant covers it and no Limit
// forbids it; a denial lists every reason. The refund cap (refunds never
// add up to more than was paid) is not a policy here: it is an invariant
// that package aftersale enforces for every rule set, and its refusals are
// labelled refund_cap.
//
// Default returns the whole set. A host changes a parameter with
// Rules.Replace, drops a policy with Rules.Without, and adds its own with
// Rules.Insert:
//
//	rules := policy.Default().
//		Replace(&policy.FreightSubsidy{Cap: aftersale.Yuan(30)}).
//		Without("fast_refund")
//	engine, err := aftersale.New(aftersale.Config{Rules: rules})
package policy
