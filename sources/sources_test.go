package sources

import (
	"errors"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

func TestOpenTableByExtension(t *testing.T) {
	for _, tc := range []struct {
		name    string
		wantErr string // part of the message; empty when a reader is expected
	}{
		{"kennzahlen.csv", ""},
		{"KENNZAHLEN.CSV", ""},
		{"export.tsv", ""},
		{"mittelverwendung.xls", "als .xlsx"},
		{"mittelverwendung.ods", "als .xlsx"},
		{"grenzen.shp", "Unbekanntes Dateiformat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Tables{}.OpenTable(tc.name, strings.NewReader("A;B\n1;2\n"), nil)
			if tc.wantErr == "" {
				if err != nil || r == nil {
					t.Fatalf("OpenTable: %v", err)
				}
				return
			}
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) || !strings.Contains(bad.Issue.Message, tc.wantErr) || bad.Issue.Pos.File != tc.name {
				t.Fatalf("err = %v, want a message with %q", err, tc.wantErr)
			}
		})
	}
}
