package schemas

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// areas resolves a few area names for the foreign keys.
type areas map[string]string

func (a areas) Resolve(v string) (string, string, bool) {
	if c, ok := a[strings.ToLower(v)]; ok {
		return c, "", true
	}
	return "", "meinten Sie BOR (Borsigplatz)?", false
}

var testRefs = map[string]pipeline.KeyResolver{"aktionsraeume": areas{"borsigplatz": "BOR", "bor": "BOR", "hafen": "HAF"}}

func csvOrigin() pipeline.Origin { return pipeline.Origin{File: "t.csv"} }

func xlsxOrigin() pipeline.Origin {
	return pipeline.Origin{File: "t.xlsx", Sheet: "Daten", Typed: true, CellName: func(c, r int) string {
		s, _ := excelize.CoordinatesToCellName(c, r)
		return s
	}}
}

var fundHeader = pipeline.Row{Line: 1, Values: strings.Split("Projekt-Nr|Aktionsraum|Jahr|Fonds|Projekttitel|Träger|Privatperson|Ansprechperson|Beschlussdatum|Bewilligt (EUR)|Ausgezahlt (EUR)|Status", "|")}

func fundRow(line int, cells string) pipeline.Row {
	return pipeline.Row{Line: line, Values: strings.Split(cells, "|")}
}

func TestCastFundUsage(t *testing.T) {
	s, err := Builtin(FundUsage)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		code, cell string
	}
	for _, tc := range []struct {
		name   string
		origin pipeline.Origin
		row    string
		issues []want
		check  func(t *testing.T, rec pipeline.Record)
	}{
		{name: "valid German text numbers", origin: csvOrigin(),
			row: "2024-BOR-01|Borsigplatz|2024|Aktionsraumfonds|Fest|Verein|nein|Erika|15.03.2024|1.250,50|1000|abgerechnet",
			check: func(t *testing.T, rec pipeline.Record) {
				if rec[1] != "BOR" || rec[2] != int64(2024) || rec[9] != 1250.5 || rec[10] != 1000.0 || rec[6] != false {
					t.Fatalf("record %#v", rec)
				}
				if rec[8] != time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC) {
					t.Fatalf("date %v", rec[8])
				}
			}},
		{name: "typed spreadsheet cells", origin: xlsxOrigin(),
			row: "2024-BOR-01|bor|2024|aktionsraumfonds|Fest|Verein|ja||45366|1250.5||Bewilligt",
			check: func(t *testing.T, rec pipeline.Record) {
				if rec[9] != 1250.5 || rec[10] != nil || rec[3] != "Aktionsraumfonds" || rec[11] != "bewilligt" || rec[6] != true {
					t.Fatalf("record %#v", rec)
				}
				if rec[8] != time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC) {
					t.Fatalf("serial date %v", rec[8])
				}
			}},
		{name: "every bad cell reported", origin: xlsxOrigin(),
			row: "|Borsigplats|abc|Topf|Fest|Verein|vielleicht||32.13.2024|-5|zwölf|offen",
			issues: []want{{pipeline.CodeMissingCell, "A7"}, {pipeline.CodeForeignKey, "B7"}, {pipeline.CodeTypeError, "C7"},
				{pipeline.CodeConstraint, "D7"}, {pipeline.CodeTypeError, "G7"}, {pipeline.CodeTypeError, "I7"},
				{pipeline.CodeConstraint, "J7"}, {pipeline.CodeTypeError, "K7"}, {pipeline.CodeConstraint, "L7"}}},
		{name: "ambiguous grouping is an error, not 125050", origin: csvOrigin(),
			row:    "X|Hafen|2024|Projektbudget|T|V|||2024-01-02|1250.50||",
			issues: []want{{pipeline.CodeTypeError, ""}}},
		{name: "year below minimum", origin: csvOrigin(),
			row:    "X|Hafen|2008|Projektbudget|T|V||||10||",
			issues: []want{{pipeline.CodeConstraint, ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &pipeline.Report{}
			c := s.Bind(tc.origin, fundHeader, testRefs, rep)
			if c == nil || len(rep.Issues) > 0 {
				t.Fatalf("bind: %v", rep.Issues)
			}
			rec, ok := c.Cast(fundRow(7, tc.row), rep)
			if ok != (len(tc.issues) == 0) {
				t.Fatalf("ok = %v with issues %v", ok, rep.Issues)
			}
			if len(rep.Issues) != len(tc.issues) {
				t.Fatalf("got %d issues, want %d: %v", len(rep.Issues), len(tc.issues), rep.Issues)
			}
			for i, w := range tc.issues {
				got := rep.Issues[i]
				if got.Code != w.code || got.Pos.Cell != w.cell || got.Pos.Row != 7 || got.Severity != pipeline.Error {
					t.Errorf("issue %d = %s %q row %d, want %s %q", i, got.Code, got.Pos.Cell, got.Pos.Row, w.code, w.cell)
				}
				if got.Expected == "" || got.Message == "" {
					t.Errorf("issue %d lacks expectation or message: %+v", i, got)
				}
			}
			if tc.check != nil {
				tc.check(t, rec)
			}
		})
	}
}

