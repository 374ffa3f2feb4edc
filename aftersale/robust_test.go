package aftersale_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// TestTextLimits checks that texts at their limit are taken and stored
// as they are, and that one byte more is refused with a message naming
// the field and the limit.
func TestTextLimits(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(keyed(request(aftersale.KindReturnRefund, aftersale.ReasonQuality), strings.Repeat("k", aftersale.MaxIDLen)))
	f.do(act(merchant, aftersale.ActionApprove))
	ship := with(shipReturn(), func(c *aftersale.Command) {
		c.Carrier, c.Waybill = strings.Repeat("S", aftersale.MaxCarrierLen), strings.Repeat("9", aftersale.MaxWaybillLen)
		c.Note = strings.Repeat("用", aftersale.MaxNoteLen/3) + "ab"
	})
	out := f.do(ship)
	if len(out.Event.Note) != aftersale.MaxNoteLen {
		t.Fatalf("note of %d bytes, want %d", len(out.Event.Note), aftersale.MaxNoteLen)
	}
	f.check()

	g := newFixture(t, aftersale.Rules{})
	err := g.fails(note(request(aftersale.KindRefundOnly, aftersale.ReasonQuality), strings.Repeat("x", aftersale.MaxNoteLen+1)), aftersale.ErrInvalidInput)
	if msg := err.Error(); !strings.Contains(msg, "note") || !strings.Contains(msg, "2000") {
		t.Errorf("error %q does not name the note and its limit", msg)
	}
}

// TestOrderValueMarshalsItsCases encodes orders held as values, as in a
// map: they must keep their cases and version, and decode to the same.
func TestOrderValueMarshalsItsCases(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.reach(aftersale.KindRefundOnly, aftersale.StateRefunded)
	b, err := json.Marshal(map[string]aftersale.Order{"o-1": *f.o})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]*aftersale.Order
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	got := back["o-1"]
	if got == nil || got.NumCases() != 1 || got.Version() != f.o.Version() {
		t.Fatalf("decoded %+v from %s", got, b)
	}
	if again := f.json(); string(mustJSON(t, got)) != again {
		t.Errorf("the value's JSON differs from the pointer's:\n%s\n%s", mustJSON(t, got), again)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeadlinesBelowAMinuteAreRefused checks that Deadlines.Validate, and
// so New, refuses a duration above zero but below a minute, which would
// have one AdvanceTo append an alert every millisecond.
func TestDeadlinesBelowAMinuteAreRefused(t *testing.T) {
	for _, d := range []aftersale.Deadlines{
		{Realert: time.Millisecond},
		{Review: 59 * time.Second},
		{ReshipTransit: time.Nanosecond},
	} {
		if err := d.Validate(); !errors.Is(err, aftersale.ErrInvalidInput) {
			t.Errorf("Validate(%+v) = %v, want invalid_input", d, err)
		}
		if _, err := aftersale.New(aftersale.Config{Rules: aftersale.Rules{Policies: []aftersale.Policy{d}}}); !errors.Is(err, aftersale.ErrInvalidInput) {
			t.Errorf("New with %+v = %v, want invalid_input", d, err)
		}
	}
	if err := (aftersale.Deadlines{Realert: time.Minute, Review: 0}).Validate(); err != nil {
		t.Errorf("a minute, and zero for the default: %v", err)
	}
}

// TestReplayRefusesAKeyUsedTwice checks that a record whose events share
// an idempotency key does not replay: a command resent with it would be
// taken for either.
func TestReplayRefusesAKeyUsedTwice(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(keyed(request(aftersale.KindRefundOnly, aftersale.ReasonQuality), "k-1"))
	f.do(keyed(act(merchant, aftersale.ActionApprove), "k-2"))
	r := f.c("c1").Record()
	if _, err := aftersale.Replay(r); err != nil {
		t.Fatal(err)
	}
	r.Events[1].Key = "k-1"
	if _, err := aftersale.Replay(r); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Errorf("Replay with two events of key k-1 = %v, want invalid_input", err)
	}
}

// TestReplayRefusesZonesOffsetBySeconds checks that a record whose event
// is stamped in a zone offset from UTC by seconds does not replay: its
// JSON form would move the time.
func TestReplayRefusesZonesOffsetBySeconds(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(aftersale.KindRefundOnly, aftersale.ReasonQuality))
	r := f.c("c1").Record()
	r.Events[0].At = r.Events[0].At.In(dmt)
	if _, err := aftersale.Replay(r); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Errorf("Replay of an event in DMT = %v, want invalid_input", err)
	}
}
