package policy_test

import (
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// TestRepairWarranty checks the repair window (RULES.md 5.10): delivered
// 03-01 15:00, the 365 days run to the end of 2027-03-01; only a fault of
// the merchant's is repaired, and the rule says nothing of other kinds.
func TestRepairWarranty(t *testing.T) {
	for _, tc := range []struct {
		name   string
		p      *policy.RepairWarranty
		kind   aftersale.Kind
		reason aftersale.Reason
		asked  string
		rule   string
	}{
		{"quality, asked on the last day of the 365: covered", &policy.RepairWarranty{}, aftersale.KindRepair, quality, "2027-03-01 23:59", "repair_warranty.in_warranty"},
		{"quality, asked a minute after: denied", &policy.RepairWarranty{}, aftersale.KindRepair, quality, "2027-03-02 00:00", "repair_warranty.warranty_passed"},
		{"a 30-day warranty, asked on day 31: denied", &policy.RepairWarranty{Days: 30}, aftersale.KindRepair, quality, "2026-04-01 00:00", "repair_warranty.warranty_passed"},
		{"no reason: a repair needs a fault", &policy.RepairWarranty{}, aftersale.KindRepair, noReason, "2026-03-05 10:00", "repair_warranty.fault_only"},
		{"a mistaken purchase: a repair needs a fault", &policy.RepairWarranty{}, aftersale.KindRepair, aftersale.ReasonMistakenPurchase, "2026-03-05 10:00", "repair_warranty.fault_only"},
		{"an exchange: not the warranty's to say", &policy.RepairWarranty{}, exchange, quality, "2026-03-05 10:00", "repair_warranty.repair_only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := aftersale.Query{Order: deliveredOrder(t, 9900), Case: openCase(t, tc.kind, tc.reason), At: at(t, tc.asked), Zone: zone}
			if d := decide(t, tc.p, q); d.Rule != tc.rule {
				t.Errorf("decided %s (%s), want %s", d.Rule, d.En, tc.rule)
			}
		})
	}
}
