package csv_test

import (
	"bytes"
	stdcsv "encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"aktionsplan/examples/synth"
	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources/csv"
)

// ledgerRows and ledgerAreas are the size of the medium benchmark workload:
// the fund usage ledger that the pipeline reads and casts row by row.
const ledgerRows, ledgerAreas = 100000, 2000

// BenchmarkReadCast reads a ledger of 100,000 rows and casts every row
// through the built-in fund usage schema, as the pipeline does: once as the
// synthetic workload writes it (UTF-8, commas, decimal points), once as a
// German Excel saves it as plain CSV (Windows-1252, semicolons, CRLF,
// amounts like "1.234,56").
func BenchmarkReadCast(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: ledgerAreas, FundRows: ledgerRows}); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, synth.FundUsageFile))
	if err != nil {
		b.Fatal(err)
	}
	s, err := schemas.Builtin(schemas.FundUsage)
	if err != nil {
		b.Fatal(err)
	}
	reg, err := synth.Register(ledgerAreas)
	if err != nil {
		b.Fatal(err)
	}
	refs := map[string]pipeline.KeyResolver{"aktionsraeume": reg}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"synth", data},
		{"excel-de", germanExcel(b, data)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			b.ReportAllocs()
			for b.Loop() {
				if n := readCast(b, tc.data, s, refs); n != ledgerRows {
					b.Fatalf("%d rows cast", n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*ledgerRows), "ns/row")
		})
	}
}

// readCast reads and casts data and returns the number of rows cast without
// an issue.
func readCast(b *testing.B, data []byte, s pipeline.Schema, refs map[string]pipeline.KeyResolver) int {
	r, err := csv.NewReader(synth.FundUsageFile, bytes.NewReader(data), csv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	header, err := r.Read()
	if err != nil {
		b.Fatal(err)
	}
	rep := &pipeline.Report{}
	c := s.Bind(r.Origin(), header, refs, rep)
	if c == nil {
		b.Fatalf("header: %v", rep.Issues)
	}
	n := 0
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		if _, ok := c.Cast(row, rep); ok {
			n++
		}
	}
	if len(rep.Issues) > 0 {
		b.Fatalf("%d issues, first %v", len(rep.Issues), rep.Issues[0])
	}
	return n
}

// germanExcel rewrites a ledger as a German Excel saves it as "CSV".
func germanExcel(b *testing.B, data []byte) []byte {
	cr := stdcsv.NewReader(bytes.NewReader(data))
	var buf bytes.Buffer
	w := stdcsv.NewWriter(charmap.Windows1252.NewEncoder().Writer(&buf))
	w.Comma, w.UseCRLF = ';', true
	for header := true; ; header = false {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			b.Fatal(err)
		}
		for i, cell := range rec {
			// Excel writes characters that Windows-1252 lacks ("ı") as "?".
			cell = strings.Map(func(r rune) rune {
				if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
					return '?'
				}
				return r
			}, cell)
			rec[i] = cell
			if x, err := strconv.ParseFloat(cell, 64); err == nil && !header && strings.Contains(cell, ".") {
				rec[i] = pipeline.GermanNumber(x, 2)
			}
		}
		if err := w.Write(rec); err != nil {
			b.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
