package desk

import (
	"net/http"
	"net/url"

	"github.com/shouhou/shouhou/aftersale"
)

// caseView is the case page: the order's facts, the case's timeline, what
// happens next, its effects, and a form for each move the merchant may
// make.
type caseView struct {
	frame
	Order   *aftersale.Order
	Case    *aftersale.Case
	Goods   Text
	Next    aftersale.Next
	Moves   []moveView
	Events  []aftersale.Event // newest first
	Effects []aftersale.Effect
	Others  []*aftersale.Case // the order's other cases
	Missing string            // the order or case asked for and not found
	// Done is the event the merchant's command just recorded.
	Done *aftersale.Event
	// Refusal is why the command the merchant just sent (Tried) was
	// refused; nothing changed.
	Refusal *aftersale.Error
	Tried   aftersale.Action
	posted  url.Values
}

// Kinds of the case as it asked and as it is now, for the header.
func (v caseView) Asked() aftersale.Kind {
	if ev, ok := v.first(); ok {
		return ev.Kind
	}
	return v.Case.Kind()
}

func (v caseView) first() (aftersale.Event, bool) {
	if len(v.Events) == 0 {
		return aftersale.Event{}, false
	}
	return v.Events[len(v.Events)-1], true
}

func (d *Desk) caseView(r *http.Request, o *aftersale.Order, loadErr error) caseView {
	caseID := r.PathValue("case")
	v := caseView{frame: d.frame(r, caseID), Missing: r.PathValue("order") + " / " + caseID}
	if loadErr != nil || o == nil {
		if loadErr != nil && aftersale.CodeOf(loadErr) != aftersale.ErrNotFound {
			d.cfg.Log("desk: loading order %s: %v", r.PathValue("order"), loadErr)
		}
		return v
	}
	c := o.Case(caseID)
	if c == nil {
		return v
	}
	v.Order, v.Case, v.Goods, v.Next = o, c, d.cfg.Title(o), c.Next()
	events := c.Events()
	for i := len(events) - 1; i >= 0; i-- {
		v.Events = append(v.Events, events[i])
	}
	v.Effects = c.Effects(0)
	for _, other := range o.Cases() {
		if other.ID() != caseID {
			v.Others = append(v.Others, other)
		}
	}
	for _, m := range o.Allowed(caseID, aftersale.ActorMerchant) {
		v.Moves = append(v.Moves, newMove(o.ID, c, m))
	}
	return v
}

// moveView is a form for one move: the fields its command needs and may
// carry, the case's version (a form for a case that moved on since is a
// conflict) and its idempotency key.
type moveView struct {
	aftersale.Move
	Fields  []field
	Version int
	Key     string
}

// field is one input of a move's form.
type field struct {
	Name      string // the command's JSON name: note, amount, carrier, waybill
	Label     Text
	Needed    bool // the move needs it; the page says so, and lets the engine refuse it missing
	Multiline bool
	Hint      Text
	Value     string // what the merchant typed, shown again after a refusal
}

// ID is the input's element id, unique on the page.
func (f field) ID(a aftersale.Action) string { return a.String() + "-" + f.Name }

func newMove(orderID string, c *aftersale.Case, m aftersale.Move) moveView {
	mv := moveView{Move: m, Version: c.Version(), Key: formKey(orderID, c.ID(), c.Version(), m.Action)}
	seen := map[string]bool{}
	add := func(name string, needed bool) {
		if seen[name] {
			return
		}
		seen[name] = true
		f := field{Name: name, Needed: needed, Label: fieldLabels[name]}
		if f.Label.Zh == "" {
			f.Label = Text{name, name}
		}
		switch name {
		case "note":
			f.Multiline = true
			f.Label = noteLabels[m.Action]
			if f.Label.Zh == "" {
				f.Label = fieldLabels["note"]
			}
		case "amount":
			if m.MaxAmount > 0 {
				f.Hint = Text{"最多 ¥" + m.MaxAmount.String(), "at most ¥" + m.MaxAmount.String()}
			}
		}
		mv.Fields = append(mv.Fields, f)
	}
	for _, n := range m.Needs {
		add(n, true)
	}
	for _, n := range m.May {
		add(n, false)
	}
	return mv
}

// fill puts back what the merchant typed into the form of the action
// that was refused.
func (m *moveView) fill(posted url.Values, tried aftersale.Action) {
	if m.Action != tried {
		return
	}
	for i := range m.Fields {
		m.Fields[i].Value = posted.Get(m.Fields[i].Name)
	}
}

var fieldLabels = map[string]Text{
	"note":    {"备注", "Note"},
	"amount":  {"金额（元）", "Amount (yuan)"},
	"carrier": {"物流公司", "Carrier"},
	"waybill": {"运单号", "Waybill number"},
	"freight": {"运费（元）", "Freight (yuan)"},
}

// noteLabels say what the note is for, by action.
var noteLabels = map[aftersale.Action]Text{
	aftersale.ActionReject:         {"拒绝理由", "Reason for rejecting"},
	aftersale.ActionResolveOffline: {"买家同意的线下方案", "The offline solution the buyer agreed to"},
	aftersale.ActionSubmitEvidence: {"凭证说明", "Evidence"},
	aftersale.ActionPropose:        {"协商说明", "Note to the buyer"},
	aftersale.ActionEscalate:       {"申请平台介入的理由", "Why the platform should step in"},
}

// ReturnParcel is the buyer's return parcel, or nil.
func (v caseView) ReturnParcel() *aftersale.Shipment {
	if s, ok := v.Case.ReturnShipment(); ok {
		return &s
	}
	return nil
}

// Reship is the merchant's parcel to the buyer, or nil.
func (v caseView) Reship() *aftersale.Shipment {
	if s, ok := v.Case.Reshipment(); ok {
		return &s
	}
	return nil
}
