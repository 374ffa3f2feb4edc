package aftersale

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// The longest texts a command or an order may carry, in bytes of UTF-8
// (a Chinese character takes 3). Longer texts are ErrInvalidInput, as are
// texts that are not valid UTF-8: encoding/json would write them with
// U+FFFD in place of the bad bytes, so the stored order would not be the
// one that was decided, and a command resent after a reload would not be
// recognised by its key.
const (
	// MaxIDLen bounds identifiers: Command.Case and Key, Order.ID and
	// Buyer, Line.ID and SKU, Units.Line.
	MaxIDLen = 128
	// MaxCarrierLen bounds Command.Carrier.
	MaxCarrierLen = 64
	// MaxWaybillLen bounds Command.Waybill.
	MaxWaybillLen = 128
	// MaxNoteLen bounds Command.Note: some 660 Chinese characters.
	MaxNoteLen = 2000
	// MaxRecordLen bounds Command.Record, a platform's record of a case
	// (in its compact JSON form).
	MaxRecordLen = 64 << 10
)

// MaxEventsPerCall is the most events one ApplyAt or AdvanceTo may append
// by firing deadlines. A call that would fire more is ErrInvalidInput and
// changes nothing; a host catching up on a long gap advances in steps.
const MaxEventsPerCall = 10000

// maxVersion is the highest version a stored order may carry: far above
// what any order reaches, and far from overflowing as it is counted on.
const maxVersion = 1 << 40

// textOK reports whether s is valid UTF-8 of at most limit bytes.
func textOK(s string, limit int) bool { return s == "" || len(s) <= limit && utf8.ValidString(s) }

// textError is the refusal of s, a text textOK refused, named as what (and
// whatZh in Chinese).
func textError(what, whatZh, s string, limit int) error {
	if len(s) > limit {
		return refuse(ErrInvalidInput, "text.too_long", what+" is "+strconv.Itoa(len(s))+" bytes long, above the limit of "+strconv.Itoa(limit),
			whatZh+"长"+strconv.Itoa(len(s))+"字节，超过上限"+strconv.Itoa(limit)+"字节（一个汉字占3字节）")
	}
	return refuse(ErrInvalidInput, "text.not_utf8", what+" is not valid UTF-8", whatZh+"含有无效字符（不是有效的UTF-8）")
}

// wholeMinuteZone reports whether t's zone is offset from UTC by whole
// minutes at t, and by less than a day, as RFC 3339 (and so the JSON form)
// can write it.
func wholeMinuteZone(t time.Time) bool {
	if t.Location() == time.UTC {
		return true
	}
	_, off := t.Zone()
	return off%60 == 0 && off > -24*60*60 && off < 24*60*60
}

// checkedZones are fixed zones (one offset for all time) that
// wholeMinuteZone accepts, so that a time in one needs no look-up of its
// offset; nil entries hold none.
type checkedZones [2]*time.Location

// zonesOf returns the checked zones of an Engine in zone loc: loc, and the
// zone times of its offset read back from JSON are in (time.Parse puts
// them in FixedZone("", offset)); none if loc is not fixed at a
// whole-minute offset.
func zonesOf(loc *time.Location) checkedZones {
	t := time.Unix(0, 0).In(loc)
	if start, end := t.ZoneBounds(); !start.IsZero() || !end.IsZero() || !wholeMinuteZone(t) {
		return checkedZones{}
	}
	_, offset := t.Zone()
	return checkedZones{loc, time.FixedZone("", offset)}
}

// wholeMinute is wholeMinuteZone for a time that may be in one of z:
// looking up a time's offset is the dearest of a command's checks, and
// most times come in one zone.
func (z checkedZones) wholeMinute(t time.Time) bool {
	loc := t.Location()
	return loc == z[0] || loc == z[1] || wholeMinuteZone(t)
}

// zoneError is the refusal of a time, named as what (and whatZh in
// Chinese), whose zone offset has seconds or is a day or more.
func zoneError(what, whatZh string, t time.Time) error {
	name, off := t.Zone()
	return refuse(ErrInvalidInput, "time.bad_zone", what+" is in zone "+strconv.Quote(name)+", offset "+strconv.Itoa(off)+" seconds from UTC, which is not a whole number of minutes under a day and cannot be stored",
		whatZh+"的时区“"+name+"”与UTC相差"+strconv.Itoa(off)+"秒，不是一天以内的整分钟数，无法保存")
}
