package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	orbgeojson "github.com/paulmach/orb/geojson"

	"aktionsplan/pipeline"
	"aktionsplan/pipeline/geodesy"
)

func TestFileName(t *testing.T) {
	tests := []struct {
		f    Format
		want string
	}{
		{Format{}, "aktionsraeume.geojson"},
		{Format{CRS: 4326}, "aktionsraeume.geojson"},
		{Format{CRS: 25832}, "aktionsraeume_utm32.geojson"},
		{Format{CRS: 25833}, "aktionsraeume_utm33.geojson"},
		{Format{CRS: 3857}, "aktionsraeume_epsg3857.geojson"},
	}
	for _, tt := range tests {
		if got := tt.f.FileName(areas); got != tt.want {
			t.Errorf("Format{CRS: %d}.FileName = %q, want %q", tt.f.CRS, got, tt.want)
		}
	}
}

func TestUnsupportedCRS(t *testing.T) {
	if _, err := (Format{CRS: 3857}).NewEncoder(io.Discard, areas); !errors.Is(err, ErrCRS) {
		t.Errorf("error %v, want %v", err, ErrCRS)
	}
}

// TestUTM32 reads the EPSG:25832 file back: the legacy crs member, the
// layer name, the same properties as in WGS84, and positions that are the
// projected WGS84 positions to the centimetre, still counter-clockwise.
func TestUTM32(t *testing.T) {
	feats := twoAreas()
	file := encodeAs(t, Format{CRS: 25832}, areas, feats...)

	var doc struct {
		Name string `json:"name"`
		CRS  struct {
			Type       string `json:"type"`
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"crs"`
		Features []struct {
			Properties json.RawMessage `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(file, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Name != "aktionsraeume_utm32" || doc.CRS.Type != "name" || doc.CRS.Properties.Name != "urn:ogc:def:crs:EPSG::25832" {
		t.Errorf("name %q, crs %+v", doc.Name, doc.CRS)
	}
	wgs := encode(t, areas, feats...)
	for i, line := range strings.Split(string(wgs), "\n")[1:3] {
		line = strings.TrimSuffix(line, ",")
		props := line[strings.Index(line, `"properties":`)+len(`"properties":`) : len(line)-1]
		if got := string(doc.Features[i].Properties); got != props {
			t.Errorf("feature %d: properties\n%s\nin WGS84\n%s", i+1, got, props)
		}
	}

	fc, err := orbgeojson.UnmarshalFeatureCollection(file)
	if err != nil {
		t.Fatal(err)
	}
	tm := geodesy.UTM(32)
	for i, f := range fc.Features {
		var got orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			got = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			got = g
		}
		want := feats[i].Geometry.(orb.MultiPolygon)
		for p := range want {
			for r := range want[p] {
				ring := got[p][r]
				if o := ring.Orientation(); (r == 0) != (o == orb.CCW) {
					t.Errorf("feature %d, polygon %d, ring %d: orientation %v", i+1, p+1, r+1, o)
				}
				for _, pt := range ring {
					if math.Abs(pt[0]-390000) > 50000 || math.Abs(pt[1]-5700000) > 50000 {
						t.Fatalf("feature %d: %v is not in Dortmund in metres", i+1, pt)
					}
				}
				// Every written position is a projected input position.
				for _, in := range want[p][r] {
					q := tm.Project(in)
					found := false
					for _, pt := range ring {
						found = found || math.Abs(pt[0]-q[0]) <= 0.005 && math.Abs(pt[1]-q[1]) <= 0.005
					}
					if !found {
						t.Errorf("feature %d: %v projected to %v is missing in %v", i+1, in, q, ring)
					}
				}
			}
		}
	}
}

func TestUTMRounding(t *testing.T) {
	// 393506.835372, 5708058.186374 in PROJ.
	sq := orb.Polygon{{{7.4653, 51.5136}, {7.4753, 51.5136}, {7.4753, 51.5236}, {7.4653, 51.5236}, {7.4653, 51.5136}}}
	line := featureLine(t, encodeAs(t, Format{CRS: 25832}, oneColumn, pipeline.Feature{Values: []any{nil}, Geometry: sq}))
	if want := `"coordinates":[[[393506.84,5708058.19],`; !strings.Contains(line, want) {
		t.Errorf("want %s in %s", want, line)
	}
}

// TestUTM32Ogrinfo opens the EPSG:25832 file with GDAL: it must read the
// legacy crs member as ETRS89 / UTM zone 32N and see an extent in metres.
func TestUTM32Ogrinfo(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("AKTIONSPLAN_REQUIRE_TOOLS") == "1" {
			t.Fatalf("ogrinfo required: %v", err)
		}
		t.Skip("ogrinfo not installed (gdal-bin)")
	}
	path := filepath.Join(t.TempDir(), "aktionsraeume_utm32.geojson")
	if err := os.WriteFile(path, encodeAs(t, Format{CRS: 25832}, areas, twoAreas()...), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ogrinfo, "-ro", "-so", "-al", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("ogrinfo wrote to stderr:\n%s", stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"\nFeature Count: 2\n",
		"\nExtent: (393847.830000, 5704271.780000) - (397437.280000, 5710987.170000)\n",
		`PROJCRS["ETRS89 / UTM zone 32N"`,
		`ID["EPSG",25832]`,
		"\nflaeche_km2: Real (0.0)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo: no %q in\n%s", want, out)
		}
	}
}
