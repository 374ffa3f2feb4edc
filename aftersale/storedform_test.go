package aftersale_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

var updateStored = flag.Bool("update", false, "TestStoredForm rewrites testdata/stored_order_v3.json, the current stored form, from the scenario it plays")

// The golden files of the stored form: an order as json.MarshalIndent
// writes it today (format 3), and the same order as older shouhous stored
// it, which stay as they were: format 2, format 1, and format 0 (format 1
// without its "format" field).
var (
	storedCurrent = filepath.Join("testdata", "stored_order_v3.json")
	storedOlder   = []string{filepath.Join("testdata", "stored_order_v0.json"), filepath.Join("testdata", "stored_order_v1.json"), filepath.Join("testdata", "stored_order_v2.json")}
)

// TestStoredForm pins the stored form of an order, byte for byte: it
// plays a fixed scenario (storedOrder) under the default policies, writes
// the order with json.MarshalIndent and compares it with
// testdata/stored_order_v3.json; then it decodes that file and checks it
// encodes to the same bytes.
//
// A change to the bytes is a change to what every host stores. If it is
// meant (the texts of a policy's decision changed, or the stored form did,
// with its format raised and a migration added in json.go), rewrite the
// golden file and review the diff:
//
//	go test ./aftersale -run TestStoredForm -update
//
// The texts of recorded decisions come from package policy, so the file
// needs rewriting whenever those texts change (after merging such a
// change, run the command above). The files of older formats are what
// hosts stored and are never rewritten; when the stored form changes
// again, keep this file as the next older one and write a new current one.
func TestStoredForm(t *testing.T) {
	got := indent(t, storedOrder(t))
	if *updateStored {
		if err := os.WriteFile(storedCurrent, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(storedCurrent)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the stored form changed (-%s +now); if that is meant, run go test ./aftersale -run TestStoredForm -update:\n%s",
			storedCurrent, cmp.Diff(string(want), string(got)))
	}

	var back aftersale.Order
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatalf("%s does not decode: %v", storedCurrent, err)
	}
	if again := indent(t, &back); !bytes.Equal(again, want) {
		t.Errorf("%s decodes to an order that encodes otherwise (-file +re-encoded):\n%s", storedCurrent, cmp.Diff(string(want), string(again)))
	}
}

// TestStoredFormCoversTheScenario checks the golden order holds what it
// is there to show, so a change to the scenario cannot quietly drop it.
func TestStoredFormCoversTheScenario(t *testing.T) {
	o := storedOrder(t)
	if !o.Shipped() || !o.Delivered() {
		t.Error("the order was not shipped and delivered")
	}
	cases := o.Cases()
	if len(cases) < 3 {
		t.Fatalf("the order has %d cases, want at least 3", len(cases))
	}
	lines := map[string]bool{}
	var refunded, superseded, open, keys, notes bool
	for _, c := range cases {
		for _, u := range c.Lines() {
			lines[u.Line] = true
		}
		_, shipped := c.ReturnShipment()
		refunded = refunded || c.State() == aftersale.StateRefunded && c.Kind() == aftersale.KindReturnRefund &&
			shipped && c.Compensated(0) > 0
		open = open || c.Open() && !c.Deadline().At.IsZero()
		rejected := false
		for _, e := range c.Events() {
			rejected = rejected || e.To == aftersale.StateRejected
			keys = keys || e.Key != ""
			notes = notes || e.Note != "" && e.Action != aftersale.ActionRequest
		}
		superseded = superseded || rejected && c.ClosedReason() == aftersale.ClosedSuperseded
	}
	for what, ok := range map[string]bool{
		"a refunded return_refund with a return shipment and compensation": refunded,
		"a rejected case superseded by a new request":                      superseded,
		"an open case with a pending deadline":                             open,
		"an idempotency key":                                               keys,
		"a note":                                                           notes,
		"cases on different lines":                                         len(lines) >= 2,
	} {
		if !ok {
			t.Errorf("the golden order has no %s", what)
		}
	}
}

