package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

// FuzzParse feeds arbitrary bytes to the decoder. It must never panic;
// whatever it refuses is a *scenario.Error naming the file; and whatever it
// accepts must play without the player itself failing (the engine may
// refuse commands: those are Failures, not errors), its sweep and its
// baseline too.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("../examples/scenarios/*.json")
	if err != nil || len(files) == 0 {
		f.Fatalf("no scenario files to seed with: %v", err)
	}
	files = append(files, "../examples/scenarios/testdata/sweep_review.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.json", data, policy.Default())
		if err != nil {
			var se *scenario.Error
			if !errors.As(err, &se) || se.File != "fuzz.json" {
				t.Fatalf("refusal %v is not a *scenario.Error naming the file", err)
			}
			return
		}
		if len(s.Steps) > 200 {
			return // long enough to prove nothing more; keep the fuzzer fast
		}
		res, err := scenario.Play(s)
		if err != nil {
			t.Fatalf("a decoded scenario could not be played: %v", err)
		}
		if res.Passed != (len(res.Failures) == 0) {
			t.Fatalf("Passed is %v with %d failures", res.Passed, len(res.Failures))
		}
		variants, err := s.BaselineVariants()
		if err != nil {
			t.Fatalf("a decoded scenario has no baseline: %v", err)
		}
		if s.Sweep != nil && len(s.Sweep.Values) <= 8 {
			swept, err := s.SweepVariants(*s.Sweep)
			if err != nil {
				t.Fatalf("a decoded sweep is refused: %v", err)
			}
			variants = append(variants, swept...)
		}
		c, err := scenario.Compare(s, variants...)
		if err != nil {
			t.Fatalf("a decoded scenario could not be compared: %v", err)
		}
		if len(c.Runs) != len(variants) {
			t.Fatalf("%d runs for %d variants", len(c.Runs), len(variants))
		}
	})
}
