package aftersale_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// everyField is a command with every field set, and its JSON form.
var everyField = aftersale.Command{
	Case: "c1", Actor: aftersale.ActorPlatform, Action: aftersale.ActionRule,
	Kind: aftersale.KindExchange, Reason: aftersale.ReasonDamaged, Amount: aftersale.Fen(29950),
	Lines: []aftersale.Units{{Line: "l1", Quantity: 1}, {Line: "l2", Quantity: 3}}, Note: "both mugs chipped",
	Carrier: "SF", Waybill: "SF1302", Freight: aftersale.Yuan(25),
	Ruling: aftersale.RulingForBuyer, ReturnGoods: true, Key: "app-7f3a-4", Version: 3,
}

const everyFieldJSON = `{"actor":"platform","action":"rule","case":"c1","kind":"exchange","reason":"damaged",` +
	`"amount":"299.50","lines":[{"line":"l1","quantity":1},{"line":"l2","quantity":3}],"note":"both mugs chipped",` +
	`"carrier":"SF","waybill":"SF1302","freight":"25.00","ruling":"buyer","return_goods":true,"key":"app-7f3a-4","version":3}`

func TestCommandMarshalJSON(t *testing.T) {
	for _, tc := range []struct {
		rule string
		cmd  aftersale.Command
		want string
	}{
		{"the zero command is {}", aftersale.Command{}, `{}`},
		{"kind 0 is left out", aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove, Case: "c1"},
			`{"actor":"merchant","action":"approve","case":"c1"}`},
		{"every field is written, in the order of CommandFields", everyField, everyFieldJSON},
		{"return_goods is kept", aftersale.Command{Ruling: aftersale.RulingForBuyer, ReturnGoods: true},
			`{"ruling":"buyer","return_goods":true}`},
		{"money is text with two decimals", aftersale.Command{Amount: aftersale.Fen(5), Freight: aftersale.Yuan(8)},
			`{"amount":"0.05","freight":"8.00"}`},
		{"a negative version is written: Apply refuses it", aftersale.Command{Version: -1}, `{"version":-1}`},
		{"texts are escaped", aftersale.Command{Note: "\"<退货>\"\n"}, `{"note":"\"\u003c退货\u003e\"\n"}`},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			b, err := json.Marshal(tc.cmd)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Errorf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}

// TestCommandLinesAreUnitsJSON checks that a command writes its lines as
// Units marshal themselves, the form a case's record has.
func TestCommandLinesAreUnitsJSON(t *testing.T) {
	units, err := json.Marshal(everyField.Lines)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(aftersale.Command{Lines: everyField.Lines})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"lines":` + string(units) + `}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestCommandMarshalJSONRefuses(t *testing.T) {
	for _, tc := range []struct {
		rule string
		cmd  aftersale.Command
		want string
	}{
		{"an unknown kind is refused, naming the field", aftersale.Command{Kind: 99}, "command: kind: cannot encode Kind(99)"},
		{"an unknown actor", aftersale.Command{Actor: 9}, "command: actor: cannot encode Actor(9)"},
		{"an unknown action", aftersale.Command{Action: 99}, "command: action: cannot encode Action(99)"},
		{"an unknown reason", aftersale.Command{Reason: 99}, "command: reason: cannot encode Reason(99)"},
		{"an unknown ruling", aftersale.Command{Ruling: 3}, "command: ruling: cannot encode Ruling(3)"},
		{"negative money", aftersale.Command{Freight: -1}, "command: freight: money: -0.01 is out of range"},
		{"money too large to read back", aftersale.Command{Amount: 1 << 62}, "command: amount: money: 46116860184273879.04 is out of range"},
		{"a note that is not UTF-8", aftersale.Command{Note: "\xff"}, "command: note: is not valid UTF-8"},
		{"a line that is not UTF-8", aftersale.Command{Lines: []aftersale.Units{{Line: "l1", Quantity: 1}, {Line: "\xff", Quantity: 1}}},
			"command: lines[1].line: is not valid UTF-8"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			b, err := tc.cmd.MarshalJSON()
			if err == nil {
				t.Fatalf("MarshalJSON = %s; want an error", b)
			}
			var e *aftersale.Error
			if !errors.As(err, &e) || e.Code != aftersale.ErrInvalidInput || e.Message != tc.want {
				t.Errorf("error %v, want invalid_input %q", err, tc.want)
			}
			if _, err := json.Marshal(tc.cmd); !errors.Is(err, aftersale.ErrInvalidInput) {
				t.Errorf("json.Marshal: error %v, want invalid_input", err)
			}
		})
	}
}

