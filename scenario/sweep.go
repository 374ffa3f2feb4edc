package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
)

// Sweep is one policy parameter and the values to play a scenario with,
// one play per value. A file writes it as
//
//	"sweep": {"deadlines.review": ["12h", "24h", "36h", "48h"]}
//
// and the runner's flag as -sweep deadlines.review=12h,24h,36h,48h
// (ParseSweep). Each value is played over the file's own rules: it
// overrides what the file's "policy" gives that parameter, and keeps the
// rest of the file's overrides.
type Sweep struct {
	// Policy names a policy of the scenario's rules, and Param one of its
	// parameters by its JSON name, as a file's "policy" sets it: the key
	// "deadlines.review" is Policy "deadlines", Param "review".
	Policy, Param string
	// Values are the parameter's values, each in the JSON form the file's
	// "policy" reads: `"12h"`, `"20.00"`, `3`, `["SF", "JD"]`.
	Values []json.RawMessage

	flag bool // written in the runner's -sweep flag, which errors name instead of the file's field
}

// Key returns the parameter as a file's "sweep" names it:
// "deadlines.review".
func (sw Sweep) Key() string { return sw.Policy + "." + sw.Param }

// String returns the sweep as the runner's -sweep flag writes it:
// "deadlines.review=12h,24h". Strings are written without their quotes.
func (sw Sweep) String() string {
	labels := make([]string, len(sw.Values))
	for i, v := range sw.Values {
		labels[i] = valueLabel(v)
	}
	return sw.Key() + "=" + strings.Join(labels, ",")
}

// sweepFlag is the runner's flag, as errors about it name it.
const sweepFlag = "-sweep"

// keyField names the sweep's parameter in errors: the file's field
// "sweep.deadlines.review", or the flag's "-sweep deadlines.review".
func (sw *Sweep) keyField() string {
	if sw.flag {
		return sweepFlag + " " + sw.Key()
	}
	return "sweep." + sw.Key()
}

// valueField names the sweep's value i in errors: the file's field
// "sweep.deadlines.review[1]", counting from 0 as JSON arrays do, or the
// flag's "-sweep deadlines.review=2 days", the value as it was written.
func (sw *Sweep) valueField(i int) string {
	if sw.flag {
		return sw.keyField() + "=" + valueLabel(sw.Values[i])
	}
	return sw.keyField() + "[" + strconv.Itoa(i) + "]"
}

// valueLabel writes a value the way comparisons label it: a string
// without its quotes, anything else as compact JSON.
func valueLabel(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return string(v)
	}
	return b.String()
}

// ParseSweep reads a sweep written as the runner's -sweep flag takes it:
// <policy>.<parameter>=<value>,<value>,..., such as
// "deadlines.review=12h,24h,36h,48h". The values are the parameter's JSON
// form, but a string needs no quotes: a value that is not JSON is a string
// (12h is "12h"), and so is a number or true or false given to a
// parameter that does not take one (20.00 for a money parameter is
// "20.00"). Lists and objects are written in JSON (["SF","JD"]); a comma
// inside brackets, braces or quotes does not separate values.
//
// The parameter and each value are checked against the policy of rules
// (policy.Default(), or the host's set) as a file's sweep is checked
// against its rules; errors are *Error naming the flag and, for a value,
// the value ("-sweep deadlines.review=2 days: ..."), with no file. A
// scenario played with the sweep checks it again against its own rules
// (SweepVariants).
func ParseSweep(text string, rules aftersale.Rules) (Sweep, error) {
	d := &decoder{base: rules}
	key, list, ok := strings.Cut(text, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Sweep{}, d.errorf(sweepFlag, "%q: want <policy>.<parameter>=<value>,<value>,..., such as deadlines.review=24h,48h", text)
	}
	sw := Sweep{flag: true}
	if sw.Policy, sw.Param, ok = strings.Cut(key, "."); !ok || sw.Policy == "" || sw.Param == "" {
		return Sweep{}, d.errorf(sweepFlag+" "+key, "want <policy>.<parameter>, such as deadlines.review")
	}
	items, err := splitValues(list)
	if err != nil {
		return Sweep{}, d.wrap(sw.keyField(), err)
	}
	p := rules.Lookup(sw.Policy)
	if p == nil {
		return Sweep{}, d.errorf(sw.keyField(), "unknown policy; the default rules have %s", strings.Join(policyNames(rules), ", "))
	}
	sw.Param = canonicalParam(p, sw.Param)
	takes := func(v string) bool {
		_, err := overlay(p, json.RawMessage(`{`+strconv.Quote(sw.Param)+`:`+v+`}`))
		return err == nil
	}
	number, boolean := takes("1"), takes("true")
	for _, item := range items {
		v := json.RawMessage(strconv.Quote(item)) // a string, unless it is JSON the parameter takes as it is
		if json.Valid([]byte(item)) {
			switch c := item[0]; {
			case c == '"', c == '[', c == '{', c == 'n':
				v = json.RawMessage(item)
			case c == 't' || c == 'f':
				if boolean {
					v = json.RawMessage(item)
				}
			case number:
				v = json.RawMessage(item)
			}
		}
		sw.Values = append(sw.Values, v)
	}
	if _, err := d.sweepRules(rules, aftersale.Rules{}, nil, &sw); err != nil {
		return Sweep{}, err
	}
	return sw, nil
}

