package orderflow

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
)

// orderState is what one run of the workflow holds: the order, the outbox's
// watermark and the run's settings from its Input.
type orderState struct {
	flow      *Flow
	order     *aftersale.Order
	delivered aftersale.Delivered
	remote    bool // Input.RemoteDelivery
	// lastChange is when the order last changed in this run, or when the
	// run started: Linger counts from it.
	lastChange    time.Time
	linger_       time.Duration
	continueAfter int
	timers        timers
}

func (f *Flow) load(in Input) (*orderState, error) {
	// The order arrives decoded, and so replayed and checked, by the data
	// converter. Copy it, so the run owns what it changes.
	s := &orderState{flow: f, linger_: in.Linger, continueAfter: in.ContinueAfter, remote: in.RemoteDelivery}
	s.order = in.Order.Clone()
	if err := s.order.Validate(); err != nil {
		return nil, err
	}
	s.delivered = aftersale.Delivered{}
	for _, c := range s.order.Cases() { // not the map: the order's own order
		if v, ok := in.Delivered[c.ID()]; ok {
			s.delivered[c.ID()] = v
		}
	}
	return s, nil
}

func (s *orderState) version() int { return s.order.Version() }

func (s *orderState) linger() time.Duration {
	if s.linger_ <= 0 {
		return DefaultLinger
	}
	return s.linger_
}

// now is the workflow's time in the platform's zone, so events read as a
// scenario written in that zone would have them.
func (s *orderState) now(ctx workflow.Context) time.Time {
	return workflow.Now(ctx).In(s.flow.zone)
}

// changed records that the order moved on.
func (s *orderState) changed(ctx workflow.Context) {
	s.lastChange = s.now(ctx)
}

// validate runs cmd on a copy of the order, at the time the handler will
// run it: a command the copy refuses is refused before it reaches the
// history, and one it accepts will be accepted by the handler.
func (s *orderState) validate(ctx workflow.Context, cmd aftersale.Command) error {
	if _, err := s.flow.engine.ApplyAt(s.now(ctx), s.order.Clone(), cmd); err != nil {
		return refusal(err)
	}
	return nil
}

// apply runs cmd on the order.
func (s *orderState) apply(ctx workflow.Context, cmd aftersale.Command) (Outcome, error) {
	out, err := s.flow.engine.ApplyAt(s.now(ctx), s.order, cmd)
	if err != nil {
		return Outcome{}, refusal(err)
	}
	s.changed(ctx)
	return outcomeOf(out, s.order), nil
}

// advance fires the deadlines due now.
func (s *orderState) advance(ctx workflow.Context) error {
	changes, err := s.flow.engine.AdvanceTo(s.now(ctx), s.order)
	if err != nil {
		return fmt.Errorf("orderflow: advance order %s: %w", s.order.ID, err)
	}
	if len(changes) > 0 {
		s.changed(ctx)
	}
	return nil
}

// continueNow says whether the run's history is long enough to go on in a
// new run.
func (s *orderState) continueNow(ctx workflow.Context) bool {
	info := workflow.GetInfo(ctx)
	limit := s.continueAfter
	if limit <= 0 {
		limit = DefaultContinueAfter
	}
	return info.GetCurrentHistoryLength() >= limit || info.GetContinueAsNewSuggested()
}

// input is the run's state as the next run's Input.
func (s *orderState) input() Input {
	in := Input{Linger: s.linger_, ContinueAfter: s.continueAfter, RemoteDelivery: s.remote}
	in.Order = *s.order.Clone()
	if len(s.delivered) > 0 {
		in.Delivered = s.delivered
	}
	return in
}
