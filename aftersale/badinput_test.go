package aftersale_test

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// badInput is an input the engine must refuse with code, changing nothing.
// The input is cmd, sent a minute after setup or at the time at gives; or,
// for what is not a command (a time, a stored form, an order whose facts
// are broken), try.
type badInput struct {
	name  string
	rules aftersale.Rules
	setup func(f *fixture)
	cmd   aftersale.Command
	at    func(f *fixture) time.Time
	try   func(f *fixture) error
	code  aftersale.Code
	rule  string // the id of the rule that refuses it
}

// dmt is Dublin Mean Time, whose offset from UTC has seconds, which RFC
// 3339 cannot write.
var dmt = time.FixedZone("DMT", -(25*60 + 21))

// TestBadInputChangesNothing sends malformed and out-of-place inputs and
// checks each is refused with its code and rule id, in English and
// Chinese (unreadable), and leaves the order deeply equal
// to what it was and its JSON byte for byte the same (fixture.fails, or
// fixture.refuses for inputs that are not commands).
func TestBadInputChangesNothing(t *testing.T) {
	reach := func(k aftersale.Kind, s aftersale.State) func(f *fixture) {
		return func(f *fixture) { f.reach(k, s) }
	}
	lines := func(f *fixture) {
		f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 3, Paid: aftersale.Yuan(200)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(99)}}
	}
	ask := func(units ...aftersale.Units) aftersale.Command {
		return with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case, c.Lines = "c2", units })
	}
	other := func(cmd aftersale.Command) aftersale.Command { cmd.Case = "c2"; return cmd }
	shipped := aftersale.Command{Actor: system, Action: aftersale.ActionShipped}
	delivered := aftersale.Command{Actor: system, Action: aftersale.ActionDelivered}
	stored := func(old, new string) func(f *fixture) error {
		return func(f *fixture) error {
			good := f.json()
			if !strings.Contains(good, old) {
				t.Fatalf("the stored order does not contain %s:\n%s", old, good)
			}
			return json.Unmarshal([]byte(strings.Replace(good, old, new, 1)), f.o)
		}
	}
	// broken has the host break the order's facts; a request on it must
	// be refused (the order cannot go through fixture.fails, which clones
	// it through its JSON).
	broken := func(change func(o *aftersale.Order)) func(f *fixture) { return func(f *fixture) { change(f.o) } }
	requestIt := func(f *fixture) error {
		_, err := f.e.ApplyAt(f.tick(), f.o, request(refundOnly, aftersale.ReasonQuality))
		return err
	}
	advance := func(at func(f *fixture) time.Time) func(f *fixture) error {
		return func(f *fixture) error { _, err := f.e.AdvanceTo(at(f), f.o); return err }
	}
	beforePayment := func(f *fixture) time.Time { return f.o.PaidAt.Add(-time.Minute) }
	beforeLast := func(f *fixture) time.Time { return f.now.Add(-time.Second) }
	afterDeadline := func(f *fixture) time.Time { return f.c("c1").Deadline().At.Add(time.Hour) }
	const (
		invalid     = aftersale.ErrInvalidInput
		notAllowed  = aftersale.ErrNotPermitted
		conflict    = aftersale.ErrConflict
		regressed   = aftersale.ErrClockRegressed
		notEligible = aftersale.ErrNotEligible
		notFound    = aftersale.ErrNotFound
	)
	for _, tc := range []badInput{
		// Money.
		{name: "propose a negative amount: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: propose(-1), code: invalid, rule: "money.out_of_range"},
		{name: "ship_return with negative freight: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Freight = -1 }), code: invalid, rule: "money.out_of_range"},
		{name: "request an amount past the overflow guard: invalid_input", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Amount = math.MaxInt64 }), code: invalid, rule: "money.out_of_range"},
		{name: "stored order with over-precise money (299.001): invalid_input", try: stored(`"amount":"299.00"`, `"amount":"299.001"`), code: invalid, rule: "money.decimals"},
		{name: "stored order with money as a JSON number: invalid_input", try: stored(`"amount":"299.00"`, `"amount":299`), code: invalid, rule: "money.not_string"},
		{name: "stored order with a negative amount: invalid_input", try: stored(`"amount":"299.00"`, `"amount":"-299.00"`), code: invalid, rule: "money.malformed"},
		{name: "stored order with an amount in exponent form: invalid_input", try: stored(`"amount":"299.00"`, `"amount":"2.99e2"`), code: invalid, rule: "money.decimals"},

		// Unknown enums.
		{name: "request with an unknown kind: invalid_input", cmd: request(9, aftersale.ReasonQuality), code: invalid, rule: "command.unknown_kind"},
		{name: "request with an unknown reason: invalid_input", cmd: request(refundOnly, 42), code: invalid, rule: "command.unknown_reason"},
		{name: "a command by an unknown actor: invalid_input", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Actor = 7 }), code: invalid, rule: "command.unknown_actor"},
		{name: "an unknown action: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: act(merchant, 99), code: invalid, rule: "command.unknown_action"},
		{name: "a ruling for an unknown party: invalid_input", setup: reach(refundOnly, aftersale.StateArbitration), cmd: with(act(platform, aftersale.ActionRule), func(c *aftersale.Command) { c.Ruling = 3 }), code: invalid, rule: "command.unknown_ruling"},
		{name: "stored order with an unknown category: invalid_input", try: stored(`"amount":"299.00"`, `"amount":"299.00","category":"furniture"`), code: invalid, rule: "json.unknown_name"},
		{name: "stored case in an unknown state: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			try: stored(`"state":"pending_review"`, `"state":"waiting"`), code: invalid, rule: "json.unknown_name"},
		{name: "a request on an order of an unknown category: invalid_input", setup: broken(func(o *aftersale.Order) { o.Category = 42 }), try: requestIt, code: invalid, rule: "order.unknown_category"},
		{name: "a request on an order with an unknown flag: invalid_input", setup: broken(func(o *aftersale.Order) { o.Flags = 1 << 6 }), try: requestIt, code: invalid, rule: "order.unknown_flags"},

		// Missing arguments.
		{name: "ship_return without a waybill: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Waybill = "" }), code: invalid, rule: "command.missing_argument"},
		{name: "ship_return without a carrier: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Carrier = "" }), code: invalid, rule: "command.missing_argument"},
		{name: "reship without a waybill: invalid_input", setup: reach(exchange, aftersale.StateAwaitingReship),
			cmd: with(reship(), func(c *aftersale.Command) { c.Waybill = "" }), code: invalid, rule: "command.missing_argument"},
		{name: "reject without a reason: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: act(merchant, aftersale.ActionReject), code: invalid, rule: "command.missing_argument"},
		{name: "resolve_offline without the buyer's agreement: invalid_input", setup: reach(returnRefund, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionResolveOffline), code: invalid, rule: "command.missing_argument"},
		{name: "submit_evidence without evidence: invalid_input", setup: reach(refundOnly, aftersale.StateArbitration), cmd: act(buyer, aftersale.ActionSubmitEvidence), code: invalid, rule: "command.missing_argument"},
		{name: "propose without an amount: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: act(merchant, aftersale.ActionPropose), code: invalid, rule: "command.missing_argument"},
		{name: "rule without a ruling: invalid_input", setup: reach(refundOnly, aftersale.StateArbitration), cmd: act(platform, aftersale.ActionRule), code: invalid, rule: "command.missing_argument"},
		{name: "request without a reason: invalid_input", cmd: request(refundOnly, 0), code: invalid, rule: "command.missing_argument"},
		{name: "an action that names no case: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: aftersale.Command{Actor: merchant, Action: aftersale.ActionApprove}, code: invalid, rule: "command.missing_argument"},

		// Time.
		{name: "a request stamped before the payment: invalid_input", cmd: request(refundOnly, aftersale.ReasonQuality), at: beforePayment, code: invalid, rule: "time.before_payment"},
		{name: "AdvanceTo a time before the payment: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), try: advance(beforePayment), code: invalid, rule: "time.before_payment"},
		{name: "an order paid in the year 1 (before 1970): invalid_input",
			setup: broken(func(o *aftersale.Order) { o.PaidAt = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC) }), try: requestIt, code: invalid, rule: "order.not_paid"},
		{name: "an order paid in 9999, whose deadlines no case could hold: invalid_input",
			setup: broken(func(o *aftersale.Order) {
				o.PaidAt, o.ShippedAt, o.DeliveredAt = time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC), time.Time{}, time.Time{}
			}), try: requestIt, code: invalid, rule: "time.out_of_range"},
		{name: "a request stamped at the first moment of 2200, after the last time an event may carry: invalid_input", cmd: request(refundOnly, aftersale.ReasonQuality),
			at: func(*fixture) time.Time { return time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) }, code: invalid, rule: "time.out_of_range"},
		{name: "a request stamped in the year 2300: invalid_input", cmd: request(refundOnly, aftersale.ReasonQuality),
			at: func(*fixture) time.Time { return time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, code: invalid, rule: "time.out_of_range"},
		{name: "AdvanceTo the year 2300: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			try: advance(func(*fixture) time.Time { return time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }), code: invalid, rule: "time.out_of_range"},
		{name: "a stored event in the year 3000: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			try: stored(`"at":"2026-03-04T09:01:00+08:00"`, `"at":"3000-03-04T09:01:00+08:00"`), code: invalid, rule: "json.bad_event"},
		{name: "an action stamped a second before the last event: clock_regressed", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionApprove), at: beforeLast, code: regressed, rule: "clock.regressed"},
		{name: "a request stamped before the delivery fact: clock_regressed", cmd: request(refundOnly, aftersale.ReasonQuality),
			at: func(f *fixture) time.Time { return f.o.DeliveredAt.Add(-time.Minute) }, code: regressed, rule: "clock.regressed"},
		{name: "AdvanceTo a second before the last event: clock_regressed", setup: reach(refundOnly, aftersale.StatePendingReview), try: advance(beforeLast), code: regressed, rule: "clock.regressed"},
		{name: "an order shipped before it was paid: invalid_input", setup: broken(func(o *aftersale.Order) { o.ShippedAt = o.PaidAt.Add(-time.Hour) }), try: requestIt, code: invalid, rule: "order.facts_out_of_order"},
		{name: "an order delivered before it was shipped: invalid_input", setup: broken(func(o *aftersale.Order) { o.DeliveredAt = o.ShippedAt.Add(-time.Hour) }), try: requestIt, code: invalid, rule: "order.facts_out_of_order"},

		// Actions out of place.
		{name: "approve before any request: not_found", cmd: act(merchant, aftersale.ActionApprove), code: notFound, rule: "case.not_found"},
		{name: "approve a case that was never requested: not_found", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: other(act(merchant, aftersale.ActionApprove)), code: notFound, rule: "case.not_found"},
		{name: "accept with no proposal: not_permitted", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: act(buyer, aftersale.ActionAccept), code: notAllowed, rule: "table.not_permitted"},
		{name: "ship_return before approval: not_permitted", setup: reach(returnRefund, aftersale.StatePendingReview), cmd: shipReturn(), code: notAllowed, rule: "table.not_permitted"},
		{name: "withdraw a refunded case: not_permitted", setup: reach(refundOnly, aftersale.StateRefunded), cmd: act(buyer, aftersale.ActionWithdraw), code: notAllowed, rule: "case.closed"},
		{name: "expire sent as a command: not_permitted", setup: reach(returnRefund, aftersale.StateAwaitingReturn), cmd: act(system, aftersale.ActionExpire), code: notAllowed, rule: "command.deadline_only"},
		{name: "sla_breached sent as a command: not_permitted", setup: reach(refundOnly, aftersale.StateRefunding), cmd: act(system, aftersale.ActionSLABreached), code: notAllowed, rule: "command.deadline_only"},
		{name: "a request by the merchant: not_permitted", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Actor = merchant }), code: notAllowed, rule: "table.wrong_actor"},
		{name: "approve by the buyer: not_permitted", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: act(buyer, aftersale.ActionApprove), code: notAllowed, rule: "table.wrong_actor"},
		{name: "reject during interception: not_permitted", setup: reach(refundOnly, aftersale.StateIntercepting), cmd: note(act(merchant, aftersale.ActionReject), "shipped"), code: notAllowed, rule: "table.intercepting_no_reject"},
		{name: "return_refund before delivery: not_permitted", setup: func(f *fixture) { f.undelivered() }, cmd: request(returnRefund, aftersale.ReasonQuality), code: notAllowed, rule: "order.not_delivered"},
		{name: "delivered before shipped: not_permitted", setup: func(f *fixture) { f.unshipped() }, cmd: delivered, code: notAllowed, rule: "order.not_shipped"},
		{name: "shipped twice: not_permitted", cmd: shipped, code: notAllowed, rule: "order.already_shipped"},
		{name: "a refused command does not fire the deadline it was sent after: not_permitted", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: act(buyer, aftersale.ActionApprove), at: afterDeadline, code: notAllowed, rule: "table.not_permitted"},

		// Conflicts.
		{name: "a stale version: conflict", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: with(act(buyer, aftersale.ActionAccept), func(c *aftersale.Command) { c.Version = 1 }), code: conflict, rule: "case.stale_version"},
		{name: "a second request while one is open on the same goods: conflict", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: ask(), code: conflict, rule: "line.open_case"},
		{name: "a second request on a line with an open case: conflict", setup: func(f *fixture) {
			lines(f)
			f.do(with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 1})))
		}, cmd: ask(aftersale.Units{Line: "l1", Quantity: 2}), code: conflict, rule: "line.open_case"},
		{name: "a case ID used twice: conflict", setup: reach(refundOnly, aftersale.StateClosed), cmd: request(refundOnly, aftersale.ReasonQuality), code: conflict, rule: "case.id_taken"},
		{name: "an idempotency key reused for another command: conflict", setup: func(f *fixture) {
			f.do(keyed(request(refundOnly, aftersale.ReasonQuality), "k-1"))
		}, cmd: keyed(act(merchant, aftersale.ActionApprove), "k-1"), code: conflict, rule: "key.reused"},
		{name: "a second request after the review deadline passed: conflict, and the deadline does not fire", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: ask(), at: afterDeadline, code: conflict, rule: "line.open_case"},
		{name: "a case opened under rules this engine does not hold: conflict", setup: func(f *fixture) {
			f.do(request(refundOnly, aftersale.ReasonQuality))
			e, err := aftersale.New(aftersale.Config{Rules: aftersale.Rules{Version: "v2"}, Zone: zone})
			if err != nil {
				t.Fatal(err)
			}
			f.e = e
		}, cmd: act(merchant, aftersale.ActionApprove), code: conflict, rule: "rules.not_held"},

		// Amounts beyond what is left.
		{name: "a request above the amount paid: invalid_input", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Amount = 29901 }), code: invalid, rule: "refund_cap.exceeded"},
		{name: "a request above the value of its units: invalid_input", setup: lines,
			cmd: with(ask(aftersale.Units{Line: "l2", Quantity: 1}), func(c *aftersale.Command) { c.Amount = 9901 }), code: invalid, rule: "line.above_value"},
		{name: "a request above what open cases leave: invalid_input", setup: func(f *fixture) {
			lines(f)
			f.do(with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 3})))
		}, cmd: with(ask(aftersale.Units{Line: "l2", Quantity: 1}), func(c *aftersale.Command) { c.Amount = aftersale.Yuan(100) }), code: invalid, rule: "line.above_value"},
		{name: "a request when nothing is left: invalid_input", setup: reach(refundOnly, aftersale.StateRefunded), cmd: ask(), code: invalid, rule: "refund_cap.nothing_left"},
		{name: "a proposal equal to the request: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: propose(aftersale.Yuan(299)), code: invalid, rule: "money.proposal_not_below"},
		{name: "a proposal above the request: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview), cmd: propose(aftersale.Yuan(300)), code: invalid, rule: "money.proposal_not_below"},
		{name: "a ruling above what is left: invalid_input", setup: reach(refundOnly, aftersale.StateArbitration),
			cmd: with(rule(aftersale.RulingForBuyer, false), func(c *aftersale.Command) { c.Amount = 29901 }), code: invalid, rule: "refund_cap.exceeded"},
		{name: "a ruling for the merchant with money: invalid_input", setup: reach(refundOnly, aftersale.StateArbitration),
			cmd: with(rule(aftersale.RulingForMerchant, false), func(c *aftersale.Command) { c.Amount = 100 }), code: invalid, rule: "command.stray_argument"},
		{name: "a ruling that the goods come back when they were never delivered: invalid_input", setup: func(f *fixture) {
			f.unshipped()
			f.do(request(refundOnly, aftersale.ReasonQuality))
			f.do(act(buyer, aftersale.ActionEscalate))
		}, cmd: rule(aftersale.RulingForBuyer, true), code: invalid, rule: "order.nothing_to_return"},

		// Facts for cases, and stray arguments.
		{name: "a shipped fact naming a case: invalid_input", setup: func(f *fixture) { f.unshipped() }, cmd: with(shipped, func(c *aftersale.Command) { c.Case = "c1" }), code: invalid, rule: "command.stray_argument"},
		{name: "a delivered fact with a note: invalid_input", setup: func(f *fixture) { f.undelivered() }, cmd: note(delivered, "signed"), code: invalid, rule: "command.stray_argument"},
		{name: "a carrier on an approval: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: with(act(merchant, aftersale.ActionApprove), func(c *aftersale.Command) { c.Carrier = "SF" }), code: invalid, rule: "command.stray_argument"},
		{name: "an amount on an accept: invalid_input", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: with(act(buyer, aftersale.ActionAccept), func(c *aftersale.Command) { c.Amount = aftersale.Yuan(299) }), code: invalid, rule: "command.stray_argument"},
		{name: "lines on a withdraw: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: with(act(buyer, aftersale.ActionWithdraw), linesOf(aftersale.Units{Line: "l1", Quantity: 1})), code: invalid, rule: "command.stray_argument"},
		{name: "a kind on an escalate: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: with(act(buyer, aftersale.ActionEscalate), func(c *aftersale.Command) { c.Kind = returnRefund }), code: invalid, rule: "command.stray_argument"},
		{name: "a version on a request: invalid_input", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Version = 1 }), code: invalid, rule: "command.stray_argument"},
		{name: "a negative version: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: with(act(merchant, aftersale.ActionApprove), func(c *aftersale.Command) { c.Version = -1 }), code: invalid, rule: "command.negative_version"},

		// Lines.
		{name: "a request naming an unknown line: invalid_input", setup: lines, cmd: ask(aftersale.Units{Line: "l9", Quantity: 1}), code: invalid, rule: "line.unknown"},
		{name: "a request for more units than the line has: invalid_input", setup: lines, cmd: ask(aftersale.Units{Line: "l2", Quantity: 2}), code: invalid, rule: "line.units_left"},
		{name: "a request naming a line twice: invalid_input", setup: lines, cmd: ask(aftersale.Units{Line: "l1", Quantity: 1}, aftersale.Units{Line: "l1", Quantity: 1}), code: invalid, rule: "line.named_twice"},
		{name: "a request for no units: invalid_input", setup: lines, cmd: ask(aftersale.Units{Line: "l1", Quantity: 0}), code: invalid, rule: "line.bad_units"},
		{name: "a request naming lines of an order without lines: invalid_input", cmd: ask(aftersale.Units{Line: "l1", Quantity: 1}), code: invalid, rule: "line.no_lines"},
		{name: "an order whose lines do not add up to its amount: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(200)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(98)}}
		}), try: requestIt, code: invalid, rule: "order.lines_sum"},
		{name: "an order with two lines of one ID: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(200)}, {ID: "l1", Quantity: 1, Paid: aftersale.Yuan(99)}}
		}), try: requestIt, code: invalid, rule: "order.duplicate_line"},
		{name: "an order without an ID: invalid_input", setup: broken(func(o *aftersale.Order) { o.ID = "" }), try: requestIt, code: invalid, rule: "order.id_required"},
		{name: "an order never paid: invalid_input", setup: broken(func(o *aftersale.Order) { o.PaidAt = time.Time{} }), try: requestIt, code: invalid, rule: "order.not_paid"},

		// Policies.
		{name: "a no-reason return after the seven days: not_eligible", rules: policy.Default(), cmd: request(returnRefund, aftersale.ReasonNoReason),
			at: func(f *fixture) time.Time { return f.o.DeliveredAt.Add(8 * day) }, code: notEligible, rule: "seven_day_no_reason.window_passed"},
		{name: "a fourth case on one order: not_eligible", rules: policy.Default(), setup: func(f *fixture) {
			for _, id := range []string{"c1", "c2", "c3"} {
				f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = id }))
				f.do(aftersale.Command{Case: id, Actor: buyer, Action: aftersale.ActionWithdraw})
			}
		}, cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c4" }), code: notEligible, rule: "resubmission.too_many"},

		// Stored forms that contradict themselves.
		{name: "a stored case with an event from the wrong state: invalid_input", setup: reach(returnRefund, aftersale.StateReturnInTransit),
			try: stored(`"from":"awaiting_return"`, `"from":"pending_review"`), code: invalid, rule: "json.bad_event"},
		{name: "a stored case with freight on an approval: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			try: stored(`"action":"approve"`, `"action":"approve","freight":"5.00"`), code: invalid, rule: "json.bad_event"},
		{name: "a stored case with a compensation on a request: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			try: stored(`"action":"request"`, `"action":"request","compensation":[{"amount":"5.00","payer":"merchant"}]`), code: invalid, rule: "json.bad_event"},
		{name: "a stored order with an unknown field: invalid_input", try: stored(`"id":"o-1"`, `"id":"o-1","colour":"red"`), code: invalid, rule: "json.malformed"},
		{name: "a stored order with a null case: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			try: stored(`"cases":[`, `"cases":[null,`), code: invalid, rule: "json.null_case"},
		{name: "a stored order refunding more than was paid: invalid_input", setup: reach(refundOnly, aftersale.StateRefunded),
			try: stored(`"amount":"299.00","paid_at"`, `"amount":"199.00","paid_at"`), code: invalid, rule: "json.refunds_exceeded"},

		// Texts that a stored form cannot keep as they are: not UTF-8
		// (encoding/json would write U+FFFD), or too long.
		{name: "a note that is not UTF-8: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: note(act(merchant, aftersale.ActionReject), "used\xff"), code: invalid, rule: "text.not_utf8"},
		{name: "a key that is not UTF-8: invalid_input", cmd: keyed(request(refundOnly, aftersale.ReasonQuality), "k\xfe"), code: invalid, rule: "text.not_utf8"},
		{name: "a carrier that is not UTF-8: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Carrier = "S\xc3" }), code: invalid, rule: "text.not_utf8"},
		{name: "a waybill that is not UTF-8: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Waybill = "\x80123" }), code: invalid, rule: "text.not_utf8"},
		{name: "a case id that is not UTF-8: invalid_input", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c\xff" }), code: invalid, rule: "text.not_utf8"},
		{name: "a line named in a request that is not UTF-8: invalid_input", setup: lines, cmd: ask(aftersale.Units{Line: "l\xff", Quantity: 1}), code: invalid, rule: "text.not_utf8"},
		{name: "an order id that is not UTF-8: invalid_input", setup: broken(func(o *aftersale.Order) { o.ID = "o-\xff" }), try: requestIt, code: invalid, rule: "text.not_utf8"},
		{name: "a buyer that is not UTF-8: invalid_input", setup: broken(func(o *aftersale.Order) { o.Buyer = "b-\xff" }), try: requestIt, code: invalid, rule: "text.not_utf8"},
		{name: "a line id that is not UTF-8: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "l\xff", Quantity: 1, Paid: aftersale.Yuan(299)}}
		}), try: requestIt, code: invalid, rule: "text.not_utf8"},
		{name: "a SKU that is not UTF-8: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "l1", SKU: "\xffsku", Quantity: 1, Paid: aftersale.Yuan(299)}}
		}), try: requestIt, code: invalid, rule: "text.not_utf8"},
		{name: "a note of 2,001 bytes: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: note(act(merchant, aftersale.ActionReject), strings.Repeat("用", 667)), code: invalid, rule: "text.too_long"},
		{name: "a key of 129 bytes: invalid_input", cmd: keyed(request(refundOnly, aftersale.ReasonQuality), strings.Repeat("k", 129)), code: invalid, rule: "text.too_long"},
		{name: "a case id of 129 bytes: invalid_input", cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = strings.Repeat("c", 129) }), code: invalid, rule: "text.too_long"},
		{name: "a carrier of 65 bytes: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Carrier = strings.Repeat("S", 65) }), code: invalid, rule: "text.too_long"},
		{name: "a waybill of 129 bytes: invalid_input", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: with(shipReturn(), func(c *aftersale.Command) { c.Waybill = strings.Repeat("9", 129) }), code: invalid, rule: "text.too_long"},
		{name: "an order id of 129 bytes: invalid_input", setup: broken(func(o *aftersale.Order) { o.ID = strings.Repeat("o", 129) }), try: requestIt, code: invalid, rule: "text.too_long"},
		{name: "a buyer of 129 bytes: invalid_input", setup: broken(func(o *aftersale.Order) { o.Buyer = strings.Repeat("b", 129) }), try: requestIt, code: invalid, rule: "text.too_long"},
		{name: "a line id of 129 bytes: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: strings.Repeat("l", 129), Quantity: 1, Paid: aftersale.Yuan(299)}}
		}), try: requestIt, code: invalid, rule: "text.too_long"},
		{name: "a SKU of 129 bytes: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "l1", SKU: strings.Repeat("s", 129), Quantity: 1, Paid: aftersale.Yuan(299)}}
		}), try: requestIt, code: invalid, rule: "text.too_long"},

		// Zones whose offset has seconds, which RFC 3339 cannot write.
		{name: "a request stamped in a zone offset by seconds: invalid_input", cmd: request(refundOnly, aftersale.ReasonQuality),
			at: func(f *fixture) time.Time { return f.now.Add(time.Minute).In(dmt) }, code: invalid, rule: "time.bad_zone"},
		{name: "AdvanceTo a time in a zone offset by seconds: invalid_input", setup: reach(refundOnly, aftersale.StatePendingReview),
			try: advance(func(f *fixture) time.Time { return f.now.Add(time.Minute).In(dmt) }), code: invalid, rule: "time.bad_zone"},
		{name: "an order paid in a zone offset by seconds: invalid_input", setup: broken(func(o *aftersale.Order) { o.PaidAt = o.PaidAt.In(dmt) }), try: requestIt, code: invalid, rule: "time.bad_zone"},
		{name: "an order delivered in a zone offset by seconds: invalid_input", setup: broken(func(o *aftersale.Order) { o.DeliveredAt = o.DeliveredAt.In(dmt) }), try: requestIt, code: invalid, rule: "time.bad_zone"},
		{name: "a request stamped in a zone 25 hours east of UTC, which RFC 3339 cannot write: invalid_input", cmd: request(refundOnly, aftersale.ReasonQuality),
			at: func(f *fixture) time.Time { return f.now.Add(time.Minute).In(time.FixedZone("X+25", 25*60*60)) }, code: invalid, rule: "time.bad_zone"},

		// Sums that would overflow.
		{name: "an order whose lines add up to 1.00 only by overflowing: invalid_input", setup: broken(func(o *aftersale.Order) {
			o.Amount, o.Lines = 100, nil
			for i := range 8 {
				o.Lines = append(o.Lines, aftersale.Line{ID: "l" + strconv.Itoa(i), Quantity: 1, Paid: math.MaxInt64 / 4})
			}
			o.Lines = append(o.Lines, aftersale.Line{ID: "l8", Quantity: 1, Paid: 108})
		}), try: requestIt, code: invalid, rule: "order.lines_sum"},

		// Policies whose answers cannot be stored.
		{name: "a grant answering an unknown verdict: invalid_input", rules: aftersale.Rules{Policies: []aftersale.Policy{
			grantSays{said{"odd_grant", aftersale.Answer{Verdict: 9}}}, grantSays{said{"g", allows}},
		}}, cmd: request(refundOnly, aftersale.ReasonQuality), code: invalid, rule: "answer.bad_verdict"},
		{name: "a limit answering an unknown verdict: invalid_input", rules: aftersale.Rules{Policies: []aftersale.Policy{
			limitSays{said{"odd_limit", aftersale.Answer{Verdict: 9}}},
		}}, cmd: request(refundOnly, aftersale.ReasonQuality), code: invalid, rule: "answer.bad_verdict"},
		{name: "an approver answering an unknown verdict: invalid_input", rules: aftersale.Rules{Policies: []aftersale.Policy{
			approverSays{said{"odd_approver", aftersale.Answer{Verdict: 9}}},
		}}, cmd: request(refundOnly, aftersale.ReasonQuality), code: invalid, rule: "answer.bad_verdict"},
		{name: "a compensator answering an unknown verdict: invalid_input", rules: aftersale.Rules{Policies: []aftersale.Policy{
			compensatorSays{said{"odd_compensator", aftersale.Answer{Verdict: 9}}, 0},
		}}, setup: reach(refundOnly, aftersale.StatePendingReview), cmd: act(merchant, aftersale.ActionApprove), code: invalid, rule: "answer.bad_verdict"},
		{name: "a compensator answering an unknown verdict when the review deadline approves: invalid_input", rules: aftersale.Rules{Policies: []aftersale.Policy{
			compensatorSays{said{"odd_compensator", aftersale.Answer{Verdict: 9}}, 0},
		}}, setup: reach(refundOnly, aftersale.StatePendingReview), try: advance(func(f *fixture) time.Time { return f.now.Add(3 * day) }), code: invalid, rule: "answer.bad_verdict"},

		// More events than one call may append.
		{name: "AdvanceTo a time that fires more than 10,000 deadlines: invalid_input",
			rules: aftersale.Rules{Policies: []aftersale.Policy{aftersale.Deadlines{Realert: time.Minute}}},
			setup: reach(refundOnly, aftersale.StateRefunding),
			try:   advance(func(f *fixture) time.Time { return f.now.Add(30 * day) }), code: invalid, rule: "time.too_far_ahead"},
		{name: "a command after a time that fires more than 10,000 deadlines: invalid_input",
			rules: aftersale.Rules{Policies: []aftersale.Policy{aftersale.Deadlines{Realert: time.Minute}}},
			setup: reach(refundOnly, aftersale.StateRefunding),
			cmd:   act(system, aftersale.ActionRefundSucceeded), at: func(f *fixture) time.Time { return f.now.Add(30 * day) }, code: invalid, rule: "time.too_far_ahead"},

		// Stored forms tampered with.
		{name: "a stored order with two events of one key: invalid_input", setup: func(f *fixture) {
			f.do(keyed(request(refundOnly, aftersale.ReasonQuality), "k-1"))
			f.do(keyed(act(merchant, aftersale.ActionApprove), "k-2"))
		}, try: stored(`"key":"k-2"`, `"key":"k-1"`), code: invalid, rule: "json.shared_key"},
		{name: "a stored order with two cases' events of one key: invalid_input", setup: func(f *fixture) {
			f.do(keyed(request(refundOnly, aftersale.ReasonQuality), "k-1"))
			f.do(act(buyer, aftersale.ActionWithdraw))
			f.do(keyed(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c2" }), "k-2"))
		}, try: stored(`"key":"k-2"`, `"key":"k-1"`), code: invalid, rule: "json.shared_key"},
		{name: "a stored order whose delivered_key is an event's key: invalid_input", setup: func(f *fixture) {
			f.undelivered()
			f.do(keyed(request(refundOnly, aftersale.ReasonQuality), "k-1"))
			f.do(keyed(delivered, "k-2"))
		}, try: stored(`"delivered_key":"k-2"`, `"delivered_key":"k-1"`), code: invalid, rule: "json.shared_key"},
		{name: "a stored order whose shipped_key is its delivered_key: invalid_input", setup: func(f *fixture) {
			f.unshipped()
			f.do(keyed(shipped, "k-1"))
			f.do(keyed(delivered, "k-2"))
		}, try: stored(`"delivered_key":"k-2"`, `"delivered_key":"k-1"`), code: invalid, rule: "json.shared_key"},
		{name: "a stored order with a shipped_key but never shipped: invalid_input", setup: func(f *fixture) { f.unshipped() },
			try: stored(`"version":0`, `"version":0,"shipped_key":"k-1"`), code: invalid, rule: "json.key_without_fact"},
		{name: "a stored order with a delivered_key but never delivered: invalid_input", setup: func(f *fixture) { f.undelivered() },
			try: stored(`"version":0`, `"version":0,"delivered_key":"k-1"`), code: invalid, rule: "json.key_without_fact"},
		{name: "a stored order with a version past 1<<40: invalid_input",
			try: stored(`"version":0`, `"version":9223372036854775807`), code: invalid, rule: "json.version_too_high"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.rules)
			if tc.setup != nil {
				tc.setup(f)
			}
			var err error
			switch {
			case tc.try != nil:
				f.refuses(tc.code, func() error { err = tc.try(f); return err })
			case tc.at != nil:
				err = f.failsAt(tc.at(f), tc.cmd, tc.code)
			default:
				err = f.fails(tc.cmd, tc.code)
			}
			if e := (*aftersale.Error)(nil); errors.As(err, &e) && e.Rule != tc.rule {
				t.Errorf("refused by rule %q, want %q (%v)", e.Rule, tc.rule, err)
			}
		})
	}
}

// refuses runs an input that is not a command on the fixture's order
// (AdvanceTo, decoding a stored form into it, a command after the host
// broke its facts), expects the code, and checks that the order did not
// change: field by field (as fixture.fails does, but without a clone
// decoded from JSON, which an order with broken facts has not) and its JSON
// bytes.
func (f *fixture) refuses(code aftersale.Code, try func() error) {
	f.t.Helper()
	before, beforeErr := json.Marshal(f.o)
	snap := snapshotOf(f.o, before)
	err := try()
	var e *aftersale.Error
	if !errors.Is(err, code) || !errors.As(err, &e) || e.Message == "" {
		f.t.Fatalf("got error %v, want %s with a message", err, code)
	}
	if why := unreadable(err); why != "" {
		f.t.Errorf("refused with %v, but %s", err, why)
	}
	if what := snap.differs(f.o); what != "" {
		f.t.Fatalf("refused (%v) but changed %s", err, what)
	}
	after, afterErr := json.Marshal(f.o)
	if string(after) != string(before) || (afterErr == nil) != (beforeErr == nil) {
		f.t.Fatalf("refused (%v) but the order's JSON changed (-before +after):\n%s", err, cmp.Diff(string(before), string(after)))
	}
}
