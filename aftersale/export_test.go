package aftersale

import "reflect"

// SameCase reports whether two cases hold the same, unexported fields
// included, but for whether an empty list of texts or decisions has room
// allocated (a new case does, a loaded one does not). It is
// reflect.DeepEqual's speed that the invariant checks need after every
// step.
func SameCase(a, b *Case) bool {
	x, y := *a, *b
	for _, c := range []*Case{&x, &y} {
		if len(c.log.texts) == 0 {
			c.log.texts = nil
		}
		if len(c.log.decisions) == 0 {
			c.log.decisions = nil
		}
	}
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
