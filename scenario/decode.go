package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// The fields each object of a scenario file may have, in the order their
// errors are reported. Anything else is an unknown field.
var (
	fileFields   = []string{"name", "zone", "policy", "sweep", "order", "buyer_refunds", "steps"}
	orderFields  = []string{"id", "buyer", "amount", "paid_at", "shipped_at", "delivered_at", "category", "flags", "tags", "lines"}
	lineFields   = []string{"id", "sku", "quantity", "paid"}
	stepFields   = slices.Concat([]string{"at", "after"}, aftersale.CommandFields(), []string{"expect"}) // the clock's, a command's, expect
	expectFields = []string{"state", "kind", "closed_reason", "refunded", "compensation", "compensation_by", "decided_by", "next_deadline", "error"}
)

// Load reads the scenario file at path and parses it under the base
// rules (see Parse). Errors name the file by path.
func Load(path string, base aftersale.Rules) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in the Error already
		}
		return nil, &Error{File: path, Err: err}
	}
	return Parse(path, data, base)
}

// Parse decodes a scenario file; file names it in errors. Decoding is
// strict: an unknown field at any level, a value of the wrong type, an
// unknown name (action, actor, kind, reason, state, closed reason, error
// code, category, flag, tag, policy or policy parameter), bad money, a bad
// time or a step that moves the clock backwards is an *Error naming the
// step and the field. Parse checks the order's facts and builds an engine
// from the rules, so a Scenario it returns can be played.
//
// The file's "policy" overrides apply to base: policy.Default() for the
// platform's defaults, or a host's own set. The policies of base are never
// changed: an overridden policy is a copy.
func Parse(file string, data []byte, base aftersale.Rules) (*Scenario, error) {
	d := &decoder{file: file, base: base}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, d.errorf("", "the file is empty")
	}
	top, err := d.object("", data, fileFields, "a scenario")
	if err != nil {
		return nil, err
	}
	s := &Scenario{File: file, Zone: timeline.UTC8(), Base: base}
	if s.Name, err = d.text("name", top["name"], true); err != nil {
		return nil, err
	}
	if s.Name == "" {
		return nil, d.errorf("name", "is required: say in words what the scenario shows")
	}
	if raw, ok := top["zone"]; ok {
		if s.Zone, err = d.zone("zone", raw); err != nil {
			return nil, err
		}
	}
	if s.Rules, err = d.rules("policy", top["policy"]); err != nil {
		return nil, err
	}
	if s.Order, err = d.order("order", top["order"]); err != nil {
		return nil, err
	}
	if raw, ok := top["buyer_refunds"]; ok {
		if err := d.history("buyer_refunds", raw, s); err != nil {
			return nil, err
		}
	}
	if _, err := aftersale.New(aftersale.Config{Rules: s.Rules, Zone: s.Zone}); err != nil {
		return nil, d.wrap("policy", err)
	}
	if raw, ok := top["sweep"]; ok {
		if s.Sweep, err = d.sweep("sweep", raw, s); err != nil {
			return nil, err
		}
	}
	if s.Steps, err = d.steps("steps", top["steps"], s); err != nil {
		return nil, err
	}
	return s, nil
}

// rules decodes the policy overrides: each named policy of the default set
// gets the parameters given over its defaults, and null drops it.
func (d *decoder) rules(field string, raw json.RawMessage) (aftersale.Rules, error) {
	rules := d.base
	if raw == nil {
		return rules, nil
	}
	names := policyNames(rules)
	o, err := d.members(field, raw, "policy (parameters by policy name)")
	if err != nil {
		return aftersale.Rules{}, err
	}
	if name, ok := unknown(o, names); ok {
		return aftersale.Rules{}, d.errorf(join(field, name), "unknown policy; the default rules have %s", strings.Join(names, ", "))
	}
	for _, name := range names { // in the order of the rules, so errors are stable
		params, ok := o[name]
		if !ok {
			continue
		}
		if isNull(params) {
			rules = rules.Without(name)
			continue
		}
		p, err := overlay(rules.Lookup(name), params)
		if err != nil {
			return aftersale.Rules{}, d.paramError(join(field, name), rules.Lookup(name), params, err)
		}
		rules = rules.Replace(p)
	}
	return rules, nil
}

