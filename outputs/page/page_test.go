package page_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"aktionsplan/outputs/page"
	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture is testdata/release.json: the ReleaseInfo of the shipped example
// as the pipeline handed it to the documents, with the areas' geometry as
// GeoJSON. The metadata documents before the page (names, sizes, hashes)
// are made up, so that the page does not change with their writers.
type fixture struct {
	pipeline.ReleaseInfo
	Areas []struct {
		ID       string
		Values   []any
		Geometry *geojson.Geometry
	}
}

// loadRelease reads the fixture and gives every value the Go type of its
// column, as the pipeline does.
func loadRelease(t testing.TB) *pipeline.ReleaseInfo {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "release.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	rel := f.ReleaseInfo
	for _, ds := range rel.Datasets {
		if ds.Name == "aktionsraeume" {
			rel.AreaDataset = ds.Dataset
		}
	}
	if rel.AreaDataset == nil {
		t.Fatal("fixture without areas dataset")
	}
	for _, a := range f.Areas {
		ft := pipeline.Feature{ID: a.ID, Geometry: a.Geometry.Geometry()}
		for i, v := range a.Values {
			if n, ok := v.(float64); ok && rel.AreaDataset.Columns[i].Type == "integer" {
				v = int64(n)
			}
			ft.Values = append(ft.Values, v)
		}
		rel.Areas = append(rel.Areas, ft)
	}
	rel.Bound = rel.Areas[0].Geometry.Bound()
	for _, a := range rel.Areas {
		rel.Bound = rel.Bound.Union(a.Geometry.Bound())
	}
	return &rel
}

// setValue sets the value of the named column of the area with the code.
func setValue(t testing.TB, rel *pipeline.ReleaseInfo, code, column string, v any) {
	t.Helper()
	for i, c := range rel.AreaDataset.Columns {
		if c.Name != column {
			continue
		}
		for _, a := range rel.Areas {
			if a.ID == code {
				a.Values[i] = v
				return
			}
		}
	}
	t.Fatalf("no %s of %s", column, code)
}

func write(t testing.TB, p page.Page, rel *pipeline.ReleaseInfo) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := p.Write(&b, rel); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run go test ./outputs/page -update after an intended change)", name, path)
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*pipeline.ReleaseInfo)
	}{
		{"example.html", func(*pipeline.ReleaseInfo) {}},
		{"over_budget.html", func(rel *pipeline.ReleaseInfo) {
			// NOM approved more than its fund; BOD has no key figures
			// and no fund year.
			setValue(t, rel, "NOM", "fonds_bewilligt_eur", 5450.0)
			setValue(t, rel, "NOM", "fonds_rest_eur", -450.0)
			setValue(t, rel, "NOM", "fonds_ueberschritten", true)
			setValue(t, rel, "BOD", "arbeitslosenquote_pct", nil)
			setValue(t, rel, "BOD", "fonds_jahr", nil)
			rel.About.Note = ""
			rel.About.Portal.BaseURL = ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rel := loadRelease(t)
			tc.change(rel)
			got := write(t, page.Page{}, rel)
			golden(t, tc.name, got)
			if again := write(t, page.Page{}, rel); !bytes.Equal(got, again) {
				t.Error("two writes of the same release differ")
			}
		})
	}
}

// manyAreas is a release with n square areas in a grid over Dortmund.
func manyAreas(t testing.TB, n int) *pipeline.ReleaseInfo {
	rel := loadRelease(t)
	proto := rel.Areas[0]
	rel.Areas = nil
	side := 1
	for side*side < n {
		side++
	}
	const d = 0.002
	for i := range n {
		x, y := 7.3+float64(i%side)*d, 51.45+float64(i/side)*d
		ring := orb.Ring{{x, y}, {x + d, y}, {x + d*0.5, y + d*0.3}, {x + d, y + d}, {x, y + d}, {x, y}}
		values := append([]any(nil), proto.Values...)
		code := fmt.Sprintf("A%05d", i)
		values[0], values[1] = code, "Gebiet "+code
		values[5] = int64(1000 + i)
		rel.Areas = append(rel.Areas, pipeline.Feature{ID: code, Values: values, Geometry: orb.MultiPolygon{{ring}}})
	}
	rel.Bound = orb.Bound{Min: orb.Point{7.3, 51.45}, Max: orb.Point{7.3 + float64(side+1)*d, 51.45 + float64(side+1)*d}}
	return rel
}

func TestManyAreasStayBounded(t *testing.T) {
	for _, tc := range []struct {
		areas   int
		mapped  bool
		maxSize int
	}{
		{2000, true, 4 << 20},
		{50000, false, 256 << 10},
	} {
		t.Run(fmt.Sprint(tc.areas), func(t *testing.T) {
			rel := manyAreas(t, tc.areas)
			start := time.Now()
			got := write(t, page.Page{}, rel)
			t.Logf("%d areas: %d bytes in %v", tc.areas, len(got), time.Since(start))
			if len(got) > tc.maxSize {
				t.Errorf("page of %d areas has %d bytes, want at most %d", tc.areas, len(got), tc.maxSize)
			}
			if mapped := bytes.Contains(got, []byte(`<svg class="map`)); mapped != tc.mapped {
				t.Errorf("map drawn: %v, want %v", mapped, tc.mapped)
			}
			if n := bytes.Count(got, []byte(`tabindex="0"`)); n > 0 {
				t.Errorf("%d tab stops in a dense map", n)
			}
			if bytes.Contains(got, []byte(`<svg class="chart"`)) {
				t.Error("a bar chart of more areas than labels")
			}
			if tc.mapped && !bytes.Contains(got, []byte("Das Diagramm wird ab 151 Aktionsräumen nicht gezeigt")) {
				t.Error("page does not say why the chart is missing")
			}
			if !tc.mapped && !bytes.Contains(got, []byte("ab 2.001 Aktionsräumen nicht gezeigt")) {
				t.Error("page does not say why the map is missing")
			}
		})
	}
}

func BenchmarkWrite2000(b *testing.B) {
	rel := manyAreas(b, 2000)
	for b.Loop() {
		write(b, page.Page{}, rel)
	}
}