func TestCommandUnmarshalJSON(t *testing.T) {
	for _, tc := range []struct {
		rule string
		data string
		want aftersale.Command
	}{
		{"{} is the zero command", `{}`, aftersale.Command{}},
		{"every field is read", everyFieldJSON, everyField},
		{"return_goods is kept", `{"ruling": "buyer", "return_goods": true}`, aftersale.Command{Ruling: aftersale.RulingForBuyer, ReturnGoods: true}},
		{"members come in any order, with any spacing", "\n{ \"version\" : 2 ,\t\"case\":\"c1\", \"actor\": \"buyer\" }\n",
			aftersale.Command{Version: 2, Case: "c1", Actor: aftersale.ActorBuyer}},
		{"money is read as ParseMoney reads it", `{"amount": "299", "freight": "8.5"}`,
			aftersale.Command{Amount: aftersale.Yuan(299), Freight: aftersale.Fen(850)}},
		{"escapes are read", `{"note": "\"\u9000\u8d27\"\n", "k\u0065y": "k1"}`, aftersale.Command{Note: "\"退货\"\n", Key: "k1"}},
		{"a deadline's action is read: Apply refuses it", `{"actor": "system", "action": "expire"}`,
			aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionExpire}},
		{"a line's id and quantity are read as they are: Apply checks them", `{"lines": [{"quantity": 0, "line": ""}]}`,
			aftersale.Command{Lines: []aftersale.Units{{}}}},
		{"a negative version is read: Apply refuses it", `{"version": -1}`, aftersale.Command{Version: -1}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			var got aftersale.Command
			if err := json.Unmarshal([]byte(tc.data), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommandUnmarshalJSONRefuses(t *testing.T) {
	for _, tc := range []struct {
		rule string
		data string
		want string // the message, after "aftersale: invalid_input: "
	}{
		{`"amount": 299 (a number) is refused: money is text`, `{"amount": 299}`,
			`command: amount: money: 299 must be a string such as "299.00"`},
		{"money with three decimals", `{"freight": "29.999"}`, `command: freight: money: "29.999" needs one or two decimals`},
		{"negative money", `{"amount": "-1.00"}`,
			`command: amount: money: "-1.00" does not start with a digit (negative amounts and signs are not accepted)`},
		{"an unknown field, with the fields there are", `{"actor": "buyer", "waybil": "SF1"}`,
			"command: waybil: unknown field; a command has actor, action, case, kind, reason, amount, lines, note, " +
				"carrier, waybill, freight, ruling, return_goods, state, due, record, key, version"},
		{"names are matched exactly", `{"Kind": "exchange"}`, "command: Kind: unknown field; a command has actor, action,"},
		{"an odd unknown name is quoted", `{"a: b": 1}`, `command: "a: b": unknown field;`},
		{"a field twice", `{"kind": "exchange", "kind": "refund_only"}`, "command: kind: appears twice"},
		{"an unknown kind, with the kinds there are", `{"kind": "refund"}`,
			`command: kind: unknown kind "refund"; one of refund_only, return_refund, exchange, reissue, repair`},
		{"an unknown actor", `{"actor": "customer"}`, `command: actor: unknown actor "customer"; one of buyer, merchant, platform, system`},
		{"an unknown action", `{"action": "refund"}`, `command: action: unknown action "refund"; one of request, approve, reject,`},
		{"an unknown reason", `{"reason": "bored"}`, `command: reason: unknown reason "bored"; one of no_reason, quality,`},
		{"an unknown ruling", `{"ruling": "platform"}`, `command: ruling: unknown ruling "platform"; one of buyer, merchant`},
		{"an enum by its number", `{"kind": 1}`, "command: kind: must be a string, not a number"},
		{"an empty enum name", `{"reason": ""}`, `command: reason: unknown reason ""; one of no_reason,`},
		{"a text as a number", `{"note": 5}`, "command: note: must be a string, not a number"},
		{"a text that is not UTF-8", "{\"carrier\": \"S\xffF\"}", "command: carrier: is not valid UTF-8"},
		{"return_goods as a string", `{"return_goods": "yes"}`, `command: return_goods: must be true or false, not "yes"`},
		{"a fractional version", `{"version": 1.5}`, "command: version: must be a whole number, not 1.5"},
		{"a version as a string", `{"version": "3"}`, `command: version: must be a whole number, not "3"`},
		{"a version too large", `{"version": 1e30}`, "command: version: must be a whole number, not 1e30"},
		{"lines as an object", `{"lines": {"line": "l1"}}`, "command: lines: must be an array, not an object"},
		{"a line as a number", `{"lines": [5]}`, "command: lines[0]: a line of a request is a JSON object, not a number"},
		{"a line without its quantity", `{"lines": [{"line": "l1"}]}`, "command: lines[0].quantity: is required"},
		{"a line without its id", `{"lines": [{"line": "l1", "quantity": 1}, {"quantity": 1}]}`, "command: lines[1].line: is required"},
		{"a line with an unknown field", `{"lines": [{"id": "l1", "quantity": 1}]}`,
			"command: lines[0].id: unknown field; a line of a request has line, quantity"},
		{"a fractional quantity", `{"lines": [{"line": "l1", "quantity": 1.5}]}`, "command: lines[0].quantity: must be a whole number, not 1.5"},
		{"a quantity as an object", `{"lines": [{"line": "l1", "quantity": {"n": 1}}]}`,
			"command: lines[0].quantity: must be a whole number, not an object"},
		{"a line's member twice", `{"lines": [{"line": "l1", "line": "l2", "quantity": 1}]}`, "command: lines[0].line: appears twice"},

		{`an empty text is refused: "" is how a command says nothing`, `{"note": ""}`,
			"command: note: must not be empty; leave the field out instead"},
		{"no lines are refused: none is the whole order", `{"lines": []}`,
			"command: lines: names no line; leave the field out to ask for the whole order"},
		{"zero money is refused", `{"amount": "0.00"}`, `command: amount: "0.00" is zero, which means not set; leave the field out instead`},
		{"return_goods false is refused", `{"return_goods": false}`, "command: return_goods: false means not set; leave the field out instead"},
		{"version 0 is refused", `{"version": 0}`, "command: version: 0 means not set; leave the field out instead"},
		{"null is refused for a text", `{"case": null}`, "command: case: must be a string, not null"},
		{"null is refused for an enum", `{"kind": null}`, "command: kind: must be a string, not null"},
		{"null is refused for money", `{"amount": null}`, `command: amount: money: null must be a string such as "299.00"`},
		{"null is refused for lines", `{"lines": null}`, "command: lines: must be an array, not null"},
		{"null is refused for a flag", `{"return_goods": null}`, "command: return_goods: must be true or false, not null"},
		{"null is refused for a number", `{"version": null}`, "command: version: must be a whole number, not null"},

		{"null is not a command", `null`, "command: a command is a JSON object, not null"},
		{"an array is not a command", `[{}]`, "command: a command is a JSON object, not an array"},
		{"trailing data", `{} {}`, "command: invalid character '{' after top-level value"},
		{"not JSON", `{"kind": "exchange",}`, "command: invalid character '}' looking for beginning of object key string"},
		{"nothing", ``, "command: unexpected end of JSON input"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			before := everyField
			got := before
			err := got.UnmarshalJSON([]byte(tc.data))
			if err == nil {
				t.Fatalf("UnmarshalJSON succeeded: %+v", got)
			}
			var e *aftersale.Error
			if !errors.As(err, &e) || e.Code != aftersale.ErrInvalidInput || !strings.HasPrefix(e.Message, tc.want) {
				t.Errorf("error %v\nwant invalid_input %q", err, tc.want)
			}
			if diff := cmp.Diff(before, got); diff != "" {
				t.Errorf("a refused decoding changed the command (-before +after):\n%s", diff)
			}
		})
	}
	var nilCmd *aftersale.Command
	if err := nilCmd.UnmarshalJSON([]byte(`{}`)); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Errorf("decoding into a nil *Command: %v, want invalid_input", err)
	}
}

// TestCommandRoundTrip checks that a command decodes from its JSON form
// equal to what was encoded, for each action's arguments.
func TestCommandRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		rule string
		cmd  aftersale.Command
	}{
		{"the zero command", aftersale.Command{}},
		{"every field", everyField},
		{"a request for some lines", aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Case: "c2",
			Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonNoReason, Lines: []aftersale.Units{{Line: "l1", Quantity: 2}}}},
		{"a shipment with freight", aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Case: "c1",
			Carrier: "顺丰", Waybill: "SF1302", Freight: aftersale.Fen(1)}},
		{"a ruling for the buyer, the goods back first", aftersale.Command{Actor: aftersale.ActorPlatform, Action: aftersale.ActionRule,
			Case: "c1", Ruling: aftersale.RulingForBuyer, ReturnGoods: true, Amount: aftersale.Yuan(100)}},
		{"an order fact with its key", aftersale.Command{Actor: aftersale.ActorSystem, Action: aftersale.ActionDelivered, Key: "wms-9"}},
		{"a rejection seen at a version", aftersale.Command{Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject, Case: "c1",
			Note: "用过了\t\"used\" <b>&</b>", Version: 7}},
		{"the largest amount", aftersale.Command{Amount: aftersale.Fen(2305843009213693999)}},
	} {
		t.Run(tc.rule, func(t *testing.T) { commandRoundTrip(t, tc.cmd) })
	}
}

