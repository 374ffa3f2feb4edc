package aftersale

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrations checks the migration hook of the stored form: there is a
// step from every format below the current one, and migrate runs them. From
// format 0 to 1 there is nothing to change: a document of format 0 comes
// through byte for byte. A document of the current format comes through
// as it is. (TestStoredFormReadsOlderFormats decodes a whole order of
// every older format.)
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
	if got, err := migrations[0](bytes.Clone(v0)); err != nil || !bytes.Equal(got, v0) {
		t.Errorf("migrating format 0 to 1 changed the document: %s, %v", got, err)
	}
	current := append([]byte(`{"format":3,`), v0[1:]...)
	if got, err := migrate(bytes.Clone(current), storedFormat); err != nil || !bytes.Equal(got, current) {
		t.Errorf("migrating a document of the current format gave %s, %v", got, err)
	}
	var o Order
	if err := o.UnmarshalJSON(v0); err != nil {
		t.Fatalf("format 0 does not decode: %v", err)
	}
	if b, err := o.MarshalJSON(); err != nil || !bytes.Equal(b, current) {
		t.Errorf("format 0 decodes to an order that encodes as %s, %v; want %s", b, err, current)
	}
}

// TestCompensationMovesToTheEventEnteringRefunding checks the step from
// format 1 to 2 on the events it rewrites: the compensation and its
// decision move from refund_succeeded to the event that first took the
// case into refunding, not to a retry after a failed refund, as a line
// with its payer; a case still refunding, and one without compensation,
// stay as they were.
func TestCompensationMovesToTheEventEnteringRefunding(t *testing.T) {
	decision := `{"policy":"freight_subsidy","rule":"freight_subsidy.insured"}`
	for _, tc := range []struct {
		name     string
		from, to string // the events of one case
	}{
		{"received, then refunded with compensation",
			`[{"action":"receive_return","from":"return_in_transit","to":"refunding"},
			  {"action":"refund_succeeded","from":"refunding","to":"refunded","payer":"insurance","compensation":"8.00","decision":` + decision + `}]`,
			`[{"action":"receive_return","from":"return_in_transit","to":"refunding","compensation":[{"amount":"8.00","payer":"insurance"}],"compensation_decision":` + decision + `},
			  {"action":"refund_succeeded","from":"refunding","to":"refunded","compensation":[{"amount":"8.00","payer":"insurance"}]}]`},
		{"a failed refund retried: the first entry decides",
			`[{"action":"receive_return","from":"return_in_transit","to":"refunding"},
			  {"action":"refund_failed","from":"refunding","to":"refund_failed"},
			  {"action":"retry_refund","from":"refund_failed","to":"refunding"},
			  {"action":"sla_breached","from":"refunding","to":"refunding"},
			  {"action":"refund_succeeded","from":"refunding","to":"refunded","decision":` + decision + `}]`,
			`[{"action":"receive_return","from":"return_in_transit","to":"refunding","compensation_decision":` + decision + `},
			  {"action":"refund_failed","from":"refunding","to":"refund_failed"},
			  {"action":"retry_refund","from":"refund_failed","to":"refunding"},
			  {"action":"sla_breached","from":"refunding","to":"refunding"},
			  {"action":"refund_succeeded","from":"refunding","to":"refunded"}]`},
		{"still refunding: nothing decided yet",
			`[{"action":"receive_return","from":"return_in_transit","to":"refunding"}]`,
			`[{"action":"receive_return","from":"return_in_transit","to":"refunding"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := []byte(`{"format":1,"id":"o-1","cases":[{"id":"c1","events":` + tc.from + `}]}`)
			got, err := compensationOnEntry(doc)
			if err != nil {
				t.Fatal(err)
			}
			want := []byte(`{"format":1,"id":"o-1","cases":[{"id":"c1","events":` + tc.to + `}]}`)
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w, g); diff != "" {
				t.Errorf("migrated (-want +got):\n%s", diff)
			}
		})
	}
}
