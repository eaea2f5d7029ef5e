package xlsx

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// workbook writes a workbook whose sheet "Daten" has the cells given.
func workbook(t *testing.T, cells map[string]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.NewSheet("Daten")
	for ref, v := range cells {
		if err := f.SetCellValue("Daten", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func TestReaderRowsAndCells(t *testing.T) {
	date := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	buf := workbook(t, map[string]any{
		"A2": "Jahr", "B2": "Bewilligt (EUR)", "C2": "Beschlussdatum",
		"A3": 2024, "B3": 1250.5, "C3": date,
		"A5": 2023, "B5": "1.250,50",
	})
	r, err := NewReader("m.xlsx", buf, Options{Sheet: "Daten"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join(append([]string{string(rune('0' + row.Line))}, row.Values...), "|"))
	}
	want := []string{"2|Jahr|Bewilligt (EUR)|Beschlussdatum", "3|2024|1250.5|45366", "4", "5|2023|1.250,50"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	o := r.Origin()
	if !o.Typed || o.Sheet != "Daten" || o.At(5, 2, "Bewilligt (EUR)").Cell != "B5" {
		t.Fatalf("origin %+v", o)
	}
}

func TestReaderBadInputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		data  []byte
		sheet string
	}{
		{"not a zip", []byte("Jahr;Wert\n2024;1\n"), ""},
		{"old xls signature", []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0}, ""},
		{"missing sheet", workbook(t, map[string]any{"A1": "x"}).Bytes(), "Mittelverwendung"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader("m.xlsx", bytes.NewReader(tc.data), Options{Sheet: tc.sheet})
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) || bad.Issue.Code != pipeline.CodeMalformed || bad.Issue.Pos.File != "m.xlsx" {
				t.Fatalf("err = %v, want a malformed-file issue", err)
			}
		})
	}
}
