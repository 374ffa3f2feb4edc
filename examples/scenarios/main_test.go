package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

// write writes a file in dir and returns its path.
func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runner runs the command line and returns its exit status and output.
func runner(args ...string) (status int, stdout, stderr string) {
	var out, errs strings.Builder
	status = run(args, &out, &errs)
	return status, out.String(), errs.String()
}

const (
	passing = "fast_refund_5h59m_299.99_passes.json"
	// failingFile expects the wrong state.
	failingFile = `{"name": "expects the wrong state",
	  "order": {"id": "o-1", "amount": "10.00", "paid_at": "2026-03-01T10:00:00+08:00"},
	  "steps": [{"after": "1h", "actor": "buyer", "action": "request", "kind": "refund_only", "reason": "other",
	             "expect": {"state": "refunded"}}]}`
	// brokenFile has a field the format does not know.
	brokenFile = `{"name": "misspelt", "ordr": {}}`
)

func TestRunExitStatus(t *testing.T) {
	dir := t.TempDir()
	failing := write(t, dir, "failing.json", failingFile)
	broken := write(t, dir, "broken.json", brokenFile)
	missing := filepath.Join(dir, "missing.json")

	tests := []struct {
		name       string
		args       []string
		status     int
		stdout     []string // parts stdout must contain
		stderr     []string // parts stderr must contain
		noStdout   bool
		stderrNone bool
	}{
		{name: "all passed", args: []string{passing}, status: 0,
			stdout: []string{"== fast refund", "PASS", "1 passed, 0 failed\n"}, stderrNone: true},
		{name: "one failed", args: []string{passing, failing}, status: 1,
			stdout: []string{"PASS", "FAIL\n   step 1: state: want refunded, got pending_review", "1 passed, 1 failed\n"}, stderrNone: true},
		{name: "a file cannot be decoded; the others still play", args: []string{broken, passing}, status: 2,
			stdout: []string{"PASS", "1 passed, 0 failed, 1 could not be read\n"},
			stderr: []string{broken + `: field "ordr": unknown field`}},
		{name: "a file is missing", args: []string{missing}, status: 2,
			stdout: []string{"0 passed, 0 failed, 1 could not be read\n"},
			stderr: []string{missing + ": no such file or directory"}},
		{name: "a failure and a broken file", args: []string{failing, broken}, status: 2,
			stdout: []string{"FAIL"}, stderr: []string{"broken.json"}},
		{name: "no files", args: nil, status: 2, noStdout: true,
			stderr: []string{"usage: go run ./examples/scenarios [-json] [-lang en|zh] [-sweep <policy>.<parameter>=<value>,...] [-baseline] FILE..."}},
		{name: "an unknown flag", args: []string{"-yaml", passing}, status: 2, noStdout: true,
			stderr: []string{"flag provided but not defined: -yaml"}},
		{name: "help", args: []string{"-h"}, status: 0, noStdout: true, stderr: []string{"-json", "-lang", "-params", "-sweep policy.parameter=value,...", "-baseline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := runner(tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d\nstdout:\n%s\nstderr:\n%s", status, tt.status, stdout, stderr)
			}
			for _, part := range tt.stdout {
				if !strings.Contains(stdout, part) {
					t.Errorf("stdout does not contain %q:\n%s", part, stdout)
				}
			}
			for _, part := range tt.stderr {
				if !strings.Contains(stderr, part) {
					t.Errorf("stderr does not contain %q:\n%s", part, stderr)
				}
			}
			if tt.noStdout && stdout != "" {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
			if tt.stderrNone && stderr != "" {
				t.Errorf("stderr is not empty:\n%s", stderr)
			}
		})
	}
}

