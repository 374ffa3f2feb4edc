// Package workerproc is the worker process of the Temporal example: what
// cmd/worker runs, and what the tests start as a separate process to kill.
package workerproc

import (
	"context"
	"fmt"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/temporal/demosink"
	"github.com/shouhou/shouhou/examples/temporal/orderflow"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
	"github.com/shouhou/shouhou/timeline"
)

// Config says where the worker connects and what it runs.
type Config struct {
	HostPort  string // the Temporal frontend, such as "127.0.0.1:7233"
	Namespace string // "" is "default"
	TaskQueue string
	// Ledger is the directory of the demo payment system and messaging.
	Ledger string
	// Rules are overrides of policy.Default() in the form of a scenario's
	// "policy" (scenario.ParseRules); empty for the defaults.
	Rules []byte
	// ActivityTimeout: see orderflow.Options.
	ActivityTimeout time.Duration
	// DeliveryDelay makes every delivery wait that long before the ledger
	// does it: a slow payment system, for a test that kills the worker in
	// the middle of one.
	DeliveryDelay time.Duration
	// Begun, if set, is a file the worker appends a line to, the effect's
	// ID, each time it begins to deliver an effect: how a test knows that
	// a delivery is under way, and how often one was tried.
	Begun  string
	Logger log.Logger // nil: the SDK's default
}

// Run runs the worker until ctx ends.
func Run(ctx context.Context, cfg Config) error {
	rules, err := scenario.ParseRules(cfg.Rules, policy.Default())
	if err != nil {
		return fmt.Errorf("worker: rules: %w", err)
	}
	flow, err := orderflow.New(aftersale.Config{Rules: rules, Zone: timeline.UTC8()},
		orderflow.Options{ActivityTimeout: cfg.ActivityTimeout})
	if err != nil {
		return err
	}
	ledger, err := demosink.Open(cfg.Ledger)
	if err != nil {
		return err
	}
	c, err := client.Dial(client.Options{HostPort: cfg.HostPort, Namespace: cfg.Namespace, Logger: cfg.Logger})
	if err != nil {
		return fmt.Errorf("worker: connect to %s: %w", cfg.HostPort, err)
	}
	defer c.Close()
	w := worker.New(c, cfg.TaskQueue, worker.Options{})
	flow.Register(w)
	sink := slowSink{ledger: ledger, delay: cfg.DeliveryDelay, begun: cfg.Begun}
	w.RegisterActivity(&orderflow.Activities{Payments: sink, Messages: sink})
	if err := w.Start(); err != nil {
		return err
	}
	<-ctx.Done()
	w.Stop()
	return nil
}

// slowSink is the ledger behind a delay.
type slowSink struct {
	ledger *demosink.Ledger
	delay  time.Duration
	begun  string
}

// begin notes ef in the Begun file, then waits the delay.
func (s slowSink) begin(ctx context.Context, ef aftersale.Effect) error {
	if s.begun != "" {
		f, err := os.OpenFile(s.begun, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(f, ef.ID)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if s.delay <= 0 {
		return nil
	}
	select {
	case <-time.After(s.delay):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s slowSink) Refund(ctx context.Context, ef aftersale.Effect) error {
	if err := s.begin(ctx, ef); err != nil {
		return err
	}
	return s.ledger.Refund(ctx, ef)
}

func (s slowSink) Notify(ctx context.Context, ef aftersale.Effect) error {
	if err := s.begin(ctx, ef); err != nil {
		return err
	}
	return s.ledger.Notify(ctx, ef)
}

func (s slowSink) Alert(ctx context.Context, ef aftersale.Effect) error {
	if err := s.begin(ctx, ef); err != nil {
		return err
	}
	return s.ledger.Alert(ctx, ef)
}
