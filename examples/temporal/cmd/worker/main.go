// Command worker runs the order workflow and its effect activities on a
// Temporal task queue, delivering refunds and notices to the demo ledger
// (package demosink) in a directory.
//
//	go run ./cmd/worker -ledger /tmp/shouhou-ledger
//
// Flags:
//
//	-address    the Temporal frontend (default 127.0.0.1:7233)
//	-namespace  the namespace (default "default")
//	-queue      the task queue (default shouhou-orders)
//	-ledger     the demo ledger's directory (default ./shouhou-ledger)
//	-rules      a rule-set file, a scenario's "policy" form, over the defaults
//
// It runs until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/shouhou/shouhou/examples/temporal/internal/workerproc"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
)

func main() {
	cfg := workerproc.Config{}
	var rules string
	flag.StringVar(&cfg.HostPort, "address", "127.0.0.1:7233", "the Temporal frontend")
	flag.StringVar(&cfg.Namespace, "namespace", "default", "the namespace")
	flag.StringVar(&cfg.TaskQueue, "queue", orderflow.DefaultTaskQueue, "the task queue")
	flag.StringVar(&cfg.Ledger, "ledger", "shouhou-ledger", "the demo ledger's directory")
	flag.StringVar(&rules, "rules", "", "a rule-set file (a scenario's \"policy\" form) over policy.Default()")
	flag.Parse()
	if rules != "" {
		b, err := os.ReadFile(rules)
		if err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(2)
		}
		cfg.Rules = b
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "worker: task queue %s on %s (namespace %s); ledger in %s\n", cfg.TaskQueue, cfg.HostPort, cfg.Namespace, cfg.Ledger)
	if err := workerproc.Run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}
