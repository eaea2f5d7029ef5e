package geojson

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// candidatePairs returns the pairs {i, j}, i < j, of areas whose bounding
// boxes intersect, sorted by j and then i. It sweeps the boxes in order of
// their west edge, so a tiling of n areas costs about n·√n box tests, not
// n²: 50,000 areas are paired in well under a second.
func candidatePairs(bounds []orb.Bound) [][2]int {
	var w westOrder
	w.sort(len(bounds), func(i int) float64 { return bounds[i].Min[0] })
	// The boxes are copied in sweep order, so that the inner loop reads
	// memory in sequence.
	sorted := make([]orb.Bound, len(bounds))
	for k := range sorted {
		sorted[k] = bounds[w.index(k)]
	}
	west := make([]float64, len(bounds))
	for k := range west {
		west[k] = w.west(k)
	}
	var keys []uint64 // j<<32 | i, to sort by j and then i
	for x, a := range sorted {
		for y := x + 1; y < len(sorted); y++ {
			if west[y] > a.Max[0] {
				break
			}
			// Most boxes in reach lie above or below a, in no order a
			// processor could predict: the test does not branch.
			b := &sorted[y]
			if b2i(b.Min[0] <= a.Max[0])&b2i(b.Max[0] >= a.Min[0])&b2i(b.Min[1] <= a.Max[1])&b2i(b.Max[1] >= a.Min[1]) != 0 {
				i, j := w.index(x), w.index(y)
				keys = append(keys, uint64(max(i, j))<<32|uint64(min(i, j)))
			}
		}
	}
	slices.Sort(keys)
	pairs := make([][2]int, len(keys))
	for k, key := range keys {
		pairs[k] = [2]int{int(key & (1<<32 - 1)), int(key >> 32)}
	}
	return pairs
}

// mayOverlapAll is mayOverlap for each pair of areas, on all processors:
// the pairs are independent, and each result has its pair's place.
func mayOverlapAll(ctx context.Context, outlines []outline, pairs [][2]int) []bool {
	may := make([]bool, len(pairs))
	inParallel(ctx, len(pairs), 256, func(next func() (int, int, bool)) {
		var o overlapTester
		for lo, hi, ok := next(); ok; lo, hi, ok = next() {
			for k := lo; k < hi; k++ {
				i, j := pairs[k][0], pairs[k][1]
				may[k] = o.mayOverlap(outlines[i], outlines[j])
			}
		}
	})
	return may
}

// inParallel runs worker on every processor (at most one per block); each
// worker calls next for the next block lo..hi of the indexes 0..n-1 until
// ok is false, which it is early once ctx is done: the caller then checks
// ctx. A worker's panic is raised again in the caller.
func inParallel(ctx context.Context, n, block int, worker func(next func() (lo, hi int, ok bool))) {
	var claimed atomic.Int64
	next := func() (int, int, bool) {
		lo := int(claimed.Add(int64(block))) - block
		return lo, min(lo+block, n), lo < n && ctx.Err() == nil
	}
	var wg sync.WaitGroup
	var g pipeline.Guard
	for range min(runtime.GOMAXPROCS(0), (n+block-1)/block) {
		wg.Go(func() {
			defer g.Recover()
			worker(next)
		})
	}
	wg.Wait()
	g.Repanic()
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
	var o overlapTester
	return o.mayOverlap(newOutline(a), newOutline(b))
}

// outline is an area's geometry prepared for the overlap test: its bound,
// and its edges in runs of up to runEdges with the box of each, so that
// the test skips a run away from where it looks instead of each of its
// edges.
type outline struct {
	mp    orb.MultiPolygon
	bound orb.Bound
	runs  []run
}

// run is the edges from to to-1 of ring ring of polygon poly, edge k going
// from the ring's point k to point k+1.
type run struct {
	box                  orb.Bound
	poly, ring, from, to int32
}

const runEdges = 8

func newOutline(mp orb.MultiPolygon) outline {
	ol, _ := appendOutline(nil, mp)
	return ol
}

