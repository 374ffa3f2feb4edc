package aftersale

import (
	"reflect"
	"time"
)

// SameCase reports whether two cases hold the same, unexported fields
// included, but for two things that are not what a case holds but how, as
// the tests' deep options: whether an empty list of texts or decisions has
// room allocated (a new case does, a loaded one does not), and the zone
// the case gives its times in (the JSON form keeps its offset, not its
// name). It is reflect.DeepEqual's speed that the invariant checks need
// after every step.
func SameCase(a, b *Case) bool {
	x, y := *a, *b
	for _, c := range []*Case{&x, &y} {
		if len(c.log.texts) == 0 {
			c.log.texts = nil
		}
		if len(c.log.decisions) == 0 {
			c.log.decisions = nil
		}
		c.log.loc = nil
	}
	return reflect.DeepEqual(x, y)
}

// SameOrder is SameCase for orders: the same facts (times as instants),
// version, keys and cases.
func SameOrder(a, b *Order) bool {
	if len(a.cases) != len(b.cases) {
		return false
	}
	for i := range a.cases {
		if !SameCase(a.cases[i], b.cases[i]) {
			return false
		}
	}
	x, y := *a, *b
	for _, t := range [...][2]*time.Time{{&x.PaidAt, &y.PaidAt}, {&x.ShippedAt, &y.ShippedAt}, {&x.DeliveredAt, &y.DeliveredAt}} {
		if !t[0].Equal(*t[1]) {
			return false
		}
		*t[0], *t[1] = time.Time{}, time.Time{}
	}
	x.cases, y.cases = nil, nil
	return reflect.DeepEqual(x, y)
}

// How many values each enum has, counting the zero value: tests loop over
// 1..n-1 rather than naming the last constant, so a value added later is
// covered.
const (
	NumActions       = Action(numActions)
	NumStates        = State(numStates)
	NumKinds         = Kind(len(kindNames))
	NumClosedReasons = ClosedReason(len(closedNames))
	NumReasons       = Reason(len(reasonNames))
)

// ArgRule returns the JSON names of the arguments a command carrying a
// needs and may carry, as Command.check reads them, so tests build and
// break commands from the rule itself.
func ArgRule(a Action) (need, may []string) {
	rule := argsOf(a)
	for i, n := range argNames {
		switch {
		case rule.need&(1<<i) != 0:
			need = append(need, n)
		case rule.may&(1<<i) != 0:
			may = append(may, n)
		}
	}
	return need, may
}

// AddressesCase reports whether a command of action a is sent to an
// existing case, rather than opening one or stating an order fact.
func AddressesCase(a Action) bool { return a.addressesCase() }