// overlay returns a copy of the policy with parameters decoded over its
// current ones; p itself is not changed. Every policy of package policy
// reads its own JSON form strictly; any other is decoded into as a
// struct, refusing unknown fields. A policy held by value cannot be
// decoded into and is an error.
func overlay(p aftersale.Policy, params json.RawMessage) (aftersale.Policy, error) {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil, fmt.Errorf("policy %q is a %T, not a pointer: its parameters cannot be set", p.Name(), p)
	}
	dup := reflect.New(v.Elem().Type())
	dup.Elem().Set(v.Elem())
	cp, ok := dup.Interface().(aftersale.Policy)
	if !ok {
		return nil, fmt.Errorf("policy %q (%T) cannot be copied", p.Name(), p)
	}
	if u, ok := cp.(json.Unmarshaler); ok {
		return cp, u.UnmarshalJSON(params)
	}
	dec := json.NewDecoder(bytes.NewReader(params))
	dec.DisallowUnknownFields()
	return cp, dec.Decode(cp)
}

// order decodes the order's facts and checks them.
func (d *decoder) order(field string, raw json.RawMessage) (aftersale.Order, error) {
	var o aftersale.Order
	m, err := d.object(field, raw, orderFields, "an order")
	if err != nil {
		return o, err
	}
	if o.ID, err = d.name(join(field, "id"), m["id"]); err != nil {
		return o, err
	}
	if o.Buyer, err = d.text(join(field, "buyer"), m["buyer"], false); err != nil {
		return o, err
	}
	if o.Amount, err = d.money(join(field, "amount"), m["amount"]); err != nil {
		return o, err
	}
	if o.PaidAt, err = d.instant(join(field, "paid_at"), m["paid_at"]); err != nil {
		return o, err
	}
	if o.ShippedAt, err = d.optionalTime(join(field, "shipped_at"), m["shipped_at"]); err != nil {
		return o, err
	}
	if o.DeliveredAt, err = d.optionalTime(join(field, "delivered_at"), m["delivered_at"]); err != nil {
		return o, err
	}
	if raw, ok := m["category"]; ok {
		if o.Category, err = decodeEnum[aftersale.Category](d, join(field, "category"), raw); err != nil {
			return o, err
		}
	}
	if raw, ok := m["flags"]; ok {
		if err := o.Flags.UnmarshalJSON(raw); err != nil {
			return o, d.wrap(join(field, "flags"), fmt.Errorf("%w; known flags: %s", err, bitNames(aftersale.Flags.String)))
		}
	}
	if raw, ok := m["tags"]; ok {
		if err := o.Tags.UnmarshalJSON(raw); err != nil {
			return o, d.wrap(join(field, "tags"), fmt.Errorf("%w; known tags: %s", err, bitNames(aftersale.Tags.String)))
		}
	}
	if raw, ok := m["lines"]; ok {
		if o.Lines, err = d.lines(join(field, "lines"), raw); err != nil {
			return o, err
		}
	}
	if err := o.Validate(); err != nil {
		return o, d.wrap(field, err)
	}
	return o, nil
}

// bitNames lists the names of a set's bits, given its String method.
func bitNames[B ~uint8](str func(B) string) string {
	var names []string
	for i := range 8 {
		if s := str(B(1) << i); s != "" {
			names = append(names, s)
		}
	}
	return strings.Join(names, ", ")
}

