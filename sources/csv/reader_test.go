package csv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

// readAll reads every row of a reader, copying the reused values.
func readAll(t testing.TB, r *Reader) ([]pipeline.Row, error) {
	t.Helper()
	var rows []pipeline.Row
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, pipeline.Row{Line: row.Line, Values: append([]string(nil), row.Values...)})
	}
}

func readString(t *testing.T, in string) ([]pipeline.Row, error) {
	t.Helper()
	r, err := NewReader("t.csv", strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, r)
}

func openFixture(t *testing.T, name string, opt Options) *Reader {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := NewReader(name, f, opt)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	return r
}

func TestReaderLinesAndDelimiters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		lines []int
		last  []string
	}{
		{"semicolon with BOM and CRLF", "\ufeffA;B\r\n1;2,5\r\n", []int{1, 2}, []string{"1", "2,5"}},
		{"comma", "A,B\n1,\"x,y\"\n", []int{1, 2}, []string{"1", "x,y"}},
		{"tab", "A\tB\n1\t2\n", []int{1, 2}, []string{"1", "2"}},
		// A quoted field over two lines: the next record starts on line 4.
		{"embedded newline", "A;B\n\"a\nb\";c\nd;e\n", []int{1, 2, 4}, []string{"d", "e"}},
		{"embedded CRLF", "A;B\r\n\"a\r\nb\";c\r\nd;e\r\n", []int{1, 2, 4}, []string{"d", "e"}},
		{"semicolon wins over commas in values", "Name;Wert\n\"a,b\";\"1,5\"\n", []int{1, 2}, []string{"a,b", "1,5"}},
		{"no newline at the end", "A;B\n1;2", []int{1, 2}, []string{"1", "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := readString(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(tc.lines) {
				t.Fatalf("%d rows, want %d: %v", len(rows), len(tc.lines), rows)
			}
			for i, l := range tc.lines {
				if rows[i].Line != l {
					t.Errorf("row %d on line %d, want %d", i, rows[i].Line, l)
				}
			}
			if got := strings.Join(rows[len(rows)-1].Values, "|"); got != strings.Join(tc.last, "|") {
				t.Errorf("last row %q", got)
			}
			if rows[0].Values[0] != "A" && rows[0].Values[0] != "Name" {
				t.Errorf("BOM not stripped: %q", rows[0].Values[0])
			}
		})
	}
}

