package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleDataset has a column of every type and unit the encoder treats
// differently.
func sampleDataset() *pipeline.Dataset {
	return &pipeline.Dataset{
		Name:        "beispiel",
		Title:       "Beispiel",
		Description: "Ein Datensatz mit jeder Art von Spalte.",
		Columns: []pipeline.Column{
			{Name: "code", Title: "Code", Type: "string", Description: "Schlüssel des Aktionsraums."},
			{Name: "name", Title: "Aktionsraum", Type: "string", Description: "Name des Aktionsraums."},
			{Name: "jahr", Title: "Jahr", Type: "integer", Description: "Kalenderjahr."},
			{Name: "bewilligt_eur", Title: "Bewilligt (EUR)", Type: "number", Unit: "EUR", Description: "Bewilligter Betrag."},
			{Name: "kinderarmut_pct", Title: "Kinderarmut (%)", Type: "number", Unit: "%", Description: "Anteil der Kinder unter 15 mit SGB II."},
			{Name: "flaeche_km2", Title: "Fläche (km²)", Type: "number", Unit: "km²", Description: "Fläche."},
			{Name: "ueberschritten", Title: "Überschritten", Type: "boolean", Description: "Budget überschritten."},
			{Name: "beschlussdatum", Title: "Beschlussdatum", Type: "date", Description: "Datum der Projektkonferenz."},
			{Name: "projekttitel", Title: "Projekttitel", Type: "string", Description: "Titel der Maßnahme."},
		},
		About: pipeline.About{
			Publisher: "Stadt Dortmund, Projektbüro Aktionsplan",
			Source:    "Beispieldateien",
			Note:      "Beispieldaten, keine amtlichen Zahlen",
		},
	}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleFeatures cover every type, missing values, an int64 in a number
// column and text that a spreadsheet would take for a formula.
func sampleFeatures() []pipeline.Feature {
	return []pipeline.Feature{
		{ID: "BOR", Values: []any{"BOR", "Borsigplatz", int64(2024), 5000.0, 23.4, 1.25, false, date(2024, 3, 14), "Lesepaten"}},
		{ID: "HAF", Values: []any{"HAF", "Hafen", int64(2024), int64(4500), nil, nil, true, nil, "=1+2"}},
		{ID: "NOM", Values: []any{"NOM", "Nordmarkt", nil, nil, 0.0, 0.5, nil, date(2023, 12, 1), "@SUM(A1)"}},
	}
}

// encode writes ds and features and returns the workbook.
func encode(t testing.TB, ds *pipeline.Dataset, features []pipeline.Feature) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := Format{}.NewEncoder(&buf, ds)
	if err != nil {
		t.Fatalf("NewEncoder: %v", err)
	}
	for _, f := range features {
		if err := enc.Write(f); err != nil {
			t.Fatalf("Write(%s): %v", f.ID, err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

func open(t testing.TB, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// part returns one part of the workbook's zip, e.g. the XML of a sheet.
func part(t testing.TB, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("unzip: %v", err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return string(data)
}

// builtinFormats are the built-in number formats the encoder uses.
var builtinFormats = map[int]string{0: "General", 1: "0", 4: "#,##0.00"}

// cellInfo describes a cell as a user of the file sees it.
type cellInfo struct {
	kind   string // empty, number, string, bool, formula, ...
	format string // number format
	raw    string // the stored value
	shown  string // the value as excelize formats it
	bold   bool
}

func inspect(t testing.TB, f *excelize.File, sheet, cell string) cellInfo {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatalf("type of %s!%s: %v", sheet, cell, err)
	}
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("value of %s!%s: %v", sheet, cell, err)
	}
	shown, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("value of %s!%s: %v", sheet, cell, err)
	}
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatalf("style of %s!%s: %v", sheet, cell, err)
	}
	style, err := f.GetStyle(id)
	if err != nil {
		t.Fatalf("style %d: %v", id, err)
	}
	info := cellInfo{raw: raw, shown: shown, bold: style.Font != nil && style.Font.Bold}
	info.format = builtinFormats[style.NumFmt]
	if style.CustomNumFmt != nil {
		info.format = *style.CustomNumFmt
	}
	kinds := map[excelize.CellType]string{
		excelize.CellTypeBool: "bool", excelize.CellTypeDate: "date", excelize.CellTypeError: "error",
		excelize.CellTypeFormula: "formula", excelize.CellTypeInlineString: "string",
		excelize.CellTypeNumber: "number", excelize.CellTypeSharedString: "string",
	}
	switch {
	case typ == excelize.CellTypeUnset && raw == "":
		info.kind = "empty"
	case typ == excelize.CellTypeUnset: // OOXML's default cell type is a number
		info.kind = "number"
	default:
		info.kind = kinds[typ]
	}
	return info
}

func TestFormat(t *testing.T) {
	if got := (Format{}).Ext(); got != "xlsx" {
		t.Errorf("Ext() = %q, want xlsx", got)
	}
	if (Format{}).Spatial() {
		t.Error("Spatial() = true, want false")
	}
}

func TestDataSheetCells(t *testing.T) {
	f := open(t, encode(t, sampleDataset(), sampleFeatures()))
	tests := []struct {
		name string
		cell string
		want cellInfo
	}{
		{"header is bold text", "A1", cellInfo{kind: "string", format: "General", raw: "Code", shown: "Code", bold: true}},
		{"header with umlaut", "G1", cellInfo{kind: "string", format: "General", raw: "Überschritten", shown: "Überschritten", bold: true}},
		{"text", "B2", cellInfo{kind: "string", format: "General", raw: "Borsigplatz", shown: "Borsigplatz"}},
		{"integer", "C2", cellInfo{kind: "number", format: "0", raw: "2024", shown: "2024"}},
		{"EUR amount", "D2", cellInfo{kind: "number", format: "#,##0.00", raw: "5000", shown: "5,000.00"}},
		{"int64 in EUR column", "D3", cellInfo{kind: "number", format: "#,##0.00", raw: "4500", shown: "4,500.00"}},
		{"percent stays the number", "E2", cellInfo{kind: "number", format: "0.0", raw: "23.4", shown: "23.4"}},
		{"zero is not missing", "E4", cellInfo{kind: "number", format: "0.0", raw: "0", shown: "0.0"}},
		{"other number", "F2", cellInfo{kind: "number", format: "General", raw: "1.25", shown: "1.25"}},
		{"false", "G2", cellInfo{kind: "bool", format: "General", raw: "0", shown: "FALSE"}},
		{"true", "G3", cellInfo{kind: "bool", format: "General", raw: "1", shown: "TRUE"}},
		{"date", "H2", cellInfo{kind: "number", format: "dd.mm.yyyy", raw: "45365", shown: "14.03.2024"}},
		{"formula text stays text", "I3", cellInfo{kind: "string", format: "General", raw: "=1+2", shown: "=1+2"}},
		{"at sign text stays text", "I4", cellInfo{kind: "string", format: "General", raw: "@SUM(A1)", shown: "@SUM(A1)"}},
		{"missing integer", "C4", cellInfo{kind: "empty", format: "General"}},
		{"missing EUR amount", "D4", cellInfo{kind: "empty", format: "General"}},
		{"missing date", "H3", cellInfo{kind: "empty", format: "General"}},
		{"missing boolean", "G4", cellInfo{kind: "empty", format: "General"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inspect(t, f, dataSheet, tt.cell); got != tt.want {
				t.Errorf("%s = %+v, want %+v", tt.cell, got, tt.want)
			}
		})
	}
}

func TestDataSheetLayout(t *testing.T) {
	b := encode(t, sampleDataset(), sampleFeatures())
	f := open(t, b)
	sheetXML := part(t, b, "xl/worksheets/sheet1.xml")

	t.Run("sheets", func(t *testing.T) {
		if got, want := f.GetSheetList(), []string{dataSheet, aboutSheet}; !slices.Equal(got, want) {
			t.Errorf("sheets = %q, want %q", got, want)
		}
		if got := f.GetActiveSheetIndex(); got != 0 {
			t.Errorf("active sheet = %d, want 0", got)
		}
	})
	t.Run("header titles", func(t *testing.T) {
		rows, err := f.GetRows(dataSheet)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"Code", "Aktionsraum", "Jahr", "Bewilligt (EUR)", "Kinderarmut (%)", "Fläche (km²)", "Überschritten", "Beschlussdatum", "Projekttitel"}
		if !slices.Equal(rows[0], want) {
			t.Errorf("header = %q, want %q", rows[0], want)
		}
		if len(rows) != 4 {
			t.Errorf("%d rows, want 4", len(rows))
		}
	})
	t.Run("frozen header", func(t *testing.T) {
		p, err := f.GetPanes(dataSheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
			t.Errorf("panes = %+v, want frozen below row 1", p)
		}
	})
	t.Run("autofilter", func(t *testing.T) {
		// excelize writes the range with absolute references.
		if !strings.Contains(sheetXML, `</sheetData><autoFilter ref="$A$1:$I$4">`) {
			t.Errorf("sheet has no autoFilter A1:I4:\n%s", tail(sheetXML))
		}
		wb := part(t, b, "xl/workbook.xml")
		if !strings.Contains(wb, `<definedName hidden="true" localSheetId="0" name="_xlnm._FilterDatabase">&#39;Daten&#39;!$A$1:$I$4</definedName>`) {
			t.Errorf("workbook has no filter database name for A1:I4:\n%s", wb)
		}
	})
	t.Run("no formulas", func(t *testing.T) {
		if strings.Contains(sheetXML, "<f>") || strings.Contains(sheetXML, "<f ") {
			t.Errorf("sheet has a formula:\n%s", sheetXML)
		}
		for _, s := range []string{`t="inlineStr"><is><t>=1+2</t></is>`, `t="inlineStr"><is><t>@SUM(A1)</t></is>`} {
			if !strings.Contains(sheetXML, s) {
				t.Errorf("sheet lacks %s", s)
			}
		}
	})
	t.Run("page header shows the note", func(t *testing.T) {
		hf, err := f.GetHeaderFooter(dataSheet)
		if err != nil {
			t.Fatal(err)
		}
		if hf == nil || hf.OddHeader != "&CBeispieldaten, keine amtlichen Zahlen" {
			t.Errorf("page header = %+v", hf)
		}
	})
	t.Run("columns in ascending order", func(t *testing.T) {
		mins := regexp.MustCompile(`<col min="(\d+)"`).FindAllStringSubmatch(sheetXML, -1)
		var got []string
		for _, m := range mins {
			got = append(got, m[1])
		}
		if want := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(got, want) {
			t.Errorf("<col> elements for columns %q, want %q", got, want)
		}
	})
	t.Run("column widths", func(t *testing.T) {
		want := map[string]float64{"A": 10, "B": 24, "C": 10, "D": 20, "E": 20, "F": 17, "G": 18, "H": 19, "I": 40}
		for col, w := range want {
			got, err := f.GetColWidth(dataSheet, col)
			if err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("width of %s = %v, want %v", col, got, w)
			}
		}
	})
	t.Run("document properties", func(t *testing.T) {
		p, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		want := excelize.DocProperties{Created: fixedTime, Modified: fixedTime, Creator: "aktionsplan", LastModifiedBy: "aktionsplan",
			Title: "Beispiel", Description: "Ein Datensatz mit jeder Art von Spalte.", Language: "de-DE"}
		if *p != want {
			t.Errorf("properties = %+v, want %+v", *p, want)
		}
	})
}

