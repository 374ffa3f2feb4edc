package orderflow_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
	"github.com/shouhou/shouhou/scenario"
)

// Every shipped scenario file, played through the workflow, ends with the
// order the scenario's own runner leaves: the same events, at the same
// times, with the same decisions; and the commands the file expects refused
// are refused by the update's validator with the code the file names.
func TestScenarioFilesEndAsTheRunnerLeavesThem(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no scenario files found in ../../scenarios")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			s, err := scenario.Load(file, policy.Default())
			if err != nil {
				t.Fatal(err)
			}
			want, err := scenario.Play(s)
			if err != nil {
				t.Fatal(err)
			}
			if !want.Passed {
				t.Fatalf("the scenario fails under its own runner: %v", want.Failures)
			}
			wantDoc, err := json.Marshal(want.Order)
			if err != nil {
				t.Fatal(err)
			}
			for _, mode := range deliveryModes {
				t.Run(mode.name, func(t *testing.T) {
					got := playInWorkflow(t, s, mode.remote)
					if diff := cmp.Diff(orderTree(t, wantDoc), orderTree(t, got.Order)); diff != "" {
						t.Errorf("the workflow's order differs from the runner's (-runner +workflow):\n%s", diff)
					}
					if diff := cmp.Diff(expectedRefusals(s), got.Refused); diff != "" {
						t.Errorf("refusals by step (-file +workflow):\n%s", diff)
					}
					checkDelivered(t, got)
				})
			}
		})
	}
}

// orderTree decodes an order's stored form into a generic tree, so that a
// difference shows as a path into the document.
func orderTree(t *testing.T, doc []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// checkDelivered checks that the workflow delivered every effect of the
// order, and each once: the ledger did each refund and notice the order
// calls for, and nothing else.
func checkDelivered(t *testing.T, p played) {
	t.Helper()
	if len(p.Outbox.Pending) != 0 {
		t.Errorf("effects still pending at the end: %v", p.Outbox.Pending)
	}
	for _, k := range []struct {
		kind aftersale.EffectKind
		dir  string
	}{{aftersale.EffectRefund, "refunds"}, {aftersale.EffectNotify, "notices"}, {aftersale.EffectAlert, "alerts"}} {
		done, err := p.Ledger.Done(k.dir)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, ef := range done {
			ids = append(ids, ef.ID)
		}
		if diff := cmp.Diff(effectIDs(t, p.Order, k.kind), ids); diff != "" {
			t.Errorf("%s done (-order's effects +ledger):\n%s", k.dir, diff)
		}
	}
	journal, err := p.Ledger.Journal()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range journal {
		if !e.Done {
			t.Errorf("%s %s was sent twice", e.Kind, e.Key)
		}
	}
}
