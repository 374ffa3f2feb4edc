package aftersale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// RulePrefixes are the prefixes of the Engine's own rule ids, the part
// before the first dot, as README.md and RULES.md list them. Every refusal
// but a policy's denial carries an id under one of them.
var RulePrefixes = []string{
	"command", "table", "case", "line", "order", "key", "clock", "time",
	"money", "text", "refund_cap", "rules", "answer", "eligibility", "json", "import",
}

// RuleIDShape is the shape of every rule id: a prefix, a dot and a name,
// in lower case with underscores.
var RuleIDShape = regexp.MustCompile(`^[a-z_0-9]+\.[a-z_0-9.]+$`)

// refusal is a place in the package's source that makes a refusal: the
// code and rule id it gives, as far as the source says them.
type refusal struct {
	pos  string
	fn   string // the function it is in
	code string // the Code constant's name
	rule string // "" when the id is not a constant
}

// refusals parses the package's own source (not its tests) and returns
// every refusal it makes: each call of refuse and capError, and each Error
// it builds itself. It reports each call of fail, which makes a refusal
// with neither a rule id nor a Chinese message, and each refuse whose
// English or Chinese is empty.
func refusals(t *testing.T) []refusal {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	consts := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, s := range g.Specs {
					v := s.(*ast.ValueSpec)
					for i, n := range v.Names {
						if i < len(v.Values) {
							if s, ok := stringLit(v.Values[i]); ok {
								consts[n.Name] = s
							}
						}
					}
				}
			}
		}
	}
	id := func(e ast.Expr) string {
		if s, ok := stringLit(e); ok {
			return s
		}
		if n, ok := e.(*ast.Ident); ok {
			return consts[n.Name]
		}
		return ""
	}
	var out []refusal
	for _, f := range parsed {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if n == nil {
					return false
				}
				pos := fset.Position(n.Pos()).String()
				switch n := n.(type) {
				case *ast.CallExpr:
					callee, ok := n.Fun.(*ast.Ident)
					if !ok {
						return true
					}
					switch callee.Name {
					case "fail":
						t.Errorf("%s: fail makes a refusal with no rule id and no Chinese message: make it a refuse", pos)
					case "refuse":
						for i, what := range []string{"English", "Chinese"} {
							if s, ok := stringLit(n.Args[2+i]); ok && s == "" {
								t.Errorf("%s: a refusal with no %s message", pos, what)
							}
						}
						out = append(out, refusal{pos, fn.Name.Name, identName(n.Args[0]), id(n.Args[1])})
					case "capError":
						out = append(out, refusal{pos, fn.Name.Name, "ErrInvalidInput", id(n.Args[0])})
					}
				case *ast.CompositeLit:
					if typ, ok := n.Type.(*ast.Ident); !ok || typ.Name != "Error" {
						return true
					}
					r := refusal{pos: pos, fn: fn.Name.Name}
					for _, e := range n.Elts {
						kv, ok := e.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						switch identName(kv.Key) {
						case "Code":
							r.code = identName(kv.Value)
						case "Rule":
							r.rule = id(kv.Value)
						}
					}
					out = append(out, r)
				}
				return true
			})
		}
	}
	return out
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func identName(e ast.Expr) string {
	if n, ok := e.(*ast.Ident); ok {
		return n.Name
	}
	return ""
}

// passOnRule are the functions whose refusals carry an id they were
// given: the constructors, and eligible, whose id is a policy's.
var passOnRule = map[string]bool{"refuse": true, "fail": true, "capError": true, "eligible": true}

// TestEveryRefusalNamesItsRule reads the package's source: every refusal
// it makes carries a rule id of the documented shape and prefix, an
// English and a Chinese message; an id always goes with the same code.
func TestEveryRefusalNamesItsRule(t *testing.T) {
	sites := refusals(t)
	if len(sites) < 100 {
		t.Fatalf("found %d refusals in the source, expected over 100: is the parsing broken?", len(sites))
	}
	codeOf := map[string]string{ruleNotCovered: "ErrNotEligible", ruleLimited: "ErrNotEligible"}
	for _, r := range sites {
		switch {
		case r.rule == "" && passOnRule[r.fn]:
			continue
		case r.rule == "":
			t.Errorf("%s: a refusal with no rule id, or one that is not a constant", r.pos)
			continue
		case !RuleIDShape.MatchString(r.rule):
			t.Errorf("%s: rule id %q is not of the shape prefix.name", r.pos, r.rule)
		case !slices.Contains(RulePrefixes, r.rule[:strings.IndexByte(r.rule, '.')]):
			t.Errorf("%s: rule id %q has a prefix that is none of %v: use one, or add the prefix here and to README.md and RULES.md", r.pos, r.rule, RulePrefixes)
		}
		if r.code == "" {
			t.Errorf("%s: a refusal whose code is not a constant", r.pos)
		}
		if c, ok := codeOf[r.rule]; ok && c != r.code {
			t.Errorf("%s: rule id %q goes with %s here and with %s elsewhere: one id, one code", r.pos, r.rule, r.code, c)
		}
		codeOf[r.rule] = r.code
	}
}

// TestTheDocsListEveryRefusalRule: RULES.md section 8 lists every rule id
// of the Engine's own refusals, and the README's errors section every
// prefix.
func TestTheDocsListEveryRefusalRule(t *testing.T) {
	rules, err := os.ReadFile("../RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(rules)
	if i := strings.Index(section, "## 8. Refusals"); i >= 0 {
		section = section[i:]
	} else {
		t.Fatal("RULES.md has no section \"## 8. Refusals\"")
	}
	ids := []string{ruleNotCovered, ruleLimited}
	for _, r := range refusals(t) {
		if r.rule != "" && !slices.Contains(ids, r.rule) {
			ids = append(ids, r.rule)
		}
	}
	for _, id := range ids {
		if !strings.Contains(section, "`"+id+"`") {
			t.Errorf("rule id %s is not in RULES.md section 8.2: add it to its prefix's row", id)
		}
	}
	for _, p := range RulePrefixes {
		if !strings.Contains(string(readme), "| `"+p+".` |") {
			t.Errorf("prefix %s. has no row in the README's table of rule id prefixes", p)
		}
		if !strings.Contains(section, "| `"+p+".` |") {
			t.Errorf("prefix %s. has no row in RULES.md section 8.2", p)
		}
	}
}

// TestEveryArgumentHasAChineseName: a refusal for a missing or stray
// argument names it in Chinese (argNamesZh).
func TestEveryArgumentHasAChineseName(t *testing.T) {
	for _, n := range argNames {
		if n != "" && argNamesZh[n] == "" {
			t.Errorf("argument %s has no Chinese name in argNamesZh", n)
		}
	}
}
