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

// A thousand orders, each its own workflow, run concurrently to their end:
// a refund-only request that fast refund approves at once, the refund
// instruction, the payment system's report. Every workflow ends with its case refunded, and the payment
// system paid each refund once.
func TestThousandOrdersRunConcurrentlyToTheirEnd(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" { // CI runs it whatever the flags
		t.Skip("skipped with -short: a thousand workflows take a minute")
	}
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
				errs <- runToEnd(ctx, fc, pay, id)
			}
		})
	}
	for i := range orders {
		ids <- fmt.Sprintf("o-many-%04d", i)
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
	journal, err := ledger.Journal()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range journal {
		if !e.Done {
			t.Errorf("%s %s sent twice", e.Kind, e.Key)
		}
	}
}

// runToEnd runs one order's case to its refund and waits for the
// workflow's end.
func runToEnd(ctx context.Context, fc orderflow.Client, pay *reportingPayments, id string) error {
	paid := pay.expect(id)
	order := unshipped(id)
	order.Flags = aftersale.FlagFastRefund
	run, err := fc.Start(ctx, orderflow.Input{Order: order, Linger: time.Second})
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
