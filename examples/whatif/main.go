// Command whatif replays a month of recorded orders under two rule sets and
// reports the difference (see package whatif).
//
//	go run ./examples/whatif -generate 100000 -seed 1 > orders.jsonl
//	go run ./examples/whatif -before a.json -after b.json [-json] [-svg out.svg] orders.jsonl
//
// a.json and b.json are rule-set files, the form of a scenario's "policy":
// {"freight_subsidy": {"cap": "30.00"}}; a missing flag, an empty file or
// {} is the default rules. Progress goes to stderr every 100,000 orders.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/whatif"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "whatif:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	fs.SetOutput(stderr)
	beforeFile := fs.String("before", "", "rule-set file of the rules as they are (default: the default rules)")
	afterFile := fs.String("after", "", "rule-set file of the rules as they would be")
	asJSON := fs.Bool("json", false, "write the report as JSON")
	svgFile := fs.String("svg", "", "also write a chart of the report to this SVG file")
	generate := fs.Int("generate", 0, "write this many synthetic orders as JSON Lines to stdout, and nothing else")
	seed := fs.Uint64("seed", 1, "the generator's seed")
	start := fs.String("start", whatif.DefaultStart.Format(time.RFC3339), "the generated month's start (RFC 3339)")
	days := fs.Int("days", 30, "the generated period's length in days")
	end := fs.String("end", "", "the end of the replayed period (RFC 3339; default: -start plus -days)")
	workers := fs.Int("workers", 0, "replay workers (default: GOMAXPROCS)")
	quiet := fs.Bool("q", false, "no progress on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		return fmt.Errorf("-start: %w", err)
	}
	gen := whatif.Generator{Orders: *generate, Seed: *seed, Start: st, Days: *days}
	if *generate > 0 {
		w := whatif.NewWriter(stdout)
		var werr error
		if err := gen.Each(func(r *whatif.Record) bool {
			werr = w.Write(r)
			return werr == nil
		}); err != nil {
			return err
		}
		if werr != nil {
			return werr
		}
		return w.Flush()
	}
	stop := gen.End()
	if *end != "" {
		if stop, err = time.Parse(time.RFC3339, *end); err != nil {
			return fmt.Errorf("-end: %w", err)
		}
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("give one orders file (JSON Lines), or -generate N")
	}
	before, err := ruleFile(*beforeFile)
	if err != nil {
		return err
	}
	after, err := ruleFile(*afterFile)
	if err != nil {
		return err
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	c, err := whatif.New(before, after, stop)
	if err != nil {
		return err
	}
	began := time.Now()
	opt := whatif.Options{Workers: *workers, Before: name(*beforeFile), After: name(*afterFile)}
	if !*quiet {
		opt.Progress = func(n int64) {
			fmt.Fprintf(stderr, "whatif: %d orders, %s\n", n, time.Since(began).Round(time.Millisecond))
		}
	}
	rep, err := c.Run(whatif.NewReader(in), opt)
	if err != nil {
		return err
	}
	if !*quiet {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(stderr, "whatif: %d orders in %s (%.0f ns/order), heap in use %d MiB, from the system %d MiB\n",
			rep.Orders, time.Since(began).Round(time.Millisecond),
			float64(time.Since(began).Nanoseconds())/float64(max(rep.Orders, 1)), ms.HeapInuse>>20, ms.Sys>>20)
	}
	if *svgFile != "" {
		if err := writeSVG(*svgFile, rep); err != nil {
			return err
		}
	}
	if *asJSON {
		return rep.WriteJSON(stdout)
	}
	return rep.WriteText(stdout)
}

func ruleFile(path string) (aftersale.Rules, error) {
	if path == "" {
		return policy.Default(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return aftersale.Rules{}, err
	}
	r, err := scenario.ParseRules(data, policy.Default())
	if err != nil {
		return aftersale.Rules{}, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

func name(path string) string {
	if path == "" {
		return "the default rules"
	}
	return path
}
