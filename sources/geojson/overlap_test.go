package geojson

import (
	"testing"

	"github.com/peterstace/simplefeatures/geom"

	"aktionsplan/pipeline"
)

// TestOverlapInFileSystem shows why areas are intersected in the file's
// coordinate system: in overlap.geojson, ASC shares HOE's 1.4 km diagonal
// edge, on which HOE has a vertex more. Intersected in WGS84, where the edge
// that is straight in UTM bows by centimetres, the two would overlap by tens
// of square metres.
func TestOverlapInFileSystem(t *testing.T) {
	rep := &pipeline.Report{}
	bs := readFixture(t, "overlap.geojson", Reader{}, rep)
	hoe, asc := bs[0], bs[2]
	if hoe.Key != "HOE" || asc.Key != "ASC" {
		t.Fatalf("keys %s, %s", hoe.Key, asc.Key)
	}
	inter, err := geom.Intersection(geomMultiPolygon(hoe.Geometry), geomMultiPolygon(asc.Geometry))
	if err != nil {
		t.Fatal(err)
	}
	m2 := pipeline.AreaKM2(orbPolygons(inter)) * 1e6
	if m2 < 10 {
		t.Errorf("in WGS84 the neighbours overlap by %.1f m²; the fixture no longer shows the effect", m2)
	}
	t.Logf("intersected in WGS84, HOE and ASC would overlap by %.1f m²", m2)
	for _, i := range rep.Issues {
		if i.Severity == pipeline.Warning && i.Pos.Feature == 3 {
			t.Errorf("ASC reported: %s", i)
		}
	}
}

func TestFormatM2(t *testing.T) {
	for m2, want := range map[float64]string{
		1:          "1,0 m²",
		7.749:      "7,7 m²",
		10:         "10 m²",
		999.5:      "1.000 m²",
		40021.3:    "40.021 m²",
		19283032.4: "19.283.032 m²",
	} {
		if got := formatM2(m2); got != want {
			t.Errorf("formatM2(%v) = %q, want %q", m2, got, want)
		}
	}
}
