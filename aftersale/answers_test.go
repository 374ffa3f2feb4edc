package aftersale_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// Policies that give a fixed answer: the engine must record each under the
// policy's name.
type (
	grantSays       struct{ said }
	limitSays       struct{ said }
	approverSays    struct{ said }
	compensatorSays struct {
		said
		amount aftersale.Money
	}
	said struct {
		name string
		d    aftersale.Answer
	}
)

func (s said) Name() string                                     { return s.name }
func (g grantSays) Cover(aftersale.Query) aftersale.Answer      { return g.d }
func (l limitSays) Check(aftersale.Query) aftersale.Answer      { return l.d }
func (a approverSays) Approve(aftersale.Query) aftersale.Answer { return a.d }
func (c compensatorSays) Compensate(aftersale.Query) ([]aftersale.Compensation, aftersale.Answer) {
	return []aftersale.Compensation{{Amount: c.amount, Payer: aftersale.PayerPlatform}}, c.d
}

// The answers.
var (
	allows     = aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule("test.allows", "", "yes")}
	allowsToo  = aftersale.Answer{Verdict: aftersale.VerdictAllow, Rule: aftersale.NewRule("test.allows_too", "", "yes as well")}
	passes     = aftersale.Answer{Rule: aftersale.NewRule("test.passes", "", "not mine to say")}
	denies     = aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule("test.denies", "", "no")}
	deniesToo  = aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule("test.denies_too", "", "no as well")}
	explains   = aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule("test.explains", "", "no subsidy")}
	explainsTo = aftersale.Answer{Verdict: aftersale.VerdictDeny, Rule: aftersale.NewRule("test.explains_too", "", "none either")}
	empty      = aftersale.Answer{}
)

// named returns a under the policy's name, as the engine records it.
func named(name string, a aftersale.Answer) aftersale.Decision {
	d := aftersale.Decision{Policy: name, Verdict: a.Verdict}
	if a.Rule != nil {
		d.Rule, d.Zh, d.En = a.Rule.ID(), a.Rule.Zh(), a.Rule.En()
	}
	return d
}

func TestTheEngineReadsPoliciesAnswers(t *testing.T) {
	covers := grantSays{said{"covers", allows}}
	refundOnly := request(aftersale.KindRefundOnly, aftersale.ReasonQuality)

	t.Run("the first grant that allows covers the request", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{
			grantSays{said{"silent", empty}}, grantSays{said{"passes", passes}},
			grantSays{said{"g1", allows}}, grantSays{said{"g2", allowsToo}},
		}})
		out := f.do(refundOnly)
		if diff := cmp.Diff(named("g1", allows), out.Event.Decision); diff != "" {
			t.Errorf("decision (-want +got):\n%s", diff)
		}
	})

	t.Run("a denial lists every grant, silent ones too, and every limit that denies, refusals first", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{
			grantSays{said{"silent", empty}}, grantSays{said{"passes", passes}},
			limitSays{said{"l1", denies}}, limitSays{said{"quiet", empty}}, limitSays{said{"l2", deniesToo}},
		}})
		err := f.fails(refundOnly, aftersale.ErrNotEligible)
		var e *aftersale.Error
		if !errors.As(err, &e) {
			t.Fatalf("%v is not an *aftersale.Error", err)
		}
		want := []aftersale.Decision{named("l1", denies), named("l2", deniesToo), {Policy: "silent"}, named("passes", passes)}
		if diff := cmp.Diff(want, e.Reasons); diff != "" {
			t.Errorf("reasons (-want +got):\n%s", diff)
		}
	})

	t.Run("a limit that denies forbids a covered request, listed alone", func(t *testing.T) {
		f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{covers, limitSays{said{"l1", denies}}}})
		var e *aftersale.Error
		if !errors.As(f.fails(refundOnly, aftersale.ErrNotEligible), &e) {
			t.Fatal("not an *aftersale.Error")
		}
		if diff := cmp.Diff([]aftersale.Decision{named("l1", denies)}, e.Reasons); diff != "" {
			t.Errorf("reasons (-want +got):\n%s", diff)
		}
	})

	for _, tc := range []struct {
		name      string
		approvers []aftersale.Policy
		state     aftersale.State
		want      aftersale.Decision
	}{
		{"the first veto stops automatic approval and is recorded",
			[]aftersale.Policy{approverSays{said{"a1", allows}}, approverSays{said{"v1", denies}},
				approverSays{said{"a2", allowsToo}}, approverSays{said{"v2", deniesToo}}},
			aftersale.StatePendingReview, named("v1", denies)},
		{"without a veto the first approval is recorded",
			[]aftersale.Policy{approverSays{said{"silent", empty}}, approverSays{said{"passes", passes}},
				approverSays{said{"a1", allows}}, approverSays{said{"a2", allowsToo}}},
			aftersale.StateRefunding, named("a1", allows)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, aftersale.Rules{Policies: append([]aftersale.Policy{covers}, tc.approvers...)})
			out := f.do(refundOnly)
			f.state("c1", tc.state)
			if diff := cmp.Diff(tc.want, out.Event.Decision); diff != "" {
				t.Errorf("decision (-want +got):\n%s", diff)
			}
		})
	}

	refund := act(aftersale.ActorSystem, aftersale.ActionRefundSucceeded)
	for _, tc := range []struct {
		name         string
		compensators []aftersale.Policy
		want         aftersale.Decision
		amount       aftersale.Money
	}{
		{"a grant with no decision is recorded as allowed",
			[]aftersale.Policy{compensatorSays{said{"c1", empty}, 500}},
			aftersale.Decision{Policy: "c1", Verdict: aftersale.VerdictAllow}, 500},
		{"without a grant the first explanation is recorded",
			[]aftersale.Policy{compensatorSays{said{"silent", empty}, 0}, compensatorSays{said{"c1", explains}, 0}, compensatorSays{said{"c2", explainsTo}, 0}},
			named("c1", explains), 0},
		{"a grant after an explanation decides",
			[]aftersale.Policy{compensatorSays{said{"c1", explains}, 0}, compensatorSays{said{"c2", allows}, 500}, compensatorSays{said{"c3", allowsToo}, 700}},
			named("c2", allows), 500},
	} {
		t.Run("compensation: "+tc.name, func(t *testing.T) {
			rules := append([]aftersale.Policy{covers, approverSays{said{"a1", allows}}}, tc.compensators...)
			f := newFixture(t, aftersale.Rules{Policies: rules})
			entered := f.do(refundOnly).Event // approved at once: into refunding
			if diff := cmp.Diff(tc.want, entered.CompensationDecision); diff != "" {
				t.Errorf("decision on entering refunding (-want +got):\n%s", diff)
			}
			var want []aftersale.Compensation
			if tc.amount > 0 {
				want = []aftersale.Compensation{{Amount: tc.amount, Payer: aftersale.PayerPlatform}}
			}
			if diff := cmp.Diff(want, entered.Compensation); diff != "" {
				t.Errorf("compensation decided (-want +got):\n%s", diff)
			}
			out := f.do(refund)
			if diff := cmp.Diff(want, out.Event.Compensation); diff != "" || out.Case.Compensated(0) != tc.amount {
				t.Errorf("compensation %s, paid with the refund (-want +got):\n%s", out.Case.Compensated(0), diff)
			}
		})
	}
}

