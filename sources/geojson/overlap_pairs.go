package geojson

import (
	"sort"

	"github.com/paulmach/orb"
)

// candidatePairs returns the pairs {i, j}, i < j, of areas whose bounding
// boxes intersect, sorted by j and then i. It sweeps the boxes in order of
// their west edge, so a tiling of n areas costs about n·√n box tests, not
// n²: 50,000 areas are paired in well under a second.
func candidatePairs(areas []area) [][2]int {
	bounds := make([]orb.Bound, len(areas))
	order := make([]int, len(areas))
	for i, a := range areas {
		bounds[i] = a.src.Bound()
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool { return bounds[order[x]].Min[0] < bounds[order[y]].Min[0] })
	var pairs [][2]int
	for x, i := range order {
		for _, j := range order[x+1:] {
			if bounds[j].Min[0] > bounds[i].Max[0] {
				break
			}
			if bounds[i].Intersects(bounds[j]) {
				pairs = append(pairs, [2]int{min(i, j), max(i, j)})
			}
		}
	}
	sort.Slice(pairs, func(x, y int) bool {
		if pairs[x][1] != pairs[y][1] {
			return pairs[x][1] < pairs[y][1]
		}
		return pairs[x][0] < pairs[y][0]
	})
	return pairs
}

// mayOverlap reports whether the interiors of a and b may overlap. It is
// false only when no edge of one crosses an edge of the other and no piece
// of an edge of one, split at the other's vertices on it, lies inside the
// other: neighbours that share their edges, as a GIS draws a tiling, are
// told apart from overlapping areas this way in time linear in the edges
// near the other area, without the costly polygon intersection. Where the
// test cannot tell (one area's boundary lies wholly on the other's), it
// says true.
func mayOverlap(a, b orb.MultiPolygon) bool {
	box, ok := intersection(a.Bound(), b.Bound())
	if !ok {
		return false
	}
	sa, sb := segmentsIn(a, box), segmentsIn(b, box)
	if len(sa) == 0 || len(sb) == 0 {
		// Neither boundary near the other: one may hold the other whole.
		return true
	}
	for _, s := range sa {
		for _, t := range sb {
			if crosses(s, t) {
				return true
			}
		}
	}
	return pieceInside(sa, sb, b, box) || pieceInside(sb, sa, a, box)
}

type segment [2]orb.Point

// intersection is the common part of two boxes and whether they have one.
func intersection(a, b orb.Bound) (orb.Bound, bool) {
	if !a.Intersects(b) {
		return orb.Bound{}, false
	}
	return orb.Bound{
		Min: orb.Point{max(a.Min[0], b.Min[0]), max(a.Min[1], b.Min[1])},
		Max: orb.Point{min(a.Max[0], b.Max[0]), min(a.Max[1], b.Max[1])},
	}, true
}

// segmentsIn returns the edges of every ring of mp whose box meets box.
func segmentsIn(mp orb.MultiPolygon, box orb.Bound) []segment {
	var out []segment
	for _, p := range mp {
		for _, r := range p {
			for k := 1; k < len(r); k++ {
				s := segment{r[k-1], r[k]}
				if min(s[0][0], s[1][0]) <= box.Max[0] && max(s[0][0], s[1][0]) >= box.Min[0] &&
					min(s[0][1], s[1][1]) <= box.Max[1] && max(s[0][1], s[1][1]) >= box.Min[1] {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// turn is the sign of the turn from p to q to r: >0 left, <0 right, 0
// collinear.
func turn(p, q, r orb.Point) float64 {
	return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0])
}

// crosses reports whether s and t cross at a point inside both.
func crosses(s, t segment) bool {
	d1, d2 := turn(s[0], s[1], t[0]), turn(s[0], s[1], t[1])
	d3, d4 := turn(t[0], t[1], s[0]), turn(t[0], t[1], s[1])
	return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

// onSegment reports whether p lies on s, ends included.
func onSegment(p orb.Point, s segment) bool {
	return turn(s[0], s[1], p) == 0 &&
		p[0] >= min(s[0][0], s[1][0]) && p[0] <= max(s[0][0], s[1][0]) &&
		p[1] >= min(s[0][1], s[1][1]) && p[1] <= max(s[0][1], s[1][1])
}

// pieceInside reports whether a piece of an edge in own, split at the
// vertices of other's edges on it, lies in the interior of poly (whose edges
// near box are other). It is true too when no piece of own is off other's
// edges: then own's boundary lies on poly's, which this test cannot judge.
func pieceInside(own, other []segment, poly orb.MultiPolygon, box orb.Bound) bool {
	// A linear search of other: it holds the few edges near the other
	// area, and a map per pair of neighbours would be garbage by the
	// hundred megabytes for 50,000 areas.
	shared := func(p segment) bool {
		for _, t := range other {
			if t == p || (t[0] == p[1] && t[1] == p[0]) {
				return true
			}
		}
		return false
	}
	free := 0
	var cuts []float64
	for _, s := range own {
		cuts = cuts[:0]
		for _, t := range other {
			for _, v := range t {
				if v != s[0] && v != s[1] && onSegment(v, s) {
					cuts = append(cuts, param(s, v))
				}
			}
		}
		sort.Float64s(cuts)
		from := s[0]
		for k := 0; k <= len(cuts); k++ {
			to := s[1]
			if k < len(cuts) {
				to = lerp(s, cuts[k])
			}
			piece := segment{from, to}
			from = to
			if piece[0] == piece[1] || shared(piece) {
				continue
			}
			free++
			m := orb.Point{(piece[0][0] + piece[1][0]) / 2, (piece[0][1] + piece[1][1]) / 2}
			if !box.Contains(m) || onAny(m, other) {
				continue
			}
			if multiPolygonContains(poly, m) {
				return true
			}
		}
	}
	return free == 0
}

// param is where v lies along s, from 0 at its start to 1 at its end.
func param(s segment, v orb.Point) float64 {
	dx, dy := s[1][0]-s[0][0], s[1][1]-s[0][1]
	if abs(dx) >= abs(dy) {
		return (v[0] - s[0][0]) / dx
	}
	return (v[1] - s[0][1]) / dy
}

func lerp(s segment, t float64) orb.Point {
	return orb.Point{s[0][0] + t*(s[1][0]-s[0][0]), s[0][1] + t*(s[1][1]-s[0][1])}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func onAny(p orb.Point, segs []segment) bool {
	for _, s := range segs {
		if onSegment(p, s) {
			return true
		}
	}
	return false
}

// multiPolygonContains reports whether p lies inside mp by the even-odd
// rule over all rings (p is known not to lie on an edge near it).
func multiPolygonContains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		in := false
		for _, r := range poly {
			if ringCrossings(r, p)%2 == 1 {
				in = !in
			}
		}
		if in {
			return true
		}
	}
	return false
}

// ringCrossings counts the edges of r that a ray from p to the east crosses.
func ringCrossings(r orb.Ring, p orb.Point) int {
	n := 0
	for k := 1; k < len(r); k++ {
		a, b := r[k-1], r[k]
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])/(b[1]-a[1])*(b[0]-a[0])
			if x > p[0] {
				n++
			}
		}
	}
	return n
}
