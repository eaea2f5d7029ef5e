package geojson

import (
	"fmt"
	"math"

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
	pts []orb.Point
	// rings holds the end of each ring in pts, polys the end of each polygon
	// in rings.
	rings []int
	polys []int
	// cache holds recent projected positions; nil without projection.
	cache *positionCache
}

// set replaces the shape by g; a nil or empty geometry leaves it empty.
func (s *shape) set(g orb.Geometry) error {
	s.pts, s.rings, s.polys = s.pts[:0], s.rings[:0], s.polys[:0]
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
			if s.sys.project != nil {
				q = s.project(pt, scale)
			} else {
				q = orb.Point{round(pt[0], scale), round(pt[1], scale)}
			}
			if n := len(s.pts); n > start && s.pts[n-1] == q {
				continue
			}
			s.pts = append(s.pts, q)
		}
		if len(s.pts) > start && s.pts[start] != s.pts[len(s.pts)-1] {
			s.pts = append(s.pts, s.pts[start])
		}
		ring := orb.Ring(s.pts[start:])
		if len(ring) < 4 {
			return fmt.Errorf("%w: ring %d of polygon %d has fewer than 3 distinct positions", ErrGeometry, i+1, len(s.polys)+1)
		}
		// Degenerate rings (orientation 0) are written as they are.
		if o := ring.Orientation(); (i == 0 && o == orb.CW) || (i > 0 && o == orb.CCW) {
			ring.Reverse()
		}
		s.rings = append(s.rings, len(s.pts))
	}
	s.polys = append(s.polys, len(s.rings))
	return nil
}

// project returns pt projected and rounded, from the cache when it is
// there.
func (s *shape) project(pt orb.Point, scale float64) orb.Point {
	if s.cache == nil {
		s.cache = new(positionCache)
	}
	x, y := math.Float64bits(pt[0]), math.Float64bits(pt[1])
	e := &s.cache[((x*0x9e3779b97f4a7c15)^y)*0xbf58476d1ce4e5b9>>(64-cacheBits)]
	if e.ok && e.x == x && e.y == y {
		return e.q
	}
	q := s.sys.project(pt)
	q = orb.Point{round(q[0], scale), round(q[1], scale)}
	*e = cacheEntry{x: x, y: y, q: q, ok: true}
	return q
}

// positionCache maps input positions, by their bits, to their projected
// and rounded form: areas that border each other share the positions of
// their common boundary and every ring repeats its first position, so about
// half of all positions come again, and a projection costs some 25 calls
// of math functions. It is direct-mapped, so a position only displaces the
// one of its slot, and bounded: 2^16 slots (2.5 MiB) reach back far enough
// to find the neighbours of the row before in a city sorted by code (in
// the benchmark workloads 49-51 % of lookups hit; 2^14 slots: 41-48 %).
type positionCache [1 << cacheBits]cacheEntry

const cacheBits = 16

type cacheEntry struct {
	x, y uint64
	q    orb.Point
	ok   bool
}

// round rounds v to the decimals of scale, 10^decimals.
func round(v, scale float64) float64 {
	v = math.Round(v*scale) / scale
	if v == 0 {
		return 0 // no "-0"
	}
	return v
}

// bound is the bound of the rounded positions, as orb.MultiPoint's Bound
// computes it; empty for an empty shape.
func (s *shape) bound() orb.Bound {
	if len(s.pts) == 0 {
		return emptyBound
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
				b = appendPoint(b, s.pts[pt], s.sys.decimals)
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

// appendPoint appends a position rounded to dec decimals.
func appendPoint(b []byte, p orb.Point, dec int) []byte {
	b = append(b, '[')
	b = pipeline.AppendDecimal(b, p[0], dec)
	b = append(b, ',')
	b = pipeline.AppendDecimal(b, p[1], dec)
	return append(b, ']')
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
