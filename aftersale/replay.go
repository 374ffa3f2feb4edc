package aftersale

import (
	"bytes"
	"cmp"
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
		return refuse(ErrInvalidInput, "json.incomplete_record", "replay: a case needs an id and an order id", "售后单记录缺少售后单号或订单号")
	}
	if len(r.Events) == 0 {
		return refuse(ErrInvalidInput, "json.no_events", "replay: case "+r.ID+" has no events", "售后单"+r.ID+"没有任何记录")
	}
	for i, u := range r.Lines {
		if u.Line == "" || u.Quantity < 1 {
			return refuse(ErrInvalidInput, "json.bad_lines", "replay: case "+r.ID+": lines["+strconv.Itoa(i)+"] is not a line and a quantity",
				"售后单"+r.ID+"的商品明细第"+strconv.Itoa(i+1)+"项须有商品行编号，数量至少为1")
		}
	}
	c.id, c.order, c.policy = r.ID, r.Order, r.PolicyVersion
	if len(r.Lines) > 0 {
		c.lines = slices.Clone(r.Lines)
	}
	for i := range r.Events {
		e := &r.Events[i] // read, never written: it is the caller's
		if err := c.check(e); err != nil {
			return refuse(ErrInvalidInput, "json.bad_event", "replay: case "+r.ID+", event "+strconv.Itoa(i+1)+" ("+e.Action.String()+"): "+err.Error(),
				"售后单"+r.ID+"的第"+strconv.Itoa(i+1)+"条记录（"+cmp.Or(e.Action.Label(), "未知操作")+"）与之前的记录或状态流转不符")
		}
		if e.Key != "" {
			if _, dup := c.log.withKey(e.Key); dup {
				return refuse(ErrInvalidInput, "json.shared_key", "replay: case "+r.ID+", event "+strconv.Itoa(i+1)+": the key "+strconv.Quote(e.Key)+" is an earlier event's",
					"售后单"+r.ID+"的第"+strconv.Itoa(i+1)+"条记录与之前的记录用了同一个幂等键“"+e.Key+"”")
			}
		}
		if err := c.commit(e); err != nil {
			return refuse(ErrInvalidInput, "json.events_out_of_order", "replay: case "+r.ID+", event "+strconv.Itoa(i+1)+": stamped before the event before it",
				"售后单"+r.ID+"的第"+strconv.Itoa(i+1)+"条记录早于上一条记录")
		}
	}
	return nil
}

// replayError is a reason Replay refuses an event.
type replayError string

func (e replayError) Error() string { return string(e) }

// check reports why e cannot be the next event of c, or nil.
func (c *Case) check(e *Event) error {
	_, atOK := eventTime(e.At)
	_, dueOK := momentIn(e.Due)
	switch {
	case e.Seq != c.Version()+1:
		return replayError("seq is " + strconv.Itoa(e.Seq) + ", expected " + strconv.Itoa(c.Version()+1))
	case e.At.IsZero():
		return replayError("no time")
	case !atOK || !dueOK:
		return replayError("a time is out of range (events 1970 to 2200, deadlines to 2262)")
	case !checkedZones{c.log.loc}.wholeMinute(e.At) || !checkedZones{c.log.loc}.wholeMinute(e.Due): // the log's zone is fixed, at the first event's checked offset
		return replayError("a time is in a zone whose offset from UTC is not a whole minute")
	case !enumValid(actorNames[:], e.Actor) || !enumValid(actionNames[:], e.Action) ||
		!enumValid(stateNames[:], e.To) || !enumValid(kindNames[:], e.Kind):
		return replayError("actor, action, to or kind is missing or unknown")
	case e.From != c.state:
		return replayError("from " + e.From.String() + " but the case is " + c.state.String())
	case e.Amount < 0 || e.Freight < 0 || e.Amount > maxMoney || e.Freight > maxMoney:
		return replayError("money out of range")
	case e.Closed != 0 && !enumValid(closedNames[:], e.Closed), e.Reason != 0 && !enumValid(reasonNames[:], e.Reason),
		e.Ruling != 0 && !enumValid(rulingNames[:], e.Ruling):
		return replayError("closed_reason, reason or ruling is unknown")
	case e.Freight != 0 && argsOf(e.Action).may&argFreight == 0:
		return replayError("freight goes only with an action that takes it, such as ship_return")
	case len(e.Record) != 0 && e.Action != ActionImport:
		return replayError("a platform's record goes only with an import")
	case e.To.Terminal() != e.Due.IsZero():
		return replayError("an open case needs a deadline, and a finished one has none")
	case !e.Due.IsZero() && e.Due.Before(e.At) && e.Action != ActionDecline:
		return replayError("deadline before the event")
	case c.state.Terminal():
		return replayError("the case was already " + c.state.String())
	}
	row := c.rowOf(e)
	if row == nil {
		return replayError(e.Action.String() + " does not lead from " + c.state.String() + " to " + e.To.String() + " for a " + c.kind.String() + " case")
	}
	if !row.By.Has(e.Actor) && !(row.Timeout && e.Actor == ActorSystem) {
		return replayError("the " + e.Actor.String() + " may not " + e.Action.String() + " in " + c.state.String())
	}
	if row.From != 0 && e.Kind != cmp.Or(row.Kind, c.kind) {
		return replayError("the kind cannot become " + e.Kind.String() + " here")
	}
	if e.Closed != row.Closed {
		return replayError("closed_reason " + e.Closed.String() + " does not go with this transition")
	}
	switch row.Due {
	case DueKept:
		if momentOf(e.Due) != c.pending() {
			return replayError("the deadline still counts: " + e.Action.String() + " does not move it")
		}
	case DueCapped:
		if p := c.pending(); momentOf(e.Due) > p {
			return replayError("the deadline cannot be later than the one it interrupts")
		}
	case DueResumed:
		if _, _, due := c.negotiation(); momentOf(e.Due) != due {
			return replayError("the deadline of the state it goes back to still counts")
		}
	}
	return c.checkArgs(e)
}

