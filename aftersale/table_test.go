package aftersale_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

const (
	buyer    = aftersale.ActorBuyer
	merchant = aftersale.ActorMerchant
	platform = aftersale.ActorPlatform
	system   = aftersale.ActorSystem

	refundOnly   = aftersale.KindRefundOnly
	returnRefund = aftersale.KindReturnRefund
	exchange     = aftersale.KindExchange
)

// approveAll is a test policy that approves every request at once.
type approveAll struct{}

func (approveAll) Name() string                             { return "approve_all" }
func (approveAll) Approve(aftersale.Query) aftersale.Answer { return approval }

// approval is approveAll's decision: one value for every call, without the
// policy's name, which the engine fills in on the copy it records.
var approval = aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule("approve_all.yes", "自动同意", "approved at once")}

// with returns cmd with its arguments changed by f.
func with(cmd aftersale.Command, f func(*aftersale.Command)) aftersale.Command {
	f(&cmd)
	return cmd
}

func note(cmd aftersale.Command, n string) aftersale.Command {
	return with(cmd, func(c *aftersale.Command) { c.Note = n })
}

func shipReturn() aftersale.Command {
	return with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) {
		c.Carrier, c.Waybill, c.Freight = "SF", "SF100", aftersale.Yuan(12)
	})
}

func reship() aftersale.Command {
	return with(act(merchant, aftersale.ActionReship), func(c *aftersale.Command) { c.Carrier, c.Waybill = "YTO", "YT200" })
}

func propose(m aftersale.Money) aftersale.Command {
	return with(act(merchant, aftersale.ActionPropose), func(c *aftersale.Command) { c.Amount = m })
}

func rule(r aftersale.Ruling, goods bool) aftersale.Command {
	return with(act(platform, aftersale.ActionRule), func(c *aftersale.Command) { c.Ruling, c.ReturnGoods = r, goods })
}

// reach drives case c1 of kind k into state s along the usual path.
func (f *fixture) reach(k aftersale.Kind, s aftersale.State) {
	f.t.Helper()
	switch s {
	case aftersale.StateIntercepting:
		f.undelivered()
		f.do(request(aftersale.KindRefundOnly, aftersale.ReasonNotReceived))
		return
	case aftersale.StateRefunding, aftersale.StateRefundFailed, aftersale.StateRefunded:
		if k == refundOnly {
			f.reach(k, aftersale.StatePendingReview)
			f.do(act(merchant, aftersale.ActionApprove))
		} else {
			f.reach(k, aftersale.StateReturnInTransit)
			f.do(act(merchant, aftersale.ActionReceiveReturn))
		}
		switch s {
		case aftersale.StateRefundFailed:
			f.do(act(system, aftersale.ActionRefundFailed))
		case aftersale.StateRefunded:
			f.do(act(system, aftersale.ActionRefundSucceeded))
		}
		return
	}
	f.do(request(k, aftersale.ReasonQuality))
	switch s {
	case aftersale.StatePendingReview:
	case aftersale.StateNegotiating:
		f.do(propose(aftersale.Yuan(100)))
	case aftersale.StateRejected:
		f.do(note(act(merchant, aftersale.ActionReject), "used"))
	case aftersale.StateArbitration:
		f.do(act(buyer, aftersale.ActionEscalate))
	case aftersale.StateClosed:
		f.do(act(buyer, aftersale.ActionWithdraw))
	case aftersale.StateAwaitingReturn, aftersale.StateReturnInTransit, aftersale.StateAwaitingReship,
		aftersale.StateReshipInTransit, aftersale.StateExchanged, aftersale.StateReissued, aftersale.StateRepaired:
		f.do(act(merchant, aftersale.ActionApprove))
		if k != aftersale.KindReissue { // a reissue sends nothing back
			if s == aftersale.StateAwaitingReturn {
				return
			}
			f.do(shipReturn())
			if s == aftersale.StateReturnInTransit {
				return
			}
			f.do(act(merchant, aftersale.ActionReceiveReturn))
		}
		if s == aftersale.StateAwaitingReship {
			return
		}
		f.do(reship())
		if s == aftersale.StateExchanged || s == aftersale.StateReissued || s == aftersale.StateRepaired {
			f.do(act(buyer, aftersale.ActionConfirmReceipt))
		}
	default:
		f.t.Fatalf("reach: no path to %s", s)
	}
	f.state("c1", s)
}

