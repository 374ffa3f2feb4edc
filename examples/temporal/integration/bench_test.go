package integration

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
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
// workflow, started with the clock stopped. In "sequential", one order at
// a time: each round trip also waits behind the deliveries of the update
// before it. In "concurrent", 8 orders at once, each sending its commands
// in turn, as a host with many orders does.
//
//	go test -run '^$' -bench UpdateRoundTrip -benchtime 400x ./integration
func BenchmarkUpdateRoundTrip(b *testing.B) {
	c := dial(b)
	// Receivers in memory, so that the figures are the adapter's and
	// Temporal's, not the demo ledger's file system's.
	sink := &memorySink{done: map[string]bool{}}
	acts := &orderflow.Activities{Payments: sink, Messages: sink}
	fc := startWorkerWith(b, c, acts, orderflow.Options{})
	// The no-op workflow runs on a worker of its own queue, as the
	// adapter does.
	noopQueue := freshQueue()
	w := worker.New(c, noopQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(noopWorkflow, workflow.RegisterOptions{Name: "shouhou.Noop"})
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(w.Stop)
	ctx := context.Background()

	noop := orders{
		start: func(id string) error {
			_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: noopQueue}, "shouhou.Noop")
			return err
		},
		send: func(id string, cmd aftersale.Command) error {
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: id, UpdateName: "noop", Args: []any{cmd},
				WaitForStage: client.WorkflowUpdateStageCompleted,
			})
			if err != nil {
				return err
			}
			var echo aftersale.Command
			return h.Get(ctx, &echo)
		},
		end: func(id string) { c.TerminateWorkflow(ctx, id, "", "benchmark done with it") },
	}
	adapter := func(remote bool) orders {
		return orders{
			start: func(id string) error {
				// Started before the clock runs, so they must not end
				// before their turn: the benchmark ends them.
				_, err := fc.Start(ctx, orderflow.Input{Order: delivered(id), Linger: time.Hour, RemoteDelivery: remote})
				return err
			},
			send: func(id string, cmd aftersale.Command) error {
				_, err := fc.Send(ctx, id, cmd)
				return err
			},
			end: noop.end,
		}
	}
	variants := []struct {
		name string
		o    orders
	}{{"noop", noop}, {"adapter", adapter(false)}, {"adapter_remote_delivery", adapter(true)}}
	for _, shape := range []struct {
		name   string
		atOnce int
	}{{"sequential", 1}, {"concurrent", 8}} {
		b.Run(shape.name, func(b *testing.B) {
			for _, v := range variants {
				b.Run(v.name, func(b *testing.B) {
					v.o.run(b, fmt.Sprintf("%s-%s", shape.name, v.name), shape.atOnce)
				})
			}
		})
	}
}

// orders drive one kind of workflow through the benchmark's path.
type orders struct {
	start func(id string) error
	send  func(id string, cmd aftersale.Command) error
	end   func(id string)
}

// path is the commands each workflow of the benchmark takes.
var path = []aftersale.Command{returnRefund, approve, shipReturn, receive, refundPaid}

// run sends b.N updates, path after path, each path to a workflow of its
// own started before the clock runs, atOnce workflows at a time.
func (o orders) run(b *testing.B, prefix string, atOnce int) {
	ids := make(chan string, b.N/len(path)+1)
	var started []string
	for n := 0; n*len(path) < b.N; n++ {
		id := fmt.Sprintf("%s-%d-%d", prefix, b.N, n)
		if err := o.start(id); err != nil {
			b.Fatal(err)
		}
		started = append(started, id)
		ids <- id
	}
	close(ids)
	var left atomic.Int64
	left.Store(int64(b.N))
	errs := make(chan error, atOnce)
	b.ResetTimer()
	var wg sync.WaitGroup
	for range atOnce {
		wg.Go(func() {
			for id := range ids {
				for _, cmd := range path {
					if left.Add(-1) < 0 {
						return
					}
					if err := o.send(id, cmd); err != nil {
						errs <- fmt.Errorf("%s: %s: %w", id, cmd.Action, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	close(errs)
	for err := range errs {
		b.Error(err)
	}
	for _, id := range started {
		o.end(id)
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
