package policy

import (
	"strconv"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// DefaultVersion is the version of the rule set Default returns. Cases
// record it, so change it whenever the rules change.
const DefaultVersion = "kuaishou-default-2026.12"

// Default returns the default rule set: every policy of this package with
// the defaults of RULES.md sections 4 and 5, in the order their decisions are recorded. Each call
// returns new policy values, so changing one set never changes another.
func Default() aftersale.Rules {
	return aftersale.Rules{Version: DefaultVersion, Policies: []aftersale.Policy{
		&UnshippedRefund{},
		&GuaranteedReturn{}, // before SevenDay: a case it covers is recorded as its, and carries its 24-hour promise
		&SevenDay{},
		&AfterSaleWindow{},
		&RepairWarranty{},
		&Resubmission{},
		&FastRefund{},
		&AutoApprove{},
		&AbuseGuard{},
		&FreightSubsidy{},
		&aftersale.Deadlines{},
	}}
}

// span writes a duration for a message, in Chinese and English: 6小时 and
// 6h, 1小时30分钟 and 1h30m.
func span(d time.Duration) (zh, en string) {
	if d <= 0 || d%time.Second != 0 {
		return d.String(), d.String()
	}
	for _, u := range [...]struct {
		n      time.Duration
		zh, en string
	}{{d / time.Hour, "小时", "h"}, {d % time.Hour / time.Minute, "分钟", "m"}, {d % time.Minute / time.Second, "秒", "s"}} {
		if u.n != 0 {
			n := strconv.FormatInt(int64(u.n), 10)
			zh, en = zh+n+u.zh, en+n+u.en
		}
	}
	return zh, en
}

// stamp formats a time for a message, in the platform's zone: to the
// minute, or to the second when it falls within one (so a boundary of
// 16:00:30 is not shown as 16:00).
func stamp(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}
