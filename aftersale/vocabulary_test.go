package aftersale_test

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want aftersale.Money
	}{
		{"299", 29900},
		{"299.5", 29950},
		{"299.50", 29950},
		{"0.01", 1},
		{"0", 0},
		{"007.10", 710},
		{"299.99", 29999},
	} {
		got, err := aftersale.ParseMoney(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "-1", "-0.01", "+1", "1.234", "1.", ".5", "1e3", "1E2", " 1", "1 ", "1,00", "¥1", "0x10", "NaN", "1.2.3", "１２", "99999999999999999999"} {
		if got, err := aftersale.ParseMoney(bad); !errors.Is(err, aftersale.ErrInvalidInput) {
			t.Errorf("ParseMoney(%q) = %d, %v; want invalid_input", bad, got, err)
		}
	}
}

func TestMoneyText(t *testing.T) {
	for m, want := range map[aftersale.Money]string{0: "0.00", 1: "0.01", 29900: "299.00", 29999: "299.99", 2000: "20.00"} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", m, got, want)
		}
		b, err := json.Marshal(m)
		if err != nil || string(b) != `"`+want+`"` {
			t.Errorf("json.Marshal(%d) = %s, %v", m, b, err)
		}
		var back aftersale.Money
		if err := json.Unmarshal(b, &back); err != nil || back != m {
			t.Errorf("round trip of %d gave %d, %v", m, back, err)
		}
	}
	if got := aftersale.Money(-50).String(); got != "-0.50" {
		t.Errorf("Money(-50).String() = %q", got)
	}
	if _, err := json.Marshal(aftersale.Money(-1)); err == nil {
		t.Error("a negative amount was encoded")
	}
	for _, bad := range []string{`299`, `299.5`, `null`, `"299.999"`, `true`} {
		var m aftersale.Money
		if err := json.Unmarshal([]byte(bad), &m); err == nil {
			t.Errorf("json.Unmarshal(%s) = %d, want an error (amounts are strings)", bad, m)
		}
	}
	if aftersale.Yuan(300) != 30000 || aftersale.Fen(5) != 5 {
		t.Error("Yuan or Fen is off")
	}
}

// enum is what every enum of the package offers.
type enum interface {
	fmt.Stringer
	encoding.TextMarshaler
	Label() string
}

func TestEnumsRoundTrip(t *testing.T) {
	type texts map[string]enum
	for name, tc := range map[string]struct {
		values []enum
		parse  func(string) (enum, error)
	}{
		"Kind": {values: []enum{aftersale.KindRefundOnly, aftersale.KindReturnRefund, aftersale.KindExchange},
			parse: func(s string) (enum, error) { var v aftersale.Kind; return v, v.UnmarshalText([]byte(s)) }},
		"Reason": {values: []enum{aftersale.ReasonNoReason, aftersale.ReasonQuality, aftersale.ReasonNotAsDescribed, aftersale.ReasonWrongItem,
			aftersale.ReasonDamaged, aftersale.ReasonNotReceived, aftersale.ReasonLateDelivery, aftersale.ReasonMistakenPurchase, aftersale.ReasonOther},
			parse: func(s string) (enum, error) { var v aftersale.Reason; return v, v.UnmarshalText([]byte(s)) }},
		"Actor": {values: []enum{aftersale.ActorBuyer, aftersale.ActorMerchant, aftersale.ActorPlatform, aftersale.ActorSystem},
			parse: func(s string) (enum, error) { var v aftersale.Actor; return v, v.UnmarshalText([]byte(s)) }},
		"ClosedReason": {values: []enum{aftersale.ClosedWithdrawn, aftersale.ClosedReturnTimeout, aftersale.ClosedNotEscalated,
			aftersale.ClosedRuledForMerchant, aftersale.ClosedResolvedOffline, aftersale.ClosedSuperseded},
			parse: func(s string) (enum, error) { var v aftersale.ClosedReason; return v, v.UnmarshalText([]byte(s)) }},
		"Category": {values: []enum{aftersale.CategoryGeneral, aftersale.CategoryCustom, aftersale.CategoryPerishable, aftersale.CategoryDigital, aftersale.CategoryPeriodical},
			parse: func(s string) (enum, error) { var v aftersale.Category; return v, v.UnmarshalText([]byte(s)) }},
		"Ruling": {values: []enum{aftersale.RulingForBuyer, aftersale.RulingForMerchant},
			parse: func(s string) (enum, error) { var v aftersale.Ruling; return v, v.UnmarshalText([]byte(s)) }},
		"Payer": {values: []enum{aftersale.PayerMerchant, aftersale.PayerInsurance, aftersale.PayerPlatform},
			parse: func(s string) (enum, error) { var v aftersale.Payer; return v, v.UnmarshalText([]byte(s)) }},
		"EffectKind": {values: []enum{aftersale.EffectRefund, aftersale.EffectNotify, aftersale.EffectAlert, aftersale.EffectWake},
			parse: func(s string) (enum, error) { var v aftersale.EffectKind; return v, v.UnmarshalText([]byte(s)) }},
		"Verdict": {values: []enum{aftersale.VerdictPass, aftersale.VerdictAllow, aftersale.VerdictDeny},
			parse: func(s string) (enum, error) { var v aftersale.Verdict; return v, v.UnmarshalText([]byte(s)) }},
		"Code": {values: []enum{aftersale.ErrNotEligible, aftersale.ErrNotPermitted, aftersale.ErrInvalidInput, aftersale.ErrConflict, aftersale.ErrClockRegressed, aftersale.ErrNotFound},
			parse: func(s string) (enum, error) { var v aftersale.Code; return v, v.UnmarshalText([]byte(s)) }},
	} {
		t.Run(name, func(t *testing.T) {
			seen := texts{}
			for _, v := range tc.values {
				b, err := v.MarshalText()
				if err != nil {
					t.Fatalf("%v.MarshalText: %v", v, err)
				}
				if string(b) != v.String() {
					t.Errorf("MarshalText %q differs from String %q", b, v.String())
				}
				if v.Label() == "" {
					t.Errorf("%v has no Chinese label", v)
				}
				if seen[string(b)] != nil {
					t.Errorf("%q is the text of two values", b)
				}
				seen[string(b)] = v
				back, err := tc.parse(string(b))
				if err != nil || back != v {
					t.Errorf("parsing %q gave %v, %v", b, back, err)
				}
			}
			if _, err := tc.parse("no_such_value"); !errors.Is(err, aftersale.ErrInvalidInput) {
				t.Errorf("parsing an unknown name: %v, want invalid_input", err)
			}
		})
	}
}

