package geojson

import (
	"math"

	"github.com/paulmach/orb"
)

// GRS80 is the ellipsoid of ETRS89, the datum of the UTM coordinates of
// German geodata. WGS84 differs from it by 0.1 mm in the semi-minor axis.
const (
	grs80A = 6378137.0
	grs80F = 1 / 298.257222101
)

// utmScale and utmFalseEasting are the constants of every UTM zone; northern
// zones have no false northing.
const (
	utmScale        = 0.9996
	utmFalseEasting = 500000.0
)

// transverseMercator inverts a transverse Mercator projection with Krüger's
// series in the third flattening n to order n⁶ (Karney 2011, "Transverse
// Mercator with an accuracy of a few nanometers", eqs. 15–19 and 35–36).
// Within a few thousand kilometres of the central meridian the series is
// exact to well under a millimetre, so it also reads coordinates of a
// neighbouring zone. It needs no iteration and no external data.
type transverseMercator struct {
	lon0        float64 // central meridian in degrees
	scaledA     float64 // k0 times the rectifying radius A
	beta, delta [6]float64
}

// newUTM returns the inverse projection of UTM zone on GRS80.
func newUTM(zone int) transverseMercator {
	n := grs80F / (2 - grs80F)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	return transverseMercator{
		lon0:    float64(zone)*6 - 183,
		scaledA: utmScale * grs80A / (1 + n) * (1 + n2/4 + n4/64 + n6/256),
		beta: [6]float64{
			n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
			n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
			17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
			4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
			4583*n5/161280 - 108847*n6/3991680,
			20648693 * n6 / 638668800,
		},
		delta: [6]float64{
			2*n - 2*n2/3 - 2*n3 + 116*n4/45 + 26*n5/45 - 2854*n6/675,
			7*n2/3 - 8*n3/5 - 227*n4/45 + 2704*n5/315 + 2323*n6/945,
			56*n3/15 - 136*n4/35 - 1262*n5/105 + 73814*n6/2835,
			4279*n4/630 - 332*n5/35 - 399572*n6/14175,
			4174*n5/315 - 144838*n6/6237,
			601676 * n6 / 22275,
		},
	}
}

// lonLat returns the longitude and latitude in degrees of an easting and
// northing in metres.
func (t transverseMercator) lonLat(p orb.Point) orb.Point {
	xi := p[1] / t.scaledA
	eta := (p[0] - utmFalseEasting) / t.scaledA
	xi1, eta1 := xi, eta
	for j, b := range t.beta {
		k := 2 * float64(j+1)
		xi1 -= b * math.Sin(k*xi) * math.Cosh(k*eta)
		eta1 -= b * math.Cos(k*xi) * math.Sinh(k*eta)
	}
	chi := math.Asin(math.Sin(xi1) / math.Cosh(eta1)) // conformal latitude
	lat := chi
	for j, d := range t.delta {
		lat += d * math.Sin(2*float64(j+1)*chi)
	}
	lon := t.lon0 + math.Atan2(math.Sinh(eta1), math.Cos(xi1))*180/math.Pi
	return orb.Point{lon, lat * 180 / math.Pi}
}

// webMercatorLonLat inverts the spherical Mercator projection of EPSG:3857,
// which uses the WGS84 semi-major axis as the sphere's radius.
func webMercatorLonLat(p orb.Point) orb.Point {
	lon := p[0] / grs80A * 180 / math.Pi
	lat := (math.Pi/2 - 2*math.Atan(math.Exp(-p[1]/grs80A))) * 180 / math.Pi
	return orb.Point{lon, lat}
}
