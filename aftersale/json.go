package aftersale

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"time"
	"unique"
)

// caseJSON is the JSON form of a Case: its Record, and a summary of what
// the events add up to, for people and queries reading the stored form.
type caseJSON struct {
	Record
	caseSummary
	Due time.Time `json:"due,omitzero"`
}

// caseSummary is the comparable part of the summary.
type caseSummary struct {
	State        State          `json:"state"`
	Kind         Kind           `json:"kind"`
	Reason       Reason         `json:"reason"`
	ClosedReason ClosedReason   `json:"closed_reason,omitzero"`
	Amount       Money          `json:"amount"`
	Proposal     Money          `json:"proposal,omitzero"`
	Refunded     Money          `json:"refunded,omitzero"`
	Compensation []Compensation `json:"compensation,omitempty"`
	Version      int            `json:"version"`
}

func (c *Case) summary() caseSummary {
	return caseSummary{
		State: c.state, Kind: c.kind, Reason: c.reason, ClosedReason: c.closed,
		Amount: c.amount, Proposal: c.Proposal(), Refunded: c.Refunded(), Compensation: c.Compensation(),
		Version: c.Version(),
	}
}

// MarshalJSON encodes the case as its record (id, order, policy_version,
// lines, events) and a summary of its state, kind, amounts, version and
// pending deadline.
func (c *Case) MarshalJSON() ([]byte, error) { return json.Marshal(c.form()) }

// form returns the case's JSON form.
func (c *Case) form() caseJSON {
	return caseJSON{Record: c.Record(), caseSummary: c.summary(), Due: c.pending().time(c.log.loc)}
}

// UnmarshalJSON decodes the form MarshalJSON writes: it replays the events
// (see Replay) and then checks that the summary agrees with them, so an
// edited summary cannot contradict the log. Unknown fields are errors. On
// error the case is left as it was.
func (c *Case) UnmarshalJSON(b []byte) error {
	var j caseJSON
	if err := strictJSON(b, &j); err != nil {
		return badJSON("case: ", "售后单", err)
	}
	// The case is built apart, so an error leaves c as it was.
	next := caseOf(j.Events)
	if err := j.replay(next); err != nil {
		return err
	}
	*c = *next
	return nil
}

// replay rebuilds the case the JSON form records into r, an empty case
// with room for its events, and checks the summary. The texts of decisions
// and the policy version repeat word for word across cases, so it interns
// them: a million loaded cases share one copy of each, as live cases share
// the policies' constants.
func (j *caseJSON) replay(r *Case) error {
	j.PolicyVersion = unique.Make(j.PolicyVersion).Value()
	for i := range j.Events {
		for _, d := range j.Events[i].decisions() {
			if !d.IsZero() {
				d.Policy, d.Rule = unique.Make(d.Policy).Value(), unique.Make(d.Rule).Value()
				d.Zh, d.En = unique.Make(d.Zh).Value(), unique.Make(d.En).Value()
			}
		}
	}
	if err := r.replay(j.Record); err != nil {
		return err
	}
	if !reflect.DeepEqual(r.summary(), j.caseSummary) || r.pending() != momentOf(j.Due) {
		return refuse(ErrInvalidInput, "json.summary_mismatch", "case "+r.id+": the summary (state, kind, amounts, version, due) does not match its events",
			"售后单"+r.id+"的汇总信息（状态、类型、金额、版本、时限）与其记录不符")
	}
	return nil
}

// orderFacts has the fields of Order and none of its methods, so the JSON
// form of an Order can embed its facts.
type orderFacts Order

// storedFormat is the format of the order's stored form that MarshalJSON
// writes, and the newest UnmarshalJSON reads. Raise it with every change to
// the stored form that an older shouhou could not read, or that this one
// reads differently, and add the step from the previous format to
// migrations.
//
//   - 0: the first stored form, which has no "format" field.
//   - 1: the same, with "format": 1 written first.
//   - 2: the compensation that comes with a refund is decided by the event
//     that takes the case into refunding, which records it with its
//     compensation_decision; refund_succeeded repeats the amount and payer.
//     Format 1 decided it at refund_succeeded, under its decision.
//   - 3: a case may open with an import (a case adopted from a platform's
//     record), which keeps the record in its first event. Every format 2
//     document reads as it is.
const storedFormat = 3

// migrations are the steps that bring a stored order up to date:
// migrations[v] turns a document of format v into one of format v+1. Each
// step takes and returns the whole document, so it can rename, move or
// fill in whatever it needs to; the result of the last step is decoded as
// the current format, whatever its "format" field says.
var migrations = [...]func(doc []byte) ([]byte, error){
	// 0 -> 1: format 1 only adds the "format" field; the rest reads as is.
	0: func(doc []byte) ([]byte, error) { return doc, nil },
	1: compensationOnEntry,
	// 2 -> 3: format 3 adds the import action; the rest reads as is. The
	// format is raised so that an older shouhou refuses a document with an
	// import for its format, not for an action it does not know.
	2: func(doc []byte) ([]byte, error) { return doc, nil },
}

