// Package geodesy converts between geographic coordinates (longitude and
// latitude in degrees) and the map projections in which German geodata
// comes: UTM on the GRS80 ellipsoid (ETRS89, EPSG:25832 and 25833) and the
// spherical Web Mercator (EPSG:3857).
//
// The boundary reader uses the inverse projections to bring input geometry
// to WGS84; the writers of projected outputs use the forward projection.
// ETRS89 and WGS84 are treated as the same datum: they differ by well under a
// metre, less than the accuracy of the published outlines.
//
// It imports only the standard library and orb, so that any adapter can use
// it without importing another.
package geodesy

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

// TransverseMercator is a transverse Mercator projection on GRS80, computed
// with Krüger's series in the third flattening n to order n⁶ (Karney 2011,
// "Transverse Mercator with an accuracy of a few nanometers", eqs. 7–19 and
// 35–36). Within a few thousand kilometres of the central meridian the
// series is exact to well under a millimetre, so it also serves positions of
// a neighbouring zone. It needs no iteration and no external data.
type TransverseMercator struct {
	lon0    float64 // central meridian in degrees
	scaledA float64 // k0 times the rectifying radius A
	// alpha are the coefficients of the forward series, beta and delta
	// those of the inverse.
	alpha, beta, delta [6]float64
}

// UTM returns the projection of the northern UTM zone on GRS80 (ETRS89),
// e.g. 32 for EPSG:25832.
func UTM(zone int) TransverseMercator {
	n := grs80F / (2 - grs80F)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	return TransverseMercator{
		lon0:    float64(zone)*6 - 183,
		scaledA: utmScale * grs80A / (1 + n) * (1 + n2/4 + n4/64 + n6/256),
		alpha: [6]float64{
			n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
			13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
			61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
			49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
			34729*n5/80640 - 3418889*n6/1995840,
			212378941 * n6 / 319334400,
		},
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

// eccentricity of GRS80.
var ecc = math.Sqrt(grs80F * (2 - grs80F))

// Project returns the easting and northing in metres of a longitude and
// latitude in degrees. Its signature is orb's project.Projection.
//
// Krüger's series is summed as Karney does, by Clenshaw's recurrence in the
// complex variable ζ' = ξ' + iη': one sine, cosine, sinh and cosh of 2ξ' and
// 2η' instead of six of each, which would take three quarters of the time.
// The sum differs from the textbook one by nanometres at most
// (TestProjectClose), a thousandth of the centimetre the published
// coordinates are rounded to.
func (t TransverseMercator) Project(p orb.Point) orb.Point {
	lam := (p[0] - t.lon0) * math.Pi / 180
	phi := p[1] * math.Pi / 180
	// The conformal latitude, as its tangent (Karney 2011, eqs. 7–9).
	tau := math.Tan(phi)
	hypTau := math.Sqrt(1 + tau*tau)
	sigma := math.Sinh(ecc * math.Atanh(ecc*tau/hypTau))
	tau1 := tau*math.Sqrt(1+sigma*sigma) - sigma*hypTau
	// Gauss–Schreiber coordinates (eq. 10), then Krüger's series (eq. 11):
	// ζ = ζ' + Σ α_j sin(2jζ'), summed from the highest order down, b_j =
	// α_j + 2cos(2ζ')·b_(j+1) − b_(j+2), the sum being sin(2ζ')·b_1.
	sinLam, cosLam := math.Sincos(lam)
	xi1 := math.Atan2(tau1, cosLam)
	eta1 := math.Asinh(sinLam / math.Sqrt(tau1*tau1+cosLam*cosLam))
	s0, c0 := math.Sincos(2 * xi1)
	sh0, ch0 := sinhCosh(2 * eta1)
	ar, ai := 2*c0*ch0, -2*s0*sh0 // 2cos(2ζ')
	var b1r, b1i, b2r, b2i float64
	for j := len(t.alpha) - 1; j >= 0; j-- {
		b1r, b1i, b2r, b2i = ar*b1r-ai*b1i-b2r+t.alpha[j], ai*b1r+ar*b1i-b2i, b1r, b1i
	}
	sr, si := s0*ch0, c0*sh0 // sin(2ζ')
	xi := xi1 + sr*b1r - si*b1i
	eta := eta1 + sr*b1i + si*b1r
	return orb.Point{utmFalseEasting + t.scaledA*eta, t.scaledA * xi}
}

// sinhCosh returns math.Sinh(x) and math.Cosh(x), with one math.Exp for
// both where both use it; the arithmetic is theirs.
func sinhCosh(x float64) (sinh, cosh float64) {
	ax := math.Abs(x)
	if ax > 21 || ax <= 0.5 {
		return math.Sinh(x), math.Cosh(x)
	}
	ex := math.Exp(ax)
	sinh = (ex - 1/ex) * 0.5
	if x < 0 {
		sinh = -sinh
	}
	return sinh, (ex + 1/ex) * 0.5
}

// LonLat returns the longitude and latitude in degrees of an easting and
// northing in metres: the inverse of Project. Its signature is orb's
// project.Projection.
func (t TransverseMercator) LonLat(p orb.Point) orb.Point {
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

// WebMercatorLonLat inverts the spherical Mercator projection of EPSG:3857,
// which uses the WGS84 semi-major axis as the sphere's radius.
func WebMercatorLonLat(p orb.Point) orb.Point {
	lon := p[0] / grs80A * 180 / math.Pi
	lat := (math.Pi/2 - 2*math.Atan(math.Exp(-p[1]/grs80A))) * 180 / math.Pi
	return orb.Point{lon, lat}
}
