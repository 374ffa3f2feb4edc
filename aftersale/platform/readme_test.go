package platform

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's platform tables from the code")

const (
	tablesBegin = "<!-- platform tables: generated from aftersale/platform's tables; go test ./aftersale/platform -run TestREADMETables -update rewrites them -->\n"
	tablesEnd   = "<!-- end of platform tables -->\n"
)

// TestREADMETables keeps the README's platform tables equal to the ones
// the code maps by: the tables live in the code, once.
func TestREADMETables(t *testing.T) {
	const path = "../../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, tablesBegin)
	end := strings.Index(readme, tablesEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no platform tables between %q and %q", tablesBegin, tablesEnd)
	}
	start += len(tablesBegin)
	want := "\n" + markdown() + "\n"
	if readme[start:end] == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:start]+want+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's platform tables are stale; run go test ./aftersale/platform -run TestREADMETables -update")
}
