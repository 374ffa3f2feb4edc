package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// Beijing is the zone the platforms write their clock times in (China
// Standard Time, UTC+8, which keeps no summer time): timeline.UTC8, the
// rules' default zone. Unix timestamps are read into it too, so that times
// print as the platforms show them.
var Beijing = timeline.UTC8()

// Record is one after-sale record of a platform, decoded: its ids, the
// codes that say where the case stands, its times and money, and the
// record as it came.
type Record struct {
	Platform Platform
	// ID is the platform's after-sale id; Order the platform's order id,
	// empty when the record does not carry it.
	ID    string
	Order string
	Codes Codes
	// Applied is when the buyer asked; Updated when the platform last
	// changed the record, the time the record's state holds from.
	Applied time.Time
	Updated time.Time
	// Due is the platform's own deadline for the current state; zero when
	// the record gives none.
	Due time.Time
	// Amount is what the case asks for; zero when the record does not
	// say.
	Amount aftersale.Money
	// Carrier and Waybill are the return parcel's, when the buyer has
	// sent one and the record says so.
	Carrier string
	Waybill string
	// Raw is the record as it came, a JSON object.
	Raw json.RawMessage
}

// Place maps the record's codes to shouhou.
func (r Record) Place() (Placement, error) {
	if r.Codes == nil {
		return Placement{}, missing(r.Platform, "status codes")
	}
	return r.Codes.Place()
}

// object is a JSON object being read field by field. Fields the reader
// does not ask for are ignored: the platforms add fields over time, and a
// record with more than this package knows still says what it needs.
// Asked-for fields must have the documented JSON type (a number may also
// come as a string of digits, as some platforms' SDKs send them); null is
// read as absent.
type object struct {
	p    Platform
	path string // the object's path in the record, "" for the record itself, else ending in "."
	m    map[string]json.RawMessage
}

// parseObject reads b as a JSON object.
func parseObject(p Platform, b []byte) (object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return object{}, badJSON(p, "the record", err)
	}
	if m == nil {
		return object{}, badJSON(p, "the record", errors.New("null is not an object"))
	}
	return object{p: p, m: m}, nil
}

// raw returns the field name's JSON, or nil when it is absent or null.
func (o object) raw(name string) json.RawMessage {
	v, ok := o.m[name]
	if !ok || string(bytes.TrimSpace(v)) == "null" {
		return nil
	}
	return v
}

// obj returns the object in field name; ok is false when it is absent.
func (o object) obj(name string) (object, bool, error) {
	v := o.raw(name)
	if v == nil {
		return object{}, false, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil {
		return object{}, false, badField(o.p, o.path+name, short(v), "an object")
	}
	return object{p: o.p, path: o.path + name + ".", m: m}, true, nil
}

// needObj is obj for a field that must be there.
func (o object) needObj(name string) (object, error) {
	v, ok, err := o.obj(name)
	if err == nil && !ok {
		err = missing(o.p, o.path+name)
	}
	return v, err
}

// int returns the integer in field name, from a JSON number or a string
// of digits; ok is false when the field is absent.
func (o object) int(name string) (n int64, ok bool, err error) {
	v := o.raw(name)
	if v == nil {
		return 0, false, nil
	}
	s := string(v)
	if len(s) > 1 && s[0] == '"' {
		if err := json.Unmarshal(v, &s); err != nil {
			return 0, false, badField(o.p, o.path+name, short(v), "an integer")
		}
	}
	n, err = strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, badField(o.p, o.path+name, short(v), "an integer")
	}
	return n, true, nil
}

// needInt is int for a field that must be there.
func (o object) needInt(name string) (int64, error) {
	n, ok, err := o.int(name)
	if err == nil && !ok {
		err = missing(o.p, o.path+name)
	}
	return n, err
}

