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
	}
	reg, err := NewRegister(areas)
	if err != nil {
		b.Fatal(err)
	}
	fields := []Field{{Name: "code", Public: true}, {Name: "jahr", Public: true}, {Name: "einwohner", Public: true}, {Name: "sgb2_quote_pct", Public: true}}
	kf := newKeyFigures(reg, fields)
	kf.complete = true
	fu := newFundUsage(reg, 5000)
	fu.complete = true
	for i, a := range areas {
		id, _ := kf.ids.id(a.Code)
		for y := int32(2021); y <= 2025; y++ {
			kf.rows[areaYear{id, y}] = kf.values.add(Record{a.Code, int64(y), int64(1000 + i), 12.5})
			kf.latest[id] = int(y)
		}
		fu.sums[fundKey{id, 2025, fundAreaID}] = int32(len(fu.list))
		fu.list = append(fu.list, fundSum{Approved: 450000, Paid: 400000, Count: 3})
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
