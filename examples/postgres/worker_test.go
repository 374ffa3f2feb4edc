package postgres

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

// A test starts worker processes by running its own binary again with
// workerEnv set to the worker's role; TestMain hands such a process to
// workerMain instead of running tests. The worker's settings come in the
// environment too.
const (
	workerEnv = "SHOUHOU_PG_WORKER" // "sweep", "relay" or "apply"
	envDSN    = "SHOUHOU_PG_DSN"    // the database
	envNow    = "SHOUHOU_PG_NOW"    // sweep, apply: the time, RFC 3339
	envBatch  = "SHOUHOU_PG_BATCH"  // sweep, relay: the batch size
	envLease  = "SHOUHOU_PG_LEASE"  // relay: the lease, as a Go duration
	envLog    = "SHOUHOU_PG_LOG"    // a file the worker appends what it did to
	envHang   = "SHOUHOU_PG_HANG"   // stop and wait to be killed: sweep, before committing batch n; relay, after delivery n; apply, after the commit
	envReady  = "SHOUHOU_PG_READY"  // a file the worker writes once it waits to be killed
	envOrder  = "SHOUHOU_PG_ORDER"  // apply: the order
	envCmd    = "SHOUHOU_PG_CMD"    // apply: the command, in its JSON form
)

func workerMain(role string) int {
	if err := runWorker(role); err != nil {
		fmt.Fprintf(os.Stderr, "worker %s: %v\n", role, err)
		return 1
	}
	return 0
}

func runWorker(role string) error {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv(envDSN))
	if err != nil {
		return err
	}
	defer pool.Close()
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default(), Zone: zone})
	if err != nil {
		return err
	}
	s := New(pool, engine, Options{})
	batch, _ := strconv.Atoi(os.Getenv(envBatch))
	hang, _ := strconv.Atoi(os.Getenv(envHang))
	now, _ := time.Parse(time.RFC3339Nano, os.Getenv(envNow))
	logf, err := os.OpenFile(os.Getenv(envLog), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	// waitToBeKilled tells the test this worker is where it should be,
	// and sleeps until the test sends SIGKILL.
	waitToBeKilled := func(what string) {
		// Written whole, then renamed: the test never reads half of it.
		ready := os.Getenv(envReady)
		if err := os.WriteFile(ready+".part", []byte(what), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := os.Rename(ready+".part", ready); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		time.Sleep(time.Hour)
		os.Exit(3)
	}

	switch role {
	case "sweep":
		batches := 0
		testHookSweepBeforeCommit = func(ids []string) {
			batches++
			if batches == hang {
				waitToBeKilled(strings.Join(ids, "\n"))
			}
		}
		for {
			res, err := s.Sweep(ctx, now, batch)
			if err != nil {
				return err
			}
			// Committed: say so before the next batch.
			fmt.Fprintf(logf, "%d\n", res.Advanced)
			if len(res.Failed) > 0 {
				return fmt.Errorf("could not advance %v", res.Failed)
			}
			if res.Claimed < batch {
				return nil
			}
		}
	case "relay":
		lease, _ := time.ParseDuration(os.Getenv(envLease))
		delivered := 0
		r := &Relay{Store: s, Batch: batch, Lease: lease, Deliver: func(_ context.Context, ef aftersale.Effect) error {
			b, err := json.Marshal(ef)
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(logf, "%s\t%s\n", ef.ID, b); err != nil {
				return err
			}
			delivered++
			if delivered == hang {
				waitToBeKilled(ef.ID)
			}
			return nil
		}}
		_, err := r.Drain(ctx)
		return err
	case "apply":
		var cmd aftersale.Command
		if err := json.Unmarshal([]byte(os.Getenv(envCmd)), &cmd); err != nil {
			return err
		}
		res, err := s.Apply(ctx, os.Getenv(envOrder), cmd, now)
		if err != nil {
			return err
		}
		// Committed; the effects are not delivered yet.
		fmt.Fprintln(logf, strings.Join(ids(res.Effects), "\n"))
		if hang > 0 {
			waitToBeKilled("committed")
		}
		return nil
	}
	return fmt.Errorf("unknown role %q", role)
}

// worker is a worker process a test started.
type worker struct {
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan error
	// log and ready are the worker's files.
	log, ready string
}

// startWorker starts a worker process in role on the database dsn, with
// settings as "NAME=value" (envLog and envReady are set to files of its
// own in dir).
func startWorker(t *testing.T, dir, name, role, dsn string, settings ...string) *worker {
	t.Helper()
	w := &worker{log: filepath.Join(dir, name+".log"), ready: filepath.Join(dir, name+".ready"), done: make(chan error, 1)}
	w.cmd = exec.Command(os.Args[0], "-test.run=^$")
	w.cmd.Env = append(os.Environ(), workerEnv+"="+role, envDSN+"="+dsn, envLog+"="+w.log, envReady+"="+w.ready)
	w.cmd.Env = append(w.cmd.Env, settings...)
	w.cmd.Stdout, w.cmd.Stderr = &w.out, &w.out
	// A worker dies with the test process.
	w.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { w.done <- w.cmd.Wait() }()
	t.Cleanup(func() {
		w.cmd.Process.Kill()
		<-w.done
		w.done <- nil
	})
	return w
}

// wait waits for the worker to finish, and fails the test unless it
// exits 0.
func (w *worker) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-w.done:
		w.done <- err
		if err != nil {
			t.Fatalf("worker %v: %v\n%s", w.cmd.Env[len(os.Environ()):], err, w.out.String())
		}
	case <-time.After(5 * time.Minute):
		t.Fatalf("worker still running after 5 minutes\n%s", w.out.String())
	}
}

// waitReady waits until the worker says it is waiting to be killed, and
// returns what it said.
func (w *worker) waitReady(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(w.ready); err == nil {
			return string(b)
		}
		select {
		case err := <-w.done:
			w.done <- err
			t.Fatalf("worker exited (%v) before it got where it was to be killed\n%s", err, w.out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("worker not ready after 2 minutes\n%s", w.out.String())
	return ""
}

// kill sends SIGKILL and waits for the worker to die of it.
func (w *worker) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-w.done
	w.done <- err
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("worker did not die of SIGKILL: %v\n%s", err, w.out.String())
	}
}

// logLines returns the lines the worker appended to its log.
func (w *worker) logLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(w.log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// advanced adds up what a sweep worker logged it committed.
func (w *worker) advanced(t *testing.T) int {
	t.Helper()
	total := 0
	for _, line := range w.logLines(t) {
		if line == "" {
			continue
		}
		n, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("sweep log: %q", line)
		}
		total += n
	}
	return total
}
