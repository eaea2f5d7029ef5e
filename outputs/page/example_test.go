package page_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"aktionsplan/outputs/page"
	"aktionsplan/pipeline"
)

// The page is a pipeline.Document: the pipeline writes it after the data
// with a view of the whole release. Here a release of two areas with one
// key figure.
func Example() {
	areas := &pipeline.Dataset{Name: "aktionsraeume", Title: "Aktionsräume", Spatial: true, Columns: []pipeline.Column{
		{Name: "code", Title: "Code", Type: "string"},
		{Name: "name", Title: "Aktionsraum", Type: "string"},
		{Name: "kennzahlen_jahr", Title: "Kennzahlen-Jahr", Type: "integer"},
		{Name: "arbeitslosenquote_pct", Title: "Arbeitslosenquote (%)", Type: "number", Unit: "%"},
	}}
	square := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 0.01, y}, {x + 0.01, y + 0.01}, {x, y + 0.01}, {x, y}}}
	}
	rel := &pipeline.ReleaseInfo{
		RunID: "20261125T043000Z", Time: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC),
		About:       pipeline.About{Note: "Beispieldaten", Portal: pipeline.Portal{Title: "Aktionsplan Soziale Stadt"}},
		Datasets:    []pipeline.PublishedDataset{{Dataset: areas, Rows: 2, Files: []pipeline.ManifestFile{{Name: "aktionsraeume.csv", Bytes: 2110, Rows: 2}}}},
		AreaDataset: areas,
		Areas: []pipeline.Feature{
			{ID: "BOR", Values: []any{"BOR", "Borsigplatz", int64(2024), 18.8}, Geometry: square(7.48, 51.52)},
			{ID: "HOE", Values: []any{"HOE", "Hörde", int64(2024), 11.8}, Geometry: square(7.49, 51.48)},
		},
		Bound: orb.Bound{Min: orb.Point{7.48, 51.48}, Max: orb.Point{7.5, 51.53}},
	}
	var b bytes.Buffer
	if err := (page.Page{}).Write(&b, rel); err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range regexp.MustCompile(`(?s)<path [^>]*><title>(.*?)</title>`).FindAllStringSubmatch(b.String(), -1) {
		// Values and units are held together by a no-break space.
		fmt.Println(strings.NewReplacer("\n", " | ", "\u00a0", " ").Replace(m[1]))
	}
	// Output:
	// Borsigplatz (BOR), Kennzahlen 2024 | Arbeitslosenquote: 18,8 %
	// Hörde (HOE), Kennzahlen 2024 | Arbeitslosenquote: 11,8 %
}