// commandRoundTrip checks that cmd decodes from its JSON form equal to itself.
func commandRoundTrip(t *testing.T, cmd aftersale.Command) {
	t.Helper()
	b, err := json.Marshal(cmd)
	if err != nil {
		t.Fatalf("Marshal(%+v): %v", cmd, err)
	}
	var back aftersale.Command
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(cmd, back); diff != "" {
		t.Fatalf("%s decodes to another command (-encoded +decoded):\n%s", b, diff)
	}
}

// TestCommandRoundTripRandom round-trips commands with random fields.
func TestCommandRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		commandRoundTrip(t, randomCommand(r))
	}
}

// randomCommand returns a command whose fields are each set or not at
// random, to values the JSON form can write.
func randomCommand(r *rand.Rand) aftersale.Command {
	texts := []string{"c1", "SF", "顺丰速运", "a \"quoted\" <note> & more\n\t", "\u2028", "\x00\x1f", strings.Repeat("长", 700), "🙂", "\\"}
	text := func() string {
		if r.IntN(2) == 0 {
			return ""
		}
		return texts[r.IntN(len(texts))]
	}
	money := func() aftersale.Money {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return aftersale.Fen(r.Int64N(100))
		case 2:
			return aftersale.Fen(r.Int64N(1 << 40))
		}
		return aftersale.Fen(2305843009213693999 - r.Int64N(1000))
	}
	var lines []aftersale.Units
	for range r.IntN(3) {
		lines = append(lines, aftersale.Units{Line: texts[r.IntN(len(texts))], Quantity: r.IntN(5) - 1})
	}
	return aftersale.Command{
		Case: text(), Actor: aftersale.Actor(r.IntN(5)), Action: aftersale.Action(r.IntN(23)),
		Kind: aftersale.Kind(r.IntN(4)), Reason: aftersale.Reason(r.IntN(10)), Amount: money(), Lines: lines,
		Note: text(), Carrier: text(), Waybill: text(), Freight: money(), Ruling: aftersale.Ruling(r.IntN(3)),
		ReturnGoods: r.IntN(2) == 0, Key: text(), Version: []int{0, 1, -1, 1 << 40, -1 << 62}[r.IntN(5)],
		State:  aftersale.State(r.IntN(int(aftersale.NumStates))),
		Due:    []time.Time{{}, time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC), time.Date(2026, 3, 8, 23, 59, 0, 1, time.FixedZone("", 8*3600))}[r.IntN(3)],
		Record: [][]byte{nil, []byte(`{"status":7,"type":"\u003cb\u003e"}`), []byte(`{"a":[1,{}],"b":null}`)}[r.IntN(3)],
	}
}

