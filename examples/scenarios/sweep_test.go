package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sweepFile has a sweep of its own: the review deadline, under which the
// merchant's approval 30 hours after the request comes too late.
const sweepFile = "testdata/sweep_review.json"

// TestSweepGolden plays a file's own sweep, in English and in Chinese.
func TestSweepGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			status, stdout, stderr := runner("-lang", lang, sweepFile)
			if status != 0 || stderr != "" {
				t.Errorf("status %d, stderr %q; want 0 although two values fail the file's expectations", status, stderr)
			}
			golden(t, "sweep_"+lang+".txt", stdout)
		})
	}
}

// TestBaselineGolden compares two files' own rules with the default rules:
// one sets the review deadline, the other designates carriers.
func TestBaselineGolden(t *testing.T) {
	status, stdout, stderr := runner("-baseline", "review_72h_by_policy_override.json", "freight_subsidy_designated_carrier.json")
	if status != 0 || stderr != "" {
		t.Errorf("status %d, stderr %q; want 0", status, stderr)
	}
	golden(t, "baseline.txt", stdout)
}

func TestSweepRuns(t *testing.T) {
	dir := t.TempDir()
	drops := write(t, dir, "drops.json", `{"name": "no fast refunds", "policy": {"fast_refund": null},
	  "order": {"id": "o-1", "amount": "10.00", "paid_at": "2026-03-01T10:00:00+08:00"}, "steps": [{"after": "1h"}]}`)
	badSweep := write(t, dir, "bad_sweep.json", `{"name": "a bad sweep", "sweep": {"deadlines.review": ["12h", "soon"]},
	  "order": {"id": "o-1", "amount": "10.00", "paid_at": "2026-03-01T10:00:00+08:00"}, "steps": [{"after": "1h"}]}`)
	failing := write(t, dir, "failing.json", failingFile)

	tests := []struct {
		name   string
		args   []string
		status int
		stdout []string // parts stdout must contain, in order; nil for nothing at all
		stderr string   // what stderr must contain; "" for nothing at all
	}{
		{name: "a flag's sweep that breaks the file's expectations exits 0",
			args: []string{"-sweep", "freight_subsidy.cap=10.00,20.00", "freight_subsidy_capped_20.json"}, status: 0,
			stdout: []string{"freight_subsidy.cap swept over the file's own rules", "10.00                c1    refunded", "fail step 6",
				"20.00", "pass", "10.00: step 6: compensation: want 20.00, got 10.00", "\n1 compared\n"}},
		{name: "the flag replaces the file's own sweep",
			args: []string{"-sweep", "deadlines.review=30h,31h", sweepFile}, status: 0,
			stdout: []string{"30h", "fail step 2", "31h", "pass", "1 compared\n"}},
		{name: "baseline and sweep share one table",
			args: []string{"-baseline", "-sweep", "freight_subsidy.cap=30.00", "freight_subsidy_capped_20.json"}, status: 0,
			stdout: []string{"the default rules (baseline), the file's own (this file), and freight_subsidy.cap swept",
				"\n   baseline ", "\n   this file ", "\n   30.00 ", "1 compared\n"}},
		{name: "plain and compared files together",
			args: []string{passing, sweepFile, failing}, status: 1,
			stdout: []string{"PASS", "deadlines.review", "FAIL", "1 passed, 1 failed, 1 compared\n"}},
		{name: "an unknown parameter plays nothing",
			args: []string{"-sweep", "deadlines.ship_return=3d", passing}, status: 2,
			stderr: "-sweep deadlines.ship_return: unknown parameter; deadlines has review, interception, return, return_transit,"},
		{name: "a bad value plays nothing",
			args: []string{"-sweep", "freight_subsidy.cap=20.00,30.001", passing}, status: 2,
			stderr: `-sweep freight_subsidy.cap=30.001: policy freight_subsidy: aftersale: invalid_input: money: "30.001" needs one or two decimals`},
		{name: "a sweep without values",
			args: []string{"-sweep", "deadlines.review", passing}, status: 2,
			stderr: `-sweep: "deadlines.review": want <policy>.<parameter>=<value>,<value>,...`},
		{name: "a file that drops the swept policy could not be played; the others are",
			args: []string{"-sweep", "fast_refund.within=3h,12h", drops, passing}, status: 2,
			stdout: []string{"fast_refund.within", "1 compared, 1 could not be read\n"},
			stderr: drops + `: -sweep fast_refund.within: the file's "policy" drops fast_refund (null): there is nothing to sweep`},
		{name: "a file's bad sweep names its field",
			args: []string{badSweep}, status: 2, stdout: []string{"0 passed, 0 failed, 1 could not be read\n"},
			stderr: badSweep + `: field "sweep.deadlines.review[1]": deadlines: review: timeline: duration "soon" is neither like "48h" nor like "10d"`},
		{name: "-params plays nothing", args: []string{"-params", "-sweep", "deadlines.review=1h"}, status: 2,
			stderr: "-params lists the parameters and plays no file"},
		{name: "in Chinese", args: []string{"-lang", "zh", "-baseline", passing}, status: 0,
			stdout: []string{"默认规则与本文件规则对照", "规则", "默认规则", "本文件", "比较 1 个\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := runner(tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d\nstdout:\n%s\nstderr:\n%s", status, tt.status, stdout, stderr)
			}
			rest := stdout
			for _, part := range tt.stdout {
				i := strings.Index(rest, part)
				if i < 0 {
					t.Errorf("stdout does not contain %q (after the parts before it):\n%s", part, stdout)
					break
				}
				rest = rest[i+len(part):]
			}
			if tt.stdout == nil && stdout != "" {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
			switch {
			case tt.stderr == "" && stderr != "":
				t.Errorf("stderr is not empty:\n%s", stderr)
			case !strings.Contains(stderr, tt.stderr):
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr)
			}
		})
	}
}

