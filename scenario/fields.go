package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// decoder decodes the JSON values of one scenario file, strictly: every
// method takes the name of the field it decodes, so that its errors point
// at the file, the step and the field.
type decoder struct {
	file string
	base aftersale.Rules // the rules the file's overrides apply to
	step int             // the step being decoded, from 1; 0 outside the steps
}

func (d *decoder) wrap(field string, err error) error {
	return &Error{File: d.file, Step: d.step, Field: field, Err: err}
}

func (d *decoder) errorf(field, format string, args ...any) error {
	return d.wrap(field, fmt.Errorf(format, args...))
}

// object is a JSON object's members by name.
type object map[string]json.RawMessage

func (o object) has(name string) bool { _, ok := o[name]; return ok }

// object decodes raw as a JSON object whose members are all among known;
// what names the object in errors ("an order").
func (d *decoder) object(field string, raw json.RawMessage, known []string, what string) (object, error) {
	o, err := d.members(field, raw, what)
	if err != nil {
		return nil, err
	}
	if name, ok := unknown(o, known); ok {
		return nil, d.errorf(join(field, name), "unknown field; %s has %s", what, strings.Join(known, ", "))
	}
	return o, nil
}

// members decodes raw as a JSON object, whatever its members.
func (d *decoder) members(field string, raw json.RawMessage, what string) (object, error) {
	if raw == nil || isNull(raw) {
		return nil, d.errorf(field, "is required: %s is a JSON object", what)
	}
	var o object
	if err := json.Unmarshal(raw, &o); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			line, col := position(raw, syn.Offset)
			return nil, d.errorf(field, "line %d, column %d: %v", line, col, err)
		}
		return nil, d.errorf(field, "%s is a JSON object, not %s", what, jsonKind(raw))
	}
	if name, ok := duplicate(raw); ok {
		return nil, d.errorf(join(field, name), "appears twice in %s", what)
	}
	return o, nil
}

// duplicate returns a member name that a valid JSON object repeats: the
// map it decodes into would keep the last value and silently drop the
// others.
func duplicate(raw json.RawMessage) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return "", false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		name, _ := tok.(string)
		if seen[name] {
			return name, true
		}
		seen[name] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", false
		}
	}
	return "", false
}

// unknown returns the first member of o, in name order, that is not among
// known.
func unknown(o object, known []string) (string, bool) {
	for _, name := range slices.Sorted(maps.Keys(o)) {
		if !slices.Contains(known, name) {
			return name, true
		}
	}
	return "", false
}

// array decodes raw as a JSON array.
func (d *decoder) array(field string, raw json.RawMessage) ([]json.RawMessage, error) {
	var a []json.RawMessage
	if isNull(raw) || json.Unmarshal(raw, &a) != nil {
		return nil, d.errorf(field, "must be an array, not %s", jsonKind(raw))
	}
	return a, nil
}

// text decodes a JSON string. A missing value is "" unless required.
func (d *decoder) text(field string, raw json.RawMessage, required bool) (string, error) {
	if raw == nil {
		if required {
			return "", d.errorf(field, "is required")
		}
		return "", nil
	}
	var s string
	if isNull(raw) || json.Unmarshal(raw, &s) != nil {
		return "", d.errorf(field, "must be a string, not %s", jsonKind(raw))
	}
	return s, nil
}

// name decodes a non-empty JSON string, such as a case's or a line's ID.
func (d *decoder) name(field string, raw json.RawMessage) (string, error) {
	s, err := d.text(field, raw, true)
	if err == nil && s == "" {
		err = d.errorf(field, "must not be empty")
	}
	return s, err
}

// count decodes a whole number.
func (d *decoder) count(field string, raw json.RawMessage) (int, error) {
	var n int
	if raw == nil {
		return 0, d.errorf(field, "is required")
	}
	if isNull(raw) || json.Unmarshal(raw, &n) != nil {
		return 0, d.errorf(field, "must be a whole number, not %s", shown(raw))
	}
	return n, nil
}

// money decodes an amount written as a string, such as "299.00".
func (d *decoder) money(field string, raw json.RawMessage) (aftersale.Money, error) {
	if raw == nil {
		return 0, d.errorf(field, "is required")
	}
	var m aftersale.Money
	if err := m.UnmarshalJSON(raw); err != nil {
		return 0, d.wrap(field, err)
	}
	return m, nil
}

// instant decodes an RFC 3339 time.
func (d *decoder) instant(field string, raw json.RawMessage) (time.Time, error) {
	if raw == nil {
		return time.Time{}, d.errorf(field, "is required")
	}
	s, err := d.text(field, raw, true)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, d.errorf(field, "%q is not an RFC 3339 time like \"2026-03-01T10:00:00+08:00\"", s)
	}
	return t, nil
}

// optionalTime decodes an RFC 3339 time, or null or nothing for the zero
// time.
func (d *decoder) optionalTime(field string, raw json.RawMessage) (time.Time, error) {
	if raw == nil || isNull(raw) {
		return time.Time{}, nil
	}
	return d.instant(field, raw)
}

// enum is an aftersale enumeration: a uint8 with a text form, starting at
// 1, whose values are numbered without gaps.
type enum interface {
	~uint8
	MarshalText() ([]byte, error)
}

// decodeEnum decodes the text form of an enumeration; an unknown name is an
// error that lists the known ones.
func decodeEnum[E enum, P interface {
	*E
	UnmarshalText([]byte) error
}](d *decoder, field string, raw json.RawMessage) (E, error) {
	s, err := d.text(field, raw, true)
	if err != nil {
		return 0, err
	}
	var v E
	if err := P(&v).UnmarshalText([]byte(s)); err != nil {
		return 0, d.wrap(field, fmt.Errorf("%w; one of %s", err, strings.Join(enumNames[E](), ", ")))
	}
	return v, nil
}

// enumNames lists the text forms of an enumeration's values.
func enumNames[E enum]() []string {
	var names []string
	for i := 1; i < 256; i++ {
		b, err := E(i).MarshalText()
		if err != nil {
			break
		}
		names = append(names, string(b))
	}
	return names
}

// zone decodes a fixed offset such as "+08:00", or "Z" or "UTC".
func (d *decoder) zone(field string, raw json.RawMessage) (*time.Location, error) {
	s, err := d.text(field, raw, true)
	if err != nil {
		return nil, err
	}
	if s == "UTC" || s == "Z" {
		return time.UTC, nil
	}
	t, err := time.Parse("-07:00", s)
	if err != nil {
		return nil, d.errorf(field, "%q is not an offset like \"+08:00\", nor \"Z\" or \"UTC\"", s)
	}
	_, offset := t.Zone()
	if offset == 8*3600 {
		return timeline.UTC8(), nil
	}
	return time.FixedZone("UTC"+s, offset), nil
}

// join names a field inside another: "order" and "id" make "order.id".
func join(parent, field string) string {
	if parent == "" {
		return field
	}
	return parent + "." + field
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// jsonKind names the kind of a JSON value, for errors.
func jsonKind(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// shown returns a short JSON value as it is written, and a longer one by
// its kind, for errors.
func shown(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) > 20 || bytes.ContainsAny(b, "{[") {
		return jsonKind(raw)
	}
	return string(b)
}

// position returns the line and column of a byte offset, counting from 1.
func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}
