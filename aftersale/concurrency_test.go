package aftersale_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// TestEngineIsSafeForConcurrentUse shares one Engine among 16 goroutines,
// each taking 200 orders of its own through whole lifecycles under
// policy.Default(), with a refund history (policy.RefundTimes) that
// abuse_guard reads from every goroutine and a mock clock they all read
// through Engine.Advance. Run with -race, it shows that an Engine, its
// rules and a read-only history may be shared; each Order stays with one
// goroutine. Every order must end byte for byte as the same lifecycle ends
// when it runs alone, and keep the invariants. This is the only test that
// starts goroutines.
func TestEngineIsSafeForConcurrentUse(t *testing.T) {
	workers, perWorker := 16, 200
	if testing.Short() {
		workers, perWorker = 4, 50
	}
	history := recentRefunds()
	history["b-3"] = history["b-0"][:2] // below abuse_guard's five
	mock := clock.NewMock()
	mock.Set(walkStart.AddDate(0, 6, 0)) // after every lifecycle: Advance finds nothing due
	e, err := aftersale.New(aftersale.Config{
		Rules: policy.Default().Replace(&policy.AbuseGuard{History: history}),
		Clock: mock,
		Zone:  zone,
	})
	if err != nil {
		t.Fatal(err)
	}
	n := workers * perWorker
	alone := make([][]byte, n)
	for i := range n {
		o, err := runLifecycle(e, i)
		if err != nil {
			t.Fatalf("order %d alone: %v", i, err)
		}
		if alone[i], err = json.Marshal(o); err != nil {
			t.Fatal(err)
		}
	}

	orders := make([]*aftersale.Order, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * perWorker; i < (w+1)*perWorker; i++ {
				orders[i], errs[i] = runLifecycle(e, i)
			}
		})
	}
	wg.Wait()

	states := map[string]int{}
	for i, o := range orders {
		if errs[i] != nil {
			t.Fatalf("order %d: %v", i, errs[i])
		}
		checkInvariants(t, o, limits{maxCases: 3, maxCompensation: aftersale.Yuan(20)})
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(alone[i]) {
			t.Fatalf("order %d ended differently on a shared engine:\nalone  %s\nshared %s", i, alone[i], b)
		}
		// Fast refund for all but b-0, whom abuse_guard stops: the history
		// was read, from every goroutine.
		if first := o.Cases()[0].Events()[0]; i%8 == 0 && (first.To == aftersale.StateRefunding) != (o.Buyer != "b-0") {
			t.Errorf("order %d of buyer %s opened in %s", i, o.Buyer, first.To)
		}
		for _, c := range o.Cases() {
			end := c.State().String()
			if c.ClosedReason() != 0 {
				end += " " + c.ClosedReason().String()
			}
			states[end]++
		}
	}
	t.Logf("%d goroutines x %d orders; the cases ended %v", workers, perWorker, states)
}