// TestTransitionTable checks every row of the §3 table: from its state, its
// action by a permitted actor leads where the row says. A final check makes
// sure no row of aftersale.Transitions() went untested.
func TestTransitionTable(t *testing.T) {
	type row struct {
		name   string
		rules  aftersale.Rules
		setup  func(f *fixture)
		cmd    aftersale.Command // zero: let the state's deadline pass
		to     aftersale.State
		kind   aftersale.Kind // the kind after; zero: unchanged
		closed aftersale.ClosedReason
		due    aftersale.DueRule // the deadline after: zero, a new one
	}
	reach := func(k aftersale.Kind, s aftersale.State) func(f *fixture) {
		return func(f *fixture) { f.reach(k, s) }
	}
	rows := []row{
		{name: "request refund_only approved at once by an approver: refunding",
			rules: aftersale.Rules{Policies: []aftersale.Policy{approveAll{}}},
			setup: func(f *fixture) { f.unshipped() }, cmd: request(refundOnly, aftersale.ReasonMistakenPurchase), to: aftersale.StateRefunding},
		{name: "request refund_only on an order shipped but not delivered: intercepting",
			rules: aftersale.Rules{Policies: []aftersale.Policy{approveAll{}}},
			setup: func(f *fixture) { f.undelivered() }, cmd: request(refundOnly, aftersale.ReasonNotReceived), to: aftersale.StateIntercepting},
		{name: "request return_refund approved at once by an approver: awaiting_return",
			rules: aftersale.Rules{Policies: []aftersale.Policy{approveAll{}}},
			cmd:   request(returnRefund, aftersale.ReasonQuality), to: aftersale.StateAwaitingReturn},
		{name: "request with no policies: pending_review", cmd: request(exchange, aftersale.ReasonWrongItem), to: aftersale.StatePendingReview},
		{name: "request reissue approved at once by an approver: awaiting_reship, nothing to send back",
			rules: aftersale.Rules{Policies: []aftersale.Policy{approveAll{}}},
			cmd:   request(aftersale.KindReissue, aftersale.ReasonNotReceived), to: aftersale.StateAwaitingReship},
		{name: "pending_review approve by merchant, reissue: awaiting_reship", setup: reach(aftersale.KindReissue, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionApprove), to: aftersale.StateAwaitingReship},
		{name: "pending_review approve by merchant, repair: awaiting_return", setup: reach(aftersale.KindRepair, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionApprove), to: aftersale.StateAwaitingReturn},
		{name: "return_in_transit receive_return by merchant, repair: awaiting_reship", setup: reach(aftersale.KindRepair, aftersale.StateReturnInTransit),
			cmd: act(merchant, aftersale.ActionReceiveReturn), to: aftersale.StateAwaitingReship},
		{name: "awaiting_reship timeout, reissue: refunding as refund_only, nothing came back", setup: reach(aftersale.KindReissue, aftersale.StateAwaitingReship),
			to: aftersale.StateRefunding, kind: refundOnly},
		{name: "awaiting_reship timeout, repair: refunding as return_refund", setup: reach(aftersale.KindRepair, aftersale.StateAwaitingReship),
			to: aftersale.StateRefunding, kind: returnRefund},
		{name: "reship_in_transit confirm_receipt by buyer, reissue: reissued", setup: reach(aftersale.KindReissue, aftersale.StateReshipInTransit),
			cmd: act(buyer, aftersale.ActionConfirmReceipt), to: aftersale.StateReissued},
		{name: "reship_in_transit confirm_receipt by buyer, repair: repaired", setup: reach(aftersale.KindRepair, aftersale.StateReshipInTransit),
			cmd: act(buyer, aftersale.ActionConfirmReceipt), to: aftersale.StateRepaired},

		{name: "pending_review approve by merchant, refund_only: refunding", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionApprove), to: aftersale.StateRefunding},
		{name: "pending_review approve by merchant, return_refund: awaiting_return", setup: reach(returnRefund, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionApprove), to: aftersale.StateAwaitingReturn},
		{name: "pending_review reject by merchant with a reason: rejected", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: note(act(merchant, aftersale.ActionReject), "goods were used"), to: aftersale.StateRejected},
		{name: "pending_review propose a smaller amount by merchant: negotiating", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: propose(aftersale.Yuan(150)), to: aftersale.StateNegotiating, due: aftersale.DueCapped},
		{name: "pending_review escalate by merchant: arbitration", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: act(merchant, aftersale.ActionEscalate), to: aftersale.StateArbitration},
		{name: "pending_review withdraw by buyer: closed withdrawn", setup: reach(refundOnly, aftersale.StatePendingReview),
			cmd: act(buyer, aftersale.ActionWithdraw), to: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},
		{name: "pending_review resolve_offline by merchant with the buyer's agreement: closed resolved_offline", setup: reach(returnRefund, aftersale.StatePendingReview),
			cmd: note(act(merchant, aftersale.ActionResolveOffline), "buyer agreed to a repair"), to: aftersale.StateClosed, closed: aftersale.ClosedResolvedOffline},

		{name: "intercepting approve by merchant: refunding", setup: reach(refundOnly, aftersale.StateIntercepting),
			cmd: act(merchant, aftersale.ActionApprove), to: aftersale.StateRefunding},
		{name: "intercepting delivered (interception failed): awaiting_return as return_refund", setup: reach(refundOnly, aftersale.StateIntercepting),
			cmd: aftersale.Command{Actor: system, Action: aftersale.ActionDelivered}, to: aftersale.StateAwaitingReturn, kind: returnRefund},
		{name: "intercepting withdraw by buyer: closed withdrawn", setup: reach(refundOnly, aftersale.StateIntercepting),
			cmd: act(buyer, aftersale.ActionWithdraw), to: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},

		{name: "negotiating accept by buyer: refunding", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: act(buyer, aftersale.ActionAccept), to: aftersale.StateRefunding},
		{name: "negotiating decline by buyer, proposed during review: pending_review", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: act(buyer, aftersale.ActionDecline), to: aftersale.StatePendingReview, due: aftersale.DueResumed},
		{name: "negotiating decline by buyer, proposed on receipt: return_in_transit",
			setup: func(f *fixture) {
				f.reach(returnRefund, aftersale.StateReturnInTransit)
				f.do(propose(aftersale.Yuan(200)))
			},
			cmd: act(buyer, aftersale.ActionDecline), to: aftersale.StateReturnInTransit, due: aftersale.DueResumed},
		{name: "negotiating escalate by buyer: arbitration", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: act(buyer, aftersale.ActionEscalate), to: aftersale.StateArbitration},
		{name: "negotiating withdraw by buyer: closed withdrawn", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: act(buyer, aftersale.ActionWithdraw), to: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},
		{name: "negotiating resolve_offline by merchant: closed resolved_offline", setup: reach(refundOnly, aftersale.StateNegotiating),
			cmd: note(act(merchant, aftersale.ActionResolveOffline), "agreed on the phone"), to: aftersale.StateClosed, closed: aftersale.ClosedResolvedOffline},

		{name: "awaiting_return ship_return by buyer with carrier and waybill: return_in_transit", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			cmd: shipReturn(), to: aftersale.StateReturnInTransit},
		{name: "awaiting_return timeout: closed return_timeout", setup: reach(returnRefund, aftersale.StateAwaitingReturn),
			to: aftersale.StateClosed, closed: aftersale.ClosedReturnTimeout},
		{name: "awaiting_return withdraw by buyer: closed withdrawn", setup: reach(exchange, aftersale.StateAwaitingReturn),
			cmd: act(buyer, aftersale.ActionWithdraw), to: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},
		{name: "awaiting_return resolve_offline by merchant: closed resolved_offline", setup: reach(exchange, aftersale.StateAwaitingReturn),
			cmd: note(act(merchant, aftersale.ActionResolveOffline), "exchanged in store"), to: aftersale.StateClosed, closed: aftersale.ClosedResolvedOffline},

		{name: "return_in_transit receive_return by merchant, return_refund: refunding", setup: reach(returnRefund, aftersale.StateReturnInTransit),
			cmd: act(merchant, aftersale.ActionReceiveReturn), to: aftersale.StateRefunding},
		{name: "return_in_transit receive_return by merchant, exchange: awaiting_reship", setup: reach(exchange, aftersale.StateReturnInTransit),
			cmd: act(merchant, aftersale.ActionReceiveReturn), to: aftersale.StateAwaitingReship},
		{name: "return_in_transit reject by merchant, goods used: rejected", setup: reach(returnRefund, aftersale.StateReturnInTransit),
			cmd: note(act(merchant, aftersale.ActionReject), "tag removed, worn"), to: aftersale.StateRejected},
		{name: "return_in_transit propose by merchant: negotiating", setup: reach(returnRefund, aftersale.StateReturnInTransit),
			cmd: propose(aftersale.Yuan(250)), to: aftersale.StateNegotiating, due: aftersale.DueCapped},
		{name: "return_in_transit escalate by buyer: arbitration", setup: reach(returnRefund, aftersale.StateReturnInTransit),
			cmd: act(buyer, aftersale.ActionEscalate), to: aftersale.StateArbitration},

		{name: "awaiting_reship reship by merchant: reship_in_transit", setup: reach(exchange, aftersale.StateAwaitingReship),
			cmd: reship(), to: aftersale.StateReshipInTransit},
		{name: "awaiting_reship timeout: refunding as return_refund", setup: reach(exchange, aftersale.StateAwaitingReship),
			to: aftersale.StateRefunding, kind: returnRefund},
		{name: "reship_in_transit confirm_receipt by buyer: exchanged", setup: reach(exchange, aftersale.StateReshipInTransit),
			cmd: act(buyer, aftersale.ActionConfirmReceipt), to: aftersale.StateExchanged},

		{name: "rejected escalate by buyer: arbitration", setup: reach(refundOnly, aftersale.StateRejected),
			cmd: act(buyer, aftersale.ActionEscalate), to: aftersale.StateArbitration},
		{name: "rejected request again by buyer: old case closed superseded", setup: reach(refundOnly, aftersale.StateRejected),
			cmd: with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c2" }), to: aftersale.StateClosed, closed: aftersale.ClosedSuperseded},
		{name: "rejected withdraw by buyer: closed withdrawn", setup: reach(refundOnly, aftersale.StateRejected),
			cmd: act(buyer, aftersale.ActionWithdraw), to: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},
		{name: "rejected timeout: closed not_escalated", setup: reach(refundOnly, aftersale.StateRejected),
			to: aftersale.StateClosed, closed: aftersale.ClosedNotEscalated},

		{name: "arbitration submit_evidence by merchant: arbitration", setup: reach(refundOnly, aftersale.StateArbitration),
			cmd: note(act(merchant, aftersale.ActionSubmitEvidence), "photos of the parcel"), to: aftersale.StateArbitration, due: aftersale.DueKept},
		{name: "arbitration rule for the buyer, goods stay: refunding", setup: reach(returnRefund, aftersale.StateArbitration),
			cmd: rule(aftersale.RulingForBuyer, false), to: aftersale.StateRefunding, kind: refundOnly},
		{name: "arbitration rule for the buyer, goods come back: awaiting_return", setup: reach(refundOnly, aftersale.StateArbitration),
			cmd: rule(aftersale.RulingForBuyer, true), to: aftersale.StateAwaitingReturn, kind: returnRefund},
		{name: "arbitration rule for the merchant: closed ruled_for_merchant", setup: reach(refundOnly, aftersale.StateArbitration),
			cmd: rule(aftersale.RulingForMerchant, false), to: aftersale.StateClosed, closed: aftersale.ClosedRuledForMerchant},
		{name: "arbitration withdraw by buyer: closed withdrawn", setup: reach(refundOnly, aftersale.StateArbitration),
			cmd: act(buyer, aftersale.ActionWithdraw), to: aftersale.StateClosed, closed: aftersale.ClosedWithdrawn},

		{name: "refunding refund_succeeded by system: refunded", setup: reach(refundOnly, aftersale.StateRefunding),
			cmd: act(system, aftersale.ActionRefundSucceeded), to: aftersale.StateRefunded},
		{name: "refunding refund_failed by system: refund_failed", setup: reach(refundOnly, aftersale.StateRefunding),
			cmd: act(system, aftersale.ActionRefundFailed), to: aftersale.StateRefundFailed},
		{name: "refund_failed retry_refund by platform: refunding", setup: reach(refundOnly, aftersale.StateRefundFailed),
			cmd: act(platform, aftersale.ActionRetryRefund), to: aftersale.StateRefunding},

		{name: "import of a refund_only waiting for the merchant: pending_review", cmd: importing(refundOnly, aftersale.StatePendingReview),
			to: aftersale.StatePendingReview, due: aftersale.DueGiven},
		{name: "import of a refund_only whose parcel is being stopped: intercepting", setup: func(f *fixture) { f.undelivered() },
			cmd: importing(refundOnly, aftersale.StateIntercepting), to: aftersale.StateIntercepting, due: aftersale.DueGiven},
		{name: "import of a return waiting for the buyer's parcel: awaiting_return", cmd: importing(returnRefund, aftersale.StateAwaitingReturn),
			to: aftersale.StateAwaitingReturn, due: aftersale.DueGiven},
		{name: "import of an exchange whose parcel is on its way back: return_in_transit",
			cmd: with(importing(exchange, aftersale.StateReturnInTransit), func(c *aftersale.Command) { c.Carrier, c.Waybill = "SF", "SF900" }),
			to:  aftersale.StateReturnInTransit, due: aftersale.DueGiven},
		{name: "import of a reissue the merchant must send: awaiting_reship", cmd: importing(aftersale.KindReissue, aftersale.StateAwaitingReship),
			to: aftersale.StateAwaitingReship, due: aftersale.DueGiven},
		{name: "import of a repair on its way back to the buyer: reship_in_transit", cmd: importing(aftersale.KindRepair, aftersale.StateReshipInTransit),
			to: aftersale.StateReshipInTransit, due: aftersale.DueGiven},
		{name: "import of a rejected refund_only: rejected", cmd: importing(refundOnly, aftersale.StateRejected),
			to: aftersale.StateRejected, due: aftersale.DueGiven},
		{name: "import of a return the platform is judging: arbitration", cmd: importing(returnRefund, aftersale.StateArbitration),
			to: aftersale.StateArbitration, due: aftersale.DueGiven},
		{name: "import of a refund being paid: refunding", cmd: importing(refundOnly, aftersale.StateRefunding),
			to: aftersale.StateRefunding, due: aftersale.DueGiven},
		{name: "import of a refund that failed: refund_failed", cmd: importing(returnRefund, aftersale.StateRefundFailed),
			to: aftersale.StateRefundFailed, due: aftersale.DueGiven},

		{name: "refunding timeout: an alert, still refunding", setup: reach(refundOnly, aftersale.StateRefunding), to: aftersale.StateRefunding, due: aftersale.DueRepeated},
		{name: "arbitration timeout: an alert, still in arbitration", setup: reach(refundOnly, aftersale.StateArbitration), to: aftersale.StateArbitration, due: aftersale.DueRepeated},
		{name: "refund_failed timeout: an alert, still failed", setup: reach(refundOnly, aftersale.StateRefundFailed), to: aftersale.StateRefundFailed, due: aftersale.DueRepeated},
	}
	covered := map[aftersale.Transition]bool{}
	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tc.rules)
			if tc.setup != nil {
				tc.setup(f)
			}
			var from aftersale.State
			var before time.Time // the deadline pending before the row
			kind := tc.cmd.Kind
			if c := f.o.Case("c1"); c != nil {
				from, kind, before = c.State(), c.Kind(), c.Deadline().At
			}
			var got *aftersale.Case
			if tc.cmd.Action == 0 {
				due := f.c("c1").Deadline().At
				f.advance(due.Add(-1))
				f.state("c1", from)
				f.advance(due)
				got = f.c("c1")
				tc.cmd.Action = got.Events()[got.Version()-1].Action
			} else {
				out := f.do(tc.cmd)
				got = out.Case
				if tc.cmd.Action == aftersale.ActionRequest && from != 0 {
					got = f.c("c1") // the superseded case
				}
				if out.Case == nil {
					got = f.c("c1")
				}
			}
			if got.State() != tc.to {
				t.Fatalf("case is %s, want %s", got.State(), tc.to)
			}
			if got.ClosedReason() != tc.closed {
				t.Errorf("closed reason %s, want %s", got.ClosedReason(), tc.closed)
			}
			if tc.kind != 0 && got.Kind() != tc.kind {
				t.Errorf("kind %s, want %s", got.Kind(), tc.kind)
			}
			if got.Open() == got.Deadline().IsZero() {
				t.Errorf("case %s in %s has deadline %v", got.ID(), got.State(), got.Deadline())
			}
			for _, r := range aftersale.Transitions() {
				if r.From == from && r.Action == tc.cmd.Action && r.To == tc.to && r.Kinds.Has(kind) {
					covered[r] = true
					if r.Due != tc.due {
						t.Errorf("%s has due rule %s, want %s", r, r.Due, tc.due)
					}
					checkDue(t, r, got, before)
				}
			}
		})
	}
	for _, r := range aftersale.Transitions() {
		if !covered[r] {
			t.Errorf("no test covers the row %s: add a case to TestTransitionTable", r)
		}
	}
}