// TestStoredFormReadsOlderFormats decodes the golden order as older
// shouhous stored it: format 0, before the format field, and format 1,
// which decided a refund's compensation at refund_succeeded as one amount.
// Both are the same order, and read as the current format: the
// compensation of the refunded return is a line on the event that took it
// into refunding, with the decision that explains it, and the refund pays
// that line. What they recorded stays as they recorded it (the rules of
// their day capped the merchant's freight at 20.00), and they write
// themselves in the current format, stably.
func TestStoredFormReadsOlderFormats(t *testing.T) {
	var orders []*aftersale.Order
	for _, file := range storedOlder {
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var o aftersale.Order
		if err := json.Unmarshal(doc, &o); err != nil {
			t.Fatalf("%s does not decode: %v", file, err)
		}
		b := indent(t, &o)
		if !bytes.Contains(b, []byte(`"format": 3,`)) {
			t.Errorf("%s re-encodes in another format than the current one:\n%s", file, b)
		}
		var again aftersale.Order
		if err := json.Unmarshal(b, &again); err != nil || !bytes.Equal(indent(t, &again), b) {
			t.Errorf("%s, re-encoded, does not read back to the same bytes (%v)", file, err)
		}
		orders = append(orders, &o)
	}
	if diff := cmp.Diff(orders[0], orders[1], deep); diff != "" {
		t.Errorf("formats 0 and 1 read as different orders (-v0 +v1):\n%s", diff)
	}
	c := orders[1].Case("o-1001-1")
	line := []aftersale.Compensation{{Amount: aftersale.Yuan(20), Payer: aftersale.PayerMerchant}}
	var entered, refund aftersale.Event
	for _, e := range c.Events() {
		switch {
		case e.To == aftersale.StateRefunding && e.From == aftersale.StateReturnInTransit:
			entered = e
		case e.Action == aftersale.ActionRefundSucceeded:
			refund = e
		}
	}
	if diff := cmp.Diff(line, entered.Compensation); diff != "" || entered.CompensationDecision.Rule != "freight_subsidy.merchant_fault" {
		t.Errorf("the receipt decides %+v under %q, want the 20.00 line under freight_subsidy.merchant_fault:\n%s", entered.Compensation, entered.CompensationDecision.Rule, diff)
	}
	if diff := cmp.Diff(line, refund.Compensation); diff != "" || !refund.Decision.IsZero() {
		t.Errorf("the refund pays %+v with decision %+v, want the line decided and no decision of its own", refund.Compensation, refund.Decision)
	}

	// An explicit format 0 is format 0 too.
	doc1, err := os.ReadFile(storedOlder[1])
	if err != nil {
		t.Fatal(err)
	}
	explicit := strings.Replace(string(doc1), `"format": 1`, `"format": 0`, 1)
	var z aftersale.Order
	if err := json.Unmarshal([]byte(explicit), &z); err != nil {
		t.Fatalf("an explicit format 0 does not decode: %v", err)
	}
	if diff := cmp.Diff(orders[0], &z, deep); diff != "" {
		t.Errorf("an explicit format 0 decodes otherwise:\n%s", diff)
	}
	doc0, err := os.ReadFile(storedOlder[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(string(doc1), "  \"format\": 1,\n", "", 1); string(doc0) != want {
		t.Errorf("%s is not %s without its format:\n%s", storedOlder[0], storedOlder[1], cmp.Diff(want, string(doc0)))
	}
}

// TestStoredFormRefusesOtherFormats checks that a document of a newer
// format, or of no format at all, is refused with invalid_input, a message
// that says so, and changes nothing: the order it is decoded into stays as
// it was.
func TestStoredFormRefusesOtherFormats(t *testing.T) {
	current, err := os.ReadFile(storedCurrent)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(current)
	const newer = "written by a newer shouhou: format 4, this one reads up to 3"
	for name, tc := range map[string]struct{ doc, msg string }{
		"format 4": {strings.Replace(doc, `"format": 3`, `"format": 4`, 1), newer},
		// A newer format may have fields this one does not know: it is
		// still refused for its format, not for the field.
		"format 4 with a new field": {strings.Replace(doc, `"format": 3,`, `"format": 4, "currency": "CNY",`, 1), newer},
		"format 4 last": {
			strings.Replace(strings.Replace(doc, "  \"format\": 3,\n", "", 1), `"id": "o-1001",`, `"id": "o-1001", "format": 4,`, 1),
			newer,
		},
		"format 99":      {strings.Replace(doc, `"format": 3`, `"format": 99`, 1), "format 99, this one reads up to 3"},
		"format -1":      {strings.Replace(doc, `"format": 3`, `"format": -1`, 1), "format -1 is not a format"},
		"format 1.5":     {strings.Replace(doc, `"format": 3`, `"format": 1.5`, 1), "format"},
		"format as text": {strings.Replace(doc, `"format": 3`, `"format": "3"`, 1), "format"},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.doc == doc {
				t.Fatal("the edit did not apply")
			}
			var target aftersale.Order
			if err := json.Unmarshal(current, &target); err != nil {
				t.Fatal(err)
			}
			var before aftersale.Order
			if err := json.Unmarshal(current, &before); err != nil {
				t.Fatal(err)
			}
			err := json.Unmarshal([]byte(tc.doc), &target)
			if aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
				t.Fatalf("decoding gave %v, want invalid_input", err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("the error %q does not say %q", err, tc.msg)
			}
			if diff := cmp.Diff(&before, &target, deep); diff != "" {
				t.Errorf("a refused decoding changed the order:\n%s", diff)
			}
			if got := indent(t, &target); !bytes.Equal(got, current) {
				t.Errorf("a refused decoding changed the order's stored form:\n%s", cmp.Diff(string(current), string(got)))
			}
		})
	}
}

