package scenario_test

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

func TestParseRules(t *testing.T) {
	base := policy.Default()
	for _, empty := range []string{"", "  \n", "{}"} {
		r, err := scenario.ParseRules([]byte(empty), base)
		if err != nil {
			t.Fatalf("%q: %v", empty, err)
		}
		if len(r.Policies) != len(base.Policies) {
			t.Errorf("%q: %d policies, want %d", empty, len(r.Policies), len(base.Policies))
		}
	}
	r, err := scenario.ParseRules([]byte(`{"freight_subsidy": {"cap": "30.00"}, "fast_refund": null}`), base)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Lookup("freight_subsidy").(*policy.FreightSubsidy).Cap; got != aftersale.Yuan(30) {
		t.Errorf("cap %v, want 30.00", got)
	}
	if r.Lookup("fast_refund") != nil {
		t.Error("fast_refund not dropped")
	}
	if c := base.Lookup("freight_subsidy").(*policy.FreightSubsidy).Cap; c == aftersale.Yuan(30) {
		t.Error("base changed")
	}
	for _, bad := range []string{`{"nope": {}}`, `{"freight_subsidy": {"kap": "1.00"}}`, `[1]`, `{"deadlines": {"review": "-1h"}}`} {
		if _, err := scenario.ParseRules([]byte(bad), base); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
