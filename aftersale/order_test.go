package aftersale_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

func linesOf(units ...aftersale.Units) func(*aftersale.Command) {
	return func(c *aftersale.Command) { c.Lines = units }
}

func TestUnitsAreValuedSoThatEveryFenIsRefundedOnce(t *testing.T) {
	// 100.00 for 3 units: 33.34, 33.33, 33.33.
	f := newFixture(t, aftersale.Rules{})
	f.o.Amount = aftersale.Yuan(150)
	f.o.Lines = []aftersale.Line{
		{ID: "l1", SKU: "cup", Quantity: 3, Paid: aftersale.Yuan(100)},
		{ID: "l2", SKU: "lid", Quantity: 1, Paid: aftersale.Yuan(50)},
	}
	var total aftersale.Money
	for i, want := range []aftersale.Money{3334, 3333, 3333} {
		id := string(rune('a' + i))
		out := f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
			c.Case, c.Lines = id, []aftersale.Units{{Line: "l1", Quantity: 1}}
		}))
		if got := out.Case.Amount(); got != want {
			t.Fatalf("unit %d is worth %s, want %s", i+1, got, want)
		}
		f.do(aftersale.Command{Case: id, Actor: merchant, Action: aftersale.ActionApprove})
		f.do(aftersale.Command{Case: id, Actor: system, Action: aftersale.ActionRefundSucceeded})
		total += out.Case.Refunded()
	}
	if total != aftersale.Yuan(100) || f.o.Refunded() != aftersale.Yuan(100) {
		t.Errorf("refunding the units one by one gave %s (order says %s), want 100.00", total, f.o.Refunded())
	}
	// The line has no units left.
	f.fails(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "d", []aftersale.Units{{Line: "l1", Quantity: 1}}
	}), aftersale.ErrInvalidInput)
	if got := f.o.Refundable(); got != aftersale.Yuan(50) {
		t.Errorf("left %s, want 50.00", got)
	}
}

func TestRequestAmountAgainstItsUnits(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 3, Paid: aftersale.Yuan(299)}}
	one := []aftersale.Units{{Line: "l1", Quantity: 1}}
	// One unit of 299.00/3 is 99.67: asking 99.68 is too much, 50.00 is fine.
	f.fails(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Lines, c.Amount = one, 9968 }), aftersale.ErrInvalidInput)
	out := f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Lines, c.Amount = one, aftersale.Yuan(50) }))
	if out.Case.Amount() != aftersale.Yuan(50) {
		t.Errorf("amount %s, want 50.00", out.Case.Amount())
	}
	for _, bad := range []aftersale.Command{
		with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l9", Quantity: 1})),
		with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 0})),
		with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 1}, aftersale.Units{Line: "l1", Quantity: 1})),
	} {
		bad.Case = "c2"
		f.fails(bad, aftersale.ErrInvalidInput)
	}
}

func TestOneOpenCasePerLine(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.o.Lines = []aftersale.Line{
		{ID: "l1", Quantity: 2, Paid: aftersale.Yuan(200)},
		{ID: "l2", Quantity: 1, Paid: aftersale.Yuan(99)},
	}
	f.do(with(request(returnRefund, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 1})))
	second := func(id string, units ...aftersale.Units) aftersale.Command {
		return with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case, c.Lines = id, units })
	}
	// The other unit of the same line: conflict, one open case per line.
	f.fails(second("c2", aftersale.Units{Line: "l1", Quantity: 1}), aftersale.ErrConflict)
	// The whole order covers l1 too.
	f.fails(second("c2"), aftersale.ErrConflict)
	// Another line is fine.
	f.do(second("c2", aftersale.Units{Line: "l2", Quantity: 1}))
	// A case ID is used once per order.
	f.fails(second("c2", aftersale.Units{Line: "l2", Quantity: 1}), aftersale.ErrConflict)
}

