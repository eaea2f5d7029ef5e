package geojson

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aktionsplan/examples/synth"
	"aktionsplan/pipeline"
)

// ReadBoundaries checks the common geometries ahead, in parallel (prepare),
// and leaves the rest to geometry in file order. These tests hold the two
// paths to one result: a file read with prepare gives the same boundaries
// and the same issues (code, severity, position, value, expectation,
// message, in the same order) as read by geometry alone, and every geometry
// that prepare takes, geometry takes too, without a word and with the same
// coordinates in the file's system and in WGS84. prepare is not meant to
// take everything geometry takes: holes, several polygons, closed-on-the-fly
// rings and eastings written against the file's system are geometry's
// alone, by design.

// checkPaths reads data with rd both ways and fails where they differ. It
// returns how many features prepare took.
func checkPaths(t *testing.T, rd Reader, name string, data []byte) int {
	t.Helper()
	var withRep, withoutRep pipeline.Report
	unprepared := rd
	unprepared.unprepared = true
	without, errWithout := unprepared.ReadBoundaries(name, bytes.NewReader(data), &withoutRep)
	with, errWith := rd.ReadBoundaries(name, bytes.NewReader(data), &withRep)
	if !reflect.DeepEqual(errWith, errWithout) {
		t.Errorf("%s, CRS %q: error %v with prepare, %v without", name, rd.CRS, errWith, errWithout)
	}
	if !reflect.DeepEqual(with, without) {
		t.Errorf("%s, CRS %q: boundaries differ\nwith prepare    %v\nwithout prepare %v", name, rd.CRS, with, without)
	}
	if !reflect.DeepEqual(withRep.Issues, withoutRep.Issues) {
		t.Errorf("%s, CRS %q: issues differ\nwith prepare:\n%s\nwithout prepare:\n%s", name, rd.CRS, issueLines(withRep.Issues), issueLines(withoutRep.Issues))
	}
	return checkPrepared(t, rd, name, data)
}

func issueLines(issues []pipeline.Issue) string {
	var b strings.Builder
	for _, i := range issues {
		fmt.Fprintf(&b, "  %s %s %+v value %q expected %q: %s\n", i.Severity, i.Code, i.Pos, i.Value, i.Expected, i.Message)
	}
	return b.String()
}

// checkPrepared compares, feature by feature, what prepare takes with what
// geometry makes of it, each on a decoding of its own (geometry closes rings
// in place), and with simplefeatures, which decided validity before
// simpleRing did. It returns how many features prepare took.
func checkPrepared(t *testing.T, rd Reader, name string, data []byte) int {
	t.Helper()
	decode := func() (*fileReader, *document) {
		fr := &fileReader{Reader: rd, rep: &pipeline.Report{}, keys: map[string]int{}, ctx: context.Background()}
		fr.maxVertices, fr.maxFeatureVertices = rd.vertexLimits()
		doc, err := fr.readDocument(name, bytes.NewReader(data))
		if err != nil {
			return nil, nil
		}
		c, ok := rd.fileCRS(name, doc.crs, fr.rep)
		if !ok {
			return nil, nil
		}
		fr.crs = c
		return fr, doc
	}
	ahead, aheadDoc := decode()
	checker, checkerDoc := decode()
	if ahead == nil {
		return 0
	}
	taken := 0
	var w westOrder
	for i := range aheadDoc.features {
		if !aheadDoc.features[i].feature {
			continue
		}
		pre := ahead.prepare(&aheadDoc.features[i].geom, &w)
		if !pre.ok {
			continue
		}
		taken++
		where := fmt.Sprintf("%s, CRS %q, feature %d", name, rd.CRS, i+1)
		checker.rep, checker.notedEasting = &pipeline.Report{}, false
		src, wgs, ok := checker.geometry(&checkerDoc.features[i].geom, pipeline.Pos{File: name, Feature: i + 1})
		if !ok || len(checker.rep.Issues) > 0 {
			t.Errorf("%s: prepare takes %v; geometry ok %v with issues\n%s", where, pre.src, ok, issueLines(checker.rep.Issues))
			continue
		}
		if !reflect.DeepEqual(src, pre.src) || !reflect.DeepEqual(wgs, pre.wgs) {
			t.Errorf("%s: geometries differ\nprepare  %v\n         %v\ngeometry %v\n         %v", where, pre.src, pre.wgs, src, wgs)
		}
		for _, p := range pre.src {
			for _, r := range p {
				if !geomRing(r).IsSimple() {
					t.Errorf("%s: prepare takes ring %v, which simplefeatures finds not simple", where, r)
				}
			}
			if err := geomPolygon(p).Validate(); err != nil {
				t.Errorf("%s: prepare takes polygon %v, which simplefeatures finds invalid: %v", where, p, err)
			}
		}
	}
	return taken
}

