package aftersale

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// wireMember is one member of a Command's JSON form: its name, the argument it
// is (none for actor, action and key), and how the field is tested for
// zero, written and read.
type wireMember struct {
	name string
	arg  arg
	zero func(*Command) bool
	// write appends the JSON value of the field to b.
	write func(b []byte, c *Command) ([]byte, *wireProblem)
	// read decodes raw, a valid JSON value, into the field of c.
	read func(c *Command, raw []byte) *wireProblem
}

// wireProblem is why a member's value cannot be written or read, and where
// inside the member (such as "[0].quantity"; empty for the member itself).
type wireProblem struct{ at, why string }

// commandMembers is the JSON form of a Command, in the order MarshalJSON
// writes it: one member per field, named as in scenario steps and Event's
// JSON. It is the one list of the names: CommandFields and argNames read
// it.
var commandMembers = [...]wireMember{
	wireEnumMember("actor", 0, actorNames[:], func(c *Command) *Actor { return &c.Actor }),
	wireEnumMember("action", 0, actionNames[:], func(c *Command) *Action { return &c.Action }),
	wireTextMember("case", argCase, func(c *Command) *string { return &c.Case }),
	wireEnumMember("kind", argKind, kindNames[:], func(c *Command) *Kind { return &c.Kind }),
	wireEnumMember("reason", argReason, reasonNames[:], func(c *Command) *Reason { return &c.Reason }),
	wireMoneyMember("amount", argAmount, func(c *Command) *Money { return &c.Amount }),
	wireLinesMember("lines", argLines, func(c *Command) *[]Units { return &c.Lines }),
	wireTextMember("note", argNote, func(c *Command) *string { return &c.Note }),
	wireTextMember("carrier", argCarrier, func(c *Command) *string { return &c.Carrier }),
	wireTextMember("waybill", argWaybill, func(c *Command) *string { return &c.Waybill }),
	wireMoneyMember("freight", argFreight, func(c *Command) *Money { return &c.Freight }),
	wireEnumMember("ruling", argRuling, rulingNames[:], func(c *Command) *Ruling { return &c.Ruling }),
	wireBoolMember("return_goods", argReturnGoods, func(c *Command) *bool { return &c.ReturnGoods }),
	wireEnumMember("state", argState, stateNames[:], func(c *Command) *State { return &c.State }),
	wireTimeMember("due", argDue, func(c *Command) *time.Time { return &c.Due }),
	wireObjectMember("record", argRecord, func(c *Command) *json.RawMessage { return &c.Record }),
	wireTextMember("key", 0, func(c *Command) *string { return &c.Key }),
	wireIntMember("version", argVersion, func(c *Command) *int { return &c.Version }),
}

// argNames are the names of the arguments by bit, for argList: argNames[i]
// names the argument 1<<i.
var argNames = func() []string {
	var names []string
	for _, m := range commandMembers {
		if m.arg != 0 {
			i := bits.TrailingZeros16(uint16(m.arg))
			names = append(names, make([]string, max(0, i+1-len(names)))...)
			names[i] = m.name
		}
	}
	return names
}()

// CommandFields returns the names of the members of a Command's JSON form,
// in the order MarshalJSON writes them: actor, action, case, kind, reason,
// amount, lines, note, carrier, waybill, freight, ruling, return_goods,
// state, due, record, key, version. The slice is new on every call.
func CommandFields() []string {
	names := make([]string, len(commandMembers))
	for i, m := range commandMembers {
		names[i] = m.name
	}
	return names
}

