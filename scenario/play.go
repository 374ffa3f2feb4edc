package scenario

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// Play plays the scenario from the order's facts on a mock clock that
// starts when the order was paid and moves only from step to step. For each step that moves the clock, it
// brings the order to the new time (engine.AdvanceTo), so every deadline
// due by then fires first, in order; then it sends the step's command
// (engine.ApplyAt) and checks the step's expectations.
//
// A refused command, an expected error that did not come and an
// expectation that did not hold are Failures in the Result; playing goes
// on with the next step. Play returns an error only if the scenario cannot
// be played at all: its rules do not make an engine, or its order is not
// valid.
func Play(s *Scenario) (Result, error) {
	zone := s.Zone
	if zone == nil {
		zone = timeline.UTC8()
	}
	mock := &stepClock{now: s.Order.PaidAt}
	engine, err := aftersale.New(aftersale.Config{Rules: s.Rules, Clock: mock, Zone: zone})
	if err != nil {
		return Result{}, &Error{File: s.File, Field: "policy", Err: err}
	}
	if s.Order.NumCases() > 0 {
		return Result{}, &Error{File: s.File, Field: "order", Err: errors.New("has cases already: a scenario starts from the order's facts")}
	}
	order := s.Order // a copy: the scenario stays as written
	order.Lines = slices.Clone(order.Lines)
	if err := order.Validate(); err != nil {
		return Result{}, &Error{File: s.File, Field: "order", Err: err}
	}
	p := &player{
		zone: zone, clock: mock, engine: engine, order: &order,
		kinds: map[string]aftersale.Kind{},
		res:   Result{File: s.File, Name: s.Name, Failures: []Failure{}, Timeline: []Row{}, Order: &order},
	}
	for i, st := range s.Steps {
		p.step(i+1, st)
	}
	p.res.Passed = len(p.res.Failures) == 0
	return p.res, nil
}

// player plays one scenario.
type player struct {
	zone   *time.Location
	clock  *stepClock
	engine *aftersale.Engine
	order  *aftersale.Order
	kinds  map[string]aftersale.Kind // each case's kind in its latest row, to show changes
	res    Result

	deadlines int // the rows of deadlines that passed, so far
}

// stepClock is the scenario's mock clock: it reads the time the steps set.
// (clock.Mock from github.com/benbjohnson/clock would do, but it sleeps a
// millisecond each time it is set, which adds up over many scenarios.)
type stepClock struct{ now time.Time }

// Now returns the time the last step set.
func (c *stepClock) Now() time.Time { return c.now }

// step plays step n.
func (p *player) step(n int, st Step) {
	if !st.At.IsZero() && !st.At.Equal(p.clock.Now()) {
		p.clock.now = st.At
		// ApplyAt would fire what fell due too, but as part of the
		// command's outcome; advancing first gives each deadline a row of
		// its own, and a step without a command needs it anyway.
		fired, err := p.engine.AdvanceTo(p.clock.Now(), p.order)
		switch {
		case err == nil:
			p.changes(n, fired, true)
		case st.Command.Action == 0:
			// With a command, ApplyAt refuses the time too, as the command's error.
			p.fail(n, "at", "a time the order accepts", errorText(err))
		}
	}
	now := p.clock.Now()
	if st.Command.Action != 0 {
		p.act(n, now, st.Command, st.Expect.Error)
	}
	p.check(n, st.Expect)
}

// act sends a command; want is the error code it must fail with, or zero
// if it must succeed.
func (p *player) act(n int, now time.Time, cmd aftersale.Command, want aftersale.Code) {
	var before []byte
	if want != 0 {
		before = p.snapshot(n)
	}
	out, err := p.engine.ApplyAt(now, p.order, cmd)
	if err == nil {
		p.applied(n, now, cmd, out)
		if want != 0 {
			p.fail(n, "error", want.String(), "no error: the action succeeded")
		}
		return
	}
	p.add(Row{
		Step: n, At: now.In(p.zone), Actor: cmd.Actor, Action: cmd.Action,
		Args: commandArgs(cmd), Case: cmd.Case,
		Refused: aftersale.CodeOf(err), Message: message(err), MessageZh: cmp.Or(reasonsZh(err), refusalZh(err)),
	})
	switch got := aftersale.CodeOf(err); {
	case want == 0:
		p.fail(n, "error", "no error", errorText(err))
	case got != want:
		p.fail(n, "error", want.String(), errorText(err))
	case !bytes.Equal(before, p.snapshot(n)):
		p.fail(n, "error", "the order unchanged", "the order changed although the action failed")
	}
}

