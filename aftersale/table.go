package aftersale

// Transition is one row of the transition table: from a state, an action
// by one of the permitted actors, for the kinds and under the condition
// the row names, leads to a state; the case may change kind or close on
// the way. The rows are the machine: the Engine picks the row a command or
// a deadline takes and applies To, Kind and Closed from it, Replay checks
// every event against them, Case.Next and Diagram read them.
type Transition struct {
	From   State  // zero for the request that opens a case
	Action Action //
	By     Actors // who may send the action as a command; zero: only the system, on a timeout
	Kinds  Kinds  // the case kinds the row is for; zero: every kind
	If     Condition
	To     State
	Kind   Kind // the kind the case becomes; zero: it keeps its kind
	Closed ClosedReason
	Due    DueRule // the deadline the case has after the row
	// Timeout marks the row the system performs when From's deadline
	// passes, whatever By says.
	Timeout bool
	// Note says in words what the action needs or means; it decides
	// nothing.
	Note string
}

// String describes the row for people: "pending_review --approve-->
// refunding (refund_only)", with its condition if it has one.
func (r Transition) String() string {
	from := "(new case)"
	if r.From != 0 {
		from = r.From.String()
	}
	s := from + " --" + r.Action.String() + "--> " + r.To.String() + " (" + r.Kinds.String()
	if r.If != 0 {
		s += ", if " + r.If.String()
	}
	return s + ")"
}

// Condition is what, besides the state, the action and the kind, picks a
// row among those of one state and action. The zero Condition always
// holds.
type Condition uint8

// The conditions.
const (
	// IfInTransit: the order is shipped but not yet delivered.
	IfInTransit Condition = iota + 1
	// IfApprovedAtOnce: an Approver approves the request and none vetoes.
	IfApprovedAtOnce
	// IfProposedInReview: the proposal being answered was made in
	// pending_review.
	IfProposedInReview
	// IfProposedOnReceipt: it was made in return_in_transit.
	IfProposedOnReceipt
	// IfForBuyerGoodsStay: a ruling for the buyer; the goods stay where
	// they are and were never sent back.
	IfForBuyerGoodsStay
	// IfForBuyerGoodsReturned: a ruling for the buyer on goods already
	// sent back.
	IfForBuyerGoodsReturned
	// IfForBuyerGoodsComeBack: a ruling for the buyer that the goods come
	// back first.
	IfForBuyerGoodsComeBack
	// IfForMerchant: a ruling for the merchant.
	IfForMerchant
	// IfImportedInto: the platform's record puts the case in the row's To.
	IfImportedInto
)

var conditionNames = [...]names{
	IfInTransit:             {"in_transit", "the order is shipped but not delivered"},
	IfApprovedAtOnce:        {"approved_at_once", "an approver approves at once"},
	IfProposedInReview:      {"proposed_in_review", "proposed during review"},
	IfProposedOnReceipt:     {"proposed_on_receipt", "proposed on receipt"},
	IfForBuyerGoodsStay:     {"for_buyer_goods_stay", "for the buyer, the goods stay"},
	IfForBuyerGoodsReturned: {"for_buyer_goods_returned", "for the buyer, the goods already came back"},
	IfForBuyerGoodsComeBack: {"for_buyer_goods_come_back", "for the buyer, the goods come back first"},
	IfForMerchant:           {"for_merchant", "for the merchant"},
	IfImportedInto:          {"imported_into", "the platform's record stands there"},
}

// String returns the text form, such as "in_transit".
func (c Condition) String() string { return enumString(conditionNames[:], c, "Condition") }

// Describe says the condition in English words, for the diagram.
func (c Condition) Describe() string { return enumLabel(conditionNames[:], c) }

// MarshalText returns the text form; the zero Condition is an error.
func (c Condition) MarshalText() ([]byte, error) {
	return enumMarshal(conditionNames[:], c, "Condition")
}

// UnmarshalText parses the text form.
func (c *Condition) UnmarshalText(b []byte) error {
	return enumUnmarshal(conditionNames[:], b, c, "condition")
}

// DueRule says which deadline a case has after a row. The zero DueRule,
// DueNew, is the usual one.
type DueRule uint8

// The due rules.
const (
	// DueNew: the deadline of the state entered, counted from the event.
	DueNew DueRule = iota
	// DueKept: the deadline pending before the event still counts.
	DueKept
	// DueResumed: the deadline of the state a proposal interrupted, as it
	// was: proposals cannot stall a timeout.
	DueResumed
	// DueRepeated: the next alert of a broken promise.
	DueRepeated
	// DueCapped: the deadline of the state entered, but never later than
	// the one pending before: a proposal cannot stall a timeout.
	DueCapped
	// DueGiven: the deadline the command gives (a platform's own), or
	// else that of the state entered.
	DueGiven
)