// TestNotPermitted tries every action by every actor in every state, and
// checks that whatever the table does not allow is refused with
// not_permitted and changes nothing.
func TestNotPermitted(t *testing.T) {
	allowed := func(from aftersale.State, a aftersale.Action, who aftersale.Actor, k aftersale.Kind) bool {
		for _, r := range aftersale.Transitions() {
			if r.From == from && r.Action == a && r.By.Has(who) && r.Kinds.Has(k) {
				return true
			}
		}
		return false
	}
	// A well-formed command for each action that addresses a case.
	var commands []aftersale.Command
	for a := aftersale.Action(1); a < aftersale.NumActions; a++ {
		if cmd, ok := wellFormed(t, buyer, a); ok && a.IsCommand() {
			commands = append(commands, cmd)
		}
	}
	var states []aftersale.State
	for s := aftersale.State(1); s < aftersale.NumStates; s++ {
		states = append(states, s)
	}
	refused := 0
	for _, s := range states {
		for _, k := range []aftersale.Kind{refundOnly, returnRefund, exchange} {
			if s == aftersale.StateIntercepting && k != refundOnly ||
				(s == aftersale.StateAwaitingReship || s == aftersale.StateReshipInTransit || s == aftersale.StateExchanged) && k != exchange ||
				(s == aftersale.StateAwaitingReturn || s == aftersale.StateReturnInTransit) && k == refundOnly ||
				(s == aftersale.StateRefunding || s == aftersale.StateRefundFailed || s == aftersale.StateRefunded) && k == exchange ||
				s == aftersale.StateReissued || s == aftersale.StateRepaired { // their kinds' paths: TestExploreReachableStates
				continue
			}
			for _, cmd := range commands {
				for _, who := range []aftersale.Actor{buyer, merchant, platform, system} {
					if allowed(s, cmd.Action, who, k) {
						continue
					}
					name := fmt.Sprintf("%s %s: %s by %s", s, k, cmd.Action, who)
					t.Run(name, func(t *testing.T) {
						f := newFixture(t, aftersale.Rules{})
						f.reach(k, s)
						cmd.Actor = who
						f.fails(cmd, aftersale.ErrNotPermitted)
						refused++
					})
				}
			}
		}
	}
	if refused < 500 {
		t.Errorf("only %d refusals were tried", refused)
	}
}

