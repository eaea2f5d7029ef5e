package geojson

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"aktionsplan/pipeline"
)

// checkValid checks that mp is a valid area by the OGC Simple Features rules,
// in the file's coordinate system, as the GIS that wrote it sees it. The
// polygons of a GeometryCollection may overlap or share edges, since a
// collection has no rules between its members; they are merged into one
// area. It returns the area, or false after reporting where it is invalid.
func (fr *fileReader) checkValid(mp orb.MultiPolygon, collection bool, pos pipeline.Pos) (orb.MultiPolygon, bool) {
	fail := func(at orb.Point, located bool, what string) (orb.MultiPolygon, bool) {
		value, where := "", ""
		if located {
			value, where = fr.rounded(at), " bei "+fr.computedPlace(at)
		}
		fr.rep.Errorf(pipeline.CodeGeometry, pos, value, expectValid,
			"Die Geometrie ist ungültig: %s%s; das Feature wird übersprungen", what, where)
		return nil, false
	}
	if len(mp) == 1 && len(mp[0]) == 1 && simpleRing(mp[0][0], &fr.order) {
		// A polygon without holes whose ring is simple is valid: nothing
		// else of simplefeatures' rules applies to it.
		return mp, true
	}
	polys := make([]geom.Polygon, len(mp))
	for i, p := range mp {
		for k, r := range p {
			if !geomRing(r).IsSimple() {
				at, ok := selfIntersection(r)
				return fail(at, ok, ringName(i, k, len(mp))+" schneidet oder berührt sich selbst")
			}
		}
		polys[i] = geomPolygon(p)
		if err := polys[i].Validate(); err != nil {
			at, ok := violationAt(err)
			if len(mp) > 1 {
				return fail(at, ok, partName(i, len(mp))+": "+violation(err))
			}
			return fail(at, ok, violation(err))
		}
	}
	if !collection || len(polys) == 1 {
		if err := geom.NewMultiPolygon(polys).Validate(); err != nil {
			at, ok := violationAt(err)
			return fail(at, ok, violation(err))
		}
		return mp, true
	}
	gs := make([]geom.Geometry, len(polys))
	for i, p := range polys {
		gs[i] = p.AsGeometry()
	}
	u, err := geom.UnionMany(gs)
	if err != nil {
		return fail(orb.Point{}, false, "die Polygone der GeometryCollection lassen sich nicht zu einer Fläche vereinigen")
	}
	return orbPolygons(u), true
}

// violations translates the rules of simplefeatures' validation errors. The
// library has no exported error values, so its messages are matched; the
// tests pin every rule that a boundary can break.
var violations = []struct{ rule, german string }{
	{"polygon has nested rings", "ein Loch liegt in einem anderen Loch"},
	{"polygon interior ring outside of exterior ring", "ein Loch liegt außerhalb des äußeren Rings"},
	{"polygon rings intersect at multiple points", "zwei Ringe schneiden sich oder berühren sich in mehr als einem Punkt"},
	{"polygon has disconnected interior", "die Löcher zerteilen die Fläche in getrennte Stücke"},
	{"multipolygon child polygons touch at multiple points", "zwei Teilflächen überlappen sich oder berühren sich entlang einer Linie"},
	{"contains only one distinct XY value", "ein Ring besteht nur aus einem Punkt"},
	{"polygon ring not simple", "ein Ring schneidet oder berührt sich selbst"},
}

func violation(err error) string {
	for _, v := range violations {
		if strings.Contains(err.Error(), v.rule) {
			return v.german
		}
	}
	return "sie verletzt die Regeln für Flächen (" + err.Error() + ")"
}

// violationRE finds the location in simplefeatures' validation errors,
// written as "(at or near {x y})".
var violationRE = regexp.MustCompile(`at or near \{(\S+) (\S+)\}`)

func violationAt(err error) (orb.Point, bool) {
	m := violationRE.FindStringSubmatch(err.Error())
	if m == nil {
		return orb.Point{}, false
	}
	x, errX := strconv.ParseFloat(m[1], 64)
	y, errY := strconv.ParseFloat(m[2], 64)
	return orb.Point{x, y}, errX == nil && errY == nil
}

