package aftersale

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/shouhou/shouhou/timeline"
)

// Config configures an Engine. Its zero value is usable: no policies (so
// every request is eligible and goes to the merchant's review), the
// deadlines of RULES.md section 4, the machine's clock and the UTC+8 zone.
type Config struct {
	// Rules are the policies new cases open under.
	Rules Rules
	// Earlier are rule sets that cases opened before still follow: a case
	// keeps being decided under the version it opened with. Each needs a
	// distinct Version.
	Earlier []Rules
	// Clock is read by the methods without an explicit time (Apply,
	// Advance). Nil: the machine's clock.
	Clock timeline.Clock
	// Zone is the platform's time zone, in which calendar days and business
	// days are counted. Nil: timeline.UTC8().
	Zone *time.Location
}

// Engine applies commands and deadlines to orders and their cases under a
// set of rules. It holds no cases: the host loads an Order, hands it to the
// Engine with a command or a time, and persists the Order it gets back.
//
// An Engine never changes after New and is safe for concurrent use by many
// goroutines, as long as each Order is used by one goroutine at a time and
// the policies are safe for concurrent reads (the shipped ones are).
type Engine struct {
	current *ruleset
	earlier []*ruleset
	clock   timeline.Clock
	zone    *time.Location
	zones   checkedZones // zonesOf(zone)
}

// ruleset is a Rules sorted by what each policy does, so applying a command
// walks short typed slices instead of asking every policy what it is.
type ruleset struct {
	version      string
	grants       []Grant
	limits       []Limit
	approvers    []Approver
	compensators []Compensator
	schedule     Schedule
	timeouts     *Deadlines               // the schedule, when it is Deadlines
	fixed        [numStates]time.Duration // its durations that are the same for every case of a state
	realert      time.Duration            // and its wait between alerts
	timeoutNotes [numStates]Decision      // what a state's timeout records, by state
}

// New returns an Engine for cfg. It returns an ErrInvalidInput error, and
// no Engine, if a policy is nil (or a nil pointer), has no name, shares its
// name with another, does none of the things a policy can do, is a second
// Schedule, or fails its own Validate; or if two rule sets share a
// version.
func New(cfg Config) (*Engine, error) {
	e := &Engine{clock: cfg.Clock, zone: cfg.Zone}
	if e.clock == nil {
		e.clock = timeline.System{}
	}
	if e.zone == nil {
		e.zone = timeline.UTC8()
	}
	e.zones = zonesOf(e.zone)
	var err error
	if e.current, err = compile(cfg.Rules); err != nil {
		return nil, err
	}
	seen := map[string]bool{cfg.Rules.Version: true}
	for _, r := range cfg.Earlier {
		if seen[r.Version] {
			return nil, refuse(ErrInvalidInput, "rules.duplicate_version", fmt.Sprintf("two rule sets have version %q", r.Version),
				"有两套规则的版本号都是“"+r.Version+"”")
		}
		seen[r.Version] = true
		rs, err := compile(r)
		if err != nil {
			return nil, err
		}
		e.earlier = append(e.earlier, rs)
	}
	return e, nil
}

