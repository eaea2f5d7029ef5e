package pipeline

import (
	"strings"
	"testing"
)

// TestAddShortensValues: a huge cell (an oversized header, a bomb) is quoted
// by its beginning and length, not copied into every report.
func TestAddShortensValues(t *testing.T) {
	huge := strings.Repeat("ä", 1<<20)
	var r Report
	r.Add(Issue{Code: CodeExtraHeader, Severity: Warning, Value: huge, Pos: Pos{File: "x.xlsx", Field: huge}})
	got := r.Issues[0]
	want := strings.Repeat("ä", maxValueRunes) + "… (1048576 Zeichen)"
	if got.Value != want || got.Pos.Field != want {
		t.Errorf("value %d bytes, field %d bytes; want %q", len(got.Value), len(got.Pos.Field), want[len(want)-20:])
	}
	r.Add(Issue{Value: "kurz"})
	if r.Issues[1].Value != "kurz" {
		t.Errorf("short value changed: %q", r.Issues[1].Value)
	}
}
