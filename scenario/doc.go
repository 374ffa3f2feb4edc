// Package scenario reads and plays scenario files: after-sale stories
// written in JSON by a policy team, without Go, to see what the rules do
// and to pin it down. A scenario file describes one order, the rules it is
// played under, and what happens to it, step by step, with what must hold
// after each step. Playing it prints every case's timeline and says which
// expectations failed; the runner (go run ./examples/scenarios FILE...)
// does that from the command line, and a Go test can do it with Load and
// Play. A sweep plays the file once for each value of one parameter and
// compares the plays in one table.
//
// # The file
//
// A scenario is a JSON object:
//
//	{
//	  "name": "fast refund: 5h59m after payment, 299.99 yuan, unshipped",
//	  "zone": "+08:00",
//	  "policy": {"freight_subsidy": {"cap": "20.00"}},
//	  "order": {"id": "o-1", "amount": "299.99", "paid_at": "2026-03-01T10:00:00+08:00",
//	            "flags": ["fast_refund"]},
//	  "steps": [
//	    {"at": "2026-03-01T15:59:00+08:00", "actor": "buyer", "action": "request",
//	     "kind": "refund_only", "reason": "mistaken_purchase"},
//	    {"expect": {"state": "refunding", "decided_by": "fast_refund"}},
//	    {"after": "1h", "actor": "system", "action": "refund_succeeded"},
//	    {"expect": {"state": "refunded", "refunded": "299.99"}}
//	  ]
//	}
//
// name says in words what the scenario shows. zone is the platform's time
// zone as a fixed offset ("+08:00", "-05:00", "Z" or "UTC"; default
// "+08:00"); calendar and business days are counted in it and the timeline
// is shown in it. Times are RFC 3339; money is a string with at most two
// decimals ("299.00"), never a number.
//
// policy changes the default rules (policy.Default) by policy name: the
// parameters given are read over the policy's defaults, strictly, so
// {"deadlines": {"review": "72h"}} changes one deadline and keeps the
// others. As an extension of the specification, null drops a policy:
// {"fast_refund": null} plays the scenario without fast refunds. sweep
// names one parameter and the values to play the scenario with, one play
// each (see Sweeps and baselines).
//
// order holds the facts of aftersale.Order: id, amount, paid_at,
// shipped_at and delivered_at (null or absent: not yet), category, flags,
// tags and lines. As extensions, "buyer" names the buyer, and the
// top-level "buyer_refunds" lists the times of that buyer's earlier
// refunds, which the abuse_guard policy counts.
//
// # Steps
//
// The clock is a mock; it starts when the order was paid and moves only
// with the steps. Each step, in order:
//
//  1. moves the clock to "at", or forward by "after" (a Go duration such as
//     "90m", or "10d" for days of 24 hours), and brings the order there:
//     every deadline due by then fires first, in due order, each stamped
//     with its own time and numbered in the timeline on its own (D1, D2...),
//     not as the step. A step never moves the clock backwards;
//  2. performs its action, if it has one: "actor" and "action" with the
//     action's arguments kind, reason, amount, lines, note, carrier,
//     waybill, freight, ruling ("buyer" or "merchant"), return_goods, key
//     (an idempotency key) and version (the case version the step saw),
//     read as aftersale.Command's JSON form reads them: a field given its
//     zero value ("", "0.00", false, 0) is refused, leave it out instead.
//     The engine decides which arguments go with which action, as it would
//     for a host's command, and refuses a command with a missing or stray
//     one as invalid_input; the timeline then says which arguments the
//     action takes ("reason does not go with reject (reject takes note)").
//     The order facts {"actor": "system", "action": "shipped"} and
//     "delivered" take no case;
//  3. checks its "expect", if it has one, against the case as it is now:
//     state, kind, closed_reason, refunded, compensation (the return
//     freight paid back, all payers), compensation_by (the same by payer,
//     {"insurance": "20.00", "merchant": "5.00"}; a payer left out pays
//     nothing), decided_by (a policy that decided the case's last event),
//     next_deadline, and error, the code the step's action must fail with
//     (not_eligible, not_permitted, invalid_input, conflict,
//     clock_regressed or not_found), in which case the order must be
//     exactly as it was.
//
// "case" names the case a step addresses, "c1" when absent. A request with
// a new name opens another case, so one file can tell the story of several
// cases of an order; on an order fact, "case" is the case the step's expect
// checks.
//
// An action that fails where no error was expected fails the scenario, as
// does an expected error that did not come or an expectation that did not
// hold; playing goes on to the end, so one run shows every failure.
//
// # Warnings
//
// Some decisions change the outcome without anything failing: a policy
// that says no on an event that happened anyway (the abuse guard vetoing
// a fast refund, the freight insurance paying nothing, a refund later
// than promised), and above all the freight insurance refusing goods sent
// back with a carrier it does not designate (rule freight_subsidy.carrier),
// which leaves the buyer to bear the freight. So that no such trap goes
// unseen, the timeline marks each: every decision with verdict deny on an
// event that did not fail, and the carrier rule whatever its verdict. Its
// note starts with "warning: " (警告： in Chinese), and in the JSON form
// its row names it by rule id under "warnings" (Row.Warnings). A warning
// fails nothing: expect what the scenario should show. A refused action
// is not a warning; its row says "refused" already.
//
// # Sweeps and baselines
//
// What would another value of a parameter change? A file may name one
// parameter and the values to try:
//
//	"sweep": {"deadlines.review": ["12h", "24h", "36h", "48h"]}
//
// The key is <policy name>.<parameter>, the parameter by the JSON name
// the file's "policy" sets it with (go run ./examples/scenarios -params
// lists them); the values are in that parameter's own JSON form, exactly
// as "policy" takes them ("20.00" for money, 15 for days, ["SF"] for
// carriers). One parameter at a time, each value once. The scenario is
// played once per value, each over the file's own rules: the value
// replaces what the file's "policy" gives that parameter, and the file's
// other overrides stay. The runner's -sweep flag does the same from the
// command line (ParseSweep), replacing the file's sweep if it has one:
//
//	go run ./examples/scenarios -sweep deadlines.review=12h,24h,36h,48h FILE
//
// where a string needs no quotes (12h, 20.00), a number or true or false
// is one only for a parameter that takes it, and a list or object is
// written in JSON (-sweep 'freight_subsidy.carriers=[],["SF"]'). The
// runner's -baseline plays the file under policy.Default() untouched
// ("baseline") and under its own rules ("this file"), with -sweep before
// the swept values, all in one table.
//
// Playing a sweep gives a Comparison: per value, per case, the case's end
// state, kind, money refunded, compensation by payer, the deadlines that
// passed (pending_review→approve: whose deadline it was and what the
// system did), the warnings, and whether the file's expectations held
// under that value, "pass" or "fail step N", with each failure listed
// under the table:
//
//	deadlines.review  CASE  END STATE        KIND           REFUNDED  COMPENSATION  TIMED OUT               WARNINGS  EXPECT
//	24h               c1    awaiting_return  return_refund  0.00      -             pending_review→approve  -         pass
//	72h               c1    pending_review   return_refund  0.00      -             -                       -         fail step 2
//
// A value that breaks the file's expectations is an answer, not an error:
// expectations are written for the file's own rules, and a sweep asks what
// the others do. Its run says "fail step N"; it fails nothing else, and the
// runner exits 0 for a comparison it could play. An unknown policy or
// parameter, a value the parameter does not take and a value given twice
// are *Error naming the field (sweep.deadlines.review[1], or for the flag
// -sweep deadlines.review=2 days) with the decoder's messages: an unknown
// parameter lists the policy's. A sweep of a policy the file drops (null)
// is an error too.
//
// In Go, PlaySweep plays a sweep; SweepVariants and BaselineVariants give
// the rules of each play, and Compare plays any list of them.
//
// # Errors
//
// Parse is strict: an unknown field at any level, a value of the wrong
// type, an unknown name, bad money, a bad time, a step that moves time
// backwards or does nothing, and a step with both at and after are each an
// *Error naming the file, the step and the field:
//
//	fast.json: step 3: field "amount": money: "29.999" needs one or two decimals
//
// An unknown name says what the known ones are: an unknown field lists
// the object's fields, an unknown action, actor, kind, reason, state,
// category and so on lists the values, and an unknown policy parameter
// (a deadline too) lists the policy's parameters:
//
//	t.json: field "policy.deadlines.ship_return": unknown parameter; deadlines has review, interception, ...
//
// Errors that come from package aftersale keep their code in the chain
// (errors.Is(err, aftersale.ErrInvalidInput)).
//
// # Example
//
//	// The file's "policy" overrides apply to the platform's defaults here;
//	// a host passes its own rule set to play the file under it.
//	s, err := scenario.Load("examples/scenarios/review_timeout_approves.json", policy.Default())
//	if err != nil {
//		return err // names the file, the step and the field
//	}
//	res, err := scenario.Play(s)
//	if err != nil {
//		return err
//	}
//	if !res.Passed {
//		res.WriteText(os.Stderr) // the timeline, then each failure
//	}
package scenario
