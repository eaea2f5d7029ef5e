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

// Text that a spreadsheet would run as a formula gets a leading apostrophe;
// numbers, negative ones included, stay numbers. Without the protection the
// cells would start with the trigger character.
func TestEncoderNeutralisesFormulas(t *testing.T) {
	ds := &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{
		{Name: "projekttitel", Type: "string"}, {Name: "bewilligt_eur", Type: "number"}, {Name: "jahr", Type: "integer"},
	}}
	for _, tc := range []struct {
		name string
		text string
		want string // the cell as a CSV reader returns it
	}{
		{"hyperlink", `=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"plus", "+1+1", "'+1+1"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		// encoding/csv drops a lone carriage return when it writes CRLF
		// line ends: without the apostrophe the cell would be "=1".
		{"carriage return", "\r=1", "'=1"},
		{"dde", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"plain text stays", "Stadtteilfest am Borsigplatz", "Stadtteilfest am Borsigplatz"},
		{"inner trigger stays", "Sommerfest = Spaß", "Sommerfest = Spaß"},
		{"hyphenated name stays", "Alt-Scharnhorst", "Alt-Scharnhorst"},
		{"apostrophe already there stays", "'=1", "'=1"},
		{"empty stays", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := Format{NoBOM: true}.NewEncoder(&buf, ds)
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.Write(pipeline.Feature{Values: []any{tc.text, -5.0, int64(-1)}}); err != nil {
				t.Fatal(err)
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			recs, err := stdcsv.NewReader(&buf).ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("strict read: %v, %d records", err, len(recs))
			}
			got := recs[1]
			if got[0] != tc.want {
				t.Errorf("text cell %q, want %q", got[0], tc.want)
			}
			if got[1] != "-5" || got[2] != "-1" {
				t.Errorf("negative numbers written as %q and %q, want -5 and -1", got[1], got[2])
			}
		})
	}
}

// FuzzEncoder checks that the encoder writes what encoding/csv's Writer
// with CRLF line ends writes for the texts of Text, byte for byte.
func FuzzEncoder(f *testing.F) {
	for _, s := range []string{"", "BOR", "a,\"b\"\nc", "\r=1", " x", "\u00a0x", "\u2003x", `\.`, `\.x`, "=1,2", "-\"", "\xff", "x\r\ny", "'\n"} {
		f.Add(s, int64(-1), 1250.5, true, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, n int64, x float64, ok bool, day int64) {
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(day%1_000_000))
		row := []any{s, n, x, d, ok}
		got := encode(t, Format{}, row, []any{nil, nil, nil, nil, s})
		var want bytes.Buffer
		want.WriteString("\ufeff")
		w := stdcsv.NewWriter(&want)
		w.UseCRLF = true
		w.Write([]string{"code", "jahr", "bewilligt_eur", "beschlussdatum", "ueberschritten"})
		for _, r := range [][]any{row, {nil, nil, nil, nil, s}} {
			rec := make([]string, len(r))
			for i, v := range r {
				var err error
				if rec[i], err = cellText(v); err != nil {
					t.Fatal(err)
				}
			}
			w.Write(rec)
		}
		w.Flush()
		if got != want.String() {
			t.Errorf("row %q:\ngot  %q\nwant %q", row, got, want.String())
		}
	})
}

// TestTextDates keeps the dates of Text as time.Format writes them,
// years beyond four digits included.
func TestTextDates(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 6, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)),
	} {
		if got, _ := cellText(d); got != d.Format("2006-01-02") {
			t.Errorf("cellText(%v) = %s, want %s", d, got, d.Format("2006-01-02"))
		}
	}
}

// hasSpecial finds every byte value at every place of fields of every
// length its word tests treat apart.
func TestHasSpecial(t *testing.T) {
	for n := range 25 {
		for pos := range n {
			for c := range 256 {
				f := []byte(strings.Repeat("a", n))
				f[pos] = byte(c)
				if got, want := hasSpecial(string(f)), strings.ContainsAny(string(f), ",\"\r\n"); got != want {
					t.Errorf("hasSpecial(%q) = %v, want %v", f, got, want)
				}
			}
		}
	}
}
