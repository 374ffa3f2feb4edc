package aftersale_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// TestCloneIsAnOrderOfItsOwn clones an order with two cases at each step
// of a return: the clone equals the order, field by field and in its
// stored form, and a command applied to the clone leaves the order as it
// was, and the other way round.
func TestCloneIsAnOrderOfItsOwn(t *testing.T) {
	f := newFixture(t, policy.Default())
	f.o.Lines = []aftersale.Line{{ID: "l1", Quantity: 2, Paid: aftersale.Yuan(199)}, {ID: "l2", Quantity: 1, Paid: aftersale.Yuan(100)}}
	steps := []aftersale.Command{
		with(request(returnRefund, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Lines = []aftersale.Units{{Line: "l1", Quantity: 1}}; c.Key = "k1" }),
		with(request(refundOnly, aftersale.ReasonNotAsDescribed), func(c *aftersale.Command) { c.Case = "c2"; c.Lines = []aftersale.Units{{Line: "l2", Quantity: 1}} }),
		note(act(merchant, aftersale.ActionReject), "used"),
		act(merchant, aftersale.ActionApprove),
		shipReturn(),
		act(merchant, aftersale.ActionReceiveReturn),
		act(system, aftersale.ActionRefundSucceeded),
	}
	steps[2].Case = "c2"
	for i, cmd := range steps {
		clone := f.o.Clone()
		if diff := cmp.Diff(f.o, clone, deep); diff != "" {
			t.Fatalf("step %d: the clone differs (-order +clone):\n%s", i, diff)
		}
		before := f.json()
		if _, err := f.e.ApplyAt(f.tick(), clone, cmd); err != nil {
			t.Fatalf("step %d: %s on the clone: %v", i, cmd.Action, err)
		}
		if got := f.json(); got != before {
			t.Fatalf("step %d: %s on the clone changed the order", i, cmd.Action)
		}
		cloned := string(mustJSON(t, clone))
		f.do(cmd)
		if got := string(mustJSON(t, clone)); got != cloned {
			t.Fatalf("step %d: %s on the order changed the clone", i, cmd.Action)
		}
	}
}