func TestSweepJSON(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	status, stdout, _ := runner("-json", "-baseline", "-sweep", "deadlines.review=12h,48h", sweepFile, missing)
	if status != 2 {
		t.Errorf("status %d, want 2 for the missing file", status)
	}
	var got []struct {
		File  string `json:"file"`
		Sweep string `json:"sweep"`
		Error string `json:"error"`
		Runs  []struct {
			Label    string          `json:"label"`
			Value    json.RawMessage `json:"value"`
			Passed   bool            `json:"passed"`
			Failures []struct {
				Step int `json:"step"`
			} `json:"failures"`
			Cases []struct {
				Case         string `json:"case"`
				State        string `json:"state"`
				Kind         string `json:"kind"`
				Refunded     string `json:"refunded"`
				Compensation []struct {
					Amount string `json:"amount"`
					Payer  string `json:"payer"`
				} `json:"compensation"`
				TimedOut []struct {
					State  string `json:"state"`
					Action string `json:"action"`
					At     string `json:"at"`
				} `json:"timed_out"`
				Warnings []string `json:"warnings"`
			} `json:"cases"`
			Timeline []json.RawMessage `json:"timeline"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, stdout)
	}
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2:\n%s", len(got), stdout)
	}
	var runs []string
	for _, r := range got[0].Runs {
		c := r.Cases[0]
		line := r.Label + " " + string(r.Value) + " " + c.Case + " " + c.State + " " + c.Kind + " " + c.Refunded + " " + strings.Join(c.Warnings, ",")
		for _, to := range c.TimedOut {
			line += " " + to.State + "→" + to.Action + "@" + to.At
		}
		if !r.Passed {
			line += " fail"
		}
		for _, l := range c.Compensation {
			line += " " + l.Payer + " " + l.Amount
		}
		if len(r.Timeline) == 0 {
			line += " (no timeline)"
		}
		runs = append(runs, line)
	}
	want := []string{
		`baseline  c1 refunded return_refund 299.00  fail insurance 10.00`, // any carrier: the insurance pays
		"this file  c1 refunded return_refund 299.00 freight_subsidy.carrier",
		`12h "12h" c1 refunded return_refund 299.00 freight_subsidy.carrier pending_review→approve@2026-03-05T08:00:00+08:00 fail`,
		`48h "48h" c1 refunded return_refund 299.00 freight_subsidy.carrier`,
	}
	if got[0].File != sweepFile || got[0].Sweep != "deadlines.review" || got[0].Error != "" {
		t.Errorf("entry %s sweeping %q, error %q", got[0].File, got[0].Sweep, got[0].Error)
	}
	if diff := cmp.Diff(want, runs); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
	if e := got[1]; e.File != missing || e.Runs == nil || len(e.Runs) != 0 || !strings.HasSuffix(e.Error, "no such file or directory") {
		t.Errorf("the missing file's entry: %+v", e)
	}
}
