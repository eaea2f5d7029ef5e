package geojson

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func rect(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

func TestMayOverlap(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b orb.MultiPolygon
		want bool
	}{
		{"apart", rect(0, 0, 1, 1), rect(2, 0, 3, 1), false},
		{"shared edge", rect(0, 0, 1, 1), rect(1, 0, 2, 1), false},
		{"shared corner", rect(0, 0, 1, 1), rect(1, 1, 2, 2), false},
		{"neighbour's vertex on the edge", rect(0, 0, 1, 2),
			orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 2}, {1, 2}, {1, 1}, {1, 0}}}}, false},
		{"crossing", rect(0, 0, 2, 2), rect(1, 1, 3, 3), true},
		{"identical", rect(0, 0, 1, 1), rect(0, 0, 1, 1), true},
		{"inside", rect(0, 0, 4, 4), rect(1, 1, 2, 2), true},
		{"inside touching an edge", rect(0, 0, 4, 4), rect(0, 1, 2, 2), true},
		{"edge partly shared, then inside", rect(0, 0, 2, 2),
			orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mayOverlap(tc.a, tc.b); got != tc.want {
				t.Errorf("mayOverlap(a, b) = %v, want %v", got, tc.want)
			}
			if got := mayOverlap(tc.b, tc.a); got != tc.want {
				t.Errorf("mayOverlap(b, a) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCandidatePairsOrder(t *testing.T) {
	var bounds []orb.Bound
	for _, mp := range []orb.MultiPolygon{rect(0, 0, 1, 1), rect(5, 5, 6, 6), rect(1, 0, 2, 1), rect(0.5, 0.5, 5.5, 5.5)} {
		bounds = append(bounds, mp.Bound())
	}
	got := candidatePairs(bounds)
	want := [][2]int{{0, 2}, {0, 3}, {1, 3}, {2, 3}}
	if len(got) != len(want) {
		t.Fatalf("pairs %v, want %v", got, want)
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("pairs %v, want %v", got, want)
		}
	}
}

// TestMayOverlapSweep checks that comparing only edges whose boxes meet
// gives what comparing all edges gave, on random polygons of a small grid,
// which share many edges and vertices.
func TestMayOverlapSweep(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	ring := func(n int) orb.Ring {
		r := make(orb.Ring, 0, n+1)
		for range n {
			r = append(r, orb.Point{float64(rnd.IntN(6)), float64(rnd.IntN(6))})
		}
		return append(r, r[0])
	}
	// Mostly one ring of up to 7 points; some with more points than a
	// run holds, some with several polygons and holes.
	poly := func() orb.MultiPolygon {
		switch rnd.IntN(4) {
		case 0:
			return orb.MultiPolygon{{ring(3 + rnd.IntN(30))}}
		case 1:
			return orb.MultiPolygon{{ring(3 + rnd.IntN(12)), ring(3)}, {ring(3 + rnd.IntN(12))}}
		}
		return orb.MultiPolygon{{ring(3 + rnd.IntN(5))}}
	}
	var o overlapTester
	for range 20000 {
		a, b := poly(), poly()
		if got, want := o.mayOverlap(newOutline(a), newOutline(b)), mayOverlapAllEdges(a, b); got != want {
			t.Fatalf("mayOverlap(%v, %v) = %v, comparing all edges %v", a, b, got, want)
		}
	}
}

// mayOverlapAllEdges is mayOverlap comparing every edge of one area near
// the other with every such edge of the other.
func mayOverlapAllEdges(a, b orb.MultiPolygon) bool {
	box, ok := intersection(a.Bound(), b.Bound())
	if !ok {
		return false
	}
	edges := func(mp orb.MultiPolygon) []segment {
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
	sa, sb := edges(a), edges(b)
	if len(sa) == 0 || len(sb) == 0 {
		return true
	}
	for _, s := range sa {
		for _, t := range sb {
			if crosses(s, t) {
				return true
			}
		}
	}
	inside := func(own, other []segment, poly orb.MultiPolygon) bool {
		free := 0
		for _, s := range own {
			var cuts []float64
			for _, t := range other {
				for _, v := range t {
					if v != s[0] && v != s[1] && onSegment(v, s) {
						cuts = append(cuts, param(s, v))
					}
				}
			}
			slices.Sort(cuts)
			from := s[0]
			for k := 0; k <= len(cuts); k++ {
				to := s[1]
				if k < len(cuts) {
					to = lerp(s, cuts[k])
				}
				piece := segment{from, to}
				from = to
				if piece[0] == piece[1] || slices.ContainsFunc(other, func(t segment) bool {
					return t == piece || t[0] == piece[1] && t[1] == piece[0]
				}) {
					continue
				}
				free++
				m := orb.Point{(piece[0][0] + piece[1][0]) / 2, (piece[0][1] + piece[1][1]) / 2}
				if !box.Contains(m) || slices.ContainsFunc(other, func(t segment) bool { return onSegment(m, t) }) {
					continue
				}
				if multiPolygonContains(poly, m) {
					return true
				}
			}
		}
		return free == 0
	}
	return inside(sa, sb, b) || inside(sb, sa, a)
}

// TestCandidatePairsAll compares the sweep with testing every pair of
// boxes, on random boxes of a small grid around zero (many equal and
// touching edges, negative coordinates).
func TestCandidatePairsAll(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		bounds := make([]orb.Bound, 1+rnd.IntN(40))
		for i := range bounds {
			x, y := float64(rnd.IntN(20)-10)/4, float64(rnd.IntN(20)-10)/4
			bounds[i] = orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + float64(rnd.IntN(4))/4, y + float64(rnd.IntN(4))/4}}
		}
		var want [][2]int
		for j := range bounds {
			for i := range j {
				if bounds[i].Intersects(bounds[j]) {
					want = append(want, [2]int{i, j})
				}
			}
		}
		if got := candidatePairs(bounds); !slices.Equal(got, want) {
			t.Fatalf("candidatePairs(%v)\n got %v\nwant %v", bounds, got, want)
		}
	}
}

// multiPolygonContains reports whether p lies inside mp by the even-odd
// rule over all rings, looking at every edge.
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

// TestSweepPairs checks that the sweep finds the pairs of edges whose
// boxes meet that testing all pairs finds.
func TestSweepPairs(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	edges := func() []boxedSegment {
		var out []boxedSegment
		for range rnd.IntN(30) {
			s := segment{{float64(rnd.IntN(10) - 5), float64(rnd.IntN(10))}, {float64(rnd.IntN(10) - 5), float64(rnd.IntN(10))}}
			out = append(out, boxedSegment{segment: s, box: orb.Bound{
				Min: orb.Point{min(s[0][0], s[1][0]), min(s[0][1], s[1][1])},
				Max: orb.Point{max(s[0][0], s[1][0]), max(s[0][1], s[1][1])},
			}})
		}
		return out
	}
	var o overlapTester
	set := func() map[segment]map[segment]int {
		m := map[segment]map[segment]int{}
		for _, p := range o.pairs {
			s, u := o.own[0][p[0]].segment, o.own[1][p[1]].segment
			if m[s] == nil {
				m[s] = map[segment]int{}
			}
			m[s][u]++
		}
		return m
	}
	for range 300 {
		o.own[0], o.own[1] = edges(), edges()
		o.allPairs()
		want := set()
		o.sortWest(0)
		o.sortWest(1)
		o.sweep()
		if got := set(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("sweep pairs %v, all pairs %v", got, want)
		}
	}
}
