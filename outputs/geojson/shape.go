package geojson

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// shape is the published form of one feature's geometry, built in buffers
// that are reused from feature to feature: positions rounded to seven
// decimals, consecutive duplicates dropped, rings closed, exterior rings
// counter-clockwise and holes clockwise. The caller's geometry is only read.
type shape struct {
	// sys projects and rounds the positions.
	sys system
	// pts are the rounded positions, fixed the same as integers: each
	// coordinate times 10^decimals, or noFixed for one too large for that.
	// The integers are written faster than the floats, and bounded
	// cheaper.
	pts   []orb.Point
	fixed []fixed
	// rings holds the end of each ring in pts, polys the end of each polygon
	// in rings.
	rings []int
	polys []int
	// lo and hi bound fixed; lo holds noFixed once a coordinate has no
	// integer form.
	lo, hi fixed
	// cache holds recent projected positions; nil without projection.
	cache *positionCache
}

// fixed is a rounded position as integers, its coordinates times
// 10^decimals.
type fixed [2]int64

// noFixed stands for a coordinate whose integer form would reach 1e14:
// pipeline.AppendDecimal writes it from the float, and it is below every
// other.
const noFixed = math.MinInt64

// set replaces the shape by g; a nil or empty geometry leaves it empty.
func (s *shape) set(g orb.Geometry) error {
	s.pts, s.fixed, s.rings, s.polys = s.pts[:0], s.fixed[:0], s.rings[:0], s.polys[:0]
	s.lo, s.hi = fixed{math.MaxInt64, math.MaxInt64}, fixed{math.MinInt64, math.MinInt64}
	switch g := g.(type) {
	case nil:
	case orb.Polygon:
		return s.addPolygon(g)
	case orb.MultiPolygon:
		for _, p := range g {
			if err := s.addPolygon(p); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: %s", ErrGeometry, g.GeoJSONType())
	}
	return nil
}

// addPolygon adds p; a polygon without rings is left out.
func (s *shape) addPolygon(p orb.Polygon) error {
	if len(p) == 0 {
		return nil
	}
	scale := pipeline.Pow10[s.sys.decimals]
	for i, r := range p {
		start := len(s.pts)
		for _, pt := range r {
			var q orb.Point
			var f fixed
			if s.sys.project != nil {
				q, f = s.project(pt, scale)
			} else {
				q[0], f[0] = round(pt[0], scale)
				q[1], f[1] = round(pt[1], scale)
			}
			if n := len(s.pts); n > start && s.pts[n-1] == q {
				continue
			}
			s.pts = append(s.pts, q)
			s.fixed = append(s.fixed, f)
			s.lo = fixed{min(s.lo[0], f[0]), min(s.lo[1], f[1])}
			s.hi = fixed{max(s.hi[0], f[0]), max(s.hi[1], f[1])}
		}
		if len(s.pts) > start && s.pts[start] != s.pts[len(s.pts)-1] {
			s.pts = append(s.pts, s.pts[start])
			s.fixed = append(s.fixed, s.fixed[start])
		}
		ring := orb.Ring(s.pts[start:])
		if len(ring) < 4 {
			return fmt.Errorf("%w: ring %d of polygon %d has fewer than 3 distinct positions", ErrGeometry, i+1, len(s.polys)+1)
		}
		// Degenerate rings (orientation 0) are written as they are.
		if o := ring.Orientation(); (i == 0 && o == orb.CW) || (i > 0 && o == orb.CCW) {
			ring.Reverse()
			slices.Reverse(s.fixed[start:])
		}
		s.rings = append(s.rings, len(s.pts))
	}
	s.polys = append(s.polys, len(s.rings))
	return nil
}

// project returns pt projected and rounded, from the cache when it is
// there.
func (s *shape) project(pt orb.Point, scale float64) (orb.Point, fixed) {
	if s.cache == nil {
		s.cache = new(positionCache)
	}
	x, y := math.Float64bits(pt[0]), math.Float64bits(pt[1])
	e := &s.cache[((x*0x9e3779b97f4a7c15)^y)*0xbf58476d1ce4e5b9>>(64-cacheBits)]
	// An empty slot holds the key of (+0, +0), which is never looked up.
	if e.x == x && e.y == y && x|y != 0 {
		f := fixed{int64(e.f[0]), int64(e.f[1])}
		return orb.Point{float64(f[0]) / scale, float64(f[1]) / scale}, f
	}
	p := s.sys.project(pt)
	var q orb.Point
	var f fixed
	q[0], f[0] = round(p[0], scale)
	q[1], f[1] = round(p[1], scale)
	if fits32(f) {
		*e = cacheEntry{x: x, y: y, f: [2]int32{int32(f[0]), int32(f[1])}}
	}
	return q, f
}

// positionCache maps input positions, by their bits, to their projected
// and rounded form: areas that border each other share the positions of
// their common boundary and every ring repeats its first position, so about
// half of all positions come again, and a projection costs some 25 calls
// of math functions. It is direct-mapped, so a position only displaces the
// one of its slot, and bounded: 2^16 slots (1.5 MiB) reach back far enough
// to find the neighbours of the row before in a city sorted by code (in
// the benchmark workloads 49-51 % of lookups hit; 2^14 slots: 41-48 %).
// Lookups land anywhere in it, so its size costs time in cache misses: a
// slot keeps only the integer form, in 32 bits, from which the float is
// exact. Centimetres of UTM fit; positions whose integers do not are
// projected every time.
type positionCache [1 << cacheBits]cacheEntry

const cacheBits = 16

type cacheEntry struct {
	x, y uint64
	f    [2]int32
}

// fits32 tells whether f fits a cache entry.
func fits32(f fixed) bool {
	return int64(int32(f[0])) == f[0] && int64(int32(f[1])) == f[1]
}

// round rounds v to the decimals of scale, 10^decimals, and returns it
// with its integer form (or noFixed).
func round(v, scale float64) (float64, int64) {
	m := math.Round(v * scale)
	r := m / scale
	if r == 0 {
		r = 0 // no "-0"
	}
	if math.Abs(m) >= 1e14 || m != m {
		return r, noFixed
	}
	return r, int64(m)
}

// bound is the bound of the rounded positions, as orb.MultiPoint's Bound
// computes it; empty for an empty shape.
func (s *shape) bound() orb.Bound {
	if len(s.pts) == 0 {
		return emptyBound
	}
	if s.lo[0] != noFixed && s.lo[1] != noFixed {
		// Division by the scale keeps the order, so the bound of the
		// integers gives that of the floats.
		scale := pipeline.Pow10[s.sys.decimals]
		return orb.Bound{
			Min: orb.Point{float64(s.lo[0]) / scale, float64(s.lo[1]) / scale},
			Max: orb.Point{float64(s.hi[0]) / scale, float64(s.hi[1]) / scale},
		}
	}
	b := orb.Bound{Min: s.pts[0], Max: s.pts[0]}
	for _, p := range s.pts[1:] {
		b.Min[0], b.Max[0] = min(b.Min[0], p[0]), max(b.Max[0], p[0])
		b.Min[1], b.Max[1] = min(b.Min[1], p[1]), max(b.Max[1], p[1])
	}
	return b
}

// appendJSON appends the shape as a GeoJSON geometry: a Polygon when it has
// one polygon, else a MultiPolygon.
func (s *shape) appendJSON(b []byte) []byte {
	multi := len(s.polys) > 1
	if multi {
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
	} else {
		b = append(b, `{"type":"Polygon","coordinates":`...)
	}
	ring, pt := 0, 0
	for k, ringsEnd := range s.polys {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for first := ring; ring < ringsEnd; ring++ {
			if ring > first {
				b = append(b, ',')
			}
			b = append(b, '[')
			for first := pt; pt < s.rings[ring]; pt++ {
				if pt > first {
					b = append(b, ',')
				}
				b = s.appendPoint(b, pt)
			}
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	if multi {
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendPoint appends the i-th position.
func (s *shape) appendPoint(b []byte, i int) []byte {
	b = append(b, '[')
	b = s.appendCoord(b, i, 0)
	b = append(b, ',')
	b = s.appendCoord(b, i, 1)
	return append(b, ']')
}

// appendCoord appends coordinate k of the i-th position, from its integer
// form when it has one.
func (s *shape) appendCoord(b []byte, i, k int) []byte {
	if f := s.fixed[i][k]; f != noFixed {
		return pipeline.AppendFixed(b, f, s.sys.decimals)
	}
	return pipeline.AppendDecimal(b, s.pts[i][k], s.sys.decimals)
}

// appendBound appends a GeoJSON bbox, [minx,miny,maxx,maxy], of positions
// rounded to dec decimals.
func appendBound(b []byte, r orb.Bound, dec int) []byte {
	b = append(b, '[')
	b = pipeline.AppendDecimal(b, r.Min[0], dec)
	b = append(b, ',')
	b = pipeline.AppendDecimal(b, r.Min[1], dec)
	b = append(b, ',')
	b = pipeline.AppendDecimal(b, r.Max[0], dec)
	b = append(b, ',')
	b = pipeline.AppendDecimal(b, r.Max[1], dec)
	return append(b, ']')
}
