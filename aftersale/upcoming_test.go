package aftersale_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// TestUpcomingIsTheOrderDeadlinesFireIn checks Order.Next and Upcoming on
// three cases: the earliest deadline first, the older case first at the
// same time, none after until, and nothing once every case is over.
func TestUpcomingIsTheOrderDeadlinesFireIn(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: 10000}, {ID: "l2", Quantity: 1, Paid: 10000}, {ID: "l3", Quantity: 1, Paid: 9900}}
	if _, ok := f.o.Next(); ok {
		t.Fatal("an order without cases has a next deadline")
	}
	open := func(id, line string) {
		t.Helper()
		_, err := f.e.ApplyAt(f.now, f.o, with(request(aftersale.KindReturnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) {
			c.Case, c.Lines = id, []aftersale.Units{{Line: line, Quantity: 1}}
		}))
		if err != nil {
			t.Fatal(err)
		}
	}
	open("c1", "l1") // 09:00: review until 03-06 09:00
	open("c2", "l2") // the same minute: the same deadline, a younger case
	f.now = f.now.Add(time.Hour)
	open("c3", "l3") // 10:00: until 03-06 10:00
	type due struct {
		Case string
		At   string
	}
	upcoming := func(until string) []due {
		var out []due
		for _, u := range f.o.Upcoming(at(t, until)) {
			out = append(out, due{u.Case, u.Deadline.At.Format("01-02 15:04")})
		}
		return out
	}
	for _, tc := range []struct {
		until string
		want  []due
	}{
		{"2026-03-06 08:59", nil},
		{"2026-03-06 09:00", []due{{"c1", "03-06 09:00"}, {"c2", "03-06 09:00"}}},
		{"2026-03-07 00:00", []due{{"c1", "03-06 09:00"}, {"c2", "03-06 09:00"}, {"c3", "03-06 10:00"}}},
	} {
		if diff := cmp.Diff(tc.want, upcoming(tc.until)); diff != "" {
			t.Errorf("due by %s (-want +got):\n%s", tc.until, diff)
		}
	}
	next, ok := f.o.Next()
	if !ok || next.Case != "c1" || next.Action != aftersale.ActionApprove || next.Waiting != aftersale.ActorMerchant {
		t.Errorf("Next() = %+v, %v; want c1's review, which the system approves", next, ok)
	}
	for _, id := range []string{"c1", "c2", "c3"} {
		f.do(with(act(buyer, aftersale.ActionWithdraw), func(c *aftersale.Command) { c.Case = id }))
	}
	if next, ok := f.o.Next(); ok {
		t.Errorf("every case is over, but Next() = %+v", next)
	}
	if b, err := json.Marshal(f.c("c1").Next()); err != nil || string(b) != `{"zh":"售后已结束","en":"the case is over"}` {
		t.Errorf("a finished case's Next encodes as %s, %v; want only that it is over", b, err)
	}
	b, err := json.Marshal(aftersale.Upcoming{Order: "o-1", Case: "c1", Next: aftersale.Next{Waiting: merchant}})
	if err != nil || !strings.HasPrefix(string(b), `{"order":"o-1","case":"c1","waiting":"merchant",`) {
		t.Errorf("an Upcoming encodes as %s, %v; want its order and case, then its Next", b, err)
	}
}

// TestAVersionDeadlinesMoveOnSaysWhatToSend: the host loaded case c1 at
// version 1, in review; the review deadline passed, but nobody advanced
// the order. A command sent with version 1 is a conflict whose message
// names version 1, the one stored, and 2, the one to send after
// AdvanceTo; sent again after AdvanceTo with version 2, it goes through.
func TestAVersionDeadlinesMoveOnSaysWhatToSend(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(aftersale.KindReturnRefund, aftersale.ReasonQuality))
	f.now = f.now.Add(3 * 24 * time.Hour) // the 48 hours of review passed: approved on timeout
	ship := with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) {
		c.Carrier, c.Waybill, c.Version = "SF", "SF1", 1
	})
	err := f.fails(ship, aftersale.ErrConflict)
	for _, want := range []string{"is at version 1", "move it on to version 2", "with version 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the conflict %q does not say %q", err, want)
		}
	}
	if _, err := f.e.AdvanceTo(f.now, f.o); err != nil {
		t.Fatal(err)
	}
	ship.Version = 2
	f.do(ship)
	f.state("c1", aftersale.StateReturnInTransit)
}