// TestCommandJSONHasEveryField checks that each field of Command has a
// member of the JSON form: a command with only that field set encodes to
// one member, and decodes back.
func TestCommandJSONHasEveryField(t *testing.T) {
	typ := reflect.TypeFor[aftersale.Command]()
	var names []string
	for i := range typ.NumField() {
		var cmd aftersale.Command
		f := reflect.ValueOf(&cmd).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Uint8, reflect.Int, reflect.Int64:
			if f.CanUint() {
				f.SetUint(1)
			} else {
				f.SetInt(1)
			}
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			if f.Type() == reflect.TypeFor[json.RawMessage]() {
				f.SetBytes([]byte(`{"status":7}`))
			} else {
				f.Set(reflect.ValueOf([]aftersale.Units{{Line: "l1", Quantity: 1}}))
			}
		case reflect.Struct:
			if f.Type() != reflect.TypeFor[time.Time]() {
				t.Fatalf("Command.%s is a %s: teach this test and the JSON form about it", typ.Field(i).Name, f.Type())
			}
			f.Set(reflect.ValueOf(time.Date(2026, 3, 8, 23, 59, 0, 0, time.FixedZone("", 8*3600))))
		default:
			t.Fatalf("Command.%s is a %s: teach this test and the JSON form about it", typ.Field(i).Name, f.Type())
		}
		b, err := json.Marshal(cmd)
		if err != nil {
			t.Fatalf("Command.%s: %v", typ.Field(i).Name, err)
		}
		var members map[string]json.RawMessage
		if err := json.Unmarshal(b, &members); err != nil || len(members) != 1 {
			t.Fatalf("Command.%s alone encodes to %s: add it to the JSON form (commandMembers)", typ.Field(i).Name, b)
		}
		for name := range members {
			names = append(names, name)
		}
		commandRoundTrip(t, cmd)
	}
	slices.Sort(names)
	if want := slices.Sorted(slices.Values(aftersale.CommandFields())); !slices.Equal(names, want) {
		t.Errorf("the fields encode to the members %v; CommandFields gives %v", names, want)
	}
}