// appendOutline returns the outline of mp, with its runs appended to runs,
// and runs. Its bound is the one orb.MultiPolygon.Bound computes, that of
// the outer rings, gathered from the boxes of their runs on the way: each
// point of a ring of an area (four points at least) is in a run.
func appendOutline(runs []run, mp orb.MultiPolygon) (outline, []run) {
	n := len(runs)
	bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, p := range mp {
		for k, r := range p {
			for from := 0; from+1 < len(r); from += runEdges {
				to := min(from+runEdges, len(r)-1)
				b := orb.Bound{Min: r[from], Max: r[from]}
				for _, pt := range r[from+1 : to+1] {
					b.Min = orb.Point{min(b.Min[0], pt[0]), min(b.Min[1], pt[1])}
					b.Max = orb.Point{max(b.Max[0], pt[0]), max(b.Max[1], pt[1])}
				}
				runs = append(runs, run{b, int32(i), int32(k), int32(from), int32(to)})
				if k == 0 {
					bound.Min = orb.Point{min(bound.Min[0], b.Min[0]), min(bound.Min[1], b.Min[1])}
					bound.Max = orb.Point{max(bound.Max[0], b.Max[0]), max(bound.Max[1], b.Max[1])}
				}
			}
		}
	}
	return outline{mp: mp, bound: bound, runs: runs[n:len(runs):len(runs)]}, runs
}

// contains reports whether p lies inside the area by the even-odd rule over
// all rings of each polygon (p is known not to lie on an edge near it). A
// ray from p to the east crosses no edge of a run that lies wholly above
// or below it.
func (ol *outline) contains(p orb.Point) bool {
	in, poly, ring, n := false, int32(-1), int32(-1), 0
	for _, u := range ol.runs {
		if u.box.Max[1] <= p[1] || u.box.Min[1] > p[1] {
			continue
		}
		if u.poly != poly || u.ring != ring {
			if n%2 == 1 {
				in = !in
			}
			n = 0
			if u.poly != poly {
				if in {
					return true
				}
				in, poly = false, u.poly
			}
			ring = u.ring
		}
		n += ringCrossings(ol.mp[u.poly][u.ring][u.from:u.to+1], p)
	}
	if n%2 == 1 {
		in = !in
	}
	return in
}

// overlapTester is mayOverlap with its scratch, reused for every pair of
// areas. Two edges only meet, share a piece or hold each other's vertices
// where their boxes meet, so each edge is compared with the few edges of
// the other area whose boxes meet its own, found by a sweep in order of
// their west ends, not with all of them.
type overlapTester struct {
	// own[0] holds the edges of a near b, own[1] those of b near a.
	own [2][]boxedSegment
	// pairs holds the indices of edges of a and b whose boxes meet;
	// byFirst is set when they are in order of the edge of a.
	pairs   [][2]int32
	byFirst bool
	active  [2][]int32
	cuts    []float64
	// start and near group pairs by the edges of one area.
	start, near []int32
	// west[side] holds the west ends of own[side] as sortWest rounded
	// them; found and order are the scratch of sortWest.
	west  [2][]float64
	found []boxedSegment
	order westOrder
}

type boxedSegment struct {
	segment
	box orb.Bound
}

// mayOverlap is mayOverlap for the outlines of two areas.
func (o *overlapTester) mayOverlap(a, b outline) bool {
	box, ok := intersection(a.bound, b.bound)
	if !ok {
		return false
	}
	o.own[0], o.own[1] = segmentsIn(o.own[0][:0], a, box), segmentsIn(o.own[1][:0], b, box)
	sa, sb := o.own[0], o.own[1]
	if len(sa) == 0 || len(sb) == 0 {
		// Neither boundary near the other: one may hold the other whole.
		return true
	}
	if len(sa)*len(sb) <= 1000 {
		o.allPairs() // cheaper than sorting for the few edges of neighbours
	} else {
		o.sortWest(0)
		o.sortWest(1)
		o.sweep()
	}
	for _, p := range o.pairs {
		if crosses(sa[p[0]].segment, sb[p[1]].segment) {
			return true
		}
	}
	return o.pieceInside(0, &b, box) || o.pieceInside(1, &a, box)
}

