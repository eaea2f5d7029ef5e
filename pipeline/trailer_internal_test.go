package pipeline

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
)

// rowsReader is a table in memory; like real readers it reuses its values.
type rowsReader struct {
	origin Origin
	rows   [][]string
	i      int
	buf    []string
	err    error // returned after the rows instead of io.EOF
}

func (r *rowsReader) Origin() Origin { return r.origin }

func (r *rowsReader) Read() (Row, error) {
	if r.i == len(r.rows) {
		if r.err != nil {
			return Row{}, r.err
		}
		return Row{}, io.EOF
	}
	r.buf = append(r.buf[:0], r.rows[r.i]...)
	r.i++
	return Row{Line: r.i, Values: r.buf}, nil
}

type tableOpener struct{ rr *rowsReader }

func (o tableOpener) OpenTable(string, string, io.Reader, []Field) (RowReader, error) {
	return o.rr, nil
}

// ledger is a schema of three columns: a text, an amount in EUR, a share in
// percent. Its caster reads numbers with a decimal comma and reports blank
// rows as the schemas package does.
type ledger struct{}

var ledgerFields = []Field{
	{Name: "nr", Title: "Nr", Type: "string", Public: true},
	{Name: "betrag", Title: "Betrag", Type: "number", Unit: "EUR", Public: true},
	{Name: "anzahl", Title: "Anzahl", Type: "integer", Public: true},
	{Name: "anteil", Title: "Anteil", Type: "number", Unit: "%", Public: true},
}

func (ledger) Fields() []Field { return ledgerFields }

func (ledger) Bind(o Origin, header Row, _ map[string]KeyResolver, _ *Report) Caster {
	return &ledgerCaster{o: o}
}

type ledgerCaster struct{ o Origin }

var _ TotalCaster = (*ledgerCaster)(nil)

func (c *ledgerCaster) Cast(row Row, rep *Report) (Record, bool) {
	if _, v := firstValue(row.Values); v == "" {
		rep.Warnf(CodeBlankRow, c.o.At(row.Line, 0, ""), "", "", "Leere Zeile")
		return nil, false
	}
	return c.CastTotal(row, rep), true
}

func (c *ledgerCaster) CastTotal(row Row, _ *Report) Record {
	rec := make(Record, len(ledgerFields))
	for i, v := range row.Values {
		if i >= len(rec) || v == "" {
			continue
		}
		switch ledgerFields[i].Type {
		case "number":
			x, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(v, ".", ""), ",", "."), 64)
			if err == nil {
				rec[i] = x
			}
		case "integer":
			n, err := strconv.ParseInt(v, 10, 64)
			if err == nil {
				rec[i] = n
			}
		default:
			rec[i] = v
		}
	}
	return rec
}

func (c *ledgerCaster) Pos(row Row, field string) Pos {
	i := Index(ledgerFields, field)
	return c.o.At(row.Line, i+1, ledgerFields[i].Title)
}

