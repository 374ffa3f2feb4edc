package aftersale_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// The engine records a policy's answer under the policy's name.
func TestTheEngineNamesAPolicysDecision(t *testing.T) {
	f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{approveAll{}}})
	first := f.do(request(aftersale.KindReturnRefund, aftersale.ReasonQuality))
	want := aftersale.Decision{Policy: "approve_all", Rule: "approve_all.yes", Verdict: aftersale.VerdictAllow, Zh: "自动同意", En: "approved at once"}
	if diff := cmp.Diff(want, first.Event.Decision); diff != "" {
		t.Errorf("recorded decision (-want +got):\n%s", diff)
	}
	ev, _ := first.Case.LastEvent()
	if diff := cmp.Diff(want, ev.Decision); diff != "" {
		t.Errorf("logged decision (-want +got):\n%s", diff)
	}
}

// namedOnly is a policy that does nothing a policy can do.
type namedOnly string

func (n namedOnly) Name() string { return string(n) }

func TestNewRefusesBadRules(t *testing.T) {
	rules := func(ps ...aftersale.Policy) aftersale.Rules {
		return aftersale.Rules{Version: "v1", Policies: ps}
	}
	for _, tc := range []struct {
		name string
		cfg  aftersale.Config
		want string
	}{
		{"a nil policy", aftersale.Config{Rules: rules(&policy.SevenDay{}, nil)}, "policy 2 is nil"},
		{"a nil pointer to a policy", aftersale.Config{Rules: rules((*policy.SevenDay)(nil))}, "policy 1 is a nil *policy.SevenDay"},
		{"a policy without a name", aftersale.Config{Rules: rules(namedOnly(""))}, "has no name"},
		{"two policies of one name", aftersale.Config{Rules: rules(&policy.SevenDay{}, &policy.SevenDay{Days: 15})}, `two policies are named "seven_day_no_reason"`},
		{"a policy that does nothing", aftersale.Config{Rules: rules(namedOnly("idle"))}, `policy "idle" (aftersale_test.namedOnly) is not a Grant`},
		{"two schedules", aftersale.Config{Rules: rules(aftersale.Deadlines{}, namedSchedule{})}, `"deadlines" and "other_deadlines" are both schedules`},
		{"a policy that fails its own checks", aftersale.Config{Rules: rules(&policy.SevenDay{Days: -1})}, "days must not be negative"},
		{"a negative timeout", aftersale.Config{Rules: rules(aftersale.Deadlines{Review: -time.Hour})}, "negative duration"},
		{"a host policy whose check fails with a plain error", aftersale.Config{Rules: rules(strictGrant{})}, `policy "strict": the threshold is missing`},
		{"two rule sets of one version", aftersale.Config{Rules: rules(), Earlier: []aftersale.Rules{{Version: "v0"}, {Version: "v1"}}}, `two rule sets have version "v1"`},
		{"a bad earlier rule set", aftersale.Config{Rules: rules(), Earlier: []aftersale.Rules{{Version: "v0", Policies: []aftersale.Policy{nil}}}}, `rules "v0": policy 1 is nil`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := aftersale.New(tc.cfg)
			if e != nil || !errors.Is(err, aftersale.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, %v; want no engine and invalid_input saying %q", e, err, tc.want)
			}
		})
	}
}

// strictGrant is a host's grant whose Validate fails with an error of its
// own, not one of this package.
type strictGrant struct{}

var errThreshold = errors.New("the threshold is missing")

func (strictGrant) Name() string                           { return "strict" }
func (strictGrant) Cover(aftersale.Query) aftersale.Answer { return aftersale.Answer{} }
func (strictGrant) Validate() error                        { return errThreshold }

func TestNewKeepsAPolicysOwnError(t *testing.T) {
	_, err := aftersale.New(aftersale.Config{Rules: aftersale.Rules{Policies: []aftersale.Policy{strictGrant{}}}})
	if !errors.Is(err, aftersale.ErrInvalidInput) || !errors.Is(err, errThreshold) {
		t.Fatalf("New = %v; want invalid_input wrapping the policy's own error", err)
	}
}

// namedSchedule is a second Schedule, under another name.
type namedSchedule struct{ aftersale.Deadlines }

func (namedSchedule) Name() string { return "other_deadlines" }

// TestTimeoutsByValueAndByPointer checks that the Engine reads its
// schedule's durations however the host passed them.
func TestTimeoutsByValueAndByPointer(t *testing.T) {
	for _, p := range []aftersale.Policy{aftersale.Deadlines{Review: 72 * time.Hour}, &aftersale.Deadlines{Review: 72 * time.Hour}} {
		f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{p}})
		out := f.do(request(refundOnly, aftersale.ReasonQuality))
		if got, want := out.Event.Due, out.Event.At.Add(72*time.Hour); !got.Equal(want) {
			t.Errorf("%T: due %v, want %v", p, got, want)
		}
	}
}
