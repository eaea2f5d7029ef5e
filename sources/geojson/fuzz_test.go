package geojson

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"aktionsplan/pipeline"
	"aktionsplan/pipeline/geodesy"
)

// fuzzCRS are the coordinate systems a fuzzed file is read in when it names
// none: each supported one, an alias, and one the reader does not know.
var fuzzCRS = []string{"", "EPSG:4326", "EPSG:4258", "EPSG:25832", "EPSG:25833", "EPSG:4647", "EPSG:5650",
	"EPSG:3857", "urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:900913", "EPSG:31467"}

// FuzzReadBoundariesCRS reads any bytes as a boundary file in each of the
// configured coordinate systems, seeded with the fixtures of GIS exports.
// Whatever it reads must be a usable boundary: in WGS84 inside Germany,
// rings closed with at least four points, outer rings counterclockwise and
// holes clockwise, at most one boundary per feature. A file it cannot read
// is a *pipeline.BadInput, never another error.
func FuzzReadBoundariesCRS(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.geojson"))
	for i, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 16<<10 {
			f.Add(data, uint8(0))
			f.Add(data, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, c uint8) {
		rep := &pipeline.Report{}
		bs, err := Reader{CRS: fuzzCRS[int(c)%len(fuzzCRS)]}.ReadBoundaries(file, strings.NewReader(string(data)), rep)
		var bad *pipeline.BadInput
		if err != nil && !errors.As(err, &bad) {
			t.Fatalf("error %v", err)
		}
		feature := 0
		for _, b := range bs {
			if b.Key == "" || len(b.Geometry) == 0 || b.Pos.Feature <= feature {
				t.Fatalf("boundary %q at feature %d after feature %d", b.Key, b.Pos.Feature, feature)
			}
			feature = b.Pos.Feature
			for _, p := range b.Geometry {
				for k, r := range p {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("%s: ring %v", b.Key, r)
					}
					if want := orb.CCW; (k == 0) != (r.Orientation() == want) {
						t.Fatalf("%s: ring %d is %v", b.Key, k, r.Orientation())
					}
					for _, pt := range r {
						if !inGermany(pt) {
							t.Fatalf("%s: %v outside Germany", b.Key, pt)
						}
					}
				}
			}
		}
	})
}

// FuzzReprojection writes a small square anywhere in Germany in one of the
// supported systems, named by the crs member or by configuration, and reads
// it back: every corner must come back in WGS84 within a millimetre.
func FuzzReprojection(f *testing.F) {
	f.Add(7.465, 51.514, uint8(3), 0.01)  // Dortmund, EPSG:25832
	f.Add(14.99, 51.15, uint8(6), 0.001)  // Görlitz, EPSG:5650
	f.Add(6.0, 47.5, uint8(12), 0.5)      // the south-west corner, EPSG:3857 by configuration
	f.Add(13.4, 54.6, uint8(20), 0.00001) // Rügen, EPSG:4647 by configuration
	f.Fuzz(func(t *testing.T, lon, lat float64, sys uint8, size float64) {
		size = math.Abs(size)
		// A corner on the edge of the box may come back a nanodegree outside.
		const margin = 1e-6
		if !(size >= 1e-5 && size <= 0.5) || !inGermany(orb.Point{lon - margin, lat - margin}) || !inGermany(orb.Point{lon + size + margin, lat + size + margin}) {
			return
		}
		codes := []int{4326, 4258, 25832, 25833, 4647, 5650, 3857}
		code := codes[int(sys%16)%len(codes)]
		configured := sys >= 16
		corners := []orb.Point{{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}}
		var pts []string
		for _, c := range append(corners, corners[0]) {
			q := to(code, c)
			pts = append(pts, fmt.Sprintf("[%.17g,%.17g]", q[0], q[1]))
		}
		geom := `{"type":"Polygon","coordinates":[[` + strings.Join(pts, ",") + `]]}`
		name := fmt.Sprintf("EPSG:%d", code)
		in, rd := fcCRS(name, feat(`{"code":"A"}`, geom)), Reader{}
		if configured {
			in, rd = fc(feat(`{"code":"A"}`, geom)), Reader{CRS: name}
		}
		rep := &pipeline.Report{}
		bs, err := rd.ReadBoundaries(file, strings.NewReader(in), rep)
		if err != nil || len(bs) != 1 {
			t.Fatalf("%s: %d boundaries, %v, issues %v", in, len(bs), err, rep.Issues)
		}
		ring := bs[0].Geometry[0][0]
		if len(ring) != 5 {
			t.Fatalf("%s: ring %v", in, ring)
		}
		for _, p := range ring {
			near := false
			for _, c := range corners {
				near = near || metres(p, c) < 1e-3
			}
			if !near {
				t.Fatalf("%s: corner %v read back as no corner of %v", in, p, corners)
			}
		}
	})
}

// to writes a WGS84 point in the system code as GIS software does.
func to(code int, p orb.Point) orb.Point {
	switch code {
	case 25832, 4647:
		q := geodesy.UTM(32).Project(p)
		if code == 4647 {
			q[0] += 32e6
		}
		return q
	case 25833, 5650:
		q := geodesy.UTM(33).Project(p)
		if code == 5650 {
			q[0] += 33e6
		}
		return q
	case 3857:
		return project.WGS84.ToMercator(p)
	}
	return p
}
