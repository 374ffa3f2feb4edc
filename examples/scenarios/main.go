// Command scenarios plays scenario files: after-sale stories written in
// JSON by people who do not write Go (see package scenario). For each file it prints the timeline of every case as a table (time,
// actor, action, from -> to, the deciding policy and its message), then
// PASS, or FAIL and each expectation that did not hold.
//
//	go run ./examples/scenarios examples/scenarios/*.json
//	go run ./examples/scenarios -json examples/scenarios/refund_sla_alert.json
//	go run ./examples/scenarios -lang zh examples/scenarios/refund_sla_alert.json
//	go run ./examples/scenarios -sweep deadlines.review=12h,24h,36h,48h examples/scenarios/review_timeout_approves.json
//	go run ./examples/scenarios -baseline examples/scenarios/review_72h_by_policy_override.json
//	go run ./examples/scenarios -params
//
// -lang zh writes the text output in Chinese: headers, PASS and FAIL (通过,
// 未通过), failures and notes; English is the default.
//
// -sweep <policy>.<parameter>=<value>,<value>,... plays each file once per
// value, the value over the file's own "policy", and prints one comparison
// table instead of the timelines: per value, per case, the end state,
// kind, refund, compensation by payer, the deadlines that passed, the
// warnings, and whether the file's expectations held ("pass" or "fail step
// N"). It replaces a file's own "sweep"; a file with a "sweep" is compared
// without the flag too. A value is the parameter's JSON form, but a string
// needs no quotes (12h, 20.00). -baseline compares the file's own rules
// with policy.Default() untouched, in the same table, before the swept
// values if there are any. See package scenario.
//
// -params lists every policy of the default rules and its parameters (the
// JSON names a scenario's "policy" sets), with their types, defaults and
// sources.
//
// The exit status is 0 when every scenario passed, 1 when one failed, and
// 2 when a file could not be read or decoded (the other files are still
// played) or the command line is wrong (a bad -sweep plays nothing). A
// compared file counts as neither passed nor failed: the status is 0 for
// it even when some values break its expectations, since a sweep asks
// what each value does, and the expectations were written for one of them;
// the table says which values keep them. To gate on the file's own rules,
// play it without -sweep and -baseline.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// The exit statuses.
const (
	exitPassed = 0 // every scenario passed
	exitFailed = 1 // a scenario failed
	exitBroken = 2 // a file could not be read or decoded, or the command line is wrong
)

// entry is one file in the -json output: its result, or its comparison,
// or why it could not be played.
type entry struct {
	scenario.Result
	Comparison *scenario.Comparison
	Error      string
}

// MarshalJSON writes the entry as its result, or as its comparison when
// it has one, with the error if any.
func (e entry) MarshalJSON() ([]byte, error) {
	if e.Comparison != nil {
		return json.Marshal(struct {
			*scenario.Comparison
			Error string `json:"error,omitzero"`
		}{e.Comparison, e.Error})
	}
	return json.Marshal(struct {
		scenario.Result
		Error string `json:"error,omitzero"`
	}{e.Result, e.Error})
}

