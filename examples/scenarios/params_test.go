package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata from what the runner prints")

// golden compares got with the golden file testdata/name, or rewrites it
// with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./examples/scenarios -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the runner prints, unlike %s (go test ./examples/scenarios -update rewrites it):\n%s", path, got)
	}
}

func TestParamsGolden(t *testing.T) {
	status, stdout, stderr := runner("-params")
	if status != 0 || stderr != "" {
		t.Fatalf("-params: status %d, stderr %q", status, stderr)
	}
	golden(t, "params.txt", stdout)
}

func TestParamsWithFiles(t *testing.T) {
	status, stdout, stderr := runner("-params", passing)
	if status != 2 || stdout != "" || !strings.Contains(stderr, "-params lists the parameters and plays no file") {
		t.Errorf("-params FILE: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

// sampleValue is a value of a parameter's type, to check that the policy
// reads its JSON name.
func sampleValue(typ string) json.RawMessage {
	switch typ {
	case "duration":
		return json.RawMessage(`"1h"`)
	case "money":
		return json.RawMessage(`"1.00"`)
	case "list of categories":
		return json.RawMessage(`["custom"]`)
	case "list of carriers":
		return json.RawMessage(`["SF"]`)
	case "boolean":
		return json.RawMessage(`true`)
	}
	return json.RawMessage(`1`)
}

// TestParamsCoverPolicies checks the listing against the policies: every
// policy of policy.Default() is listed; every exported field of its
// struct that JSON reads is a listed parameter, and no listed parameter is
// missing from the struct; each listed JSON name, given a value of its
// type, sets the field it names. For the deadlines, the listing is
// aftersale.DeadlineParams, whose count must match the struct's fields
// (but Calendar, which is not one).
func TestParamsCoverPolicies(t *testing.T) {
	var listed []string
	for _, p := range policy.Default().Policies {
		name := p.Name()
		listed = append(listed, name)
		typ := reflect.TypeOf(p)
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		var fields []string
		for f := range typ.Fields() {
			if f.IsExported() && f.Tag.Get("json") != "-" {
				fields = append(fields, f.Name)
			}
		}
		if name == (aftersale.Deadlines{}).Name() {
			fields = slices.DeleteFunc(fields, func(f string) bool { return f == "Calendar" })
			if n := len(aftersale.DeadlineParams()); n != len(fields) {
				t.Errorf("deadlines: DeadlineParams lists %d, the struct has %d: %v", n, len(fields), fields)
			}
			for _, d := range aftersale.DeadlineParams() {
				if deadlineType(d.Name) == "?" {
					t.Errorf("deadlines: %s reads neither a duration nor a number", d.Name)
				}
			}
			continue
		}
		params, ok := policyParams[name]
		if !ok {
			t.Errorf("policy %s (%T) is not in policyParams", name, p)
			continue
		}
		var names []string
		for _, pa := range params {
			names = append(names, pa.Field)
		}
		if !slices.Equal(slices.Sorted(slices.Values(fields)), slices.Sorted(slices.Values(names))) {
			t.Errorf("policy %s: the struct's parameters are %v, policyParams lists %v", name, fields, names)
		}
		for _, pa := range params {
			u, ok := policy.Default().Lookup(name).(json.Unmarshaler)
			if !ok {
				t.Errorf("policy %s does not read JSON", name)
				break
			}
			js, _ := json.Marshal(map[string]json.RawMessage{pa.JSON: sampleValue(pa.Type)})
			if err := u.UnmarshalJSON(js); err != nil {
				t.Errorf("policy %s: %s: %v", name, js, err)
				continue
			}
			if f := reflect.ValueOf(u).Elem().FieldByName(pa.Field); !f.IsValid() || f.IsZero() {
				t.Errorf("policy %s: %s did not set %s", name, js, pa.Field)
			}
		}
	}
	for name := range policyParams {
		if !slices.Contains(listed, name) {
			t.Errorf("policyParams lists %s, which policy.Default() does not have", name)
		}
	}
}