func TestStatesAndActionsRoundTrip(t *testing.T) {
	for s := aftersale.State(1); s < aftersale.NumStates; s++ {
		var back aftersale.State
		if b, err := s.MarshalText(); err != nil || back.UnmarshalText(b) != nil || back != s || s.Label() == "" {
			t.Errorf("state %d does not round-trip or has no label", s)
		}
	}
	for a := aftersale.Action(1); a < aftersale.NumActions; a++ {
		var back aftersale.Action
		if b, err := a.MarshalText(); err != nil || back.UnmarshalText(b) != nil || back != a || a.Label() == "" {
			t.Errorf("action %d does not round-trip or has no label", a)
		}
	}
	if _, err := aftersale.State(0).MarshalText(); err == nil {
		t.Error("the zero State encoded")
	}
	if got := aftersale.Kind(9).String(); got != "Kind(9)" {
		t.Errorf("Kind(9).String() = %q", got)
	}
}

func TestFlagsAndTagsJSON(t *testing.T) {
	f := aftersale.FlagFastRefund | aftersale.FlagFreightInsurance
	b, err := json.Marshal(f)
	if err != nil || string(b) != `["freight_insurance","fast_refund"]` {
		t.Fatalf("flags encode as %s, %v", b, err)
	}
	var back aftersale.Flags
	if err := json.Unmarshal(b, &back); err != nil || back != f {
		t.Errorf("flags decode as %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`["fast_refund","cheap"]`), &back); !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Errorf("an unknown flag decoded: %v", err)
	}
	var tags aftersale.Tags
	if err := json.Unmarshal([]byte(`["guaranteed_return_30d"]`), &tags); err != nil || !tags.Has(aftersale.TagGuaranteedReturn) {
		t.Errorf("tags decode as %v, %v", tags, err)
	}
	if b, _ := json.Marshal(aftersale.Flags(0)); string(b) != "[]" {
		t.Errorf("no flags encode as %s", b)
	}
}

func TestReasonsOfMerchantFault(t *testing.T) {
	fault := map[aftersale.Reason]bool{aftersale.ReasonQuality: true, aftersale.ReasonNotAsDescribed: true, aftersale.ReasonWrongItem: true, aftersale.ReasonDamaged: true}
	for r := aftersale.ReasonNoReason; r <= aftersale.ReasonOther; r++ {
		if r.MerchantFault() != fault[r] {
			t.Errorf("%s.MerchantFault() = %v", r, r.MerchantFault())
		}
	}
}

func TestErrorCodes(t *testing.T) {
	err := error(&aftersale.Error{Code: aftersale.ErrNotEligible, Message: "no policy covers the request", Reasons: []aftersale.Decision{
		{Policy: "seven_day_no_reason", En: "the seven days ended 2026-03-09 00:00"},
	}})
	if !errors.Is(err, aftersale.ErrNotEligible) || errors.Is(err, aftersale.ErrConflict) {
		t.Error("errors.Is does not match the code alone")
	}
	if got := aftersale.CodeOf(fmt.Errorf("wrapped: %w", err)); got != aftersale.ErrNotEligible {
		t.Errorf("CodeOf = %v", got)
	}
	want := "aftersale: not_eligible: no policy covers the request: seven_day_no_reason: the seven days ended 2026-03-09 00:00"
	if err.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
	if aftersale.CodeOf(errors.New("other")) != 0 {
		t.Error("CodeOf of a foreign error is not zero")
	}
}

// TestCodesKeepTheirNumbers pins each Code's number and text form: hosts
// may store either, so a new code comes after the others and none moves.
func TestCodesKeepTheirNumbers(t *testing.T) {
	texts := []string{1: "not_eligible", "not_permitted", "invalid_input", "conflict", "clock_regressed", "not_found"}
	for n := 1; n < len(texts); n++ {
		if got := aftersale.Code(n).String(); got != texts[n] {
			t.Errorf("Code(%d) is %q, want %q: a code keeps its number", n, got, texts[n])
		}
	}
	if aftersale.ErrNotFound != 6 {
		t.Errorf("ErrNotFound is %d, want 6", aftersale.ErrNotFound)
	}
	if b, err := aftersale.Code(len(texts)).MarshalText(); err == nil {
		t.Errorf("Code(%d) is %q: add it to this test", len(texts), b)
	}
}