// group fills start and near with the edges of the other area paired with
// each edge of own[side]: those of edge k are near[start[k]:start[k+1]].
func (o *overlapTester) group(side int) {
	n := len(o.own[side])
	o.start = slices.Grow(o.start[:0], n+1)[:n+1]
	clear(o.start)
	for _, p := range o.pairs {
		o.start[p[side]+1]++
	}
	for k := 1; k <= n; k++ {
		o.start[k] += o.start[k-1]
	}
	o.near = slices.Grow(o.near[:0], len(o.pairs))[:len(o.pairs)]
	if side == 0 && o.byFirst {
		for k, p := range o.pairs {
			o.near[k] = p[1]
		}
		return
	}
	// Each pair goes to the next free place of its edge, start[k] moving
	// on to start[k+1]; then start is moved back by one edge.
	for _, p := range o.pairs {
		o.near[o.start[p[side]]] = p[1-side]
		o.start[p[side]]++
	}
	copy(o.start[1:], o.start[:n])
	o.start[0] = 0
}

// sortWest sorts the edges of own[side] by their west end. The sort moves
// small keys, not the edges.
func (o *overlapTester) sortWest(side int) {
	o.found = append(o.found[:0], o.own[side]...)
	o.order.sort(len(o.found), func(k int) float64 { return o.found[k].box.Min[0] })
	out, west := o.own[side][:0], o.west[side][:0]
	for k := range o.order.keys {
		out = append(out, o.found[o.order.index(k)])
		west = append(west, o.order.west(k))
	}
	o.own[side], o.west[side] = out, west
}

// allPairs fills pairs with the edges of a and b whose boxes meet, testing
// every pair. The loop does not branch on the test, which neighbours pass
// and fail in no pattern a processor could predict: each pair is written
// and kept by counting it.
func (o *overlapTester) allPairs() {
	own, other := o.own[0], o.own[1]
	pairs := slices.Grow(o.pairs[:0], len(own)*len(other))[:len(own)*len(other)]
	n := 0
	for i := range own {
		x := own[i].box
		for j := range other {
			y := &other[j].box
			pairs[n] = [2]int32{int32(i), int32(j)}
			n += b2i(y.Max[0] >= x.Min[0]) & b2i(y.Min[0] <= x.Max[0]) & b2i(y.Min[1] <= x.Max[1]) & b2i(x.Min[1] <= y.Max[1])
		}
	}
	o.pairs, o.byFirst = pairs[:n], true
}

