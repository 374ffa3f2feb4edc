package platform

import (
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Options are what an adoption takes besides the record. The zero Options
// are useful: the case is named after the platform and its after-sale id,
// and the reason is ReasonOther.
type Options struct {
	// Case names the new case; default "<platform>-<after-sale id>", such
	// as "douyin-146701382803677771".
	Case string
	// Reason is why the buyer asked; default ReasonOther. The platforms
	// give their reasons as free text or codes of their own, which the
	// host knows how to read better than this package.
	Reason aftersale.Reason
	// Lines are the order lines the case is about; default the whole
	// order.
	Lines []aftersale.Units
	// Key is the idempotency key of the import; default the case's name,
	// so that importing one record twice opens one case.
	Key string
}

// Import returns the command that opens the case of record r in shouhou,
// in the state r's codes place it, keeping r as it came: the platform's
// deadline for that state (Due) where r gives one after its update time
// (one before is left from an earlier state, and the state's own deadline
// counts instead), the amount it asks for and, once the buyer has sent the
// goods back, the return parcel.
//
// A record that is no case shouhou carries is an ErrInvalidInput error
// under RuleNotACase; a case finished on the platform (refunded, closed
// and the like) is an ErrNotPermitted error under RuleFinished: there is
// nothing to carry on.
func Import(r Record, opts Options) (aftersale.Command, error) {
	pl, err := r.Place()
	if err != nil {
		return aftersale.Command{}, err
	}
	switch {
	case pl.Scope != InShouhou:
		return aftersale.Command{}, refuse(aftersale.ErrInvalidInput, RuleNotACase,
			r.Platform.String()+" record "+r.ID+" is "+pl.Scope.String()+": "+pl.Why+"; there is no case to adopt",
			r.Platform.Label()+"售后单"+r.ID+"不是shouhou处理的售后（"+pl.Why+"），无需导入")
	case pl.State.Terminal():
		return aftersale.Command{}, refuse(aftersale.ErrNotPermitted, RuleFinished,
			r.Platform.String()+" record "+r.ID+" is finished on the platform ("+pl.State.String()+"); nothing to carry on",
			r.Platform.Label()+"售后单"+r.ID+"在平台上已结束（"+pl.State.Label()+"），无需继续处理")
	}
	cmd := aftersale.Command{
		Case:   opts.Case,
		Actor:  aftersale.ActorSystem,
		Action: aftersale.ActionImport,
		Kind:   pl.Kind,
		Reason: opts.Reason,
		State:  pl.State,
		Due:    r.Due,
		Record: r.Raw,
		Amount: r.Amount,
		Lines:  opts.Lines,
		Key:    opts.Key,
	}
	if !r.Due.After(r.Updated) {
		cmd.Due = time.Time{} // a reminder left from an earlier state: the state's own deadline counts
	}
	if cmd.Case == "" {
		cmd.Case = r.Platform.String() + "-" + r.ID
	}
	if cmd.Reason == 0 {
		cmd.Reason = aftersale.ReasonOther
	}
	if cmd.Key == "" {
		cmd.Key = cmd.Case
	}
	if r.Waybill != "" && parcelSent(pl) {
		cmd.Carrier, cmd.Waybill = r.Carrier, r.Waybill
		if cmd.Carrier == "" {
			cmd.Carrier = "快递"
		}
	}
	return cmd, nil
}

// parcelSent reports whether a case placed at p has had its goods sent
// back already, so that a waybill on the record is the return parcel's.
func parcelSent(p Placement) bool {
	if p.Kind == aftersale.KindRefundOnly || p.Kind == aftersale.KindReissue {
		return false
	}
	switch p.State {
	case aftersale.StateReturnInTransit, aftersale.StateAwaitingReship, aftersale.StateReshipInTransit:
		return true
	case aftersale.StateRefunding, aftersale.StateRefundFailed:
		return p.Kind == aftersale.KindReturnRefund
	}
	return false
}

// Adopt opens the case of record r on order o and carries it on to now:
// it applies Import's command at the record's update time, when the case
// entered the state it stands in, then advances the order to now, so that
// whatever fell due since then (a deadline the platform gave, or the
// state's own) happens. It returns the import's outcome and the changes
// the advance made.
//
// The import is applied as of r.Updated, so o must have no event after
// that (aftersale.ErrClockRegressed otherwise). If the advance fails, the
// import stays applied and its outcome is returned with the error.
func Adopt(e *aftersale.Engine, o *aftersale.Order, r Record, now time.Time, opts Options) (aftersale.Outcome, []aftersale.Change, error) {
	cmd, err := Import(r, opts)
	if err != nil {
		return aftersale.Outcome{}, nil, err
	}
	out, err := e.ApplyAt(r.Updated, o, cmd)
	if err != nil {
		return aftersale.Outcome{}, nil, err
	}
	changes, err := e.AdvanceTo(now, o)
	return out, changes, err
}