// storedOrder plays the golden scenario under the default policies, in
// UTC+8: an order of three lines (a kettle, two mugs, a filter), paid
// 2026-03-01 10:00, shipped and delivered as facts the warehouse reports
// with idempotency keys, and three cases on it:
//
//   - o-1001-1, the kettle: a return for a quality fault, approved,
//     shipped back with 25.00 freight, received and refunded, with the
//     20.00 freight subsidy paid by the merchant;
//   - o-1001-2, one mug: a refund for damage, rejected by the merchant with
//     a note, then superseded when the buyer asks again;
//   - o-1001-3, both mugs and the filter: the new request, waiting for the
//     merchant's review, its deadline pending.
//
// The buyer's requests carry idempotency keys, and the first is sent
// twice, as a flaky network would.
func storedOrder(t *testing.T) *aftersale.Order {
	t.Helper()
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	z := timeline.UTC8()
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, z) }
	o := &aftersale.Order{
		ID: "o-1001", Buyer: "b-42", Amount: aftersale.Yuan(497),
		PaidAt: day(1, 10, 0),
		Lines: []aftersale.Line{
			{ID: "l1", SKU: "kettle-1.7l", Quantity: 1, Paid: aftersale.Yuan(299)},
			{ID: "l2", SKU: "mug-350ml", Quantity: 2, Paid: aftersale.Yuan(118)},
			{ID: "l3", SKU: "filter", Quantity: 1, Paid: aftersale.Yuan(80)},
		},
	}
	const (
		buyer    = aftersale.ActorBuyer
		merchant = aftersale.ActorMerchant
		system   = aftersale.ActorSystem
	)
	first := aftersale.Command{
		Actor: buyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality,
		Lines: []aftersale.Units{{Line: "l1", Quantity: 1}},
		Note:  "the kettle leaks at the base", Key: "app-7f3a-1",
	}
	steps := []struct {
		at  time.Time
		cmd aftersale.Command
	}{
		{day(1, 18, 0), aftersale.Command{Actor: system, Action: aftersale.ActionShipped, Key: "wms-ship-1001"}},
		{day(3, 15, 0), aftersale.Command{Actor: system, Action: aftersale.ActionDelivered, Key: "wms-sign-1001"}},
		{day(4, 20, 0), first},
		{day(4, 20, 1), first}, // sent again: the key returns the first outcome
		{day(5, 9, 0), aftersale.Command{Case: "o-1001-1", Actor: merchant, Action: aftersale.ActionApprove}},
		{day(5, 14, 0), aftersale.Command{
			Case: "o-1001-1", Actor: buyer, Action: aftersale.ActionShipReturn,
			Carrier: "SF", Waybill: "SF1302", Freight: aftersale.Yuan(25), Key: "app-7f3a-2",
		}},
		{day(6, 11, 0), aftersale.Command{
			Actor: buyer, Action: aftersale.ActionRequest,
			Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonDamaged,
			Lines: []aftersale.Units{{Line: "l2", Quantity: 1}}, Key: "app-7f3a-3",
		}},
		{day(6, 16, 30), aftersale.Command{
			Case: "o-1001-2", Actor: merchant, Action: aftersale.ActionReject,
			Note: "the photo shows no chip; please send one of the base",
		}},
		{day(7, 10, 0), aftersale.Command{Case: "o-1001-1", Actor: merchant, Action: aftersale.ActionReceiveReturn}},
		{day(7, 12, 0), aftersale.Command{Case: "o-1001-1", Actor: system, Action: aftersale.ActionRefundSucceeded}},
		{day(8, 9, 30), aftersale.Command{
			Actor: buyer, Action: aftersale.ActionRequest,
			Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonDamaged,
			Lines: []aftersale.Units{{Line: "l2", Quantity: 2}, {Line: "l3", Quantity: 1}},
			Note:  "both mugs chipped, and the filter cracked", Key: "app-7f3a-4",
		}},
	}
	sent := map[string]bool{}
	for i, s := range steps {
		out, err := e.ApplyAt(s.at, o, s.cmd)
		if err != nil {
			t.Fatalf("step %d (%s by the %s): %v", i+1, s.cmd.Action, s.cmd.Actor, err)
		}
		if repeat := s.cmd.Key != "" && sent[s.cmd.Key]; out.Repeat != repeat {
			t.Fatalf("step %d (%s by the %s): Repeat is %v", i+1, s.cmd.Action, s.cmd.Actor, out.Repeat)
		}
		sent[s.cmd.Key] = true
	}
	return o
}