// TestCommandFieldsNameTheArguments checks that the JSON names are the
// ones Apply's refusals use: each argument, sent where it does not go,
// is refused by the name it has in JSON.
func TestCommandFieldsNameTheArguments(t *testing.T) {
	values := map[string]string{
		"case": `"c1"`, "kind": `"exchange"`, "reason": `"quality"`, "amount": `"1.00"`, "lines": `[{"line": "l1", "quantity": 1}]`,
		"note": `"n"`, "carrier": `"SF"`, "waybill": `"SF1"`, "freight": `"1.00"`, "ruling": `"buyer"`, "return_goods": `true`, "version": `1`,
		"state": `"awaiting_return"`, "due": `"2026-03-08T23:59:00+08:00"`, "record": `{"status":7}`,
	}
	engine, err := aftersale.New(aftersale.Config{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)
	for _, name := range aftersale.CommandFields() {
		if name == "actor" || name == "action" || name == "key" { // not arguments: every command has them
			continue
		}
		value, ok := values[name]
		if !ok {
			t.Errorf("%s: give this test a value for it", name)
			continue
		}
		var cmd aftersale.Command
		if err := json.Unmarshal([]byte(`{"actor": "system", "action": "shipped", "`+name+`": `+value+`}`), &cmd); err != nil {
			t.Fatal(err)
		}
		order := &aftersale.Order{ID: "o-1", Amount: aftersale.Yuan(10), PaidAt: now.Add(-time.Hour)}
		_, err := engine.ApplyAt(now, order, cmd)
		if want := name + " does not go with shipped"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s on shipped: %v, want %q", name, err, want)
		}
	}
}