// simpleRing reports whether the closed ring r is surely simple: no two
// edges meet but neighbours at their common vertex. It answers false where
// it cannot tell for sure (collinear or nearly touching edges, repeated
// points), and simplefeatures decides and locates. Edges are compared only
// where their boxes overlap, found by a sweep in order of their west ends:
// for a ring of n vertices about n·log n steps where simplefeatures'
// IsSimple builds an R-tree, and checkValid asked it three times per ring.
func simpleRing(r orb.Ring, w *westOrder) bool {
	m := len(r) - 1 // edges
	if m < 3 || r[0] != r[m] {
		return false
	}
	for i := range m {
		if r[i] == r[i+1] {
			return false
		}
		// At vertex i+1 the edges in and out must not run back over
		// each other: a surely non-zero turn, or a surely obtuse angle.
		a, b, c := r[i], r[i+1], r[(i+2)%m] // r[m] is r[0]
		if orientation(a, b, c) == 0 && !obtuse(a, b, c) {
			return false
		}
	}
	w.sort(m, func(i int) float64 { return min(r[i][0], r[i+1][0]) })
	for x := range w.keys {
		e := w.index(x)
		eastX := max(r[e][0], r[e+1][0])
		for y := x + 1; y < len(w.keys); y++ {
			if w.west(y) > eastX {
				break
			}
			f := w.index(y)
			i, j := min(e, f), max(e, f)
			if j == i+1 || i == 0 && j == m-1 {
				continue // neighbours, checked above
			}
			s, t := segment{r[i], r[i+1]}, segment{r[j], r[j+1]}
			if max(s[0][0], s[1][0]) < min(t[0][0], t[1][0]) || max(t[0][0], t[1][0]) < min(s[0][0], s[1][0]) ||
				max(s[0][1], s[1][1]) < min(t[0][1], t[1][1]) || max(t[0][1], t[1][1]) < min(s[0][1], s[1][1]) {
				continue
			}
			if !apart(s, t) && !apart(t, s) {
				return false
			}
		}
	}
	return true
}

// apart reports whether both ends of t lie surely on one side of the line
// through s.
func apart(s, t segment) bool {
	o1, o2 := orientation(s[0], s[1], t[0]), orientation(s[0], s[1], t[1])
	return o1 != 0 && o1 == o2
}

// orientation is the sign of the turn from a to b to c, 0 when rounding
// could have decided it. The bound is far above the error of
// floating-point arithmetic (about 3.3e-16 of the terms, Shewchuk), so a
// non-zero sign is the exact one.
func orientation(a, b, c orb.Point) int {
	l, r := (b[0]-a[0])*(c[1]-a[1]), (b[1]-a[1])*(c[0]-a[0])
	d, bound := l-r, 1e-12*(math.Abs(l)+math.Abs(r))
	switch {
	case d > bound:
		return 1
	case d < -bound:
		return -1
	}
	return 0
}

// obtuse reports whether the angle at b between a and c is surely more than
// a right angle, so that the edges b–a and b–c share only b.
func obtuse(a, b, c orb.Point) bool {
	x, y := (a[0]-b[0])*(c[0]-b[0]), (a[1]-b[1])*(c[1]-b[1])
	return x+y < -1e-12*(math.Abs(x)+math.Abs(y))
}

// selfIntersection returns a point where two edges of the ring r meet that
// are not neighbours, or where neighbouring edges run back over each other.
// It compares every pair of edges, which is fine on the error path it serves
// (simplefeatures' IsSimple says whether there is such a point, but not
// where).
func selfIntersection(r orb.Ring) (orb.Point, bool) {
	pts := make([]orb.Point, 0, len(r))
	for _, p := range r {
		if len(pts) == 0 || p != pts[len(pts)-1] {
			pts = append(pts, p)
		}
	}
	n := len(pts) - 1 // edges; pts is closed
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			neighbours := j == i+1 || (i == 0 && j == n-1)
			if at, ok := edgesMeet(pts[i], pts[i+1], pts[j], pts[j+1], neighbours); ok {
				return at, true
			}
		}
	}
	return orb.Point{}, false
}

