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
			r, err := Tables{}.OpenTable("key_figures", tc.name, strings.NewReader("A;B\n1;2\n"), nil)
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

// Read options reach the CSV reader: its origin carries the decimal
// separator, and the encoding decides the text.
func TestOpenTableOptions(t *testing.T) {
	const file = "A;B\nH\xf6rde;1.250\n" // "Hörde" in Windows-1252 or ISO-8859-1
	for _, tc := range []struct {
		name    string
		opt     Options
		decimal rune
		cell    string
	}{
		{"detected", Options{}, 0, "Hörde"},
		{"numbers de", Options{Numbers: "de", Encoding: "iso-8859-1"}, ',', "Hörde"},
		{"numbers en", Options{Numbers: "en", Encoding: "Windows-1252"}, '.', "Hörde"},
		{"delimiter comma", Options{Delimiter: ",", Encoding: "latin1"}, 0, "Hörde;1.250"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.opt.Check(); err != nil {
				t.Fatal(err)
			}
			r, err := Tables{Options: map[string]Options{"key_figures": tc.opt}}.OpenTable("key_figures", "k.csv", strings.NewReader(file), nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := r.Origin().Decimal; d != tc.decimal {
				t.Errorf("decimal %q, want %q", d, tc.decimal)
			}
			r.Read()
			row, err := r.Read()
			if err != nil || row.Values[0] != tc.cell {
				t.Errorf("row %q, %v; want first cell %q", row.Values, err, tc.cell)
			}
		})
	}
}

func TestOptionsCheck(t *testing.T) {
	for name, o := range map[string]Options{
		"encoding":  {Encoding: "utf-16"},
		"numbers":   {Numbers: "fr"},
		"delimiter": {Delimiter: "|"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := o.Check(); !errors.Is(err, ErrOptions) {
				t.Errorf("Check = %v, want ErrOptions", err)
			}
			_, err := Tables{Options: map[string]Options{"key_figures": o}}.OpenTable("key_figures", "k.csv", strings.NewReader("A\n1\n"), nil)
			if !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), "k.csv") {
				t.Errorf("OpenTable = %v, want ErrOptions naming the file", err)
			}
		})
	}
}
