package xlsx

import (
	"encoding/xml"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// quotePrefixes returns, for each cell format of the workbook's styles part,
// whether it carries quotePrefix.
func quotePrefixes(t *testing.T, b []byte) []bool {
	t.Helper()
	var styles struct {
		Xfs []struct {
			QuotePrefix string `xml:"quotePrefix,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal([]byte(part(t, b, "xl/styles.xml")), &styles); err != nil {
		t.Fatalf("styles part: %v", err)
	}
	out := make([]bool, len(styles.Xfs))
	for i, xf := range styles.Xfs {
		out[i] = xf.QuotePrefix == "1" || xf.QuotePrefix == "true"
	}
	return out
}

// Text that a spreadsheet would take for a formula is written as a string
// cell, never a formula, keeps its text and is marked with quotePrefix, so
// that editing the cell does not turn it into a formula either. Numbers,
// negative ones included, stay numbers; other text is not marked.
func TestFormulaLikeText(t *testing.T) {
	ds := &pipeline.Dataset{Name: "t", Title: "T", Columns: []pipeline.Column{
		{Name: "projekttitel", Title: "Projekttitel", Type: "string"},
		{Name: "bewilligt_eur", Title: "Bewilligt (EUR)", Type: "number", Unit: "EUR"},
		{Name: "traeger", Title: "Träger", Type: "string"},
	}}
	tests := []struct {
		name   string
		text   string
		want   string // the text read back
		marked bool
	}{
		{"hyperlink", `=HYPERLINK("http://x","y")`, `=HYPERLINK("http://x","y")`, true},
		{"plus", "+1+1", "+1+1", true},
		{"minus", "-2+3", "-2+3", true},
		{"at", "@SUM(A1)", "@SUM(A1)", true},
		{"tab", "\t=1", "\t=1", true},
		{"carriage return", "\r=1", "\r=1", true},
		{"dde", "=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", true},
		{"plain text", "Stadtteilfest", "Stadtteilfest", false},
		{"hyphen inside", "Alt-Scharnhorst", "Alt-Scharnhorst", false},
	}
	var features []pipeline.Feature
	for _, tc := range tests {
		features = append(features, pipeline.Feature{Values: []any{tc.text, -5.0, "Verein " + tc.name}})
	}
	b := encode(t, ds, features)
	f := open(t, b)
	prefixed := quotePrefixes(t, b)
	sheetXML := part(t, b, "xl/worksheets/sheet1.xml")
	if strings.Contains(sheetXML, "<f>") || strings.Contains(sheetXML, "<f ") {
		t.Errorf("the data sheet holds a formula:\n%s", sheetXML)
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			row := strconv.Itoa(i + 2)
			cell := "A" + row
			typ, err := f.GetCellType(dataSheet, cell)
			if err != nil || typ != excelize.CellTypeInlineString {
				t.Errorf("%s has type %v (%v), want an inline string", cell, typ, err)
			}
			if formula, _ := f.GetCellFormula(dataSheet, cell); formula != "" {
				t.Errorf("%s has the formula %q", cell, formula)
			}
			raw, _ := f.GetCellValue(dataSheet, cell, excelize.Options{RawCellValue: true})
			if raw != tc.want {
				t.Errorf("%s = %q, want %q", cell, raw, tc.want)
			}
			style, _ := f.GetCellStyle(dataSheet, cell)
			if style >= len(prefixed) || prefixed[style] != tc.marked {
				t.Errorf("%s: style %d has quotePrefix %v, want %v", cell, style, style < len(prefixed) && prefixed[style], tc.marked)
			}
			if other, _ := f.GetCellStyle(dataSheet, "C"+row); prefixed[other] {
				t.Errorf("C%s: plain text is marked with quotePrefix", row)
			}
			amount := "B" + row
			if typ, _ := f.GetCellType(dataSheet, amount); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
				t.Errorf("%s has type %v, want a number", amount, typ)
			}
			if v, _ := f.GetCellValue(dataSheet, amount, excelize.Options{RawCellValue: true}); v != "-5" {
				t.Errorf("%s = %q, want the number -5", amount, v)
			}
			if s, _ := f.GetCellStyle(dataSheet, amount); prefixed[s] {
				t.Errorf("%s: a number is marked with quotePrefix", amount)
			}
		})
	}
}
