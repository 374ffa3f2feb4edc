package postgres

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestWithoutPostgreSQLTheTestsFailInCIAndSkipElsewhere runs a test of
// this package in a process that cannot find PostgreSQL (PG_BINDIR points
// nowhere): with CI=true it fails, saying why; without, it skips with a
// message that says how to get PostgreSQL.
func TestWithoutPostgreSQLTheTestsFailInCIAndSkipElsewhere(t *testing.T) {
	for _, tt := range []struct {
		ci       string
		wantFail bool
		want     string
	}{
		{"true", true, "these tests need PostgreSQL, and CI=true"},
		{"", false, "apt-get install postgresql"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEventsAreAppendOnly$", "-test.v")
		cmd.Env = append(os.Environ(), "PG_BINDIR=/nonexistent", "CI="+tt.ci)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != tt.wantFail {
			t.Errorf("CI=%q: failed %v, want %v\n%s", tt.ci, failed, tt.wantFail, out)
		}
		if !strings.Contains(string(out), tt.want) {
			t.Errorf("CI=%q: the output does not say %q:\n%s", tt.ci, tt.want, out)
		}
		if !tt.wantFail && !strings.Contains(string(out), "--- SKIP") {
			t.Errorf("CI=%q: not skipped:\n%s", tt.ci, out)
		}
	}
}