// edgesMeet returns a point that the edges a–b and c–d have in common. For
// neighbouring edges, which share an end, only an overlap counts.
func edgesMeet(a, b, c, d orb.Point, neighbours bool) (orb.Point, bool) {
	if max(a[0], b[0]) < min(c[0], d[0]) || max(c[0], d[0]) < min(a[0], b[0]) ||
		max(a[1], b[1]) < min(c[1], d[1]) || max(c[1], d[1]) < min(a[1], b[1]) {
		return orb.Point{}, false
	}
	ab, cd, ac := sub(b, a), sub(d, c), sub(c, a)
	den := cross(ab, cd)
	if den != 0 {
		t, u := cross(ac, cd)/den, cross(ac, ab)/den
		if neighbours || t < 0 || t > 1 || u < 0 || u > 1 {
			return orb.Point{}, false
		}
		return orb.Point{a[0] + t*ab[0], a[1] + t*ab[1]}, true
	}
	if cross(ac, ab) != 0 {
		return orb.Point{}, false // parallel, not on one line
	}
	// On one line: an end of one edge inside the other, other than the end
	// that neighbours share.
	for _, p := range []struct{ pt, s, e orb.Point }{{c, a, b}, {d, a, b}, {a, c, d}, {b, c, d}} {
		if within(p.pt, p.s, p.e) && !(neighbours && (p.pt == b && p.pt == c || p.pt == a && p.pt == d)) {
			return p.pt, true
		}
	}
	return orb.Point{}, false
}

// within reports whether p, on the line through s and e, lies on the edge.
func within(p, s, e orb.Point) bool {
	return p[0] >= min(s[0], e[0]) && p[0] <= max(s[0], e[0]) && p[1] >= min(s[1], e[1]) && p[1] <= max(s[1], e[1])
}

func sub(a, b orb.Point) orb.Point { return orb.Point{a[0] - b[0], a[1] - b[1]} }
func cross(a, b orb.Point) float64 { return a[0]*b[1] - a[1]*b[0] }

// geomRing, geomPolygon, geomMultiPolygon and orbPolygons convert between orb, whose types the
// pipeline uses, and simplefeatures, which checks and intersects them.
func geomRing(r orb.Ring) geom.LineString {
	flat := make([]float64, 0, 2*len(r))
	for _, p := range r {
		flat = append(flat, p[0], p[1])
	}
	return geom.NewLineString(geom.NewSequence(flat, geom.DimXY))
}

func geomPolygon(p orb.Polygon) geom.Polygon {
	rings := make([]geom.LineString, len(p))
	for k, r := range p {
		rings[k] = geomRing(r)
	}
	return geom.NewPolygon(rings)
}

func geomMultiPolygon(mp orb.MultiPolygon) geom.Geometry {
	polys := make([]geom.Polygon, len(mp))
	for i, p := range mp {
		polys[i] = geomPolygon(p)
	}
	return geom.NewMultiPolygon(polys).AsGeometry()
}

// multiPolygon returns the polygons of g; lines and points, such as the
// shared edge of two areas in their intersection, are dropped.
func orbPolygons(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, part := range g.Dump() {
		p, ok := part.AsPolygon()
		if !ok || p.IsEmpty() {
			continue
		}
		op := make(orb.Polygon, p.NumRings())
		for k := range op {
			ring := p.ExteriorRing()
			if k > 0 {
				ring = p.InteriorRingN(k - 1)
			}
			seq := ring.Coordinates()
			op[k] = make(orb.Ring, seq.Length())
			for n := range op[k] {
				xy := seq.GetXY(n)
				op[k][n] = orb.Point{xy.X, xy.Y}
			}
		}
		out = append(out, op)
	}
	return out
}