// snapshot returns the order's JSON form, to compare before and after a
// command that must fail.
func (p *player) snapshot(n int) []byte {
	b, err := json.Marshal(p.order)
	if err != nil {
		p.fail(n, "error", "an order that encodes", err.Error())
	}
	return b
}

// applied adds the rows of a command that succeeded.
func (p *player) applied(n int, now time.Time, cmd aftersale.Command, out aftersale.Outcome) {
	switch {
	case out.Repeat:
		r := Row{Step: n, At: now.In(p.zone), Actor: cmd.Actor, Action: cmd.Action, Args: commandArgs(cmd), Repeat: true,
			Message:   "key " + strconv.Quote(cmd.Key) + " was applied before; nothing changed",
			MessageZh: "幂等键 " + strconv.Quote(cmd.Key) + " 已处理过，未作改动"}
		if out.Case != nil {
			r.Case = out.Case.ID()
			r.Message = "key " + strconv.Quote(cmd.Key) + " was applied before as event " + strconv.Itoa(out.Event.Seq) + "; nothing changed"
			r.MessageZh = "幂等键 " + strconv.Quote(cmd.Key) + " 已作为第 " + strconv.Itoa(out.Event.Seq) + " 个事件处理过，未作改动"
		}
		p.add(r)
	case out.Case == nil: // an order fact
		p.add(Row{Step: n, At: now.In(p.zone), Actor: cmd.Actor, Action: cmd.Action,
			Message: "order " + p.order.ID + " is " + cmd.Action.String(), MessageZh: "订单 " + p.order.ID + " " + factZh[cmd.Action]})
	default:
		p.event(n, out.Case, out.Event)
	}
	p.changes(n, out.Also, false)
}

// changes adds a row for each change; fired says they are deadlines that
// passed as the clock moved. A change a command brought about is one too
// if the deadlines decided it.
func (p *player) changes(n int, changes []aftersale.Change, fired bool) {
	for _, ch := range changes {
		p.event(n, ch.Case, ch.Event)
		if fired || ch.Event.Decision.Policy == (aftersale.Deadlines{}).Name() {
			p.deadlines++
			p.res.Timeline[len(p.res.Timeline)-1].Deadline = p.deadlines
		}
	}
}

// event adds the row of an event appended to case c.
func (p *player) event(n int, c *aftersale.Case, ev aftersale.Event) {
	var lines []aftersale.Units
	if ev.Action == aftersale.ActionRequest && ev.From == 0 {
		lines = c.Lines()
	}
	prev, seen := p.kinds[c.ID()]
	p.kinds[c.ID()] = ev.Kind
	p.add(Row{
		Step: n, At: ev.At.In(p.zone), Actor: ev.Actor, Action: ev.Action,
		Args: eventArgs(ev, lines, seen && prev != ev.Kind), Case: c.ID(),
		From: ev.From, To: ev.To, Closed: ev.Closed, Decision: ev.Decision, CompensationDecision: ev.CompensationDecision,
		Warnings: warnings(ev.Decision, ev.CompensationDecision),
	})
}

// carrierRule is the freight insurance's refusal for goods sent back with
// a carrier it does not designate: a warning whatever its verdict, since
// the buyer may bear the freight for it without anything failing.
const carrierRule = "freight_subsidy.carrier"

// warns reports whether a decision recorded on an event is a warning: a
// deny, or the designated-carrier refusal.
func warns(d aftersale.Decision) bool {
	return d.Verdict == aftersale.VerdictDeny || d.Rule == carrierRule
}

// warnings names the decisions that are warnings, by rule id, or by
// policy for a decision without one; nil if none is.
func warnings(ds ...aftersale.Decision) []string {
	var out []string
	for _, d := range ds {
		if warns(d) {
			out = append(out, cmp.Or(d.Rule, d.Policy))
		}
	}
	return out
}

func (p *player) add(r Row) { p.res.Timeline = append(p.res.Timeline, r) }

func (p *player) fail(n int, field, want, got string) {
	p.res.Failures = append(p.res.Failures, Failure{Step: n, Field: field, Want: want, Got: got})
}

