package schemas

import (
	"strings"
	"testing"
	"time"

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
	hdr := pipeline.Row{Line: 1, Values: []string{"aktionsraum", "JAHR", "Einwohner"}}
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
	c := s.Bind(csvOrigin(), pipeline.Row{Line: 1, Values: []string{"Aktionsraum", "Jahr"}}, testRefs, rep)
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
	hdr := pipeline.Row{Line: 1, Values: []string{"Aktionsraum", "Jahr", "Einwohner"}}
	c := s.Bind(csvOrigin(), hdr, testRefs, &pipeline.Report{})
	hdr.Values[2] = "overwritten"
	if got := c.Pos(pipeline.Row{Line: 2}, "einwohner").Field; got != "Einwohner" {
		t.Fatalf("field %q", got)
	}
}
