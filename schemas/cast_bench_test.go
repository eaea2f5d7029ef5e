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

// benchRows and benchAreas are the size of the medium benchmark workload;
// bigRows and bigAreas that of a register as large as the large one's, whose
// look-ups no longer fit the processor's caches.
const (
	benchRows, benchAreas = 100000, 2000
	bigRows, bigAreas     = 200000, 50000
)

// BenchmarkCast casts the rows of a synthetic fund usage ledger through the
// built-in schema, the rows read beforehand: 100,000 rows with the amounts
// as the workload writes them ("117.02"), the same as German text with
// grouped thousands ("1.234,56"), and 200,000 rows naming 50,000 areas.
func BenchmarkCast(b *testing.B) {
	rows, reg := ledgerRows(b, benchAreas, benchRows)
	german := make([][]string, len(rows))
	for i, rec := range rows {
		german[i] = append([]string(nil), rec...)
		for j, cell := range rec {
			if x, err := strconv.ParseFloat(cell, 64); err == nil && i > 0 && strings.Contains(cell, ".") {
				german[i][j] = pipeline.GermanNumber(x, 2)
			}
		}
	}
	bigLedger, bigReg := ledgerRows(b, bigAreas, bigRows)
	s, err := Builtin(FundUsage)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		decimal rune
		rows    [][]string
		reg     *pipeline.Register
	}{
		{"decimal-point", '.', rows, reg},
		{"decimal-comma", ',', german, reg},
		{"areas-50000", '.', bigLedger, bigReg},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			o := pipeline.Origin{File: synth.FundUsageFile, Decimal: tc.decimal}
			refs := map[string]pipeline.KeyResolver{"aktionsraeume": tc.reg}
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
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(len(tc.rows)-1)), "ns/row")
		})
	}
}

// ledgerRows returns the rows, header first, of a synthetic fund usage
// ledger of n rows over the given number of areas, and their register.
func ledgerRows(b *testing.B, areas, n int) ([][]string, *pipeline.Register) {
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: areas, FundRows: n}); err != nil {
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
	reg, err := synth.Register(areas)
	if err != nil {
		b.Fatal(err)
	}
	return rows, reg
}
