package csv

import (
	"fmt"
	"io"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

// benchRows is the number of rows the benchmark writes: enough that the
// cost per row shows, few enough for one quick iteration in CI.
const benchRows = 50000

// BenchmarkEncoder writes rows of the shape of the published fund usage:
// text, a year, amounts and a date.
func BenchmarkEncoder(b *testing.B) {
	ds := &pipeline.Dataset{Name: "mittelverwendung", Columns: []pipeline.Column{
		{Name: "projekt_nr", Type: "string"}, {Name: "code", Type: "string"}, {Name: "name", Type: "string"},
		{Name: "jahr", Type: "integer"}, {Name: "fonds", Type: "string"}, {Name: "projekttitel", Type: "string"},
		{Name: "traeger", Type: "string"}, {Name: "beschlussdatum", Type: "date"},
		{Name: "bewilligt_eur", Type: "number"}, {Name: "ausgezahlt_eur", Type: "number"}, {Name: "status", Type: "string"},
	}}
	rows := make([]pipeline.Feature, benchRows)
	for i := range rows {
		code := fmt.Sprintf("A%03d", i%1000)
		rows[i] = pipeline.Feature{ID: code, Values: []any{fmt.Sprintf("2025-%s-%d", code, i), code, "Quartier " + code,
			int64(2025), "Aktionsraumfonds", "Stadtteilfest in Quartier " + code, "Bürgerverein " + code + " e.V.",
			time.Date(2025, 3, 1+i%28, 0, 0, 0, 0, time.UTC), float64(i%4500) + 0.5, float64(i % 4500), "abgerechnet"}}
	}
	b.ReportAllocs()
	for b.Loop() {
		enc, err := Format{}.NewEncoder(io.Discard, ds)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range rows {
			if err := enc.Write(f); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchRows), "ns/row")
}
