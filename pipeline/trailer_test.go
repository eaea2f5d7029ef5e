package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

func fixture(name string) pipeline.Input {
	return pipeline.Input{Name: name, Open: func() (io.ReadCloser, error) { return os.Open(filepath.Join("testdata", name)) }}
}

// issuesIn returns the issues of one file as "code@row:column".
func issuesIn(rep *pipeline.Report, file string) []string {
	var out []string
	for _, is := range rep.Issues {
		if is.Pos.File == file {
			out = append(out, fmt.Sprintf("%s@%d:%d", is.Code, is.Pos.Row, is.Pos.Column))
		}
	}
	return out
}

func messageAt(rep *pipeline.Report, file, code string, row int) string {
	for _, is := range rep.Issues {
		if is.Pos.File == file && is.Code == code && is.Pos.Row == row {
			return is.Message
		}
	}
	return ""
}

// A fund ledger as staff send it: saved as plain "CSV" by a German Excel
// (Windows-1252, semicolons, CRLF), amounts with "€", dates as d.m.yy, a
// title across two lines, a total row and footnotes below the table.
func TestRealWorldFundLedger(t *testing.T) {
	const file = "mittelverwendung_2024.csv"
	j := job("")
	j.FundUsage = fixture(file)
	pub := &memPublisher{}
	res, err := j.Run(context.Background(), pub)
	if err != nil {
		t.Fatalf("%v: %v", err, res.Report.Issues)
	}
	want := []string{
		"read-note@6:0", "total-mismatch@6:11", // Summe: Bewilligt matches, Ausgezahlt does not
		"footnote-row@8:1", "footnote-row@9:1", "footnote-row@10:1",
		"read-note@0:0", "read-note@0:0", // Windows-1252, decimal comma
		"unmatched-key@0:0", // HOE has no Aktionsraumfonds action in 2024
	}
	if got := issuesIn(res.Report, file); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("issues %v\nwant   %v\n%v", got, want, res.Report.Issues)
	}
	for _, tc := range []struct {
		code, message string
		row           int
	}{
		{pipeline.CodeRead, "Summenzeile erkannt und nicht als Daten gelesen; 1 von 2 Summen weicht von den Zeilen darüber ab", 6},
		{pipeline.CodeTotalMismatch, "Die Summenzeile stimmt nicht mit den Zeilen darüber überein. Summe in der Datei: 1.600,50; Summe der Zeilen: 1.650,50", 6},
		{pipeline.CodeFootnote, "Fußnote unter der Tabelle, sie wird nicht als Daten gelesen", 8},
	} {
		if got := messageAt(res.Report, file, tc.code, tc.row); got != tc.message {
			t.Errorf("%s in row %d: %q, want %q", tc.code, tc.row, got, tc.message)
		}
	}
	if res.Actions != 3 || res.Inputs[1].Rows != 3 {
		t.Errorf("%d actions, %d rows of %s", res.Actions, res.Inputs[1].Rows, res.Inputs[1].Name)
	}
	got := strings.ReplaceAll(pub.files["mittelverwendung.csv"].String(), "\r\n", "\n")
	wantCSV := "projekt_nr,code,name,jahr,fonds,projekttitel,traeger,beschlussdatum,bewilligt_eur,ausgezahlt_eur,status\n" +
		"2024-BOR-01,BOR,Borsigplatz,2024,Aktionsraumfonds,Stadtteilfest,Quartiersverein Borsigplatz e.V.,2024-03-05,1250.5,1250.5,abgerechnet\n" +
		"2024-BOR-02,BOR,Borsigplatz,2024,Aktionsraumfonds,\"Lesecafé \"\"Nordstadt\"\"\",Bücherei e.V.,2024-04-15,800,400,bewilligt\n" +
		"2024-HOE-01,HOE,Hörde,2024,Projektbudget,\"Nachbarschafts-\ntreff\",Kirchengemeinde,2024-06-01,10000,,beantragt\n"
	if got != wantCSV {
		t.Errorf("mittelverwendung.csv:\n%s\nwant\n%s", got, wantCSV)
	}
}

// Key figures exported with commas and decimal points. A footnote-like row
// and a "Summe" row in the middle of the table are data (and wrong there);
// only the "Gesamt" row at the bottom is a total row, and the sum it is
// checked against includes the "Summe" row above, which was data.
func TestRealWorldKeyFiguresEnglish(t *testing.T) {
	const file = "kennzahlen_en.csv"
	j := job("1;BOR;2024;Aktionsraumfonds;T;V;;;;100;;bewilligt\n")
	j.KeyFigures = fixture(file)
	res, err := j.Validate(context.Background())
	if !errors.Is(err, pipeline.ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	want := []string{
		"foreign-key@3:1", "missing-cell@3:2", // 1) vorläufig
		"foreign-key@5:1", "missing-cell@5:2", // Summe
		"read-note@7:0", "total-mismatch@7:3",
		"read-note@0:0", // decimal point
	}
	var got []string
	for _, is := range issuesIn(res.Report, file) {
		if !strings.HasPrefix(is, "unmatched-key") {
			got = append(got, is)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("issues %v\nwant   %v\n%v", got, want, res.Report.Issues)
	}
	if m := messageAt(res.Report, file, pipeline.CodeTotalMismatch, 7); !strings.HasSuffix(m, "Summe in der Datei: 52.645; Summe der Zeilen: 77.290") {
		t.Errorf("message %q", m)
	}
	if m := messageAt(res.Report, file, pipeline.CodeRead, 0); !strings.HasPrefix(m, "Zahlen mit Dezimalpunkt erkannt (z. B. „20.5“ in Zeile 2)") {
		t.Errorf("note %q", m)
	}
}
