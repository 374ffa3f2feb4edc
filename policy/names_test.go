package policy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The shipped policies spell their names out in the decisions they share
// between calls. Every decision written in this package's source must be
// the policy's own: its Policy is the Name of the policy in the same file
// (or p.Name()), and its Rule starts with that name and a dot.
func TestEveryDecisionNamesItsPolicy(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		name := policyName(f)
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isDecision(lit.Type) {
				return true
			}
			seen++
			fields := map[string]ast.Expr{}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					fields[kv.Key.(*ast.Ident).Name] = kv.Value
				}
			}
			policy, rule := text(fields["Policy"]), text(fields["Rule"])
			if isNameCall(fields["Policy"]) {
				policy = name
			}
			if name == "" || policy != name || !strings.HasPrefix(rule, name+".") {
				t.Errorf("%s: decision %q of policy %q in the file of policy %q", file, rule, policy, name)
			}
			return true
		})
	}
	if seen < 30 {
		t.Errorf("found %d decisions in the source; the walk has stopped seeing them", seen)
	}
}

// policyName returns the string a Name method in f returns.
func policyName(f *ast.File) string {
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || fn.Name.Name != "Name" || len(fn.Body.List) != 1 {
			continue
		}
		if ret, ok := fn.Body.List[0].(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
			return text(ret.Results[0])
		}
	}
	return ""
}

func isDecision(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Decision"
}

func isNameCall(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Name"
}

// text returns the value of a string literal, or "".
func text(e ast.Expr) string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return ""
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return ""
	}
	return s
}
