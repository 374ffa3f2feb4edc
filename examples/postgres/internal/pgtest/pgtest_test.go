package pgtest

import (
	"context"
	"errors"
	"testing"
)

func TestFindHonoursPGBinDir(t *testing.T) {
	t.Setenv("PG_BINDIR", "/nonexistent")
	if _, err := Find(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find with PG_BINDIR pointing nowhere: %v", err)
	}
	if _, err := Start(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Start with PG_BINDIR pointing nowhere: %v", err)
	}
}
