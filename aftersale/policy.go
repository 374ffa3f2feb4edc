package aftersale

import (
	"slices"
	"time"
)

// Policy is a rule object a host plugs into the Engine. Its Name is stable:
// it is recorded in every decision the policy takes, and scenario files use
// it to override parameters. A policy does its work by implementing one or
// more of Grant, Limit, Approver, Compensator and Schedule.
//
// Grant, Limit, Approver and Compensator answer with an Answer; the zero
// Answer (VerdictPass) says the policy has nothing to say. The Engine
// records an answer as a Decision under the policy's Name.
//
// A policy is pure: its answer depends only on its own parameters and the
// Query, and asking twice gives the same answer. The Engine asks each
// policy at most once per decision and builds a denial from the answers
// it was given.
//
// The Engine calls policies from whichever goroutine calls it; a policy
// shared by engines used concurrently must be safe for that (a policy that
// only reads its own fields is).
type Policy interface {
	Name() string
}

// Grant is a policy that can make a request eligible: a request is eligible
// when at least one Grant covers it (VerdictAllow) and no Limit forbids it.
// A Grant that does not cover a request says why in its Decision; the
// reasons of all Grants are listed when the request is denied. With no
// Grant configured at all, every request is eligible.
type Grant interface {
	Policy
	Cover(q Query) Answer
}

// Limit is a policy that can forbid an otherwise eligible request
// (VerdictDeny).
type Limit interface {
	Policy
	Check(q Query) Answer
}

// Approver is a policy consulted once a request is eligible: VerdictAllow
// approves it at once (the case skips the merchant's review); VerdictDeny
// vetoes every automatic approval, whatever other Approvers say.
type Approver interface {
	Policy
	Approve(q Query) Answer
}

// Compensator is a policy consulted when a case enters refunding, or
// gets its goods back (its Query's Case is already there, with the kind it
// refunds as): it may add compensation lines paid by others than the
// buyer, such as the return freight, which the freight insurance and the
// merchant may share. The first Compensator that grants an amount above
// zero decides. What it decides is recorded with that event, so the
// payment instruction carries it, and refund_succeeded pays it.
type Compensator interface {
	Policy
	Compensate(q Query) ([]Compensation, Answer)
}

// Schedule is the policy that sets deadlines. Due returns when a case that
// is in state s since the given time next needs the system: for a waiting
// state, when its timeout passes; for a state with a service-level promise
// (refunding, arbitration, refund_failed), when the promise is broken. After
// a promise was broken once, Due is asked again with repeat set, for the
// next alert. The result must be after since; the Engine moves an earlier
// answer to one minute after since.
//
// Deadlines is the Schedule the Engine uses when the rules hold none.
type Schedule interface {
	Policy
	Due(q Query, s State, since time.Time, repeat bool) time.Time
}

// Query is what a policy sees: the order, the case in question (for a
// request, the case as it would open), the time of the decision and the
// platform's time zone.
type Query struct {
	Order *Order
	Case  *Case
	At    time.Time
	Zone  *time.Location
}

// Compensation is a line of money paid to the buyer on top of a refund,
// by someone other than the buyer's own payment.
type Compensation struct {
	Amount Money `json:"amount"`
	Payer  Payer `json:"payer"`
}

// Answer is what a policy says about a query: its verdict and the rule
// that decided it. The zero Answer says nothing (VerdictPass, no rule).
type Answer struct {
	Verdict Verdict
	Rule    *Rule
}

// decision returns the answer as the Decision the Engine records for the
// policy named policy.
func (a Answer) decision(policy string) Decision {
	d := Decision{Policy: policy, Verdict: a.Verdict}
	if a.Rule != nil {
		d.Rule, d.Zh, d.En = a.Rule.id, a.Rule.zh, a.Rule.en
	}
	return d
}

// Rule is one rule a policy applies: its stable id, such as
// "seven_day_no_reason.window_passed", and what it means in Chinese and
// English for the people involved. A Rule never changes once made, so a
// policy keeps its rules in package variables and shares them, as a
// package shares its sentinel errors; one whose message names a time or an
// amount is made when it is needed.
type Rule struct{ id, zh, en string }

// NewRule returns the rule with the given id and messages.
func NewRule(id, zh, en string) *Rule { return &Rule{id, zh, en} }