// readers are the configurations every file is read with: none, and each
// coordinate system of fuzzCRS configured.
func readers() []Reader {
	rds := []Reader{{}}
	for _, c := range fuzzCRS[1:] {
		rds = append(rds, Reader{CRS: c})
	}
	return rds
}

// The test files, the shipped example and a synthetic tiling read alike
// with and without prepare.
func TestPrepareAsGeometryOnFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.geojson"))
	files = append(files, filepath.Join("..", "..", "examples", "dortmund", "aktionsraeume.geojson"))
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Areas: 300, FundRows: 1}); err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(dir, synth.AreasFile))
	taken := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, rd := range readers() {
			taken += checkPaths(t, rd, filepath.Base(name), data)
		}
		taken += checkPaths(t, Reader{IDProperty: "code"}, filepath.Base(name), data)
	}
	if taken == 0 {
		t.Fatal("prepare took no feature of the files")
	}
	t.Logf("prepare took %d features", taken)
}

// shape is a geometry drawn on a grid: x and y in steps, turned into
// WGS84 around Dortmund (a step is a thousandth of a degree, not exact in
// binary) or into EPSG:25832 (a step is 10 m, exact).
type shape [][][]float64 // polygons of rings of x, y pairs

func (s shape) geoJSON(utm bool) string {
	var polys []string
	for _, p := range s {
		var rings []string
		for _, r := range p {
			var pts []string
			for k := 0; k+1 < len(r); k += 2 {
				x, y := 7.4+r[k]/1000, 51.5+r[k+1]/1000
				if utm {
					x, y = 393000+10*r[k], 5709000+10*r[k+1]
				}
				pts = append(pts, fmt.Sprintf("[%v,%v]", x, y))
			}
			rings = append(rings, "["+strings.Join(pts, ",")+"]")
		}
		polys = append(polys, "["+strings.Join(rings, ",")+"]")
	}
	if len(polys) == 1 {
		return `{"type":"Polygon","coordinates":` + polys[0] + `}`
	}
	return `{"type":"MultiPolygon","coordinates":[` + strings.Join(polys, ",") + `]}`
}

// ring is a closed ring of the points given, x and y in turn.
func ring(xy ...float64) []float64 { return append(xy, xy[0], xy[1]) }

