package aftersale

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// logReserve is how many events a new case's log has room for: a whole
// ordinary case (request, approve, ship_return, receive_return,
// refund_succeeded). textReserve and decisionReserve are the room for
// their texts and decisions: the carrier and waybill of the return and one
// more (a key or a note), the decision that covered the request and the
// one on compensation; lineReserve that for the compensation's one line
// and the refund's copy of it for the caller (see compensationCopy). All
// of it fits the 640-byte size class (TestEntrySize).
const (
	logReserve      = 5
	textReserve     = 3
	decisionReserve = 2
	lineReserve     = 2
)

// newCase returns a case with no events yet, with the given IDs, rules
// version and zone, whose log has room for an ordinary case, allocated
// with the case in one piece; and a list of cases holding only it, for an
// order with none yet to start from. Opening and finishing an ordinary
// case allocates nothing more.
func newCase(id, order, version string, opened time.Time) (*Case, []*Case) {
	x := new(caseRoom)
	x.c.id, x.c.order, x.c.policy = id, order, version
	x.c.log = newLog(fixedZone(opened), x.entries[:], x.texts[:], x.decisions[:], x.lines[:])
	x.list[0] = &x.c
	return &x.c, x.list[:]
}

// caseRoom is what newCase allocates.
type caseRoom struct {
	c         Case
	entries   [logReserve]entry
	texts     [textReserve]string
	decisions [decisionReserve]Decision
	lines     [lineReserve]Compensation
	list      [1]*Case
}

// request opens a case. It checks the lines and the amount, the cases
// already open on those lines, and the policies, and only then records the
// new case and closes the cases it supersedes.
func (e *Engine) request(now time.Time, o *Order, cmd *Command, out *Outcome) error {
	rs := e.current
	if cmd.Actor != ActorBuyer {
		return refuse(ErrNotPermitted, "table.wrong_actor", "only the buyer may request after-sale service, not the "+cmd.Actor.String(),
			"只有买家可以申请售后，"+cmd.Actor.Label()+"不可以")
	}
	c, list, superseding, err := e.opening(now, o, cmd)
	if err != nil {
		return err
	}
	q := Query{Order: o, Case: c, At: now, Zone: e.zone}
	cover, err := eligible(rs, q)
	if err != nil {
		return err
	}
	var settled Decision
	var bad error
	opening := pick(0, ActionRequest, cmd.Kind, &facts{c: c, rs: rs, q: &q, settled: &settled, bad: &bad})
	if bad != nil {
		return bad
	}
	ev := &out.Event
	e.build(ev, rs, q, opening, ActorBuyer, cmd, c.amount)
	ev.Decision = cover
	if !settled.IsZero() {
		ev.Decision = settled // the approval, or the veto that stopped one
	}

	if err := e.recordNew(rs, o, c, list, ev); err != nil {
		return err
	}
	out.Case = c
	if superseding {
		for _, old := range o.cases {
			if old == c || !old.Open() || !old.covers(cmd.Lines) {
				continue
			}
			row := e.superseded(o, old, now)
			if row == nil {
				continue
			}
			var sev Event
			e.build(&sev, e.rulesFor(old), Query{Order: o, Case: old, At: now, Zone: e.zone}, row, ActorBuyer, nil, 0)
			sev.Note = c.id
			o.record(old, &sev)
			out.Also = append(out.Also, Change{Case: old, Event: sev})
		}
	}
	return nil
}

