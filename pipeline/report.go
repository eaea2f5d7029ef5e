package pipeline

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Severity says whether an issue blocks publication.
type Severity string

const (
	// Error blocks publication: nothing new is published.
	Error Severity = "error"
	// Warning is reported and published anyway.
	Warning Severity = "warning"
	// Info tells how an input was read: the sheet chosen, the row the header
	// was found in.
	Info Severity = "info"
)

// Stable issue codes. Machines and tests match these; people read the message.
const (
	CodeMissingHeader   = "missing-header"   // a required column is not in the header
	CodeDuplicateHeader = "duplicate-header" // two columns have the same header
	CodeExtraHeader     = "extra-header"     // a column the schema does not know (warning)
	CodeMissingCell     = "missing-cell"     // a required cell is empty
	CodeBlankRow        = "blank-row"        // a row without any value, skipped (warning)
	CodeTypeError       = "type-error"       // a cell is not of the field's type
	CodeConstraint      = "constraint-error" // a cell breaks a minimum, maximum, enum or pattern
	CodeUnique          = "unique-error"     // a value or key occurs twice
	CodeForeignKey      = "foreign-key"      // an area name or code that matches no area
	CodeMalformed       = "malformed-file"   // the file cannot be read as its format
	CodeBlankTable      = "blank-table"      // the table has no data rows
	CodeAreaNotValid    = "area-not-valid"   // the area is not part of the programme in that year
	CodeBusinessRule    = "business-rule"    // a rule between cells of a row is broken
	CodeBudgetExceeded  = "budget-exceeded"  // approved sums above a fund or budget (warning)
	CodeUnmatchedKey    = "unmatched-key"    // a key without a partner in another input
	CodeGeometry        = "geometry-error"   // a boundary geometry that cannot be used
	CodeRead            = "read-note"        // how an input was read (info)
	CodeAmbiguousNumber = "ambiguous-number" // a number read by a guessed convention (warning)
	CodeFootnote        = "footnote-row"     // a footnote below the table, skipped (warning)
	CodeTotalMismatch   = "total-mismatch"   // a total row that differs from the sum of the rows (warning)
)

// Issue is one problem found in an input, at a position.
type Issue struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Pos      Pos      `json:"position"`
	// Value is the raw value found; empty where it is personal data.
	Value string `json:"value,omitempty"`
	// Expected says what the cell should hold.
	Expected string `json:"expected,omitempty"`
	// Message is the full sentence for people, in German.
	Message string `json:"message"`
}

// String renders the issue on one line: position, message, value, expectation.
func (i Issue) String() string {
	label := "Fehler"
	switch i.Severity {
	case Warning:
		label = "Warnung"
	case Info:
		label = "Hinweis"
	}
	s := fmt.Sprintf("%s: %s: %s", label, i.Pos, i.Message)
	if i.Value != "" {
		s += fmt.Sprintf(" – gefunden: „%s“", i.Value)
	}
	if i.Expected != "" {
		s += "; erwartet: " + i.Expected
	}
	return s
}

// Report collects every issue of a run, in the order found.
type Report struct {
	Issues []Issue `json:"issues"`
	errors int
}

// Add appends an issue.
func (r *Report) Add(i Issue) {
	i.Value, i.Pos.Field = shorten(i.Value), shorten(i.Pos.Field)
	if i.Severity == Error {
		r.errors++
	}
	r.Issues = append(r.Issues, i)
}

// merge appends the issues of o, which Add has shortened already.
func (r *Report) merge(o *Report) {
	r.Issues = append(r.Issues, o.Issues...)
	r.errors += o.errors
}

// Errorf adds an error at pos.
func (r *Report) Errorf(code string, pos Pos, value, expected, format string, args ...any) {
	r.Add(Issue{Code: code, Severity: Error, Pos: pos, Value: value, Expected: expected, Message: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at pos.
func (r *Report) Warnf(code string, pos Pos, value, expected, format string, args ...any) {
	r.Add(Issue{Code: code, Severity: Warning, Pos: pos, Value: value, Expected: expected, Message: fmt.Sprintf(format, args...)})
}

// Infof adds a note at pos about how an input was read.
func (r *Report) Infof(code string, pos Pos, format string, args ...any) {
	r.Add(Issue{Code: code, Severity: Info, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Count returns the number of issues of a severity.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, i := range r.Issues {
		if i.Severity == s {
			n++
		}
	}
	return n
}

// Valid reports whether no issue blocks publication.
func (r *Report) Valid() bool { return r.errors == 0 }

// CodeCount is how often a code occurs in a file.
type CodeCount struct {
	File  string `json:"file"`
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// Counts returns the number of issues per file and code, sorted.
func (r *Report) Counts() []CodeCount {
	m := map[[2]string]int{}
	for _, i := range r.Issues {
		m[[2]string{i.Pos.File, i.Code}]++
	}
	out := make([]CodeCount, 0, len(m))
	for k, n := range m {
		out = append(out, CodeCount{File: k[0], Code: k[1], Count: n})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].File != out[b].File {
			return out[a].File < out[b].File
		}
		return out[a].Code < out[b].Code
	})
	return out
}

// maxValueRunes is how much of a found value an issue quotes: enough to
// recognise the cell, never a whole oversized cell copied into every report.
const maxValueRunes = 200

// shorten cuts v to maxValueRunes and says how long it was.
func shorten(v string) string {
	if len(v) <= maxValueRunes {
		return v
	}
	n := 0
	for i := range v {
		if n == maxValueRunes {
			return v[:i] + fmt.Sprintf("… (%d Zeichen)", utf8.RuneCountInString(v))
		}
		n++
	}
	return v
}