// runLifecycle takes order i from payment to the end of its cases: one of
// eight lifecycles, on the engine e, with times of its own. It returns an
// error rather than failing the test, as it runs on goroutines of its own.
func runLifecycle(e *aftersale.Engine, i int) (*aftersale.Order, error) {
	paid := walkStart.Add(time.Duration(i) * time.Minute)
	o := &aftersale.Order{
		ID: "o-" + strconv.Itoa(i), Buyer: "b-" + strconv.Itoa(i%5), Amount: aftersale.Yuan(int64(50 + i%200)),
		PaidAt: paid, ShippedAt: paid.Add(2 * time.Hour), DeliveredAt: paid.Add(30 * time.Hour),
		Flags: aftersale.FlagFreightInsurance,
	}
	r := &runner{e: e, o: o, now: paid.Add(2 * day)}
	on := func(id string, a aftersale.Action, who aftersale.Actor) aftersale.Command {
		return aftersale.Command{Case: id, Actor: who, Action: a}
	}
	switch i % 8 {
	case 0: // fast refund, or the merchant's review for a buyer abuse_guard stops
		o.ShippedAt, o.DeliveredAt, o.Flags = time.Time{}, time.Time{}, aftersale.FlagFastRefund
		r.now = paid.Add(time.Hour)
		r.do(request(refundOnly, aftersale.ReasonMistakenPurchase))
		if r.state("c1") == aftersale.StatePendingReview {
			r.do(act(merchant, aftersale.ActionApprove))
		}
		r.do(act(system, aftersale.ActionRefundSucceeded))
	case 1: // a return, with the freight subsidy
		r.do(request(returnRefund, aftersale.ReasonQuality))
		r.do(act(merchant, aftersale.ActionApprove))
		r.do(shipReturn())
		r.do(act(merchant, aftersale.ActionReceiveReturn))
		r.do(act(system, aftersale.ActionRefundSucceeded))
	case 2: // an exchange that runs on deadlines
		r.do(request(exchange, aftersale.ReasonWrongItem))
		r.wait(3 * day)
		r.do(shipReturn())
		r.wait(11 * day)
		r.do(reship())
		r.wait(11 * day)
	case 3: // negotiation, and a refund that fails once
		r.do(request(refundOnly, aftersale.ReasonNotAsDescribed))
		r.do(propose(aftersale.Yuan(50)))
		r.do(act(buyer, aftersale.ActionAccept))
		r.do(act(system, aftersale.ActionRefundFailed))
		r.do(act(platform, aftersale.ActionRetryRefund))
		r.do(act(system, aftersale.ActionRefundSucceeded))
	case 4: // rejection, arbitration, ruled for the merchant
		r.do(request(returnRefund, aftersale.ReasonQuality))
		r.do(note(act(merchant, aftersale.ActionReject), "used"))
		r.do(act(buyer, aftersale.ActionEscalate))
		r.do(note(act(buyer, aftersale.ActionSubmitEvidence), "photos"))
		r.do(rule(aftersale.RulingForMerchant, false))
	case 5: // interception that fails, then goods never sent back
		o.DeliveredAt = time.Time{}
		r.do(request(refundOnly, aftersale.ReasonNotReceived))
		r.do(aftersale.Command{Actor: system, Action: aftersale.ActionDelivered})
		r.wait(11 * day)
	case 6: // two cases on two lines
		o.Lines = []aftersale.Line{{ID: "l1", Quantity: 2, Paid: o.Amount - aftersale.Yuan(40)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(40)}}
		r.do(with(request(refundOnly, aftersale.ReasonDamaged), linesOf(aftersale.Units{Line: "l1", Quantity: 2})))
		r.do(with(request(returnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case, c.Lines = "c2", []aftersale.Units{{Line: "l2", Quantity: 1}} }))
		r.do(on("c2", aftersale.ActionWithdraw, buyer))
		r.do(act(merchant, aftersale.ActionApprove))
		r.do(act(system, aftersale.ActionRefundSucceeded))
	case 7: // rejected, asked again, refunded
		r.do(request(refundOnly, aftersale.ReasonQuality))
		r.do(note(act(merchant, aftersale.ActionReject), "no defect"))
		r.do(with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c2" }))
		r.do(on("c2", aftersale.ActionApprove, merchant))
		r.do(on("c2", aftersale.ActionRefundSucceeded, system))
	}
	if r.err != nil {
		return nil, r.err
	}
	if fired, err := e.Advance(o); err != nil || len(fired) != 0 {
		return nil, fmt.Errorf("advancing to the clock's time: %d events, %v", len(fired), err)
	}
	for _, c := range o.Cases() {
		if c.Open() {
			return nil, fmt.Errorf("case %s is still %s", c.ID(), c.State())
		}
	}
	return o, nil
}

// runner applies a lifecycle's steps, an hour apart, and keeps the first
// error.
type runner struct {
	e   *aftersale.Engine
	o   *aftersale.Order
	now time.Time
	err error
}

func (r *runner) do(cmd aftersale.Command) {
	if r.err != nil {
		return
	}
	r.now = r.now.Add(time.Hour)
	if _, err := r.e.ApplyAt(r.now, r.o, cmd); err != nil {
		r.err = fmt.Errorf("%s at %v: %w", describe(cmd), r.now, err)
	}
}

// wait lets time pass, and the deadlines that fall due fire.
func (r *runner) wait(d time.Duration) {
	if r.err != nil {
		return
	}
	r.now = r.now.Add(d)
	if _, err := r.e.AdvanceTo(r.now, r.o); err != nil {
		r.err = fmt.Errorf("advancing to %v: %w", r.now, err)
	}
}

func (r *runner) state(id string) aftersale.State {
	if c := r.o.Case(id); c != nil {
		return c.State()
	}
	return 0
}
