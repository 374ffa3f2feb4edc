// Package pgtest starts a private PostgreSQL server for tests: a fresh
// data directory in a temporary folder, initdb'd and served on a unix
// socket in that folder, with no TCP port, stopped and removed at the end.
//
// It uses the server binaries of the machine (Debian's postgresql package
// puts them in /usr/lib/postgresql/<major>/bin) and never touches a
// cluster of the system's. initdb refuses to run as root, so as root the
// server runs as the unprivileged user "postgres", which Debian's package
// creates, and the folder belongs to it.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the name of the superuser initdb creates; connections on
// the server's socket are trusted.
const Superuser = "shouhou"

// ErrNotFound means no PostgreSQL server binaries were found.
var ErrNotFound = errors.New("pgtest: PostgreSQL server binaries (initdb, postgres) not found")

// HowToGet says how to get what Start needs, for a skip message.
const HowToGet = "install Debian's postgresql package (apt-get install postgresql) " +
	"or run scripts/test from the repository root, which installs it"

// Server is a running private PostgreSQL server.
type Server struct {
	// Dir is the temporary folder: the data directory, the socket and
	// the log are in it.
	Dir string
	// BinDir holds the server binaries used.
	BinDir string

	cmd  *exec.Cmd
	done chan error
}

// Find returns the folder holding initdb and postgres: $PG_BINDIR if set,
// else the newest /usr/lib/postgresql/<major>/bin, else the folder of an
// initdb on $PATH.
func Find() (string, error) {
	if dir := os.Getenv("PG_BINDIR"); dir != "" {
		if hasServer(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("%w in PG_BINDIR=%s", ErrNotFound, dir)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	for _, dir := range dirs {
		if hasServer(dir) {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); hasServer(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w (looked in $PG_BINDIR, /usr/lib/postgresql/*/bin and $PATH)", ErrNotFound)
}

func major(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// Start makes a fresh data directory in a new temporary folder, runs
// initdb on it and starts the server on a unix socket in that folder,
// with the server's default settings (fsync and synchronous_commit on:
// commits are durable) but for those passed in settings ("name=value").
// It returns once the server accepts connections.
func Start(ctx context.Context, settings ...string) (*Server, error) {
	bin, err := Find()
	if err != nil {
		return nil, err
	}
	cred, err := credential()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "shouhou-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, BinDir: bin}
	fail := func(err error) (*Server, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(err)
		}
	}

	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", s.dataDir(), "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("pgtest: initdb: %v\n%s", err, out))
	}

	log, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return fail(err)
	}
	defer log.Close()
	if cred != nil {
		log.Chown(int(cred.Uid), int(cred.Gid))
	}
	args := []string{"-D", s.dataDir(), "-k", dir, "-c", "listen_addresses="}
	for _, kv := range settings {
		args = append(args, "-c", kv)
	}
	// Not CommandContext: the server outlives the context that started
	// it, and Stop ends it. If this process dies first, the kernel sends
	// the server SIGQUIT (Pdeathsig), so no server is left behind.
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fail(fmt.Errorf("pgtest: starting postgres: %w", err))
	}
	s.cmd, s.done = cmd, make(chan error, 1)
	go func() { s.done <- cmd.Wait() }()

	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\nserver log:\n%s", err, s.LogTail(40))
	}
	return s, nil
}

func (s *Server) dataDir() string { return filepath.Join(s.Dir, "data") }

// credential returns who the server runs as: nil for the current user,
// or the user "postgres" when the current user is root.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root, and initdb refuses root: need the user postgres to run the server as (Debian's postgresql package creates it): %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var last error
	for {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("pgtest: postgres exited during start: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("pgtest: postgres not ready: %v (last: %v)", ctx.Err(), last)
		case <-time.After(50 * time.Millisecond):
		}
		conn, err := pgx.Connect(ctx, s.ConnString("postgres"))
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		last = err
	}
}

// ConnString returns the connection string for database db as the
// superuser, over the server's socket.
func (s *Server) ConnString(db string) string {
	return fmt.Sprintf("host=%s port=5432 user=%s dbname=%s sslmode=disable", s.Dir, Superuser, db)
}

// CreateDatabase creates an empty database.
func (s *Server) CreateDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, s.ConnString("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// LogTail returns the last n lines of the server's log.
func (s *Server) LogTail(n int) string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "server.log"))
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Stop shuts the server down (fast shutdown: open sessions are ended)
// and removes its folder.
func (s *Server) Stop() error {
	var err error
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
			err = errors.New("pgtest: postgres did not stop in 30s; killed")
		}
	}
	if rmErr := os.RemoveAll(s.Dir); err == nil {
		err = rmErr
	}
	return err
}