// MarshalJSON writes the command as a JSON object with a member for each
// field that is not zero, in the order CommandFields gives: enums by their
// text names, money as a string such as "299.00", lines as
// [{"line": "l1", "quantity": 1}]. A command that UnmarshalJSON could not
// read back as it is (an unknown enum value, negative or out-of-range
// money, a text that is not valid UTF-8) is refused as ErrInvalidInput,
// naming the field.
func (c Command) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 128)
	b = append(b, '{')
	for i := range commandMembers {
		m := &commandMembers[i]
		if m.zero(&c) {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, m.name...)
		b = append(b, '"', ':')
		var r *wireProblem
		if b, r = m.write(b, &c); r != nil {
			return nil, wireError(m.name+r.at, r.why)
		}
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the form MarshalJSON writes, strictly: an unknown or
// repeated member, a value of the wrong type, an unknown enum name (the
// error lists the known ones), bad money, data after the object, and a
// member given its zero value ("", "0.00", 0, false or [], which a command
// says by leaving the member out) are each ErrInvalidInput naming the
// member, as in "command: amount: money: 299 must be a string such as
// "299.00"". Members may come in any order; {} is the zero Command. On
// error c is left as it was.
//
// Which arguments go with which action is not checked here: Apply refuses
// a command with missing or stray ones.
func (c *Command) UnmarshalJSON(b []byte) error {
	if c == nil {
		return wireError("", "cannot decode into a nil *Command")
	}
	var next Command
	if err := next.fromJSON(b); err != nil {
		return err
	}
	*c = next
	return nil
}

// fromJSON reads b into c, a zero Command.
func (c *Command) fromJSON(b []byte) error {
	var whole json.RawMessage
	if err := json.Unmarshal(b, &whole); err != nil {
		return wireError("", err.Error())
	}
	members, ok := wireObject(whole)
	if !ok {
		return wireError("", "a command is a JSON object, not "+wireKind(whole))
	}
	var seen [len(commandMembers)]bool
	for _, jm := range members {
		i := wireIndex(jm.name)
		switch {
		case i < 0:
			return wireError(wireName(jm.name), "unknown field; a command has "+strings.Join(CommandFields(), ", "))
		case seen[i]:
			return wireError(jm.name, "appears twice")
		}
		seen[i] = true
		if r := commandMembers[i].read(c, jm.raw); r != nil {
			return wireError(jm.name+r.at, r.why)
		}
	}
	return nil
}

func wireIndex(name string) int {
	for i := range commandMembers {
		if commandMembers[i].name == name {
			return i
		}
	}
	return -1
}

// wireError refuses a command's JSON form: "command: <where>: <why>",
// where is the member the problem is in ("amount", "lines[0].quantity"),
// or "command: <why>" for a problem with the whole.
func wireError(at, why string) error {
	msg, zh := "command: "+why, "操作指令的格式有误"
	if at != "" {
		msg, zh = "command: "+at+": "+why, "操作指令的字段"+at+"有误"
	}
	return refuse(ErrInvalidInput, "json.bad_command", msg, zh)
}

// wireMessage returns the message of an error from this package, without
// its code.
func wireMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// wireName returns the name of an unknown member as it is, or quoted if
// it is not a plain name such as "waybil".
func wireName(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '_' && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// wirePair is a member of a JSON object, as it is written.
type wirePair struct {
	name string
	raw  json.RawMessage
}

// wireObject returns the members of raw, a valid JSON value, in order,
// or false if it is not an object.
func wireObject(raw []byte) ([]wirePair, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var members []wirePair
	for dec.More() {
		tok, err := dec.Token()
		name, isName := tok.(string)
		if err != nil || !isName {
			return nil, false // not reached for valid JSON
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		members = append(members, wirePair{name, v})
	}
	return members, true
}

// wireKind names the kind of a valid JSON value, for errors.
func wireKind(raw []byte) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "nothing"
	case b[0] == '{':
		return "an object"
	case b[0] == '[':
		return "an array"
	case b[0] == '"':
		return "a string"
	case b[0] == 't' || b[0] == 'f':
		return "a boolean"
	case b[0] == 'n':
		return "null"
	}
	return "a number"
}

// wireShown returns a short scalar JSON value as it is written, and
// anything else by its kind, for errors.
func wireShown(raw []byte) string {
	b := bytes.TrimSpace(raw)
	if len(b) > 20 || len(b) == 0 || b[0] == '{' || b[0] == '[' {
		return wireKind(raw)
	}
	return string(b)
}

// wireString decodes a JSON string that is valid UTF-8 as written.
// (encoding/json would put U+FFFD in place of bad bytes, so the command
// would not be the one sent.)
func wireString(raw []byte) (string, *wireProblem) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", &wireProblem{why: "must be a string, not " + wireKind(raw)}
	}
	if !utf8.Valid(raw) {
		return "", &wireProblem{why: "is not valid UTF-8"}
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", &wireProblem{why: "is not a valid string"}
	}
	return s, nil
}

