package xlsx_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources/xlsx"
)

// register resolves the area names of the fixtures.
func register(t *testing.T) map[string]pipeline.KeyResolver {
	t.Helper()
	reg, err := pipeline.NewRegister([]pipeline.Area{
		{Code: "BOR", Name: "Borsigplatz", From: 2009},
		{Code: "HOE", Name: "Hörde", From: 2009, Spellings: []string{"Hoerde"}},
		{Code: "EKE", Name: "Eving/Kemminghausen", From: 2009, Spellings: []string{"Eving-Kemminghausen"}},
		{Code: "MAR", Name: "Marten", From: 2009},
		{Code: "WIC", Name: "Wickede", From: 2009},
	})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]pipeline.KeyResolver{"aktionsraeume": reg}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The rows of workbooks written by LibreOffice and openpyxl, bound to the
// built-in fund usage schema, give the schema's types: booleans read raw
// as 1 and 0, serial dates of both date systems, dates and numbers as
// text, German numbers in text cells, currency cells and cached formula
// values.
func TestFundUsageThroughSchema(t *testing.T) {
	s, err := schemas.Builtin(schemas.FundUsage)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		want map[int]pipeline.Record // by line
		// lines whose casting reports errors, by code
		errors map[int]string
	}{
		{"lo_mittelverwendung.xlsx", map[int]pipeline.Record{
			6: {"2024-BOR-01", "BOR", int64(2024), "Aktionsraumfonds", "Stadtteilfest am Borsigplatz", "Quartiersverein Borsigplatz e.V.", false, "Erika Mustermann", date(2024, 3, 15), 2400.0, 2400.0, "abgerechnet"},
			7: {"2024-BOR-02", "BOR", int64(2024), "Aktionsraumfonds", "Kinderkochkurs", "Max Muster", true, "Max Muster", date(2024, 4, 20), 1250.5, 600.0, "bewilligt"},
			8: {"2024-BOR-03", "BOR", int64(2024), "Projektbudget", "Nachbarschaftsgarten", "Gartenfreunde e.V.", nil, nil, date(2024, 5, 2), 1250.5, 0.0, "bewilligt"},
			9: {"2024-HOE-01", "HOE", int64(2024), "Aktionsraumfonds", "Repair-Café", "Bürgerhaus Hörde", false, nil, date(2024, 6, 3), 3000.75, nil, "beantragt"},
		}, map[int]string{10: pipeline.CodeMissingCell}}, // the total row: handled by the pipeline, not the reader
		{"openpyxl_1904.xlsx", map[int]pipeline.Record{
			2: {"2024-EKE-01", "EKE", int64(2024), "Aktionsraumfonds", "Spielplatzfest", "Kita Kemminghausen", true, "Anna Beispiel", date(2024, 3, 15), 1250.5, 1000.0, "bewilligt"},
			3: {"2024-MAR-01", "MAR", int64(2024), "Projektbudget", "Erzählcafé", "Seniorenbüro Marten", false, nil, date(2024, 5, 15), 2400.0, 2400.0, "abgerechnet"},
		}, nil},
		{"lo_blaetter.xlsx", map[int]pipeline.Record{
			2: {"2024-WIC-01", "WIC", int64(2024), "Aktionsraumfonds", "Lesepaten", "Bücherei Wickede", false, nil, date(2024, 2, 1), 800.0, 800.0, "abgerechnet"},
			3: {"2024-WIC-02", "WIC", int64(2024), "Projektbudget", "Sommerschule", "Schulverein", false, nil, date(2024, 5, 10), 4200.0, 2100.0, "bewilligt"},
		}, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := xlsx.NewReader(tc.file, bytes.NewReader(data), s.Fields(), xlsx.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			header, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			rep := &pipeline.Report{}
			c := s.Bind(r.Origin(), header, register(t), rep)
			if c == nil || len(rep.Issues) > 0 {
				t.Fatalf("bind: %v", rep.Issues)
			}
			seen := 0
			for {
				row, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rowRep := &pipeline.Report{}
				rec, ok := c.Cast(row, rowRep)
				if code, bad := tc.errors[row.Line]; bad {
					if ok || len(rowRep.Issues) == 0 || rowRep.Issues[0].Code != code {
						t.Errorf("line %d: issues %v, want %s", row.Line, rowRep.Issues, code)
					}
					continue
				}
				if !ok || len(rowRep.Issues) > 0 {
					t.Errorf("line %d: %v", row.Line, rowRep.Issues)
					continue
				}
				if want, has := tc.want[row.Line]; !has || !reflect.DeepEqual(rec, want) {
					t.Errorf("line %d:\n got %#v\nwant %#v", row.Line, rec, want)
				}
				seen++
			}
			if seen != len(tc.want) {
				t.Errorf("%d rows cast, want %d", seen, len(tc.want))
			}
		})
	}
}
