package geojson

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"aktionsplan/examples/synth"
	"aktionsplan/pipeline"
)

// benchAreas are the numbers of synthetic areas the benchmarks read: 500,
// enough for neighbours on every side and quick in CI; 2,000 and 50,000,
// the boundaries of the M and L workloads of bench/compare.sh. The largest
// is skipped with -short.
var benchAreas = []int{500, 2000, 50000}

// BenchmarkReadBoundaries reads a synthetic tiling of polygons of 40 to 80
// vertices, with every check (validity, overlaps).
func BenchmarkReadBoundaries(b *testing.B) {
	for _, n := range benchAreas {
		b.Run(fmt.Sprintf("areas=%d", n), func(b *testing.B) {
			if n > 2000 && testing.Short() {
				b.Skip("large file skipped with -short")
			}
			data := synthAreas(b, n)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				rep := &pipeline.Report{}
				bs, err := Reader{IDProperty: "code"}.ReadBoundaries(synth.AreasFile, bytes.NewReader(data), rep)
				if err != nil || len(bs) != n || !rep.Valid() {
					b.Fatalf("%d boundaries, %v, %v", len(bs), err, rep.Issues)
				}
			}
		})
	}
}

// synthAreas returns the boundary file of a synthetic set of n areas.
func synthAreas(b *testing.B, n int) []byte {
	b.Helper()
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: n, FundRows: 1}); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, synth.AreasFile))
	if err != nil {
		b.Fatal(err)
	}
	return data
}
