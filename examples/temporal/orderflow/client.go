package orderflow

import (
	"context"
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/client"

	"github.com/shouhou/shouhou/aftersale"
)

// Client starts order workflows, sends them commands and reads them, for a
// host's services and merchant tools. Its zero value is not usable: it
// needs a Temporal client and the task queue the workers poll.
type Client struct {
	Temporal  client.Client
	TaskQueue string
}

// Start starts the workflow of in.Order, with the order's ID as the
// workflow ID. Starting an order whose workflow is running is an error.
func (c Client) Start(ctx context.Context, in Input) (client.WorkflowRun, error) {
	if in.Order.ID == "" {
		return nil, fmt.Errorf("orderflow: the order has no ID")
	}
	return c.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        in.Order.ID,
		TaskQueue: c.TaskQueue,
	}, WorkflowName, in)
}

// Send sends cmd to the order's workflow and waits for its outcome. A
// refused command returns an error Refusal reads the engine's refusal
// from; it left no trace in the workflow's history. A command with a Key
// is sent as the update of that ID, so sending it again while the run
// lasts returns the first outcome.
func (c Client) Send(ctx context.Context, orderID string, cmd aftersale.Command) (Outcome, error) {
	h, err := c.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   orderID,
		UpdateID:     cmd.Key,
		UpdateName:   UpdateCommand,
		Args:         []any{cmd},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return Outcome{}, err
	}
	var out Outcome
	if err := h.Get(ctx, &out); err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// Order returns the order as its workflow holds it now.
func (c Client) Order(ctx context.Context, orderID string) (*aftersale.Order, error) {
	var doc json.RawMessage
	if err := c.query(ctx, orderID, QueryOrder, &doc); err != nil {
		return nil, err
	}
	o := new(aftersale.Order)
	if err := json.Unmarshal(doc, o); err != nil {
		return nil, fmt.Errorf("orderflow: order %s: %w", orderID, err)
	}
	return o, nil
}

// Cases returns the order's cases: where each stands and who must act.
func (c Client) Cases(ctx context.Context, orderID string) ([]CaseStatus, error) {
	var cases []CaseStatus
	err := c.query(ctx, orderID, QueryCases, &cases)
	return cases, err
}

// Allowed returns the moves actor may make on the order's case now.
func (c Client) Allowed(ctx context.Context, orderID, caseID string, actor aftersale.Actor) ([]aftersale.Move, error) {
	var moves []aftersale.Move
	err := c.query(ctx, orderID, QueryAllowed, &moves, caseID, actor)
	return moves, err
}

// Outbox returns what the workflow delivered and what it has yet to.
func (c Client) Outbox(ctx context.Context, orderID string) (Outbox, error) {
	var box Outbox
	err := c.query(ctx, orderID, QueryOutbox, &box)
	return box, err
}

func (c Client) query(ctx context.Context, orderID, name string, v any, args ...any) error {
	res, err := c.Temporal.QueryWorkflow(ctx, orderID, "", name, args...)
	if err != nil {
		return err
	}
	return res.Get(v)
}