// compensationOnEntry is the step from format 1 to 2: the compensation a
// refund_succeeded of format 1 decided (one amount and its payer), and the
// decision that explains it, move to the event that took the case into
// refunding, as one compensation line; the refund keeps the line, which it
// pays, and the case's summary lists it. A case still refunding has nothing
// decided, and gets its compensation decided when its refund succeeds, as
// format 1 did.
func compensationOnEntry(doc []byte) ([]byte, error) {
	var order map[string]json.RawMessage
	if err := json.Unmarshal(doc, &order); err != nil {
		return nil, err
	}
	var cases []map[string]json.RawMessage
	if raw, ok := order["cases"]; ok {
		if err := json.Unmarshal(raw, &cases); err != nil {
			return nil, err
		}
	}
	for _, c := range cases {
		var events []map[string]json.RawMessage
		if err := json.Unmarshal(c["events"], &events); err != nil {
			return nil, err
		}
		entered := -1
		for i, ev := range events {
			var to, from, action string
			for name, v := range map[string]*string{"to": &to, "from": &from, "action": &action} {
				if raw, ok := ev[name]; ok {
					if err := json.Unmarshal(raw, v); err != nil {
						return nil, err
					}
				}
			}
			if to == "refunding" && from != "refunding" && from != "refund_failed" {
				entered = i
			}
			if action != "refund_succeeded" {
				continue
			}
			line, err := lineOf(ev)
			if err != nil {
				return nil, err
			}
			delete(ev, "payer")
			if line != nil {
				ev["compensation"] = line
			}
			if entered < 0 {
				continue
			}
			if line != nil {
				events[entered]["compensation"] = line
			}
			if d, ok := ev["decision"]; ok {
				events[entered]["compensation_decision"] = d
				delete(ev, "decision")
			}
		}
		b, err := json.Marshal(events)
		if err != nil {
			return nil, err
		}
		c["events"] = b
		if summary, ok := c["compensation"]; ok {
			c["compensation"] = append(append([]byte("["), summary...), ']')
		}
	}
	if cases != nil {
		b, err := json.Marshal(cases)
		if err != nil {
			return nil, err
		}
		order["cases"] = b
	}
	return json.Marshal(order)
}

// lineOf returns a format-1 event's compensation and payer as a list of
// one compensation line, or nil if it has none.
func lineOf(ev map[string]json.RawMessage) (json.RawMessage, error) {
	amount, ok := ev["compensation"]
	if !ok {
		return nil, nil
	}
	line := map[string]json.RawMessage{"amount": amount}
	if payer, ok := ev["payer"]; ok {
		line["payer"] = payer
	}
	return json.Marshal([]map[string]json.RawMessage{line})
}

// migrate turns a stored order of an older format into the current one,
// one step at a time. A document of the current format comes back as it
// is.
func migrate(doc []byte, format int) ([]byte, error) {
	for v := format; v < storedFormat; v++ {
		var err error
		if doc, err = migrations[v](doc); err != nil {
			return nil, refuse(ErrInvalidInput, "json.migration_failed", "order: format "+strconv.Itoa(v)+" to "+strconv.Itoa(v+1)+": "+err.Error(),
				"订单数据从格式"+strconv.Itoa(v)+"升级到格式"+strconv.Itoa(v+1)+"失败")
		}
	}
	return doc, nil
}

// storedOrder is what UnmarshalJSON decodes: the JSON form of an Order,
// with its cases as their JSON forms, to be replayed.
type storedOrder struct {
	orderJSON
	Cases []*caseJSON `json:"cases"`
}

// readStored decodes a stored order of any format this shouhou reads, as
// the current format: a document of an older one is migrated first. It
// does not replay the cases.
//
// The document is decoded as the current format first, which is what a
// document almost always is; its "format" field then says whether it is.
// If it does not decode, it may be of another format, whose fields the
// current one does not know: the "format" field, read on its own, says
// whether to migrate it, refuse it as newer, or give the decoding error.
func readStored(doc []byte) (*storedOrder, error) {
	j, err := decodeStored(doc)
	format := 0
	if err == nil {
		format = j.Format
	} else if format, err = formatOf(doc, err); err != nil {
		return nil, err
	}
	switch {
	case format < 0:
		return nil, refuse(ErrInvalidInput, "json.bad_format", "order: format "+strconv.Itoa(format)+" is not a format", "订单数据的格式号"+strconv.Itoa(format)+"无效")
	case format > storedFormat:
		return nil, refuse(ErrInvalidInput, "json.newer_format", "order: written by a newer shouhou: format "+strconv.Itoa(format)+", this one reads up to "+strconv.Itoa(storedFormat),
			"订单数据由更新版本的shouhou写入（格式"+strconv.Itoa(format)+"），当前版本最高只能读取格式"+strconv.Itoa(storedFormat))
	case format == storedFormat:
		return j, nil
	}
	current, err := migrate(doc, format)
	if err != nil {
		return nil, err
	}
	if j != nil && bytes.Equal(current, doc) {
		return j, nil // the steps changed nothing: it decoded as what it migrates to
	}
	return decodeStored(current)
}

