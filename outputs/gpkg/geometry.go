package gpkg

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// GeoPackage binary header (standard, section 2.1.3): magic "GP", version 0,
// flags, the SRS id and the envelope.
const (
	// flags: little endian (bit 0) and an envelope of minx, maxx, miny, maxy
	// (envelope type 1 in bits 1–3); a standard, non-empty geometry.
	flagsLittleEndianXY = 0b0000_0011
	headerSize          = 8 + 4*8
)

// ISO WKB geometry types.
const (
	wkbPolygon      = 3
	wkbMultiPolygon = 6
)

// appendGeometry appends g as a GeoPackage geometry blob and returns it with
// the bound of g: always a MultiPolygon, exterior rings counter-clockwise
// and holes clockwise as in the published GeoJSON. A nil or empty geometry is
// a nil blob (NULL).
func appendGeometry(b []byte, g orb.Geometry) ([]byte, orb.Bound, error) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case nil:
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return nil, orb.Bound{}, fmt.Errorf("%w: %s", ErrGeometry, g.GeoJSONType())
	}
	polys := 0
	for _, p := range mp {
		if len(p) > 0 {
			polys++
		}
	}
	if polys == 0 {
		return nil, orb.Bound{}, nil
	}
	le := binary.LittleEndian
	start := len(b)
	b = append(b, 'G', 'P', 0, flagsLittleEndianXY)
	b = le.AppendUint32(b, uint32(int32(srsID)))
	// The envelope is filled in below, once the positions are seen.
	b = append(b, make([]byte, 4*8)...)
	b = append(b, 1) // little endian
	b = le.AppendUint32(b, wkbMultiPolygon)
	b = le.AppendUint32(b, uint32(polys))
	inf := math.Inf(1)
	bound := orb.Bound{Min: orb.Point{inf, inf}, Max: orb.Point{-inf, -inf}}
	for i, p := range mp {
		if len(p) == 0 {
			continue
		}
		b = append(b, 1)
		b = le.AppendUint32(b, wkbPolygon)
		b = le.AppendUint32(b, uint32(len(p)))
		for k, r := range p {
			if len(r) > 0 && r[0] != r[len(r)-1] {
				// WKB rings are closed; the copy leaves the caller's alone.
				r = append(r[:len(r):len(r)], r[0])
			}
			if len(r) < 4 {
				return nil, orb.Bound{}, fmt.Errorf("%w: ring %d of polygon %d has %d positions", ErrGeometry, k+1, i+1, len(r))
			}
			b = le.AppendUint32(b, uint32(len(r)))
			// Degenerate rings (orientation 0) are written as they are.
			o := r.Orientation()
			reverse := (k == 0 && o == orb.CW) || (k > 0 && o == orb.CCW)
			for j := range r {
				pt := r[j]
				if reverse {
					pt = r[len(r)-1-j]
				}
				if k == 0 {
					// Holes lie inside the exterior ring.
					bound.Min[0], bound.Max[0] = min(bound.Min[0], pt[0]), max(bound.Max[0], pt[0])
					bound.Min[1], bound.Max[1] = min(bound.Min[1], pt[1]), max(bound.Max[1], pt[1])
				}
				b = le.AppendUint64(b, math.Float64bits(pt[0]))
				b = le.AppendUint64(b, math.Float64bits(pt[1]))
			}
		}
	}
	env := b[start+8:]
	for i, v := range [4]float64{bound.Min[0], bound.Max[0], bound.Min[1], bound.Max[1]} {
		le.PutUint64(env[8*i:], math.Float64bits(v))
	}
	return b, bound, nil
}
