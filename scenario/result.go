package scenario

import (
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Result is what playing a scenario gave: its timeline and every
// expectation that did not hold. Its JSON form is what the runner's -json
// flag prints for each file.
type Result struct {
	File   string `json:"file"`
	Name   string `json:"name"`
	Passed bool   `json:"passed"` // no failures
	// Failures lists what went wrong, in step order: expectations that did
	// not hold, and actions that failed although no error was expected.
	Failures []Failure `json:"failures"`
	// Timeline lists everything that happened, in order.
	Timeline []Row `json:"timeline"`
	// Order is the order as the scenario left it, for a Go test that wants
	// to look further.
	Order *aftersale.Order `json:"-"`
}

// Failure is one thing a scenario expected that did not happen: an
// expectation that did not hold, an action that failed without an error
// expectation, or an expected error that did not come.
type Failure struct {
	Step  int    `json:"step"`  // counting from 1
	Field string `json:"field"` // the expect field, such as "state" or "error"
	Want  string `json:"want"`
	Got   string `json:"got"`
}

// Row is one line of a scenario's timeline: an event appended to a case
// (by a step's action, or by the system when a deadline passed or a
// service-level promise was broken), an order fact, or an action that was
// refused or was a repeat and changed nothing.
type Row struct {
	// Step is the step that led to the row, counting from 1. A deadline
	// that fell due belongs to the step that moved the clock past it.
	Step int `json:"step"`
	// Deadline numbers the rows of deadlines that passed (or promises
	// broken), counting from 1 through the scenario; zero for any other
	// row. The text form shows it instead of Step, as D1, D2..., so a
	// deadline's row does not read as the step's own action.
	Deadline int `json:"deadline,omitzero"`
	// At is when it happened, in the scenario's zone.
	At     time.Time        `json:"at"`
	Actor  aftersale.Actor  `json:"actor"`
	Action aftersale.Action `json:"action"`
	// Args are the action's key arguments in words, such as
	// "return_refund quality 299.00" or "SF SF1001, freight 12.00".
	Args string `json:"args,omitzero"`
	// Case is the case the row is about; empty for an order fact.
	Case string `json:"case,omitzero"`
	// From and To are the case's states before and after; both zero when
	// nothing changed. From is zero for the request that opened the case.
	From   aftersale.State        `json:"from,omitzero"`
	To     aftersale.State        `json:"to,omitzero"`
	Closed aftersale.ClosedReason `json:"closed_reason,omitzero"`
	// Decision is the policy decision recorded with the event.
	Decision aftersale.Decision `json:"decision,omitzero"`
	// CompensationDecision is the compensator's decision recorded with an
	// event that took the case into refunding.
	CompensationDecision aftersale.Decision `json:"compensation_decision,omitzero"`
	// Warnings names the decisions of the event that a scenario's author
	// should not miss although nothing failed: each policy decision with
	// verdict deny (a veto, a compensation refused, a promise broken),
	// and a designated-carrier refusal of the freight insurance
	// (freight_subsidy.carrier) whatever its verdict, by rule id (by
	// policy name for a decision without one). The text form starts the
	// note of each with "warning: " (警告：). Empty on a row that
	// recorded no event: a refusal or a repeat says so itself.
	Warnings []string `json:"warnings,omitempty"`
	// Refused is the error code of an action the engine refused.
	Refused aftersale.Code `json:"refused,omitzero"`
	// Repeat is set for an action whose idempotency key was applied before.
	Repeat bool `json:"repeat,omitzero"`
	// Message explains a refusal, a repeat or an order fact.
	Message string `json:"message,omitzero"`
	// MessageZh is Message in Chinese, where it has a Chinese form: an
	// order fact, a repeat, the reasons a request is not eligible, any
	// other refusal.
	MessageZh string `json:"message_zh,omitzero"`
}
