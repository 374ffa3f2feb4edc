package timeline

import "time"

// UTC8 returns the default zone of the rules: a fixed offset of eight hours
// east of UTC, named "UTC+8". China keeps no daylight saving time, so a
// fixed zone gives the same answers as Asia/Shanghai for any date after
// 1991 and needs no time zone database on the host. Each call returns a new
// Location; keep the one you use.
func UTC8() *time.Location {
	return time.FixedZone("UTC+8", 8*60*60)
}
