package pipeline

import (
	"fmt"
	"testing"
)

// benchFundAreas and benchFundRows are the size of the fund benchmark: a
// register larger than the processor's caches, and a ledger of twenty rows
// per area over five years, as the large workload has.
const benchFundAreas, benchFundRows = 50000, 1000000

// posOnly is a Caster that only positions issues.
type posOnly struct{ Caster }

func (posOnly) Pos(Row, string) Pos { return Pos{} }

// BenchmarkFundAdd adds the rows of a ledger to their sums, as readFund does
// once a row has been cast and checked, and indexes the sums as it does
// after the last row: the rows name the areas in turn, their years and
// funds vary.
func BenchmarkFundAdd(b *testing.B) {
	areas := make([]Area, benchFundAreas)
	for i := range areas {
		areas[i] = Area{Code: fmt.Sprintf("A%05d", i), Name: fmt.Sprintf("Quartier %05d", i), From: 2009}
	}
	reg, err := NewRegister(areas)
	if err != nil {
		b.Fatal(err)
	}
	fields := []Field{{Name: "code"}, {Name: "jahr"}, {Name: "fonds"}, {Name: "bewilligt_eur"}, {Name: "ausgezahlt_eur"}, {Name: "status"}}
	fv := newFieldValue(fields)
	funds := []any{FundArea, FundProject}
	statuses := []any{"bewilligt", "abgerechnet", "abgelehnt", "beantragt"}
	recs := make([]Record, benchFundRows)
	ids := make([]int32, benchFundRows)
	for i := range recs {
		a := i % benchFundAreas
		h := uint32(i) * 2654435761
		recs[i] = Record{areas[a].Code, int64(2021 + h%5), funds[h>>8%2], float64(h%100000) / 100, float64(h%50000) / 100, statuses[h>>12%4]}
		ids[i] = int32(a)
	}
	rules := Rules{FundPerArea: 5000, ProjectBudget: 226000}
	b.ReportAllocs()
	for b.Loop() {
		fu := newFundUsage(reg, rules.FundPerArea)
		for i, rec := range recs {
			fu.add(ids[i], fv, rec, Row{Line: i + 2}, posOnly{}, rules)
		}
		fu.index()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchFundRows), "ns/row")
}
