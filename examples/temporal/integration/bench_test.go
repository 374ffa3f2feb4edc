package integration

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

// The benchmark sends update after update, each waiting for its result,
// through the order workflow (the adapter) and through a workflow whose
// update does nothing (Temporal's own floor), on the same server in the
// same run. Both take the same number of updates per workflow: the five
// commands of a return and refund, request to refund, then a new
// workflow, started with the clock stopped.
//
//	go test -run '^$' -bench UpdateRoundTrip -benchtime 400x ./integration
func BenchmarkUpdateRoundTrip(b *testing.B) {
	c := dial(b)
	// Receivers in memory, so that the figures are the adapter's and
	// Temporal's, not the demo ledger's file system's.
	sink := &memorySink{done: map[string]bool{}}
	acts := &orderflow.Activities{Payments: sink, Messages: sink}
	fc := startWorkerWith(b, c, acts, orderflow.Options{})
	local := startWorkerWith(b, c, acts, orderflow.Options{LocalDelivery: true})
	// The no-op workflow runs on a worker of its own queue, as the
	// adapter does.
	noopQueue := freshQueue()
	w := worker.New(c, noopQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(noopWorkflow, workflow.RegisterOptions{Name: "shouhou.Noop"})
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(w.Stop)

	path := []aftersale.Command{returnRefund, approve, shipReturn, receive, refundPaid}
	ctx := context.Background()

	b.Run("noop", func(b *testing.B) {
		n := 0
		id := ""
		for i := 0; b.Loop(); i++ {
			if i%len(path) == 0 {
				b.StopTimer()
				if id != "" {
					c.TerminateWorkflow(ctx, id, "", "benchmark done with it")
				}
				n++
				id = fmt.Sprintf("noop-%d-%d", b.N, n)
				if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: noopQueue}, "shouhou.Noop"); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: id, UpdateName: "noop", Args: []any{path[i%len(path)]},
				WaitForStage: client.WorkflowUpdateStageCompleted,
			})
			if err != nil {
				b.Fatal(err)
			}
			var echo aftersale.Command
			if err := h.Get(ctx, &echo); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	})

	for _, a := range []struct {
		name string
		fc   orderflow.Client
	}{{"adapter", fc}, {"adapter_local_delivery", local}} {
		b.Run(a.name, func(b *testing.B) {
			n := 0
			id := ""
			for i := 0; b.Loop(); i++ {
				if i%len(path) == 0 {
					b.StopTimer()
					n++
					id = fmt.Sprintf("%s-%d-%d", a.name, b.N, n)
					if _, err := a.fc.Start(ctx, orderflow.Input{Order: delivered(id), Linger: time.Second}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				if _, err := a.fc.Send(ctx, id, path[i%len(path)]); err != nil {
					b.Fatalf("%s: %s: %v", id, path[i%len(path)].Action, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
		})
	}
}

// noopWorkflow takes updates that return their argument and waits to be
// terminated.
func noopWorkflow(ctx workflow.Context) error {
	err := workflow.SetUpdateHandlerWithOptions(ctx, "noop",
		func(ctx workflow.Context, cmd aftersale.Command) (aftersale.Command, error) { return cmd, nil },
		workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context, cmd aftersale.Command) error { return nil }})
	if err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return false })
}

// memorySink does each instruction once by its key, in memory.
type memorySink struct {
	mu   sync.Mutex
	done map[string]bool
}

func (m *memorySink) once(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done[key] = true
	return nil
}

func (m *memorySink) Refund(_ context.Context, ef aftersale.Effect) error { return m.once(ef.Key) }
func (m *memorySink) Notify(_ context.Context, ef aftersale.Effect) error { return m.once(ef.ID) }
func (m *memorySink) Alert(_ context.Context, ef aftersale.Effect) error  { return m.once(ef.ID) }
