package platform

import (
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

// The shorthands of the placement tables below.
const (
	refundOnly   = aftersale.KindRefundOnly
	returnRefund = aftersale.KindReturnRefund
	exchange     = aftersale.KindExchange
	reissue      = aftersale.KindReissue
	repair       = aftersale.KindRepair
)

// at is the placement a row expects: kind k in state s.
func at(k aftersale.Kind, s aftersale.State) Placement {
	return Placement{Scope: InShouhou, Kind: k, State: s, Waiting: s.Waiting()}
}

func closedAs(k aftersale.Kind, r aftersale.ClosedReason) Placement {
	p := at(k, aftersale.StateClosed)
	p.Closed = r
	return p
}

func outside(s Scope) Placement { return Placement{Scope: s} }

// placeCase is one row of a placement table: codes, and where they put
// the case (Why is not compared) or the rule they are refused under.
type placeCase struct {
	codes Codes
	want  Placement
	rule  string
}

// checkPlacements runs a placement table and returns the values of each
// field it used, so that a test can check every documented code is in
// it.
func checkPlacements(t *testing.T, rows []placeCase) {
	t.Helper()
	for _, r := range rows {
		got, err := r.codes.Place()
		if r.rule != "" {
			var e *aftersale.Error
			if !errors.As(err, &e) || e.Rule != r.rule || !errors.Is(err, aftersale.ErrInvalidInput) {
				t.Errorf("%v: got %v, %v; want a refusal under %s", r.codes, got, err, r.rule)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", r.codes, err)
			continue
		}
		got.Why = ""
		if diff := cmp.Diff(r.want, got); diff != "" {
			t.Errorf("%v (-want +got):\n%s", r.codes, diff)
		}
	}
}

// used returns the values of field name that the rows use.
func used(rows []placeCase, p Platform, name string) map[string]bool {
	out := map[string]bool{}
	for _, r := range rows {
		for _, f := range fieldValues(r.codes) {
			if f[0] == name {
				out[f[1]] = true
			}
		}
	}
	return out
}

// fieldValues returns c's fields and values, as the tables name them.
func fieldValues(c Codes) [][2]string {
	i := strconv.Itoa
	switch c := c.(type) {
	case KuaishouCodes:
		return [][2]string{{"handlingWay", i(c.HandlingWay)}, {"status", i(c.Status)}, {"negotiateStatus", i(c.NegotiateStatus)}}
	case DouyinCodes:
		return [][2]string{{"after_sale_type", i(c.Type)}, {"after_sale_status", i(c.Status)}, {"refund_status", i(c.RefundStatus)}, {"arbitrate_status", i(c.ArbitrateStatus)}}
	case TaobaoCodes:
		return [][2]string{{"dispute_type", c.DisputeType}, {"status", c.Status}, {"good_status", c.GoodStatus}, {"cs_status", i(c.CsStatus)}}
	case PinduoduoCodes:
		return [][2]string{{"after_sales_type", i(c.Type)}, {"after_sales_status", i(c.Status)}}
	}
	return nil
}

// everyCodeIn fails unless the rows use every documented value of every
// field of p.
func everyCodeIn(t *testing.T, p Platform, rows []placeCase) {
	t.Helper()
	for _, f := range fieldsOf(p) {
		have := used(rows, p, f.name)
		for _, e := range f.entries {
			if !have[e.value] {
				t.Errorf("%s %s %q has no row in the table test", p, f.name, e.value)
			}
		}
	}
}