// ID returns the rule's id.
func (r *Rule) ID() string { return r.id }

// Zh returns what the rule means, in Chinese.
func (r *Rule) Zh() string { return r.zh }

// En returns what the rule means, in English.
func (r *Rule) En() string { return r.en }

// Decision is what a policy decided and why, as the Engine records it. Policy and Rule are stable
// identifiers (a rule id such as "seven_day_no_reason.window_passed"); Zh
// and En say the same in Chinese and English for the people involved.
type Decision struct {
	Policy  string  `json:"policy"`
	Rule    string  `json:"rule,omitzero"`
	Verdict Verdict `json:"verdict,omitzero"`
	Zh      string  `json:"zh,omitzero"`
	En      string  `json:"en,omitzero"`
}

// IsZero reports whether d records nothing.
func (d Decision) IsZero() bool {
	return d.Verdict == 0 && d.Policy == "" && d.Rule == "" && d.Zh == "" && d.En == ""
}

// Verdict is a policy's answer. The zero Verdict, VerdictPass, means the
// policy has nothing to say.
type Verdict uint8

// The verdicts.
const (
	VerdictPass  Verdict = iota // no opinion: the policy does not apply
	VerdictAllow                // covers, or approves
	VerdictDeny                 // does not cover, forbids, or vetoes
)

var verdictNames = [...]names{
	VerdictPass:  {"pass", "不适用"},
	VerdictAllow: {"allow", "通过"},
	VerdictDeny:  {"deny", "不通过"},
}

// String returns "pass", "allow" or "deny".
func (v Verdict) String() string {
	if v == VerdictPass {
		return "pass"
	}
	return enumString(verdictNames[:], v, "Verdict")
}

// Label returns the Chinese label.
func (v Verdict) Label() string { return verdictNames[min(int(v), len(verdictNames)-1)].zh }

// MarshalText returns the text form.
func (v Verdict) MarshalText() ([]byte, error) {
	if v == VerdictPass {
		return []byte("pass"), nil
	}
	return enumMarshal(verdictNames[:], v, "Verdict")
}

// UnmarshalText parses the text form.
func (v *Verdict) UnmarshalText(b []byte) error {
	if string(b) == "pass" {
		*v = VerdictPass
		return nil
	}
	return enumUnmarshal(verdictNames[:], b, v, "verdict")
}

// Rules is a versioned, ordered list of policies: the rule set a case opens
// under. Order matters where policies agree: the first Grant that covers a
// request, the first Approver that approves it and the first Compensator
// that grants an amount are the ones recorded.
//
// Rules is a value; its methods return changed copies and never touch the
// receiver's list. Policies are usually pointers (those of package policy
// always are), so changing a parameter of a policy found with Lookup
// changes it in every copy that shares it: call Replace with a new value
// to keep copies apart. Change a policy's parameters before handing the
// rules to New, not after: an Engine works some of them out once, when it
// is made, and reads the others as it runs.
type Rules struct {
	Version  string
	Policies []Policy
}

// Lookup returns the policy with the given name, or nil.
func (r Rules) Lookup(name string) Policy {
	for _, p := range r.Policies {
		if p != nil && p.Name() == name {
			return p
		}
	}
	return nil
}

// Without returns the rules without the named policies.
func (r Rules) Without(names ...string) Rules {
	r.Policies = slices.DeleteFunc(slices.Clone(r.Policies), func(p Policy) bool {
		return p != nil && slices.Contains(names, p.Name())
	})
	return r
}

// Replace returns the rules with p in place of the policy of the same
// name, or with p added at the end if there is none.
func (r Rules) Replace(p Policy) Rules {
	out := slices.Clone(r.Policies)
	for i, q := range out {
		if q != nil && q.Name() == p.Name() {
			out[i] = p
			r.Policies = out
			return r
		}
	}
	r.Policies = append(out, p)
	return r
}

// Insert returns the rules with p placed just before the named policy, or
// at the end if no policy has that name.
func (r Rules) Insert(before string, p Policy) Rules {
	i := slices.IndexFunc(r.Policies, func(q Policy) bool { return q != nil && q.Name() == before })
	if i < 0 {
		i = len(r.Policies)
	}
	r.Policies = slices.Insert(slices.Clone(r.Policies), i, p)
	return r
}
