package integration

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
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
//
// Beside the time of an update, each run reports where it went: the
// workflow tasks' time in the worker, as the SDK measures it (from
// taking a task to answering it, local activities included), and the
// processor time of this process (client and workers) and of the server,
// each per update.
func BenchmarkUpdateRoundTrip(b *testing.B) {
	srv := needServer(b)
	tasks := &taskTimes{byType: map[string]time.Duration{}}
	c, err := srv.DialWith(client.Options{MetricsHandler: tasks.handler(nil)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Close)
	m := meter{srv: srv, tasks: tasks}
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
		workflowType: "shouhou.Noop",
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
			workflowType: orderflow.WorkflowName,
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
					v.o.run(b, m, fmt.Sprintf("%s-%s", shape.name, v.name), shape.atOnce)
				})
			}
		})
	}
}

// orders drive one kind of workflow through the benchmark's path.
type orders struct {
	workflowType string // as the SDK's metrics name it
	start        func(id string) error
	send         func(id string, cmd aftersale.Command) error
	end          func(id string)
}

// path is the commands each workflow of the benchmark takes.
var path = []aftersale.Command{returnRefund, approve, shipReturn, receive, refundPaid}

// run sends b.N updates, path after path, each path to a workflow of its
// own started before the clock runs, atOnce workflows at a time.
func (o orders) run(b *testing.B, m meter, prefix string, atOnce int) {
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
	before := m.read(b, o.workflowType)
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
	m.report(b, before, m.read(b, o.workflowType))
	close(errs)
	for err := range errs {
		b.Error(err)
	}
	for _, id := range started {
		o.end(id)
	}
}

// meter reads what a run of updates cost beside its wall time.
type meter struct {
	srv   *temporaltest.Server
	tasks *taskTimes
}

type costs struct {
	tasks, process, server time.Duration
}

func (m meter) read(b *testing.B, workflowType string) costs {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	server, err := m.srv.CPU()
	if err != nil {
		b.Fatal(err)
	}
	return costs{
		tasks:   m.tasks.of(workflowType),
		process: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		server:  server,
	}
}

func (m meter) report(b *testing.B, before, after costs) {
	perUpdate := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "updates/s")
	b.ReportMetric(perUpdate(after.tasks-before.tasks), "task-µs/op")
	b.ReportMetric(perUpdate(after.process-before.process), "bench-cpu-µs/op")
	b.ReportMetric(perUpdate(after.server-before.server), "server-cpu-µs/op")
}

// taskTimes adds up the SDK's workflow task execution latency by
// workflow type.
type taskTimes struct {
	mu     sync.Mutex
	byType map[string]time.Duration
}

func (t *taskTimes) of(workflowType string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.byType[workflowType]
}

func (t *taskTimes) handler(tags map[string]string) client.MetricsHandler {
	return taskMetrics{t: t, tags: tags}
}

// taskMetrics is a client.MetricsHandler that keeps only the workflow
// task execution latency.
type taskMetrics struct {
	t    *taskTimes
	tags map[string]string
}

func (h taskMetrics) WithTags(tags map[string]string) client.MetricsHandler {
	merged := maps.Clone(h.tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, tags)
	return h.t.handler(merged)
}

func (h taskMetrics) Counter(name string) client.MetricsCounter {
	return client.MetricsNopHandler.Counter(name)
}

func (h taskMetrics) Gauge(name string) client.MetricsGauge {
	return client.MetricsNopHandler.Gauge(name)
}

func (h taskMetrics) Timer(name string) client.MetricsTimer {
	if name != "temporal_workflow_task_execution_latency" {
		return client.MetricsNopHandler.Timer(name)
	}
	return taskTimer(h)
}

type taskTimer taskMetrics

func (h taskTimer) Record(d time.Duration) {
	h.t.mu.Lock()
	defer h.t.mu.Unlock()
	h.t.byType[h.tags["workflow_type"]] += d
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
