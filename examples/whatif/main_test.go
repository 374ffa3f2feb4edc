package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	var orders, stderr bytes.Buffer
	if err := run([]string{"-generate", "500", "-seed", "2"}, &orders, &stderr); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "orders.jsonl")
	if err := os.WriteFile(file, orders.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	svg := filepath.Join(dir, "out.svg")
	if err := run([]string{"-q", "-before", "rules/freight_cap_20.json", "-after", "rules/freight_cap_30.json", "-json", "-svg", svg, file}, &out, &stderr); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Orders int64 `json:"orders"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Orders != 500 {
		t.Fatalf("%v: %s", err, out.String())
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, new(struct{ XMLName xml.Name })); err != nil {
		t.Errorf("the SVG is not XML: %v", err)
	}
	out.Reset()
	if err := run([]string{"-q", "-after", "rules/review_24h.json", file}, &out, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "diverged orders") {
		t.Errorf("a shorter review diverged nothing:\n%s", out.String())
	}
	if err := run([]string{"-after", "rules/nope.json", file}, &out, &stderr); err == nil {
		t.Error("a missing rule file is no error")
	}
}