// opening checks what a command that opens a case asks of the order (a
// new id, lines it has, an amount within what is left, no other case open
// on the same goods) and returns the new case, not yet recorded, and the
// list to start an order's cases from. superseding says that cases open
// on the same goods give way to the request, closed as superseded once it
// is recorded.
func (e *Engine) opening(now time.Time, o *Order, cmd *Command) (c *Case, list []*Case, superseding bool, err error) {
	id := cmd.Case
	if id == "" {
		id = o.ID + "-" + strconv.Itoa(len(o.cases)+1)
	}
	if o.Case(id) != nil {
		return nil, nil, false, refuse(ErrConflict, "case.id_taken", "order "+o.ID+" already has a case "+strconv.Quote(id), "订单"+o.ID+"已有售后单“"+id+"”")
	}
	if cmd.Kind.needsGoods() && !o.Delivered() {
		return nil, nil, false, refuse(ErrNotPermitted, "order.not_delivered", cmd.Kind.String()+" needs delivered goods to send back; before delivery ask for refund_only",
			cmd.Kind.Label()+"须在商品签收后申请；签收前请申请仅退款")
	}
	value, err := o.unitsValue(cmd.Lines)
	if err != nil {
		return nil, nil, false, err
	}
	// One open case per line: a case whose state has a row for a request
	// is superseded by it, any other is a conflict. What the superseded
	// cases reserved is free again.
	left := o.Amount
	for _, c := range o.cases {
		left -= c.Refunded()
		if !c.Open() {
			continue
		}
		if c.covers(cmd.Lines) {
			if cmd.Action != ActionRequest || e.superseded(o, c, now) == nil {
				return nil, nil, false, refuse(ErrConflict, "line.open_case", "case "+c.id+" is still open ("+c.state.String()+") on the same goods",
					"同一商品的售后单"+c.id+"还在处理中（"+c.state.Label()+"）")
			}
			superseding = true
			continue
		}
		left -= c.amount
	}
	amount := cmd.Amount
	switch {
	case len(cmd.Lines) > 0 && amount == 0:
		amount = value
	case len(cmd.Lines) > 0 && amount > value:
		return nil, nil, false, refuse(ErrInvalidInput, "line.above_value", "the request asks "+amount.String()+" for units worth "+value.String(),
			"申请金额"+yuan(amount)+"超过所选商品的价值"+yuan(value))
	case amount == 0:
		amount = left
	}
	if amount <= 0 {
		return nil, nil, false, capError(ruleCapNothingLeft, "nothing is left to refund on order "+o.ID, "订单"+o.ID+"已没有可退的金额")
	}
	if amount > left {
		return nil, nil, false, capError(ruleCapExceeded, "the request asks "+amount.String()+" but only "+left.String()+" of the order is left to refund",
			"申请金额"+yuan(amount)+"超过订单剩余可退的"+yuan(left))
	}

	c, list = newCase(id, o.ID, e.current.version, now)
	c.kind, c.reason, c.amount = cmd.Kind, cmd.Reason, amount
	if len(cmd.Lines) > 0 {
		c.lines = slices.Clone(cmd.Lines)
	}
	return c, list, superseding, nil
}

// recordNew adds c, a case opening with ev, to the order and records ev;
// list is what opening returned. On error the order is as it was.
func (e *Engine) recordNew(rs *ruleset, o *Order, c *Case, list []*Case, ev *Event) error {
	cases := o.cases
	if cap(o.cases) == 0 {
		o.cases = list
	} else {
		o.cases = append(o.cases, c)
	}
	if err := e.record(rs, o, c, ev); err != nil {
		o.cases = cases
		return err
	}
	return nil
}

// superseded returns the row a new request on the same goods takes on c,
// or nil if c blocks it.
func (e *Engine) superseded(o *Order, c *Case, now time.Time) *Transition {
	q := Query{Order: o, Case: c, At: now, Zone: e.zone}
	return pick(c.state, ActionRequest, c.kind, &facts{c: c, rs: e.rulesFor(c), q: &q})
}

// unitsValue checks the units a request names against the order's lines
// and returns what they are worth: each line's next units, after those
// already refunded.
func (o *Order) unitsValue(units []Units) (Money, error) {
	if len(units) > 0 && len(o.Lines) == 0 {
		return 0, refuse(ErrInvalidInput, "line.no_lines", "order "+o.ID+" has no lines to name", "订单"+o.ID+"没有商品行，不能按商品申请")
	}
	var value Money
	for _, u := range units {
		l, ok := o.line(u.Line)
		if !ok {
			return 0, refuse(ErrInvalidInput, "line.unknown", "order "+o.ID+" has no line "+strconv.Quote(u.Line), "订单"+o.ID+"没有商品行“"+u.Line+"”")
		}
		done := o.unitsRefunded(u.Line)
		if u.Quantity > l.Quantity-done {
			return 0, refuse(ErrInvalidInput, "line.units_left", "line "+u.Line+": the request names "+strconv.Itoa(u.Quantity)+" units, but only "+strconv.Itoa(l.Quantity-done)+" are left to refund",
				"商品行"+u.Line+"申请"+strconv.Itoa(u.Quantity)+"件，但只剩"+strconv.Itoa(l.Quantity-done)+"件可退")
		}
		value += l.value(done, u.Quantity)
	}
	return value, nil
}

// eligible asks the grants and limits, each once, whether a request may
// open. It returns the decision of the first grant that covers it, or an
// ErrNotEligible error built from the answers: every grant's when none
// covers it, the most specific first (a refusal before a rule that does not
// apply), then every limit that forbids it.
func eligible(rs *ruleset, q Query) (Decision, error) {
	var buf [4]Answer // the grants' answers, on the stack unless a denial needs them
	answers := buf[:0]
	var cover Decision
	covered := len(rs.grants) == 0
	for _, g := range rs.grants {
		answers = append(answers, g.Cover(q))
		if err := checkVerdict(g, answers[len(answers)-1]); err != nil {
			return Decision{}, err
		}
		if a := &answers[len(answers)-1]; a.Verdict == VerdictAllow {
			cover, covered = a.decision(g.Name()), true
			answers = answers[:len(answers)-1]
			break
		}
	}
	var reasons []Decision
	if !covered {
		reasons = make([]Decision, len(answers), len(answers)+len(rs.limits))
		for i, a := range answers {
			reasons[i] = a.decision(rs.grants[i].Name())
		}
	}
	for _, l := range rs.limits {
		a := l.Check(q)
		if err := checkVerdict(l, a); err != nil {
			return Decision{}, err
		}
		if a.Verdict == VerdictDeny {
			reasons = append(reasons, a.decision(l.Name()))
		}
	}
	if covered && len(reasons) == 0 {
		return cover, nil
	}
	slices.SortStableFunc(reasons, func(a, b Decision) int { return int(b.Verdict) - int(a.Verdict) })
	msg, zh, rule := "no policy covers the request", "不符合售后条件", ruleNotCovered
	if covered {
		msg, zh, rule = "a limit forbids the request", "售后申请受到限制", ruleLimited
	}
	rule = cmp.Or(reasons[0].Rule, rule) // a host's policy may deny with no rule
	sep := "："
	for _, r := range reasons {
		if r.Zh != "" {
			zh, sep = zh+sep+r.Zh, "；"
		}
	}
	return Decision{}, &Error{Code: ErrNotEligible, Message: msg, Zh: zh, Rule: rule, Reasons: reasons}
}