// splitValues splits the flag's values at the commas outside brackets,
// braces and quotes, trimming the spaces around each; none may be empty.
func splitValues(list string) ([]string, error) {
	var items []string
	depth, quoted, escaped, start := 0, false, false, 0
	cut := func(end int) error {
		item := strings.TrimSpace(list[start:end])
		if item == "" {
			return fmt.Errorf("value %d is empty: want <value>,<value>,...", len(items)+1)
		}
		items = append(items, item)
		start = end + 1
		return nil
	}
	for i := 0; i < len(list); i++ {
		switch c := list[i]; {
		case escaped:
			escaped = false
		case quoted && c == '\\':
			escaped = true
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			if err := cut(i); err != nil {
				return nil, err
			}
		}
	}
	if depth != 0 || quoted {
		return nil, errors.New("a bracket, brace or quote is not closed")
	}
	if err := cut(len(list)); err != nil {
		return nil, err
	}
	return items, nil
}

// canonicalParam returns the policy's own name for the parameter, which
// matches ignoring case as the policies read them ("Review" is
// "review"), or name as it is if the policy lists none such.
func canonicalParam(p aftersale.Policy, name string) string {
	for _, n := range paramNames(p) {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return name
}

// sweep decodes a file's "sweep": one member, "<policy>.<parameter>",
// whose value is the array of values. It checks them against the
// scenario's rules as SweepVariants does.
func (d *decoder) sweep(field string, raw json.RawMessage, s *Scenario) (*Sweep, error) {
	o, err := d.members(field, raw, "a sweep (values by <policy>.<parameter>)")
	if err != nil {
		return nil, err
	}
	keys := slices.Sorted(maps.Keys(o))
	switch len(keys) {
	case 0:
		return nil, d.errorf(field, `names no parameter; give one with its values, such as {"deadlines.review": ["24h", "48h"]}`)
	case 1:
	default:
		return nil, d.errorf(join(field, keys[1]), "a sweep plays one parameter at a time, and this names %s", strings.Join(keys, " and "))
	}
	sw := &Sweep{}
	var ok bool
	if sw.Policy, sw.Param, ok = strings.Cut(keys[0], "."); !ok || sw.Policy == "" || sw.Param == "" {
		return nil, d.errorf(join(field, keys[0]), "want <policy>.<parameter>, such as deadlines.review")
	}
	if sw.Values, err = d.array(join(field, keys[0]), o[keys[0]]); err != nil {
		return nil, err
	}
	if _, err := d.sweepRules(s.Rules, s.Base, s, sw); err != nil {
		return nil, err
	}
	return sw, nil
}

// sweepRules returns the rules of each value of sw: rules with the swept
// policy's parameter set to the value over what rules give it. base are
// the rules before the file's overrides, to tell a policy the file drops
// from one there never was; s, if not nil, the scenario, whose zone an
// engine is made in to check each set. The parameter's name becomes the
// policy's own spelling.
func (d *decoder) sweepRules(rules, base aftersale.Rules, s *Scenario, sw *Sweep) ([]aftersale.Rules, error) {
	p := rules.Lookup(sw.Policy)
	switch {
	case p == nil && base.Lookup(sw.Policy) != nil:
		return nil, d.errorf(sw.keyField(), `the file's "policy" drops %s (null): there is nothing to sweep`, sw.Policy)
	case p == nil:
		return nil, d.errorf(sw.keyField(), "unknown policy; the scenario's rules have %s", strings.Join(policyNames(rules), ", "))
	case len(sw.Values) == 0:
		return nil, d.errorf(sw.keyField(), "lists no value; give the values to play the scenario with")
	}
	sw.Param = canonicalParam(p, sw.Param)
	policyField := strings.TrimSuffix(sw.keyField(), "."+sw.Param) // paramError adds the parameter's name to it
	seen := map[string]bool{}
	out := make([]aftersale.Rules, len(sw.Values))
	for i, v := range sw.Values {
		var b bytes.Buffer
		if err := json.Compact(&b, v); err != nil {
			return nil, d.errorf(sw.valueField(i), "is not JSON: %v", err)
		}
		if seen[b.String()] {
			return nil, d.errorf(sw.valueField(i), "appears twice in the sweep; give each value once")
		}
		seen[b.String()] = true
		params := json.RawMessage(`{` + strconv.Quote(sw.Param) + `:` + b.String() + `}`)
		cp, err := overlay(p, params)
		if err != nil {
			err = d.paramError(policyField, p, params, err)
			var se *Error
			if errors.As(err, &se) {
				switch rest, inside := strings.CutPrefix(se.Field, sw.keyField()); {
				case inside && rest == "": // an unknown parameter: the key is wrong, whatever the value
				case inside: // within the value: excluded[1], calendar.holiday
					se.Field = sw.valueField(i) + rest
				default:
					se.Field = sw.valueField(i)
				}
			}
			return nil, err
		}
		out[i] = rules.Replace(cp)
		if s != nil {
			if _, err := aftersale.New(aftersale.Config{Rules: out[i], Zone: s.Zone}); err != nil {
				return nil, d.wrap(sw.valueField(i), err)
			}
		}
	}
	return out, nil
}

// Variant is one set of rules a comparison plays a scenario under.
type Variant struct {
	// Label names the variant in the comparison: a value of the swept
	// parameter as the flag writes it ("12h", "20.00", `["SF"]`), or
	// Baseline or ThisFile.
	Label string
	// Param is the swept parameter ("deadlines.review") and Value its
	// value in JSON; both empty for Baseline and ThisFile.
	Param string
	Value json.RawMessage
	// Rules are the rules the variant plays the scenario under.
	Rules aftersale.Rules
}

// The labels of the variants BaselineVariants returns.
const (
	Baseline = "baseline"  // the base rules, without the file's "policy"
	ThisFile = "this file" // the file's own rules
)

// SweepVariants returns a variant for each value of sw, in order: the
// scenario's rules with the swept parameter set to the value over what
// the file's "policy" gives it. The parameter must belong to a policy of
// the scenario's rules, and each value must be one it takes and give
// rules an engine accepts; errors are *Error naming the file and the
// sweep's field (for a sweep from ParseSweep, the flag and the value),
// with the decoder's messages: an unknown parameter lists the policy's.
func (s *Scenario) SweepVariants(sw Sweep) ([]Variant, error) {
	d := &decoder{file: s.File, base: s.Base}
	rules, err := d.sweepRules(s.Rules, s.Base, s, &sw)
	if err != nil {
		return nil, err
	}
	out := make([]Variant, len(rules))
	for i, r := range rules {
		out[i] = Variant{Label: valueLabel(sw.Values[i]), Param: sw.Key(), Value: sw.Values[i], Rules: r}
	}
	return out, nil
}

// BaselineVariants returns the scenario under its base rules, the rules
// before the file's "policy" (Baseline: policy.Default() untouched, for a
// file the runner plays), then under its own (ThisFile). The buyer's
// earlier refunds count in both: they are facts of the order. A scenario
// without base rules (one built by hand without Base) is an error.
func (s *Scenario) BaselineVariants() ([]Variant, error) {
	if len(s.Base.Policies) == 0 {
		return nil, &Error{File: s.File, Field: "policy", Err: errors.New("the scenario has no base rules to compare its own with (Parse sets Base)")}
	}
	return []Variant{{Label: Baseline, Rules: s.Base}, {Label: ThisFile, Rules: s.Rules}}, nil
}

// PlaySweep plays the scenario once for each value of sw and compares
// the plays: Compare(s, s.SweepVariants(sw)...).
func PlaySweep(s *Scenario, sw Sweep) (Comparison, error) {
	variants, err := s.SweepVariants(sw)
	if err != nil {
		return Comparison{}, err
	}
	return Compare(s, variants...)
}