// castTable runs castRows over rows (the first is the header) and returns
// the lines of the data rows and the issues as "code@row:col".
func castTable(t *testing.T, o Origin, rows [][]string, readErr error) ([]int, []string, *Report) {
	t.Helper()
	rr := &rowsReader{origin: o, rows: append([][]string{{"Nr", "Betrag", "Anzahl", "Anteil"}}, rows...), err: readErr}
	j := &Job{Tables: tableOpener{rr}}
	rep := &Report{}
	var lines []int
	n, _, err := j.castRows(context.Background(), "test", o.File, nil, ledger{}, nil, rep, func(row Row, _ Caster, _ Record, _ bool) {
		lines = append(lines, row.Line)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(lines) {
		t.Fatalf("castRows counted %d rows, handed over %d", n, len(lines))
	}
	var issues []string
	for _, is := range rep.Issues {
		issues = append(issues, fmt.Sprintf("%s@%d:%d", is.Code, is.Pos.Row, is.Pos.Column))
	}
	return lines, issues, rep
}

func row(cells ...string) []string { return cells }

func TestTrailer(t *testing.T) {
	a, b := row("A-1", "10,00", "3", "40"), row("A-2", "20,50", "4", "60")
	for _, tc := range []struct {
		name   string
		rows   [][]string
		lines  []int
		issues []string
	}{
		{name: "footnotes and blank rows after the table",
			rows:   [][]string{a, b, row("", "", ""), row("Quelle: Projektbüro"), row("* vorläufig", ""), row(), row("", "Stand: 31.12.2024")},
			lines:  []int{2, 3},
			issues: []string{"footnote-row@5:1", "footnote-row@6:1", "footnote-row@8:2"}},
		{name: "a footnote in the middle is data",
			rows:   [][]string{a, row("1) vorläufig"), row(""), b},
			lines:  []int{2, 3, 5},
			issues: []string{"blank-row@4:0"}},
		{name: "a row with two cells is no footnote",
			rows:  [][]string{a, row("Quelle: Stadt Dortmund", " Statistik")},
			lines: []int{2, 3}},
		{name: "total row that matches",
			rows:   [][]string{a, b, row("Summe", "30,50", "7", "100")},
			lines:  []int{2, 3},
			issues: []string{"read-note@4:0"}},
		{name: "total row that differs, then footnotes",
			rows:   [][]string{a, b, row("Gesamt:", "31,00", "7", "99"), row(), row("Stand: 2024")},
			lines:  []int{2, 3},
			issues: []string{"read-note@4:0", "total-mismatch@4:2", "footnote-row@6:1"}},
		{name: "label in the first non-empty cell",
			rows:   [][]string{a, b, row("", "Insgesamt", "7")},
			lines:  []int{2, 3},
			issues: []string{"read-note@4:0"}},
		{name: "total row in the middle is data",
			rows:  [][]string{a, row("Summe", "10,00"), b},
			lines: []int{2, 3, 4}},
		{name: "footnote before the total row is data",
			rows:   [][]string{a, row("* geschätzt"), row("Summe", "10,00")},
			lines:  []int{2, 3},
			issues: []string{"read-note@4:0"}},
		{name: "of two total rows the last one counts",
			rows:   [][]string{a, row("Summe", "10,00"), row("Gesamt", "20,00")},
			lines:  []int{2, 3},
			issues: []string{"read-note@4:0"}},
		{name: "only a total row",
			rows:   [][]string{row("Summe", "0")},
			issues: []string{"read-note@2:0", "blank-table@2:0"}},
		{name: "broken file after a footnote: the footnote was data",
			rows:   [][]string{a, row("Quelle: x")},
			lines:  []int{2, 3},
			issues: []string{"malformed-file@4:0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var readErr error
			if strings.HasPrefix(tc.name, "broken") {
				readErr = &BadInput{Issue: Issue{Code: CodeMalformed, Severity: Error, Pos: Pos{File: "t.csv", Row: 4}}}
			}
			lines, issues, _ := castTable(t, Origin{File: "t.csv"}, tc.rows, readErr)
			if fmt.Sprint(lines) != fmt.Sprint(tc.lines) {
				t.Errorf("data rows %v, want %v", lines, tc.lines)
			}
			if strings.Join(issues, " ") != strings.Join(tc.issues, " ") {
				t.Errorf("issues %v\nwant   %v", issues, tc.issues)
			}
		})
	}
}

func TestTrailerTotalMessages(t *testing.T) {
	rows := [][]string{row("A-1", "10.000,00", "3", "40"), row("A-2", "2.345,00", "4", "60"), row("Summe", "12.300,00", "8", "100")}
	_, _, rep := castTable(t, Origin{File: "t.csv"}, rows, nil)
	if len(rep.Issues) != 3 {
		t.Fatalf("issues %v", rep.Issues)
	}
	note, amount, count := rep.Issues[0], rep.Issues[1], rep.Issues[2]
	if note.Severity != Info || note.Message != "Summenzeile erkannt und nicht als Daten gelesen; 2 von 2 Summen weichen von den Zeilen darüber ab" {
		t.Errorf("note %+v", note)
	}
	if amount.Severity != Warning || amount.Value != "12.300,00" || amount.Pos.Field != "Betrag" ||
		!strings.HasSuffix(amount.Message, "Summe in der Datei: 12.300,00; Summe der Zeilen: 12.345,00") || amount.Expected != "die Summe der Zeilen, 12.345,00" {
		t.Errorf("amount %+v", amount)
	}
	if !strings.HasSuffix(count.Message, "Summe in der Datei: 8; Summe der Zeilen: 7") || count.Pos.Column != 3 {
		t.Errorf("count %+v", count)
	}
}

// In a workbook, a footnote names its cell.
func TestTrailerWorkbookCells(t *testing.T) {
	o := Origin{File: "t.xlsx", Sheet: "Daten", CellName: func(col, row int) string { return string(rune('A'+col-1)) + strconv.Itoa(row) }}
	_, _, rep := castTable(t, o, [][]string{row("A-1", "1"), row("", "", "", "¹ geschätzt")}, nil)
	if len(rep.Issues) != 1 || rep.Issues[0].Pos.Cell != "D3" || rep.Issues[0].Value != "¹ geschätzt" || rep.Issues[0].Pos.String() != "t.xlsx, Blatt „Daten“, Zelle D3" {
		t.Fatalf("issues %+v", rep.Issues)
	}
}

// Rows that look like footnotes are held back only up to maxTrailer, so a
// table of them is still streamed; beyond that the oldest are data.
func TestTrailerBounded(t *testing.T) {
	rows := [][]string{row("A-1", "1")}
	for range maxTrailer + 2 {
		rows = append(rows, row("* x"))
	}
	lines, issues, _ := castTable(t, Origin{File: "t.csv"}, rows, nil)
	if fmt.Sprint(lines) != "[2 3 4]" || len(issues) != maxTrailer {
		t.Fatalf("data rows %v, %d issues", lines, len(issues))
	}
}

func TestIsFootnote(t *testing.T) {
	for s, want := range map[string]bool{
		"Quelle: Stadt Dortmund": true, "Quellen: IT.NRW": true, "Stand: 31.12.2024": true, "Stand 2024": true,
		"Anmerkung": true, "Anmerkungen: …": true, "Hinweis:": true, "Hinweise": true, "Fußnote 1": true,
		"Erläuterung: …": true, "* vorläufig": true, "** geschätzt": true, "¹ geschätzt": true, "1) vorläufig": true,
		"(2) Schätzung": true, "a) ohne Hafen": true, "12) x": true, " quelle: x": true,
		"Standort Nord": false, "Quellenstraße": false, "Hinweisschild": false, "Anmerkungsbogen": false,
		"Hörde": false, "2024-BOR-01": false, "123) x": false, "(1": false, "Stadtteilfest": false, "": false,
	} {
		if got := isFootnote(s); got != want {
			t.Errorf("isFootnote(%q) = %v", s, got)
		}
	}
}

func TestIsTotalLabel(t *testing.T) {
	for s, want := range map[string]bool{
		"Summe": true, "SUMME:": true, " Gesamt ": true, "Insgesamt:": true, "Gesamtsumme": true, "Summe :": true,
		"Summe 2024": false, "Gesamtschule": false, "Summen": false, "": false,
	} {
		if got := isTotalLabel(s); got != want {
			t.Errorf("isTotalLabel(%q) = %v", s, got)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{12345, 2, "12.345,00"}, {12345, 0, "12.345"}, {-1234.5, 2, "-1.234,50"}, {-0.001, 2, "0,00"},
		{0.005, 2, "0,01"}, {999, 2, "999,00"}, {1e15, 0, "1.000.000.000.000.000"},
	} {
		if got := GermanNumber(tc.v, tc.decimals); got != tc.want {
			t.Errorf("GermanNumber(%v, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
	}
}

// A million amounts of 0,10 EUR sum to 100.000,00 EUR to the cent.
func TestSumIsExactToTheCent(t *testing.T) {
	var s sum
	for range 1000000 {
		s.add(0.1)
	}
	if got := s.value(); got < 100000-0.005 || got > 100000+0.005 || GermanNumber(got, 2) != "100.000,00" {
		t.Fatalf("sum %v", got)
	}
}

func TestTotalVerdict(t *testing.T) {
	for _, tc := range []struct {
		checked, off int
		want         string
	}{
		{0, 0, "sie enthält keine Summe zum Vergleichen"},
		{1, 0, "ihre Summe stimmt mit den Zeilen darüber überein"},
		{1, 1, "ihre Summe weicht von den Zeilen darüber ab"},
		{3, 0, "alle 3 Summen stimmen mit den Zeilen darüber überein"},
		{3, 1, "1 von 3 Summen weicht von den Zeilen darüber ab"},
		{3, 2, "2 von 3 Summen weichen von den Zeilen darüber ab"},
	} {
		if got := totalVerdict(tc.checked, tc.off); got != tc.want {
			t.Errorf("totalVerdict(%d, %d) = %q", tc.checked, tc.off, got)
		}
	}
}
