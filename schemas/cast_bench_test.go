package schemas

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aktionsplan/examples/synth"
	"aktionsplan/pipeline"
)

// benchRows and benchAreas are the size of the medium benchmark workload.
const benchRows, benchAreas = 100000, 2000

// BenchmarkCast casts the rows of a synthetic fund usage ledger of 100,000
// rows through the built-in schema, the rows read beforehand: once with the
// amounts as the workload writes them ("117.02"), once as German text with
// grouped thousands ("1.234,56").
func BenchmarkCast(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: benchAreas, FundRows: benchRows}); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, synth.FundUsageFile))
	if err != nil {
		b.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	german := make([][]string, len(rows))
	for i, rec := range rows {
		german[i] = append([]string(nil), rec...)
		for j, cell := range rec {
			if x, err := strconv.ParseFloat(cell, 64); err == nil && i > 0 && strings.Contains(cell, ".") {
				german[i][j] = pipeline.GermanNumber(x, 2)
			}
		}
	}
	s, err := Builtin(FundUsage)
	if err != nil {
		b.Fatal(err)
	}
	reg, err := synth.Register(benchAreas)
	if err != nil {
		b.Fatal(err)
	}
	refs := map[string]pipeline.KeyResolver{"aktionsraeume": reg}
	for _, tc := range []struct {
		name    string
		decimal rune
		rows    [][]string
	}{
		{"decimal-point", '.', rows},
		{"decimal-comma", ',', german},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			o := pipeline.Origin{File: synth.FundUsageFile, Decimal: tc.decimal}
			for b.Loop() {
				rep := &pipeline.Report{}
				c := s.Bind(o, pipeline.Row{Line: 1, Values: tc.rows[0]}, refs, rep)
				for i, rec := range tc.rows[1:] {
					c.Cast(pipeline.Row{Line: i + 2, Values: rec}, rep)
				}
				if len(rep.Issues) > 0 {
					b.Fatalf("%d issues, first %v", len(rep.Issues), rep.Issues[0])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
		})
	}
}