// b2i is 1 for true and 0 for false, without a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sweep fills pairs with the edges of a and b, sorted by west end, whose
// boxes meet.
func (o *overlapTester) sweep() {
	o.pairs, o.byFirst = o.pairs[:0], false
	var next [2]int
	for next[0] < len(o.own[0]) || next[1] < len(o.own[1]) {
		side := 1
		if next[1] >= len(o.own[1]) || next[0] < len(o.own[0]) && o.west[0][next[0]] <= o.west[1][next[1]] {
			side = 0
		}
		k := next[side]
		next[side]++
		x, west, other := o.own[side][k].box, o.west[side][k], o.own[1-side]
		act := o.active[1-side][:0]
		for _, q := range o.active[1-side] {
			if y := other[q].box; y.Max[0] >= west {
				act = append(act, q)
				if y.Max[0] >= x.Min[0] && y.Min[0] <= x.Max[0] && y.Min[1] <= x.Max[1] && x.Min[1] <= y.Max[1] {
					p := [2]int32{int32(k), q}
					if side == 1 {
						p = [2]int32{q, int32(k)}
					}
					o.pairs = append(o.pairs, p)
				}
			}
		}
		o.active[1-side] = act
		o.active[side] = append(o.active[side], int32(k))
	}
	o.active[0], o.active[1] = o.active[0][:0], o.active[1][:0]
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

// segmentsIn appends to out the edges of the area whose box meets box.
// Neither test branches on its parts (see allPairs).
func segmentsIn(out []boxedSegment, ol outline, box orb.Bound) []boxedSegment {
	for _, u := range ol.runs {
		if b2i(u.box.Min[0] > box.Max[0])|b2i(u.box.Max[0] < box.Min[0])|b2i(u.box.Min[1] > box.Max[1])|b2i(u.box.Max[1] < box.Min[1]) != 0 {
			continue
		}
		r := ol.mp[u.poly][u.ring][u.from : u.to+1]
		out = slices.Grow(out, len(r)-1)
		p := r[0]
		for _, q := range r[1:] {
			b := orb.Bound{
				Min: orb.Point{min(p[0], q[0]), min(p[1], q[1])},
				Max: orb.Point{max(p[0], q[0]), max(p[1], q[1])},
			}
			if b2i(b.Min[0] <= box.Max[0])&b2i(b.Max[0] >= box.Min[0])&b2i(b.Min[1] <= box.Max[1])&b2i(b.Max[1] >= box.Min[1]) != 0 {
				out = append(out, boxedSegment{segment: segment{p, q}, box: b})
			}
			p = q
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
	if !(d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) {
		return false // t's ends are not on either side of s: most pairs
	}
	d3, d4 := turn(t[0], t[1], s[0]), turn(t[0], t[1], s[1])
	return d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0
}

// onSegment reports whether p lies on s, ends included.
func onSegment(p orb.Point, s segment) bool {
	return p[0] >= min(s[0][0], s[1][0]) && p[0] <= max(s[0][0], s[1][0]) &&
		p[1] >= min(s[0][1], s[1][1]) && p[1] <= max(s[0][1], s[1][1]) &&
		turn(s[0], s[1], p) == 0
}

// pieceInside reports whether a piece of an edge in own[side], split at
// the vertices of the other area's edges on it, lies in the interior of
// poly, the other area. It is true too when no piece of own is off the other's
// edges: then own's boundary lies on poly's, which this test cannot judge.
// Only the other's edges paired with an edge can cut it, equal a piece of
// it or hold a point of it.
func (o *overlapTester) pieceInside(side int, poly *outline, box orb.Bound) bool {
	own, other := o.own[side], o.own[1-side]
	o.group(side)
	free := 0
	for k := range own {
		s, sb := own[k].segment, &own[k].box
		if s[0] == s[1] {
			continue // no piece has a length
		}
		near := o.near[o.start[k]:o.start[k+1]]
		o.cuts = o.cuts[:0]
		shared := false
		for _, q := range near {
			t := &other[q].segment
			if t[0] == s[0] && t[1] == s[1] || t[0] == s[1] && t[1] == s[0] {
				shared = true // its ends are s's, which cut nothing
				continue
			}
			for _, v := range t {
				// onSegment(v, s) with s's box at hand, written out: the
				// test of most vertices near an edge, too long to inline.
				if v != s[0] && v != s[1] && v[0] >= sb.Min[0] && v[0] <= sb.Max[0] && v[1] >= sb.Min[1] && v[1] <= sb.Max[1] &&
					turn(s[0], s[1], v) == 0 {
					o.cuts = append(o.cuts, param(s, v))
				}
			}
		}
		if len(o.cuts) == 0 {
			// Most edges: one piece, the edge itself.
			if shared {
				continue
			}
			free++
			if midInside(s, near, other, poly, box) {
				return true
			}
			continue
		}
		slices.Sort(o.cuts)
		from := s[0]
		for c := 0; c <= len(o.cuts); c++ {
			to := s[1]
			if c < len(o.cuts) {
				to = lerp(s, o.cuts[c])
			}
			piece := segment{from, to}
			from = to
			if piece[0] == piece[1] || sharedPiece(piece, near, other) {
				continue
			}
			free++
			if midInside(piece, near, other, poly, box) {
				return true
			}
		}
	}
	return free == 0
}

// sharedPiece reports whether piece is one of the edges near, either way
// round.
func sharedPiece(piece segment, near []int32, other []boxedSegment) bool {
	for _, q := range near {
		t := &other[q].segment
		if t[0] == piece[0] && t[1] == piece[1] || t[0] == piece[1] && t[1] == piece[0] {
			return true
		}
	}
	return false
}

// midInside reports whether the midpoint of piece lies in box, on none of
// the edges near, and inside poly.
func midInside(piece segment, near []int32, other []boxedSegment, poly *outline, box orb.Bound) bool {
	m := orb.Point{(piece[0][0] + piece[1][0]) / 2, (piece[0][1] + piece[1][1]) / 2}
	if !box.Contains(m) {
		return false
	}
	for _, q := range near {
		if onSegment(m, other[q].segment) {
			return false
		}
	}
	return poly.contains(m)
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

// ringCrossings counts the edges between the points r that a ray from p to
// the east crosses.
func ringCrossings(r []orb.Point, p orb.Point) int {
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
