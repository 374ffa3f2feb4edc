package integration

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

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
// delivers an effect, loses nothing and does nothing twice, whether the
// workflow delivers as local activities (the default) or as activities.
func TestWorkerKilledMidCaseLosesNothingAndDoesNothingTwice(t *testing.T) {
	srv := needServer(t)
	t.Run("local_activities", func(t *testing.T) { killMidLocalDelivery(t, srv.HostPort) })
	t.Run("activities", func(t *testing.T) { killMidActivity(t, srv.HostPort) })
}

// killed is a case whose worker the test kills: its worker's settings,
// the ledger the workers deliver to and the file they note each begun
// delivery in.
type killed struct {
	cfg    workerproc.Config
	ledger *demosink.Ledger
	fc     orderflow.Client
}

func newKilled(t *testing.T, hostPort string) killed {
	ledgerDir := t.TempDir()
	ledger, err := demosink.Open(ledgerDir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := workerproc.Config{
		HostPort: hostPort, Namespace: "shouhou", TaskQueue: freshQueue(), Ledger: ledgerDir,
		// The shortest review the rules take, so the deadline passes
		// within the test.
		Rules:           []byte(`{"deadlines": {"review": "1m"}}`),
		ActivityTimeout: 3 * time.Second,
		DeliveryDelay:   time.Second,
		Begun:           filepath.Join(t.TempDir(), "begun"),
	}
	return killed{cfg: cfg, ledger: ledger, fc: orderflow.Client{Temporal: dial(t), TaskQueue: cfg.TaskQueue}}
}

// begun returns the effects whose delivery a worker began, in order,
// each as often as it began.
func (k killed) begun(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(k.cfg.Begun)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

// waitBegun waits until a worker began to deliver an effect.
func (k killed) waitBegun(t *testing.T, ctx context.Context) {
	t.Helper()
	for len(k.begun(t)) == 0 {
		select {
		case <-ctx.Done():
			t.Fatal("no delivery began")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// kill stops the worker at once, and checks that the delivery it was in
// did not reach the ledger.
func (k killed) kill(t *testing.T, w *exec.Cmd) {
	t.Helper()
	if err := w.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.Wait()
	if j, err := k.ledger.Journal(); err != nil || len(j) != 0 {
		t.Fatalf("the ledger got %v (%v) before the kill, want nothing yet", j, err)
	}
}

// finish takes the case from its return to its refund and checks the
// end: refunded, every effect the order calls for done once and nothing
// else, none done twice; it returns the workflow's histories, one per
// run.
func (k killed) finish(t *testing.T, ctx context.Context, id, runID string, second *exec.Cmd) (orderflow.Input, [][]*historypb.HistoryEvent) {
	t.Helper()
	for _, cmd := range []aftersale.Command{shipReturn, receive} {
		if _, err := k.fc.Send(ctx, id, cmd); err != nil {
			t.Fatalf("%s: %v", cmd.Action, err)
		}
	}
	waitDelivered(t, ctx, k.fc, id) // the refund instruction has gone out
	if _, err := k.fc.Send(ctx, id, refundPaid); err != nil {
		t.Fatal(err)
	}
	// Done and lingered a second, the workflow ends with the order.
	var final orderflow.Input
	if err := k.fc.Temporal.GetWorkflow(ctx, id, "").Get(ctx, &final); err != nil {
		t.Fatal(err)
	}
	second.Process.Signal(syscall.SIGTERM)
	second.Wait()
	c1 := final.Order.Case("c1")
	if c1.State() != aftersale.StateRefunded || c1.Refunded() != aftersale.Yuan(299) {
		t.Fatalf("final case: %s, refunded %s; want refunded 299.00", c1.State(), c1.Refunded())
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
		efs, err := k.ledger.Done(kind)
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
	journal, err := k.ledger.Journal()
	if err != nil {
		t.Fatal(err)
	}
	doneTimes := map[string]int{}
	for _, e := range journal {
		if e.Done {
			doneTimes[e.Kind+" "+e.Key]++
		}
	}
	for key, n := range doneTimes {
		if n != 1 {
			t.Errorf("%s done %d times", key, n)
		}
	}
	histories := runs(t, ctx, k.fc.Temporal, id, runID)
	if len(histories) < 2 {
		t.Errorf("the workflow ran %d run(s); with ContinueAfter 30 it should have continued as new", len(histories))
	}
	return final, histories
}

// onceEach checks that the histories record the delivery of each event of
// the order once, counted by count.
func onceEach(t *testing.T, final orderflow.Input, counts map[string]int) {
	t.Helper()
	events := deliveryIDs(aftersale.Delivered(nil).Pending(&final.Order))
	var twice []string
	for _, id := range events {
		if counts[id] != 1 {
			twice = append(twice, id)
		}
	}
	if len(twice) > 0 || len(counts) != len(events) {
		t.Errorf("deliveries recorded: %v; want each of %v once", counts, events)
	}
}

// Delivering as an activity, the worker is killed after the update that
// called for the delivery returned: the command is recorded, and the
// merchant's review deadline passes while no worker runs. A new worker
// process fires it when it comes up, retries the delivery that was cut,
// and takes the case on to its refund.
func killMidActivity(t *testing.T, hostPort string) {
	ctx := ctxFor(t, 3*time.Minute)
	k := newKilled(t, hostPort)
	first := workerProcess(t, k.cfg)

	const id = "o-killed-remote"
	run, err := k.fc.Start(ctx, orderflow.Input{Order: delivered(id), Linger: time.Second, ContinueAfter: 30, RemoteDelivery: true})
	if err != nil {
		t.Fatal(err)
	}
	out, err := k.fc.Send(ctx, id, returnRefund)
	if err != nil {
		t.Fatal(err)
	}
	requested := out.Event.At
	if out.State != aftersale.StatePendingReview {
		t.Fatalf("request: state %s, want pending_review", out.State)
	}
	// Kill the worker once it has started the request's notice to the
	// merchant, which takes a second.
	waitActivityStarted(t, ctx, k.fc, id)
	k.waitBegun(t, ctx)
	k.kill(t, first)

	// No worker runs while the review deadline passes.
	select {
	case <-time.After(time.Until(requested.Add(time.Minute + 2*time.Second))):
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	}
	k.cfg.DeliveryDelay = 0
	second := workerProcess(t, k.cfg)

	// The new worker fires the deadline: the system approves in the
	// merchant's place, at the deadline.
	waitState(t, ctx, k.fc, id, aftersale.StateAwaitingReturn)
	o, err := k.fc.Order(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ev := o.Case("c1").Events()[1]
	if ev.Actor != aftersale.ActorSystem || ev.Action != aftersale.ActionApprove || !ev.At.Equal(requested.Add(time.Minute)) {
		t.Errorf("event 2: %s %s at %s, want the system's approval at %s", ev.Actor, ev.Action, ev.At, requested.Add(time.Minute))
	}
	final, histories := k.finish(t, ctx, id, run.GetRunID(), second)

	// The workflow scheduled each event's delivery once, over all its
	// runs, and the one the kill cut was tried again, by the new worker.
	onceEach(t, final, scheduled(histories))
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
}

// Delivering as a local activity, the worker is killed in the workflow
// task that took the request and runs its delivery, before the task
// completed: nothing of it reached the history, and the client still
// waits for its outcome. Once the task times out, a new worker process
// takes it again: it records the request, delivers its notice, and the
// client gets the outcome; then the review deadline fires and the case
// goes on to its refund.
func killMidLocalDelivery(t *testing.T, hostPort string) {
	ctx := ctxFor(t, 3*time.Minute)
	k := newKilled(t, hostPort)
	first := workerProcess(t, k.cfg)

	const id = "o-killed-local"
	run, err := k.fc.Start(ctx, orderflow.Input{Order: delivered(id), Linger: time.Second, ContinueAfter: 30})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		out orderflow.Outcome
		err error
	}
	sent := make(chan result, 1)
	go func() {
		out, err := k.fc.Send(ctx, id, returnRefund)
		sent <- result{out, err}
	}()
	k.waitBegun(t, ctx)
	k.kill(t, first)
	if events := history(t, ctx, k.fc.Temporal, id, run.GetRunID()); slices.ContainsFunc(events, func(ev *historypb.HistoryEvent) bool {
		return ev.GetWorkflowExecutionUpdateAcceptedEventAttributes() != nil
	}) {
		t.Fatal("the request reached the history before its workflow task completed")
	}

	k.cfg.DeliveryDelay = 0
	second := workerProcess(t, k.cfg)
	var r result
	select {
	case r = <-sent:
	case <-ctx.Done():
		t.Fatal("the request's outcome never came")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.out.State != aftersale.StatePendingReview {
		t.Fatalf("request: state %s, want pending_review", r.out.State)
	}
	// The review deadline passes with the new worker running.
	waitState(t, ctx, k.fc, id, aftersale.StateAwaitingReturn)
	final, histories := k.finish(t, ctx, id, run.GetRunID(), second)

	// Each event's delivery is recorded once, over all runs, and the
	// one the kill cut was begun again, by the new worker.
	onceEach(t, final, localDeliveries(t, histories))
	begun := k.begun(t)
	if len(begun) < 2 || begun[0] != begun[1] || !strings.HasPrefix(begun[0], id+"/c1/1/") {
		t.Errorf("deliveries begun %v; want the request's begun twice, by each worker", begun)
	}
}

// localDeliveries counts the deliveries the histories record as local
// activities, by the DeliveryID each returned.
func localDeliveries(t *testing.T, histories [][]*historypb.HistoryEvent) map[string]int {
	t.Helper()
	n := map[string]int{}
	dc := converter.GetDefaultDataConverter()
	for _, events := range histories {
		for _, ev := range events {
			m := ev.GetMarkerRecordedEventAttributes()
			if m == nil || m.GetMarkerName() != "LocalActivity" {
				continue
			}
			var id string
			if err := dc.FromPayloads(m.GetDetails()["result"], &id); err != nil {
				t.Fatalf("local activity marker %d: %v", ev.GetEventId(), err)
			}
			n[id]++
		}
	}
	return n
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
