package geojson

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// tiling returns the cells of an n×n grid whose corners and the points
// between them are jittered, each point shared by the cells it bounds, as a
// GIS draws neighbours, up to points between two corners. Some cells are
// then spoiled: a point moved, repeated or dropped, an extra point on an
// edge or its midpoint, a hole, a second part.
func tiling(rnd *rand.Rand, n, points int, spoil float64) []orb.MultiPolygon {
	jitter := func() float64 { return float64(rnd.IntN(9)-4) / 16 }
	corner := make([][]orb.Point, n+1)
	for i := range corner {
		corner[i] = make([]orb.Point, n+1)
		for j := range corner[i] {
			corner[i][j] = orb.Point{float64(4*i) + jitter(), float64(4*j) + jitter()}
		}
	}
	// between holds the points between two corners, keyed by the corners
	// in one order, so that both cells of an edge have the same.
	between := map[[2]orb.Point][]orb.Point{}
	edge := func(a, b orb.Point) []orb.Point {
		key, reversed := [2]orb.Point{a, b}, false
		if a[0] > b[0] || a[0] == b[0] && a[1] > b[1] {
			key, reversed = [2]orb.Point{b, a}, true
		}
		pts, ok := between[key]
		if !ok {
			m := rnd.IntN(points + 1)
			for k := range m {
				t := float64(k+1) / float64(m+1)
				pts = append(pts, orb.Point{key[0][0] + t*(key[1][0]-key[0][0]) + jitter()/2, key[0][1] + t*(key[1][1]-key[0][1]) + jitter()/2})
			}
			between[key] = pts
		}
		out := append([]orb.Point(nil), pts...)
		if reversed {
			for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
				out[l], out[r] = out[r], out[l]
			}
		}
		return out
	}
	var cells []orb.MultiPolygon
	for i := range n {
		for j := range n {
			cs := []orb.Point{corner[i][j], corner[i+1][j], corner[i+1][j+1], corner[i][j+1]}
			var r orb.Ring
			for k, c := range cs {
				r = append(r, c)
				r = append(r, edge(c, cs[(k+1)%4])...)
			}
			if rnd.Float64() < spoil {
				k := rnd.IntN(len(r))
				switch rnd.IntN(5) {
				case 0:
					r[k] = orb.Point{r[k][0] + jitter(), r[k][1] + jitter()}
				case 1:
					next := r[(k+1)%len(r)]
					r = append(r[:k+1], append(orb.Ring{{(r[k][0] + next[0]) / 2, (r[k][1] + next[1]) / 2}}, r[k+1:]...)...)
				case 2:
					if len(r) > 3 {
						r = append(r[:k], r[k+1:]...)
					}
				case 3:
					r = append(r[:k+1], r[k:]...)
				case 4:
					next := r[(k+1)%len(r)]
					r = append(r[:k+1], append(orb.Ring{{r[k][0] + (next[0]-r[k][0])/4, r[k][1] + (next[1]-r[k][1])/4}}, r[k+1:]...)...)
				}
			}
			r = append(r, r[0])
			mp := orb.MultiPolygon{{r}}
			if rnd.Float64() < spoil/4 {
				c := orb.Point{float64(4*i) + 2, float64(4*j) + 2}
				hole := orb.Ring{{c[0] - 1, c[1] - 1}, {c[0] - 1, c[1] + 1}, {c[0] + 1, c[1] + 1}, {c[0] + 1, c[1] - 1}, {c[0] - 1, c[1] - 1}}
				mp[0] = append(mp[0], hole)
				if rnd.IntN(2) == 0 {
					mp = append(mp, orb.Polygon{rect(c[0]-0.5, c[1]-0.5, c[0]+0.5, c[1]+0.5)[0][0]})
				}
			}
			cells = append(cells, mp)
		}
	}
	return cells
}

// TestMayOverlapOnTilings checks mayOverlap on neighbours as GIS software
// draws them, sharing points and edges, some of them spoiled, against
// comparing all edges; and that an outline's bound is orb's.
func TestMayOverlapOnTilings(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	var o overlapTester
	overlaps := 0
	for range 40 {
		cells := tiling(rnd, 8, []int{3, 40}[rnd.IntN(2)], rnd.Float64())
		outlines := make([]outline, len(cells))
		bounds := make([]orb.Bound, len(cells))
		var runs []run
		for i, mp := range cells {
			outlines[i], runs = appendOutline(runs, mp)
			if bounds[i] = outlines[i].bound; bounds[i] != mp.Bound() {
				t.Fatalf("bound of %v: %v, orb's %v", mp, bounds[i], mp.Bound())
			}
		}
		for _, p := range candidatePairs(bounds) {
			a, b := cells[p[0]], cells[p[1]]
			got, want := o.mayOverlap(outlines[p[0]], outlines[p[1]]), mayOverlapAllEdges(a, b)
			if got != want {
				t.Fatalf("mayOverlap(%v, %v) = %v, comparing all edges %v", a, b, got, want)
			}
			if got {
				overlaps++
			}
		}
	}
	if overlaps == 0 {
		t.Error("no pair overlaps: the spoiled cells test nothing")
	}
}