var dueRuleNames = [...]names{
	DueNew:      {"new", "a new deadline"},
	DueKept:     {"kept", "the deadline still counts"},
	DueResumed:  {"resumed", "its deadline still counts"},
	DueRepeated: {"repeated", "again later"},
	DueCapped:   {"capped", "never past the deadline it interrupts"},
	DueGiven:    {"given", "the platform's deadline, if it gave one"},
}

// String returns the text form, such as "resumed".
func (d DueRule) String() string {
	if d == DueNew {
		return "new"
	}
	return enumString(dueRuleNames[:], d, "DueRule")
}

// MarshalText returns the text form.
func (d DueRule) MarshalText() ([]byte, error) {
	if d == DueNew {
		return []byte("new"), nil
	}
	return enumMarshal(dueRuleNames[:], d, "DueRule")
}

// UnmarshalText parses the text form.
func (d *DueRule) UnmarshalText(b []byte) error {
	if string(b) == "new" {
		*d = DueNew
		return nil
	}
	return enumUnmarshal(dueRuleNames[:], b, d, "due rule")
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
	forReissue         = Kinds(1 << KindReissue)
	forRepair          = Kinds(1 << KindRepair)
	forGoods           = forReturnRefund | forExchange | forRepair // the kinds that send goods back
	forGoodsBack       = forExchange | forRepair                   // the kinds that get goods back from the merchant after receipt
)

