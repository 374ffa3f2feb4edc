package aftersale_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// TestADaylightSavingZoneReadsBackTheSame plays a case in New York across
// the start of summer time (2026-03-08) and checks that the order reads
// back to the same bytes, whatever the process's local zone: a case gives
// its times in the offset of its first event, -05:00, also for an event
// stamped -04:00.
func TestADaylightSavingZoneReadsBackTheSame(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	e, err := aftersale.New(aftersale.Config{Zone: ny})
	if err != nil {
		t.Fatal(err)
	}
	o := &aftersale.Order{ID: "o-ny", Amount: aftersale.Yuan(50),
		PaidAt: time.Date(2026, 3, 5, 10, 0, 0, 0, ny), ShippedAt: time.Date(2026, 3, 5, 12, 0, 0, 0, ny), DeliveredAt: time.Date(2026, 3, 6, 12, 0, 0, 0, ny)}
	for _, s := range []struct {
		at  time.Time
		cmd aftersale.Command
	}{
		{time.Date(2026, 3, 7, 9, 0, 0, 0, ny), aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonQuality}},
		{time.Date(2026, 3, 9, 9, 0, 0, 0, ny), aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}},
	} {
		if _, err := e.ApplyAt(s.at, o, s.cmd); err != nil {
			t.Fatal(err)
		}
	}
	if got := o.Case("c1").Events()[1].At.Format(time.RFC3339); got != "2026-03-09T08:00:00-05:00" {
		t.Errorf("the approval, at 09:00 -04:00, reads %s; want it in the first event's offset", got)
	}
	first, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	local := time.Local
	defer func() { time.Local = local }()
	for _, tz := range []*time.Location{time.UTC, ny} {
		time.Local = tz // time.Parse takes an offset of the local zone as that zone
		var back aftersale.Order
		if err := json.Unmarshal(first, &back); err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(&back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Errorf("with the local zone %s the order reads back otherwise:\n%s\n%s", tz, first, again)
		}
	}
}
