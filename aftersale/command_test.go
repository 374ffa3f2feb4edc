package aftersale_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
)

func keyed(cmd aftersale.Command, key string) aftersale.Command {
	return with(cmd, func(c *aftersale.Command) { c.Key = key })
}

func TestTheSameKeyIsAppliedOnce(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	first := f.do(keyed(request(returnRefund, aftersale.ReasonQuality), "req-1"))
	again := f.do(keyed(request(returnRefund, aftersale.ReasonQuality), "req-1"))
	if !again.Repeat || again.Case != first.Case || again.Event.Seq != first.Event.Seq || f.o.NumCases() != 1 {
		t.Fatalf("repeating the request gave %+v; want the first event back and one case", again)
	}
	f.do(keyed(act(merchant, aftersale.ActionApprove), "ap-1"))
	ship := keyed(shipReturn(), "ship-1")
	f.do(ship)
	v := f.c("c1").Version()
	// The retry arrives later, and even stamped earlier than the last event
	// (a retry from a queue): still the same command, applied once.
	out, err := f.e.ApplyAt(f.now.Add(-time.Hour), f.o, ship)
	if err != nil || !out.Repeat || f.c("c1").Version() != v {
		t.Fatalf("retrying ship_return: %+v, %v; version %d, want %d", out, err, f.c("c1").Version(), v)
	}
	// The same key for something else is a conflict.
	f.fails(keyed(act(merchant, aftersale.ActionReceiveReturn), "ship-1"), aftersale.ErrConflict)
	f.fails(keyed(with(shipReturn(), func(c *aftersale.Command) { c.Waybill = "OTHER" }), "ship-1"), aftersale.ErrConflict)
	// Order facts have keys too.
	g := newFixture(t, aftersale.Rules{}).unshipped()
	g.do(keyed(aftersale.Command{Actor: system, Action: aftersale.ActionShipped}, "wms-9"))
	if out := g.do(keyed(aftersale.Command{Actor: system, Action: aftersale.ActionShipped}, "wms-9")); !out.Repeat {
		t.Error("a repeated shipped fact was not recognised")
	}
	g.fails(keyed(aftersale.Command{Actor: system, Action: aftersale.ActionDelivered}, "wms-9"), aftersale.ErrConflict)
}

func TestClockRegressed(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(returnRefund, aftersale.ReasonQuality))
	last := f.now
	f.failsAt(last.Add(-time.Second), act(merchant, aftersale.ActionApprove), aftersale.ErrClockRegressed)
	if _, err := f.e.AdvanceTo(last.Add(-time.Second), f.o); aftersale.CodeOf(err) != aftersale.ErrClockRegressed {
		t.Errorf("AdvanceTo into the past: %v", err)
	}
	// The same instant as the last event is fine.
	if _, err := f.e.ApplyAt(last, f.o, act(merchant, aftersale.ActionApprove)); err != nil {
		t.Errorf("an action at the last event's time: %v", err)
	}
	// Before the payment is not a clock problem but bad input.
	g := newFixture(t, aftersale.Rules{})
	g.failsAt(at(t, paid).Add(-time.Minute), request(refundOnly, aftersale.ReasonQuality), aftersale.ErrInvalidInput)
}

func TestStaleVersion(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(refundOnly, aftersale.ReasonQuality))
	seen := f.c("c1").Version()
	f.do(with(act(merchant, aftersale.ActionEscalate), func(c *aftersale.Command) { c.Version = seen }))
	// A buyer who still sees the case under review withdraws: too late.
	f.fails(with(act(buyer, aftersale.ActionWithdraw), func(c *aftersale.Command) { c.Version = seen }), aftersale.ErrConflict)
	f.do(with(act(buyer, aftersale.ActionWithdraw), func(c *aftersale.Command) { c.Version = seen + 1 }))
}