// code returns the status code in field name, absent as 0.
func (o object) code(name string, required bool) (int, error) {
	n, ok, err := o.int(name)
	switch {
	case err != nil:
		return 0, err
	case !ok && required:
		return 0, missing(o.p, o.path+name)
	case n < math.MinInt32 || n > math.MaxInt32:
		return 0, unknownCode(o.p, o.path+name, strconv.FormatInt(n, 10))
	}
	return int(n), nil
}

// text returns the string in field name, or a JSON number's digits, as
// ids come as either; ok is false when the field is absent.
func (o object) text(name string) (string, bool, error) {
	v := o.raw(name)
	if v == nil {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, true, nil
	}
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	if err := d.Decode(&n); err != nil {
		return "", false, badField(o.p, o.path+name, short(v), "a string")
	}
	return n.String(), true, nil
}

// needText is text for a field that must be there and not be empty.
func (o object) needText(name string) (string, error) {
	s, ok, err := o.text(name)
	if err == nil && (!ok || s == "") {
		err = missing(o.p, o.path+name)
	}
	return s, err
}

// boolean returns the boolean in field name, false when absent.
func (o object) boolean(name string) (bool, error) {
	v := o.raw(name)
	if v == nil {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, badField(o.p, o.path+name, short(v), "true or false")
	}
	return b, nil
}

// The times a record may carry: no platform existed before 2000, and a
// time past 2100 is a unit error, such as milliseconds read as seconds.
var earliest, latest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)

// unix returns the time in field name, a Unix time in seconds, or in
// milliseconds if ms; zero when absent, or when 0, which the platforms
// write for "no such time".
func (o object) unix(name string, ms bool) (time.Time, error) {
	n, ok, err := o.int(name)
	if err != nil || !ok || n == 0 {
		return time.Time{}, err
	}
	t := time.Unix(n, 0)
	if ms {
		t = time.UnixMilli(n)
	}
	if t.Before(earliest) || !t.Before(latest) {
		unit := "seconds"
		if ms {
			unit = "milliseconds"
		}
		return time.Time{}, badField(o.p, o.path+name, strconv.FormatInt(n, 10), "a Unix time in "+unit+" between 2000 and 2100")
	}
	return t.In(Beijing), nil
}

// clock returns the time in field name, written "2006-01-02 15:04:05" in
// Beijing time; zero when absent or empty.
func (o object) clock(name string) (time.Time, error) {
	s, ok, err := o.text(name)
	if err != nil || !ok || s == "" {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation(time.DateTime, s, Beijing)
	if err != nil || t.Before(earliest) || !t.Before(latest) {
		return time.Time{}, badField(o.p, o.path+name, s, "a time like 2026-03-04 20:00:00 between 2000 and 2100")
	}
	return t, nil
}

// fen returns the amount in field name, an integer of fen; zero when
// absent.
func (o object) fen(name string) (aftersale.Money, error) {
	n, ok, err := o.int(name)
	if err != nil || !ok {
		return 0, err
	}
	m := aftersale.Fen(n)
	if n < 0 || n > math.MaxInt64/4 {
		return 0, badField(o.p, o.path+name, strconv.FormatInt(n, 10), "an amount of fen")
	}
	return m, nil
}

// yuan returns the amount in field name, yuan with up to two decimals
// written as a string or a number; zero when absent.
func (o object) yuan(name string) (aftersale.Money, error) {
	s, ok, err := o.text(name)
	if err != nil || !ok || s == "" {
		return 0, err
	}
	m, err := aftersale.ParseMoney(s)
	if err != nil {
		return 0, badField(o.p, o.path+name, s, "an amount of yuan such as 299.00")
	}
	return m, nil
}

// short returns a JSON value for a message, cut to a readable length.
func short(v json.RawMessage) string {
	r := []rune(strings.TrimSpace(string(v)))
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return string(r)
}

// span checks that a record's times are in order: it was not updated
// before it was made.
func span(p Platform, applied, updated time.Time) error {
	if !applied.IsZero() && !updated.IsZero() && updated.Before(applied) {
		return badField(p, "update time", updated.Format(time.DateTime), "a time after the application ("+applied.Format(time.DateTime)+")")
	}
	return nil
}
