package pipeline

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// benchAreas is the number of areas the join benchmark joins: enough that a
// cost growing faster than the areas shows, few enough for one quick
// iteration in CI.
const benchAreas = 5000

// BenchmarkJoin joins benchAreas boundaries of 60 vertices with five years
// of key figures and a year of fund sums per area, as Run does after
// reading: the rows of the areas dataset (the areas of the polygons are
// measured when they are read, as measureAreas does).
func BenchmarkJoin(b *testing.B) {
	var areas []Area
	bounds := map[string]Boundary{}
	fields := []Field{{Name: "code", Public: true}, {Name: "jahr", Public: true}, {Name: "einwohner", Public: true}, {Name: "sgb2_quote_pct", Public: true}}
	kf := &keyFigures{fields: fields, fv: newFieldValue(fields), rows: map[areaYear]int{}, latest: map[string]int{}, complete: true,
		values: newPackedRows(fields, []int{0, 1, 2, 3})}
	fu := &fundUsage{sums: map[fundKey]*fundSum{}, yearly: map[int]int64{}, overYear: map[int]Pos{}, fundArea: 5000, complete: true}
	for i := range benchAreas {
		code := fmt.Sprintf("A%04d", i)
		areas = append(areas, Area{Code: code, Name: "Quartier " + code, Betreuung: "Stadterneuerung", From: 2009})
		cx, cy := 7.3+float64(i%100)*0.003, 51.4+float64(i/100)*0.003
		r := make(orb.Ring, 61)
		for k := range 60 {
			a := 2 * math.Pi * float64(k) / 60
			r[k] = orb.Point{cx + 0.001*math.Cos(a), cy + 0.001*math.Sin(a)}
		}
		r[60] = r[0]
		bounds[code] = Boundary{Key: code, Geometry: orb.MultiPolygon{{r}}, AreaKM2: AreaKM2(orb.Polygon{r})}
		for y := 2021; y <= 2025; y++ {
			kf.rows[areaYear{code, y}] = kf.values.add(Record{code, int64(y), int64(1000 + i), 12.5})
			kf.latest[code] = y
		}
		fu.sums[fundKey{code, 2025, FundArea}] = &fundSum{Approved: 450000, Paid: 400000, Count: 3}
	}
	reg, err := NewRegister(areas)
	if err != nil {
		b.Fatal(err)
	}
	j := &Job{Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }}
	b.ReportAllocs()
	for b.Loop() {
		rep := &Report{}
		if out := j.join(reg, bounds, kf, fu, rep); len(out) != benchAreas || !rep.Valid() {
			b.Fatalf("%d rows, %v", len(out), rep.Issues)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchAreas), "ns/area")
}