// oddShapes are geometries a GIS or a person may write, each a feature, and
// a few pairs of neighbours, each a file.
var oddShapes = []struct {
	name     string
	features []shape
}{
	{"square", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}}},
	{"triangle", []shape{{{ring(0, 0, 10, 0, 5, 10)}}}},
	{"clockwise", []shape{{{ring(0, 0, 0, 10, 10, 10, 10, 0)}}}},
	{"collinear vertices along an edge", []shape{{{ring(0, 0, 2, 0, 5, 0, 7, 0, 10, 0, 10, 10, 0, 10)}}}},
	{"bow-tie", []shape{{{ring(0, 0, 10, 10, 10, 0, 0, 10)}}}},
	{"duplicate point", []shape{{{ring(0, 0, 10, 0, 10, 0, 10, 10, 0, 10)}}}},
	{"duplicate closing point", []shape{{{append(ring(0, 0, 10, 0, 10, 10, 0, 10), 0, 0)}}}},
	{"ring through one point twice", []shape{{{ring(0, 0, 10, 0, 5, 5, 10, 10, 0, 10, 5, 5)}}}},
	{"vertex on another edge", []shape{{{ring(0, 0, 10, 0, 10, 10, 7, 10, 5, 0, 3, 10, 0, 10)}}}},
	{"edges overlapping", []shape{{{ring(0, 0, 10, 0, 10, 10, 5, 0)}}}},
	{"unclosed ring", []shape{{{{0, 0, 10, 0, 10, 10, 0, 10}}}}},
	{"unclosed triangle", []shape{{{{0, 0, 10, 0, 5, 10}}}}},
	{"unclosed two points", []shape{{{{0, 0, 10, 0}}}}},
	{"closed ring of three points", []shape{{{ring(0, 0, 10, 0)}}}},
	{"spike out", []shape{{{ring(0, 0, 10, 0, 10, 5, 15, 5, 10, 5, 10, 10, 0, 10)}}}},
	{"spike in", []shape{{{ring(0, 0, 10, 0, 10, 5, 5, 5, 10, 5, 10, 10, 0, 10)}}}},
	{"spike along an edge", []shape{{{ring(0, 0, 10, 0, 5, 0, 10, 0, 10, 10, 0, 10)}}}},
	{"zero area, collinear", []shape{{{ring(0, 0, 5, 0, 10, 0)}}}},
	{"zero area, back and forth", []shape{{{ring(0, 0, 10, 10, 0, 0, 10, 10)}}}},
	{"zero area, one point", []shape{{{ring(3, 3, 3, 3, 3, 3)}}}},
	{"nearly collinear vertex", []shape{{{ring(0, 0, 5, 1e-10, 10, 0, 10, 10, 0, 10)}}}},
	{"nearly touching edges", []shape{{{ring(0, 0, 10, 0, 10, 10, 5, 1e-9, 0, 10)}}}},
	{"tiny square", []shape{{{ring(0, 0, 1e-6, 0, 1e-6, 1e-6, 0, 1e-6)}}}},
	{"hole inside", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), ring(2, 2, 2, 4, 4, 4, 4, 2)}}}},
	{"hole outside the shell", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), ring(20, 20, 20, 24, 24, 24, 24, 20)}}}},
	{"hole touching the shell at a point", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), ring(0, 0, 2, 4, 4, 2)}}}},
	{"hole sharing an edge with the shell", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), ring(0, 0, 0, 4, 4, 4)}}}},
	{"hole crossing the shell", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), ring(5, 5, 15, 5, 15, 6, 5, 6)}}}},
	{"nested holes", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), ring(1, 1, 1, 9, 9, 9, 9, 1), ring(2, 2, 2, 4, 4, 4, 4, 2)}}}},
	{"unclosed hole", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10), {2, 2, 2, 4, 4, 4, 4, 2}}}}},
	{"multipolygon apart", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}, {ring(20, 0, 30, 0, 30, 10, 20, 10)}}}},
	{"multipolygon parts overlapping", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}, {ring(5, 5, 15, 5, 15, 15, 5, 15)}}}},
	{"multipolygon parts sharing an edge", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}, {ring(10, 0, 20, 0, 20, 10, 10, 10)}}}},
	{"multipolygon parts touching at a corner", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}, {ring(10, 10, 20, 10, 20, 20, 10, 20)}}}},
	{"neighbours overlapping", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(5, 5, 15, 5, 15, 15, 5, 15)}}}},
	{"neighbours sharing an edge", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(10, 0, 20, 0, 20, 10, 10, 10)}}}},
	{"neighbours sharing part of an edge", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(10, 5, 20, 5, 20, 15, 10, 15)}}}},
	{"neighbours touching at a corner", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(10, 10, 20, 10, 20, 20, 10, 20)}}}},
	{"neighbour's vertex on an edge", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(10, 5, 20, 0, 20, 10)}}}},
	{"neighbour inside", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(2, 2, 4, 2, 4, 4, 2, 4)}}}},
	{"same area twice", []shape{{{ring(0, 0, 10, 0, 10, 10, 0, 10)}}, {{ring(0, 0, 10, 0, 10, 10, 0, 10)}}}},
	{"outside Germany", []shape{{{ring(0, 0, 1e6, 0, 1e6, 10, 0, 10)}}}},
}