// decodeStored decodes a document of the current format.
func decodeStored(doc []byte) (*storedOrder, error) {
	j := &storedOrder{orderJSON: orderJSON{orderFacts: new(orderFacts)}}
	if err := strictJSON(doc, j); err != nil {
		return nil, badJSON("order: ", "订单", err)
	}
	return j, nil
}

// formatOf reads the "format" field of a stored order that did not decode
// as the current format (with the error it gave). It returns that error
// when the document gives the current format, or none can be read: then
// the document is not of another format, but broken.
func formatOf(doc []byte, failed error) (int, error) {
	var head struct {
		Format int `json:"format"`
	}
	if json.Unmarshal(doc, &head) != nil || head.Format == storedFormat {
		return 0, failed
	}
	return head.Format, nil
}

// orderJSON is the JSON form of an Order: the format of the form, the
// order's facts, its version, the keys of its facts, and its cases.
type orderJSON struct {
	Format int `json:"format"`
	*orderFacts
	Version      int    `json:"version"`
	ShippedKey   string `json:"shipped_key,omitzero"`
	DeliveredKey string `json:"delivered_key,omitzero"`
	// The cases' forms, not the cases: one json.Marshal writes them all,
	// instead of checking and compacting each Case.MarshalJSON's output.
	Cases []caseJSON `json:"cases"`
}

// MarshalJSON encodes the order as it is stored: first "format", the
// format of the stored form (currently 2; see UnmarshalJSON), then the
// order's facts, its version, the idempotency keys of its shipped and
// delivered facts, and its cases. It has a value receiver, so an Order
// held as a value (in a map or a struct field) encodes as a whole, cases
// included, as a *Order does.
func (o Order) MarshalJSON() ([]byte, error) {
	cases := make([]caseJSON, len(o.cases))
	for i, c := range o.cases {
		cases[i] = c.form()
	}
	return json.Marshal(orderJSON{
		Format: storedFormat, orderFacts: (*orderFacts)(&o), Version: o.version,
		ShippedKey: o.shippedKey, DeliveredKey: o.deliveredKey, Cases: cases,
	})
}

// UnmarshalJSON decodes the form MarshalJSON writes, of the current format
// or an older one. Its "format" field says which: a document without one
// is format 0, what shouhou wrote before the field existed, and is brought
// up to date before it is decoded (format 0 reads as format 1 does); a
// format above the current one, written by a newer shouhou, is
// ErrInvalidInput. The next MarshalJSON writes the current format.
//
// It validates the facts, replays every case, and checks what spans the
// cases: each belongs to this order and has its own ID, refunds add up to
// no more than was paid, no line has two open cases, nothing happened
// before payment, and the version counts at least every event. Unknown
// fields are errors. On error the order is left as it was.
func (o *Order) UnmarshalJSON(b []byte) error {
	j, err := readStored(b)
	if err != nil {
		return err
	}
	next := Order(*j.orderFacts)
	next.version, next.shippedKey, next.deliveredKey = j.Version, j.ShippedKey, j.DeliveredKey
	if len(j.Cases) > 0 {
		next.cases = make([]*Case, len(j.Cases))
	}
	for i, cj := range j.Cases {
		if cj == nil {
			return refuse(ErrInvalidInput, "json.null_case", "order "+next.ID+": case "+strconv.Itoa(i+1)+" is null", "订单"+next.ID+"的第"+strconv.Itoa(i+1)+"个售后单为空")
		}
		c := caseOf(cj.Events)
		if err := cj.replay(c); err != nil {
			return err
		}
		next.cases[i] = c
		next.latest = max(next.latest, c.log.at(c.log.len()-1))
	}
	if err := next.check(); err != nil {
		return err
	}
	*o = next
	return nil
}