// wireInt decodes a JSON number that is a whole number an int holds.
func wireInt(raw []byte) (int, *wireProblem) {
	var n int
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) || json.Unmarshal(raw, &n) != nil {
		return 0, &wireProblem{why: "must be a whole number, not " + wireShown(raw)}
	}
	return n, nil
}

// wireAppend appends s as a JSON string; s is valid UTF-8.
func wireAppend(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

const wireLeaveOut = "; leave the field out instead"

func wireTextMember(name string, a arg, field func(*Command) *string) wireMember {
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return *field(c) == "" },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			s := *field(c)
			if !utf8.ValidString(s) {
				return b, &wireProblem{why: "is not valid UTF-8"}
			}
			return wireAppend(b, s), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			s, r := wireString(raw)
			switch {
			case r != nil:
				return r
			case s == "":
				return &wireProblem{why: "must not be empty" + wireLeaveOut}
			}
			*field(c) = s
			return nil
		},
	}
}

// wireEnum is an enum of this package: a uint8 whose names table gives
// its text form.
type wireEnum interface {
	~uint8
	MarshalText() ([]byte, error)
}

func wireEnumMember[E wireEnum, P interface {
	*E
	UnmarshalText([]byte) error
}](name string, a arg, table []names, field func(*Command) *E) wireMember {
	known := make([]string, 0, len(table))
	for _, n := range table[1:] {
		if n.text != "" {
			known = append(known, n.text)
		}
	}
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return *field(c) == 0 },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			text, err := (*field(c)).MarshalText()
			if err != nil {
				return b, &wireProblem{why: wireMessage(err)}
			}
			return wireAppend(b, string(text)), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			s, r := wireString(raw)
			if r != nil {
				return r
			}
			var v E
			if err := P(&v).UnmarshalText([]byte(s)); err != nil || v == 0 {
				why := "unknown " + name + " " + strconv.Quote(s)
				if err != nil {
					why = wireMessage(err)
				}
				return &wireProblem{why: why + "; one of " + strings.Join(known, ", ")}
			}
			*field(c) = v
			return nil
		},
	}
}

func wireMoneyMember(name string, a arg, field func(*Command) *Money) wireMember {
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return *field(c) == 0 },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			m := *field(c)
			if m < 0 || m/100 > maxMoney/100 { // what ParseMoney reads back
				return b, &wireProblem{why: "money: " + m.String() + " is out of range"}
			}
			b = append(b, '"')
			return append(m.appendText(b), '"'), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			var m Money
			switch err := m.UnmarshalJSON(raw); {
			case err != nil:
				return &wireProblem{why: wireMessage(err)}
			case m == 0:
				return &wireProblem{why: string(raw) + " is zero, which means not set" + wireLeaveOut}
			}
			*field(c) = m
			return nil
		},
	}
}

// wireTimeMember is a time in RFC 3339, with its offset, as in Event's
// JSON.
func wireTimeMember(name string, a arg, field func(*Command) *time.Time) wireMember {
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return field(c).IsZero() },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			t := *field(c)
			if _, ok := momentIn(t); !ok || !wholeMinuteZone(t) {
				return b, &wireProblem{why: "is not a time a case can hold"}
			}
			b = append(b, '"')
			return append(t.AppendFormat(b, time.RFC3339Nano), '"'), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			s, r := wireString(raw)
			if r != nil {
				return r
			}
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return &wireProblem{why: "must be a time such as \"2026-03-08T23:59:59+08:00\", not " + wireShown(raw)}
			}
			if t.IsZero() {
				return &wireProblem{why: "the zero time means not set" + wireLeaveOut}
			}
			*field(c) = t
			return nil
		},
	}
}