// oddFile is a collection of the features, keyed F1, F2, ... in WGS84 or, with
// its crs member, in EPSG:25832.
func oddFile(features []shape, utm bool) string {
	var fs []string
	for i, s := range features {
		fs = append(fs, feat(fmt.Sprintf(`{"code":"F%d"}`, i+1), s.geoJSON(utm)))
	}
	if utm {
		return fcCRS("EPSG:25832", fs...)
	}
	return fc(fs...)
}

// Odd and broken geometries read alike with and without prepare, in WGS84
// and in UTM, alone, in a GeometryCollection and all in one file.
func TestPrepareAsGeometryOnOddShapes(t *testing.T) {
	taken := 0
	for _, utm := range []bool{false, true} {
		var all []shape
		for _, tt := range oddShapes {
			t.Run(fmt.Sprintf("%s, utm %v", tt.name, utm), func(t *testing.T) {
				taken += checkPaths(t, Reader{}, file, []byte(oddFile(tt.features, utm)))
				var members []string
				for _, s := range tt.features {
					members = append(members, s.geoJSON(utm))
				}
				collection := `{"type":"GeometryCollection","geometries":[` + strings.Join(members, ",") + `]}`
				crs := ""
				if utm {
					crs = "EPSG:25832"
				}
				taken += checkPaths(t, Reader{CRS: crs}, file, []byte(fc(feat(`{"code":"A"}`, collection))))
			})
			all = append(all, tt.features...)
		}
		taken += checkPaths(t, Reader{}, file, []byte(oddFile(all, utm)))
	}
	if taken == 0 {
		t.Fatal("prepare took no feature")
	}
}

// Eastings written against the file's system: prepare leaves such a feature
// to geometry, which notes the first once per file.
func TestPrepareAsGeometryOnEastings(t *testing.T) {
	sq := func(x0 float64) string {
		return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%v,5709000],[%v,5709000],[%v,5710000],[%v,5709000]]]}`, x0, x0+1000, x0+1000, x0)
	}
	plain, prefixed, mixed := sq(393000), sq(32393000), `{"type":"Polygon","coordinates":[[[393000,5709000],[32394000,5709000],[394000,5710000],[393000,5709000]]]}`
	for _, crs := range []string{"EPSG:25832", "EPSG:4647"} {
		for name, in := range map[string]string{
			"plain, prefixed": fcCRS(crs, feat(`{"code":"A"}`, plain), feat(`{"code":"B"}`, sq(32395000))),
			"prefixed, plain": fcCRS(crs, feat(`{"code":"A"}`, prefixed), feat(`{"code":"B"}`, sq(395000))),
			"mixed in a ring": fcCRS(crs, feat(`{"code":"A"}`, mixed), feat(`{"code":"B"}`, sq(396000))),
			"zone 33 prefix":  fcCRS(crs, feat(`{"code":"A"}`, plain), feat(`{"code":"B"}`, sq(33395000))),
		} {
			t.Run(crs+", "+name, func(t *testing.T) { checkPaths(t, Reader{}, file, []byte(in)) })
		}
	}
}

// Random rings on a small grid, where points repeat, edges run on one line
// and touch, read alike with and without prepare; every ring prepare takes,
// simplefeatures finds simple.
func TestPrepareAsGeometryOnRandomRings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	files, features := 60, 25
	if testing.Short() {
		files = 10
	}
	taken := 0
	for range files {
		for _, utm := range []bool{false, true} {
			var shapes []shape
			for range features {
				n := 3 + rng.IntN(7)
				var xy []float64
				for range n {
					xy = append(xy, float64(rng.IntN(6)), float64(rng.IntN(6)))
				}
				r := ring(xy...)
				if rng.IntN(8) == 0 {
					r = xy // unclosed
				}
				shapes = append(shapes, shape{{r}})
			}
			taken += checkPaths(t, Reader{}, file, []byte(oddFile(shapes, utm)))
		}
	}
	if taken == 0 {
		t.Fatal("prepare took no random ring")
	}
	t.Logf("prepare took %d random rings", taken)
}