// fickle is a host's limit that is not pure: it denies the first time it is
// asked and allows after. The engine asks it once, so its denial is the
// reason given.
type fickle struct{ asked *int }

func (fickle) Name() string { return "fickle" }
func (f fickle) Check(aftersale.Query) aftersale.Answer {
	*f.asked++
	if *f.asked == 1 {
		return denies
	}
	return aftersale.Answer{}
}

func TestADenialIsBuiltFromTheAnswersGiven(t *testing.T) {
	asked := 0
	f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{grantSays{said{"covers", allows}}, fickle{&asked}}})
	var e *aftersale.Error
	if !errors.As(f.fails(request(aftersale.KindRefundOnly, aftersale.ReasonQuality), aftersale.ErrNotEligible), &e) {
		t.Fatal("not an *aftersale.Error")
	}
	if diff := cmp.Diff([]aftersale.Decision{named("fickle", denies)}, e.Reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if e.Rule != denies.Rule.ID() {
		t.Errorf("Rule = %q, want %q", e.Rule, denies.Rule.ID())
	}
	if asked != 1 {
		t.Errorf("the limit was asked %d times, want once", asked)
	}
}

func TestACompensationNoCaseCanHoldIsRefused(t *testing.T) {
	f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{
		grantSays{said{"covers", allows}}, approverSays{said{"a1", allows}},
		compensatorSays{said{"huge", allows}, aftersale.Money(math.MaxInt64)},
	}})
	f.fails(request(aftersale.KindRefundOnly, aftersale.ReasonQuality), aftersale.ErrInvalidInput) // approved at once: into refunding
}

// panicky is a host's schedule that panics once armed: a bug in a host's
// policy, met halfway through a call that fires deadlines.
type panicky struct {
	aftersale.Deadlines
	armed *bool
}

func (panicky) Name() string { return "panicky_deadlines" }
func (p panicky) Due(q aftersale.Query, s aftersale.State, since time.Time, repeat bool) time.Time {
	if *p.armed && s == aftersale.StateAwaitingReturn {
		panic("host schedule bug")
	}
	return p.Deadlines.Due(q, s, since, repeat)
}

// TestAPanickingPolicyLeavesTheOrderAsItWas arms a host schedule to panic
// when the second of two cases times out in one AdvanceTo, after the first
// has moved: the order goes back to how it was and the panic reaches the
// caller.
func TestAPanickingPolicyLeavesTheOrderAsItWas(t *testing.T) {
	armed := false
	f := newFixture(t, aftersale.Rules{Policies: []aftersale.Policy{panicky{armed: &armed}}})
	f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 1, Paid: aftersale.Yuan(100)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(199)}}
	refund := with(request(aftersale.KindRefundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Lines = []aftersale.Units{{Line: "l1", Quantity: 1}} })
	goods := with(request(aftersale.KindReturnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) {
		c.Case, c.Lines = "c2", []aftersale.Units{{Line: "l2", Quantity: 1}}
	})
	f.do(refund) // its review timeout leads to refunding
	f.do(goods)  // and this one's to awaiting_return, where the schedule panics
	before := f.json()
	armed = true
	for _, call := range []struct {
		name string
		run  func()
	}{
		{"AdvanceTo", func() { f.e.AdvanceTo(f.now.Add(72*time.Hour), f.o) }},
		{"ApplyAt", func() {
			f.e.ApplyAt(f.now.Add(72*time.Hour), f.o, note(act(aftersale.ActorBuyer, aftersale.ActionSubmitEvidence), "x"))
		}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: the policy's panic did not reach the caller", call.name)
				}
			}()
			call.run()
		}()
		if got := f.json(); got != before {
			t.Errorf("%s: a policy's panic left the order changed:\nbefore %s\nafter  %s", call.name, before, got)
		}
	}
}
