package demosink_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
)

// An instruction sent many times, by many callers at once, is done once;
// the journal keeps every call, and marks the one that did it.
func TestLedgerDoesEachInstructionOnce(t *testing.T) {
	l, err := demosink.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	refund := aftersale.Effect{ID: "o-1/c1/4/refund", Kind: aftersale.EffectRefund, Order: "o-1", Case: "c1", Seq: 4,
		Amount: aftersale.Yuan(299), Key: "o-1/c1/4"}
	notice := aftersale.Effect{ID: "o-1/c1/4/notify/buyer", Kind: aftersale.EffectNotify, Order: "o-1", Case: "c1", Seq: 4,
		To: aftersale.ActorBuyer}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := l.Refund(ctx, refund); err != nil {
				t.Error(err)
			}
			if err := l.Notify(ctx, notice); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	for _, c := range []struct {
		kind string
		want []string
	}{{demosink.Refunds, []string{refund.ID}}, {demosink.Notices, []string{notice.ID}}, {demosink.Alerts, nil}} {
		done, err := l.Done(c.kind)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, ef := range done {
			ids = append(ids, ef.ID)
		}
		if diff := cmp.Diff(c.want, ids); diff != "" {
			t.Errorf("%s done (-want +got):\n%s", c.kind, diff)
		}
	}
	journal, err := l.Journal()
	if err != nil {
		t.Fatal(err)
	}
	doneCalls := map[string]int{}
	for _, e := range journal {
		if e.Done {
			doneCalls[e.Kind+" "+e.Key]++
		}
	}
	want := map[string]int{"refunds " + refund.Key: 1, "notices " + notice.ID: 1}
	if len(journal) != 16 || !cmp.Equal(want, doneCalls) {
		t.Errorf("journal: %d calls, done %v; want 16 calls, each instruction done once", len(journal), doneCalls)
	}
}

// A refund without a payment key is refused: the payment system could not
// tell a retry from a second refund.
func TestLedgerRefusesARefundWithoutAKey(t *testing.T) {
	l, err := demosink.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Refund(context.Background(), aftersale.Effect{ID: "o-1/c1/4/refund", Kind: aftersale.EffectRefund}); err == nil {
		t.Error("a refund without a key was done")
	}
}