func TestRefundCap(t *testing.T) {
	t.Run("a request above the amount paid: invalid_input", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.fails(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Amount = 29901 }), aftersale.ErrInvalidInput)
	})
	t.Run("open cases reserve what they ask for", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(200)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(99)}}
		f.do(with(request(refundOnly, aftersale.ReasonNotAsDescribed), func(c *aftersale.Command) {
			c.Lines, c.Amount = []aftersale.Units{{Line: "l1", Quantity: 1}}, aftersale.Yuan(200)
		}))
		if got := f.o.Refundable(); got != aftersale.Yuan(99) {
			t.Fatalf("left %s, want 99.00", got)
		}
		f.fails(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
			c.Case, c.Lines, c.Amount = "c2", []aftersale.Units{{Line: "l2", Quantity: 1}}, aftersale.Yuan(100)
		}), aftersale.ErrInvalidInput)
	})
	t.Run("a ruling above what is left: invalid_input", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Amount = aftersale.Yuan(100) }))
		f.do(act(buyer, aftersale.ActionEscalate))
		f.fails(with(rule(aftersale.RulingForBuyer, false), func(c *aftersale.Command) { c.Amount = 29901 }), aftersale.ErrInvalidInput)
		// The platform may award more than was asked, up to what is left.
		out := f.do(with(rule(aftersale.RulingForBuyer, false), func(c *aftersale.Command) { c.Amount = aftersale.Yuan(299) }))
		if out.Case.Amount() != aftersale.Yuan(299) {
			t.Errorf("awarded %s, want 299.00", out.Case.Amount())
		}
	})
	t.Run("a proposal not smaller than the request: invalid_input", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Amount = aftersale.Yuan(100) }))
		f.fails(propose(aftersale.Yuan(100)), aftersale.ErrInvalidInput)
		f.do(propose(aftersale.Yuan(60)))
		f.do(act(buyer, aftersale.ActionAccept))
		out := f.do(act(system, aftersale.ActionRefundSucceeded))
		if out.Case.Refunded() != aftersale.Yuan(60) {
			t.Errorf("refunded %s after accepting 60.00", out.Case.Refunded())
		}
		if got := f.o.Refundable(); got != aftersale.Yuan(239) {
			t.Errorf("left %s, want 239.00", got)
		}
	})
	t.Run("nothing left: a request without amount is invalid", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{})
		f.reach(refundOnly, aftersale.StateRefunded)
		f.fails(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c2" }), aftersale.ErrInvalidInput)
	})
}

func TestResubmissionSupersedesOnlyTheSameGoods(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(200)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(99)}}
	f.do(with(request(refundOnly, aftersale.ReasonQuality), linesOf(aftersale.Units{Line: "l1", Quantity: 1})))
	f.do(note(act(merchant, aftersale.ActionReject), "no defect found"))
	// A request on the other line leaves the rejected case alone.
	f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c2", []aftersale.Units{{Line: "l2", Quantity: 1}}
	}))
	f.state("c1", aftersale.StateRejected)
	// Asking again on l1 supersedes it, and says so on both cases.
	out := f.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c3", []aftersale.Units{{Line: "l1", Quantity: 1}}
	}))
	if len(out.Also) != 1 || out.Also[0].Case.ID() != "c1" || out.Also[0].Event.Note != "c3" {
		t.Fatalf("Also = %+v, want c1 closed, pointing at c3", out.Also)
	}
	if c := f.c("c1"); c.State() != aftersale.StateClosed || c.ClosedReason() != aftersale.ClosedSuperseded {
		t.Errorf("c1 is %s %s", c.State(), c.ClosedReason())
	}
}

