package aftersale

import (
	"bytes"
	"testing"
)

// TestMigrations checks the migration hook of the stored form: there is a
// step from every format below the current one, and migrate runs them. From
// format 0 to 1 there is nothing to change: a document of format 0 comes
// through byte for byte, and so does one of the current format.
// (TestStoredFormReadsFormat0 decodes a whole order of format 0.)
func TestMigrations(t *testing.T) {
	if len(migrations) != storedFormat {
		t.Fatalf("%d migration steps for format %d: every format below the current one needs its step", len(migrations), storedFormat)
	}
	for v, step := range migrations {
		if step == nil {
			t.Errorf("no step from format %d to %d", v, v+1)
		}
	}
	v0 := []byte(`{"id":"o-1","amount":"1.00","paid_at":"2026-03-01T10:00:00+08:00","version":0,"cases":[]}`)
	got, err := migrate(bytes.Clone(v0), 0)
	if err != nil {
		t.Fatalf("migrating format 0: %v", err)
	}
	if !bytes.Equal(got, v0) {
		t.Errorf("migrating format 0 to 1 changed the document:\n%s", got)
	}
	v1 := append([]byte(`{"format":1,`), v0[1:]...)
	if got, err := migrate(bytes.Clone(v1), storedFormat); err != nil || !bytes.Equal(got, v1) {
		t.Errorf("migrating a document of the current format gave %s, %v", got, err)
	}
	var o Order
	if err := o.UnmarshalJSON(v0); err != nil {
		t.Fatalf("format 0 does not decode: %v", err)
	}
	if b, err := o.MarshalJSON(); err != nil || !bytes.Equal(b, v1) {
		t.Errorf("format 0 decodes to an order that encodes as %s, %v; want %s", b, err, v1)
	}
}
