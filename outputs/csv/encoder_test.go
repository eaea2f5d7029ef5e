package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"strings"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

var testDataset = &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{
	{Name: "code", Type: "string"}, {Name: "jahr", Type: "integer"}, {Name: "bewilligt_eur", Type: "number"},
	{Name: "beschlussdatum", Type: "date"}, {Name: "ueberschritten", Type: "boolean"},
}}

func encode(t *testing.T, f Format, rows ...[]any) string {
	t.Helper()
	var buf bytes.Buffer
	enc, err := f.NewEncoder(&buf, testDataset)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := enc.Write(pipeline.Feature{Values: r}); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestEncoder(t *testing.T) {
	d := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		f    Format
		row  []any
		want string
	}{
		{"values", Format{}, []any{"BOR", int64(2024), 1250.5, d, true},
			"\ufeffcode,jahr,bewilligt_eur,beschlussdatum,ueberschritten\r\nBOR,2024,1250.5,2024-03-05,true\r\n"},
		{"missing is empty, never 0", Format{NoBOM: true}, []any{"BOR", nil, nil, nil, nil},
			"code,jahr,bewilligt_eur,beschlussdatum,ueberschritten\r\nBOR,,,,\r\n"},
		{"quoting and no exponent", Format{NoBOM: true}, []any{"a,\"b\"\nc", int64(-1), 226000.0, nil, false},
			"code,jahr,bewilligt_eur,beschlussdatum,ueberschritten\r\n\"a,\"\"b\"\"\r\nc\",-1,226000,,false\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := encode(t, tc.f, tc.row)
			if got != tc.want {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
			// A strict reader reads it back: same number of fields everywhere.
			r := stdcsv.NewReader(strings.NewReader(strings.TrimPrefix(got, "\ufeff")))
			recs, err := r.ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("strict read: %v, %d records", err, len(recs))
			}
		})
	}
}

func TestEncoderRejectsWrongRows(t *testing.T) {
	var buf bytes.Buffer
	enc, _ := Format{}.NewEncoder(&buf, testDataset)
	if err := enc.Write(pipeline.Feature{Values: []any{"x"}}); err == nil {
		t.Error("short row accepted")
	}
	if err := enc.Write(pipeline.Feature{Values: []any{"x", 1, nil, nil, nil}}); err == nil || !strings.Contains(err.Error(), "jahr") {
		t.Errorf("int value accepted or column not named: %v", err)
	}
}
