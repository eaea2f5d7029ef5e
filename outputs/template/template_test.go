package template

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

func ptr(v float64) *float64 { return &v }

// testTemplate is a small fund usage template: one field of every kind.
func testTemplate() Template {
	return Template{
		Sheet:       "Mittelverwendung",
		Title:       "Mittelverwendung",
		Description: "Eine Zeile je Maßnahme.",
		Fields: []pipeline.Field{
			{Name: "projekt_nr", Title: "Projekt-Nr", Type: "string", Public: true, Required: true, Unique: true, Description: "Nummer der Maßnahme."},
			{Name: "code", Title: "Aktionsraum", Type: "string", Public: true, Required: true, Reference: "aktionsraeume"},
			{Name: "jahr", Title: "Jahr", Type: "integer", Public: true, Required: true, Minimum: ptr(2009)},
			{Name: "fonds", Title: "Fonds", Type: "string", Public: true, Enum: []string{"Aktionsraumfonds", "Projektbudget"}},
			{Name: "privatperson", Title: "Privatperson", Type: "boolean", TrueValues: []string{"ja", "x"}, FalseValues: []string{"nein"}},
			{Name: "ansprechperson", Title: "Ansprechperson", Type: "string", Description: strings.Repeat("Sehr lange Beschreibung. ", 20)},
			{Name: "beschlussdatum", Title: "Beschlussdatum", Type: "date", Public: true, Format: "%d.%m.%Y"},
			{Name: "bewilligt_eur", Title: "Bewilligt (EUR)", Type: "number", Unit: "EUR", Public: true, Minimum: ptr(0)},
			{Name: "quote_pct", Title: "Quote (%)", Type: "number", Unit: "%", Public: true, Minimum: ptr(0), Maximum: ptr(100)},
		},
		Areas: []pipeline.Area{
			{Code: "HOE", Name: "Hörde", From: 2009, Spellings: []string{"Hoerde"}},
			{Code: "HAF", Name: "Hafen", From: 2009},
			{Code: "OLD", Name: "Altbezirk", From: 2009, To: 2015},
		},
		Publication: "Aktionsplan Soziale Stadt Dortmund",
		Note:        "Beispieldaten, keine amtlichen Zahlen",
		SubmitTo:    "Projektbüro Aktionsplan",
		Rows:        50,
	}
}

func open(t *testing.T, tpl Template) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, tpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteSheets(t *testing.T) {
	f := open(t, testTemplate())
	if got := strings.Join(f.GetSheetList(), ","); got != "Mittelverwendung,Anleitung,Listen" {
		t.Fatalf("sheets %s; the data sheet must come first, where the reader looks", got)
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("active sheet %d", f.GetActiveSheetIndex())
	}
	if visible, _ := f.GetSheetVisible(ListSheet); visible {
		t.Error("the Listen sheet is visible")
	}
	header, err := f.GetRows("Mittelverwendung")
	if err != nil {
		t.Fatal(err)
	}
	if len(header) != 1 || strings.Join(header[0], "|") != "Projekt-Nr|Aktionsraum|Jahr|Fonds|Privatperson|Ansprechperson|Beschlussdatum|Bewilligt (EUR)|Quote (%)" {
		t.Fatalf("rows of the data sheet %q: want the header only, so the reader sees no empty rows", header)
	}
	panes, _ := f.GetPanes("Mittelverwendung")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	list, _ := f.GetCols(ListSheet)
	if strings.Join(list[0], ",") != "Aktionsraum,Altbezirk,Hafen,Hörde" || strings.Join(list[2], ",") != "Privatperson,ja,nein" {
		t.Errorf("lists %q", list)
	}
}

func TestWriteFormats(t *testing.T) {
	f := open(t, testTemplate())
	for _, tc := range []struct {
		col     string
		builtin int
		custom  string
	}{
		{"A", 49, ""}, {"C", 1, ""}, {"G", 0, "dd.mm.yyyy"}, {"H", 4, ""}, {"I", 0, "0.0"},
	} {
		id, err := f.GetColStyle("Mittelverwendung", tc.col)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		custom := ""
		if st.CustomNumFmt != nil {
			custom = *st.CustomNumFmt
		}
		if (tc.custom == "" && st.NumFmt != tc.builtin) || custom != tc.custom {
			t.Errorf("column %s: format %d %q, want %d %q", tc.col, st.NumFmt, custom, tc.builtin, tc.custom)
		}
	}
	bold, _ := f.GetCellStyle("Mittelverwendung", "A1")
	if st, _ := f.GetStyle(bold); st.Font == nil || !st.Font.Bold {
		t.Error("header not bold")
	}
	if w, _ := f.GetColWidth("Mittelverwendung", "B"); w < float64(len("Aktionsraum")) {
		t.Errorf("column B is %v wide", w)
	}
}

