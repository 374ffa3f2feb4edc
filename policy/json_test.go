package policy_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// TestOverridesByName decodes parameter overrides into the default set the
// way a scenario file gives them: by policy name, over the defaults.
func TestOverridesByName(t *testing.T) {
	rules := policy.Default()
	overrides := map[string]string{
		"freight_subsidy":       `{"cap": "30.00", "carriers": ["SF"]}`,
		"fast_refund":           `{"within": "2h"}`,
		"seven_day_no_reason":   `{"days": 15, "excluded": []}`,
		"guaranteed_return_30d": `{"days": 45}`,
		"after_sale_window":     `{"days": 20}`,
		"resubmission":          `{"max_cases": 5}`,
		"auto_approve":          `{"enabled": true, "ceiling": "80.00"}`,
		"abuse_guard":           `{"max_refunds": 2, "days": 7}`,
		"deadlines":             `{"review": "72h", "return": "7d", "calendar": {"holidays": ["2026-10-01"]}}`,
		"unshipped_refund":      `{}`,
	}
	for name, js := range overrides {
		p := rules.Lookup(name)
		if p == nil {
			t.Fatalf("no policy %q in the default set", name)
		}
		if err := json.Unmarshal([]byte(js), p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	want := []aftersale.Policy{
		&policy.UnshippedRefund{},
		&policy.GuaranteedReturn{Days: 45},
		&policy.SevenDay{Days: 15, Excluded: []aftersale.Category{}},
		&policy.AfterSaleWindow{Days: 20},
		&policy.RepairWarranty{},
		&policy.Resubmission{MaxCases: 5},
		&policy.FastRefund{Within: 2 * time.Hour},
		&policy.AutoApprove{Enabled: true, Ceiling: aftersale.Yuan(80)},
		&policy.AbuseGuard{MaxRefunds: 2, Days: 7},
		&policy.FreightSubsidy{Cap: aftersale.Yuan(30), Carriers: []string{"SF"}},
		&aftersale.Deadlines{Review: 72 * time.Hour, Return: 7 * timeline.Day, Calendar: timeline.Workweek{Holidays: []timeline.Date{{Year: 2026, Month: 10, Day: 1}}}},
	}
	if diff := cmp.Diff(want, rules.Policies); diff != "" {
		t.Errorf("overridden policies (-want +got):\n%s", diff)
	}
	if _, err := aftersale.New(aftersale.Config{Rules: rules}); err != nil {
		t.Errorf("the overridden set does not compile: %v", err)
	}
}

func TestOverridesRefuseMistakes(t *testing.T) {
	for name, js := range map[string]string{
		"freight_subsidy":       `{"capp": "30.00"}`,
		"fast_refund":           `{"within": "six hours"}`,
		"seven_day_no_reason":   `{"days": -1}`,
		"guaranteed_return_30d": `{"days": "30"}`,
		"after_sale_window":     `{"days": 15} {}`,
		"resubmission":          `{"max_cases": -2}`,
		"auto_approve":          `{"ceiling": "-1.00"}`,
		"abuse_guard":           `{"history": {}}`,
		"deadlines":             `{"review": "-48h"}`,
	} {
		t.Run(name, func(t *testing.T) {
			rules := policy.Default()
			p := rules.Lookup(name)
			before := policy.Default().Lookup(name)
			err := json.Unmarshal([]byte(js), p)
			if aftersale.CodeOf(err) != aftersale.ErrInvalidInput && err == nil {
				t.Fatalf("%s accepted %s", name, js)
			}
			if diff := cmp.Diff(before, p); diff != "" {
				t.Errorf("a refused override changed the policy:\n%s", diff)
			}
		})
	}
}

func TestDefaultSetsAreIndependent(t *testing.T) {
	a, b := policy.Default(), policy.Default()
	a.Lookup("freight_subsidy").(*policy.FreightSubsidy).Cap = 1
	if b.Lookup("freight_subsidy").(*policy.FreightSubsidy).Cap != 0 {
		t.Error("changing one default set changed another")
	}
	names := map[string]bool{}
	for _, p := range a.Policies {
		names[p.Name()] = true
	}
	for _, n := range []string{"unshipped_refund", "seven_day_no_reason", "guaranteed_return_30d", "fast_refund", "freight_subsidy",
		"after_sale_window", "resubmission", "auto_approve", "abuse_guard", "deadlines"} {
		if !names[n] {
			t.Errorf("the default set lacks %s", n)
		}
	}
}