// checkDue checks that the deadline c has after the row r is the one the
// row's DueRule says; before is the deadline pending before it.
func checkDue(t *testing.T, r aftersale.Transition, c *aftersale.Case, before time.Time) {
	t.Helper()
	evs := c.Events()
	last := evs[len(evs)-1]
	switch {
	case !c.Open():
	case r.Due == aftersale.DueKept && !last.Due.Equal(before):
		t.Errorf("%s keeps the deadline %v, but the case now has %v", r, before, last.Due)
	case r.Due == aftersale.DueResumed && !last.Due.Equal(evs[len(evs)-3].Due):
		t.Errorf("%s resumes the deadline %v of the state the proposal interrupted, but the case has %v", r, evs[len(evs)-3].Due, last.Due)
	case r.Due == aftersale.DueCapped && (last.Due.After(before) || !last.Due.After(last.At)):
		t.Errorf("%s sets a new deadline after the event at %v, no later than the one it interrupts, %v, but the case has %v", r, last.At, before, last.Due)
	case (r.Due == aftersale.DueNew || r.Due == aftersale.DueRepeated || r.Due == aftersale.DueGiven) && !last.Due.After(last.At):
		t.Errorf("%s sets a new deadline after the event at %v, but the case has %v", r, last.At, last.Due)
	}
}