func TestRunJSON(t *testing.T) {
	dir := t.TempDir()
	failing := write(t, dir, "failing.json", failingFile)
	broken := write(t, dir, "broken.json", brokenFile)

	status, stdout, _ := runner("-json", passing, failing, broken)
	if status != 2 {
		t.Errorf("status %d, want 2", status)
	}
	var got []struct {
		File     string             `json:"file"`
		Name     string             `json:"name"`
		Passed   bool               `json:"passed"`
		Error    string             `json:"error"`
		Failures []scenario.Failure `json:"failures"`
		Timeline []map[string]any   `json:"timeline"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout)
	}
	type summary struct {
		File     string
		Name     string
		Passed   bool
		Error    string
		Failures []scenario.Failure
		Rows     int
	}
	var sums []summary
	for _, e := range got {
		sums = append(sums, summary{e.File, e.Name, e.Passed, e.Error, e.Failures, len(e.Timeline)})
	}
	want := []summary{
		{File: passing, Name: "fast refund: 5h59m after payment, 299.99 yuan, unshipped", Passed: true,
			Failures: []scenario.Failure{}, Rows: 2},
		{File: failing, Name: "expects the wrong state",
			Failures: []scenario.Failure{{Step: 1, Field: "state", Want: "refunded", Got: "pending_review"}}, Rows: 1},
		{File: broken, Error: broken + `: field "ordr": unknown field; a scenario has name, zone, policy, sweep, order, buyer_refunds, steps`,
			Failures: []scenario.Failure{}},
	}
	if diff := cmp.Diff(want, sums); diff != "" {
		t.Errorf("-json results (-want +got):\n%s", diff)
	}
	row := got[0].Timeline[0]
	for key, want := range map[string]any{"step": 1.0, "at": "2026-03-01T15:59:00+08:00", "actor": "buyer", "action": "request",
		"case": "c1", "to": "refunding", "args": "refund_only mistaken_purchase 299.99"} {
		if row[key] != want {
			t.Errorf("first row: %s = %v, want %v", key, row[key], want)
		}
	}
	if d, _ := row["decision"].(map[string]any); d["policy"] != "fast_refund" {
		t.Errorf("first row: decision = %v, want fast_refund's", row["decision"])
	}
}

// TestREADME replays the sessions the README's "Simulating a policy
// change" section shows and compares their output, so the README cannot
// drift from what the runner prints. A session is a console block of
// commands ("$ ...") each followed by its output; the commands are the
// runner, by go run or built with go build as ./scenarios (optionally
// with > /dev/null and ; echo $?). The section must show a plain run, a
// sweep and a baseline comparison.
func TestREADME(t *testing.T) {
	root := filepath.Join("..", "..")
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "## Simulating a policy change\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Simulating a policy change" section`)
	}
	section := readme[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	blocks := regexp.MustCompile("(?s)```console\n(.*?)```").FindAllStringSubmatch(section, -1)
	if len(blocks) < 3 {
		t.Fatalf("the section has %d console blocks, want the run, the sweep and the baseline at least", len(blocks))
	}
	t.Chdir(root)
	runLine := regexp.MustCompile(`^(go run ./examples/scenarios|./scenarios) (.*?)( > /dev/null)?(; echo \$\?)?$`)
	var ran []string // the runner's arguments, command by command
	for _, block := range blocks {
		for _, cmd := range strings.Split(block[1], "$ ")[1:] {
			line, want, _ := strings.Cut(cmd, "\n")
			if line == "go build -o scenarios ./examples/scenarios" {
				if want != "" {
					t.Errorf("README shows output for %q:\n%s", line, want)
				}
				continue // the binary is run() here
			}
			m := runLine.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("README runs %q; the test knows the runner (go run or the built ./scenarios) and go build only", line)
			}
			goRun, args, quiet, echo := m[1] == "go run ./examples/scenarios", m[2], m[3] != "", m[4] != ""
			ran = append(ran, args)
			status, stdout, stderr := runner(strings.Fields(args)...)
			// What a terminal shows: stdout, or with > /dev/null the
			// errors instead; then go run's own line about a non-zero
			// status, which it writes after the program's; then $?, which
			// for go run is 1 whatever the program's status.
			got := stdout
			if quiet {
				got = stderr
			}
			if goRun && status != 0 {
				got += "exit status " + strconv.Itoa(status) + "\n"
			}
			if echo {
				shell := status
				if goRun && status != 0 {
					shell = 1
				}
				got += strconv.Itoa(shell) + "\n"
			}
			if got != want {
				t.Errorf("README shows for %q:\n%s\nthe runner prints:\n%s%s", line, want, got, stderr)
			}
		}
	}
	// The file the section shows is the one it plays first.
	shown := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(section)
	played := regexp.MustCompile(`go run ./examples/scenarios (\S+\.json)`).FindStringSubmatch(section)
	if shown == nil || played == nil {
		t.Fatal("the section shows no scenario file, or plays none")
	}
	if file, err := os.ReadFile(played[1]); err != nil {
		t.Error(err)
	} else if shown[1] != string(file) {
		t.Errorf("the section's JSON is not %s as shipped; copy it again", played[1])
	}
	// A "sweep" the section shows is one a file can carry.
	for _, js := range regexp.MustCompile("(?s)```json\n(\"sweep\".*?)```").FindAllStringSubmatch(section, -1) {
		data := `{"name": "readme", ` + js[1] + `, "order": {"id": "o-1", "amount": "1.00", "paid_at": "2026-03-01T10:00:00+08:00"}, "steps": [{"after": "1h"}]}`
		if s, err := scenario.Parse("README.md", []byte(data), policy.Default()); err != nil || s.Sweep == nil {
			t.Errorf("the section's sweep %s does not decode: %v", js[1], err)
		}
	}
	for _, flag := range []string{"-sweep ", "-baseline "} {
		if !slices.ContainsFunc(ran, func(args string) bool { return strings.HasPrefix(args, flag) }) {
			t.Errorf("the section runs no %s; commands: %q", strings.TrimSpace(flag), ran)
		}
	}
}