func FuzzCommandJSON(f *testing.F) {
	f.Add([]byte(everyFieldJSON))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"actor": "buyer", "action": "request", "kind": "return_refund", "reason": "quality", "lines": [{"line": "l1", "quantity": 1}]}`))
	f.Add([]byte(`{"actor": "buyer", "action": "ship_return", "case": "c1", "carrier": "SF", "waybill": "SF1302", "freight": "25"}`))
	f.Add([]byte(`{"note": "\ud800 \u00e9 \"", "version": -3, "amount": "23058430092136939.99"}`))
	f.Add([]byte(`{"amount": 299}`))
	f.Add([]byte(`{"actor": "system", "action": "import", "kind": "return_refund", "reason": "no_reason", "state": "awaiting_return", "due": "2026-03-12T10:00:00+08:00", "record": {"after_sale_status": 7, "x": "<\u00e9>"}}`))
	f.Add([]byte(`{"record": [1], "due": "2026-02-30T10:00:00Z", "state": "done"}`))
	f.Add([]byte(`{"kind": "exchange", "kind": "exchange"}`))
	f.Add([]byte(`{"lines": [{"line": "l1", "quantity": 1, "line": "l2"}]} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cmd := everyField
		if err := cmd.UnmarshalJSON(data); err != nil {
			var e *aftersale.Error
			if !errors.As(err, &e) || e.Code != aftersale.ErrInvalidInput || !strings.HasPrefix(e.Message, "command: ") {
				t.Fatalf("refused with %v; want invalid_input saying command: ...", err)
			}
			if diff := cmp.Diff(everyField, cmd); diff != "" {
				t.Fatalf("a refused decoding (%v) changed the command:\n%s", err, diff)
			}
			return
		}
		b, err := json.Marshal(cmd)
		if err != nil {
			t.Fatalf("a decoded command does not encode: %v\n%+v", err, cmd)
		}
		var back aftersale.Command
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s does not decode: %v", b, err)
		}
		if diff := cmp.Diff(cmd, back); diff != "" {
			t.Fatalf("%s decodes to another command (-first +again):\n%s", b, diff)
		}
		if again, err := json.Marshal(back); err != nil || string(again) != string(b) {
			t.Fatalf("encoding again gives %s, %v; want %s", again, err, b)
		}
	})
}

func ExampleCommand_UnmarshalJSON() {
	var cmd aftersale.Command
	err := json.Unmarshal([]byte(`{"actor": "buyer", "action": "ship_return", "case": "c1",
		"carrier": "SF", "waybill": "SF1302", "freight": "25.00"}`), &cmd)
	fmt.Println(cmd.Actor, cmd.Action, cmd.Case, cmd.Carrier, cmd.Waybill, cmd.Freight, err)

	err = json.Unmarshal([]byte(`{"actor": "buyer", "action": "request", "kind": "refund"}`), &cmd)
	fmt.Println(err)
	err = json.Unmarshal([]byte(`{"actor": "buyer", "action": "request", "amount": 299}`), &cmd)
	fmt.Println(err)
	fmt.Println(cmd.Action) // unchanged by the refusals
	// Output:
	// buyer ship_return c1 SF SF1302 25.00 <nil>
	// aftersale: invalid_input: command: kind: unknown kind "refund"; one of refund_only, return_refund, exchange, reissue, repair
	// aftersale: invalid_input: command: amount: money: 299 must be a string such as "299.00"
	// ship_return
}

func ExampleCommand_MarshalJSON() {
	b, err := json.Marshal(aftersale.Command{
		Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality, Amount: aftersale.Yuan(299),
		Lines: []aftersale.Units{{Line: "l1", Quantity: 1}}, Key: "app-7f3a-4",
	})
	fmt.Println(string(b), err)
	// Output:
	// {"actor":"buyer","action":"request","kind":"return_refund","reason":"quality","amount":"299.00","lines":[{"line":"l1","quantity":1}],"key":"app-7f3a-4"} <nil>
}

// TestCommandJSONREADME keeps the README's command in JSON true: it
// decodes, and encodes to itself.
func TestCommandJSONREADME(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n### Commands as JSON\n")
	_, shown, block := strings.Cut(section, "```json\n")
	shown, _, closed := strings.Cut(shown, "\n```")
	if !ok || !block || !closed {
		t.Fatal(`README.md has no "### Commands as JSON" section with a json block`)
	}
	var cmd aftersale.Command
	if err := json.Unmarshal([]byte(shown), &cmd); err != nil {
		t.Fatalf("the README's command does not decode: %v", err)
	}
	if again, err := json.Marshal(cmd); err != nil || string(again) != shown {
		t.Errorf("the README's command encodes to %s (%v); show it as that", again, err)
	}
}
