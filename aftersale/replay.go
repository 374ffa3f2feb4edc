package aftersale

import (
	"slices"
	"strconv"
)

// Record is a case as a host stores it: who it is and what happened to
// it. Everything else about a case (state, kind, amounts, the pending
// deadline) follows from the events, so Replay rebuilds it without asking
// any policy.
type Record struct {
	ID            string  `json:"id"`
	Order         string  `json:"order"`
	PolicyVersion string  `json:"policy_version"`
	Lines         []Units `json:"lines,omitempty"`
	Events        []Event `json:"events"`
}

// Record returns the case's record, in new slices.
func (c *Case) Record() Record {
	return Record{ID: c.id, Order: c.order, PolicyVersion: c.policy, Lines: c.Lines(), Events: c.Events()}
}

// Replay rebuilds a case from its record, checking every event against the
// transition table on the way: numbered in order, stamped in order, from
// the state the case was in, by an actor allowed to, to a state the table
// allows. A record that fails a check is ErrInvalidInput, naming the event.
// Replaying the record of a case gives a case equal to it.
func Replay(r Record) (*Case, error) {
	c := caseOf(r.Events)
	if err := c.replay(r); err != nil {
		return nil, err
	}
	return c, nil
}

// replay folds the record into c, an empty case with room for its events.
func (c *Case) replay(r Record) error {
	if r.ID == "" || r.Order == "" {
		return fail(ErrInvalidInput, "replay: a case needs an id and an order id")
	}
	if len(r.Events) == 0 {
		return fail(ErrInvalidInput, "replay: case "+r.ID+" has no events")
	}
	for i, u := range r.Lines {
		if u.Line == "" || u.Quantity < 1 {
			return fail(ErrInvalidInput, "replay: case "+r.ID+": lines["+strconv.Itoa(i)+"] is not a line and a quantity")
		}
	}
	c.id, c.order, c.policy = r.ID, r.Order, r.PolicyVersion
	if len(r.Lines) > 0 {
		c.lines = slices.Clone(r.Lines)
	}
	for i, e := range r.Events {
		if err := c.check(e); err != nil {
			return fail(ErrInvalidInput, "replay: case "+r.ID+", event "+strconv.Itoa(i+1)+" ("+e.Action.String()+"): "+err.Error())
		}
		if err := c.commit(&e); err != nil {
			return fail(ErrInvalidInput, "replay: case "+r.ID+", event "+strconv.Itoa(i+1)+": stamped before the event before it")
		}
	}
	return nil
}

// replayError is a reason Replay refuses an event.
type replayError string

func (e replayError) Error() string { return string(e) }

// check reports why e cannot be the next event of c, or nil.
func (c *Case) check(e Event) error {
	switch {
	case e.Seq != c.Version()+1:
		return replayError("seq is " + strconv.Itoa(e.Seq) + ", expected " + strconv.Itoa(c.Version()+1))
	case e.At.IsZero():
		return replayError("no time")
	case !enumValid(actorNames[:], e.Actor) || !enumValid(actionNames[:], e.Action) ||
		!enumValid(stateNames[:], e.To) || !enumValid(kindNames[:], e.Kind):
		return replayError("actor, action, to or kind is missing or unknown")
	case e.From != c.state:
		return replayError("from " + e.From.String() + " but the case is " + c.state.String())
	case e.Amount < 0 || e.Freight < 0 || e.Compensation < 0 || e.Amount > maxMoney || e.Freight > maxMoney || e.Compensation > maxMoney:
		return replayError("money out of range")
	case e.Closed != 0 && !enumValid(closedNames[:], e.Closed), e.Reason != 0 && !enumValid(reasonNames[:], e.Reason),
		e.Ruling != 0 && !enumValid(rulingNames[:], e.Ruling), e.Payer != 0 && !enumValid(payerNames[:], e.Payer):
		return replayError("closed_reason, reason, ruling or payer is unknown")
	case e.Freight != 0 && e.Action != ActionShipReturn:
		return replayError("freight goes with ship_return only")
	case (e.Compensation != 0 || e.Payer != 0) && e.Action != ActionRefundSucceeded:
		return replayError("a compensation and its payer go with refund_succeeded only")
	case (e.To == StateClosed) != (e.Closed != 0):
		return replayError("a closed_reason goes with closed, and only with it")
	case e.To.Terminal() != e.Due.IsZero():
		return replayError("an open case needs a deadline, and a finished one has none")
	case !e.Due.IsZero() && e.Due.Before(e.At) && e.Action != ActionDecline:
		return replayError("deadline before the event")
	}
	if c.state == 0 {
		return c.checkOpening(e)
	}
	if c.state.Terminal() {
		return replayError("the case was already " + c.state.String())
	}
	if e.Action == ActionSLABreached {
		if !c.state.alerting() || e.To != c.state || e.Actor != ActorSystem || e.Kind != c.kind {
			return replayError("an alert is raised by the system in refunding, arbitration or refund_failed, and changes nothing")
		}
		return nil
	}
	row := findRow(c.state, e.Action, c.kind, e.To)
	if row == nil {
		return replayError(e.Action.String() + " does not lead from " + c.state.String() + " to " + e.To.String() + " for a " + c.kind.String() + " case")
	}
	if !row.By.Has(e.Actor) && !(row.Timeout && e.Actor == ActorSystem) {
		return replayError("the " + e.Actor.String() + " may not " + e.Action.String() + " in " + c.state.String())
	}
	if e.Closed != row.Closed {
		return replayError("closed_reason " + e.Closed.String() + " does not go with this transition")
	}
	return c.checkArgs(e)
}

