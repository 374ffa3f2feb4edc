package aftersale_test

import (
	"errors"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
)

// unreadable says what a refusal lacks that a merchant or a host needs, or
// "" if it lacks nothing: a code, an English and a Chinese message, and a
// rule id of the documented shape. A denial's id is that of its most
// specific reason (or, if that reason has none, eligibility.not_covered or
// eligibility.limited), and its Chinese leads with that reason's; any other
// refusal's id has one of the Engine's prefixes (aftersale.RulePrefixes,
// which README.md and RULES.md list).
func unreadable(err error) string {
	var e *aftersale.Error
	switch {
	case !errors.As(err, &e):
		return "it is not an *aftersale.Error"
	case e.Code.Label() == "":
		return "its code is unknown"
	case e.Message == "":
		return "it has no English message"
	case e.Zh == "":
		return "it has no Chinese message (Zh)"
	case !aftersale.RuleIDShape.MatchString(e.Rule):
		return "its rule id " + quote(e.Rule) + " is not of the shape prefix.name"
	case e.Code == aftersale.ErrNotEligible:
		if len(e.Reasons) == 0 {
			return "a denial with no reasons"
		}
		first := e.Reasons[0]
		if first.Rule != "" && e.Rule != first.Rule || first.Rule == "" && e.Rule != "eligibility.not_covered" && e.Rule != "eligibility.limited" {
			return "its rule id " + quote(e.Rule) + " is not that of its first reason, " + quote(first.Rule)
		}
		if !strings.Contains(e.Zh, first.Zh) {
			return "its Chinese does not give its first reason's, " + quote(first.Zh)
		}
	case !slices.Contains(aftersale.RulePrefixes, e.Rule[:strings.IndexByte(e.Rule, '.')]):
		return "its rule id " + quote(e.Rule) + " has none of the prefixes " + strings.Join(aftersale.RulePrefixes, ", ")
	}
	return ""
}

func quote(s string) string { return "\"" + s + "\"" }