// rowOf returns the row of the table the event took from the case's
// state, or nil. The conditions the record cannot answer (whether an
// approver approved, the order's facts at the time) are taken at the
// event's word.
func (c *Case) rowOf(e *Event) *Transition {
	k := c.kind
	if c.state == 0 {
		k = e.Kind
	}
	f := facts{c: c, ruling: e.Ruling, returnGoods: e.ReturnGoods, into: e.To}
	rows := rowsFrom(c.state)
	for i := range rows {
		if r := &rows[i]; r.Action == e.Action && r.To == e.To && r.Kinds.Has(k) && f.holds(r) {
			return r
		}
	}
	return nil
}

// checkArgs checks what the event says about money against the case it
// follows.
func (c *Case) checkArgs(e *Event) error {
	switch e.Action {
	case ActionRequest:
		if c.state == 0 && (e.Actor != ActorBuyer || e.Reason == 0 || e.Amount <= 0) {
			return replayError("a case opens with the buyer's request, with a reason and an amount")
		}
	case ActionImport:
		if e.Reason == 0 || e.Amount <= 0 {
			return replayError("an imported case has a reason and an amount")
		}
		if b, err := canonicalRecord(e.Record); err != nil || !bytes.Equal(b, e.Record) {
			return replayError("an import keeps the platform's record, a JSON object in compact form")
		}
	case ActionRule:
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
	case ActionRefundSucceeded:
		if e.Amount != c.amount {
			return replayError("the refund is " + e.Amount.String() + " but the case asks for " + c.amount.String())
		}
	}
	return c.checkCompensation(e)
}

// checkCompensation checks the compensation lines e records against the
// case: lines a case can hold, each payer once, on an event that decides
// them (see Event.decidesCompensation) if nothing was decided before, or
// on refund_succeeded, which pays what was.
func (c *Case) checkCompensation(e *Event) error {
	if len(e.Compensation) == 0 && e.CompensationDecision.IsZero() && e.Action != ActionRefundSucceeded {
		return nil // the usual event
	}
	decided := c.log.compensation()
	wasDecided := len(decided) > 0 || c.log.compensationDecided()
	if e.Action == ActionRefundSucceeded && wasDecided && (!slices.Equal(e.Compensation, decided) || !e.CompensationDecision.IsZero()) {
		return replayError("the refund pays the compensation decided before it, not another")
	}
	if len(e.Compensation) == 0 && e.CompensationDecision.IsZero() {
		return nil
	}
	if !linesOK(e.Compensation) {
		return replayError("a compensation line is above zero and within what a case can hold, for a known payer named once")
	}
	switch {
	case !e.decidesCompensation():
		return replayError("a compensation goes only with the event that takes the case into refunding or receives the goods, and with refund_succeeded")
	case wasDecided && e.Action != ActionRefundSucceeded:
		return replayError("the compensation was decided before")
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
	texts, keys, decisions, lines := 0, 0, 0, 0
	for i := range events {
		e := &events[i]
		if e.Action != ActionRefundSucceeded { // a refund's lines repeat those decided (repeatsCompensation)
			lines += len(e.Compensation)
		}
		for _, s := range e.texts() {
			if *s != "" {
				texts++
			}
		}
		if e.Action == ActionImport {
			texts++ // its record
		}
		if e.Key != "" {
			keys = 1
		}
		for _, d := range e.decisions() {
			if !d.IsZero() {
				decisions++
			}
		}
	}
	c := &Case{}
	c.log.entries = make([]entry, 0, len(events)+1)
	if texts > 0 {
		c.log.texts = make([]string, 0, texts+keys)
	}
	if decisions > 0 {
		c.log.decisions = make([]Decision, 0, decisions)
	}
	if lines > 0 {
		c.log.lines = make([]Compensation, 0, lines)
	}
	return c
}
