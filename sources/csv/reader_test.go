package csv

import (
	"errors"
	"io"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

func readAll(t *testing.T, in string) ([]pipeline.Row, error) {
	t.Helper()
	r, err := NewReader("t.csv", strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
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
		{"semicolon wins over commas in values", "Name;Wert\n\"a,b\";\"1,5\"\n", []int{1, 2}, []string{"a,b", "1,5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := readAll(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(tc.lines) {
				t.Fatalf("%d rows, want %d", len(rows), len(tc.lines))
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

func TestReaderMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		line int
	}{
		{"bare quote", "A;B\n1;2\n3;x\"y\n", 3},
		{"unterminated quote", "A;B\n\"1;2\n", 2},
		{"latin-1 umlaut", "A;B\n1;M\xfcller\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(t, tc.in)
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

func FuzzReader(f *testing.F) {
	f.Add([]byte("A;B\n1;2\n"))
	f.Add([]byte("\ufeffA,B\r\n\"x\ny\",2\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader("f.csv", strings.NewReader(string(data)), Options{})
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			if _, err := r.Read(); err != nil {
				return
			}
		}
	})
}