// tail is the end of a sheet's XML, where filters and page setup are.
func tail(s string) string { return s[max(0, len(s)-600):] }

func TestWidth(t *testing.T) {
	tests := []struct {
		name string
		col  pipeline.Column
		want float64
	}{
		{"short title, code", pipeline.Column{Name: "code", Title: "Code", Type: "string"}, 10},
		{"plain text", pipeline.Column{Name: "status", Title: "Status", Type: "string"}, 24},
		{"long text", pipeline.Column{Name: "projekttitel", Title: "Projekttitel", Type: "string"}, 40},
		{"date", pipeline.Column{Name: "d", Title: "D", Type: "date"}, 12},
		{"EUR", pipeline.Column{Name: "x_eur", Title: "X", Type: "number", Unit: "EUR"}, 14},
		{"boolean", pipeline.Column{Name: "b", Title: "B", Type: "boolean"}, 10},
		{"title longer than the type needs", pipeline.Column{Name: "a", Title: "Arbeitslosenquote (%)", Type: "number", Unit: "%"}, 26},
		{"title capped", pipeline.Column{Name: "a", Title: strings.Repeat("x", 100), Type: "integer"}, maxWidth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := width(tt.col, kinds[tt.col.Type]); got != tt.want {
				t.Errorf("width = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDescriptionSheet(t *testing.T) {
	f := open(t, encode(t, sampleDataset(), sampleFeatures()))
	rows, err := f.GetRows(aboutSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Beispiel"},
		{"Beispieldaten, keine amtlichen Zahlen"},
		{"Ein Datensatz mit jeder Art von Spalte."},
		nil,
		{"Spalte", "Feldname", "Typ", "Einheit", "Beschreibung"},
		{"Code", "code", "Text (string)", "", "Schlüssel des Aktionsraums."},
		{"Aktionsraum", "name", "Text (string)", "", "Name des Aktionsraums."},
		{"Jahr", "jahr", "Ganzzahl (integer)", "", "Kalenderjahr."},
		{"Bewilligt (EUR)", "bewilligt_eur", "Zahl (number)", "EUR", "Bewilligter Betrag."},
		{"Kinderarmut (%)", "kinderarmut_pct", "Zahl (number)", "%", "Anteil der Kinder unter 15 mit SGB II."},
		{"Fläche (km²)", "flaeche_km2", "Zahl (number)", "km²", "Fläche."},
		{"Überschritten", "ueberschritten", "Wahrheitswert (boolean)", "", "Budget überschritten."},
		{"Beschlussdatum", "beschlussdatum", "Datum (date)", "", "Datum der Projektkonferenz."},
		{"Projekttitel", "projekttitel", "Text (string)", "", "Titel der Maßnahme."},
		nil,
		{"Herausgeber", "Stadt Dortmund, Projektbüro Aktionsplan"},
		{"Quelle", "Beispieldateien"},
		{"Hinweis", "Beispieldaten, keine amtlichen Zahlen"},
		{"Datenzeilen", "3"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%q", len(rows), len(want), rows)
	}
	for i := range want {
		if !slices.Equal(rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i+1, rows[i], want[i])
		}
	}

	bold := []struct {
		name string
		cell string
	}{
		{"title", "A1"},
		{"note below the title", "A2"},
		{"table header", "E5"},
		{"note line", "B18"},
	}
	for _, tt := range bold {
		t.Run(tt.name+" is bold", func(t *testing.T) {
			if !inspect(t, f, aboutSheet, tt.cell).bold {
				t.Errorf("%s is not bold", tt.cell)
			}
		})
	}

	t.Run("without note", func(t *testing.T) {
		ds := sampleDataset()
		ds.About.Note = ""
		b := encode(t, ds, nil)
		f := open(t, b)
		rows, err := f.GetRows(aboutSheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			for _, v := range r {
				if v == "Hinweis" || strings.Contains(v, "Beispieldaten") {
					t.Errorf("row %q mentions a note", r)
				}
			}
		}
		if hf, _ := f.GetHeaderFooter(dataSheet); hf != nil && hf.OddHeader != "" {
			t.Errorf("page header = %q, want none", hf.OddHeader)
		}
	})
}

func TestEmptyDataset(t *testing.T) {
	b := encode(t, sampleDataset(), nil)
	if x := part(t, b, "xl/worksheets/sheet1.xml"); !strings.Contains(x, `<autoFilter ref="$A$1:$I$1"`) {
		t.Errorf("no autoFilter over the header alone:\n%s", tail(x))
	}
	rows, err := open(t, b).GetRows(dataSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Errorf("%d rows, want the header alone", len(rows))
	}
}

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name     string
		features []pipeline.Feature
	}{
		{"sample", sampleFeatures()},
		{"no rows", nil},
		{"many rows", manyFeatures(5000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := encode(t, sampleDataset(), tt.features)
			for range 3 {
				if again := encode(t, sampleDataset(), tt.features); !bytes.Equal(first, again) {
					t.Fatal("the same dataset gave different bytes")
				}
			}
		})
	}
}

func manyFeatures(n int) []pipeline.Feature {
	out := make([]pipeline.Feature, n)
	for i := range out {
		out[i] = pipeline.Feature{ID: fmt.Sprint(i), Values: []any{
			"BOR", "Borsigplatz", int64(2009 + i%16), float64(i) * 1.5, float64(i%1000) / 10, nil, i%2 == 0,
			date(2009+i%16, time.Month(1+i%12), 1+i%28), fmt.Sprintf("Maßnahme %d", i),
		}}
	}
	return out
}

func TestWriteErrors(t *testing.T) {
	good := sampleFeatures()[0].Values
	with := func(i int, v any) []any {
		vals := slices.Clone(good)
		vals[i] = v
		return vals
	}
	tests := []struct {
		name   string
		values []any
		want   error
		column string // of the CellError, "" when none
	}{
		{"unsupported Go type", with(2, 2024), ErrValue, "jahr"},
		{"text in a number column", with(3, "5000"), ErrValue, "bewilligt_eur"},
		{"float in an integer column", with(2, 2024.0), ErrValue, "jahr"},
		{"number in a text column", with(0, int64(1)), ErrValue, "code"},
		{"text in a date column", with(7, "14.03.2024"), ErrValue, "beschlussdatum"},
		{"NaN", with(4, math.NaN()), errNotFinite, "kinderarmut_pct"},
		{"infinity", with(5, math.Inf(1)), errNotFinite, "flaeche_km2"},
		{"date before 1900", with(7, date(1899, 12, 31)), errDateRange, "beschlussdatum"},
		{"text not UTF-8", with(8, "Stra\xdfe"), errNotUTF8, "projekttitel"},
		{"control character", with(8, "Lese\x0bpaten"), errControl, "projekttitel"},
		{"text longer than a cell", with(8, strings.Repeat("ä", maxCellChars+1)), errTooLong, "projekttitel"},
		{"too few values", good[:3], ErrRowLength, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := Format{}.NewEncoder(&buf, sampleDataset())
			if err != nil {
				t.Fatal(err)
			}
			err = enc.Write(pipeline.Feature{ID: "BOR", Values: tt.values})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Write() = %v, want %v", err, tt.want)
			}
			var ce *CellError
			if got := errors.As(err, &ce); got != (tt.column != "") {
				t.Fatalf("Write() = %#v, CellError: %v, want %v", err, got, tt.column != "")
			}
			if ce != nil {
				if ce.Row != 2 || ce.ID != "BOR" || ce.Column != tt.column || !errors.Is(err, ErrValue) {
					t.Errorf("CellError = %+v, want row 2, BOR, column %q", ce, tt.column)
				}
				if !strings.Contains(err.Error(), `row 2 (BOR), column "`+tt.column+`"`) {
					t.Errorf("message %q does not name the place", err)
				}
			}
			// The failed row is not written; the encoder goes on.
			if err := enc.Write(pipeline.Feature{ID: "BOR", Values: good}); err != nil {
				t.Fatalf("Write after a bad row: %v", err)
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			rows, err := open(t, buf.Bytes()).GetRows(dataSheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 {
				t.Errorf("%d rows, want the header and one row", len(rows))
			}
		})
	}
}

func TestSchemaErrors(t *testing.T) {
	tests := []struct {
		name string
		cols []pipeline.Column
	}{
		{"no columns", nil},
		{"unknown type", []pipeline.Column{{Name: "x", Title: "X", Type: "geopoint"}}},
		{"too many columns", make([]pipeline.Column, maxColumns+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := sampleDataset()
			ds.Columns = tt.cols
			for i := range ds.Columns {
				if ds.Columns[i].Type == "" {
					ds.Columns[i] = pipeline.Column{Name: fmt.Sprint("c", i), Title: fmt.Sprint("C", i), Type: "string"}
				}
			}
			enc, err := Format{}.NewEncoder(io.Discard, ds)
			if !errors.Is(err, ErrSchema) || enc != nil {
				t.Errorf("NewEncoder() = %v, %v, want ErrSchema", enc, err)
			}
		})
	}
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestClose(t *testing.T) {
	t.Run("writer fails", func(t *testing.T) {
		enc, err := Format{}.NewEncoder(failingWriter{}, sampleDataset())
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); !errors.Is(err, errDiskFull) {
			t.Errorf("Close() = %v, want %v", err, errDiskFull)
		}
	})
	t.Run("twice", func(t *testing.T) {
		enc, err := Format{}.NewEncoder(io.Discard, sampleDataset())
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("second Close() = %v, want ErrClosed", err)
		}
		if err := enc.Write(sampleFeatures()[0]); !errors.Is(err, ErrClosed) {
			t.Errorf("Write after Close = %v, want ErrClosed", err)
		}
	})
	t.Run("nothing written before Close", func(t *testing.T) {
		var buf bytes.Buffer
		enc, err := Format{}.NewEncoder(&buf, sampleDataset())
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.Write(sampleFeatures()[0]); err != nil {
			t.Fatal(err)
		}
		if buf.Len() != 0 {
			t.Errorf("%d bytes before Close", buf.Len())
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestGolden compares a dump of every cell of both sheets with
// testdata/beispiel.cells; go test -update rewrites it.
func TestGolden(t *testing.T) {
	f := open(t, encode(t, sampleDataset(), sampleFeatures()))
	var dump strings.Builder
	dump.WriteString("cell\tkind\tformat\tbold\traw\tshown\n")
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				i := inspect(t, f, sheet, cell)
				if i.kind == "empty" {
					continue
				}
				fmt.Fprintf(&dump, "%s!%s\t%s\t%s\t%v\t%q\t%q\n", sheet, cell, i.kind, i.format, i.bold, i.raw, i.shown)
			}
		}
	}
	path := filepath.Join("testdata", "beispiel.cells")
	if *update {
		if err := os.WriteFile(path, []byte(dump.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := dump.String(); got != string(want) {
		t.Errorf("cells differ from %s (go test -update rewrites it):\n%s", path, got)
	}
}

// TestManyRows writes a million rows and checks that they are not held in
// memory while they are written.
func TestManyRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a million rows")
	}
	const n = 1_000_000
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "gross.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	ds := sampleDataset()
	enc, err := Format{}.NewEncoder(out, ds)
	if err != nil {
		t.Fatal(err)
	}
	vals := manyFeatures(1)[0].Values
	var peak uint64
	for i := range n {
		if err := enc.Write(pipeline.Feature{Values: vals}); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if i%200_000 == 0 {
			peak = max(peak, heapInUse())
		}
	}
	peak = max(peak, heapInUse())
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	const limit = 128 << 20
	if peak > limit {
		t.Errorf("heap grew to %d MiB while writing, want under %d MiB", peak>>20, limit>>20)
	}
	fi, err := out.Stat()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows: heap while writing at most %d MiB, file %d MiB", n, peak>>20, fi.Size()>>20)

	zr, err := zip.OpenReader(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var end tailWriter
	if _, err := io.Copy(&end, rc); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`</row></sheetData><autoFilter ref="$A$1:$I$%d">`, n+1); !bytes.Contains(end, []byte(want)) {
		t.Errorf("sheet does not end with %s:\n%s", want, end)
	}
	if want := fmt.Sprintf(`<row r="%d">`, n+1); !bytes.Contains(end, []byte(want)) {
		t.Errorf("last row is not %d:\n%s", n+1, end)
	}
}

// tailWriter keeps the last 2 KiB written to it.
type tailWriter []byte

func (w *tailWriter) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	if len(*w) > 2048 {
		*w = append((*w)[:0], (*w)[len(*w)-2048:]...)
	}
	return len(p), nil
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "=1+2", "@SUM(A1)", " leading space", "a\r\nb", "tab\there", "\x01control", "_x0041_", "<&>\"'", "Straße"} {
		f.Add(s)
	}
	ds := &pipeline.Dataset{Name: "text", Columns: []pipeline.Column{{Name: "t", Title: "T", Type: "string"}}}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		enc, err := Format{}.NewEncoder(&buf, ds)
		if err != nil {
			t.Fatal(err)
		}
		err = enc.Write(pipeline.Feature{Values: []any{s}})
		if err != nil {
			if !errors.Is(err, ErrValue) {
				t.Fatalf("Write(%q) = %v, want nil or ErrValue", s, err)
			}
			if checkText(s) == nil {
				t.Fatalf("Write(%q) = %v, want nil", s, err)
			}
			return
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		got, err := x.GetCellValue(dataSheet, "A2", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got != s {
			t.Errorf("read back %q, wrote %q", got, s)
		}
	})
}

func BenchmarkEncoder(b *testing.B) {
	ds := &pipeline.Dataset{Name: "bench", Title: "Bench"}
	for i := range 10 {
		typ := []string{"string", "integer", "number", "boolean", "date"}[i%5]
		ds.Columns = append(ds.Columns, pipeline.Column{Name: fmt.Sprint("c", i), Title: fmt.Sprint("Spalte ", i), Type: typ})
	}
	const rows = 100_000
	features := make([]pipeline.Feature, rows)
	for i := range features {
		vals := make([]any, 10)
		for j := range vals {
			switch j % 5 {
			case 0:
				vals[j] = fmt.Sprintf("Wert %d", i)
			case 1:
				vals[j] = int64(i)
			case 2:
				vals[j] = float64(i) / 7
			case 3:
				vals[j] = i%2 == 0
			case 4:
				vals[j] = date(2000+i%25, time.Month(1+i%12), 1+i%28)
			}
		}
		features[i] = pipeline.Feature{Values: vals}
	}
	benchEncode(b, ds, features)
}

// benchEncode writes the features as one workbook per iteration and
// reports the rows and the size of the file.
func benchEncode(b *testing.B, ds *pipeline.Dataset, features []pipeline.Feature) {
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var cw countingWriter
		enc, err := Format{}.NewEncoder(&cw, ds)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range features {
			if err := enc.Write(f); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
		size = int(cw)
	}
	b.ReportMetric(float64(len(features)), "rows/op")
	b.ReportMetric(float64(size), "bytes/file")
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// BenchmarkEncoderLedger writes 100,000 rows shaped like the fund ledger:
// eleven columns of codes, names, titles, a year, a date, two amounts in
// euros and a status, some of them missing.
func BenchmarkEncoderLedger(b *testing.B) {
	ds, features := ledgerRows()
	benchEncode(b, ds, features)
}

// BenchmarkEncoderLedgerXML makes the XML of the rows of
// BenchmarkEncoderLedger and drops it, leaving out the compression, which
// runs beside the encoder on other cores: the cost of the rows alone.
func BenchmarkEncoderLedgerXML(b *testing.B) {
	ds, features := ledgerRows()
	e, err := newEncoder(io.Discard, ds)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Abort()
	b.ReportAllocs()
	for b.Loop() {
		e.rows = 0
		for _, f := range features {
			e.body.buf = e.body.buf[:0]
			if err := e.Write(f); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(features)), "ns/row")
}

// ledgerRows are the dataset and the 100,000 rows of
// BenchmarkEncoderLedger.
func ledgerRows() (*pipeline.Dataset, []pipeline.Feature) {
	ds := &pipeline.Dataset{Name: "mittelverwendung", Title: "Mittelverwendung", Columns: []pipeline.Column{
		{Name: "projekt_nr", Title: "Projekt-Nr", Type: "string"},
		{Name: "code", Title: "Code", Type: "string"},
		{Name: "name", Title: "Aktionsraum", Type: "string"},
		{Name: "jahr", Title: "Jahr", Type: "integer"},
		{Name: "fonds", Title: "Fonds", Type: "string"},
		{Name: "projekttitel", Title: "Projekttitel", Type: "string"},
		{Name: "traeger", Title: "Träger", Type: "string"},
		{Name: "beschlussdatum", Title: "Beschlussdatum", Type: "date"},
		{Name: "bewilligt_eur", Title: "Bewilligt (EUR)", Type: "number", Unit: "EUR"},
		{Name: "ausgezahlt_eur", Title: "Ausgezahlt (EUR)", Type: "number", Unit: "EUR"},
		{Name: "status", Title: "Status", Type: "string"},
	}}
	const rows = 100_000
	titles := []string{"Hausaufgabenhilfe", "Spielplatzfest", "Lesepaten", "Stadtteilcafé", "Nachbarschaftsgarten"}
	status := []string{"beantragt", "bewilligt", "abgerechnet", "abgelehnt"}
	features := make([]pipeline.Feature, rows)
	for i := range features {
		code := fmt.Sprintf("%c%c%c", 'A'+i/676%26, 'A'+i/26%26, 'A'+i%26)
		year := 2021 + i%5
		amount := float64(10000+i*7919%2_000_000) / 100
		vals := []any{
			fmt.Sprintf("%d-%s-%d", year, code, 1+i%40), code, "Quartier " + code, int64(year), "Aktionsraumfonds",
			titles[i%len(titles)] + " in Quartier " + code, "Förderverein " + code + " e.V.",
			date(year, time.Month(1+i%12), 1+i%28), amount, amount * float64(i%3) / 2, status[i%len(status)],
		}
		if i%4 == 0 {
			vals[7], vals[9] = nil, nil
		}
		features[i] = pipeline.Feature{Values: vals}
	}
	return ds, features
}

// The Daten sheet states its used range: readers that trust it, such as
// openpyxl's read-only mode, would otherwise see the header alone.
func TestDimensionIsTheUsedRange(t *testing.T) {
	fs := sampleFeatures()
	b := encode(t, sampleDataset(), fs)
	want := fmt.Sprintf(`<dimension ref="A1:I%d"></dimension>`, len(fs)+1)
	if x := part(t, b, "xl/worksheets/sheet1.xml"); !strings.Contains(x, want) {
		t.Errorf("no %s in the sheet:\n%.600s", want, x)
	}
}