// table is RULES.md sections 3 and 4, one row a transition, grouped by
// the state they start from. Within a state and an
// action the first row whose kinds and condition hold is taken, so a row
// with a condition comes before the row without. The group of the zero
// State opens a case.
var table = [numStates][]Transition{
	0: {
		{Action: ActionRequest, By: byBuyer, Kinds: forRefundOnly, If: IfInTransit, To: StateIntercepting},
		{Action: ActionRequest, By: byBuyer, Kinds: forRefundOnly, If: IfApprovedAtOnce, To: StateRefunding, Note: "fast refund or automatic approval"},
		{Action: ActionRequest, By: byBuyer, Kinds: forGoods, If: IfApprovedAtOnce, To: StateAwaitingReturn},
		{Action: ActionRequest, By: byBuyer, Kinds: forReissue, If: IfApprovedAtOnce, To: StateAwaitingReship},
		{Action: ActionRequest, By: byBuyer, To: StatePendingReview},
		// A case in flight on a platform, adopted in the state its record
		// stands in: any state a case waits in but negotiating, whose
		// proposal no record describes, for the kinds that reach it.
		{Action: ActionImport, By: bySystem, If: IfImportedInto, To: StatePendingReview, Due: DueGiven},
		{Action: ActionImport, By: bySystem, Kinds: forRefundOnly, If: IfImportedInto, To: StateIntercepting, Due: DueGiven},
		{Action: ActionImport, By: bySystem, Kinds: forGoods, If: IfImportedInto, To: StateAwaitingReturn, Due: DueGiven},
		{Action: ActionImport, By: bySystem, Kinds: forGoods, If: IfImportedInto, To: StateReturnInTransit, Due: DueGiven},
		{Action: ActionImport, By: bySystem, Kinds: forGoodsBack | forReissue, If: IfImportedInto, To: StateAwaitingReship, Due: DueGiven},
		{Action: ActionImport, By: bySystem, Kinds: forGoodsBack | forReissue, If: IfImportedInto, To: StateReshipInTransit, Due: DueGiven},
		{Action: ActionImport, By: bySystem, If: IfImportedInto, To: StateRejected, Due: DueGiven},
		{Action: ActionImport, By: bySystem, If: IfImportedInto, To: StateArbitration, Due: DueGiven},
		{Action: ActionImport, By: bySystem, If: IfImportedInto, To: StateRefunding, Due: DueGiven},
		{Action: ActionImport, By: bySystem, If: IfImportedInto, To: StateRefundFailed, Due: DueGiven},
	},
	StatePendingReview: {
		{From: StatePendingReview, Action: ActionApprove, By: byMerchant, Kinds: forRefundOnly, To: StateRefunding, Timeout: true},
		{From: StatePendingReview, Action: ActionApprove, By: byMerchant, Kinds: forGoods, To: StateAwaitingReturn, Timeout: true},
		{From: StatePendingReview, Action: ActionApprove, By: byMerchant, Kinds: forReissue, To: StateAwaitingReship, Timeout: true},
		{From: StatePendingReview, Action: ActionReject, By: byMerchant, To: StateRejected, Note: "with a reason"},
		{From: StatePendingReview, Action: ActionPropose, By: byMerchant, To: StateNegotiating, Due: DueCapped, Note: "a smaller amount"},
		{From: StatePendingReview, Action: ActionEscalate, By: byParties, To: StateArbitration},
		{From: StatePendingReview, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StatePendingReview, Action: ActionResolveOffline, By: byMerchant, To: StateClosed, Closed: ClosedResolvedOffline, Note: "the buyer's agreement noted"},
	},
	StateIntercepting: {
		{From: StateIntercepting, Action: ActionApprove, By: byMerchant, To: StateRefunding, Timeout: true},
		{From: StateIntercepting, Action: ActionDelivered, By: bySystem, To: StateAwaitingReturn, Kind: KindReturnRefund, Note: "interception failed"},
		{From: StateIntercepting, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
	},
	StateNegotiating: {
		{From: StateNegotiating, Action: ActionAccept, By: byBuyer, To: StateRefunding, Note: "for the proposed amount"},
		{From: StateNegotiating, Action: ActionDecline, By: byBuyer, If: IfProposedInReview, To: StatePendingReview, Due: DueResumed, Timeout: true},
		{From: StateNegotiating, Action: ActionDecline, By: byBuyer, If: IfProposedOnReceipt, To: StateReturnInTransit, Due: DueResumed, Timeout: true},
		{From: StateNegotiating, Action: ActionEscalate, By: byParties, To: StateArbitration},
		{From: StateNegotiating, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateNegotiating, Action: ActionResolveOffline, By: byMerchant, To: StateClosed, Closed: ClosedResolvedOffline, Note: "the buyer's agreement noted"},
	},
	StateAwaitingReturn: {
		{From: StateAwaitingReturn, Action: ActionShipReturn, By: byBuyer, To: StateReturnInTransit, Note: "carrier and waybill"},
		{From: StateAwaitingReturn, Action: ActionExpire, To: StateClosed, Closed: ClosedReturnTimeout, Timeout: true},
		{From: StateAwaitingReturn, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateAwaitingReturn, Action: ActionResolveOffline, By: byMerchant, To: StateClosed, Closed: ClosedResolvedOffline, Note: "the buyer's agreement noted"},
	},
	StateReturnInTransit: {
		{From: StateReturnInTransit, Action: ActionReceiveReturn, By: byMerchant, Kinds: forReturnRefund, To: StateRefunding, Timeout: true},
		{From: StateReturnInTransit, Action: ActionReceiveReturn, By: byMerchant, Kinds: forGoodsBack, To: StateAwaitingReship, Timeout: true},
		{From: StateReturnInTransit, Action: ActionReject, By: byMerchant, To: StateRejected, Note: "goods damaged or used, with a reason"},
		{From: StateReturnInTransit, Action: ActionPropose, By: byMerchant, To: StateNegotiating, Due: DueCapped, Note: "a smaller amount"},
		{From: StateReturnInTransit, Action: ActionEscalate, By: byParties, To: StateArbitration},
	},
	StateAwaitingReship: {
		{From: StateAwaitingReship, Action: ActionReship, By: byMerchant, To: StateReshipInTransit, Note: "carrier and waybill"},
		{From: StateAwaitingReship, Action: ActionExpire, Kinds: forGoodsBack, To: StateRefunding, Kind: KindReturnRefund, Timeout: true, Note: "the merchant could not send the goods"},
		{From: StateAwaitingReship, Action: ActionExpire, Kinds: forReissue, To: StateRefunding, Kind: KindRefundOnly, Timeout: true, Note: "the merchant could not send the goods"},
	},
	StateReshipInTransit: {
		{From: StateReshipInTransit, Action: ActionConfirmReceipt, By: byBuyer, Kinds: forExchange, To: StateExchanged, Timeout: true},
		{From: StateReshipInTransit, Action: ActionConfirmReceipt, By: byBuyer, Kinds: forReissue, To: StateReissued, Timeout: true},
		{From: StateReshipInTransit, Action: ActionConfirmReceipt, By: byBuyer, Kinds: forRepair, To: StateRepaired, Timeout: true},
	},
	StateRejected: {
		{From: StateRejected, Action: ActionEscalate, By: byBuyer, To: StateArbitration},
		{From: StateRejected, Action: ActionRequest, By: byBuyer, To: StateClosed, Closed: ClosedSuperseded, Note: "the buyer asks again on the same lines"},
		{From: StateRejected, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateRejected, Action: ActionExpire, To: StateClosed, Closed: ClosedNotEscalated, Timeout: true},
	},
	StateArbitration: {
		{From: StateArbitration, Action: ActionSubmitEvidence, By: byParties, To: StateArbitration, Due: DueKept},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, If: IfForBuyerGoodsStay, To: StateRefunding, Kind: KindRefundOnly},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, If: IfForBuyerGoodsReturned, To: StateRefunding, Kind: KindReturnRefund},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, If: IfForBuyerGoodsComeBack, To: StateAwaitingReturn, Kind: KindReturnRefund},
		{From: StateArbitration, Action: ActionRule, By: byPlatform, If: IfForMerchant, To: StateClosed, Closed: ClosedRuledForMerchant},
		{From: StateArbitration, Action: ActionWithdraw, By: byBuyer, To: StateClosed, Closed: ClosedWithdrawn},
		{From: StateArbitration, Action: ActionSLABreached, To: StateArbitration, Due: DueRepeated, Timeout: true},
	},
	StateRefunding: {
		{From: StateRefunding, Action: ActionRefundSucceeded, By: bySystem, To: StateRefunded},
		{From: StateRefunding, Action: ActionRefundFailed, By: bySystem, To: StateRefundFailed},
		{From: StateRefunding, Action: ActionSLABreached, To: StateRefunding, Due: DueRepeated, Timeout: true},
	},
	StateRefundFailed: {
		{From: StateRefundFailed, Action: ActionRetryRefund, By: byPlatformOrSystem, To: StateRefunding},
		{From: StateRefundFailed, Action: ActionSLABreached, To: StateRefundFailed, Due: DueRepeated, Timeout: true},
	},
}

