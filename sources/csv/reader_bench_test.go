package csv

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"aktionsplan/examples/synth"
)

// benchFundRows is the number of fund usage rows the benchmark reads: enough
// that the cost per row shows, few enough for one quick iteration in CI.
const benchFundRows = 20000

// BenchmarkReader reads a synthetic fund usage ledger of twelve columns
// row by row, detecting encoding, delimiter and decimal separator.
func BenchmarkReader(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: 200, FundRows: benchFundRows}); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, synth.FundUsageFile))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(synth.FundUsageFile, bytes.NewReader(data), Options{})
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
		if n != benchFundRows+1 {
			b.Fatalf("%d rows", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchFundRows), "ns/row")
}
