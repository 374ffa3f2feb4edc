package integration

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/internal/workerproc"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

// workerProcess starts this test binary as a worker process of cfg.
func workerProcess(t *testing.T, cfg workerproc.Config) *exec.Cmd {
	t.Helper()
	doc, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), workerEnv+"="+string(doc))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd
}

// A worker process killed with SIGKILL in the middle of a case, while it
// delivers an effect, loses nothing: the merchant's review deadline passes
// while no worker runs, and a new worker process fires it when it comes
// up, retries the delivery that was cut, and takes the case on to its
// refund. Every effect is done once, and the workflow scheduled the
// delivery of each event once, over every run it continued as new into.
func TestWorkerKilledMidCaseLosesNothingAndDoesNothingTwice(t *testing.T) {
	srv := needServer(t)
	c := dial(t)
	ctx := ctxFor(t, 3*time.Minute)
	ledgerDir := t.TempDir()
	ledger, err := demosink.Open(ledgerDir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := workerproc.Config{
		HostPort: srv.HostPort, Namespace: "shouhou", TaskQueue: freshQueue(), Ledger: ledgerDir,
		// The shortest review the rules take, so the deadline passes
		// within the test.
		Rules:           []byte(`{"deadlines": {"review": "1m"}}`),
		ActivityTimeout: 3 * time.Second,
		DeliveryDelay:   time.Second,
	}
	fc := orderflow.Client{Temporal: c, TaskQueue: cfg.TaskQueue}
	first := workerProcess(t, cfg)

	const id = "o-killed"
	run, err := fc.Start(ctx, orderflow.Input{Order: delivered(id), Linger: time.Second, ContinueAfter: 30})
	if err != nil {
		t.Fatal(err)
	}
	out, err := fc.Send(ctx, id, returnRefund)
	if err != nil {
		t.Fatal(err)
	}
	requested := out.Event.At
	if out.State != aftersale.StatePendingReview {
		t.Fatalf("request: state %s, want pending_review", out.State)
	}
	// Kill the worker once it has started the request's notice to the
	// merchant, which takes a second.
	waitActivityStarted(t, ctx, fc, id)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	if j, err := ledger.Journal(); err != nil || len(j) != 0 {
		t.Fatalf("the ledger got %v (%v) before the kill, want nothing yet", j, err)
	}

	// No worker runs while the review deadline passes.
	select {
	case <-time.After(time.Until(requested.Add(time.Minute + 2*time.Second))):
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	cfg.DeliveryDelay = 0
	second := workerProcess(t, cfg)

	// The new worker fires the deadline: the system approves in the
	// merchant's place, at the deadline.
	waitState(t, ctx, fc, id, aftersale.StateAwaitingReturn)
	o, err := fc.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ev := o.Case("c1").Events()[1]
	if ev.Actor != aftersale.ActorSystem || ev.Action != aftersale.ActionApprove || !ev.At.Equal(requested.Add(time.Minute)) {
		t.Errorf("event 2: %s %s at %s, want the system's approval at %s", ev.Actor, ev.Action, ev.At, requested.Add(time.Minute))
	}
	for _, cmd := range []aftersale.Command{shipReturn, receive} {
		if _, err := fc.Send(ctx, id, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}
	waitDelivered(t, ctx, fc, id) // the refund instruction has gone out
	if _, err := fc.Send(ctx, id, refundPaid); err != nil {
		t.Fatal(err)
	}

	// Done and lingered a second, the workflow ends with the order.
	var final orderflow.Input
	if err := c.GetWorkflow(ctx, id, "").Get(ctx, &final); err != nil {
		t.Fatal(err)
	}
	second.Process.Signal(syscall.SIGTERM)
	second.Wait()
	fc1 := final.Order.Case("c1")
	if fc1.State() != aftersale.StateRefunded || fc1.Refunded() != aftersale.Yuan(299) {
		t.Fatalf("final case: %s, refunded %s; want refunded 299.00", fc1.State(), fc1.Refunded())
	}

	// Each effect the order calls for was done once, and no other.
	var want []string
	for _, ef := range aftersale.Delivered(nil).Pending(&final.Order) {
		if ef.Kind != aftersale.EffectWake {
			want = append(want, ef.ID)
		}
	}
	slices.Sort(want)
	var done []string
	for _, kind := range []string{demosink.Refunds, demosink.Notices, demosink.Alerts} {
		efs, err := ledger.Done(kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, ef := range efs {
			done = append(done, ef.ID)
		}
	}
	slices.Sort(done)
	if diff := cmp.Diff(want, done); diff != "" {
		t.Errorf("effects done (-the order's +the ledger's):\n%s", diff)
	}
	// The workflow scheduled each event's delivery once, over all its runs.
	histories := runs(t, ctx, c, id, run.GetRunID())
	if len(histories) < 2 {
		t.Errorf("the workflow ran %d run(s); with ContinueAfter 30 it should have continued as new", len(histories))
	}
	events := deliveryIDs(aftersale.Delivered(nil).Pending(&final.Order))
	counts := scheduled(histories)
	var twice []string
	for _, id := range events {
		if counts[id] != 1 {
			twice = append(twice, id)
		}
	}
	if len(twice) > 0 || len(counts) != len(events) {
		t.Errorf("deliveries scheduled: %v; want each of %v once", counts, events)
	}
	// The delivery the kill cut was tried again, by the new worker.
	retried := false
	for _, events := range histories {
		for _, ev := range events {
			if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && a.GetAttempt() > 1 {
				retried = true
			}
		}
	}
	if !retried {
		t.Error("no delivery was tried again: the kill did not land in the middle of one")
	}
	// And nothing was done twice.
	journal, err := ledger.Journal()
	if err != nil {
		t.Fatal(err)
	}
	doneTimes := map[string]int{}
	for _, e := range journal {
		if e.Done {
			doneTimes[e.Kind+" "+e.Key]++
		}
	}
	for k, n := range doneTimes {
		if n != 1 {
			t.Errorf("%s done %d times", k, n)
		}
	}
}

// waitState waits until the order's case c1 is in state s.
func waitState(t *testing.T, ctx context.Context, fc orderflow.Client, id string, s aftersale.State) {
	t.Helper()
	for {
		cases, err := fc.Cases(ctx, id)
		if err == nil && len(cases) > 0 && cases[0].State == s {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("order %s never reached %s: %v %v", id, s, cases, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitActivityStarted waits until a worker has started one of the
// workflow's activities.
func waitActivityStarted(t *testing.T, ctx context.Context, fc orderflow.Client, id string) {
	t.Helper()
	for {
		d, err := fc.Temporal.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, pa := range d.GetPendingActivities() {
			if pa.GetState() == enumspb.PENDING_ACTIVITY_STATE_STARTED {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("no activity started")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// deliveryIDs are the IDs of the deliveries the workflow makes of effects,
// one for each event that calls for more than a wake-up.
func deliveryIDs(effects []aftersale.Effect) []string {
	var ids []string
	var event []aftersale.Effect
	flush := func() {
		if len(event) > 0 {
			ids = append(ids, orderflow.DeliveryID(event))
		}
		event = nil
	}
	for i, ef := range effects {
		if i > 0 && (ef.Case != effects[i-1].Case || ef.Seq != effects[i-1].Seq) {
			flush()
		}
		if ef.Kind != aftersale.EffectWake {
			event = append(event, ef)
		}
	}
	flush()
	return ids
}
