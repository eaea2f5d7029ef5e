package geodesy_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline/geodesy"
)

// utm32 are reference positions with their EPSG:25832 coordinates from
// PROJ 9: echo "lon lat" | cs2cs -f %.6f +proj=longlat +ellps=GRS80 +to
// +proj=utm +zone=32 +ellps=GRS80. Dortmund, Germany's corners in zone 32,
// and points far outside the zone that a neighbouring zone's data reaches.
var utm32 = []struct {
	name     string
	lon, lat float64
	e, n     float64
}{
	{"Dortmund city centre", 7.4653, 51.5136, 393506.835372, 5708058.186374},
	{"Dortmund south-west", 7.3, 51.4, 381744.109412, 5695679.177986},
	{"Dortmund north-east", 7.7, 51.6, 409962.812554, 5717351.151554},
	{"Dortmund round easting", 7.457712752, 51.521969669, 392999.999995, 5709000.000037},
	{"Dortmund east", 7.6, 51.45, 402718.017942, 5700798.108732},
	{"central meridian", 9, 50, 500000, 5538630.702744},
	{"south-west Germany", 6, 47.3, 273211.253279, 5242868.243616},
	{"west of the zone (Aachen)", 5.9, 51, 282496.247325, 5654399.656372},
	{"north of Germany", 12, 54.9, 692352.834347, 6087785.208389},
	{"zone 33 (Berlin)", 13.5, 52.5, 805392.515068, 5826175.037962},
	{"far east (Usedom)", 15, 54, 893074.496273, 6000198.161013},
	{"far west (France)", 3, 48, 52512.810213, 5333742.747851},
}

// degree is a metre on the ground in degrees of latitude, roughly.
const degree = 1 / 111_000.0

func TestProjectAgreesWithPROJ(t *testing.T) {
	tm := geodesy.UTM(32)
	worst := 0.0
	for _, tt := range utm32 {
		t.Run(tt.name, func(t *testing.T) {
			got := tm.Project(orb.Point{tt.lon, tt.lat})
			d := math.Hypot(got[0]-tt.e, got[1]-tt.n)
			if d > 0.001 {
				t.Errorf("Project(%v, %v) = %.6f, %.6f; PROJ: %.6f, %.6f (%.4f mm apart)",
					tt.lon, tt.lat, got[0], got[1], tt.e, tt.n, d*1000)
			}
			worst = max(worst, d)
		})
	}
	t.Logf("largest deviation from PROJ: %.4f mm", worst*1000)
}

func TestLonLatAgreesWithPROJ(t *testing.T) {
	tm := geodesy.UTM(32)
	for _, tt := range utm32 {
		t.Run(tt.name, func(t *testing.T) {
			got := tm.LonLat(orb.Point{tt.e, tt.n})
			dx := (got[0] - tt.lon) * math.Cos(tt.lat*math.Pi/180)
			if d := math.Hypot(dx, got[1]-tt.lat) / degree; d > 0.001 {
				t.Errorf("LonLat(%v, %v) = %.9f, %.9f; PROJ: %v, %v (%.4f mm apart)", tt.e, tt.n, got[0], got[1], tt.lon, tt.lat, d*1000)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	for _, zone := range []int{32, 33} {
		tm := geodesy.UTM(zone)
		worst := 0.0
		for lon := 5.5; lon <= 15.5; lon += 0.25 {
			for lat := 47.0; lat <= 55.5; lat += 0.25 {
				p := orb.Point{lon, lat}
				q := tm.Project(p)
				back := tm.LonLat(q)
				dx := (back[0] - lon) * math.Cos(lat*math.Pi/180)
				d := math.Hypot(dx, back[1]-lat) / degree
				if d > 0.0001 {
					t.Fatalf("zone %d: %v → %v → %v: %.5f mm apart", zone, p, q, back, d*1000)
				}
				worst = max(worst, d)
			}
		}
		t.Logf("zone %d: largest round-trip error over Germany %.6f mm", zone, worst*1000)
	}
}

func TestWebMercatorLonLat(t *testing.T) {
	// PROJ: cs2cs EPSG:3857 EPSG:4326 (Dortmund).
	got := geodesy.WebMercatorLonLat(orb.Point{831557, 6711000})
	if math.Abs(got[0]-7.470003627) > 1e-8 || math.Abs(got[1]-51.504366790) > 1e-8 {
		t.Errorf("got %v", got)
	}
}

// projectPlain is Project as Karney's equations read, one call per
// function: the reference that Project must match bit for bit.
func projectPlain(zone int, p orb.Point) orb.Point {
	lon0 := float64(zone)*6 - 183
	const f = 1 / 298.257222101
	ecc := math.Sqrt(f * (2 - f))
	n := f / (2 - f)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	alpha := [6]float64{
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	scaledA := 0.9996 * 6378137.0 / (1 + n) * (1 + n2/4 + n4/64 + n6/256)
	lam := (p[0] - lon0) * math.Pi / 180
	phi := p[1] * math.Pi / 180
	tau := math.Tan(phi)
	sigma := math.Sinh(ecc * math.Atanh(ecc*tau/math.Hypot(1, tau)))
	tau1 := tau*math.Hypot(1, sigma) - sigma*math.Hypot(1, tau)
	xi1 := math.Atan2(tau1, math.Cos(lam))
	eta1 := math.Asinh(math.Sin(lam) / math.Hypot(tau1, math.Cos(lam)))
	xi, eta := xi1, eta1
	for j, a := range alpha {
		k := 2 * float64(j+1)
		xi += a * math.Sin(k*xi1) * math.Cosh(k*eta1)
		eta += a * math.Cos(k*xi1) * math.Sinh(k*eta1)
	}
	return orb.Point{500000.0 + scaledA*eta, scaledA * xi}
}

// TestProjectClose keeps the published UTM coordinates where they were:
// Project, which sums Krüger's series by Clenshaw's recurrence, agrees with
// the textbook sums to a few nanometres, over Germany, the neighbouring
// zones and beyond. The coordinates are published in centimetres.
func TestProjectClose(t *testing.T) {
	const tolerance = 1e-8 // metres: a few steps of a float64 at 10,000 km
	worst := 0.0
	for _, zone := range []int{32, 33} {
		tm := geodesy.UTM(zone)
		for lon := -10.0; lon <= 30; lon += 0.1 {
			for lat := -80.0; lat <= 84; lat += 0.2 {
				p := orb.Point{lon, lat}
				got, want := tm.Project(p), projectPlain(zone, p)
				d := math.Max(math.Abs(got[0]-want[0]), math.Abs(got[1]-want[1]))
				if !(d <= tolerance) {
					t.Fatalf("zone %d: Project(%v) = %v, the plain formulas give %v: %g m apart", zone, p, got, want, d)
				}
				worst = max(worst, d)
			}
		}
	}
	t.Logf("largest difference: %g m", worst)
}

// BenchmarkProject projects a position of Dortmund to UTM zone 32, as the
// writer of the projected GeoJSON does for every vertex.
func BenchmarkProject(b *testing.B) {
	tm := geodesy.UTM(32)
	p := orb.Point{7.4653, 51.5136}
	var sink orb.Point
	for b.Loop() {
		sink = tm.Project(p)
		p[0] += 1e-9
	}
	_ = sink
}
