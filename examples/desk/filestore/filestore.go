// Package filestore keeps the desk's orders in files, one JSON document an
// order (json.Marshal of the aftersale.Order, its stored form), in a
// folder of their own. It is the desk's default store: nothing to install,
// and what the desk did is there to read with any editor.
//
// A Store serves one process: it serialises its writes with a mutex, and
// two processes on one folder would overwrite each other's changes. Each
// write goes to a temporary file, is synced, and is renamed over the old
// one, so a crash leaves either the old document or the new one.
//
//	store, err := filestore.Open(dir, engine)
//	order, out, err := store.Apply(ctx, "o-1", cmd, now)
package filestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Store keeps orders in files under a folder and applies commands and
// deadlines to them with its engine.
type Store struct {
	dir    string
	engine *aftersale.Engine
	mu     sync.Mutex // one write at a time: load, apply, save
}

// Open returns the store of the folder dir, made if missing.
func Open(dir string, engine *aftersale.Engine) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Store{dir: dir, engine: engine}, nil
}

// Dir returns the store's folder.
func (s *Store) Dir() string { return s.dir }

// path is the order's file: its ID escaped as a URL path segment, so an ID
// with a slash or dots stays inside the folder.
func (s *Store) path(id string) string {
	return filepath.Join(s.dir, url.PathEscape(id)+".json")
}

// Create stores new orders. An order already stored is an error with code
// aftersale.ErrConflict; orders before it in the call are stored. Files
// are not synced one by one, as a first fill of thousands would take long:
// the folder is synced once at the end.
func (s *Store) Create(ctx context.Context, orders ...*aftersale.Order) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range orders {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return err
		}
		if _, err := os.Stat(s.path(o.ID)); err == nil {
			return &aftersale.Error{Code: aftersale.ErrConflict, Rule: "order.exists",
				Message: fmt.Sprintf("order %s is already stored", o.ID), Zh: fmt.Sprintf("订单%s已存在", o.ID)}
		}
		if err := s.write(o, false); err != nil {
			return err
		}
	}
	return syncDir(s.dir)
}

// Empty reports whether the store holds no order yet.
func (s *Store) Empty() (bool, error) {
	names, err := s.names()
	return len(names) == 0, err
}

func (s *Store) names() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasSuffix(n, ".json") { // not a write under way, *.tmp
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Each calls fn with every stored order, in the order of their file names.
func (s *Store) Each(ctx context.Context, fn func(*aftersale.Order) error) error {
	names, err := s.names()
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		o, err := s.read(filepath.Join(s.dir, n))
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return nil
}

// Load returns the stored order; one the store does not hold is an error
// with code aftersale.ErrNotFound.
func (s *Store) Load(ctx context.Context, id string) (*aftersale.Order, error) {
	return s.read(s.path(id))
}

func (s *Store) read(path string) (*aftersale.Order, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		id, _ := url.PathUnescape(strings.TrimSuffix(filepath.Base(path), ".json"))
		return nil, &aftersale.Error{Code: aftersale.ErrNotFound, Rule: "order.not_found",
			Message: fmt.Sprintf("no order %s", id), Zh: fmt.Sprintf("找不到订单%s", id)}
	}
	if err != nil {
		return nil, err
	}
	o := new(aftersale.Order)
	if err := json.Unmarshal(b, o); err != nil {
		return nil, fmt.Errorf("filestore: %s: %w", path, err)
	}
	return o, nil
}

// Apply loads the order, applies cmd at now and saves it. A refused command
// saves nothing and returns the engine's error.
func (s *Store) Apply(ctx context.Context, id string, cmd aftersale.Command, now time.Time) (*aftersale.Order, aftersale.Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.Load(ctx, id)
	if err != nil {
		return nil, aftersale.Outcome{}, err
	}
	out, err := s.engine.ApplyAt(now, o, cmd)
	if err != nil {
		return nil, out, err
	}
	if out.Repeat {
		return o, out, nil
	}
	return o, out, s.write(o, true)
}

// Advance fires the deadlines due by now on the orders named and saves
// those that changed. It returns how many events were appended.
func (s *Store) Advance(ctx context.Context, now time.Time, ids []string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fired := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return fired, err
		}
		o, err := s.Load(ctx, id)
		if err != nil {
			return fired, err
		}
		changes, err := s.engine.AdvanceTo(now, o)
		if err != nil {
			return fired, fmt.Errorf("filestore: order %s: %w", id, err)
		}
		if len(changes) == 0 {
			continue
		}
		if err := s.write(o, true); err != nil {
			return fired, err
		}
		fired += len(changes)
	}
	return fired, nil
}

// write saves the order through a temporary file renamed over the old one;
// with durable, the file is synced before the rename and the folder after.
func (s *Store) write(o *aftersale.Order, durable bool) error {
	b, err := json.Marshal(o)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(s.dir, ".write-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone after the rename; removes a failed write's leftovers
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), s.path(o.ID)); err != nil {
		return err
	}
	if durable {
		return syncDir(s.dir)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
