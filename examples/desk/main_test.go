package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRunOpensADeskAtThePrintedAddress is `go run .` on a fresh machine:
// demo orders in a new folder, the address printed, the queue served
// there; started again on the same folder, it serves the same orders.
func TestRunOpensADeskAtThePrintedAddress(t *testing.T) {
	dir := t.TempDir()
	first := serve(t, options{addr: "127.0.0.1:0", dir: dir, orders: 200, seed: 1, stopped: true})
	second := serve(t, options{addr: "127.0.0.1:0", dir: dir, orders: 200, seed: 1, stopped: true})
	if first.cases != "desk: 34 open cases, orders in "+dir || second.cases != first.cases {
		t.Errorf("first run says %q, second %q; want 34 open cases in %s both times", first.cases, second.cases, dir)
	}
}

type served struct{ cases string }

func serve(t *testing.T, opt options) served {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, opt, w); w.Close() }()
	lines := bufio.NewScanner(r)
	var got []string
	for len(got) < 2 && lines.Scan() {
		got = append(got, lines.Text())
	}
	if len(got) < 2 {
		cancel()
		t.Fatalf("run printed %q, then: %v", got, <-done)
	}
	go io.Copy(io.Discard, r)
	url, ok := strings.CutPrefix(got[1], "desk: open ")
	if !ok {
		t.Fatalf("run printed %q, want the address", got[1])
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("run ended with %v, want the context's cancellation", err)
	}
	return served{cases: got[0]}
}
