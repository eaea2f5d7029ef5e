package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

// fuzzParts are the parts of a workbook whose XML FuzzParts replaces: the
// worksheet, the shared strings, the workbook with its sheet list and
// date system, the relationships that find the sheets, and the styles that
// mark percentages.
var fuzzParts = []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}

// FuzzParts replaces one XML part of a real workbook (LibreOffice's fund
// usage fixture) with any bytes, so that the fuzzer works on the XML that
// excelize and the reader's own scanner parse rather than on ZIP checksums.
// The seeds are the parts of the fixtures. Reading must end with rows or a
// *pipeline.BadInput: rows in ascending order after the header, each value
// valid UTF-8, every issue positioned in the file.
func FuzzParts(f *testing.F) {
	base, err := os.ReadFile(filepath.Join("testdata", "lo_mittelverwendung.xlsx"))
	if err != nil {
		f.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xlsx"))
	files = append(files, filepath.Join("..", "..", "examples", "dortmund", "mittelverwendung.xlsx"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			continue // a truncated or encrypted fixture
		}
		for i, part := range fuzzParts {
			if fz, err := zr.Open(part); err == nil {
				content, _ := io.ReadAll(fz)
				fz.Close()
				f.Add(content, uint8(i))
			}
		}
	}
	f.Fuzz(func(t *testing.T, content []byte, part uint8) {
		data := replacePart(t, base, fuzzParts[int(part)%len(fuzzParts)], content)
		r, err := NewReader("f.xlsx", bytes.NewReader(data), fundFields, Options{})
		var bad *pipeline.BadInput
		if err != nil {
			if !errors.As(err, &bad) || bad.Issue.Pos.File != "f.xlsx" {
				t.Fatalf("err = %v, want a *pipeline.BadInput in f.xlsx", err)
			}
			return
		}
		defer r.Close()
		last := 0
		for range 5000 {
			row, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.As(err, &bad) || bad.Issue.Pos.File != "f.xlsx" {
					t.Fatalf("Read: %v", err)
				}
				return
			}
			if row.Line <= last {
				t.Fatalf("row %d after row %d", row.Line, last)
			}
			last = row.Line
			for _, v := range row.Values {
				if !utf8.ValidString(v) {
					t.Fatalf("row %d: %q is not UTF-8", row.Line, v)
				}
			}
		}
	})
}

// replacePart returns the workbook data with the content of part replaced,
// stored uncompressed.
func replacePart(t testing.TB, data []byte, part string, content []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if strings.EqualFold(f.Name, part) {
			w.Write(content)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