// Every fixture is read with its encoding, delimiter and decimal separator
// detected or configured; cell is row, column (0-based) and its text.
func TestReaderFixtures(t *testing.T) {
	type cell struct {
		row, col int
		text     string
	}
	for _, tc := range []struct {
		file    string
		opt     Options
		enc     Encoding
		comma   rune
		decimal rune
		lines   []int
		cells   []cell
		notes   []string // parts of the notes, one per note
	}{
		{file: "kennzahlen_utf8_bom.csv", enc: UTF8, comma: ';', decimal: ',', lines: []int{1, 2, 3, 4},
			cells: []cell{{0, 0, "Aktionsraum"}, {0, 4, "Ausländeranteil (%)"}, {1, 0, "Hörde"}, {3, 0, "Dorstfelder Brücke"}, {3, 2, "8.010"}},
			notes: []string{"Dezimalkomma erkannt (z. B. „18,0“ in Zeile 2)"}},
		{file: "kennzahlen_utf8.csv", enc: UTF8, comma: ';', decimal: ',', lines: []int{1, 2, 3, 4},
			cells: []cell{{1, 0, "Hörde"}},
			notes: []string{"Dezimalkomma erkannt"}},
		{file: "kennzahlen_latin1.csv", enc: Windows1252, comma: ';', decimal: ',', lines: []int{1, 2, 3, 4},
			cells: []cell{{0, 4, "Ausländeranteil (%)"}, {3, 0, "Dorstfelder Brücke"}},
			notes: []string{"Windows-1252-kodiert (erkannt); bitte künftig als „CSV UTF-8“ speichern", "Dezimalkomma"}},
		{file: "kennzahlen_latin1.csv", opt: Options{Encoding: ISO8859_1, Decimal: ','}, enc: ISO8859_1, comma: ';', decimal: ',', lines: []int{1, 2, 3, 4},
			cells: []cell{{1, 0, "Hörde"}},
			notes: []string{"wie eingestellt als ISO-8859-1 gelesen"}},
		{file: "mittelverwendung_cp1252.csv", enc: Windows1252, comma: ';', decimal: ',', lines: []int{1, 2, 3},
			cells: []cell{{0, 5, "Träger"}, {1, 4, "Straßenfest „Hörder Neumarkt“"}, {1, 7, "1.250,50 €"}, {2, 7, "€ 800"}, {2, 8, "zurückgezogen"}},
			notes: []string{"Windows-1252-kodiert (erkannt)", "Dezimalkomma erkannt (z. B. „1.250,50 €“ in Zeile 2)"}},
		{file: "kennzahlen_utf8_bom.csv", opt: Options{Encoding: Windows1252}, enc: UTF8, comma: ';', decimal: ',', lines: []int{1, 2, 3, 4},
			cells: []cell{{1, 0, "Hörde"}},
			notes: []string{"Kennung für UTF-8 (Byte Order Mark) und wird darum als UTF-8 gelesen, nicht wie eingestellt als Windows-1252", "Dezimalkomma"}},
		{file: "kennzahlen_comma_en.csv", enc: UTF8, comma: ',', decimal: '.', lines: []int{1, 2, 3},
			cells: []cell{{1, 2, "20,100"}, {1, 3, "1,250.50"}, {2, 4, "20.5"}},
			notes: []string{"Dezimalpunkt erkannt (z. B. „1,250.50“ in Zeile 2)"}},
		{file: "kennzahlen_comma_en.csv", opt: Options{Decimal: ','}, enc: UTF8, comma: ',', decimal: ',', lines: []int{1, 2, 3}},
		{file: "kennzahlen_tab.tsv", enc: UTF8, comma: '\t', decimal: ',', lines: []int{1, 2, 3},
			cells: []cell{{2, 0, "Eving, Lindenhorst"}, {2, 2, "21,3"}},
			notes: []string{"Dezimalkomma"}},
		{file: "quoted_header.csv", enc: UTF8, comma: ';', decimal: ',', lines: []int{1, 3, 4, 6},
			cells: []cell{{0, 1, "Name; Vorname"}, {0, 2, "Anteil \"unter\" 18\n(%)"}, {1, 1, "Muster; Erika"},
				{2, 1, "Verein \"Nord\"\ne.V."}, {3, 0, "Hafen"}, {3, 2, "19,1"}},
			notes: []string{"Dezimalkomma"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := openFixture(t, tc.file, tc.opt)
			rows, err := readAll(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if r.Encoding() != tc.enc || r.Comma() != tc.comma || r.Origin().Decimal != tc.decimal {
				t.Errorf("encoding %v comma %q decimal %q, want %v %q %q", r.Encoding(), r.Comma(), r.Origin().Decimal, tc.enc, tc.comma, tc.decimal)
			}
			var lines []int
			for _, row := range rows {
				lines = append(lines, row.Line)
			}
			if !equalInts(lines, tc.lines) {
				t.Errorf("rows on lines %v, want %v", lines, tc.lines)
			}
			for _, c := range tc.cells {
				if c.row >= len(rows) || c.col >= len(rows[c.row].Values) || rows[c.row].Values[c.col] != c.text {
					t.Errorf("cell %d/%d: rows %v, want %q", c.row, c.col, rows, c.text)
				}
			}
			notes := r.Notes()
			if len(notes) != len(tc.notes) {
				t.Fatalf("notes %v, want %d", notes, len(tc.notes))
			}
			for i, want := range tc.notes {
				n := notes[i]
				if !strings.Contains(n.Message, want) || n.Code != pipeline.CodeRead || n.Severity != pipeline.Info || n.Pos.File != tc.file {
					t.Errorf("note %d = %+v, want one with %q", i, n, want)
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A byte the encoding cannot decode stops reading with its offset and line,
// after the rows before it; it never becomes U+FFFD.
func TestReaderUndecodable(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		opt        Options
		rowsBefore int // the header included
		line       int
		value      string
		message    string
	}{
		{"undefined in Windows-1252", "cp1252_undefined.csv", Options{}, 2, 3, "0x81",
			"Das Byte an Position 258 (Zeile 3) ist in Windows-1252 kein Zeichen"},
		{"UTF-8 detected, Windows-1252 after 64 KiB", "utf8_late_cp1252.csv", Options{}, 3889, 3890, "0xFC",
			"Die Datei beginnt als UTF-8, aber das Byte an Position 70025 (Zeile 3890) ist kein UTF-8"},
		{"UTF-8 configured", "mittelverwendung_cp1252.csv", Options{Encoding: UTF8}, 0, 1, "0xE4",
			"Das Byte an Position 49 (Zeile 1) ist kein UTF-8, wie eingestellt"},
		{"euro sign in ISO-8859-1", "mittelverwendung_cp1252.csv", Options{Encoding: ISO8859_1}, 1, 2, "0x84",
			"Das Byte an Position 145 (Zeile 2) ist in ISO-8859-1 ein Steuerzeichen, in Windows-1252 wäre es „„“"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := openFixture(t, tc.file, tc.opt)
			rows, err := readAll(t, r)
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) {
				t.Fatalf("err = %v, want *BadInput", err)
			}
			is := bad.Issue
			if is.Code != pipeline.CodeMalformed || is.Severity != pipeline.Error || is.Pos.File != tc.file || is.Pos.Row != tc.line ||
				is.Value != tc.value || !strings.HasPrefix(is.Message, tc.message) || is.Expected == "" {
				t.Errorf("issue %+v\nwant row %d, value %s, message %q", is, tc.line, tc.value, tc.message)
			}
			if len(rows) != tc.rowsBefore {
				t.Errorf("%d rows before the error, want %d", len(rows), tc.rowsBefore)
			}
			for _, row := range rows {
				for _, v := range row.Values {
					if strings.ContainsRune(v, utf8.RuneError) {
						t.Fatalf("line %d: replacement character in %q", row.Line, v)
					}
				}
			}
		})
	}
}

func TestReaderMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		enc  Encoding
		line int
	}{
		{"bare quote", "A;B\n1;2\n3;x\"y\n", Detect, 3},
		{"unterminated quote", "A;B\n\"1;2\n", Detect, 2},
		{"cut UTF-8 sequence at the end", "A;B\n1;M\xc3", UTF8, 2},
		{"undefined byte in a quoted cell across lines", "A;B\n1;\"a\nb\x9d\"\n", Windows1252, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader("t.csv", strings.NewReader(tc.in), Options{Encoding: tc.enc})
			if err != nil {
				t.Fatal(err)
			}
			_, err = readAll(t, r)
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) {
				t.Fatalf("err = %v, want *BadInput", err)
			}
			if bad.Issue.Code != pipeline.CodeMalformed || bad.Issue.Pos.Row != tc.line || bad.Issue.Pos.File != "t.csv" {
				t.Fatalf("issue %+v", bad.Issue)
			}
		})
	}
}

