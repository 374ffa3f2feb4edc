// Command starter starts order workflows, sends them commands and shows
// them, through orderflow.Client:
//
//	starter start '{"id":"o-1","amount":"299.00","paid_at":"2026-03-01T10:00:00+08:00"}'
//	starter send o-1 '{"actor":"buyer","action":"request","case":"c1","kind":"refund_only","reason":"mistaken_purchase"}'
//	starter show o-1
//	starter allowed o-1 c1 merchant
//	starter order o-1
//
// start takes the order's facts in its stored JSON form (aftersale.Order),
// send a command in its JSON form (aftersale.Command). A refused command
// prints the engine's refusal, code, rule and the Chinese text, and exits
// 1. Flags before the subcommand: -address, -namespace, -queue, -linger.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: starter [flags] start ORDER-JSON
       starter [flags] send ORDER-ID COMMAND-JSON
       starter [flags] show ORDER-ID
       starter [flags] allowed ORDER-ID CASE-ID ACTOR
       starter [flags] order ORDER-ID`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("starter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	address := fs.String("address", "127.0.0.1:7233", "the Temporal frontend")
	namespace := fs.String("namespace", "default", "the namespace")
	queue := fs.String("queue", orderflow.DefaultTaskQueue, "the task queue the workers poll")
	linger := fs.Duration("linger", 0, "start: how long the workflow stays open once no case is open (0: 30 days)")
	fs.Usage = func() { fmt.Fprintln(stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rest := fs.Args()
	want := map[string]int{"start": 2, "send": 3, "show": 2, "allowed": 4, "order": 2}
	if len(rest) == 0 || want[rest[0]] != len(rest) {
		fs.Usage()
		return 2
	}
	c, err := client.Dial(client.Options{HostPort: *address, Namespace: *namespace})
	if err != nil {
		fmt.Fprintln(stderr, "starter:", err)
		return 1
	}
	defer c.Close()
	fc := orderflow.Client{Temporal: c, TaskQueue: *queue}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var out any
	switch rest[0] {
	case "start":
		var in orderflow.Input
		if err = json.Unmarshal([]byte(rest[1]), &in.Order); err == nil {
			in.Linger = *linger
			var r client.WorkflowRun
			r, err = fc.Start(ctx, in)
			if err == nil {
				out = map[string]string{"workflow_id": r.GetID(), "run_id": r.GetRunID()}
			}
		}
	case "send":
		var cmd aftersale.Command
		if err = json.Unmarshal([]byte(rest[2]), &cmd); err == nil {
			out, err = fc.Send(ctx, rest[1], cmd)
		}
	case "show":
		var cases []orderflow.CaseStatus
		if cases, err = fc.Cases(ctx, rest[1]); err == nil {
			var box orderflow.Outbox
			box, err = fc.Outbox(ctx, rest[1])
			out = map[string]any{"cases": cases, "outbox": box}
		}
	case "allowed":
		var actor aftersale.Actor
		if err = actor.UnmarshalText([]byte(rest[3])); err == nil {
			out, err = fc.Allowed(ctx, rest[1], rest[2], actor)
		}
	case "order":
		out, err = fc.Order(ctx, rest[1])
	}
	if r, ok := orderflow.Refusal(err); ok {
		fmt.Fprintf(stderr, "refused: %s (%s)\n  %s\n  %s\n", r.Code.String(), r.Rule, r.Message, r.Zh)
		return 1
	}
	if err != nil {
		var ae *aftersale.Error
		if errors.As(err, &ae) {
			fmt.Fprintf(stderr, "starter: %s\n", ae.Message)
		} else {
			fmt.Fprintln(stderr, "starter:", err)
		}
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(stderr, "starter:", err)
		return 1
	}
	return 0
}
