package geojson

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"aktionsplan/examples/synth"
	"aktionsplan/pipeline"
)

// benchAreas is the number of synthetic areas the benchmarks read: enough
// for neighbours on every side, few enough for one quick iteration in CI.
const benchAreas = 500

// BenchmarkReadBoundaries reads a synthetic tiling of benchAreas polygons of
// 40 to 80 vertices, with every check (validity, overlaps).
func BenchmarkReadBoundaries(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: benchAreas, FundRows: 1}); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, synth.AreasFile))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rep := &pipeline.Report{}
		bs, err := Reader{IDProperty: "code"}.ReadBoundaries(synth.AreasFile, bytes.NewReader(data), rep)
		if err != nil || len(bs) != benchAreas || !rep.Valid() {
			b.Fatalf("%d boundaries, %v, %v", len(bs), err, rep.Issues)
		}
	}
}
