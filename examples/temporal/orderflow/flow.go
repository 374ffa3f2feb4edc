package orderflow

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/timeline"
)

// The names the workflow, its update and its queries are registered
// under. Clients in other languages address them by these names.
const (
	WorkflowName = "shouhou.Order"
	// UpdateCommand takes an aftersale.Command in its JSON form and
	// returns an Outcome.
	UpdateCommand = "command"
	// QueryOrder returns the order in its stored JSON form.
	QueryOrder = "order"
	// QueryCases returns a []CaseStatus: each case's state and who must act.
	QueryCases = "cases"
	// QueryAllowed takes a case ID and an actor and returns the
	// []aftersale.Move that actor may make on the case now.
	QueryAllowed = "allowed"
	// QueryNext returns the order's next deadline as a *aftersale.Upcoming,
	// or null when no case is open.
	QueryNext = "next"
	// QueryOutbox returns an Outbox: what went out and what is pending.
	QueryOutbox = "outbox"
)

// DefaultTaskQueue is the task queue the example's worker and starter use
// unless told otherwise.
const DefaultTaskQueue = "shouhou-orders"

// Defaults of Input's zero fields.
const (
	DefaultLinger        = 30 * 24 * time.Hour
	DefaultContinueAfter = 2000
)

// Input starts a run of the workflow: the order as stored (its facts and
// any cases) and the outbox's watermark. Continue-As-New passes the same
// shape on, so a new run starts exactly where the old one stopped, and the
// workflow's result is one too: a host keeps it as the order's record.
type Input struct {
	Order     aftersale.Order     `json:"order"`
	Delivered aftersale.Delivered `json:"delivered,omitempty"`
	// Linger is how long the workflow stays open once no case is open
	// and nothing happens; a request in that time opens a new case in the
	// same workflow. Zero: DefaultLinger.
	Linger time.Duration `json:"linger,omitzero"`
	// ContinueAfter is the history length, in events, past which the run
	// continues as new. Zero: DefaultContinueAfter. The server's own
	// suggestion to continue as new is followed too.
	ContinueAfter int `json:"continue_after,omitzero"`
	// RemoteDelivery delivers effects as ordinary activities, each run by
	// whichever worker of the task queue polls it, instead of as local
	// activities run by the worker that recorded their event (the
	// default). Choose it for receivers that may take seconds to answer.
	// It is part of the input, not of the worker's Options, because it
	// changes what the history records: a workflow keeps the mode it was
	// started with, across Continue-As-New, whatever its workers run.
	RemoteDelivery bool `json:"remote_delivery,omitzero"`
}

// Flow is the workflow of one order, for a given rule set: register it on
// a worker with Register. Rules are part of the workflow's code: a worker
// that replays a history must run the rules the history was made under,
// as the cases record (Case.PolicyVersion).
type Flow struct {
	engine   *aftersale.Engine
	zone     *time.Location
	activity workflow.ActivityOptions
}

// Options tune how the workflow delivers effects. The zero Options are the
// defaults.
type Options struct {
	// ActivityTimeout bounds one attempt at delivering an event's effects;
	// an attempt that timed out, or whose worker died, is tried again.
	// Zero: 30 seconds.
	ActivityTimeout time.Duration
}

// New returns the workflow for the rules and zone of cfg. cfg.Clock is not
// used: the workflow's clock is Temporal's (workflow.Now).
func New(cfg aftersale.Config, opts Options) (*Flow, error) {
	e, err := aftersale.New(cfg)
	if err != nil {
		return nil, err
	}
	zone := cfg.Zone
	if zone == nil {
		zone = timeline.UTC8()
	}
	f := &Flow{engine: e, zone: zone, activity: activityOptions}
	if opts.ActivityTimeout > 0 {
		f.activity.StartToCloseTimeout = opts.ActivityTimeout
	}
	return f, nil
}

// Registrar is what Register needs: a worker.Worker, a
// worker.WorkflowReplayer or the test suite's environment.
type Registrar interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

var _ Registrar = worker.Worker(nil)

// Register registers the workflow under WorkflowName.
func (f *Flow) Register(r Registrar) {
	r.RegisterWorkflowWithOptions(f.Run, workflow.RegisterOptions{Name: WorkflowName})
}

// Run is the workflow: it holds the order, applies commands sent as
// updates, sleeps until the order's next deadline and fires it, and
// delivers every effect through activities.
//
// Cancelling the workflow stops the order's clock: no deadline fires and
// no command is taken after it, but the effects already owed still go out
// before the workflow ends as cancelled.
func (f *Flow) Run(ctx workflow.Context, in Input) (Input, error) {
	s, err := f.load(in)
	if err != nil {
		return Input{}, err
	}
	if err := s.register(ctx); err != nil {
		return Input{}, err
	}
	out, err := s.run(ctx)
	if temporal.IsCanceledError(err) {
		if derr := s.deliver(ctx); derr != nil {
			return Input{}, derr
		}
	}
	return out, err
}

func (s *orderState) run(ctx workflow.Context) (Input, error) {
	for {
		// Taken before delivering: a command handled while an activity
		// runs is a change the wait below must not miss.
		seen := s.version()
		if err := s.deliver(ctx); err != nil {
			return Input{}, err
		}
		if s.continueNow(ctx) {
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return Input{}, err
			}
			return Input{}, workflow.NewContinueAsNewError(ctx, WorkflowName, s.input())
		}
		if s.version() != seen {
			continue
		}
		now := s.now(ctx)
		next, open := s.order.Next()
		wake := s.lastChange.Add(s.linger())
		if open {
			wake = next.Deadline.At
		}
		switch {
		case now.Before(wake):
			s.timers.arm(ctx, now, wake, timerSummary(next, open))
			if err := workflow.Await(ctx, func() bool { return s.version() != seen || s.timers.fired() }); err != nil {
				return Input{}, err
			}
			if err := s.timers.collect(ctx); err != nil {
				return Input{}, err
			}
		case open:
			if err := s.advance(ctx); err != nil {
				return Input{}, err
			}
		default:
			// Nothing open and nothing happened for Linger: the order's
			// after-sale life is over. Let handlers that slipped in finish.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return Input{}, err
			}
			if s.version() == seen {
				return s.input(), nil
			}
		}
	}
}

// timerSummary names the timer in the Temporal UI.
func timerSummary(next aftersale.Upcoming, open bool) string {
	if !open {
		return "linger"
	}
	return fmt.Sprintf("%s %s: %s", next.Case, next.Deadline.At.Format(time.RFC3339), next.Action)
}