// wireObjectMember is a JSON object kept as it is written, such as a
// platform's record.
func wireObjectMember(name string, a arg, field func(*Command) *json.RawMessage) wireMember {
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return len(*field(c)) == 0 },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			raw, err := canonicalRecord(*field(c))
			if err != nil {
				return b, &wireProblem{why: "must be a JSON object"}
			}
			return append(b, raw...), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			if raw[0] != '{' {
				return &wireProblem{why: "must be a JSON object, not " + wireKind(raw)}
			}
			b, err := canonicalRecord(raw) // as the event will keep it, so a command reads back as it was
			if err != nil {
				return &wireProblem{why: wireMessage(err)}
			}
			*field(c) = b
			return nil
		},
	}
}

func wireBoolMember(name string, a arg, field func(*Command) *bool) wireMember {
	return wireMember{
		name: name, arg: a,
		zero:  func(c *Command) bool { return !*field(c) },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) { return append(b, "true"...), nil },
		read: func(c *Command, raw []byte) *wireProblem {
			switch string(raw) {
			case "true":
				*field(c) = true
				return nil
			case "false":
				return &wireProblem{why: "false means not set" + wireLeaveOut}
			}
			return &wireProblem{why: "must be true or false, not " + wireShown(raw)}
		},
	}
}

func wireIntMember(name string, a arg, field func(*Command) *int) wireMember {
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return *field(c) == 0 },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			return strconv.AppendInt(b, int64(*field(c)), 10), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			n, r := wireInt(raw)
			switch {
			case r != nil:
				return r
			case n == 0:
				return &wireProblem{why: "0 means not set" + wireLeaveOut}
			}
			*field(c) = n
			return nil
		},
	}
}

// wireUnitsFields are the members of Units' JSON form, as its tags name
// them.
var wireUnitsFields = []string{"line", "quantity"}

func wireLinesMember(name string, a arg, field func(*Command) *[]Units) wireMember {
	return wireMember{
		name: name, arg: a,
		zero: func(c *Command) bool { return len(*field(c)) == 0 },
		write: func(b []byte, c *Command) ([]byte, *wireProblem) {
			b = append(b, '[')
			for i, u := range *field(c) {
				if !utf8.ValidString(u.Line) {
					return b, &wireProblem{at: "[" + strconv.Itoa(i) + "].line", why: "is not valid UTF-8"}
				}
				if i > 0 {
					b = append(b, ',')
				}
				j, err := json.Marshal(u) // Units' own form
				if err != nil {
					return b, &wireProblem{at: "[" + strconv.Itoa(i) + "]", why: err.Error()}
				}
				b = append(b, j...)
			}
			return append(b, ']'), nil
		},
		read: func(c *Command, raw []byte) *wireProblem {
			var items []json.RawMessage
			if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
				return &wireProblem{why: "must be an array, not " + wireKind(raw)}
			}
			if len(items) == 0 {
				return &wireProblem{why: "names no line; leave the field out to ask for the whole order"}
			}
			lines := make([]Units, len(items))
			for i, item := range items {
				if r := wireUnits(&lines[i], item); r != nil {
					r.at = "[" + strconv.Itoa(i) + "]" + r.at
					return r
				}
			}
			*field(c) = lines
			return nil
		},
	}
}

// wireUnits decodes one line of a command: both members, line (a text,
// which Apply checks) and quantity (a whole number, likewise).
func wireUnits(u *Units, raw []byte) *wireProblem {
	members, ok := wireObject(raw)
	if !ok {
		return &wireProblem{why: "a line of a request is a JSON object, not " + wireKind(raw)}
	}
	var seen [2]bool
	for _, jm := range members {
		k := slices.Index(wireUnitsFields, jm.name)
		switch {
		case k < 0:
			return &wireProblem{at: "." + wireName(jm.name), why: "unknown field; a line of a request has " + strings.Join(wireUnitsFields, ", ")}
		case seen[k]:
			return &wireProblem{at: "." + jm.name, why: "appears twice"}
		}
		seen[k] = true
		var r *wireProblem
		if k == 0 {
			u.Line, r = wireString(jm.raw)
		} else {
			u.Quantity, r = wireInt(jm.raw)
		}
		if r != nil {
			r.at = "." + jm.name
			return r
		}
	}
	for i, name := range wireUnitsFields {
		if !seen[i] {
			return &wireProblem{at: "." + name, why: "is required"}
		}
	}
	return nil
}
