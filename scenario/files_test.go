package scenario_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

// TestShippedScenarios plays every scenario file in examples/scenarios:
// each must decode and pass. A failure prints what the runner would.
func TestShippedScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "scenarios", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 30 {
		t.Fatalf("found %d scenario files, want at least 30", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			s, err := scenario.Load(file, policy.Default())
			if err != nil {
				t.Fatal(err)
			}
			res, err := scenario.Play(s)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Passed {
				var b strings.Builder
				if err := res.WriteText(&b); err != nil {
					t.Fatal(err)
				}
				t.Errorf("scenario failed:\n%s", b.String())
			}
		})
	}
}
