package aftersale_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// TestDeadlinesJSONForm pins the stored form of Deadlines byte for byte:
// hosts keep it in their rule files.
func TestDeadlinesJSONForm(t *testing.T) {
	full := aftersale.Deadlines{
		Review: 72 * time.Hour, Interception: 90 * time.Minute, Return: 7 * timeline.Day, ReturnTransit: 11 * timeline.Day,
		Negotiation: 36 * time.Hour, Escalation: 3 * timeline.Day, Reship: 90500 * time.Millisecond, ReshipTransit: 12 * timeline.Day,
		GuaranteedRefund: 12 * time.Hour, RefundDays: 5, ArbitrationDays: 9, RefundFailed: 6 * time.Hour, Realert: 2 * time.Hour,
		Calendar: timeline.Workweek{Holidays: []timeline.Date{{Year: 2026, Month: 10, Day: 1}}},
	}
	for _, tc := range []struct {
		name string
		d    aftersale.Deadlines
		want string
	}{
		{"every field", full, `{"review":"3d","interception":"1h30m0s","return":"7d","return_transit":"11d","negotiation":"36h0m0s",` +
			`"escalation":"3d","reship":"1m30.5s","reship_transit":"12d","guaranteed_refund":"12h0m0s","refund_days":5,"arbitration_days":9,` +
			`"refund_failed":"6h0m0s","realert":"2h0m0s","calendar":{"Holidays":["2026-10-01"],"Workdays":null}}`},
		{"the defaults", aftersale.Deadlines{}, `{}`},
		{"a plain workweek", aftersale.Deadlines{Calendar: timeline.Workweek{}}, `{"calendar":{"Holidays":null,"Workdays":null}}`},
		{"a nil workweek", aftersale.Deadlines{Calendar: (*timeline.Workweek)(nil)}, `{}`},
		{"microseconds", aftersale.Deadlines{Review: 3 * time.Microsecond}, `{"review":"3µs"}`},
		{"negative values", aftersale.Deadlines{Review: -time.Hour, RefundDays: -2}, `{"review":"-1h0m0s","refund_days":-2}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("encoded\n%s\nwant\n%s", b, tc.want)
			}
		})
	}
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var back aftersale.Deadlines
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full, back); diff != "" {
		t.Errorf("a round trip changed the deadlines (-want +got):\n%s", diff)
	}
}

// TestDeadlinesDecodeOverCurrentValues checks that decoding changes only
// the fields given, and that a refused document changes nothing.
func TestDeadlinesDecodeOverCurrentValues(t *testing.T) {
	d := aftersale.Deadlines{Review: 72 * time.Hour, RefundDays: 3}
	if err := json.Unmarshal([]byte(`{"return": "7d", "arbitration_days": 4}`), &d); err != nil {
		t.Fatal(err)
	}
	want := aftersale.Deadlines{Review: 72 * time.Hour, Return: 7 * timeline.Day, RefundDays: 3, ArbitrationDays: 4}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	for _, bad := range []string{
		`{"reveiw": "72h"}`,
		`{"review": "two days"}`,
		`{"review": "-1h"}`,
		`{"review": 48}`,
		`{"refund_days": -1}`,
		`{"refund_days": "7"}`,
		`{"calendar": []}`,
		`{"review": "72h"} {}`,
		`[]`,
	} {
		got := d
		if err := got.UnmarshalJSON([]byte(bad)); aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
			t.Errorf("decoding %s: %v, want invalid_input", bad, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("refused %s changed the deadlines (-want +got):\n%s", bad, diff)
		}
	}
}
