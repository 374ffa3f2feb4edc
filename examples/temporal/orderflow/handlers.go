package orderflow

import (
	"encoding/json"

	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
)

// CaseStatus is one case as a merchant tool lists it: where it stands,
// who must act, and what happens next, and when.
type CaseStatus struct {
	ID       string          `json:"id"`
	Kind     aftersale.Kind  `json:"kind"`
	State    aftersale.State `json:"state"`
	Open     bool            `json:"open"`
	Amount   aftersale.Money `json:"amount"`
	Refunded aftersale.Money `json:"refunded"`
	Version  int             `json:"version"`
	// Waiting is whose move it is; zero once the case is over.
	Waiting aftersale.Actor `json:"waiting,omitzero"`
	// Next says what happens if nobody acts, in words too (zh, en).
	Next aftersale.Next `json:"next"`
}

// Outbox is the workflow's delivery of effects: the watermark and the
// effects not yet delivered.
type Outbox struct {
	Delivered aftersale.Delivered `json:"delivered"`
	Pending   []aftersale.Effect  `json:"pending"`
}

func (s *orderState) register(ctx workflow.Context) error {
	s.lastChange = s.now(ctx)
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateCommand,
		func(ctx workflow.Context, cmd aftersale.Command) (Outcome, error) { return s.apply(ctx, cmd) },
		workflow.UpdateHandlerOptions{
			Validator:   func(ctx workflow.Context, cmd aftersale.Command) error { return s.validate(ctx, cmd) },
			Description: "an after-sale command (aftersale.Command in its JSON form); refused commands never reach the history",
		})
	if err != nil {
		return err
	}
	queries := []struct {
		name    string
		handler any
	}{
		{QueryOrder, func() (json.RawMessage, error) { return json.Marshal(s.order) }},
		{QueryCases, func() ([]CaseStatus, error) { return s.cases(), nil }},
		{QueryAllowed, func(caseID string, actor aftersale.Actor) ([]aftersale.Move, error) {
			return s.order.Allowed(caseID, actor), nil
		}},
		{QueryNext, func() (*aftersale.Upcoming, error) {
			if next, ok := s.order.Next(); ok {
				return &next, nil
			}
			return nil, nil
		}},
		{QueryOutbox, func() (Outbox, error) {
			return Outbox{Delivered: s.delivered, Pending: s.delivered.Pending(s.order)}, nil
		}},
	}
	for _, q := range queries {
		if err := workflow.SetQueryHandler(ctx, q.name, q.handler); err != nil {
			return err
		}
	}
	return nil
}

func (s *orderState) cases() []CaseStatus {
	cases := s.order.Cases()
	out := make([]CaseStatus, 0, len(cases))
	for _, c := range cases {
		next := c.Next()
		out = append(out, CaseStatus{
			ID: c.ID(), Kind: c.Kind(), State: c.State(), Open: c.Open(),
			Amount: c.Amount(), Refunded: c.Refunded(), Version: c.Version(),
			Waiting: next.Waiting, Next: next,
		})
	}
	return out
}
