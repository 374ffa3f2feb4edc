package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/policy"
)

// recordEnv, set to 1, makes TestRecordHistories write the histories the
// replay test (orderflow's TestCommittedHistoriesReplay) replays:
//
//	SHOUHOU_RECORD_HISTORIES=1 go test -run TestRecordHistories ./integration
//
// Record them again only when a change to the workflow is meant to break
// running workflows, and say so in the change.
const recordEnv = "SHOUHOU_RECORD_HISTORIES"

// historiesDir is where the replay test reads them.
const historiesDir = "../orderflow/testdata/histories"

// TestRecordHistories runs the paths the replay test covers on the real
// server and writes each run's history: a return and refund from request to
// refund with a refused command on the way, the same path cut into runs by
// Continue-As-New, a fast refund, and an order whose deadline passed before
// its workflow started.
func TestRecordHistories(t *testing.T) {
	// Not a missing service: recording rewrites testdata, which CI must
	// not do; CI replays the committed histories.
	if os.Getenv(recordEnv) == "1" && os.Getenv("CI") == "true" {
		t.Fatalf("%s=1 rewrites testdata; CI replays the committed histories instead", recordEnv)
	}
	if os.Getenv(recordEnv) != "1" {
		t.Skipf("skipped: set %s=1 to record the replay test's histories", recordEnv)
	}
	c := dial(t)
	fc, _ := startWorker(t, c)
	ctx := ctxFor(t, 2*time.Minute)
	if err := os.MkdirAll(historiesDir, 0o755); err != nil {
		t.Fatal(err)
	}

	returnPath := func(id string) []aftersale.Command {
		req := returnRefund
		req.Key = "app-" + id
		return []aftersale.Command{req, req, approve, shipReturn,
			{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject}, // refused: no reason
			receive}
	}
	fast := unshipped("o-rec-fast")
	fast.Flags = aftersale.FlagFastRefund
	fastRemote := fast
	fastRemote.ID = "o-rec-fast-remote"
	// An order brought in with a request whose review ended three days
	// ago: the workflow's first wake-up approves it and starts the refund.
	late := unshipped("o-rec-late")
	late.PaidAt = late.PaidAt.Add(-5 * 24 * time.Hour)
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: zone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ApplyAt(late.PaidAt.Add(time.Hour), &late, refundOnly); err != nil {
		t.Fatal(err)
	}

	// Histories whose name ends in _remote come from workflows started
	// with RemoteDelivery.
	for _, r := range []struct {
		name string
		in   orderflow.Input
		cmds []aftersale.Command
	}{
		{"return_refund", orderflow.Input{Order: delivered("o-rec-return")}, returnPath("o-rec-return")},
		{"continued_as_new", orderflow.Input{Order: delivered("o-rec-can"), ContinueAfter: 12}, returnPath("o-rec-can")},
		{"fast_refund", orderflow.Input{Order: fast}, []aftersale.Command{refundOnly}},
		{"deadline_passed_before_start", orderflow.Input{Order: late}, nil},
		{"return_refund_remote", orderflow.Input{Order: delivered("o-rec-return-remote")}, returnPath("o-rec-return-remote")},
		{"continued_as_new_remote", orderflow.Input{Order: delivered("o-rec-can-remote"), ContinueAfter: 12}, returnPath("o-rec-can-remote")},
		{"fast_refund_remote", orderflow.Input{Order: fastRemote}, []aftersale.Command{refundOnly}},
	} {
		r.in.Linger = time.Second
		r.in.RemoteDelivery = strings.HasSuffix(r.name, "_remote")
		run, err := fc.Start(ctx, r.in)
		if err != nil {
			t.Fatal(err)
		}
		for _, cmd := range r.cmds {
			_, err := fc.Send(ctx, r.in.Order.ID, cmd)
			if _, refused := orderflow.Refusal(err); err != nil && !refused {
				t.Fatalf("%s: %s: %v", r.name, cmd.Action, err)
			}
		}
		waitDelivered(t, ctx, fc, r.in.Order.ID)
		if _, err := fc.Send(ctx, r.in.Order.ID, refundPaid); err != nil {
			t.Fatalf("%s: refund_succeeded: %v", r.name, err)
		}
		var final orderflow.Input
		if err := c.GetWorkflow(ctx, r.in.Order.ID, "").Get(ctx, &final); err != nil {
			t.Fatal(err)
		}
		if st := final.Order.Case("c1").State(); st != aftersale.StateRefunded {
			t.Fatalf("%s: ended %s, want refunded", r.name, st)
		}
		all := runs(t, ctx, c, r.in.Order.ID, run.GetRunID())
		for i, events := range all {
			name := r.name + ".json"
			if len(all) > 1 {
				name = fmt.Sprintf("%s_run%d.json", r.name, i+1)
			}
			writeHistory(t, filepath.Join(historiesDir, name), events)
		}
	}
}

func writeHistory(t *testing.T, path string, events []*historypb.HistoryEvent) {
	t.Helper()
	b, err := protojson.MarshalOptions{Indent: " "}.Marshal(&historypb.History{Events: events})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d events)", path, len(events))
}