// run plays the files named in args and writes the results to stdout and
// the errors to stderr. It returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	flags.SetOutput(stderr)
	asJSON := flags.Bool("json", false, "print the results as one JSON document: a list with one entry a file")
	lang := flags.String("lang", "en", "the language of the text output: en, or zh for Chinese headers, verdicts, failures and notes")
	params := flags.Bool("params", false, "list every policy of the default rules with its parameters, their types, defaults and sources, and play nothing")
	sweepText := flags.String("sweep", "", "play each file once per value of one parameter, written `policy.parameter=value,...` (deadlines.review=12h,24h), and compare the plays in one table")
	baseline := flags.Bool("baseline", false, "compare each file's own rules with the default rules untouched, in one table")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./examples/scenarios [-json] [-lang en|zh] [-sweep <policy>.<parameter>=<value>,...] [-baseline] FILE...")
		fmt.Fprintln(stderr, "       go run ./examples/scenarios -params")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitBroken
	}
	if !slices.Contains(scenario.Langs, scenario.Lang(*lang)) {
		fmt.Fprintf(stderr, "-lang %s: the runner speaks en and zh\n", *lang)
		return exitBroken
	}
	if *params {
		if flags.NArg() > 0 || *sweepText != "" || *baseline {
			fmt.Fprintln(stderr, "-params lists the parameters and plays no file")
			return exitBroken
		}
		if err := writeParams(stdout); err != nil {
			fmt.Fprintln(stderr, err)
			return exitBroken
		}
		return exitPassed
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return exitBroken
	}
	var sweep *scenario.Sweep
	if *sweepText != "" {
		sw, err := scenario.ParseSweep(*sweepText, policy.Default())
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitBroken
		}
		sweep = &sw
	}

	status := exitPassed
	entries := []entry{}
	passed, failed, compared, broken := 0, 0, 0, 0
	for _, path := range flags.Args() {
		res, comparison, err := play(path, sweep, *baseline)
		if err != nil {
			fmt.Fprintln(stderr, err)
			e := entry{
				Result: scenario.Result{File: path, Failures: []scenario.Failure{}, Timeline: []scenario.Row{}},
				Error:  err.Error(),
			}
			if sweep != nil || *baseline {
				e.Comparison = &scenario.Comparison{File: path, Runs: []scenario.Run{}}
			}
			entries = append(entries, e)
			broken++
			status = exitBroken
			continue
		}
		if comparison != nil {
			entries = append(entries, entry{Comparison: comparison})
			compared++
			if !*asJSON {
				if err := comparison.WriteTextIn(stdout, scenario.Lang(*lang)); err != nil {
					fmt.Fprintln(stderr, err)
					return exitBroken
				}
				fmt.Fprintln(stdout)
			}
			continue
		}
		entries = append(entries, entry{Result: res})
		if res.Passed {
			passed++
		} else {
			failed++
			status = max(status, exitFailed)
		}
		if !*asJSON {
			if err := res.WriteTextIn(stdout, scenario.Lang(*lang)); err != nil {
				fmt.Fprintln(stderr, err)
				return exitBroken
			}
			fmt.Fprintln(stdout)
		}
	}

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			fmt.Fprintln(stderr, err)
			return exitBroken
		}
		return status
	}
	fmt.Fprintln(stdout, summary(scenario.Lang(*lang), passed, failed, compared, broken))
	return status
}

// summary counts the files: passed and failed (left out when every file
// played was compared), compared, and could not be read.
func summary(lang scenario.Lang, passed, failed, compared, broken int) string {
	var parts []string
	zh := lang == scenario.Chinese
	if passed+failed > 0 || compared == 0 {
		if zh {
			parts = append(parts, fmt.Sprintf("通过 %d 个", passed), fmt.Sprintf("未通过 %d 个", failed))
		} else {
			parts = append(parts, fmt.Sprintf("%d passed", passed), fmt.Sprintf("%d failed", failed))
		}
	}
	switch {
	case compared > 0 && zh:
		parts = append(parts, fmt.Sprintf("比较 %d 个", compared))
	case compared > 0:
		parts = append(parts, fmt.Sprintf("%d compared", compared))
	}
	switch {
	case broken > 0 && zh:
		parts = append(parts, fmt.Sprintf("%d 个无法读取", broken))
	case broken > 0:
		parts = append(parts, fmt.Sprintf("%d could not be read", broken))
	}
	if zh {
		return strings.Join(parts, "，")
	}
	return strings.Join(parts, ", ")
}

// play loads one file and plays it: as written, or, when there is a sweep
// (the flag's, else the file's own) or a baseline to compare with, as a
// comparison.
func play(path string, sweep *scenario.Sweep, baseline bool) (scenario.Result, *scenario.Comparison, error) {
	s, err := scenario.Load(path, policy.Default())
	if err != nil {
		return scenario.Result{}, nil, err
	}
	if sweep == nil {
		sweep = s.Sweep
	}
	if sweep == nil && !baseline {
		res, err := scenario.Play(s)
		return res, nil, err
	}
	var variants []scenario.Variant
	if baseline {
		v, err := s.BaselineVariants()
		if err != nil {
			return scenario.Result{}, nil, err
		}
		variants = append(variants, v...)
	}
	if sweep != nil {
		v, err := s.SweepVariants(*sweep)
		if err != nil {
			return scenario.Result{}, nil, err
		}
		variants = append(variants, v...)
	}
	c, err := scenario.Compare(s, variants...)
	if err != nil {
		return scenario.Result{}, nil, err
	}
	return scenario.Result{}, &c, nil
}
