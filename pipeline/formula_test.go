package pipeline

import (
	"strings"
	"testing"
)

// FormulaLike is the OWASP list: =, +, -, @, tab and carriage return start
// formula-like text, nothing else does.
func TestFormulaLike(t *testing.T) {
	for c := range 256 {
		for _, rest := range []string{"", "1", "SUM(A1)", "ö"} {
			s := string([]byte{byte(c)}) + rest
			want := strings.IndexByte("=+-@\t\r", byte(c)) >= 0
			if got := FormulaLike(s); got != want {
				t.Errorf("FormulaLike(%q) = %v, want %v", s, got, want)
			}
		}
	}
	if FormulaLike("") {
		t.Error("empty text is formula-like")
	}
}