func TestCastRedactsPersonalData(t *testing.T) {
	s, _ := Builtin(FundUsage)
	rep := &pipeline.Report{}
	c := s.Bind(csvOrigin(), fundHeader, testRefs, rep)
	c.Cast(fundRow(2, "1|Hafen|2024|Projektbudget|T|V|Ja, sicher CANARY|||10||"), rep)
	if len(rep.Issues) != 1 || strings.Contains(rep.Issues[0].String(), "CANARY") {
		t.Fatalf("issues %v show a personal value", rep.Issues)
	}
	if rep.Issues[0].Pos.Field != "Privatperson" {
		t.Fatalf("issue does not point at the cell: %+v", rep.Issues[0].Pos)
	}
}

func TestCastUniqueAndPrimaryKey(t *testing.T) {
	s, _ := Builtin(FundUsage)
	rep := &pipeline.Report{}
	c := s.Bind(csvOrigin(), fundHeader, testRefs, rep)
	c.Cast(fundRow(2, "A-1|Hafen|2024|Projektbudget|T|V||||10||"), rep)
	c.Cast(fundRow(3, "A-1|Hafen|2024|Projektbudget|T|V||||10||"), rep)
	if len(rep.Issues) != 1 || rep.Issues[0].Code != pipeline.CodeUnique || !strings.Contains(rep.Issues[0].Message, "Zeile 2") {
		t.Fatalf("issues %v", rep.Issues)
	}

	k, _ := Builtin(KeyFigures)
	rep = &pipeline.Report{}
	hdr := pipeline.Row{Line: 1, Values: kfHeader(t, "aktionsraum", "JAHR", "Einwohner")}
	c = k.Bind(csvOrigin(), hdr, testRefs, rep)
	c.Cast(pipeline.Row{Line: 2, Values: []string{"Hafen", "2024", "1.234"}}, rep)
	c.Cast(pipeline.Row{Line: 3, Values: []string{"HAFEN", "2024", "1234"}}, rep)
	c.Cast(pipeline.Row{Line: 4, Values: []string{"Hafen", "2023", "-"}}, rep)
	if len(rep.Issues) != 1 || rep.Issues[0].Code != pipeline.CodeUnique || rep.Issues[0].Pos.Row != 3 {
		t.Fatalf("issues %v", rep.Issues)
	}
}

func TestBindHeader(t *testing.T) {
	s, _ := Builtin(KeyFigures)
	rep := &pipeline.Report{}
	hdr := pipeline.Row{Line: 3, Values: []string{" Jahr ", "Einwohner", "Bemerkung", "Einwohner"}}
	if c := s.Bind(xlsxOrigin(), hdr, testRefs, rep); c != nil {
		t.Fatal("a table without the required area column must not bind")
	}
	codes := map[string]string{}
	for _, is := range rep.Issues {
		codes[is.Code] = is.Pos.Cell
	}
	if _, ok := codes[pipeline.CodeMissingHeader]; !ok {
		t.Errorf("no missing-header issue: %v", rep.Issues)
	}
	if codes[pipeline.CodeDuplicateHeader] != "D3" || codes[pipeline.CodeExtraHeader] != "C3" {
		t.Errorf("issues %v", rep.Issues)
	}
}

