package policy

import (
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// DefaultVersion is the version of the rule set Default returns. Cases
// record it, so change it whenever the rules change.
const DefaultVersion = "kuaishou-default-2026.11"

// Default returns the default rule set: every policy of this package with
// its seed defaults, in the order their decisions are recorded. Each call
// returns new policy values, so changing one set never changes another.
func Default() aftersale.Rules {
	return aftersale.Rules{Version: DefaultVersion, Policies: []aftersale.Policy{
		&UnshippedRefund{},
		&SevenDay{},
		&GuaranteedReturn{},
		&AfterSaleWindow{},
		&Resubmission{},
		&FastRefund{},
		&AbuseGuard{},
		&FreightSubsidy{},
		&aftersale.Deadlines{},
	}}
}

// stamp formats a time for a message, in the platform's zone.
func stamp(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("2006-01-02 15:04")
}
