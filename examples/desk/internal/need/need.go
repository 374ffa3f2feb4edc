// Package need is how the desk's tests say a program they need is
// missing: the project's rule is that such a test fails where CI=true,
// and elsewhere skips, saying how to get the program.
package need

import (
	"os"
	"testing"
)

// Missing ends the test for want of something, with how to get it.
func Missing(t testing.TB, howToGet string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(howToGet)
	}
	t.Skip(howToGet)
}