// check checks the expectations about the case, as it is now.
func (p *player) check(n int, x Expect) {
	if !x.checksCase() {
		return
	}
	id := x.caseID()
	c := p.order.Case(id)
	if c == nil {
		p.fail(n, "case", "a case named "+strconv.Quote(id), "none: no request opened it")
		return
	}
	if x.State != 0 && c.State() != x.State {
		p.fail(n, "state", x.State.String(), c.State().String())
	}
	if x.Kind != 0 && c.Kind() != x.Kind {
		p.fail(n, "kind", x.Kind.String(), c.Kind().String())
	}
	if x.ClosedReason != 0 && c.ClosedReason() != x.ClosedReason {
		p.fail(n, "closed_reason", x.ClosedReason.String(), orNone(c.ClosedReason()))
	}
	if x.Refunded != nil && c.Refunded() != *x.Refunded {
		p.fail(n, "refunded", x.Refunded.String(), c.Refunded().String())
	}
	if got := c.Compensated(0); x.Compensation != nil && got != *x.Compensation {
		p.fail(n, "compensation", x.Compensation.String(), got.String())
	}
	if x.CompensationBy != nil {
		got := map[aftersale.Payer]aftersale.Money{}
		for _, l := range c.Compensation() {
			got[l.Payer] = l.Amount
		}
		maps.DeleteFunc(x.CompensationBy, func(_ aftersale.Payer, m aftersale.Money) bool { return m == 0 }) // pays nothing: left out
		if !maps.Equal(got, x.CompensationBy) {
			p.fail(n, "compensation_by", byPayer(x.CompensationBy), byPayer(got))
		}
	}
	if x.DecidedBy != "" {
		last, _ := c.LastEvent()
		if got := policies(last.Decision, last.CompensationDecision); last.Decision.Policy != x.DecidedBy && last.CompensationDecision.Policy != x.DecidedBy {
			p.fail(n, "decided_by", x.DecidedBy, cmp.Or(got, "none"))
		}
	}
	if got := c.Deadline().At; !x.NextDeadline.IsZero() && !got.Equal(x.NextDeadline) {
		text := "none"
		if !got.IsZero() {
			text = p.stamp(got)
		}
		p.fail(n, "next_deadline", p.stamp(x.NextDeadline), text)
	}
}

// stamp writes a time the way scenario files do, in the scenario's zone.
func (p *player) stamp(t time.Time) string { return t.In(p.zone).Format(time.RFC3339) }

// orNone returns v's text, or "none" for the zero value.
func orNone[T interface {
	comparable
	String() string
}](v T) string {
	var zero T
	if v == zero {
		return "none"
	}
	return v.String()
}

// errorText writes an error as a failure shows it: its code, then why.
func errorText(err error) string {
	if c := aftersale.CodeOf(err); c != 0 {
		return c.String() + ": " + message(err)
	}
	return err.Error()
}

// factZh says an order fact in Chinese.
var factZh = map[aftersale.Action]string{aftersale.ActionShipped: "已发货", aftersale.ActionDelivered: "已签收"}

// refusalZh is the Chinese message of a refusal of the engine, "" if err
// has none.
func refusalZh(err error) string {
	var ae *aftersale.Error
	if errors.As(err, &ae) {
		return ae.Zh
	}
	return ""
}

// reasonsZh writes the reasons a request is not eligible in Chinese, as
// the policies gave them ("seven_day_no_reason：..."); "" if err has none.
func reasonsZh(err error) string {
	var ae *aftersale.Error
	if !errors.As(err, &ae) || len(ae.Reasons) == 0 {
		return ""
	}
	parts := make([]string, 0, len(ae.Reasons))
	for _, r := range ae.Reasons {
		if r.Zh == "" {
			return ""
		}
		parts = append(parts, r.Policy+"："+r.Zh)
	}
	return "不符合申请条件：" + strings.Join(parts, "；")
}

// byPayer writes what each payer pays, in the order of the payers:
// "insurance 20.00, merchant 5.00", or "none".
func byPayer(m map[aftersale.Payer]aftersale.Money) string {
	var out []string
	for p := aftersale.PayerMerchant; p <= aftersale.PayerPlatform; p++ {
		if m[p] != 0 {
			out = append(out, p.String()+" "+m[p].String())
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}
