// Package demosink is a stand-in payment system and messaging service for
// the Temporal example: a Ledger in a directory that does each instruction
// once by its idempotency key, however often and from however many worker
// processes it is called, and keeps every call, so a test can tell a retry
// of an instruction from an instruction done twice.
//
// A real host puts its payment provider's client and its messaging behind
// orderflow.Payments and orderflow.Messages instead; they must honour the
// same keys.
//
//	ledger, err := demosink.Open(dir)
//	w.RegisterActivity(&orderflow.Activities{Payments: ledger, Messages: ledger})
package demosink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/aftersale"
)

// The kinds of instruction, the ledger's subdirectories.
const (
	Refunds = "refunds" // by the payment key, Effect.Key
	Notices = "notices" // by Effect.ID
	Alerts  = "alerts"  // by Effect.ID
)

// Ledger records instructions in a directory: one file per instruction
// done, named by a hash of its key and created exclusively, so that the
// first call does it and later calls with the same key find it done; and
// a journal of every call. Several processes may share one directory.
type Ledger struct {
	dir string
}

// Open returns the ledger in dir, creating the directory if need be.
func Open(dir string) (*Ledger, error) {
	for _, sub := range []string{Refunds, Notices, Alerts} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, err
		}
	}
	return &Ledger{dir: dir}, nil
}

// Refund pays ef once per payment key.
func (l *Ledger) Refund(_ context.Context, ef aftersale.Effect) error {
	if ef.Key == "" {
		return fmt.Errorf("demosink: refund %s has no payment key", ef.ID)
	}
	return l.do(Refunds, ef.Key, ef)
}

// Notify tells ef.To once per effect ID.
func (l *Ledger) Notify(_ context.Context, ef aftersale.Effect) error {
	return l.do(Notices, ef.ID, ef)
}

// Alert raises ef once per effect ID.
func (l *Ledger) Alert(_ context.Context, ef aftersale.Effect) error {
	return l.do(Alerts, ef.ID, ef)
}

// Entry is one call the ledger received.
type Entry struct {
	Kind string `json:"kind"`
	Key  string `json:"key"`
	// Done is set for the call that did the instruction; a call that
	// found it done already is a retry.
	Done bool `json:"done"`
}

func (l *Ledger) do(kind, key string, ef aftersale.Effect) error {
	body, err := json.Marshal(ef)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(key))
	path := filepath.Join(l.dir, kind, hex.EncodeToString(sum[:]))
	done := true
	f, err := os.CreateTemp(filepath.Join(l.dir, kind), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(body)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return err
	}
	// A hard link is created whole or not at all, and only once: the
	// instruction is done exactly when it succeeds.
	if err := os.Link(f.Name(), path); errors.Is(err, fs.ErrExist) {
		done = false
	} else if err != nil {
		return err
	}
	os.Remove(f.Name())
	return l.journal(Entry{Kind: kind, Key: key, Done: done})
}

func (l *Ledger) journal(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(l.dir, "journal.jsonl"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	// One write of a short line with O_APPEND: lines of concurrent
	// callers do not interleave.
	_, werr := f.Write(append(line, '\n'))
	return errors.Join(werr, f.Close())
}

// Done returns the instructions of a kind that were done, each once, sorted
// by key.
func (l *Ledger) Done(kind string) ([]aftersale.Effect, error) {
	entries, err := os.ReadDir(filepath.Join(l.dir, kind))
	if err != nil {
		return nil, err
	}
	var out []aftersale.Effect
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(l.dir, kind, e.Name()))
		if err != nil {
			return nil, err
		}
		var ef aftersale.Effect
		if err := json.Unmarshal(b, &ef); err != nil {
			return nil, fmt.Errorf("demosink: %s/%s: %w", kind, e.Name(), err)
		}
		out = append(out, ef)
	}
	slices.SortFunc(out, func(a, b aftersale.Effect) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Journal returns every call the ledger received, in order.
func (l *Ledger) Journal() ([]Entry, error) {
	b, err := os.ReadFile(filepath.Join(l.dir, "journal.jsonl"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Entry
	for line := range strings.Lines(string(b)) {
		var e Entry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return nil, fmt.Errorf("demosink: journal: %w", err)
		}
		out = append(out, e)
	}
	return out, nil
}
