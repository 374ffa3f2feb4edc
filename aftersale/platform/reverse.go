package platform

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/shouhou/shouhou/aftersale"
)

// Reverse returns the codes of p that stand for a case of kind k in state
// s: every documented combination of the platform's fields that Place
// maps there, the plainest first (those whose fields besides the kind and
// the status are at their plain values), for a tool that writes a case's
// state back to the platform. It is read off the forward mapping, so the
// two cannot disagree.
//
// The map is not one-to-one. Several codes can stand for one state
// (Pinduoduo's refunding is 4 or 5: the merchant or the platform agreed),
// one code can stand for several states when another field decides
// (Douyin's 12 is refunding, refund_failed or refunded by refund_status),
// and a state may have no code on a platform (Kuaishou documents no
// refund_failed): Reverse then returns nil.
func Reverse(p Platform, k aftersale.Kind, s aftersale.State) []Codes {
	if int(p) >= len(reverseIndexes) {
		return nil
	}
	ix := &reverseIndexes[p]
	ix.once.Do(func() { ix.codes = index(p) })
	return slices.Clone(ix.codes[placeKey{k, s}])
}

// placeKey is a kind and a state, as the reverse map is keyed.
type placeKey struct {
	k aftersale.Kind
	s aftersale.State
}

// reverseIndexes hold, by platform, the reverse map, built once on first
// use: the forward tables are fixed.
var reverseIndexes [len(platformNames)]struct {
	once  sync.Once
	codes map[placeKey][]Codes
}

// index builds p's reverse map, each list the plainest first.
func index(p Platform) map[placeKey][]Codes {
	out := map[placeKey][]Codes{}
	for _, c := range combinations(p) {
		if pl, err := c.Place(); err == nil && pl.Scope == InShouhou {
			key := placeKey{pl.Kind, pl.State}
			out[key] = append(out[key], c)
		}
	}
	for _, cs := range out {
		slices.SortStableFunc(cs, func(a, b Codes) int { return len(modifiers(a)) - len(modifiers(b)) })
	}
	return out
}

