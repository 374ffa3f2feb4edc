package aftersale

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestEntrySize keeps the log compact: the sizes BENCHMARKS.md explains
// the memory of a case at rest with.
func TestEntrySize(t *testing.T) {
	if got := unsafe.Sizeof(entry{}); got != 40 {
		t.Errorf("an entry takes %d bytes, want 40", got)
	}
	if n := len(payerNames) - 1; n >= 1<<(8-linesShift) {
		t.Errorf("a line for each of %d payers does not fit in the bits of has above linesShift", n)
	}
	if got := unsafe.Sizeof(Event{}); got != 344 {
		t.Errorf("an Event takes %d bytes, want 344: an entry keeps it in 40", got)
	}
	// A new case and all the room it comes with are one allocation in the
	// 640-byte size class, with the 8-byte header the allocator puts before
	// an object with pointers larger than 512 bytes.
	if got := unsafe.Sizeof(caseRoom{}) + 8; got > 640 {
		t.Errorf("a new case allocates %d bytes with its header, above the 640-byte size class", got)
	}
}

// TestEntryHasNoPointers keeps appending to a log a plain copy.
func TestEntryHasNoPointers(t *testing.T) {
	var walk func(reflect.Type) bool
	walk = func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Pointer, reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
			return true
		case reflect.Struct:
			for i := range t.NumField() {
				if walk(t.Field(i).Type) {
					return true
				}
			}
		case reflect.Array:
			return walk(t.Elem())
		}
		return false
	}
	if walk(reflect.TypeFor[entry]()) {
		t.Error("entry holds a pointer")
	}
}
