package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shouhou/shouhou/examples/desk/internal/need"
)

// postgresBin finds PostgreSQL's server binaries: $PG_BINDIR, else the
// newest of Debian's /usr/lib/postgresql/<major>/bin, else postgres on
// $PATH. Where there are none the test fails with CI=true and skips
// elsewhere, as the tests of examples/postgres do.
func postgresBin(t *testing.T) string {
	t.Helper()
	var dirs []string
	if d := os.Getenv("PG_BINDIR"); d != "" {
		dirs = append(dirs, d)
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(debian, func(a, b string) int { return majorOf(b) - majorOf(a) })
	dirs = append(dirs, debian...)
	if p, err := exec.LookPath("postgres"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	need.Missing(t, "no PostgreSQL server binaries (initdb, postgres) in $PG_BINDIR, /usr/lib/postgresql/*/bin or $PATH: apt-get install postgresql, or run scripts/test from the repository root")
	return ""
}

func majorOf(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// startPostgres runs a throwaway server for the test: a new cluster in a
// temporary folder, served only on a unix socket there, stopped and
// removed when the test ends. It returns the DSN of its postgres database.
// As root it runs as the user postgres, since initdb will not run as root.
func startPostgres(t *testing.T) string {
	t.Helper()
	bin := postgresBin(t)
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, PostgreSQL needs a user postgres to run as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// Not t.TempDir: its parent is closed to other users.
	dir, err := os.MkdirTemp("", "desk-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	as := func(cmd *exec.Cmd) *exec.Cmd {
		cmd.Dir = dir
		// Pdeathsig: a test binary that dies takes its server with it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
		return cmd
	}
	data := filepath.Join(dir, "data")
	if out, err := as(exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "desk", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")).CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	server := as(exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off"))
	logFile := filepath.Join(dir, "log")
	if f, err := os.Create(logFile); err == nil {
		server.Stdout, server.Stderr = f, f
		defer f.Close()
	}
	if err := server.Start(); err != nil {
		t.Fatalf("starting postgres: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	t.Cleanup(func() {
		server.Process.Signal(syscall.SIGINT) // fast shutdown
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			server.Process.Kill()
			<-exited
		}
	})
	dsn := fmt.Sprintf("host=%s user=desk dbname=postgres sslmode=disable", dir)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			conn.Close(ctx)
			return dsn
		}
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logFile)
			t.Fatalf("postgres exited at start: %v\n%s", err, log)
		case <-ctx.Done():
			log, _ := os.ReadFile(logFile)
			t.Fatalf("postgres not ready in 30s: %v\n%s", err, log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