func TestReaderNotText(t *testing.T) {
	for _, tc := range []struct {
		file, message string
	}{
		{"utf16.csv", "UTF-16-kodiert"},
		{"arbeitsmappe.csv", "Excel-Arbeitsmappe (.xlsx)"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = NewReader(tc.file, f, Options{})
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) || bad.Issue.Code != pipeline.CodeMalformed || !strings.Contains(bad.Issue.Message, tc.message) || bad.Issue.Pos.File != tc.file {
				t.Fatalf("err = %v, want a malformed-file issue with %q", err, tc.message)
			}
		})
	}
}

// Empty lines after the header are rows without values, on their lines, so
// that the pipeline reports them like empty rows of a workbook.
func TestReaderEmptyLines(t *testing.T) {
	r := openFixture(t, "blank_lines.csv", Options{})
	rows, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	// Line 1 (before the header) is skipped; line 6 ";" is a row of two empty cells.
	want := []string{"2:Aktionsraum|Jahr", "3:Hörde|2023", "4:", "5:Borsigplatz|2023", "6:|", "7:"}
	if r.Comma() != ';' {
		t.Errorf("comma %q: the empty first line must not decide it", r.Comma())
	}
	var got []string
	for _, row := range rows {
		got = append(got, strconv.Itoa(row.Line)+":"+strings.Join(row.Values, "|"))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("rows %q\nwant %q", got, want)
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       rune
	}{
		{"semicolons", "Aktionsraum;Jahr;Einwohner\n1,5,6", ';'},
		{"commas", "Aktionsraum,Jahr,Einwohner\n", ','},
		{"tabs", "Aktionsraum\tJahr\tAnteil (%), gerundet\n", '\t'},
		{"quoted header with other delimiters", "\"Name, Vorname\";\"Anteil; in %\";\"a,b,c\"\n", ';'},
		{"quoted header across lines", "\"Anteil\nunter 18, in %\",\"Jahr\"\n1;2;3;4\n", ','},
		{"doubled quotes", "\"Verein \"\"A,B\"\"\";Jahr\n", ';'},
		{"stray quote inside a header cell", "Zoll 5\";Jahr;Wert\n", ';'},
		{"tie prefers semicolon", "Name, Vorname;Jahr\n", ';'},
		{"one column", "Aktionsraum\n", ','},
		{"empty", "", ','},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff([]byte(tc.head)); got != tc.want {
				t.Fatalf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDecimalOf(t *testing.T) {
	for cell, want := range map[string]rune{
		"12,5": ',', "1.250,50": ',', "1250,5": ',', "-3,25": ',', "0,250": ',', "1.250.000": ',', "1 250,50 €": ',',
		"€ 1.250,50": ',', "12,5 %": ',', "1\u00a0250,5": ',', "1250,500": ',',
		"12.5": '.', "1,250.50": '.', "0.250": '.', "1,250,000": '.', "EUR 800.00": '.', "2400.00": '.',
		"1.250": 0, "1,250": 0, "2024": 0, "15.03.2024": 0, "5.3.24": 0, "2024-03-15": 0, "2024-BOR-01": 0,
		"Hörde": 0, "": 0, "1.2.3": 0, "12,": 0, ",5": 0, "1.25,5": 0, "1,250.000.5": 0,
	} {
		if got := decimalOf(cell); got != want {
			t.Errorf("decimalOf(%q) = %q, want %q", cell, got, want)
		}
	}
}

func TestSniffNumbersIgnoresHeaderAndCutRecord(t *testing.T) {
	// The header's "1,5" says nothing; the prefix ends inside "1.250,50",
	// whose cut "1.25" must not count for a decimal point.
	e := sniffNumbers("Wert;1,5\n12,5;3\n1.25", ';', true)
	if e.comma != 1 || e.point != 0 || e.commaLine != 2 || e.decimal() != ',' {
		t.Fatalf("evidence %+v", e)
	}
	if e := sniffNumbers("A,B\n12.5,\"3,5\"\n", ',', false); e.decimal() != 0 || e.comma != 1 || e.point != 1 {
		t.Fatalf("evidence of a mixed file %+v", e)
	}
}

func TestParseEncoding(t *testing.T) {
	for name, want := range map[string]Encoding{"": Detect, "UTF-8": UTF8, "utf8": UTF8, "windows-1252": Windows1252,
		"CP1252": Windows1252, "iso-8859-1": ISO8859_1, "Latin1": ISO8859_1, " iso_8859_1 ": ISO8859_1} {
		if got, err := ParseEncoding(name); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := ParseEncoding("utf-16"); !errors.Is(err, ErrEncoding) {
		t.Errorf("err = %v, want ErrEncoding", err)
	}
}

// The decoder gives the same text however the file arrives in pieces, also
// when a piece ends inside a UTF-8 sequence.
func TestDecoderChunks(t *testing.T) {
	for _, tc := range []struct {
		enc Encoding
		in  []byte
	}{
		{UTF8, []byte("Hörde;€ 12;\U0001F600\nDorstfelder Brücke")},
		{Windows1252, []byte("H\xf6rde;\x80 12;\x84x\x93\n")},
		// Runs of ASCII longer and shorter than the eight bytes the
		// decoder skips at a time, around characters of two and three
		// bytes in UTF-8.
		{Windows1252, []byte("Stadtteilfest am Borsigplatz\xe4\xf6\xfc\xdf;1.250,50 \x80;abcdefg\xe9abcdefgh\xe9abcdefghi\xe9\r\n\x80")},
		{ISO8859_1, []byte("Projektkonferenz Aktionsraum H\xf6rde\n\xa0x\xffyz")},
	} {
		want := decodeLossy(tc.in, tc.enc)
		for name, r := range map[string]io.Reader{
			"whole":    bytes.NewReader(tc.in),
			"one byte": iotest.OneByteReader(bytes.NewReader(tc.in)),
			"halves":   iotest.HalfReader(bytes.NewReader(tc.in)),
		} {
			got, err := io.ReadAll(newDecoder(r, tc.enc, 0))
			if err != nil || string(got) != want {
				t.Errorf("%v %s: %q, %v; want %q", tc.enc, name, got, err, want)
			}
		}
	}
}

// FuzzReader reads any bytes with the encoding and the delimiter detected or
// configured (opt: the low two bits choose the encoding, the next two the
// delimiter, 0 sniffs it) and the decimal separator detected: it must not
// panic, return text that is not UTF-8, or rows out of order; a bad file is
// a *pipeline.BadInput.
func FuzzReader(f *testing.F) {
	f.Add([]byte("A;B\n1;2\n"), uint8(Detect))
	f.Add([]byte("\ufeffA,B\r\n\"x\ny\",2\r\n"), uint8(Detect))
	f.Add([]byte("A;B\n\n1;\"2\n\n\"\n\n"), uint8(UTF8))
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*sv"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 4096 {
			for _, e := range []Encoding{Detect, UTF8, Windows1252, ISO8859_1} {
				f.Add(data, uint8(e))
				f.Add(data, uint8(e)|uint8(len(data)%3+1)<<2)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, opt uint8) {
		comma := []rune{0, ';', ',', '\t'}[opt>>2&3]
		r, err := NewReader("f.csv", bytes.NewReader(data), Options{Encoding: Encoding(opt & 3), Comma: comma})
		if err != nil {
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) {
				t.Fatalf("NewReader: %v", err)
			}
			return
		}
		if d := r.Origin().Decimal; d != 0 && d != ',' && d != '.' {
			t.Fatalf("decimal %q", d)
		}
		if c := r.Comma(); c != comma && (comma != 0 || !strings.ContainsRune(";,\t", c)) {
			t.Fatalf("delimiter %q, configured %q", c, comma)
		}
		last := 0
		for range 10000 {
			row, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var bad *pipeline.BadInput
				if !errors.As(err, &bad) || bad.Issue.Pos.Row < last {
					t.Fatalf("err %v after line %d", err, last)
				}
				return
			}
			if row.Line <= last {
				t.Fatalf("row on line %d after line %d", row.Line, last)
			}
			last = row.Line
			for _, v := range row.Values {
				if !utf8.ValidString(v) {
					t.Fatalf("line %d: %q is not UTF-8", row.Line, v)
				}
			}
		}
	})
}

// After a malformed record the reader goes on, so one pass finds every
// problem; the position is where the bad record starts.
func TestReaderResumesAfterMalformedRecord(t *testing.T) {
	in := "A;B\n1;2\n3;x\"y\n5;6\n7;a\"b\n9;10\n"
	r, err := NewReader("t.csv", strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines, bad []int
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		var b *pipeline.BadInput
		if errors.As(err, &b) {
			if !b.Resume {
				t.Fatalf("malformed record not resumable: %v", b)
			}
			bad = append(bad, b.Issue.Pos.Row)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, row.Line)
	}
	if fmt.Sprint(lines) != "[1 2 4 6]" || fmt.Sprint(bad) != "[3 5]" {
		t.Fatalf("rows on %v, bad records on %v", lines, bad)
	}
}

func TestReaderUnclosedQuoteNamesItsStart(t *testing.T) {
	in := "A;B\n1;2\n\"3;4\n5;6\n7;8\n"
	r, _ := NewReader("t.csv", strings.NewReader(in), Options{})
	for {
		_, err := r.Read()
		var b *pipeline.BadInput
		if errors.As(err, &b) {
			if b.Issue.Pos.Row != 3 || !strings.Contains(b.Issue.Message, "beginnt in Zeile 3") {
				t.Fatalf("issue %+v", b.Issue)
			}
			return
		}
		if err == io.EOF {
			t.Fatal("no error for an unclosed quote")
		}
	}
}

// One Latin-1 byte in a UTF-8 file is an error at that byte, not a reason to
// read every umlaut of the file as Windows-1252.
func TestReaderMixedEncodingIsAnError(t *testing.T) {
	in := "code,name\nHOE,Hörde\nDOB,Dorstfelder Brücke|Br\xfccke\n"
	_, err := readString(t, in)
	var bad *pipeline.BadInput
	if !errors.As(err, &bad) || bad.Issue.Pos.Row != 3 || bad.Issue.Code != pipeline.CodeMalformed {
		t.Fatalf("err = %v", err)
	}
}
