package scenario

import (
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// DefaultCase is the case a step addresses when it names none.
const DefaultCase = "c1"

// Scenario is a decoded scenario file: an order, the rules it is played
// under and the steps that happen to it. Parse and Load build one from a
// file; a Go test may also build one by hand.
//
// A Scenario is only read by Play, so one Scenario can be played any number
// of times, each time from the order's facts as written.
type Scenario struct {
	// File names the scenario in results and errors, usually its path.
	File string
	// Name says in words what the scenario shows.
	Name string
	// Zone is the platform's time zone: calendar days and business days are
	// counted in it, and the timeline is printed in it. Nil: timeline.UTC8().
	Zone *time.Location
	// Rules are the policies the engine plays the scenario under: Base with
	// the file's "policy" overrides.
	Rules aftersale.Rules
	// Base are the rules the file's overrides applied to, as given to Parse
	// (with the buyer's earlier refunds, a fact of the order, in the abuse
	// guard as in Rules): what BaselineVariants plays as the baseline. A
	// scenario built by hand without it has no baseline.
	Base aftersale.Rules
	// Sweep is the file's "sweep": a parameter and the values to play the
	// scenario with, one play each (see PlaySweep); nil for none. Play
	// itself plays the scenario as written and ignores it.
	Sweep *Sweep
	// Order holds the order's facts before the first step. It has no cases.
	Order aftersale.Order
	// Steps happen in order; step n of the file is Steps[n-1].
	Steps []Step
}

// Step is one step of a scenario: the clock moves to At, firing every
// deadline due by then; then the Command, if any, is sent; then Expect is
// checked.
type Step struct {
	// At is when the step happens. The clock starts at the order's PaidAt;
	// a zero At leaves it where the step before left it. Parse resolves the
	// file's at and after into At, and never lets it go backwards.
	At time.Time
	// Command is the action the step performs; a zero Action means none.
	Command aftersale.Command
	// Expect is what must hold after the step. The zero Expect checks
	// nothing but that the Command, if any, succeeds.
	Expect Expect
}

// Expect is what a step expects. Every field is optional: a zero (or nil)
// field is not checked.
type Expect struct {
	// Case is the case the expectation checks. Empty: DefaultCase.
	Case string
	// State, Kind and ClosedReason are compared with the case's.
	State        aftersale.State
	Kind         aftersale.Kind
	ClosedReason aftersale.ClosedReason
	// Refunded is the money the case has refunded.
	Refunded *aftersale.Money
	// Compensation is the total compensation decided for its refund,
	// such as the return freight, all payers together.
	Compensation *aftersale.Money
	// CompensationBy is the same by payer; a payer left out pays nothing.
	CompensationBy map[aftersale.Payer]aftersale.Money
	// DecidedBy is the policy that decided the case's last event.
	DecidedBy string
	// NextDeadline is the case's pending deadline, compared as an instant.
	NextDeadline time.Time
	// Error is the code the step's Command must fail with; the order must
	// then be exactly as it was before the Command. Zero: the Command must
	// succeed.
	Error aftersale.Code
}

// checksCase reports whether the expectation looks at the case, beyond
// the outcome of the step's command.
func (x *Expect) checksCase() bool {
	return x.State != 0 || x.Kind != 0 || x.ClosedReason != 0 || x.Refunded != nil ||
		x.Compensation != nil || x.CompensationBy != nil || x.DecidedBy != "" || !x.NextDeadline.IsZero()
}

// caseID returns the case the expectation checks.
func (x *Expect) caseID() string {
	if x.Case == "" {
		return DefaultCase
	}
	return x.Case
}
