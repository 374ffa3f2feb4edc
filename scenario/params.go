package scenario

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// paramNames returns the JSON names of a policy's parameters, as a
// scenario's "policy" sets them: for aftersale.Deadlines, the names of
// aftersale.DeadlineParams and "calendar"; for any other policy, its
// struct's exported fields that JSON reads, each by its json tag or, if it
// has none, its name in snake case (MaxRefunds: "max_refunds"), the form
// the policies of package policy read. Errors about an unknown parameter
// list them.
func paramNames(p aftersale.Policy) []string {
	switch p.(type) {
	case aftersale.Deadlines, *aftersale.Deadlines:
		var names []string
		for _, d := range aftersale.DeadlineParams() {
			names = append(names, d.Name)
		}
		return append(names, "calendar")
	}
	return fieldNames(reflect.TypeOf(p))
}

// fieldNames returns the JSON names of a struct's exported fields, by json
// tag or in snake case; t may be a pointer to the struct.
func fieldNames(t reflect.Type) []string {
	if t == nil {
		return nil
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = snake(f.Name)
		}
		names = append(names, name)
	}
	return names
}

// snake writes a Go name in snake case: WindowDays is window_days.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// paramError makes a policy's refusal of its parameters (err) say what
// would have been right: an unknown parameter lists the policy's, and an
// unknown category lists the categories, each naming the field. If it
// finds nothing to add, it returns err as it is, naming field. field names the policy,
// such as "policy.seven_day_no_reason".
func (d *decoder) paramError(field string, p aftersale.Policy, params json.RawMessage, err error) error {
	var o object
	if json.Unmarshal(params, &o) != nil {
		return d.wrap(field, err)
	}
	names := paramNames(p)
	known := func(name string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, name) })
	}
	// Only when the policy said so: a host's policy may read other names
	// than the ones guessed here.
	if name, ok := unknownFold(o, known); ok && strings.Contains(err.Error(), "unknown field") {
		what := p.Name() + " has " + strings.Join(names, ", ")
		if len(names) == 0 {
			what = p.Name() + " takes none"
		}
		return d.wrap(join(field, name), &refined{"unknown parameter; " + what, err})
	}
	for _, name := range sortedKeys(o) {
		raw := o[name]
		switch typ := fieldType(p, name); {
		case typ == reflect.TypeFor[[]aftersale.Category]():
			var items []json.RawMessage
			if json.Unmarshal(raw, &items) != nil {
				continue
			}
			for i, item := range items {
				f := join(field, name) + "[" + strconv.Itoa(i) + "]"
				var bad *Error
				if _, cerr := decodeEnum[aftersale.Category](d, f, item); errors.As(cerr, &bad) {
					return d.wrap(f, &refined{message(bad.Err), err})
				}
			}
		case typ == reflect.TypeFor[timeline.Calendar]():
			var cal object
			if json.Unmarshal(raw, &cal) != nil {
				continue
			}
			calNames := fieldNames(reflect.TypeFor[timeline.Workweek]())
			if f, ok := unknownFold(cal, func(n string) bool {
				return slices.ContainsFunc(calNames, func(c string) bool { return strings.EqualFold(c, n) })
			}); ok {
				return d.wrap(join(join(field, name), f), &refined{"unknown field; a calendar has " + strings.Join(calNames, ", "), err})
			}
		}
	}
	return d.wrap(field, err)
}

// fieldType returns the type of the struct field of p that the JSON name
// sets, or nil.
func fieldType(p aftersale.Policy, name string) reflect.Type {
	t := reflect.TypeOf(p)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	names := fieldNames(t)
	i := 0
	for f := range t.Fields() {
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		if strings.EqualFold(names[i], name) {
			return f.Type
		}
		i++
	}
	return nil
}

// unknownFold returns the first member of o, in name order, that known
// does not know.
func unknownFold(o object, known func(string) bool) (string, bool) {
	for _, name := range sortedKeys(o) {
		if !known(name) {
			return name, true
		}
	}
	return "", false
}

func sortedKeys(o object) []string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// refined is an error of package aftersale said better: it reads as msg and
// keeps err, and its code, in the chain.
type refined struct {
	msg string
	err error
}

func (e *refined) Error() string { return e.msg }
func (e *refined) Unwrap() error { return e.err }
