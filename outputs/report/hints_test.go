package report

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// TestEveryCodeHasAHint reads the code constants from the source of package
// pipeline, so that a new code without a hint fails here.
func TestEveryCodeHasAHint(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../../pipeline/report.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "Code") {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Fatalf("%s is not a string literal", vs.Names[0].Name)
		}
		code, _ := strconv.Unquote(lit.Value)
		codes[code] = true
		k, ok := kinds[code]
		if !ok || k.Label == "" || k.Fix == "" {
			t.Errorf("%s (%q) has no label or no fix in kinds", vs.Names[0].Name, code)
		}
		return true
	})
	if len(codes) < 10 {
		t.Fatalf("found only %d codes in pipeline/report.go", len(codes))
	}
	for code := range kinds {
		if !codes[code] {
			t.Errorf("kinds has an entry for %q, which is no code of package pipeline", code)
		}
	}
}
