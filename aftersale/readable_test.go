package aftersale_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// TestADenialWithoutARuleID: a host's policy may deny with no Rule; the
// denial then carries the Engine's own id, eligibility.not_covered when no
// grant covers the request or eligibility.limited when a limit forbids it.
func TestADenialWithoutARuleID(t *testing.T) {
	mute := aftersale.Answer{Verdict: aftersale.VerdictDeny}
	for _, tc := range []struct {
		name     string
		policies []aftersale.Policy
		want     *aftersale.Error
	}{
		{"no grant covers it", []aftersale.Policy{grantSays{said{"mute", mute}}, grantSays{said{"g", denies}}},
			&aftersale.Error{Code: aftersale.ErrNotEligible, Rule: "eligibility.not_covered", Message: "no policy covers the request", Zh: "不符合售后条件",
				Reasons: []aftersale.Decision{named("mute", mute), named("g", denies)}}},
		{"a limit forbids it", []aftersale.Policy{grantSays{said{"g", allows}}, limitSays{said{"mute", mute}}},
			&aftersale.Error{Code: aftersale.ErrNotEligible, Rule: "eligibility.limited", Message: "a limit forbids the request", Zh: "售后申请受到限制",
				Reasons: []aftersale.Decision{named("mute", mute)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, aftersale.Rules{Policies: tc.policies})
			var got *aftersale.Error
			if !errors.As(f.fails(request(refundOnly, aftersale.ReasonQuality), aftersale.ErrNotEligible), &got) {
				t.Fatal("not an *aftersale.Error")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("the denial (-want +got):\n%s", diff)
			}
		})
	}
}
