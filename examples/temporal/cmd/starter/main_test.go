package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
	"github.com/shouhou/shouhou/examples/temporal/internal/workerproc"
)

var harness struct {
	srv *temporaltest.Server
	err error
}

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	harness.srv, harness.err = temporaltest.Start(ctx)
	cancel()
	code := m.Run()
	if harness.srv != nil {
		harness.srv.Stop()
	}
	os.Exit(code)
}

// starter runs the command with the test server's address and returns its
// exit code, output and errors.
func starter(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	all := append([]string{"-address", harness.srv.HostPort, "-namespace", temporaltest.Namespace, "-queue", "starter-test"}, args...)
	code := run(all, &out, &errs)
	return code, out.String(), errs.String()
}

// The starter starts an order's workflow, sends it a command, is refused
// another with the engine's refusal, and shows the case and what a party
// may do, against a worker on a real server.
func TestStarterDrivesAnOrder(t *testing.T) {
	if harness.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("this test needs a Temporal dev server, and CI=true: %v", harness.err)
		}
		t.Skipf("skipped: no Temporal dev server (%v); %s", harness.err, temporaltest.HowToGet)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- workerproc.Run(ctx, workerproc.Config{HostPort: harness.srv.HostPort, Namespace: temporaltest.Namespace,
			TaskQueue: "starter-test", Ledger: t.TempDir(), Logger: temporaltest.QuietLogger()})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})

	paid := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	steps := []struct {
		args []string
		code int
		out  string // a text the output must hold
	}{
		{[]string{"start", fmt.Sprintf(`{"id":"o-st","amount":"299.00","paid_at":%q}`, paid)}, 0, `"workflow_id": "o-st"`},
		{[]string{"send", "o-st", `{"actor":"buyer","action":"request","case":"c1","kind":"refund_only","reason":"mistaken_purchase"}`}, 0, `"state": "pending_review"`},
		{[]string{"send", "o-st", `{"actor":"buyer","action":"approve","case":"c1"}`}, 1, "refused: not_permitted (table.wrong_actor)"},
		{[]string{"send", "o-st", `{"actor":"buyer","action":"approve","case":"c1","bogus":1}`}, 1, "bogus"},
		{[]string{"show", "o-st"}, 0, `"waiting": "merchant"`},
		{[]string{"allowed", "o-st", "c1", "merchant"}, 0, `"action": "approve"`},
		{[]string{"order", "o-st"}, 0, `"format": 3`},
		{[]string{"show"}, 2, "usage: starter"},
	}
	for _, s := range steps {
		code, out, errs := starter(t, s.args...)
		if code != s.code || !strings.Contains(out+errs, s.out) {
			t.Errorf("starter %s: exit %d, output:\n%s%s\nwant exit %d and %q", strings.Join(s.args, " "), code, out, errs, s.code, s.out)
		}
	}
	var order map[string]any
	_, out, _ := starter(t, "order", "o-st")
	if err := json.Unmarshal([]byte(out), &order); err != nil || order["version"] != float64(1) {
		t.Errorf("order: %v %v, want version 1: the refused commands changed nothing", order["version"], err)
	}
}
