package xlsx

import (
	"bytes"
	stdcsv "encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"aktionsplan/examples/synth"
)

// benchFundRows is the number of fund usage rows the benchmark reads: enough
// that the cost per row shows, few enough for one quick iteration in CI.
const benchFundRows = 10000

// benchWorkbook returns a workbook with the synthetic fund usage ledger on
// its first sheet, numbers as numbers.
func benchWorkbook(b *testing.B) []byte {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: 200, FundRows: benchFundRows}); err != nil {
		b.Fatal(err)
	}
	in, err := os.Open(filepath.Join(dir, synth.FundUsageFile))
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	records, err := stdcsv.NewReader(in).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for i, rec := range records {
		row := make([]any, len(rec))
		for k, v := range rec {
			row[k] = v
			if n, err := strconv.ParseFloat(v, 64); err == nil && i > 0 && k != 0 {
				row[k] = n
			}
		}
		if err := sw.SetRow("A"+strconv.Itoa(i+1), row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReader reads a workbook of benchFundRows rows of twelve columns
// row by row.
func BenchmarkReader(b *testing.B) {
	data := benchWorkbook(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader("mittelverwendung.xlsx", bytes.NewReader(data), nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			n++
		}
		r.Close()
		if n != benchFundRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchFundRows), "ns/row")
}
