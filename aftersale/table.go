package aftersale

// Transition is one row of the transition table: from a state, an action
// by one of the permitted actors leads to a state. Rows are data: the
// Engine checks every command against them, Replay checks every event
// against them, and Diagram draws them.
type Transition struct {
	From   State  // zero for the request that opens a case
	Action Action //
	By     Actors // who may send the action as a command
	Kinds  Kinds  // the case kinds the row is for; zero: every kind
	To     State  //
	Closed ClosedReason
	// Timeout marks the row the system performs when From's deadline
	// passes, whatever By says.
	Timeout bool
	// When states any further condition that picks this row, in words.
	When string
}

// Shorthands for the table.
const (
	byBuyer            = Actors(1 << ActorBuyer)
	byMerchant         = Actors(1 << ActorMerchant)
	byPlatform         = Actors(1 << ActorPlatform)
	bySystem           = Actors(1 << ActorSystem)
	byParties          = byBuyer | byMerchant
	byPlatformOrSystem = byPlatform | bySystem
	forRefundOnly      = Kinds(1 << KindRefundOnly)
	forReturnRefund    = Kinds(1 << KindReturnRefund)
	forExchange        = Kinds(1 << KindExchange)
	forGoods           = forReturnRefund | forExchange
)

// table is §3 and §4 of the specification, one row a transition, grouped
// by the state they start from so a lookup reads a handful of rows. The
// group of the zero State opens a case.
var table = [numStates][]Transition{
	0: {
		{From: 0, Action: ActionRequest, By: byBuyer, Kinds: forRefundOnly, To: StateRefunding, When: "an approver approves at once (fast refund)"},
		{From: 0, Action: ActionRequest, By: byBuyer, Kinds: forRefundOnly, To: StateIntercepting, When: "the order is shipped but not delivered"},
		{From: 0, Action: ActionRequest, By: byBuyer, Kinds: forGoods, To: StateAwaitingReturn, When: "an approver approves at once"},
		{From: 0, Action: ActionRequest, By: byBuyer, To: StatePendingReview, When: "otherwise"},
	},
	StatePendingReview: {
		{From: StatePendingReview, Action: ActionApprove, By: byMerchant, Kinds: forRefundOnly, To: StateRefunding, Timeout: true},
		{From: StatePendingReview, Action: ActionApprove, By: byMerchant, Kinds: forGoods, To: StateAwaitingReturn, Timeout: true},
		{From: StatePendingReview, Action: ActionReject, By: byMerchant, To: StateRejected, When: "with a reason"},
		{From: StatePendingReview, Action: ActionPropose, By: byMerchant, To: StateNegotiating, When: "a smaller amount"},
		{From: StatePendingReview, Action: ActionEscalate, By: byParties, To: StateArbitration},
		{From: StatePendingReview, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StatePendingReview, Action: ActionResolveOffline, By: byMerchant, To: StateClosed, Closed: ClosedResolvedOffline, When: "the buyer's agreement noted"},
	},
	StateIntercepting: {
		{From: StateIntercepting, Action: ActionApprove, By: byMerchant, To: StateRefunding, Timeout: true},
		{From: StateIntercepting, Action: ActionDelivered, By: bySystem, To: StateAwaitingReturn, When: "interception failed; the case becomes return_refund"},
		{From: StateIntercepting, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
	},
	StateNegotiating: {
		{From: StateNegotiating, Action: ActionAccept, By: byBuyer, To: StateRefunding, When: "for the proposed amount"},
		{From: StateNegotiating, Action: ActionDecline, By: byBuyer, To: StatePendingReview, Timeout: true, When: "proposed during review; its deadline still counts"},
		{From: StateNegotiating, Action: ActionDecline, By: byBuyer, To: StateReturnInTransit, Timeout: true, When: "proposed on receipt; its deadline still counts"},
		{From: StateNegotiating, Action: ActionEscalate, By: byParties, To: StateArbitration},
		{From: StateNegotiating, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateNegotiating, Action: ActionResolveOffline, By: byMerchant, To: StateClosed, Closed: ClosedResolvedOffline, When: "the buyer's agreement noted"},
	},
	StateAwaitingReturn: {
		{From: StateAwaitingReturn, Action: ActionShipReturn, By: byBuyer, To: StateReturnInTransit, When: "carrier and waybill"},
		{From: StateAwaitingReturn, Action: ActionExpire, To: StateClosed, Closed: ClosedReturnTimeout, Timeout: true},
		{From: StateAwaitingReturn, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateAwaitingReturn, Action: ActionResolveOffline, By: byMerchant, To: StateClosed, Closed: ClosedResolvedOffline, When: "the buyer's agreement noted"},
	},
	StateReturnInTransit: {
		{From: StateReturnInTransit, Action: ActionReceiveReturn, By: byMerchant, Kinds: forReturnRefund, To: StateRefunding, Timeout: true},
		{From: StateReturnInTransit, Action: ActionReceiveReturn, By: byMerchant, Kinds: forExchange, To: StateAwaitingReship, Timeout: true},
		{From: StateReturnInTransit, Action: ActionReject, By: byMerchant, To: StateRejected, When: "goods damaged or used; with a reason"},
		{From: StateReturnInTransit, Action: ActionPropose, By: byMerchant, To: StateNegotiating, When: "a smaller amount"},
		{From: StateReturnInTransit, Action: ActionEscalate, By: byParties, To: StateArbitration},
	},
	StateAwaitingReship: {
		{From: StateAwaitingReship, Action: ActionReship, By: byMerchant, To: StateReshipInTransit, When: "carrier and waybill"},
		{From: StateAwaitingReship, Action: ActionExpire, To: StateRefunding, Timeout: true, When: "the merchant could not reship; the case becomes return_refund"},
	},
	StateReshipInTransit: {
		{From: StateReshipInTransit, Action: ActionConfirmReceipt, By: byBuyer, To: StateExchanged, Timeout: true},
	},
	StateRejected: {
		{From: StateRejected, Action: ActionEscalate, By: byBuyer, To: StateArbitration},
		{From: StateRejected, Action: ActionRequest, By: byBuyer, To: StateClosed, Closed: ClosedSuperseded, When: "the buyer asks again on the same lines"},
		{From: StateRejected, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateRejected, Action: ActionExpire, To: StateClosed, Closed: ClosedNotEscalated, Timeout: true},
	},
	StateArbitration: {
		{From: StateArbitration, Action: ActionSubmitEvidence, By: byParties, To: StateArbitration},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, To: StateRefunding, When: "for the buyer; the goods stay"},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, To: StateAwaitingReturn, When: "for the buyer; the goods come back first"},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, To: StateClosed, Closed: ClosedRuledForMerchant, When: "for the merchant"},
		{From: StateArbitration, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
	},
	StateRefunding: {
		{From: StateRefunding, Action: ActionRefundSucceeded, By: bySystem, To: StateRefunded},
		{From: StateRefunding, Action: ActionRefundFailed, By: bySystem, To: StateRefundFailed},
	},
	StateRefundFailed: {
		{From: StateRefundFailed, Action: ActionRetryRefund, By: byPlatformOrSystem, To: StateRefunding},
	},
}

// Transitions returns the transition table, one row a transition, in a new
// slice. Service-level alerts (ActionSLABreached) are not rows: they change
// no state.
func Transitions() []Transition {
	var out []Transition
	for _, rows := range table {
		out = append(out, rows...)
	}
	return out
}

// findRow returns the first row for an action from a state that applies to
// the kind and leads to the given state (to == 0 matches any target), or
// nil. It returns a pointer into the table, which no caller changes.
func findRow(from State, a Action, k Kind, to State) *Transition {
	if int(from) >= len(table) {
		return nil
	}
	rows := table[from]
	for i := range rows {
		r := &rows[i]
		if r.Action == a && r.Kinds.Has(k) && (to == 0 || r.To == to) {
			return r
		}
	}
	return nil
}

// timeoutRow returns the row the system performs when the deadline of a
// waiting state passes, for a case of kind k, or nil.
func timeoutRow(s State, k Kind) *Transition {
	if int(s) >= len(table) {
		return nil
	}
	rows := table[s]
	for i := range rows {
		if r := &rows[i]; r.Timeout && r.Kinds.Has(k) {
			return r
		}
	}
	return nil
}