// checkOpening checks the request that opens a case.
func (c *Case) checkOpening(e Event) error {
	if e.Action != ActionRequest || e.Actor != ActorBuyer {
		return replayError("a case opens with the buyer's request")
	}
	if findRow(0, ActionRequest, e.Kind, e.To) == nil {
		return replayError("a " + e.Kind.String() + " request cannot open in " + e.To.String())
	}
	if e.Reason == 0 || e.Amount <= 0 {
		return replayError("a request needs a reason and an amount")
	}
	return nil
}

// checkArgs checks what the event says about money and kinds against the
// case it follows.
func (c *Case) checkArgs(e Event) error {
	kindKept := e.Kind == c.kind
	switch e.Action {
	case ActionDelivered:
		kindKept = e.Kind == KindReturnRefund
	case ActionExpire:
		if c.state == StateAwaitingReship {
			kindKept = e.Kind == KindReturnRefund
		}
	case ActionRule:
		kindKept = e.Ruling == RulingForMerchant && e.Kind == c.kind ||
			e.Ruling == RulingForBuyer && (e.Kind == KindReturnRefund || e.Kind == KindRefundOnly)
		if e.Ruling == 0 || e.Ruling == RulingForBuyer && e.Amount <= 0 {
			return replayError("a ruling names who it is for and, for the buyer, an amount")
		}
	case ActionPropose:
		if e.Amount <= 0 || e.Amount >= c.amount {
			return replayError("a proposal is above zero and below what the case asks for")
		}
	case ActionAccept:
		if offer := c.Proposal(); e.Amount != offer {
			return replayError("accepting agrees to the proposed " + offer.String())
		}
	case ActionDecline:
		if _, resume, due := c.negotiation(); e.To != resume || momentOf(e.Due) != due {
			return replayError("a decline goes back to " + resume.String() + " and its deadline")
		}
	case ActionRefundSucceeded:
		if e.Amount != c.amount {
			return replayError("the refund is " + e.Amount.String() + " but the case asks for " + c.amount.String())
		}
		if (e.Compensation > 0) != (e.Payer != 0) {
			return replayError("a compensation names its payer, and only a compensation does")
		}
	case ActionSubmitEvidence:
		if momentOf(e.Due) != c.pending() {
			return replayError("evidence does not move the deadline")
		}
	}
	if !kindKept {
		return replayError("the kind cannot become " + e.Kind.String() + " here")
	}
	return nil
}

// caseOf returns an empty case for the events of a record loaded from
// storage. Its log has room for exactly one more event (a host loads a case
// to act on it, and the next event then appends without growing the log),
// and, if the record's events carry keys, its texts have room for that
// event's key; its decisions have room for the record's own. A case at
// rest takes little more than what it holds.
func caseOf(events []Event) *Case {
	texts, keys, decisions := 0, 0, 0
	for i := range events {
		e := &events[i]
		for _, s := range e.texts() {
			if *s != "" {
				texts++
			}
		}
		if e.Key != "" {
			keys = 1
		}
		if !e.Decision.IsZero() {
			decisions++
		}
	}
	c := &Case{log: make([]entry, 0, len(events)+1)}
	if texts > 0 {
		c.texts = make([]string, 0, texts+keys)
	}
	if decisions > 0 {
		c.decisions = make([]Decision, 0, decisions)
	}
	return c
}
