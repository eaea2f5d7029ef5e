package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// FuzzRoundTrip writes a table as Excel and other programs write CSV, in
// UTF-8 (with or without byte order mark), Windows-1252 or ISO-8859-1,
// delimited by ";", "," or tab, with LF or CRLF, and reads it back with the
// encoding and the delimiter detected or configured: every row must come
// back with the values written, on the line where its record starts.
//
// The seeds are the headers and rows of the CSV fixtures. Tables that no
// reader can tell apart are not generated: a header field holding a
// delimiter (the delimiter is sniffed from the header line), a first field
// starting with U+FEFF (a byte order mark), NUL bytes (no CSV text) and
// carriage returns inside fields (which CRLF writing drops).
func FuzzRoundTrip(f *testing.F) {
	f.Add("Aktionsraum|Jahr|Anteil (%)", "Hörde|2023|12,5|Borsigplatz|2024|„x“ €", uint8(0), uint8(0))
	f.Add("a|b", "x\ny|\"q\"|| z", uint8(1), uint8(0x1f))
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*sv"))
	for i, name := range files {
		data, err := os.ReadFile(name)
		if err != nil || len(data) > 4096 {
			continue
		}
		r := stdcsv.NewReader(bytes.NewReader(data))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = Sniff(data), -1, true
		recs, _ := r.ReadAll()
		if len(recs) < 2 {
			continue
		}
		var body []string
		for _, rec := range recs[1:] {
			body = append(body, rec...)
		}
		f.Add(strings.Join(recs[0], "|"), strings.Join(body, "|"), uint8(i), uint8(i*7))
	}
	f.Fuzz(func(t *testing.T, header, body string, delim, flags uint8) {
		comma := []rune{';', ',', '\t'}[delim%3]
		enc := []Encoding{UTF8, Windows1252, ISO8859_1}[(flags&3)%3]
		configured := flags&4 != 0
		bom := flags&8 != 0 && enc == UTF8
		crlf := flags&16 != 0

		clean := strings.NewReplacer("\r", "", "\x00", "")
		head := strings.Split(strings.TrimPrefix(clean.Replace(strings.ToValidUTF8(header, "")), "\ufeff"), "|")
		if len(head) < 2 {
			return
		}
		for i, h := range head {
			head[i] = strings.NewReplacer(";", "", ",", "", "\t", "").Replace(h)
		}
		// A text cannot start with U+FEFF: the reader takes it for a BOM,
		// also where delimiters stood before it.
		head[0] = strings.TrimLeft(head[0], "\ufeff")
		cells := strings.Split(clean.Replace(strings.ToValidUTF8(body, "")), "|")
		recs := [][]string{head}
		for len(cells) > 0 {
			rec := make([]string, len(head))
			n := copy(rec, cells)
			cells = cells[n:]
			recs = append(recs, rec)
		}
		representable(recs, enc)

		var text bytes.Buffer
		w := stdcsv.NewWriter(&text)
		w.Comma, w.UseCRLF = comma, crlf
		lines := make([]int, len(recs)) // the line each record starts on
		for i, rec := range recs {
			lines[i] = strings.Count(text.String(), "\n") + 1
			w.Write(rec)
			w.Flush()
		}
		data := encodeText(text.String(), enc)
		if bom {
			data = append(append([]byte{}, utf8BOM...), data...)
		}
		opt := Options{}
		if configured {
			opt.Comma = comma
		}
		if configured || enc == ISO8859_1 || (enc == Windows1252 && detect(data, false) != Windows1252) {
			// Detection never says ISO-8859-1, and Windows-1252 text that
			// is valid UTF-8 as well reads as UTF-8.
			opt.Encoding = enc
		}
		r, err := NewReader("f.csv", bytes.NewReader(data), opt)
		if err != nil {
			if notText("f.csv", data) != nil {
				return // a header that starts like a workbook or UTF-16
			}
			t.Fatalf("NewReader(%q): %v", data, err)
		}
		if r.Comma() != comma || r.Encoding() != enc {
			t.Fatalf("%q: delimiter %q, encoding %v; want %q, %v", data, r.Comma(), r.Encoding(), comma, enc)
		}
		rows, err := readAll(t, r)
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if len(rows) != len(recs) {
			t.Fatalf("%q: %d rows, want %d", data, len(rows), len(recs))
		}
		for i, row := range rows {
			if row.Line != lines[i] || !slices.Equal(row.Values, recs[i]) {
				t.Fatalf("%q: row %d on line %d is %q, want %q on line %d", data, i, row.Line, row.Values, recs[i], lines[i])
			}
		}
	})
}

// representable replaces each character of the records that enc cannot
// write by "?".
func representable(recs [][]string, enc Encoding) {
	t := enc.table()
	if t == nil {
		return
	}
	can := map[rune]bool{}
	for _, r := range t {
		can[r] = true
	}
	for _, rec := range recs {
		for i, v := range rec {
			rec[i] = strings.Map(func(r rune) rune {
				if r < utf8.RuneSelf || can[r] {
					return r
				}
				return '?'
			}, v)
		}
	}
}

// encodeText writes UTF-8 text in enc, whose characters it holds.
func encodeText(s string, enc Encoding) []byte {
	var cm *charmap.Charmap
	switch enc {
	case Windows1252:
		cm = charmap.Windows1252
	case ISO8859_1:
		cm = charmap.ISO8859_1
	default:
		return []byte(s)
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, _ := cm.EncodeRune(r)
		out = append(out, b)
	}
	return out
}