func TestBlankRowSkipped(t *testing.T) {
	s, _ := Builtin(KeyFigures)
	rep := &pipeline.Report{}
	c := s.Bind(csvOrigin(), pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr")}, testRefs, rep)
	rec, ok := c.Cast(pipeline.Row{Line: 2, Values: []string{"", " "}}, rep)
	if rec != nil || ok || len(rep.Issues) != 1 || rep.Issues[0].Severity != pipeline.Warning {
		t.Fatalf("rec %v ok %v issues %v", rec, ok, rep.Issues)
	}
}

func TestParseRejectsBadSchemas(t *testing.T) {
	for name, js := range map[string]string{
		"no fields":       `{"fields": []}`,
		"unknown type":    `{"fields": [{"name": "a", "type": "geopoint"}]}`,
		"bad pattern":     `{"fields": [{"name": "a", "constraints": {"pattern": "("}}]}`,
		"bad date format": `{"fields": [{"name": "a", "type": "date", "format": "%H:%M"}]}`,
		"year twice":      `{"fields": [{"name": "a", "type": "date", "format": "%Y.%m%d.%y"}]}`,
		"day twice":       `{"fields": [{"name": "a", "type": "date", "format": "%d.%m.%Y %d"}]}`,
		"same chars":      `{"fields": [{"name": "a", "type": "number", "decimalChar": ",", "groupChar": ","}]}`,
		"unknown pk":      `{"fields": [{"name": "a"}], "primaryKey": ["b"]}`,
		"unknown fk":      `{"fields": [{"name": "a"}], "foreignKeys": [{"fields": "b", "reference": {"resource": "x", "fields": "code"}}]}`,
		"not snake case":  `{"fields": [{"name": "Projekt-Nr"}]}`,
		"twice":           `{"fields": [{"name": "a"}, {"name": "a"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse("x.json", []byte(js)); err == nil {
				t.Fatal("Parse accepted a broken schema")
			}
		})
	}
}

func TestBuiltinSchemasDeclarePersonalData(t *testing.T) {
	s, err := Builtin(FundUsage)
	if err != nil {
		t.Fatal(err)
	}
	private := map[string]bool{}
	for _, f := range s.Fields() {
		if !f.Public {
			private[f.Name] = true
		}
	}
	if !private["ansprechperson"] || !private["privatperson"] || len(private) != 2 {
		t.Fatalf("non-public fields %v", private)
	}
	for _, name := range []string{KeyFigures, Register} {
		if _, err := Builtin(name); err != nil {
			t.Error(err)
		}
	}
}

// Readers reuse their row slices; positions must keep the header's text.
func TestBindCopiesHeader(t *testing.T) {
	s, _ := Builtin(KeyFigures)
	hdr := pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr", "Einwohner")}
	c := s.Bind(csvOrigin(), hdr, testRefs, &pipeline.Report{})
	hdr.Values[2] = "overwritten"
	if got := c.Pos(pipeline.Row{Line: 2}, "einwohner").Field; got != "Einwohner" {
		t.Fatalf("field %q", got)
	}
}

// styles of the tests: a German EUR column, a percent column, a plain
// column as the default schema declares it, and the English convention.
var (
	deEUR   = numberStyle{decimal: ',', group: '.', unit: "EUR"}
	dePct   = numberStyle{decimal: ',', group: '.', unit: "%"}
	plain   = numberStyle{decimal: '.'}
	enEUR   = numberStyle{decimal: '.', group: ',', unit: "EUR"}
	numbers = []struct {
		style numberStyle
		in    string
		want  float64
		ok    bool
	}{
		{deEUR, "1.250,50", 1250.5, true},
		{deEUR, "1250,50", 1250.5, true},
		{deEUR, "1.250", 1250, true},
		{deEUR, "1.250.000,00", 1250000, true},
		{deEUR, "0,5", 0.5, true},
		{deEUR, "1.250,50 €", 1250.5, true},
		{deEUR, "1.250,50€", 1250.5, true},
		{deEUR, "€ 1.250,50", 1250.5, true},
		{deEUR, "€1.250,50", 1250.5, true},
		{deEUR, "EUR 800", 800, true},
		{deEUR, "800 EUR", 800, true},
		{deEUR, "800 eur", 800, true},
		{deEUR, "-1.250,50 €", -1250.5, true},
		{deEUR, "€ -12", -12, true},
		{deEUR, "-€12", -12, true},
		{deEUR, "−5", -5, true},
		{deEUR, "+5", 5, true},
		{deEUR, "1 250,50", 1250.5, true},
		{deEUR, cellText("1\u00a0250,50\u00a0€"), 1250.5, true},
		{deEUR, cellText("1\u202f250,50"), 1250.5, true},
		{deEUR, "1250.50", 0, false}, // never 125050
		{deEUR, "12.50", 0, false},
		{deEUR, "1.2500", 0, false},
		{deEUR, "1 25,5", 0, false},
		{deEUR, "1.250 000", 0, false},
		{deEUR, ",5", 0, false},
		{deEUR, "5,", 0, false},
		{deEUR, "1,2,3", 0, false},
		{deEUR, "", 0, false},
		{deEUR, "€", 0, false},
		{deEUR, "€ 12 €", 0, false},
		{deEUR, "--5", 0, false},
		{deEUR, "- 5", 0, false},
		{deEUR, "12 %", 0, false}, // not the column's unit
		{deEUR, "1e5", 0, false},
		{deEUR, "NaN", 0, false},
		{dePct, "12,5 %", 12.5, true},
		{dePct, "12,5%", 12.5, true},
		{dePct, "% 12", 0, false},
		{dePct, "12 €", 0, false},
		{plain, "1250.5", 1250.5, true},
		{plain, "1 250.5", 1250.5, true},
		{plain, "1,250.5", 0, false},
		{plain, "12 €", 0, false},
		{enEUR, "1,250.50", 1250.5, true},
		{enEUR, "1.250", 1.25, true},
		{enEUR, "1,250", 1250, true},
		{enEUR, "$ 1,250", 0, false},
		{enEUR, "1250,50", 0, false},
	}
)

func TestParseNumber(t *testing.T) {
	for _, tc := range numbers {
		got, ok := tc.style.parseNumber(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%c%c %s: parseNumber(%q) = %v, %v; want %v, %v", tc.style.decimal, tc.style.group, tc.style.unit, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseInt(t *testing.T) {
	de := numberStyle{decimal: ',', group: '.'}
	en := numberStyle{decimal: '.', group: ','}
	for _, tc := range []struct {
		style numberStyle
		in    string
		want  int64
		ok    bool
	}{
		{de, "12.345", 12345, true},
		{de, "12345", 12345, true},
		{de, "12 345", 12345, true},
		{de, "-2", -2, true},
		{de, "12.34", 0, false},
		{de, "12,0", 0, false},
		{de, "12.345,00", 0, false},
		{de, "99999999999999999999", 0, false},
		{en, "12,345", 12345, true},
		{en, "12.345", 0, false},
		{plain, "2024", 2024, true},
		{plain, "2.024", 0, false},
	} {
		got, ok := tc.style.parseInt(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%c%c: parseInt(%q) = %v, %v; want %v, %v", tc.style.decimal, tc.style.group, tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// The convention of the whole file decides an ambiguous "1.250" in every
// column, whatever decimal separator the schema's field declares.
func TestOriginDecimalDecides(t *testing.T) {
	s, _ := Builtin(FundUsage)
	k, _ := Builtin(KeyFigures)
	for _, tc := range []struct {
		decimal  rune
		amount   string
		want     any
		people   string
		wantPeop any
	}{
		{0, "1.250", 1250.0, "12.345", int64(12345)},
		{',', "1.250", 1250.0, "12.345", int64(12345)},
		{'.', "1.250", 1.25, "12,345", int64(12345)},
		{'.', "1,250.50", 1250.5, "12.345", nil},
		{',', "1250.50", nil, "12,345", nil},
	} {
		t.Run(string(tc.decimal)+" "+tc.amount, func(t *testing.T) {
			o := csvOrigin()
			o.Decimal = tc.decimal
			rep := &pipeline.Report{}
			c := s.Bind(o, fundHeader, testRefs, rep)
			rec, _ := c.Cast(fundRow(2, "X|Hafen|2024|Projektbudget|T|V||||"+tc.amount+"||"), rep)
			if rec[9] != tc.want {
				t.Errorf("Bewilligt %q = %v, want %v (%v)", tc.amount, rec[9], tc.want, rep.Issues)
			}
			kc := k.Bind(o, pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr", "Einwohner")}, testRefs, rep)
			rec, _ = kc.Cast(pipeline.Row{Line: 2, Values: []string{"Hafen", "2024", tc.people}}, rep)
			if rec[2] != tc.wantPeop {
				t.Errorf("Einwohner %q = %v, want %v", tc.people, rec[2], tc.wantPeop)
			}
		})
	}
}

func TestNumberExpectationFollowsTheFile(t *testing.T) {
	s, _ := Builtin(FundUsage)
	o := csvOrigin()
	o.Decimal = '.'
	rep := &pipeline.Report{}
	c := s.Bind(o, fundHeader, testRefs, rep)
	c.Cast(fundRow(2, "X|Hafen|2024|Projektbudget|T|V||||1.250,50||"), rep)
	if len(rep.Issues) != 1 || rep.Issues[0].Expected != "eine Zahl wie 1,250.50 ab 0" {
		t.Fatalf("issues %v", rep.Issues)
	}
}

func dateCaster(t *testing.T, o pipeline.Origin, format string) (*caster, *Field) {
	t.Helper()
	js, _ := json.Marshal(map[string]any{"fields": []map[string]string{{"name": "d", "type": "date", "format": format}}})
	s, err := Parse("d.json", js)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Bind(o, pipeline.Row{Line: 1, Values: []string{"d"}}, nil, &pipeline.Report{}).(*caster)
	return c, &s.TableFields[0]
}

var dates = []struct {
	name   string
	typed  bool
	format string
	in     string
	want   string // yyyy-mm-dd
	res    dateResult
}{
	{"schema format", false, "%d.%m.%Y", "15.03.2024", "2024-03-15", isDate},
	{"one-digit day and month", false, "%d.%m.%Y", "5.3.2024", "2024-03-05", isDate},
	{"two-digit year", false, "%d.%m.%Y", "05.03.24", "2024-03-05", isDate},
	{"two-digit year 69", false, "", "5.3.69", "2069-03-05", isDate},
	{"two-digit year 70", false, "", "5.3.70", "1970-03-05", isDate},
	{"two-digit year 99", false, "", "31.12.99", "1999-12-31", isDate},
	{"two-digit year in the schema's format", false, "%d.%m.%y", "5.3.69", "2069-03-05", isDate},
	{"ISO", false, "%d.%m.%Y", "2024-03-15", "2024-03-15", isDate},
	{"ISO without zeros", false, "", "2024-3-5", "2024-03-05", isDate},
	{"schema format first", false, "%m.%d.%Y", "03.04.2024", "2024-03-04", isDate},
	{"US format from the schema", false, "%m/%d/%Y", "03/15/2024", "2024-03-15", isDate},
	{"German date beside a US schema format", false, "%m/%d/%Y", "15.03.2024", "2024-03-15", isDate},
	{"leap day", false, "", "29.02.2024", "2024-02-29", isDate},
	{"serial in text", false, "", "45366", "2024-03-15", isDate},
	{"smallest serial in text", false, "", "20000", "1954-10-03", isDate},
	{"largest serial in text", false, "", "80000", "2119-01-11", isDate},
	{"serial below the text range", false, "", "19999", "", noDate},
	{"serial above the text range", false, "", "80001", "", noDate},
	{"fraction in text", false, "", "45366.5", "", noDate},
	{"31 February", false, "", "31.02.2024", "", noSuchDay},
	{"29 February 2023", false, "", "29.02.2023", "", noSuchDay},
	{"30 February ISO", false, "", "2024-02-30", "", noSuchDay},
	{"month 13", false, "", "1.13.2024", "", noSuchDay},
	{"day 0", false, "", "0.1.2024", "", noSuchDay},
	{"time of day", false, "", "15.03.2024 12:00", "", noDate},
	{"slashes", false, "", "15/03/2024", "", noDate},
	{"five-digit year", false, "", "15.03.20245", "", noDate},
	{"three-digit year", false, "", "15.03.202", "", noDate},
	{"text", false, "", "März 2024", "", noDate},
	{"empty", false, "", "", "", noDate},
	{"typed serial", true, "", "45366", "2024-03-15", isDate},
	{"typed serial with time", true, "", "45366.75", "2024-03-15", isDate},
	{"typed small serial", true, "", "366", "1900-12-31", isDate},
	{"typed text date", true, "%d.%m.%Y", "5.3.24", "2024-03-05", isDate},
}

func TestParseDate(t *testing.T) {
	for _, tc := range dates {
		t.Run(tc.name, func(t *testing.T) {
			o := csvOrigin()
			if tc.typed {
				o = xlsxOrigin()
			}
			c, f := dateCaster(t, o, tc.format)
			got, res := c.parseDate(f, tc.in)
			if res != tc.res || (res == isDate && got.Format("2006-01-02") != tc.want) {
				t.Fatalf("parseDate(%q) = %v, %v; want %s, %v", tc.in, got, res, tc.want, tc.res)
			}
			if res == isDate && (got.Location() != time.UTC || got.Hour() != 0) {
				t.Fatalf("date %v is not a day in UTC", got)
			}
		})
	}
}

func TestParseDate1904(t *testing.T) {
	o := xlsxOrigin()
	o.Date1904 = true
	c, f := dateCaster(t, o, "")
	if got, res := c.parseDate(f, "43904"); res != isDate || got.Format("2006-01-02") != "2024-03-15" {
		t.Fatalf("1904 serial: %v %v", got, res)
	}
}

func TestCastDateMessages(t *testing.T) {
	s, _ := Builtin(FundUsage)
	rep := &pipeline.Report{}
	c := s.Bind(csvOrigin(), fundHeader, testRefs, rep)
	c.Cast(fundRow(2, "X|Hafen|2024|Projektbudget|T|V|||31.02.2024|10||"), rep)
	c.Cast(fundRow(3, "Y|Hafen|2024|Projektbudget|T|V|||Mitte März|10||"), rep)
	if len(rep.Issues) != 2 {
		t.Fatalf("issues %v", rep.Issues)
	}
	for i, want := range []string{"Dieses Datum gibt es im Kalender nicht", "Kein Datum"} {
		is := rep.Issues[i]
		if is.Code != pipeline.CodeTypeError || is.Pos.Row != i+2 || is.Pos.Column != 9 || is.Message != want || is.Expected != "ein Datum wie 31.03.2024" {
			t.Errorf("issue %d: %+v", i, is)
		}
	}
}

// A total row is read by the fields' number rules but skips the checks of a
// data row: no unique, required, key or range errors.
func TestCastTotal(t *testing.T) {
	s, _ := Builtin(FundUsage)
	rep := &pipeline.Report{}
	c := s.Bind(xlsxOrigin(), fundHeader, testRefs, rep)
	c.Cast(fundRow(2, "Summe|Hafen|2024|Projektbudget|T|V||||10||"), rep)
	tc, ok := c.(pipeline.TotalCaster)
	if !ok {
		t.Fatal("the caster cannot read total rows")
	}
	rec := tc.CastTotal(fundRow(9, "Summe||2024||||||31.12.2024|1.250,50 €|offen|"), rep)
	if rec[9] != 1250.5 || rec[10] != nil || rec[2] != int64(2024) || rec[0] != nil || rec[8] != nil {
		t.Errorf("record %#v", rec)
	}
	if len(rep.Issues) != 1 {
		t.Fatalf("issues %v", rep.Issues)
	}
	if is := rep.Issues[0]; is.Code != pipeline.CodeTypeError || is.Severity != pipeline.Warning || is.Pos.Cell != "K9" || is.Value != "offen" {
		t.Errorf("issue %+v", is)
	}
	// A sum above a field's maximum is no constraint error.
	k, _ := Builtin(KeyFigures)
	kc := k.Bind(csvOrigin(), pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr", "Anteil unter 18 (%)")}, testRefs, rep).(pipeline.TotalCaster)
	if rec := kc.CastTotal(pipeline.Row{Line: 5, Values: []string{"Gesamt", "-", "150,5"}}, rep); rec[3] != 150.5 || rec[1] != nil || len(rep.Issues) != 1 {
		t.Errorf("record %#v, issues %v", rec, rep.Issues)
	}
}

// FuzzParseNumber: no input panics or gives a number that is not finite, and
// a number read in one convention reads back the same when written plainly
// in it.
func FuzzParseNumber(f *testing.F) {
	for _, tc := range numbers {
		f.Add(tc.in, tc.style.decimal == ',', tc.style.unit)
	}
	for i, c := range fixtureCells(f) {
		f.Add(c, i%2 == 0, []string{"", "EUR", "%"}[i%3])
	}
	f.Fuzz(func(t *testing.T, in string, comma bool, unit string) {
		st := numberStyle{decimal: '.', group: ',', unit: unit}
		if comma {
			st.decimal, st.group = ',', '.'
		}
		x, ok := st.parseNumber(in)
		if !ok {
			return
		}
		if math.IsInf(x, 0) || math.IsNaN(x) {
			t.Fatalf("parseNumber(%q) = %v", in, x)
		}
		plain := strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", string(st.decimal), 1)
		if y, ok := st.parseNumber(plain); !ok || y != x {
			t.Fatalf("parseNumber(%q) = %v, but %q reads %v, %v", in, x, plain, y, ok)
		}
		if n, ok := st.parseInt(in); ok && float64(n) != x && math.Abs(float64(n)) < 1<<53 {
			t.Fatalf("%q: integer %d, number %v", in, n, x)
		}
	})
}

// FuzzParseDate: no input panics, every date is a day in UTC, and a date
// read from text reads back the same when written as dd.mm.yyyy.
func FuzzParseDate(f *testing.F) {
	for _, tc := range dates {
		f.Add(tc.in, tc.format, tc.typed)
	}
	for i, c := range fixtureCells(f) {
		f.Add(c, []string{"", "%d.%m.%Y", "%Y-%m-%d"}[i%3], i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, in, format string, typed bool) {
		if _, err := dateLayout(format); err != nil {
			return // Parse rejects such a schema
		}
		o := csvOrigin()
		if typed {
			o = xlsxOrigin()
		}
		c, fld := dateCaster(t, o, format)
		d, res := c.parseDate(fld, in)
		if res != isDate {
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("parseDate(%q) = %v", in, d)
		}
		// Written in the schema's format, which is read first, with a
		// four-digit year, the date reads back the same.
		layout := "02.01.2006"
		if fld.Format != "" {
			layout = fld.layout
		}
		if y := d.Year(); y < 1000 || y > 9999 || !strings.Contains(layout, "2006") || !punctuated(fld.Format) {
			return
		}
		again, res := c.parseDate(fld, d.Format(layout))
		if res != isDate || !again.Equal(d) {
			t.Fatalf("parseDate(%q) = %v, but %s reads %v", in, d, d.Format(layout), again)
		}
	})
}

// punctuated reports whether a date format names day, month and year, and
// else holds punctuation only, so that its Go layout writes every date so
// that it reads back (a digit or letter would be a layout token).
func punctuated(format string) bool {
	for _, d := range []string{"%d", "%m", "%Y"} {
		if strings.Count(format, d) != 1 {
			return false
		}
	}
	rest := strings.NewReplacer("%Y", "", "%y", "", "%m", "", "%d", "").Replace(format)
	return strings.IndexFunc(rest, func(r rune) bool { return r == '%' || unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0
}

// The key figures schema declares "-", "–" and "." as missing values, also
// with the no-break spaces that copied cells carry; elsewhere they are errors.
func TestMissingValues(t *testing.T) {
	k, _ := Builtin(KeyFigures)
	rep := &pipeline.Report{}
	hdr := pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr", "Einwohner", "Anteil unter 18 (%)", "Anteil ab 65 (%)", "Kinderarmut (%)")}
	c := k.Bind(csvOrigin(), hdr, testRefs, rep)
	rec, ok := c.Cast(pipeline.Row{Line: 2, Values: []string{"Hafen", "2024", "-", "\u00a0–\u00a0", ".", "12,5\u202f%"}}, rep)
	if !ok || rec[2] != nil || rec[3] != nil || rec[4] != nil || rec[8] != 12.5 || len(rep.Issues) != 0 {
		t.Fatalf("record %#v, issues %v", rec, rep.Issues)
	}
	s, _ := Builtin(FundUsage)
	c = s.Bind(csvOrigin(), fundHeader, testRefs, rep)
	if _, ok := c.Cast(fundRow(2, "X|Hafen|2024|Projektbudget|T|V||||-||"), rep); ok || len(rep.Issues) != 1 || rep.Issues[0].Code != pipeline.CodeTypeError {
		t.Fatalf("a dash as amount: issues %v", rep.Issues)
	}
}

// kfHeader is a complete key-figures header whose first columns are first,
// followed by the schema's other titles: every column must be present.
func kfHeader(t *testing.T, first ...string) []string {
	t.Helper()
	s, err := Builtin(KeyFigures)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, h := range first {
		have[strings.ToLower(h)] = true
	}
	out := append([]string(nil), first...)
	for _, f := range s.Fields() {
		if !have[strings.ToLower(f.Title)] {
			out = append(out, f.Title)
		}
	}
	return out
}

func TestBindMissingOptionalColumn(t *testing.T) {
	s, _ := Builtin(FundUsage)
	var without []string
	for _, h := range fundHeader.Values {
		if h != "Privatperson" {
			without = append(without, h)
		}
	}
	rep := &pipeline.Report{}
	if c := s.Bind(csvOrigin(), pipeline.Row{Line: 1, Values: without}, testRefs, rep); c != nil {
		t.Fatal("a table without the Privatperson column must not bind: names of private persons would be published")
	}
	if len(rep.Issues) != 1 || rep.Issues[0].Code != pipeline.CodeMissingHeader || !strings.Contains(rep.Issues[0].Message, "Privatperson") {
		t.Fatalf("issues %v", rep.Issues)
	}
}

func TestDuplicateKeyReportedBesideOtherErrors(t *testing.T) {
	k, _ := Builtin(KeyFigures)
	rep := &pipeline.Report{}
	c := k.Bind(csvOrigin(), pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr", "Einwohner")}, testRefs, rep)
	c.Cast(pipeline.Row{Line: 2, Values: []string{"Hafen", "2024", "1234"}}, rep)
	c.Cast(pipeline.Row{Line: 3, Values: []string{"Hafen", "2024", "abc"}}, rep)
	codes := map[string]bool{}
	for _, i := range rep.Issues {
		codes[i.Code] = true
	}
	if !codes[pipeline.CodeUnique] || !codes[pipeline.CodeTypeError] {
		t.Fatalf("issues %v, want the duplicate and the type error", rep.Issues)
	}
}

// In a workbook, a text cell "2.400" typed by German staff means 2400; the
// reader writes number cells of that shape as "2.4000".
func TestTypedTextNumbersFollowTheConvention(t *testing.T) {
	s, _ := Builtin(FundUsage)
	o := xlsxOrigin()
	o.Decimal = ','
	for _, tc := range []struct {
		cell string
		want float64
	}{{"2.400", 2400}, {"2.4000", 2.4}, {"2.4", 2.4}, {"1.250.000", 1250000}, {"2400", 2400}, {"1.250,50", 1250.5}} {
		rep := &pipeline.Report{}
		c := s.Bind(o, fundHeader, testRefs, rep)
		rec, ok := c.Cast(fundRow(2, "1|Hafen|2024|Projektbudget|T|V||||"+tc.cell+"||"), rep)
		if !ok || rec[9] != tc.want {
			t.Errorf("%q: got %v (%v), want %v", tc.cell, rec[9], rep.Issues, tc.want)
		}
	}
	k, _ := Builtin(KeyFigures)
	rep := &pipeline.Report{}
	c := k.Bind(xlsxOrigin(), pipeline.Row{Line: 1, Values: kfHeader(t, "Aktionsraum", "Jahr", "Einwohner")}, testRefs, rep)
	if rec, ok := c.Cast(pipeline.Row{Line: 2, Values: []string{"Hafen", "2024", "1.000"}}, rep); !ok || rec[2] != int64(1000) {
		t.Errorf("Einwohner „1.000“ as text: %v %v", rec[2], rep.Issues)
	}
}

// When nothing shows a file's number convention, an ambiguous number is
// read by the schema's and reported once per column.
func TestAmbiguousNumberWarnsOnce(t *testing.T) {
	s, _ := Builtin(FundUsage)
	rep := &pipeline.Report{}
	c := s.Bind(csvOrigin(), fundHeader, testRefs, rep)
	for i, v := range []string{"1,250", "2,400", "12.000"} {
		rec, ok := c.Cast(fundRow(2+i, fmt.Sprintf("%d|Hafen|2024|Projektbudget|T|V||||%s||", i, v)), rep)
		if !ok {
			t.Fatalf("%s: %v", v, rep.Issues)
		}
		_ = rec
	}
	if len(rep.Issues) != 1 || rep.Issues[0].Code != pipeline.CodeAmbiguousNumber || rep.Issues[0].Severity != pipeline.Warning || rep.Issues[0].Pos.Row != 2 {
		t.Fatalf("issues %v", rep.Issues)
	}
	o := csvOrigin()
	o.Decimal = ','
	rep = &pipeline.Report{}
	c = s.Bind(o, fundHeader, testRefs, rep)
	c.Cast(fundRow(2, "1|Hafen|2024|Projektbudget|T|V||||1,250||"), rep)
	if len(rep.Issues) != 0 {
		t.Fatalf("a known convention warns: %v", rep.Issues)
	}
}

// TestCastReusesRecentValues: years and dates that the caster keeps boxed
// come out as read, also when two of them share a slot of its memory, and
// so do the texts beside them.
func TestCastReusesRecentValues(t *testing.T) {
	js, _ := json.Marshal(map[string]any{"fields": []map[string]string{
		{"name": "d", "type": "date", "format": "%d.%m.%Y"}, {"name": "n", "type": "integer"}, {"name": "t"}}})
	s, err := Parse("d.json", js)
	if err != nil {
		t.Fatal(err)
	}
	c := s.Bind(csvOrigin(), pipeline.Row{Line: 1, Values: []string{"d", "n", "t"}}, nil, &pipeline.Report{})
	day := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		// Back and forth over 30 years: days 1024 apart share a slot.
		d := day.AddDate(0, 0, (i*7919)%11000)
		n := int64((i * 31) % 200)
		// Texts that repeat, as carriers do.
		text := fmt.Sprintf("Träger %d e.V.", (i*13)%700)
		rep := &pipeline.Report{}
		rec, ok := c.Cast(pipeline.Row{Line: i + 2, Values: []string{d.Format("02.01.2006"), strconv.FormatInt(n, 10), " " + text}}, rep)
		if !ok || rec[0] != d || rec[1] != n || rec[2] != text {
			t.Fatalf("row %d: %v, %v; want %v, %d, %q (%v)", i, rec, ok, d, n, text, rep.Issues)
		}
	}
}

// numberedAreas numbers the codes of areas, as the pipeline's area numbers
// do, and counts the values it resolves.
type numberedAreas struct {
	areas
	calls int
}

func (a *numberedAreas) ResolveNumber(v string) (string, int32, string, bool) {
	a.calls++
	code, hint, ok := a.Resolve(v)
	if !ok {
		return code, 0, hint, false
	}
	return code, map[string]int32{"BOR": 0, "HAF": 1}[code], "", true
}

func TestCastKeepsKeyNumbers(t *testing.T) {
	s, err := Builtin(FundUsage)
	if err != nil {
		t.Fatal(err)
	}
	res := &numberedAreas{areas: areas{"borsigplatz": "BOR", "bor": "BOR", "hafen": "HAF"}}
	c := s.Bind(csvOrigin(), fundHeader, map[string]pipeline.KeyResolver{"aktionsraeume": res}, &pipeline.Report{})
	kn := c.(pipeline.KeyNumberer)
	code := pipeline.Index(s.Fields(), "code")
	for i, tc := range []struct {
		area   string
		number int32
		ok     bool
	}{
		{"Hafen", 1, true},
		{"Borsigplatz", 0, true},
		{"Hafen", 1, true},
		{"Borsigplats", 0, false}, // unknown: no number
		{"", 0, false},            // missing: none from the row before
		{"bor", 0, true},
	} {
		rep := &pipeline.Report{}
		rec, _ := c.Cast(fundRow(i+2, "P"+strconv.Itoa(i)+"|"+tc.area+"|2024|Projektbudget|T|V||||10||"), rep)
		n, ok := kn.KeyNumber(code)
		if n != tc.number || ok != tc.ok {
			t.Errorf("row %d (%q → %v): number %d, %v; want %d, %v", i, tc.area, rec[code], n, ok, tc.number, tc.ok)
		}
	}
	if res.calls != 4 {
		t.Errorf("%d values resolved, want 4: each distinct one once", res.calls)
	}
	for _, fi := range []int{-1, 0, len(s.Fields())} {
		if _, ok := kn.KeyNumber(fi); ok {
			t.Errorf("field %d has a key number", fi)
		}
	}
	// A resolver that numbers nothing gives no numbers.
	c = s.Bind(csvOrigin(), fundHeader, testRefs, &pipeline.Report{})
	c.Cast(fundRow(2, "P|Hafen|2024|Projektbudget|T|V||||10||"), &pipeline.Report{})
	if _, ok := c.(pipeline.KeyNumberer).KeyNumber(code); ok {
		t.Error("a number from a resolver without numbers")
	}
}

// TestHasSpecialSpace puts each of the spaces, and other non-ASCII text, at
// every place of cells of every length up to 20 bytes, across the eight-byte
// steps of the search.
func TestHasSpecialSpace(t *testing.T) {
	for n := 0; n <= 20; n++ {
		for at := 0; at <= n; at++ {
			for _, ins := range []string{"\u00a0", "\u202f", "\u2009", "ä", "\u2003", "\xc2", "\xe2\x80"} {
				s := strings.Repeat("a", at) + ins + strings.Repeat("b", n-at)
				want := strings.Contains(s, "\u00a0") || strings.Contains(s, "\u202f") || strings.Contains(s, "\u2009")
				if got := hasSpecialSpace(s); got != want {
					t.Errorf("hasSpecialSpace(%q) = %v, want %v", s, got, want)
				}
			}
		}
	}
}

// sweepAreas numbers the codes A0 to A9, each also written "Quartier A0".
type sweepAreas struct{ calls map[string]int }

func (a *sweepAreas) Resolve(v string) (string, string, bool) {
	code, _, hint, ok := a.ResolveNumber(v)
	return code, hint, ok
}

func (a *sweepAreas) ResolveNumber(v string) (string, int32, string, bool) {
	a.calls[v]++
	code := strings.TrimPrefix(v, "Quartier ")
	if len(code) != 2 || code[0] != 'A' || code[1] < '0' || code[1] > '9' {
		return "", 0, "meinten Sie A0 (Quartier A0)?", false
	}
	return code, int32(code[1] - '0'), "", true
}

// TestCastResolvesInAnyOrder casts areas in the orders that the look-up of
// the value before and the one after it serves, and in others: each row gets
// its own area, and each distinct value is resolved once.
func TestCastResolvesInAnyOrder(t *testing.T) {
	s, err := Builtin(FundUsage)
	if err != nil {
		t.Fatal(err)
	}
	res := &sweepAreas{calls: map[string]int{}}
	c := s.Bind(csvOrigin(), fundHeader, map[string]pipeline.KeyResolver{"aktionsraeume": res}, &pipeline.Report{})
	code := pipeline.Index(s.Fields(), "code")
	var values []string
	for pass := 0; pass < 3; pass++ {
		for i := 0; i < 10; i++ {
			v := "A" + strconv.Itoa(i)
			if i%3 == 1 {
				v = "Quartier " + v
			}
			values = append(values, v)
		}
	}
	values = append(values, "A5", "A5", "X1", "A6", "X1", "A7", "A2", "A3", "A9", "A0", "X2", "X1", "A0", "Quartier A1")
	for i, v := range values {
		rec, ok := c.Cast(fundRow(i+2, "P"+strconv.Itoa(i)+"|"+v+"|2024|Projektbudget|T|V||||10||"), &pipeline.Report{})
		wantCode, wantNumber, _, wantOK := res.ResolveNumber(v)
		res.calls[v]--
		n, hasNumber := c.(pipeline.KeyNumberer).KeyNumber(code)
		if ok != wantOK || (ok && (rec[code] != wantCode || n != wantNumber || !hasNumber)) || (!ok && rec[code] != nil) {
			t.Errorf("row %d (%q): %v, %v, number %d, %v; want %q, %v, number %d", i, v, rec[code], ok, n, hasNumber, wantCode, wantOK, wantNumber)
		}
	}
	for v, n := range res.calls {
		if n != 1 {
			t.Errorf("%q resolved %d times, want once", v, n)
		}
	}
}
