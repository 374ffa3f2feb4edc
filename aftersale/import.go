package aftersale

import "time"

// DecidedByImport is the name an import's decision is recorded under, in
// place of a policy's: no policy decided it, the platform's record did.
const DecidedByImport = "import"

// adopt opens a case in flight on a platform in the state its record
// stands in (an import): the same checks of the order as a request, but
// no policy is asked, since the platform accepted the case already.
func (e *Engine) adopt(now time.Time, o *Order, cmd *Command, out *Outcome) error {
	rs := e.current
	row := pick(0, ActionImport, cmd.Kind, &facts{into: cmd.State})
	switch {
	case row == nil:
		return refuse(ErrNotPermitted, "import.not_importable", "a "+cmd.Kind.String()+" case cannot be imported in state "+cmd.State.String(),
			cmd.Kind.Label()+"售后单不能以“"+cmd.State.Label()+"”状态导入")
	case !row.By.Has(cmd.Actor):
		return refuse(ErrNotPermitted, "table.wrong_actor", "only the system may import a case, not the "+cmd.Actor.String(),
			"只有系统可以导入售后单，"+cmd.Actor.Label()+"不可以")
	case !cmd.Due.IsZero() && !cmd.Due.After(now):
		return refuse(ErrInvalidInput, "import.due_passed", "the platform's deadline "+cmd.Due.Format(time.RFC3339)+" is not after the import at "+now.Format(time.RFC3339)+
			": import the case as of when it entered its state, then advance", "平台时限"+zhTime(cmd.Due)+"不晚于导入时间"+zhTime(now)+"：请按进入该状态的时间导入，再推进时间")
	case row.To == StateIntercepting && !(o.Shipped() && !o.Delivered()):
		return refuse(ErrInvalidInput, "import.not_in_transit", "a case is intercepted only while the order is shipped and not delivered",
			"只有已发货、未签收的订单才能以“拦截中”导入")
	}
	c, list, _, err := e.opening(now, o, cmd)
	if err != nil {
		return err
	}
	q := Query{Order: o, Case: c, At: now, Zone: e.zone}
	ev := &out.Event
	e.build(ev, rs, q, row, cmd.Actor, cmd, c.amount)
	ev.Record = cmd.Record // check put it in the form a case keeps
	ev.Decision = Decision{
		Policy: DecidedByImport, Rule: "import.adopted", Verdict: VerdictAllow,
		Zh: "从平台记录导入，状态为" + row.To.Label(), En: "adopted from the platform's record in state " + row.To.String(),
	}
	if err := e.recordNew(rs, o, c, list, ev); err != nil {
		return err
	}
	out.Case = c
	return nil
}
