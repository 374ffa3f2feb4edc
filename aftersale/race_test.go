//go:build race

package aftersale_test

// raceEnabled reports whether the tests run under the race detector, which
// makes the reflection-heavy invariant checks about ten times slower.
const raceEnabled = true
