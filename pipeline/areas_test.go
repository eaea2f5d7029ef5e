package pipeline

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// ellipsoidCellKM2 integrates the area element M·N·cos φ of the WGS84
// ellipsoid over a cell of lon/lat degrees, independently of AreaKM2.
func ellipsoidCellKM2(lat1, lat2, dLon float64) float64 {
	const n = 20000
	sum := 0.0
	h := (lat2 - lat1) / n * math.Pi / 180
	for i := 0; i < n; i++ {
		phi := (lat1*math.Pi/180 + (float64(i)+0.5)*h)
		s := math.Sin(phi)
		w := 1 - wgs84E2*s*s
		m := wgs84A * (1 - wgs84E2) / math.Pow(w, 1.5)
		nn := wgs84A / math.Sqrt(w)
		sum += m * nn * math.Cos(phi) * h
	}
	return sum * dLon * math.Pi / 180 / 1e6
}

func TestAreaKM2MatchesEllipsoid(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		lon1, lat1, lon2, lat2 float64
	}{
		{"Dortmund-sized cell", 7.40, 51.50, 7.45, 51.53},
		{"one degree", 7, 51, 8, 52},
		{"equator", 0, 0, 0.1, 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Meridians and parallels bound the cell; densify the parallels
			// since great circles between the corners would cut them.
			var ring orb.Ring
			const steps = 200
			for i := 0; i <= steps; i++ {
				ring = append(ring, orb.Point{tc.lon1 + (tc.lon2-tc.lon1)*float64(i)/steps, tc.lat1})
			}
			for i := 0; i <= steps; i++ {
				ring = append(ring, orb.Point{tc.lon2 - (tc.lon2-tc.lon1)*float64(i)/steps, tc.lat2})
			}
			ring = append(ring, ring[0])
			got := AreaKM2(orb.Polygon{ring})
			want := ellipsoidCellKM2(tc.lat1, tc.lat2, tc.lon2-tc.lon1)
			if rel := math.Abs(got-want) / want; rel > 1e-4 {
				t.Fatalf("AreaKM2 = %.6f km², ellipsoid %.6f km² (rel. error %.2g)", got, want, rel)
			}
		})
	}
}

func TestAreaKM2Hole(t *testing.T) {
	outer := orb.Ring{{7, 51}, {7.1, 51}, {7.1, 51.1}, {7, 51.1}, {7, 51}}
	hole := orb.Ring{{7.02, 51.02}, {7.02, 51.08}, {7.08, 51.08}, {7.08, 51.02}, {7.02, 51.02}}
	full := AreaKM2(orb.Polygon{outer})
	holed := AreaKM2(orb.Polygon{outer, hole})
	if !(holed < full && holed > full*0.5) {
		t.Fatalf("area with hole %.3f, without %.3f", holed, full)
	}
	if got := AreaKM2(orb.MultiPolygon{{outer}, {outer}}); math.Abs(got-2*full) > 1e-9 {
		t.Fatalf("multipolygon area %.6f, want %.6f", got, 2*full)
	}
}
