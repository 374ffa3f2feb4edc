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
	// review            pending_review                                 48 hours        RULES.md 4.1
	// interception      intercepting                                   5 days          RULES.md 4.2
	// return            awaiting_return                                10 days         RULES.md 4.3
	// return_transit    return_in_transit                              10 days         RULES.md 4.4
	// negotiation       negotiating                                    48 hours        RULES.md 4.5, assumed
	// escalation        rejected                                       7 days          RULES.md 4.6, assumed (buyers elsewhere get a week to escalate or resubmit)
	// reship            awaiting_reship                                7 days          RULES.md 4.7, assumed
	// repair            awaiting_reship, for a repair                  15 days         RULES.md 4.7, assumed (三包: a repair is finished within 15 days)
	// reship_transit    reship_in_transit                              10 days         RULES.md 4.8, assumed
	// guaranteed_refund refunding, for cases the 30-day guarantee covered 24 hours        RULES.md 4.9
	// no_reason_refund  refunding, for goods returned without a reason 7 days          RULES.md 4.10 (Consumer Protection Law art. 25)
	// refund_days       refunding                                      7 business days RULES.md 4.11
	// arbitration_days  arbitration                                    7 business days RULES.md 4.12
	// refund_failed     refund_failed                                  24 hours        RULES.md 4.13, assumed
	// realert           (each alert)                                   24 hours        RULES.md 4.14, assumed
}