func TestOrderFacts(t *testing.T) {
	f := newFixture(t, aftersale.Rules{}).unshipped()
	shipped := aftersale.Command{Actor: system, Action: aftersale.ActionShipped}
	delivered := aftersale.Command{Actor: system, Action: aftersale.ActionDelivered}
	f.fails(delivered, aftersale.ErrNotPermitted)
	f.fails(aftersale.Command{Actor: merchant, Action: aftersale.ActionShipped}, aftersale.ErrNotPermitted)
	f.fails(with(shipped, func(c *aftersale.Command) { c.Case = "c1" }), aftersale.ErrInvalidInput)
	f.fails(with(shipped, func(c *aftersale.Command) { c.Note = "SF" }), aftersale.ErrInvalidInput)
	f.do(shipped)
	if !f.o.ShippedAt.Equal(f.now) {
		t.Errorf("shipped at %v, want %v", f.o.ShippedAt, f.now)
	}
	f.fails(shipped, aftersale.ErrNotPermitted)
	f.do(request(refundOnly, aftersale.ReasonNotReceived))
	f.state("c1", aftersale.StateIntercepting)
	out := f.do(delivered)
	if len(out.Also) != 1 || out.Also[0].Event.To != aftersale.StateAwaitingReturn {
		t.Fatalf("delivery gave %+v", out.Also)
	}
	if c := f.c("c1"); c.Kind() != returnRefund || c.State() != aftersale.StateAwaitingReturn {
		t.Errorf("after a failed interception the case is %s %s", c.Kind(), c.State())
	}
	f.fails(delivered, aftersale.ErrNotPermitted)
}

func TestGoodsCannotGoBackBeforeDelivery(t *testing.T) {
	for _, k := range []aftersale.Kind{returnRefund, exchange} {
		f := newFixture(t, aftersale.Rules{}).undelivered()
		f.fails(request(k, aftersale.ReasonQuality), aftersale.ErrNotPermitted)
	}
}

