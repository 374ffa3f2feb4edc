package aftersale_test

import (
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

var (
	invariantCases = flag.Int("invariants.cases", 0, "TestInvariants walks random orders until this many cases were opened under each rule set (0: 1000; 150 under -race, whose walks are ten times slower and have no goroutines to check; 50 with -short)")
	invariantSeed  = flag.Uint64("invariants.seed", 1, "the seed of TestInvariants' walks")
	invariantWalk  = flag.Int("invariants.walk", -1, "run only this walk of TestInvariants, to reproduce a failure")
)

// TestInvariants walks random orders through random steps under each rule
// set and checks the invariants of SPEC §8 after every step (see walk.step
// and walk.changed): terminal states absorbing, one deadline per open case
// and none overdue, refunds within the amount paid, a refusal changing
// nothing, replay and JSON giving the same order, keyed repeats applied
// once, late commands refused as clock_regressed, timestamps never going
// back and the version counting every event and fact.
//
// The walks are reproducible: walk i of seed s makes the same choices
// whatever else runs. A failure prints the walk's steps and the flags that
// run it alone.
func TestInvariants(t *testing.T) {
	want := *invariantCases
	switch {
	case want > 0:
	case testing.Short():
		want = 50
	case raceEnabled:
		want = 150
	default:
		want = 1000
	}
	seed := *invariantSeed
	for _, rs := range allWalkRules() {
		t.Run(rs.name, func(t *testing.T) {
			t.Parallel()
			e, err := aftersale.New(aftersale.Config{Rules: rs.rules, Zone: zone})
			if err != nil {
				t.Fatal(err)
			}
			stats := newWalkStats()
			var w *walk
			tellOnFailure(t, func() *walk { return w })
			for i := 0; stats.cases < want; i++ {
				if *invariantWalk >= 0 && i != *invariantWalk {
					if i > *invariantWalk {
						break
					}
					continue
				}
				ch := newRandChooser(seed, i)
				w = newWalk(t, e, ch, rs.limits, stats, fmt.Sprintf("o-%d", i))
				w.about = fmt.Sprintf("seed %d, walk %d; run it alone: go test ./aftersale -run 'TestInvariants/%s$' -invariants.seed=%d -invariants.walk=%d -v",
					seed, i, rs.name, seed, i)
				w.run(10 + ch.intn(50))
			}
			t.Logf("seed %d: %v", seed, stats)
			if *invariantWalk >= 0 && w != nil {
				t.Log(w.story())
			}
			if *invariantWalk < 0 && want >= 700 {
				stats.wentEverywhere(t, len(rs.rules.Policies) > 0)
			}
		})
	}
}

// wentEverywhere fails if the walks missed a state, a closed reason or a
// refusal code: walks that stop early check nothing there.
func (s *walkStats) wentEverywhere(t *testing.T, policies bool) {
	t.Helper()
	if policies && s.refused[aftersale.ErrNotEligible] == 0 {
		t.Error("no request was found not eligible")
	}
	for st := aftersale.State(1); st < aftersale.NumStates; st++ {
		if s.states[st] == 0 {
			t.Errorf("no walk reached %s", st)
		}
	}
	for r := aftersale.ClosedReason(1); r < aftersale.NumClosedReasons; r++ {
		if s.closed[r] == 0 {
			t.Errorf("no case closed %s", r)
		}
	}
	for _, c := range []aftersale.Code{aftersale.ErrNotPermitted, aftersale.ErrInvalidInput, aftersale.ErrConflict, aftersale.ErrClockRegressed, aftersale.ErrNotFound} {
		if s.refused[c] == 0 {
			t.Errorf("no step was refused with %s", c)
		}
	}
	if s.repeats == 0 {
		t.Error("no keyed repeat was sent")
	}
}

// TestReloadedOrdersAnswerAlike walks orders in three zones (UTC+8, and
// New York and Santiago, which change their clocks, Santiago at midnight)
// beside twins that are reloaded from their JSON at random points: every
// command and every Advance must answer alike on both, and leave the same
// bytes, so a host that reloads an order between any two calls sees no
// difference.
func TestReloadedOrdersAnswerAlike(t *testing.T) {
	walks := 150
	if testing.Short() || raceEnabled {
		walks = 30
	}
	rs := allWalkRules()[0]
	for _, name := range []string{"", "America/New_York", "America/Santiago"} {
		loc := zone
		if name != "" {
			var err error
			if loc, err = time.LoadLocation(name); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(loc.String(), func(t *testing.T) {
			e, err := aftersale.New(aftersale.Config{Rules: rs.rules, Zone: loc})
			if err != nil {
				t.Fatal(err)
			}
			var w *walk
			tellOnFailure(t, func() *walk { return w })
			for i := range walks {
				w = newWalk(t, e, newRandChooser(*invariantSeed, i), rs.limits, nil, fmt.Sprintf("o-%d", i))
				for _, at := range []*time.Time{&w.o.PaidAt, &w.o.ShippedAt, &w.o.DeliveredAt} {
					if !at.IsZero() {
						*at = at.In(loc)
					}
				}
				w.now = w.now.In(loc)
				w.take(roundTrip(t, w.o))
				w.start = w.prev.json
				w.twin = decode(t, w.prev.json)
				w.about = fmt.Sprintf("walk %d in %s; run it alone: go test ./aftersale -run 'TestReloadedOrdersAnswerAlike' -invariants.seed=%d -v", i, loc, *invariantSeed)
				w.run(40)
			}
		})
	}
}
