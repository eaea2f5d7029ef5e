package geojson

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// TestShapeFixed checks that the integer form of the positions writes and
// bounds them as their floats do, in both systems, for positions in range
// and beyond, with the repeated positions that hit the projection cache.
func TestShapeFixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	coord := func(scale float64) float64 {
		switch rng.IntN(4) {
		case 0:
			return (rng.Float64()*2 - 1) * scale * 1e8 // no integer form in WGS84
		case 1:
			return float64(rng.IntN(3)-1) * 1e-9 // rounds to 0 or -0
		}
		return (rng.Float64()*2 - 1) * scale
	}
	for _, crs := range []int{0, 25832} {
		sys, _ := Format{CRS: crs}.system()
		s := shape{sys: sys}
		for range 200 {
			var mp orb.MultiPolygon
			for range 1 + rng.IntN(3) {
				var p orb.Polygon
				for range 1 + rng.IntN(2) {
					r := make(orb.Ring, 3+rng.IntN(20))
					for i := range r {
						r[i] = orb.Point{coord(10), coord(50)}
						if i > 0 && rng.IntN(4) == 0 {
							r[i] = r[i-1]
						}
					}
					p = append(p, r)
				}
				mp = append(mp, p)
			}
			for range 2 { // the second time from the cache
				if err := s.set(mp); err != nil {
					continue
				}
				var want []byte
				for i, p := range s.pts {
					want = append(want, '[')
					want = pipeline.AppendDecimal(want, p[0], sys.decimals)
					want = append(want, ',')
					want = pipeline.AppendDecimal(want, p[1], sys.decimals)
					want = append(want, ']')
					if got := s.appendPoint(nil, i); string(got) != string(want) {
						t.Fatalf("EPSG:%d: position %v written as %s, want %s", crs, p, got, want)
					}
					want = want[:0]
				}
				wantBound := orb.Bound{Min: s.pts[0], Max: s.pts[0]}
				for _, p := range s.pts {
					wantBound = wantBound.Extend(p)
				}
				if got := s.bound(); got != wantBound {
					t.Fatalf("EPSG:%d: bound %v, want %v", crs, got, wantBound)
				}
				for _, p := range s.pts {
					if math.Signbit(p[0]) && p[0] == 0 || math.Signbit(p[1]) && p[1] == 0 {
						t.Fatalf("EPSG:%d: position %v has -0", crs, p)
					}
				}
			}
		}
	}
}