func TestTheMerchantMayNotRefuseDuringInterception(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.reach(refundOnly, aftersale.StateIntercepting)
	err := f.fails(note(act(merchant, aftersale.ActionReject), "already shipped"), aftersale.ErrNotPermitted)
	if want := "may not refuse"; !contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestOrderValidation(t *testing.T) {
	base := func() *aftersale.Order {
		return &aftersale.Order{ID: "o", Amount: aftersale.Yuan(10), PaidAt: at(t, paid)}
	}
	for name, change := range map[string]func(o *aftersale.Order){
		"no id":                    func(o *aftersale.Order) { o.ID = "" },
		"no amount":                func(o *aftersale.Order) { o.Amount = 0 },
		"negative amount":          func(o *aftersale.Order) { o.Amount = -1 },
		"never paid":               func(o *aftersale.Order) { o.PaidAt = time.Time{} },
		"shipped before paid":      func(o *aftersale.Order) { o.ShippedAt = o.PaidAt.Add(-time.Hour) },
		"delivered, never shipped": func(o *aftersale.Order) { o.DeliveredAt = o.PaidAt.Add(time.Hour) },
		"delivered before shipped": func(o *aftersale.Order) {
			o.ShippedAt, o.DeliveredAt = o.PaidAt.Add(2*time.Hour), o.PaidAt.Add(time.Hour)
		},
		"unknown category":     func(o *aftersale.Order) { o.Category = 42 },
		"unknown flag":         func(o *aftersale.Order) { o.Flags = 1 << 7 },
		"unknown tag":          func(o *aftersale.Order) { o.Tags = 1 << 5 },
		"lines not adding up":  func(o *aftersale.Order) { o.Lines = []aftersale.Line{{ID: "a", Quantity: 1, Paid: 999}} },
		"a line without id":    func(o *aftersale.Order) { o.Lines = []aftersale.Line{{Quantity: 1, Paid: 1000}} },
		"a line without units": func(o *aftersale.Order) { o.Lines = []aftersale.Line{{ID: "a", Paid: 1000}} },
		"a line with negative money": func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "a", Quantity: 1, Paid: 1001}, {ID: "b", Quantity: 1, Paid: -1}}
		},
		"two lines with one id": func(o *aftersale.Order) {
			o.Lines = []aftersale.Line{{ID: "a", Quantity: 1, Paid: 500}, {ID: "a", Quantity: 1, Paid: 500}}
		},
	} {
		o := base()
		change(o)
		if err := o.Validate(); aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
			t.Errorf("%s: Validate() = %v, want invalid_input", name, err)
		}
		e, _ := aftersale.New(aftersale.Config{})
		if _, err := e.ApplyAt(at(t, "2026-03-05 10:00"), o, request(refundOnly, aftersale.ReasonQuality)); aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
			t.Errorf("%s: a request on the order gave %v, want invalid_input", name, err)
		}
	}
	if err := base().Validate(); err != nil {
		t.Errorf("a plain order is invalid: %v", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// A case keeps instants: its events read back in the zone of its first
// event, with no monotonic clock reading, and the outcome of a command is
// the event as the log gives it back.
func TestEventsReadInTheZoneOfTheFirstEvent(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(returnRefund, aftersale.ReasonQuality)) // stamped in UTC+8
	inUTC := f.now.Add(time.Hour).UTC()
	withMono := time.Now() // a reading of the wall clock carries a monotonic one
	withMono = withMono.Add(inUTC.Sub(withMono.Round(0)))
	out, err := f.e.ApplyAt(withMono, f.o, act(merchant, aftersale.ActionApprove))
	if err != nil {
		t.Fatal(err)
	}
	events := f.c("c1").Events()
	got := events[1]
	if got.At.Location() != zone || !got.At.Equal(inUTC) || got.At != got.At.Round(0) {
		t.Errorf("the approval reads %v (%v); want %v in the zone of the request, no monotonic reading", got.At, got.At.Location(), inUTC.In(zone))
	}
	if got.Due.Location() != zone {
		t.Errorf("the approval's deadline reads in %v, want %v", got.Due.Location(), zone)
	}
	if !reflect.DeepEqual(out.Event, got) {
		t.Errorf("the outcome's event differs from the log's:\n%s", cmp.Diff(got, out.Event))
	}
}

// A host that reads the machine's clock stamps everything in the local
// zone with monotonic readings. A deadline that fires late is stamped with
// the order's last fact: the event still records an instant, and the
// change reported is the event as the log gives it back.
func TestALateDeadlineStampedWithAFactRecordsAnInstant(t *testing.T) {
	f := newFixture(t, aftersale.Rules{}).undelivered()
	clock := func(at time.Time) time.Time { // a wall-clock reading of at
		now := time.Now()
		return now.Add(at.Sub(now.Round(0)))
	}
	opened, err := f.e.ApplyAt(clock(f.now), f.o, request(refundOnly, aftersale.ReasonQuality))
	if err != nil {
		t.Fatal(err) // intercepting: 5 days, in the local zone
	}
	if logged := opened.Case.Events()[0]; !reflect.DeepEqual(logged, opened.Event) {
		t.Errorf("the request's outcome differs from the log's event:\n%s", cmp.Diff(logged, opened.Event))
	}
	late := f.now.Add(6 * 24 * time.Hour)
	f.o.DeliveredAt = clock(late) // set by the host past the deadline
	changes, err := f.e.AdvanceTo(late.Add(time.Hour), f.o)
	if err != nil || len(changes) == 0 {
		t.Fatalf("AdvanceTo = %v, %v; want the interception's timeout", changes, err)
	}
	got := changes[0].Event
	if !got.At.Equal(late) || got.At != got.At.Round(0) {
		t.Errorf("the timeout reads %v; want %v, no monotonic reading", got.At, late)
	}
	if logged := changes[0].Case.Events()[got.Seq-1]; !reflect.DeepEqual(logged, got) {
		t.Errorf("the change differs from the log's event:\n%s", cmp.Diff(logged, got))
	}
}

// wallSchedule is a host's schedule that answers with wall-clock readings.
type wallSchedule struct{}

func (wallSchedule) Name() string { return "wall_deadlines" }

func (wallSchedule) Due(q aftersale.Query, s aftersale.State, since time.Time, repeat bool) time.Time {
	now := time.Now()
	return now.Add(since.Add(48 * time.Hour).Sub(now.Round(0)))
}

func TestAScheduleAnsweringWithAWallClockReadingRecordsAnInstant(t *testing.T) {
	f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{wallSchedule{}}})
	now := time.Now()
	out, err := f.e.ApplyAt(now.Add(f.now.Sub(now.Round(0))), f.o, request(refundOnly, aftersale.ReasonQuality))
	if err != nil {
		t.Fatal(err)
	}
	if logged := out.Case.Events()[0]; !reflect.DeepEqual(logged, out.Event) {
		t.Errorf("the outcome differs from the log's event:\n%s", cmp.Diff(logged, out.Event))
	}
}