// check validates a decoded order as a whole.
func (o *Order) check() error {
	if err := o.Validate(); err != nil {
		return err
	}
	events := 0
	for i, c := range o.cases {
		switch {
		case c.order != o.ID:
			return refuse(ErrInvalidInput, "json.foreign_case", "order "+o.ID+": case "+c.id+" belongs to order "+c.order,
				"售后单"+c.id+"属于订单"+c.order+"，不属于订单"+o.ID)
		case c.OpenedAt().Before(o.PaidAt):
			return refuse(ErrInvalidInput, "json.before_payment", "order "+o.ID+": case "+c.id+" was opened before the order was paid",
				"售后单"+c.id+"的申请时间早于订单"+o.ID+"的付款时间")
		}
		for _, d := range o.cases[:i] {
			if d.id == c.id {
				return refuse(ErrInvalidInput, "json.duplicate_case", "order "+o.ID+": two cases have the id "+c.id, "订单"+o.ID+"中有两个售后单的编号都是"+c.id)
			}
			if c.Open() && d.Open() && c.covers(d.lines) {
				return refuse(ErrInvalidInput, "json.overlapping_cases", "order "+o.ID+": cases "+d.id+" and "+c.id+" are both open on the same goods",
					"售后单"+d.id+"和"+c.id+"同时在处理同一商品")
			}
		}
		for _, u := range c.lines {
			if _, ok := o.line(u.Line); !ok {
				return refuse(ErrInvalidInput, "json.unknown_line", "order "+o.ID+": case "+c.id+" names an unknown line "+u.Line,
					"售后单"+c.id+"涉及的商品行"+u.Line+"不在订单"+o.ID+"中")
			}
		}
		events += c.Version()
	}
	for _, l := range o.Lines {
		used := o.unitsRefunded(l.ID)
		for _, c := range o.cases {
			for _, u := range c.lines {
				if u.Line == l.ID && c.Open() {
					used += u.Quantity
				}
			}
		}
		if used > l.Quantity {
			return refuse(ErrInvalidInput, "json.units_exceeded", "order "+o.ID+": its cases cover more than the "+strconv.Itoa(l.Quantity)+" units of line "+l.ID,
				"订单"+o.ID+"的售后单涉及商品行"+l.ID+"超过其"+strconv.Itoa(l.Quantity)+"件")
		}
	}
	if o.Refunded() > o.Amount || o.Refundable() < 0 {
		return refuse(ErrInvalidInput, "json.refunds_exceeded", "order "+o.ID+": its cases refund or ask for more than was paid",
			"订单"+o.ID+"的售后单已退或申请的金额超过实付金额")
	}
	if o.version < events {
		return refuse(ErrInvalidInput, "json.version_below_events", "order "+o.ID+": version "+strconv.Itoa(o.version)+" is below the "+strconv.Itoa(events)+" events of its cases",
			"订单"+o.ID+"的版本号"+strconv.Itoa(o.version)+"小于其售后单的记录数"+strconv.Itoa(events))
	}
	if o.version > maxVersion {
		return refuse(ErrInvalidInput, "json.version_too_high", "order "+o.ID+": version "+strconv.Itoa(o.version)+" is above "+strconv.Itoa(maxVersion),
			"订单"+o.ID+"的版本号"+strconv.Itoa(o.version)+"超过上限"+strconv.Itoa(maxVersion))
	}
	return o.checkKeys()
}

// checkKeys checks the idempotency keys of a decoded order: each names one
// event or one fact, and a fact's key goes with a fact that was recorded.
// A key shared by two would make a resent command ambiguous.
func (o *Order) checkKeys() error {
	switch {
	case o.shippedKey != "" && !o.Shipped():
		return refuse(ErrInvalidInput, "json.key_without_fact", "order "+o.ID+": shipped_key is set, but the order was never shipped",
			"订单"+o.ID+"有发货的幂等键，却从未发货")
	case o.deliveredKey != "" && !o.Delivered():
		return refuse(ErrInvalidInput, "json.key_without_fact", "order "+o.ID+": delivered_key is set, but the order was never delivered",
			"订单"+o.ID+"有签收的幂等键，却从未签收")
	case o.shippedKey != "" && o.shippedKey == o.deliveredKey:
		return refuse(ErrInvalidInput, "json.shared_key", "order "+o.ID+": shipped_key and delivered_key are the same key",
			"订单"+o.ID+"的发货和签收用了同一个幂等键")
	}
	var seen map[string]bool
	var err error
	for _, c := range o.cases {
		if !c.log.hasKeys() {
			continue
		}
		if seen == nil {
			seen = make(map[string]bool)
		}
		c.log.keys(func(k string) bool {
			switch {
			case seen[k]:
				err = refuse(ErrInvalidInput, "json.shared_key", "order "+o.ID+": two events have the key "+strconv.Quote(k),
					"订单"+o.ID+"中有两条记录用了同一个幂等键“"+k+"”")
			case k == o.shippedKey || k == o.deliveredKey:
				err = refuse(ErrInvalidInput, "json.shared_key", "order "+o.ID+": case "+c.id+" has an event with the key of an order fact, "+strconv.Quote(k),
					"售后单"+c.id+"的一条记录用了订单发货或签收的幂等键“"+k+"”")
			}
			seen[k] = true
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