// The rule ids of a denial whose most specific reason has none (a host's
// policy may answer without a Rule): no grant covers the request, or a
// limit forbids it.
const (
	ruleNotCovered = "eligibility.not_covered"
	ruleLimited    = "eligibility.limited"
)

// checkVerdict refuses an answer of p whose verdict is none of the
// three: no event could store it. It takes a Grant, Limit, Approver or
// Compensator as it is: turning one into a Policy is a run-time look-up.
func checkVerdict[P Policy](p P, a Answer) error {
	if a.Verdict > VerdictDeny {
		return refuse(ErrInvalidInput, "answer.bad_verdict", "policy "+p.Name()+" answered verdict "+strconv.Itoa(int(a.Verdict))+", which is not pass, allow or deny",
			"政策"+p.Name()+"给出了未知的结论（"+strconv.Itoa(int(a.Verdict))+"）")
	}
	return nil
}

// approve asks the approvers, each once, whether an eligible request is
// approved at once. Any veto stops automatic approval. It reports the
// decision that settles it: the approval, or the veto that stopped one; or
// the zero Decision if no approver approves. An answer checkVerdict
// refuses is err, and approves nothing.
func approve(rs *ruleset, q Query) (settled Decision, approved bool, err error) {
	var yes, veto Answer
	var yesBy, vetoBy Policy
	for _, p := range rs.approvers {
		a := p.Approve(q)
		if err := checkVerdict(p, a); err != nil {
			return Decision{}, false, err
		}
		switch {
		case a.Verdict == VerdictAllow && yesBy == nil:
			yes, yesBy = a, p
		case a.Verdict == VerdictDeny && vetoBy == nil:
			veto, vetoBy = a, p
		}
	}
	switch {
	case yesBy == nil:
		return Decision{}, false, nil
	case vetoBy != nil:
		return veto.decision(vetoBy.Name()), false, nil
	}
	return yes.decision(yesBy.Name()), true, nil
}

// fact records a fact about the order: shipped or delivered. A case whose
// state has a row for the fact follows it: a delivery ends an
// interception, and the case waits for the goods to come back.
func (e *Engine) fact(now time.Time, o *Order, cmd *Command, out *Outcome) error {
	if cmd.Actor != ActorSystem {
		return refuse(ErrNotPermitted, "order.system_only", "only the system may record that an order was "+cmd.Action.String(),
			"只有系统可以记录“"+cmd.Action.Label()+"”，"+cmd.Actor.Label()+"不可以")
	}
	if cmd.Action == ActionShipped {
		if o.Shipped() {
			return refuse(ErrNotPermitted, "order.already_shipped", "order "+o.ID+" was already shipped at "+o.ShippedAt.Format(time.RFC3339),
				"订单"+o.ID+"已于"+zhTime(o.ShippedAt)+"发货")
		}
		o.ShippedAt, o.shippedKey = now, cmd.Key
		o.version++
		return nil
	}
	switch {
	case !o.Shipped():
		return refuse(ErrNotPermitted, "order.not_shipped", "order "+o.ID+" cannot be delivered before it is shipped", "订单"+o.ID+"尚未发货，不能签收")
	case o.Delivered():
		return refuse(ErrNotPermitted, "order.already_delivered", "order "+o.ID+" was already delivered at "+o.DeliveredAt.Format(time.RFC3339),
			"订单"+o.ID+"已于"+zhTime(o.DeliveredAt)+"签收")
	}
	o.DeliveredAt, o.deliveredKey = now, cmd.Key
	o.version++
	for _, c := range o.cases {
		rs, q := e.rulesFor(c), Query{Order: o, Case: c, At: now, Zone: e.zone}
		row := pick(c.state, ActionDelivered, c.kind, &facts{c: c, rs: rs, q: &q})
		if row == nil || !c.Open() {
			continue
		}
		var ev Event
		e.build(&ev, rs, q, row, ActorSystem, nil, 0)
		o.record(c, &ev)
		out.Also = append(out.Also, Change{Case: c, Event: ev})
	}
	return nil
}