// indent returns the order's stored form as json.MarshalIndent writes it,
// with two spaces, ending in a newline.
func indent(t *testing.T, o *aftersale.Order) []byte {
	t.Helper()
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestStoredFormREADME keeps the README's "Stored form" section true to
// the stored form: every line of its excerpt but the "…" is a line of the
// golden file, in order, and it names every field of the order document,
// a line, a case, its summary, an event, a decision and a compensation.
func TestStoredFormREADME(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "\n## Stored form\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Stored form" section`)
	}
	section := readme[start+1:]
	if end := strings.Index(section[1:], "\n## "); end >= 0 {
		section = section[:end+1]
	}

	golden, err := os.ReadFile(storedCurrent)
	if err != nil {
		t.Fatal(err)
	}
	_, excerpt, ok := strings.Cut(section, "```json\n")
	excerpt, _, closed := strings.Cut(excerpt, "```")
	if !ok || !closed {
		t.Fatal("the section has no json block")
	}
	rest := strings.Split(string(golden), "\n")
	for _, line := range strings.Split(strings.TrimSuffix(excerpt, "\n"), "\n") {
		if strings.TrimSpace(line) == "…" {
			continue
		}
		i := 0
		for i < len(rest) && rest[i] != line {
			i++
		}
		if i == len(rest) {
			t.Errorf("the excerpt's line %q is not in %s, or not in its order; copy it again", line, storedCurrent)
			break
		}
		rest = rest[i+1:]
	}

	// Every field: those of the exported types, by their JSON names; those
	// of the summaries, which are not exported; and whatever the golden
	// document holds.
	fields := map[string]bool{}
	for _, v := range []any{aftersale.Order{}, aftersale.Line{}, aftersale.Units{}, aftersale.Record{},
		aftersale.Event{}, aftersale.Decision{}, aftersale.Compensation{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.IsExported() && name != "" && name != "-" {
				fields[name] = true
			}
		}
	}
	for _, name := range []string{
		"format", "version", "shipped_key", "delivered_key", "cases", // the order's
		"state", "kind", "reason", "closed_reason", "amount", "proposal", "refunded", "compensation", "version", "due", // a case's summary
	} {
		fields[name] = true
	}
	var doc any
	if err := json.Unmarshal(golden, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				fields[k] = true
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	for name := range fields {
		if !strings.Contains(section, "`"+name+"`") {
			t.Errorf("the README's stored form does not name the field %q", name)
		}
	}
}

// TestAFormat1CaseStillRefundingGetsItsCompensationAtTheRefund checks what
// an upgrade does to a case that format 1 stored while refunding, before
// any compensation was decided: its refund decides it, as format 1 did, so
// no return freight is lost on the way.
func TestAFormat1CaseStillRefundingGetsItsCompensationAtTheRefund(t *testing.T) {
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	z := timeline.UTC8()
	at := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, z) }
	o := &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(299), PaidAt: at(1, 10), ShippedAt: at(1, 18), DeliveredAt: at(3, 15)}
	for _, s := range []struct {
		at  time.Time
		cmd aftersale.Command
	}{
		{at(4, 20), aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}},
		{at(5, 9), aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}},
		{at(5, 14), aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Carrier: "SF", Waybill: "SF1", Freight: aftersale.Yuan(12)}},
		{at(7, 10), aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn}},
	} {
		if _, err := e.ApplyAt(s.at, o, s.cmd); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	// The same order as format 1 stored it: nothing decided on the way in.
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	doc["format"] = 1
	c := doc["cases"].([]any)[0].(map[string]any)
	delete(c, "compensation")
	events := c["events"].([]any)
	for _, f := range []string{"compensation", "payer", "compensation_decision"} {
		delete(events[len(events)-1].(map[string]any), f)
	}
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	var stored aftersale.Order
	if err := json.Unmarshal(b, &stored); err != nil {
		t.Fatalf("the format 1 order does not decode: %v", err)
	}
	if got := stored.Case("c1").Compensation(); got != nil {
		t.Fatalf("format 1 decided nothing on the way in, but the case has %+v", got)
	}
	out, err := e.ApplyAt(at(7, 12), &stored, aftersale.Command{Case: "c1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded})
	if err != nil {
		t.Fatal(err)
	}
	want := []aftersale.Compensation{{Amount: aftersale.Yuan(12), Payer: aftersale.PayerMerchant}}
	if diff := cmp.Diff(want, out.Event.Compensation); diff != "" || out.Event.CompensationDecision.Rule != "freight_subsidy.merchant_fault" {
		t.Errorf("the refund paid under %q, want freight_subsidy.merchant_fault (-want +got):\n%s", out.Event.CompensationDecision.Rule, diff)
	}
	if diff := cmp.Diff(want, stored.Case("c1").Compensation()); diff != "" {
		t.Errorf("the case's compensation (-want +got):\n%s", diff)
	}
}