// TestAnActorAndAnActionAreRequired: a command without an actor or an
// action says that one is required; one out of range is unknown.
func TestAnActorAndAnActionAreRequired(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(returnRefund, aftersale.ReasonQuality))
	invalid := func(rule, en, zh string) *aftersale.Error {
		return &aftersale.Error{Code: aftersale.ErrInvalidInput, Rule: rule, Message: en, Zh: zh}
	}
	for _, tc := range []struct {
		name string
		cmd  aftersale.Command
		want *aftersale.Error
	}{
		{"the zero command", aftersale.Command{}, invalid("command.actor_required", "command: actor is required", "缺少操作人")},
		{"no actor", aftersale.Command{Case: "c1", Action: aftersale.ActionApprove}, invalid("command.actor_required", "command: actor is required", "缺少操作人")},
		{"no action", aftersale.Command{Case: "c1", Actor: merchant}, invalid("command.action_required", "command: action is required", "缺少操作")},
		{"an actor out of range", aftersale.Command{Case: "c1", Actor: 9, Action: aftersale.ActionApprove},
			invalid("command.unknown_actor", "command: unknown actor Actor(9)", "未知的操作人（9）")},
		{"an action out of range", aftersale.Command{Case: "c1", Actor: merchant, Action: 99},
			invalid("command.unknown_action", "command: unknown action Action(99)", "未知的操作（99）")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.fails(tc.cmd, aftersale.ErrInvalidInput)
			var got *aftersale.Error
			if !errors.As(err, &got) {
				t.Fatalf("%v is not an *aftersale.Error", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("the refusal differs (-want +got):\n%s", diff)
			}
			if want := "aftersale: invalid_input: " + tc.want.Message; err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
	t.Run("{} as JSON", func(t *testing.T) {
		var cmd aftersale.Command
		if err := json.Unmarshal([]byte(`{}`), &cmd); err != nil {
			t.Fatal(err)
		}
		err := f.fails(cmd, aftersale.ErrInvalidInput)
		if want := "aftersale: invalid_input: command: actor is required"; err.Error() != want {
			t.Errorf("Error() = %q, want %q", err.Error(), want)
		}
	})
}

func TestMalformedCommands(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.do(request(returnRefund, aftersale.ReasonQuality))
	for name, cmd := range map[string]aftersale.Command{
		"no actor":                      {Case: "c1", Action: aftersale.ActionApprove},
		"unknown actor":                 {Case: "c1", Actor: 9, Action: aftersale.ActionApprove},
		"no action":                     {Case: "c1", Actor: merchant},
		"unknown action":                {Case: "c1", Actor: merchant, Action: 99},
		"no case":                       {Actor: merchant, Action: aftersale.ActionApprove},
		"reject without a reason":       act(merchant, aftersale.ActionReject),
		"propose without an amount":     act(merchant, aftersale.ActionPropose),
		"a carrier on an approval":      with(act(merchant, aftersale.ActionApprove), func(c *aftersale.Command) { c.Carrier = "SF" }),
		"an amount on an approval":      with(act(merchant, aftersale.ActionApprove), func(c *aftersale.Command) { c.Amount = 1 }),
		"negative amount":               with(propose(-1), func(*aftersale.Command) {}),
		"lines on an approval":          with(act(merchant, aftersale.ActionApprove), linesOf(aftersale.Units{Line: "l1", Quantity: 1})),
		"a version on a request":        with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case, c.Version = "c2", 1 }),
		"a negative version":            with(act(merchant, aftersale.ActionApprove), func(c *aftersale.Command) { c.Version = -1 }),
		"request without a kind":        with(request(0, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c2" }),
		"request without a reason":      with(request(refundOnly, 0), func(c *aftersale.Command) { c.Case = "c2" }),
		"request with an unknown kind":  with(request(7, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Case = "c2" }),
		"a ruling for nobody":           with(act(platform, aftersale.ActionRule), func(c *aftersale.Command) { c.Ruling = 3 }),
		"merchant ruling with money":    with(rule(aftersale.RulingForMerchant, false), func(c *aftersale.Command) { c.Amount = 5 }),
		"evidence without any evidence": act(buyer, aftersale.ActionSubmitEvidence),
		"offline without the agreement": act(merchant, aftersale.ActionResolveOffline),
		"ship_return without waybill":   with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier = "SF" }),
		"ship_return without carrier":   with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Waybill = "1" }),
		"negative freight":              with(shipReturn(), func(c *aftersale.Command) { c.Freight = -1 }),
		"reship without waybill":        with(act(merchant, aftersale.ActionReship), func(c *aftersale.Command) { c.Carrier = "SF" }),
	} {
		t.Run(name, func(t *testing.T) { f.fails(cmd, aftersale.ErrInvalidInput) })
	}
	for name, cmd := range map[string]aftersale.Command{
		"expire sent as a command":       act(system, aftersale.ActionExpire),
		"sla_breached sent as a command": act(system, aftersale.ActionSLABreached),
		"a request by the merchant":      with(request(refundOnly, aftersale.ReasonQuality), func(c *aftersale.Command) { c.Actor, c.Case = merchant, "c2" }),
	} {
		t.Run(name, func(t *testing.T) { f.fails(cmd, aftersale.ErrNotPermitted) })
	}
	t.Run("an action on a case that was never requested", func(t *testing.T) {
		f.fails(with(act(merchant, aftersale.ActionApprove), func(c *aftersale.Command) { c.Case = "c9" }), aftersale.ErrNotFound)
	})
	if _, err := f.e.ApplyAt(f.now, nil, act(merchant, aftersale.ActionApprove)); aftersale.CodeOf(err) != aftersale.ErrInvalidInput {
		t.Errorf("a nil order: %v", err)
	}
}

// TestARefusedArgumentSaysWhatTheActionTakes checks that a command refused
// for its arguments says what its action takes, where that is the fix.
func TestARefusedArgumentSaysWhatTheActionTakes(t *testing.T) {
	f := newFixture(t, aftersale.Rules{})
	f.reach(refundOnly, aftersale.StatePendingReview)
	for _, tc := range []struct {
		cmd  aftersale.Command
		want string
	}{
		{with(act(merchant, aftersale.ActionReject), func(c *aftersale.Command) { c.Note, c.Reason = "used", aftersale.ReasonQuality }),
			"reason does not go with reject (reject takes note)"},
		{with(act(merchant, aftersale.ActionReject), func(c *aftersale.Command) { c.Reason = aftersale.ReasonQuality }),
			"reject needs note (reason does not go with reject, which takes note)"},
		{act(merchant, aftersale.ActionReject), "reject needs note"},
		{with(act(buyer, aftersale.ActionShipReturn), func(c *aftersale.Command) { c.Carrier, c.Waybill, c.Ruling = "SF", "1", aftersale.RulingForBuyer }),
			"ruling does not go with ship_return (ship_return takes carrier, waybill, freight, note)"},
	} {
		err := f.fails(tc.cmd, aftersale.ErrInvalidInput)
		var e *aftersale.Error
		if !errors.As(err, &e) || e.Message != tc.want {
			t.Errorf("%s: %v, want %q", tc.cmd.Action, err, tc.want)
		}
	}
}