func compile(r Rules) (*ruleset, error) {
	rs := &ruleset{version: r.Version}
	names := map[string]bool{}
	for i, p := range r.Policies {
		if p == nil {
			return nil, refuse(ErrInvalidInput, "rules.nil_policy", fmt.Sprintf("rules %q: policy %d is nil", r.Version, i+1),
				"规则“"+r.Version+"”的第"+strconv.Itoa(i+1)+"项政策为空")
		}
		if v := reflect.ValueOf(p); v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, refuse(ErrInvalidInput, "rules.nil_policy", fmt.Sprintf("rules %q: policy %d is a nil %T", r.Version, i+1, p),
				"规则“"+r.Version+"”的第"+strconv.Itoa(i+1)+"项政策为空")
		}
		name := p.Name()
		if name == "" {
			return nil, refuse(ErrInvalidInput, "rules.unnamed_policy", fmt.Sprintf("rules %q: policy %d (%T) has no name", r.Version, i+1, p),
				"规则“"+r.Version+"”的第"+strconv.Itoa(i+1)+"项政策没有名称")
		}
		if names[name] {
			return nil, refuse(ErrInvalidInput, "rules.duplicate_policy", fmt.Sprintf("rules %q: two policies are named %q", r.Version, name),
				"规则“"+r.Version+"”中有两项政策都叫“"+name+"”")
		}
		names[name] = true
		used := false
		if g, ok := p.(Grant); ok {
			rs.grants, used = append(rs.grants, g), true
		}
		if l, ok := p.(Limit); ok {
			rs.limits, used = append(rs.limits, l), true
		}
		if a, ok := p.(Approver); ok {
			rs.approvers, used = append(rs.approvers, a), true
		}
		if c, ok := p.(Compensator); ok {
			rs.compensators, used = append(rs.compensators, c), true
		}
		if s, ok := p.(Schedule); ok {
			if rs.schedule != nil {
				return nil, refuse(ErrInvalidInput, "rules.two_schedules", fmt.Sprintf("rules %q: %q and %q are both schedules", r.Version, rs.schedule.Name(), name),
					"规则“"+r.Version+"”中“"+rs.schedule.Name()+"”和“"+name+"”都在设定时限，只能有一项")
			}
			rs.schedule, used = s, true
		}
		if !used {
			return nil, refuse(ErrInvalidInput, "rules.no_role", fmt.Sprintf("rules %q: policy %q (%T) is not a Grant, Limit, Approver, Compensator or Schedule", r.Version, name, p),
				"规则“"+r.Version+"”中的政策“"+name+"”不属于任何一类政策（准入、限制、审批、补偿、时限）")
		}
		if v, ok := p.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				zh := "规则“" + r.Version + "”中政策“" + name + "”的参数有误"
				if pe := (*Error)(nil); errors.As(err, &pe) && pe.Zh != "" {
					zh = pe.Zh // it names the policy and the parameter
				}
				return nil, &Error{Code: ErrInvalidInput, Rule: "rules.bad_parameter", Message: fmt.Sprintf("rules %q: policy %q: %v", r.Version, name, trimPrefix(err)), Zh: zh, Err: err}
			}
		}
	}
	// The Engine's own schedule is called directly, not through the
	// interface: it is asked at every step.
	switch t := rs.schedule.(type) {
	case nil:
		rs.schedule, rs.timeouts = Deadlines{}, new(Deadlines)
	case Deadlines:
		rs.timeouts = &t
	case *Deadlines:
		own := *t // the Engine reads its schedule as it was at New, all of it
		rs.timeouts = &own
	}
	if rs.timeouts != nil {
		rs.fixed, rs.realert = rs.timeouts.fixed()
	}
	rs.timeoutNotes = timeoutDecisions(rs.schedule)
	return rs, nil
}

// Version returns the version of the rules new cases open under.
func (e *Engine) Version() string { return e.current.version }

// rulesFor returns the rules a case follows: those of the version it
// opened under. checkRules has made sure the Engine holds them.
func (e *Engine) rulesFor(c *Case) *ruleset {
	if c.policy == e.current.version {
		return e.current
	}
	for _, rs := range e.earlier {
		if rs.version == c.policy {
			return rs
		}
	}
	return e.current
}

// checkRules makes sure the Engine holds the rules of every open case of
// the order, so a case is never decided under rules it did not open with.
func (e *Engine) checkRules(o *Order) error {
next:
	for _, c := range o.cases {
		if !c.Open() || c.policy == e.current.version {
			continue
		}
		for _, rs := range e.earlier {
			if rs.version == c.policy {
				continue next
			}
		}
		return refuse(ErrConflict, "rules.not_held", "case "+c.id+" opened under rules "+strconv.Quote(c.policy)+", which this engine does not hold (see Config.Earlier)",
			"售后单"+c.id+"按规则“"+c.policy+"”开立，当前没有这套规则，无法处理")
	}
	return nil
}

// trimPrefix returns err's message without the "aftersale: <code>: " a
// policy's error of this package starts with, so a wrapped one reads once.
func trimPrefix(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Err == nil {
		return e.Message
	}
	return err.Error()
}