// Transitions returns the transition table, one row a transition, in a new
// slice.
func Transitions() []Transition {
	var out []Transition
	for _, rows := range table {
		out = append(out, rows...)
	}
	return out
}

// mayResume reports whether a command carrying a may take a row that
// resumes an interrupted deadline, which may have passed meanwhile.
func mayResume(a Action) bool { return int(a) < numActions && resumes[a] }

// resumes is mayResume by action, read from the table once, as it is
// asked on every command.
var resumes = func() (out [numActions]bool) {
	for _, rows := range table {
		for _, r := range rows {
			if r.Due == DueResumed && int(r.Action) < numActions {
				out[r.Action] = true
			}
		}
	}
	return out
}()

// rowsFrom returns the rows that start from s.
func rowsFrom(s State) []Transition {
	if int(s) >= len(table) {
		return nil
	}
	return table[s]
}

// pick returns the row an action from state s takes for a case of kind k:
// the first whose kinds and condition hold, or nil. It returns a pointer
// into the table, which no caller changes.
func pick(s State, a Action, k Kind, f *facts) *Transition {
	rows := rowsFrom(s)
	for i := range rows {
		if r := &rows[i]; r.Action == a && r.Kinds.Has(k) && f.holds(r) {
			return r
		}
	}
	return nil
}

// timeoutRow returns the row the system performs when the deadline of
// state s passes for a case of kind k, or nil if s has none.
func timeoutRow(s State, k Kind, f *facts) *Transition {
	rows := rowsFrom(s)
	for i := range rows {
		if r := &rows[i]; r.Timeout && r.Kinds.Has(k) && f.holds(r) {
			return r
		}
	}
	return nil
}

// facts are what the table's conditions are decided on: the case before
// the event, the ruling a command or an event carries and, for a live
// command, the order and its rules.
type facts struct {
	c           *Case
	ruling      Ruling
	returnGoods bool
	into        State // the state an import names
	// rs and q are the rules and the query of a live command; nil when
	// replaying a record, which has only the event's word for the
	// conditions on the order and the policies: they hold.
	rs *ruleset
	q  *Query
	// settled, if set, receives what the approvers decided once
	// IfApprovedAtOnce asked them: the approval, a veto, or nothing.
	settled *Decision
	// bad, if set, receives the error of an approver whose answer cannot
	// be stored (checkVerdict).
	bad *error
}

// holds reports whether the condition of row r holds.
func (f *facts) holds(r *Transition) bool {
	switch cond := r.If; cond {
	case 0:
		return true
	case IfImportedInto:
		return f.into == r.To
	case IfProposedInReview, IfProposedOnReceipt:
		_, resume, _ := f.c.negotiation()
		return resume == StatePendingReview && cond == IfProposedInReview ||
			resume == StateReturnInTransit && cond == IfProposedOnReceipt
	case IfForMerchant:
		return f.ruling == RulingForMerchant
	case IfForBuyerGoodsComeBack:
		return f.ruling == RulingForBuyer && f.returnGoods
	case IfForBuyerGoodsReturned, IfForBuyerGoodsStay:
		returned := f.c.log.returnParcel() >= 0
		return f.ruling == RulingForBuyer && !f.returnGoods && returned == (cond == IfForBuyerGoodsReturned)
	}
	if f.rs == nil {
		return true
	}
	switch r.If {
	case IfInTransit:
		return f.q.Order.Shipped() && !f.q.Order.Delivered()
	case IfApprovedAtOnce:
		d, ok, err := approve(f.rs, *f.q)
		if err != nil && f.bad != nil {
			*f.bad = err
		}
		if f.settled != nil {
			*f.settled = d
		}
		return ok
	}
	return false
}