func TestWriteValidations(t *testing.T) {
	f := open(t, testTemplate())
	dvs, err := f.GetDataValidations("Mittelverwendung")
	if err != nil {
		t.Fatal(err)
	}
	byRange := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		byRange[dv.Sqref] = dv
		if dv.PromptTitle == nil || dv.Prompt == nil || len([]rune(*dv.Prompt)) > maxPrompt {
			t.Errorf("%s: prompt %v", dv.Sqref, dv.Prompt)
		}
	}
	if len(byRange) != 9 {
		t.Fatalf("%d validations, want one per column", len(byRange))
	}
	for _, tc := range []struct {
		sqref, typ, op, f1, f2, style string
	}{
		{"B2:B51", "list", "", "Listen!$A$2:$A$4", "", "warning"},
		{"C2:C51", "whole", "greaterThanOrEqual", "2009", "", "stop"},
		{"D2:D51", "list", "", "Listen!$B$2:$B$3", "", "stop"},
		{"E2:E51", "list", "", "Listen!$C$2:$C$3", "", "stop"},
		{"G2:G51", "date", "between", "1", "2958465", "stop"},
		{"H2:H51", "decimal", "greaterThanOrEqual", "0", "", "stop"},
		{"I2:I51", "decimal", "between", "0", "100", "stop"},
	} {
		dv := byRange[tc.sqref]
		if dv == nil {
			t.Errorf("no validation on %s", tc.sqref)
			continue
		}
		style := ""
		if dv.ErrorStyle != nil {
			style = *dv.ErrorStyle
		}
		if dv.Type != tc.typ || dv.Operator != tc.op || dv.Formula1 != tc.f1 || dv.Formula2 != tc.f2 || style != tc.style || !dv.AllowBlank {
			t.Errorf("%s: %s %s %q %q %s, want %s %s %q %q %s", tc.sqref, dv.Type, dv.Operator, dv.Formula1, dv.Formula2, style,
				tc.typ, tc.op, tc.f1, tc.f2, tc.style)
		}
	}
	if p := *byRange["C2:C51"].Prompt; p != "Pflichtangabe. Ganze Zahl ab 2009." {
		t.Errorf("prompt of Jahr %q", p)
	}
	if p := *byRange["F2:F51"].Prompt; !strings.HasSuffix(p, "…") {
		t.Errorf("long prompt not clipped: %q", p)
	}
}

func TestWriteGuide(t *testing.T) {
	f := open(t, testTemplate())
	rows, err := f.GetRows(GuideSheet)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range rows {
		all = append(all, strings.Join(r, "|"))
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		"Aktionsplan Soziale Stadt Dortmund: Vorlage „Mittelverwendung“",
		"Beispieldaten, keine amtlichen Zahlen",
		"auf dem Blatt „Mittelverwendung“",
		"In den Spalten „Aktionsraum“, „Fonds“ und „Privatperson“ wählen Sie",
		"Die Spalten „Privatperson“ und „Ansprechperson“ enthalten personenbezogene Daten",
		"senden Sie sie an: Projektbüro Aktionsplan",
		"Spalte|Pflicht|Erlaubte Werte|Veröffentlicht als|Bedeutung",
		"Projekt-Nr|ja|Text, jeder Wert nur einmal|projekt_nr|Nummer der Maßnahme.",
		"Fonds|nein|Aktionsraumfonds oder Projektbudget (Auswahlliste)|fonds",
		"Ansprechperson|nein|Text|nie (personenbezogen)",
		"Quote (%)|nein|Prozentwert von 0 bis 100, ohne %-Zeichen, z. B. 12,5|quote_pct",
		"Altbezirk|OLD|2009 bis 2015",
		"Hörde|HOE|seit 2009|Hoerde",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Anleitung lacks %q:\n%s", want, text)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Write(&a, testTemplate()); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, testTemplate()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two templates of the same schema differ")
	}
}

func TestWriteRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Template)
	}{
		{"no fields", func(t *Template) { t.Fields = nil }},
		{"bad sheet name", func(t *Template) { t.Sheet = "Mittel/Verwendung" }},
		{"empty sheet name", func(t *Template) { t.Sheet = "" }},
		{"sheet named like the guide", func(t *Template) { t.Sheet = GuideSheet }},
		{"unknown type", func(t *Template) { t.Fields[0].Type = "geopoint" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tpl := testTemplate()
			tc.change(&tpl)
			var b bytes.Buffer
			if err := Write(&b, tpl); !errors.Is(err, ErrTemplate) {
				t.Fatalf("err %v, want ErrTemplate", err)
			}
		})
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"Jahr", 32, "Jahr"},
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"äöüäöüä", 4, "äöü…"},
	} {
		if got := clip(tc.in, tc.n); got != tc.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}
