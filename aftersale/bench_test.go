package aftersale_test

import (
	"encoding/json"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/timeline"
)

// benchOrder returns the facts of a delivered 299.00 order.
func benchOrder(b testing.TB) aftersale.Order {
	return aftersale.Order{
		ID: "o-1", Buyer: "b-1", Amount: aftersale.Yuan(299),
		PaidAt:      at(b, "2026-03-02 10:00"),
		ShippedAt:   at(b, "2026-03-02 12:00"),
		DeliveredAt: at(b, "2026-03-03 15:00"),
		Flags:       aftersale.FlagFreightInsurance,
	}
}

func benchEngine(b testing.TB) *aftersale.Engine {
	e, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: zone})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// lifecycle is one return_refund case from request to refund.
var lifecycle = []aftersale.Command{
	{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: aftersale.KindReturnRefund, Reason: aftersale.ReasonQuality},
	{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionApprove},
	{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionShipReturn, Carrier: "SF", Waybill: "SF100", Freight: aftersale.Yuan(12)},
	{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionReceiveReturn},
	{Case: "c1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundSucceeded},
}

// BenchmarkApply measures one permitted action on an open case under the
// default policy set: the merchant approves a return under review, which
// checks the order, the command, the table and the actor, and schedules the
// buyer's return deadline. Each iteration first puts the order and case
// back as they were (two struct copies, counted in the time).
//
// "live" is a case the engine opened in this process: its log has room, so
// the approval allocates nothing. "loaded" is a case decoded from its JSON
// form, whose log has room for exactly this one more event.
func BenchmarkApply(b *testing.B) {
	b.Run("live", func(b *testing.B) { benchApply(b, false) })
	b.Run("loaded", func(b *testing.B) { benchApply(b, true) })
}

func benchApply(b *testing.B, loaded bool) {
	e := benchEngine(b)
	o := benchOrder(b)
	now := at(b, "2026-03-04 09:00")
	if _, err := e.ApplyAt(now, &o, lifecycle[0]); err != nil {
		b.Fatal(err)
	}
	if loaded {
		data, err := o.MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		o = aftersale.Order{}
		if err := o.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
	c := o.Case("c1")
	order, pending := o, *c
	approve := lifecycle[1]
	later := now.Add(time.Hour)
	settle()
	b.ReportAllocs()
	for b.Loop() {
		o, *c = order, pending
		if _, err := e.ApplyAt(later, &o, approve); err != nil {
			b.Fatal(err)
		}
	}
	if c.State() != aftersale.StateAwaitingReturn {
		b.Fatalf("case is %s", c.State())
	}
}

// settle finishes the garbage collection the setup may have started, so a
// benchmark that allocates nothing in its loop does not run with the
// collector's write barriers on throughout (nothing it does would end the
// cycle), which doubles the time of its pointer writes.
func settle() { runtime.GC() }

// BenchmarkLifecycle measures a whole return_refund case under the default
// policy set: request, approve, ship_return, receive_return and
// refund_succeeded (5 transitions an operation), an hour apart. Each
// operation starts from the same order facts with no case, in one reused
// order record (the host's record, not the engine's cost); the commands
// and their times are the host's input, made once.
func BenchmarkLifecycle(b *testing.B) {
	e := benchEngine(b)
	facts := benchOrder(b)
	times := make([]time.Time, len(lifecycle))
	for i := range times {
		times[i] = at(b, "2026-03-04 09:00").Add(time.Duration(i+1) * time.Hour)
	}
	o := new(aftersale.Order)
	b.ReportAllocs()
	for b.Loop() {
		*o = facts
		for i, cmd := range lifecycle {
			if _, err := e.ApplyAt(times[i], o, cmd); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(lifecycle)), "ns/transition")
}

// BenchmarkLifecycleStep measures each step of BenchmarkLifecycle alone,
// so a change shows which step it made faster or slower. Each iteration
// first puts the order (and case) back as they were before the step.
func BenchmarkLifecycleStep(b *testing.B) {
	e := benchEngine(b)
	for i, cmd := range lifecycle {
		b.Run(cmd.Action.String(), func(b *testing.B) {
			o, now := lifecycleAfter(b, e, i)
			now = now.Add(time.Hour)
			c := o.Case("c1")
			var pending aftersale.Case
			if c != nil {
				pending = *c
			}
			order := o
			settle()
			b.ReportAllocs()
			for b.Loop() {
				o = order
				if c != nil {
					*c = pending
				}
				if _, err := e.ApplyAt(now, &o, cmd); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// tenEvents returns the record of a case with ten events: an exchange that
// was negotiated, escalated, ruled on, returned, refused by the payment
// system once and refunded.
func tenEvents(b testing.TB) aftersale.Record {
	e := benchEngine(b)
	o := benchOrder(b)
	now := at(b, "2026-03-04 09:00")
	for _, cmd := range []aftersale.Command{
		lifecycle[0],
		{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionPropose, Amount: aftersale.Yuan(100)},
		{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionDecline},
		{Case: "c1", Actor: aftersale.ActorBuyer, Action: aftersale.ActionEscalate},
		{Case: "c1", Actor: aftersale.ActorMerchant, Action: aftersale.ActionSubmitEvidence, Note: "photos"},
		{Case: "c1", Actor: aftersale.ActorPlatform, Action: aftersale.ActionRule, Ruling: aftersale.RulingForBuyer, ReturnGoods: true},
		lifecycle[2], lifecycle[3],
		{Case: "c1", Actor: aftersale.ActorSystem, Action: aftersale.ActionRefundFailed},
		{Case: "c1", Actor: aftersale.ActorPlatform, Action: aftersale.ActionRetryRefund},
	} {
		now = now.Add(time.Hour)
		if _, err := e.ApplyAt(now, &o, cmd); err != nil {
			b.Fatal(err)
		}
	}
	r := o.Case("c1").Record()
	if len(r.Events) != 10 {
		b.Fatalf("%d events", len(r.Events))
	}
	return r
}

// BenchmarkReplay measures rebuilding a case from a 10-event record,
// checking every event against the transition table.
func BenchmarkReplay(b *testing.B) {
	r := tenEvents(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := aftersale.Replay(r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(len(r.Events))/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCaseAtRest measures the heap a case holds between commands, as
// B/case: a return on its way back (three events) and a finished refund
// (five). "live" is the order with its case as the engine left it; "loaded"
// is the same decoded from its JSON form, as a host holds what it read from
// storage; "case_only" is the case decoded alone, without the order's
// facts. The time an operation takes is meaningless here.
func BenchmarkCaseAtRest(b *testing.B) {
	e := benchEngine(b)
	for _, tc := range []struct {
		name  string
		steps int
	}{{"return_in_transit", 3}, {"refunded", 5}} {
		live := func() any {
			o, _ := lifecycleAfter(b, e, tc.steps)
			return &o
		}
		orderJSON, err := json.Marshal(live())
		if err != nil {
			b.Fatal(err)
		}
		caseJSON, err := json.Marshal(live().(*aftersale.Order).Case("c1"))
		if err != nil {
			b.Fatal(err)
		}
		decode := func(data []byte, v any) any {
			if err := json.Unmarshal(data, v); err != nil {
				b.Fatal(err)
			}
			return v
		}
		for _, form := range []struct {
			name  string
			build func() any
		}{
			{"live", live},
			{"loaded", func() any { return decode(orderJSON, new(aftersale.Order)) }},
			{"case_only", func() any { return decode(caseJSON, new(aftersale.Case)) }},
		} {
			b.Run(tc.name+"/"+form.name, func(b *testing.B) {
				b.ReportMetric(heapPer(b, form.build), "B/case")
			})
		}
	}
}

// heapPer returns the heap bytes one value made by build keeps alive,
// averaged over 10,000 values.
func heapPer(b *testing.B, build func() any) float64 {
	const n = 10000
	keep := make([]any, n)
	var before, after runtime.MemStats
	for b.Loop() {
		clear(keep)
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range keep {
			keep[i] = build()
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	runtime.KeepAlive(keep)
	return float64(after.HeapAlloc-before.HeapAlloc) / n
}

// BenchmarkDue measures the deadline index a host embedding many cases
// keeps: 1,000,000 open cases, their deadlines spread over the next ten
// days. Each operation advances the clock one hour and pops every case due,
// giving each the deadline of the state its timeout leads to (one of the §4
// durations, drawn in a fixed sequence), so the index stays at a million.
// It reports the heap the index and its keys hold, and the cases each sweep
// pops.
func BenchmarkDue(b *testing.B) {
	const n = 1_000_000
	start := at(b, "2026-03-04 09:00")
	durations := []time.Duration{48 * time.Hour, 5 * timeline.Day, 10 * timeline.Day, 48 * time.Hour, 7 * timeline.Day, 10 * timeline.Day}
	rnd := uint64(1)
	next := func() uint64 { // xorshift: deterministic, allocation-free
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		return rnd
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := timeline.NewIndex(n)
	for i := range n {
		key := "o-" + strconv.Itoa(10_000_000+i) + "/c1"
		x.Set(key, start.Add(time.Duration(next()%uint64(10*timeline.Day))))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)

	now := start
	popped := 0
	b.ReportAllocs()
	for b.Loop() {
		now = now.Add(time.Hour)
		popped += x.PopDue(now, func(key string, due time.Time) bool {
			x.Set(key, due.Add(durations[next()%uint64(len(durations))]))
			return true
		})
	}
	b.ReportMetric(float64(popped)/float64(b.N), "cases/sweep")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB")
	if x.Len() != n {
		b.Fatalf("the index holds %d cases", x.Len())
	}
}

// BenchmarkMarshalJSON measures encoding an order to its stored form, as a
// host does on every save: one return_refund case after its approval (two
// events, what the PostgreSQL store writes per command) and after its
// refund (five).
func BenchmarkMarshalJSON(b *testing.B) {
	e := benchEngine(b)
	for _, tc := range []struct {
		name  string
		steps int
	}{{"approved", 2}, {"refunded", 5}} {
		o, _ := lifecycleAfter(b, e, tc.steps)
		b.Run(tc.name, func(b *testing.B) {
			var size int
			b.ReportAllocs()
			for b.Loop() {
				doc, err := o.MarshalJSON() // as the PostgreSQL store calls it
				if err != nil {
					b.Fatal(err)
				}
				size = len(doc)
			}
			b.ReportMetric(float64(size), "B/doc")
		})
	}
}

// lifecycleAfter returns the benchmarks' order after the first steps of
// lifecycle, an hour apart from 2026-03-04 09:00, and the time of the last.
func lifecycleAfter(b *testing.B, e *aftersale.Engine, steps int) (aftersale.Order, time.Time) {
	b.Helper()
	o := benchOrder(b)
	now := at(b, "2026-03-04 09:00")
	for _, cmd := range lifecycle[:steps] {
		now = now.Add(time.Hour)
		if _, err := e.ApplyAt(now, &o, cmd); err != nil {
			b.Fatal(err)
		}
	}
	return o, now
}
