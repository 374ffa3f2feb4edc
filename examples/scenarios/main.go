// Command scenarios plays scenario files: after-sale stories written in
// JSON by people who do not write Go (see package scenario). For each file it prints the timeline of every case as a table (time,
// actor, action, from -> to, the deciding policy and its message), then
// PASS, or FAIL and each expectation that did not hold.
//
//	go run ./examples/scenarios examples/scenarios/*.json
//	go run ./examples/scenarios -json examples/scenarios/refund_sla_alert.json
//	go run ./examples/scenarios -lang zh examples/scenarios/refund_sla_alert.json
//	go run ./examples/scenarios -params
//
// -lang zh writes the text output in Chinese: headers, PASS and FAIL (通过,
// 未通过), failures and notes; English is the default.
//
// -params lists every policy of the default rules and its parameters (the
// JSON names a scenario's "policy" sets), with their types, defaults and
// sources.
//
// The exit status is 0 when every scenario passed, 1 when one failed, and
// 2 when a file could not be read or decoded (the other files are still
// played).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

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

// entry is one file in the -json output: its result, or why it could not
// be played.
type entry struct {
	scenario.Result
	Error string `json:"error,omitzero"`
}

// run plays the files named in args and writes the results to stdout and
// the errors to stderr. It returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	flags.SetOutput(stderr)
	asJSON := flags.Bool("json", false, "print the results as one JSON document: a list with one entry a file")
	lang := flags.String("lang", "en", "the language of the text output: en, or zh for Chinese headers, verdicts, failures and notes")
	params := flags.Bool("params", false, "list every policy of the default rules with its parameters, their types, defaults and sources, and play nothing")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./examples/scenarios [-json] [-lang en|zh] FILE...")
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
		if flags.NArg() > 0 {
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

	status := exitPassed
	entries := []entry{}
	passed, failed, broken := 0, 0, 0
	for _, path := range flags.Args() {
		res, err := play(path)
		if err != nil {
			fmt.Fprintln(stderr, err)
			entries = append(entries, entry{
				Result: scenario.Result{File: path, Failures: []scenario.Failure{}, Timeline: []scenario.Row{}},
				Error:  err.Error(),
			})
			broken++
			status = exitBroken
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
	if scenario.Lang(*lang) == scenario.Chinese {
		fmt.Fprintf(stdout, "通过 %d 个，未通过 %d 个", passed, failed)
		if broken > 0 {
			fmt.Fprintf(stdout, "，%d 个无法读取", broken)
		}
	} else {
		fmt.Fprintf(stdout, "%d passed, %d failed", passed, failed)
		if broken > 0 {
			fmt.Fprintf(stdout, ", %d could not be read", broken)
		}
	}
	fmt.Fprintln(stdout)
	return status
}

// play loads one file and plays it.
func play(path string) (scenario.Result, error) {
	s, err := scenario.Load(path, policy.Default())
	if err != nil {
		return scenario.Result{}, err
	}
	return scenario.Play(s)
}
