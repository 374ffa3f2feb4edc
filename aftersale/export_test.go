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
