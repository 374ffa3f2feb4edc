package aftersale

import (
	"testing"
	"unsafe"
)

// TestEntrySize keeps the log compact: the sizes BENCHMARKS.md explains
// the memory of a case at rest with.
func TestEntrySize(t *testing.T) {
	if got := unsafe.Sizeof(entry{}); got != 72 {
		t.Errorf("an entry takes %d bytes, want 72", got)
	}
	if got := unsafe.Sizeof(Event{}); got != 232 {
		t.Errorf("an Event takes %d bytes; entry's comment says 232", got)
	}
	// A new case, its log's room and its spare room are one allocation in
	// the 896-byte size class.
	x := struct {
		c     Case
		buf   [logReserve]entry
		spare spare
	}{}
	if got := unsafe.Sizeof(x); got > 896 {
		t.Errorf("a new case allocates %d bytes, above the 896-byte size class", got)
	}
}
