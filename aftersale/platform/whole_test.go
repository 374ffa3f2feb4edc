package platform

import (
	"errors"
	"slices"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

// TestNoCombinationFallsThrough places every combination of every
// platform's documented codes: each is a case with a kind, a state and
// the party that state waits for, or no case with the reason, or a
// contradiction refused as such; none comes out half set.
func TestNoCombinationFallsThrough(t *testing.T) {
	for _, p := range Platforms() {
		n := 0
		for _, c := range combinations(p) {
			got, err := c.Place()
			if err != nil {
				var e *aftersale.Error
				if !errors.As(err, &e) || e.Rule != RuleContradiction || !errors.Is(err, aftersale.ErrInvalidInput) {
					t.Errorf("%v: %v is no contradiction refused as such", c, err)
				}
				continue
			}
			n++
			switch got.Scope {
			case InShouhou:
				if got.Kind == 0 || got.State == 0 || got.Waiting != got.State.Waiting() || !fits(got.Kind, got.State) {
					t.Errorf("%v: %+v is not a whole placement", c, got)
				}
				if got.Closed != 0 && got.State != aftersale.StateClosed {
					t.Errorf("%v: %+v has a closed reason but is not closed", c, got)
				}
			case NotACase, OutsideShouhou:
				if got.Why == "" || got.Kind != 0 || got.State != 0 {
					t.Errorf("%v: %+v says no case without saying why, or with a state", c, got)
				}
			default:
				t.Errorf("%v: %+v has no scope", c, got)
			}
		}
		if n == 0 {
			t.Errorf("%s: no combination places", p)
		}
	}
}

// TestReverseInvertsPlace checks the reverse map against the forward one:
// every combination that places a case is among the codes Reverse gives
// for its kind and state, and Reverse gives nothing else.
func TestReverseInvertsPlace(t *testing.T) {
	for _, p := range Platforms() {
		for _, c := range combinations(p) {
			got, err := c.Place()
			if err != nil || got.Scope != InShouhou {
				continue
			}
			back := Reverse(p, got.Kind, got.State)
			if !slices.Contains(back, c) {
				t.Errorf("%v places %v, but Reverse(%v, %v) misses it", c, got, got.Kind, got.State)
			}
		}
	}
}

// TestStatusesForSyncBack spells out the reverse map where a tool writing
// back needs it, including where it is not one-to-one.
func TestStatusesForSyncBack(t *testing.T) {
	rows := []struct {
		p    Platform
		k    aftersale.Kind
		s    aftersale.State
		want []string
	}{
		{Douyin, returnRefund, aftersale.StateAwaitingReturn, []string{"7"}},
		{Douyin, refundOnly, aftersale.StateRefunded, []string{"12 (refund_status=3)", "12 (refund_status=5)", "53 (refund_status=3)", "53 (refund_status=5)"}},
		{Pinduoduo, refundOnly, aftersale.StateRefunding, []string{"4", "5"}},
		{Kuaishou, refundOnly, aftersale.StateRejected, []string{"12", "10 (negotiateStatus=3)", "11 (negotiateStatus=3)"}},
		{Kuaishou, refundOnly, aftersale.StateRefundFailed, nil},
		{Taobao, refundOnly, aftersale.StateIntercepting, []string{"WAIT_SELLER_AGREE (good_status=BUYER_NOT_RECEIVED, order_status=WAIT_BUYER_CONFIRM_GOODS)"}},
		{Taobao, returnRefund, aftersale.StateReturnInTransit, []string{"WAIT_SELLER_CONFIRM_GOODS"}},
		{Pinduoduo, refundOnly, aftersale.StateNegotiating, nil},
	}
	for _, r := range rows {
		if got := Statuses(r.p, r.k, r.s); !slices.Equal(got, r.want) {
			t.Errorf("Statuses(%v, %v, %v) = %q, want %q", r.p, r.k, r.s, got, r.want)
		}
	}
}

// TestEveryCodeCitesItsSource checks that each documented code names a
// source the tables list, and has its documented meaning.
func TestEveryCodeCitesItsSource(t *testing.T) {
	for _, p := range Platforms() {
		for _, f := range fieldsOf(p) {
			for _, e := range f.entries {
				if _, ok := sources[e.src]; !ok || e.meaning == "" {
					t.Errorf("%s %s %q cites %q and means %q", p, f.name, e.value, e.src, e.meaning)
				}
				if e.maps() == "" {
					t.Errorf("%s %s %q says nothing of what shouhou makes of it", p, f.name, e.value)
				}
			}
		}
	}
}
