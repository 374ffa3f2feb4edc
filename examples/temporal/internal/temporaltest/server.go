// Package temporaltest starts a Temporal dev server for the example's
// tests: the Temporal CLI's `temporal server start-dev`, a whole server in
// one process, in memory, on loopback ports of its own.
package temporaltest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
)

// Version is the CLI version the tests are written against; scripts/test
// builds it into CachePath.
const Version = "v1.5.1"

// HowToGet says how to get the CLI, for a skipped test's message.
const HowToGet = "build it with `GOBIN=~/.cache/shouhou/temporal-" + Version +
	" go install github.com/temporalio/cli/cmd/temporal@" + Version +
	"` (about 4 minutes), or set TEMPORAL_CLI to a temporal binary"

// Namespace is the namespace the server creates for the tests.
const Namespace = "shouhou"

// CachePath is where scripts/test builds the CLI:
// $XDG_CACHE_HOME/shouhou/temporal-v1.5.1/temporal, or under ~/.cache.
func CachePath() string {
	dir := os.Getenv("XDG_CACHE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "shouhou", "temporal-"+Version, "temporal")
}

// FindCLI returns the temporal binary: TEMPORAL_CLI if set, else the one
// scripts/test caches, else one on PATH.
func FindCLI() (string, error) {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TEMPORAL_CLI=%s: %w", p, err)
		}
		return p, nil
	}
	if p := CachePath(); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("temporal")
	if err != nil {
		return "", fmt.Errorf("no temporal CLI: TEMPORAL_CLI is not set, %s does not exist and none is on PATH", CachePath())
	}
	return p, nil
}

// Server is a running dev server.
type Server struct {
	// HostPort is the frontend's address, as client.Options takes it.
	HostPort string
	cmd      *exec.Cmd
	log      *lockedBuffer
	done     chan error
}

// Start starts a dev server on free loopback ports and waits until its
// namespace answers, or ctx ends.
func Start(ctx context.Context) (*Server, error) {
	cli, err := FindCLI()
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	s := &Server{HostPort: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0])), log: &lockedBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(cli, "server", "start-dev", "--headless",
		"--ip", "127.0.0.1", "--port", strconv.Itoa(ports[0]),
		"--http-port", strconv.Itoa(ports[1]), "--metrics-port", strconv.Itoa(ports[2]),
		"--namespace", Namespace, "--log-level", "error")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	// Its own process group, so that stopping it stops everything it
	// started.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("temporaltest: start %s: %w", cli, err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, fmt.Errorf("temporaltest: %s server start-dev did not get ready: %w\n%s", cli, err, s.log.String())
	}
	return s, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	var last error
	for {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("the server exited: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("%w (last: %v)", ctx.Err(), last)
		case <-time.After(200 * time.Millisecond):
		}
		c, err := s.Dial()
		if err != nil {
			last = err
			continue
		}
		_, err = c.WorkflowService().GetSystemInfo(ctx, nil)
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
		}
		c.Close()
		if err == nil {
			return nil
		}
		last = err
	}
}

// Dial returns a client of the server's namespace that logs only
// warnings and errors.
func (s *Server) Dial() (client.Client, error) { return s.DialWith(client.Options{}) }

// DialWith is Dial with opts for everything but the server's address, the
// namespace and, unless opts has one, the logger.
func (s *Server) DialWith(opts client.Options) (client.Client, error) {
	opts.HostPort, opts.Namespace = s.HostPort, Namespace
	if opts.Logger == nil {
		opts.Logger = QuietLogger()
	}
	return client.Dial(opts)
}

// Stop stops the server and waits for it to exit.
func (s *Server) Stop() error {
	if s.cmd.Process == nil {
		return nil
	}
	pg := -s.cmd.Process.Pid
	_ = syscall.Kill(pg, syscall.SIGTERM)
	select {
	case <-s.done:
		return nil
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(pg, syscall.SIGKILL)
		<-s.done
		return errors.New("temporaltest: the server did not stop in 10s; killed")
	}
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var _ log.Logger = QuietLogger()

// CPU returns the processor time the server's process has used so far,
// user and system, from /proc (Linux only).
func (s *Server) CPU() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces:
	// utime and stime are the 12th and 13th fields after it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("temporaltest: unreadable /proc stat %q", b)
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("temporaltest: short /proc stat %q", b)
	}
	var ticks int64
	for _, x := range f[11:13] {
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("temporaltest: /proc stat: %w", err)
		}
		ticks += n
	}
	const userHZ = 100 // the clock ticks /proc counts in, fixed by Linux's ABI
	return time.Duration(ticks) * time.Second / userHZ, nil
}
