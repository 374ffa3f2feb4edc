//go:build !race

// The race detector makes the SDK's worker several times slower; a
// thousand workflows then take minutes, and every test here already runs
// under it with fewer.

package integration

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

// A thousand orders, each its own workflow, run concurrently to their end,
// in each delivery mode: a refund-only request that fast refund approves
// at once, the refund instruction, the payment system's report. Every
// workflow ends with its case refunded, and the payment system paid each
// refund once.
//
// Delivered as activities, whose state the server keeps, no effect is even
// handed over twice. Delivered as local activities, a delivery can run
// again in a crash-free run too: a worker this loaded (a thousand
// workflows on two cores) sees update tasks fail on the server's side
// (Temporal's "premature end of stream" on a speculative workflow task)
// and takes them again, delivery and all. Receivers drop what they have
// seen, so each effect is still done once; the test counts the repeats.
func TestThousandOrdersRunConcurrentlyToTheirEnd(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" { // CI runs it whatever the flags
		t.Skip("skipped with -short: a thousand workflows take a minute")
	}
	t.Run("local_activities", func(t *testing.T) { thousandOrders(t, false) })
	t.Run("activities", func(t *testing.T) { thousandOrders(t, true) })
}

func thousandOrders(t *testing.T, remote bool) {
	const orders, senders = 1000, 50
	c := dial(t)
	ledger, err := demosink.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pay := &reportingPayments{ledger: ledger}
	fc := startWorkerWith(t, c, &orderflow.Activities{Payments: pay, Messages: ledger}, orderflow.Options{})
	ctx := ctxFor(t, 5*time.Minute)

	ids := make(chan string)
	errs := make(chan error, orders)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for id := range ids {
				errs <- runToEnd(ctx, fc, pay, id, remote)
			}
		})
	}
	prefix := "o-many-local"
	if remote {
		prefix = "o-many-remote"
	}
	for i := range orders {
		ids <- fmt.Sprintf("%s-%04d", prefix, i)
	}
	close(ids)
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			if failed <= 5 {
				t.Error(err)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d orders failed", failed, orders)
	}

	refunds, err := ledger.Done(demosink.Refunds)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, ef := range refunds {
		keys[ef.Key] = true
		if ef.Amount != aftersale.Yuan(299) {
			t.Errorf("refund %s: %s, want 299.00", ef.ID, ef.Amount)
		}
	}
	if len(refunds) != orders || len(keys) != orders {
		t.Errorf("the payment system paid %d refunds under %d keys, want %d", len(refunds), len(keys), orders)
	}
	// Each order calls for a refund and three notices; each was done once.
	notices, err := ledger.Done(demosink.Notices)
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 3*orders {
		t.Errorf("notices done: %d, want %d", len(notices), 3*orders)
	}
	journal, err := ledger.Journal()
	if err != nil {
		t.Fatal(err)
	}
	repeats := 0
	for _, e := range journal {
		if !e.Done {
			repeats++
			if remote {
				t.Errorf("%s %s handed over twice", e.Kind, e.Key)
			}
		}
	}
	t.Logf("%d of %d effects handed over again, and dropped by the ledger", repeats, len(journal)-repeats)
}

// runToEnd runs one order's case to its refund and waits for the
// workflow's end.
func runToEnd(ctx context.Context, fc orderflow.Client, pay *reportingPayments, id string, remote bool) error {
	paid := pay.expect(id)
	order := unshipped(id)
	order.Flags = aftersale.FlagFastRefund
	run, err := fc.Start(ctx, orderflow.Input{Order: order, Linger: time.Second, RemoteDelivery: remote})
	if err != nil {
		return fmt.Errorf("%s: start: %w", id, err)
	}
	out, err := fc.Send(ctx, id, refundOnly)
	if err != nil {
		return fmt.Errorf("%s: request: %w", id, err)
	}
	if out.State != aftersale.StateRefunding {
		return fmt.Errorf("%s: request: state %s, want refunding at once", id, out.State)
	}
	// The payment system reports once it was told to pay.
	select {
	case <-paid:
	case <-ctx.Done():
		return fmt.Errorf("%s: the refund was never instructed", id)
	}
	if _, err := fc.Send(ctx, id, refundPaid); err != nil {
		return fmt.Errorf("%s: refund_succeeded: %w", id, err)
	}
	var final orderflow.Input
	if err := run.Get(ctx, &final); err != nil {
		return fmt.Errorf("%s: %w", id, err)
	}
	if c := final.Order.Case("c1"); c == nil || c.State() != aftersale.StateRefunded || c.Refunded() != aftersale.Yuan(299) {
		return fmt.Errorf("%s: ended with %v", id, c)
	}
	return nil
}

// reportingPayments is the ledger's payment system, which also says when
// an order's refund was instructed, as a payment system's callback would.
type reportingPayments struct {
	ledger *demosink.Ledger
	paid   sync.Map // order ID -> chan struct{}
}

func (p *reportingPayments) expect(orderID string) <-chan struct{} {
	ch := make(chan struct{})
	p.paid.Store(orderID, ch)
	return ch
}

func (p *reportingPayments) Refund(ctx context.Context, ef aftersale.Effect) error {
	if err := p.ledger.Refund(ctx, ef); err != nil {
		return err
	}
	if ch, ok := p.paid.LoadAndDelete(ef.Order); ok {
		close(ch.(chan struct{}))
	}
	return nil
}