// Statuses returns what Reverse returns in short: the values of p's
// status field that stand for kind k in state s, each followed by the
// fewest other fields it needs, if any: "12 (refund_status=3)". A status
// that stands there with those fields at their plain values is listed
// alone; each entry appears once, the plainest first.
func Statuses(p Platform, k aftersale.Kind, s aftersale.State) []string {
	all := Reverse(p, k, s)
	have := make(map[string]bool, len(all))
	for _, c := range all {
		have[key(statusOf(c), modifiers(c))] = true
	}
	var out []string
	for _, c := range all {
		m := modifiers(c)
		if !minimal(have, statusOf(c), m) {
			continue
		}
		b := statusOf(c)
		if len(m) > 0 {
			b += " (" + strings.Join(m, ", ") + ")"
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// minimal reports whether no strict subset of the modifiers m, with the
// same status, is in have.
func minimal(have map[string]bool, status string, m []string) bool {
	for mask := 0; mask < 1<<len(m)-1; mask++ {
		var sub []string
		for i := range m {
			if mask&(1<<i) != 0 {
				sub = append(sub, m[i])
			}
		}
		if have[key(status, sub)] {
			return false
		}
	}
	return true
}

func key(status string, m []string) string { return status + "|" + strings.Join(m, ",") }

// statusOf returns the value of the status field of c.
func statusOf(c Codes) string {
	switch c := c.(type) {
	case KuaishouCodes:
		return strconv.Itoa(c.Status)
	case DouyinCodes:
		return strconv.Itoa(c.Status)
	case TaobaoCodes:
		return c.Status
	case PinduoduoCodes:
		return strconv.Itoa(c.Status)
	}
	return ""
}

// modifiers returns the fields of c besides the kind and the status that
// are not at their plain value (the value that leaves the status to
// decide alone), as "field=value".
func modifiers(c Codes) []string {
	var m []string
	switch c := c.(type) {
	case KuaishouCodes:
		if c.NegotiateStatus > 1 {
			m = append(m, "negotiateStatus="+strconv.Itoa(c.NegotiateStatus))
		}
	case DouyinCodes:
		if c.RefundStatus != 0 {
			m = append(m, "refund_status="+strconv.Itoa(c.RefundStatus))
		}
		if c.ArbitrateStatus != 0 {
			m = append(m, "arbitrate_status="+strconv.Itoa(c.ArbitrateStatus))
		}
	case TaobaoCodes:
		if c.GoodStatus != "" {
			m = append(m, "good_status="+c.GoodStatus)
		}
		if c.CsStatus > 1 {
			m = append(m, "cs_status="+strconv.Itoa(c.CsStatus))
		}
		if c.OrderStatus != "" {
			m = append(m, "order_status="+c.OrderStatus)
		}
	}
	return m
}

// combinations returns every combination of p's documented codes.
func combinations(p Platform) []Codes {
	var out []Codes
	switch p {
	case Kuaishou:
		for _, w := range ints(kuaishouHandlingWay) {
			for _, s := range ints(kuaishouStatus) {
				for _, n := range ints(kuaishouNegotiate) {
					out = append(out, KuaishouCodes{HandlingWay: w, Status: s, NegotiateStatus: n})
				}
			}
		}
	case Douyin:
		for _, t := range ints(douyinType) {
			for _, s := range ints(douyinStatus) {
				for _, r := range ints(douyinRefundStatus) {
					for _, a := range ints(douyinArbitrate) {
						out = append(out, DouyinCodes{Type: t, Status: s, RefundStatus: r, ArbitrateStatus: a})
					}
				}
			}
		}
	case Taobao:
		for _, d := range taobaoDisputeType.entries {
			for _, ret := range []bool{false, true} {
				if ret && d.value != "" {
					continue // has_good_return is read only without a dispute_type
				}
				for _, s := range taobaoStatus.entries {
					for _, g := range taobaoGoodStatus.entries {
						for _, cs := range ints(taobaoCsStatus) {
							for _, o := range []string{"", "WAIT_BUYER_CONFIRM_GOODS"} {
								out = append(out, TaobaoCodes{DisputeType: d.value, HasGoodReturn: ret, Status: s.value, GoodStatus: g.value, CsStatus: cs, OrderStatus: o})
							}
						}
					}
				}
			}
		}
	case Pinduoduo:
		for _, t := range ints(pinduoduoType) {
			for _, s := range ints(pinduoduoStatus) {
				out = append(out, PinduoduoCodes{Type: t, Status: s})
			}
		}
	}
	return out
}

// ints returns the values of a numeric field.
func ints(f *field) []int {
	out := make([]int, len(f.entries))
	for i, e := range f.entries {
		out[i], _ = strconv.Atoi(e.value)
	}
	return out
}

// reverseTable writes, for the README, the status codes that stand for
// each kind and state on each platform.
func reverseTable() string {
	var b strings.Builder
	b.WriteString("| kind | state |")
	for _, p := range Platforms() {
		b.WriteString(" " + p.String() + " |")
	}
	b.WriteString("\n|---|---|---|---|---|---|\n")
	for k := aftersale.KindRefundOnly; k <= aftersale.KindRepair; k++ {
		for s := aftersale.StatePendingReview; s <= aftersale.StateRepaired; s++ {
			if !fits(k, s) {
				continue
			}
			b.WriteString("| " + k.String() + " | " + s.String() + " |")
			for _, p := range Platforms() {
				cell := strings.Join(collapse(Statuses(p, k, s)), "; ")
				if cell == "" {
					cell = "—"
				}
				b.WriteString(" " + escape(cell) + " |")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// collapse shortens a list of Statuses for the README: five or more
// statuses that need the same other fields, as an overlay such as
// arbitration does, become "any status (those fields)".
func collapse(entries []string) []string {
	byFields := map[string][]string{}
	var order []string
	for _, e := range entries {
		status, fields, _ := strings.Cut(e, " (")
		if _, ok := byFields[fields]; !ok {
			order = append(order, fields)
		}
		byFields[fields] = append(byFields[fields], status)
	}
	var out []string
	for _, f := range order {
		statuses := byFields[f]
		switch {
		case f == "":
			out = append(out, statuses...)
		case len(statuses) >= 5:
			out = append(out, "any other status ("+f)
		default:
			for _, st := range statuses {
				out = append(out, st+" ("+f)
			}
		}
	}
	return out
}
