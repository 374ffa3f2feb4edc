package aftersale_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// TestDecodingRefusesRecordsThatContradictThemselves edits a stored order
// in the ways a bug or a hand edit would, and checks each is refused with
// invalid_input and leaves the target as it was.
func TestDecodingRefusesRecordsThatContradictThemselves(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.reach(returnRefund, aftersale.StateReturnInTransit)
	good := f.json()
	for name, edit := range map[string][2]string{
		"summary state edited":           {`"state":"return_in_transit"`, `"state":"refunding"`},
		"summary amount edited":          {`"amount":"299.00","version"`, `"amount":"1.00","version"`},
		"summary version edited":         {`"version":3,"due"`, `"version":4,"due"`},
		"event out of sequence":          {`"seq":2`, `"seq":5`},
		"event from the wrong state":     {`"from":"awaiting_return"`, `"from":"pending_review"`},
		"an actor who may not":           {`"actor":"merchant","action":"approve"`, `"actor":"buyer","action":"approve"`},
		"a transition not in the table":  {`"to":"return_in_transit"`, `"to":"refunded"`},
		"an unknown field":               {`"id":"o-1"`, `"id":"o-1","colour":"red"`},
		"an unknown state":               {`"to":"awaiting_return"`, `"to":"waiting"`},
		"money as a number":              {`"amount":"299.00","paid_at"`, `"amount":299,"paid_at"`},
		"a case of another order":        {`"order":"o-1"`, `"order":"o-2"`},
		"order version below its events": {`"version":3,"cases"`, `"version":1,"cases"`},
		"time going backwards":           {`"at":"2026-03-04T09:03:00+08:00"`, `"at":"2026-03-04T08:00:00+08:00"`},
		"a deadline removed":             {`,"due":"2026-03-14T09:03:00+08:00"}],"state"`, `}],"state"`},
		"refund before the order paid":   {`"paid_at":"2026-03-02T10:00:00+08:00"`, `"paid_at":"2026-03-05T10:00:00+08:00"`},
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(good, edit[0]) {
				t.Fatalf("the stored form does not contain %s:\n%s", edit[0], good)
			}
			bad := strings.Replace(good, edit[0], edit[1], 1)
			target := f.clone()
			before := f.clone()
			err := json.Unmarshal([]byte(bad), target)
			if aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
				t.Fatalf("decoding gave %v, want invalid_input", err)
			}
			if diff := cmp.Diff(before, target, deep); diff != "" {
				t.Errorf("a refused decoding changed the target:\n%s", diff)
			}
		})
	}
}

func TestCaseJSONRoundTrip(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.reach(exchange, aftersale.StateReshipInTransit)
	c := f.c("c1")
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back aftersale.Case
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, &back, deep); diff != "" {
		t.Errorf("case changed in a round trip:\n%s", diff)
	}
	if _, err := aftersale.Replay(aftersale.Record{ID: "x", Order: "o"}); aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
		t.Errorf("replaying no events: %v", err)
	}
}

// TestOrderJSONHoldsEachCaseAsItsOwnJSON checks that the stored form of an
// order holds each of its cases byte for byte as the case's MarshalJSON
// writes it, escapes included: the order encodes the cases' forms itself,
// not through Case.MarshalJSON.
func TestOrderJSONHoldsEachCaseAsItsOwnJSON(t *testing.T) {
	o := storedOrder(t)
	const note = `<b>both</b> mugs & "the filter"` + "\u2028破损"
	reject := aftersale.Command{Case: "o-1001-3", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Note: note}
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ApplyAt(time.Date(2026, 3, 8, 12, 0, 0, 0, timeline.UTC8()), o, reject); err != nil {
		t.Fatal(err)
	}
	doc, err := o.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if escaped := `"note":"\u003cb\u003eboth\u003c/b\u003e mugs \u0026 \"the filter\"\u2028破损"`; !strings.Contains(string(doc), escaped) {
		t.Errorf("the stored form does not hold the note as %s:\n%s", escaped, doc)
	}
	var form struct {
		Cases []json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal(doc, &form); err != nil {
		t.Fatal(err)
	}
	cases := o.Cases()
	if len(form.Cases) != len(cases) {
		t.Fatalf("the stored form holds %d cases, the order %d", len(form.Cases), len(cases))
	}
	for i, c := range cases {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(form.Cases[i])); diff != "" {
			t.Errorf("case %s in the order's stored form (-its own JSON +in the order):\n%s", c.ID(), diff)
		}
	}
}
