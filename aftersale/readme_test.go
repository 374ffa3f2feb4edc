package aftersale_test

import (
	"os"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
)

// TestREADMEDiagram keeps the README's state diagram equal to the one the
// transition table generates.
func TestREADMEDiagram(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "```mermaid\n")
	if start < 0 {
		t.Fatal("README.md has no mermaid block")
	}
	rest := readme[start+len("```mermaid\n"):]
	end := strings.Index(rest, "```")
	if got, want := rest[:end], aftersale.Diagram(); got != want {
		t.Errorf("README.md's state diagram is stale; replace its mermaid block with aftersale.Diagram():\n%s", want)
	}
}
