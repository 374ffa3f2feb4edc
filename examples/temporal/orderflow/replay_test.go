package orderflow_test

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

// replay replays the history in file through the workflow under the rules
// given as a scenario's "policy" overrides of the defaults.
// The history's input says how it delivers effects.
func replay(t *testing.T, file string, rules string, logger log.Logger) error {
	t.Helper()
	r, err := scenario.ParseRules([]byte(rules), policy.Default())
	if err != nil {
		t.Fatal(err)
	}
	flow, err := orderflow.New(aftersale.Config{Rules: r, Zone: zone}, orderflow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	replayer := worker.NewWorkflowReplayer()
	flow.Register(replayer)
	return replayer.ReplayWorkflowHistoryFromJSONFile(logger, file)
}

// Histories recorded on a real server (integration's TestRecordHistories)
// replay through the workflow as it is now. A change to the workflow or
// the engine that would break the workflows running in production, by
// taking another path through a recorded history, fails here.
func TestCommittedHistoriesReplay(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("found %d histories in testdata/histories, want the recorded ones", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if err := replay(t, file, "", temporaltest.QuietLogger()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The replay test catches a change that takes a running workflow down
// another path: the fast-refund history, replayed under rules without fast
// refund, sends the request to the merchant instead of to refunding, and
// the workflow delivers other effects for the request than the history
// recorded, whether as a local activity or as an activity.
func TestReplayCatchesAChangedPath(t *testing.T) {
	for _, file := range []string{"fast_refund.json", "fast_refund_remote.json"} {
		t.Run(file, func(t *testing.T) {
			err := replay(t, filepath.Join("testdata/histories", file), `{"fast_refund": null}`,
				log.NewStructuredLogger(slog.New(slog.DiscardHandler))) // the failure is expected
			if err == nil {
				t.Fatal("the fast-refund history replayed without fast refund")
			}
			t.Logf("replay failed as it should: %v", err)
			if !strings.Contains(err.Error(), "nondeterministic") {
				t.Errorf("replay failed with %v, want a nondeterminism error", err)
			}
		})
	}
}