func (d *decoder) lines(field string, raw json.RawMessage) ([]aftersale.Line, error) {
	items, err := d.array(field, raw)
	if err != nil {
		return nil, err
	}
	lines := make([]aftersale.Line, len(items))
	for i, item := range items {
		f := field + "[" + strconv.Itoa(i) + "]"
		m, err := d.object(f, item, lineFields, "an order line")
		if err != nil {
			return nil, err
		}
		l := &lines[i]
		if l.ID, err = d.name(join(f, "id"), m["id"]); err != nil {
			return nil, err
		}
		if l.SKU, err = d.text(join(f, "sku"), m["sku"], false); err != nil {
			return nil, err
		}
		if l.Quantity, err = d.count(join(f, "quantity"), m["quantity"]); err != nil {
			return nil, err
		}
		if l.Paid, err = d.money(join(f, "paid"), m["paid"]); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// history decodes the buyer's earlier refunds, which the abuse guard
// counts.
func (d *decoder) history(field string, raw json.RawMessage, s *Scenario) error {
	guard, ok := s.Rules.Lookup("abuse_guard").(*policy.AbuseGuard)
	switch {
	case !ok:
		return d.errorf(field, "needs the abuse_guard policy, which counts them")
	case s.Order.Buyer == "":
		return d.errorf(field, "needs order.buyer: they are that buyer's refunds")
	}
	items, err := d.array(field, raw)
	if err != nil {
		return err
	}
	times := make([]time.Time, len(items))
	for i, item := range items {
		if times[i], err = d.instant(field+"["+strconv.Itoa(i)+"]", item); err != nil {
			return err
		}
	}
	// Copies: the guard may be base's own, which Parse never changes. The
	// refunds are facts of the order, so the base rules count them too.
	history := policy.RefundTimes{s.Order.Buyer: times}
	cp := *guard
	cp.History = history
	s.Rules = s.Rules.Replace(&cp)
	if g, ok := s.Base.Lookup("abuse_guard").(*policy.AbuseGuard); ok {
		cp := *g
		cp.History = history
		s.Base = s.Base.Replace(&cp)
	}
	return nil
}

// steps decodes the steps, resolving their times: the clock starts when
// the order was paid and never goes back.
func (d *decoder) steps(field string, raw json.RawMessage, s *Scenario) ([]Step, error) {
	if raw == nil {
		return nil, d.errorf(field, "is required: the steps of the scenario, in order")
	}
	items, err := d.array(field, raw)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, d.errorf(field, "is empty: a scenario needs at least one step")
	}
	steps := make([]Step, len(items))
	now := s.Order.PaidAt
	for i, item := range items {
		d.step = i + 1
		if err := d.decodeStep(item, &steps[i], &now, s); err != nil {
			return nil, err
		}
	}
	d.step = 0
	return steps, nil
}

// decodeStep decodes one step; now is the time the step before left the
// clock at, and is moved to the step's time.
func (d *decoder) decodeStep(raw json.RawMessage, st *Step, now *time.Time, s *Scenario) error {
	m, err := d.object("", raw, stepFields, "a step")
	if err != nil {
		return err
	}
	if m.has("at") && m.has("after") {
		return d.errorf("after", "a step moves the clock with at or with after, not both")
	}
	if raw, ok := m["at"]; ok {
		at, err := d.instant("at", raw)
		if err != nil {
			return err
		}
		if at.Before(*now) {
			return d.errorf("at", "%s is before %s, where the clock already is: it starts when the order was paid and never goes back",
				at.In(s.Zone).Format(time.RFC3339), now.In(s.Zone).Format(time.RFC3339))
		}
		*now = at
	}
	if raw, ok := m["after"]; ok {
		text, err := d.text("after", raw, true)
		if err != nil {
			return err
		}
		dur, err := timeline.ParseDuration(text)
		if err != nil {
			return d.wrap("after", err)
		}
		*now = now.Add(dur)
	}
	st.At = *now

	act := m.has("action")
	switch {
	case act && !m.has("actor"):
		return d.errorf("actor", "is required: an action needs an actor (buyer, merchant, platform or system)")
	case m.has("actor") && !act:
		return d.errorf("action", "is required: an actor needs an action")
	case !act && !m.has("expect") && !m.has("at") && !m.has("after"):
		return d.errorf("", "does nothing: a step has at or after, an action, or expect")
	case m.has("case") && !act && !m.has("expect"):
		return d.errorf("case", "names the case an action or expect addresses, and this step has neither")
	}
	if !act {
		for _, f := range aftersale.CommandFields() {
			if f != "case" && m.has(f) { // case can address an expect
				return d.errorf(f, "goes with an action, and this step has none")
			}
		}
	}
	caseID := DefaultCase
	if raw, ok := m["case"]; ok {
		if caseID, err = d.name("case", raw); err != nil {
			return err
		}
	}
	if act {
		if st.Command, err = d.command(m, caseID); err != nil {
			return err
		}
	}
	if raw, ok := m["expect"]; ok {
		if st.Expect, err = d.expect("expect", raw, caseID, s); err != nil {
			return err
		}
		if st.Expect.Error != 0 && !act {
			return d.errorf("expect.error", "checks the outcome of the step's action, and this step has none")
		}
	}
	return nil
}

// command decodes a step's action and its arguments: the step's command
// fields but case go through the command's own JSON form
// (aftersale.Command.UnmarshalJSON), and the case is the step's. Which
// arguments go with which action is the engine's to say: it refuses a
// command with missing or stray ones as invalid_input, as it would a
// host's.
func (d *decoder) command(m object, caseID string) (aftersale.Command, error) {
	var cmd aftersale.Command
	b := []byte{'{'}
	for _, f := range aftersale.CommandFields() { // in the form's order, so the first refusal is stable
		raw, ok := m[f]
		if !ok || f == "case" {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, `"`+f+`":`...) // the names are plain
		b = append(b, raw...)
	}
	if err := cmd.UnmarshalJSON(append(b, '}')); err != nil {
		return cmd, d.commandError(err)
	}
	if !cmd.Action.IsCommand() {
		return cmd, d.errorf("action", "%s happens only when a deadline passes; move the clock with at or after instead", cmd.Action)
	}
	// Order facts address the order; the step's case is then the one its
	// expect checks.
	if cmd.Action != aftersale.ActionShipped && cmd.Action != aftersale.ActionDelivered {
		cmd.Case = caseID
	}
	return cmd, nil
}

// commandError turns the command form's refusal, such as "command:
// lines[0].quantity: must be a whole number, not 1.5", into an error in the
// step's field lines[0].quantity that says "must be a whole number, not
// 1.5". The code stays in the chain.
func (d *decoder) commandError(err error) error {
	rest, ok := strings.CutPrefix(message(err), "command: ")
	field, why, cut := strings.Cut(rest, ": ")
	name := field[:strings.IndexAny(field+"[", "[.")] // lines, of lines[0].quantity
	if !ok || !cut || !slices.Contains(aftersale.CommandFields(), name) {
		return d.wrap("", err)
	}
	return d.wrap(field, &refined{why, err})
}

// expect decodes an expectation about the case caseID.
func (d *decoder) expect(field string, raw json.RawMessage, caseID string, s *Scenario) (Expect, error) {
	x := Expect{Case: caseID}
	m, err := d.object(field, raw, expectFields, "an expect")
	if err != nil {
		return x, err
	}
	if len(m) == 0 {
		return x, d.errorf(field, "expects nothing; give one or more of %s", strings.Join(expectFields, ", "))
	}
	if raw, ok := m["state"]; ok {
		if x.State, err = decodeEnum[aftersale.State](d, join(field, "state"), raw); err != nil {
			return x, err
		}
	}
	if raw, ok := m["kind"]; ok {
		if x.Kind, err = decodeEnum[aftersale.Kind](d, join(field, "kind"), raw); err != nil {
			return x, err
		}
	}
	if raw, ok := m["closed_reason"]; ok {
		if x.ClosedReason, err = decodeEnum[aftersale.ClosedReason](d, join(field, "closed_reason"), raw); err != nil {
			return x, err
		}
	}
	for _, f := range []struct {
		name string
		v    **aftersale.Money
	}{{"refunded", &x.Refunded}, {"compensation", &x.Compensation}} {
		if raw, ok := m[f.name]; ok {
			v, err := d.money(join(field, f.name), raw)
			if err != nil {
				return x, err
			}
			*f.v = &v
		}
	}
	if raw, ok := m["compensation_by"]; ok {
		if x.CompensationBy, err = d.payers(join(field, "compensation_by"), raw); err != nil {
			return x, err
		}
	}
	if raw, ok := m["decided_by"]; ok {
		if x.DecidedBy, err = d.name(join(field, "decided_by"), raw); err != nil {
			return x, err
		}
		if s.Rules.Lookup(x.DecidedBy) == nil && x.DecidedBy != (aftersale.Deadlines{}).Name() && x.DecidedBy != aftersale.DecidedByImport {
			return x, d.errorf(join(field, "decided_by"), "%q is not a policy of the scenario's rules; they are %s",
				x.DecidedBy, strings.Join(policyNames(s.Rules), ", "))
		}
	}
	if raw, ok := m["next_deadline"]; ok {
		if x.NextDeadline, err = d.instant(join(field, "next_deadline"), raw); err != nil {
			return x, err
		}
	}
	if raw, ok := m["error"]; ok {
		if x.Error, err = decodeEnum[aftersale.Code](d, join(field, "error"), raw); err != nil {
			return x, err
		}
	}
	return x, nil
}

// payers decodes what each payer pays: {"insurance": "20.00", "merchant":
// "5.00"}, payers by name, each once, amounts as money.
func (d *decoder) payers(field string, raw json.RawMessage) (map[aftersale.Payer]aftersale.Money, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, d.errorf(field, "want an object of payers and amounts, such as {\"insurance\": \"20.00\"}")
	}
	out := map[aftersale.Payer]aftersale.Money{}
	for name, v := range m {
		p, err := decodeEnum[aftersale.Payer](d, join(field, name), json.RawMessage(strconv.Quote(name)))
		if err != nil {
			return nil, err
		}
		if out[p], err = d.money(join(field, name), v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func policyNames(r aftersale.Rules) []string {
	names := make([]string, len(r.Policies))
	for i, p := range r.Policies {
		names[i] = p.Name()
	}
	return names
}

// ParseRules reads a rule-set file, the form of a scenario's "policy":
// parameters by policy name, read over base's (policy.Default() for the
// platform's defaults), null dropping a policy, as in
// {"freight_subsidy": {"cap": "30.00"}}. Empty data (or only spaces) and {}
// give base itself. The rules it returns make an engine; base is never
// changed. Errors are *Error values naming the field.
func ParseRules(data []byte, base aftersale.Rules) (aftersale.Rules, error) {
	d := &decoder{base: base}
	if len(bytes.TrimSpace(data)) == 0 {
		return base, nil
	}
	rules, err := d.rules("", data)
	if err != nil {
		return aftersale.Rules{}, err
	}
	if _, err := aftersale.New(aftersale.Config{Rules: rules}); err != nil {
		return aftersale.Rules{}, d.wrap("", err)
	}
	return rules, nil
}
