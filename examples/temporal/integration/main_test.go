package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/internal/temporaltest"
	"github.com/shouhou/shouhou/examples/temporal/internal/workerproc"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// The server every test of this run uses.
var harness struct {
	srv    *temporaltest.Server
	err    error
	queues atomic.Int64
}

// workerEnv, when set, makes the test binary a worker process: its value
// is the workerproc.Config in JSON.
const workerEnv = "SHOUHOU_TEMPORAL_WORKER"

func TestMain(m *testing.M) {
	if cfg := os.Getenv(workerEnv); cfg != "" {
		os.Exit(workerMain(cfg))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	harness.srv, harness.err = temporaltest.Start(ctx)
	cancel()
	code := m.Run()
	if harness.srv != nil {
		if err := harness.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// workerMain runs a worker process until it is signalled (or killed).
func workerMain(doc string) int {
	var cfg workerproc.Config
	if err := json.Unmarshal([]byte(doc), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg.Logger = temporaltest.QuietLogger()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := workerproc.Run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// needServer fails the test in CI, and skips it elsewhere, when there is
// no Temporal server to test against.
func needServer(t testing.TB) *temporaltest.Server {
	t.Helper()
	if harness.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("these tests need a Temporal dev server, and CI=true: %v", harness.err)
		}
		t.Skipf("skipped: no Temporal dev server (%v); %s", harness.err, temporaltest.HowToGet)
	}
	return harness.srv
}

// dial returns a client of the test server, closed when the test ends.
func dial(t testing.TB) client.Client {
	t.Helper()
	c, err := needServer(t).Dial()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// freshQueue names a task queue no other test uses.
func freshQueue() string {
	return fmt.Sprintf("shouhou-test-%d-%d", os.Getpid(), harness.queues.Add(1))
}

var zone = timeline.UTC8()

// startWorker runs a worker of the order workflow in this process on a
// fresh task queue, delivering to a ledger in a new directory, and returns
// an orderflow.Client of that queue and the ledger.
func startWorker(t testing.TB, c client.Client) (orderflow.Client, *demosink.Ledger) {
	t.Helper()
	ledger, err := demosink.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return startWorkerWith(t, c, &orderflow.Activities{Payments: ledger, Messages: ledger}, orderflow.Options{}), ledger
}

// startWorkerWith runs a worker delivering through acts, with opts.
func startWorkerWith(t testing.TB, c client.Client, acts *orderflow.Activities, opts orderflow.Options) orderflow.Client {
	t.Helper()
	flow, err := orderflow.New(aftersale.Config{Rules: policy.Default(), Zone: zone}, opts)
	if err != nil {
		t.Fatal(err)
	}
	queue := freshQueue()
	w := worker.New(c, queue, worker.Options{})
	flow.Register(w)
	w.RegisterActivity(acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	return orderflow.Client{Temporal: c, TaskQueue: queue}
}

func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// unshipped returns an order paid now and not shipped, so a refund-only
// request needs no goods back.
func unshipped(id string) aftersale.Order {
	return aftersale.Order{ID: id, Amount: aftersale.Yuan(299), PaidAt: time.Now().In(zone).Add(-time.Hour).Truncate(time.Second)}
}

// delivered returns an order paid three days ago and delivered yesterday.
func delivered(id string) aftersale.Order {
	now := time.Now().In(zone).Truncate(time.Second)
	return aftersale.Order{ID: id, Amount: aftersale.Yuan(299),
		PaidAt: now.Add(-72 * time.Hour), ShippedAt: now.Add(-60 * time.Hour), DeliveredAt: now.Add(-24 * time.Hour)}
}

var (
	refundOnly = aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindRefundOnly, Reason: aftersale.ReasonMistakenPurchase}
	returnRefund = aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest,
		Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality}
	approve    = aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove}
	shipReturn = aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn,
		Carrier: "SF", Waybill: "SF1302", Freight: aftersale.Yuan(12)}
	receive       = aftersale.Command{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn}
	refundPaid    = aftersale.Command{Case: "c1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded}
	buyerApproves = aftersale.Command{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionApprove}
)
