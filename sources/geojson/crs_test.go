package geojson

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// metres is the distance between two nearby WGS84 positions on a sphere of
// the mean radius; for distances of centimetres that is exact to well under
// a hundredth of a millimetre.
func metres(a, b orb.Point) float64 {
	const perDegree = 6371008.8 * math.Pi / 180
	dx := (a[0] - b[0]) * perDegree * math.Cos(a[1]*math.Pi/180)
	dy := (a[1] - b[1]) * perDegree
	return math.Hypot(dx, dy)
}

// TestToWGS84 compares the transformation with PROJ 9.1.1. The references
// were computed, for each CRS and position, with
//
//	echo "X Y" | cs2cs -f %.9f EPSG:<code> EPSG:4326
//
// which prints latitude before longitude; the table holds longitude first.
// For EPSG:4258 the input was "LAT LON", as cs2cs expects it. Nine decimals
// of a degree are 0.1 mm.
func TestToWGS84(t *testing.T) {
	tests := []struct {
		crs     string
		x, y    float64
		lon, la float64
	}{
		// Dortmund, then Freiburg, Kiel, Munich (zone 33's side), Aachen.
		{"EPSG:25832", 381000, 5697000, 7.288864958, 51.411715748},
		{"EPSG:25832", 393000, 5709000, 7.457712752, 51.521969669},
		{"EPSG:25832", 395123.456, 5712345.678, 7.487311666, 51.552440728},
		{"EPSG:25832", 405000, 5715000, 7.629002478, 51.578050214},
		{"EPSG:25832", 409500, 5719500, 7.692764784, 51.619242286},
		{"EPSG:25832", 414000, 5316000, 7.847296493, 47.991515014},
		{"EPSG:25832", 574000, 6020000, 10.137752634, 54.322491042},
		{"EPSG:25832", 691000, 5335000, 11.567501229, 48.139558350},
		{"EPSG:25832", 294000, 5627000, 6.079160423, 50.758158709},
		// Dortmund, 7.5° west of zone 33's meridian; then Berlin, Dresden,
		// Rostock, Görlitz.
		{"EPSG:25833", -25000, 5710000, 7.464977677, 51.298223429},
		{"EPSG:25833", -15000, 5702000, 7.618711187, 51.236000942},
		{"EPSG:25833", -5000, 5715000, 7.742435807, 51.360884367},
		{"EPSG:25833", -20000, 5699000, 7.552036469, 51.204727110},
		{"EPSG:25833", -10000, 5720000, 7.664042795, 51.401017929},
		{"EPSG:25833", 391000, 5820000, 13.393543518, 52.519196232},
		{"EPSG:25833", 411000, 5657000, 13.730049092, 51.057622806},
		{"EPSG:25833", 312000, 6000000, 12.123718299, 54.113730643},
		{"EPSG:25833", 498000, 5670000, 14.971385897, 51.181418369},
		{"EPSG:4647", 32381000, 5697000, 7.288864958, 51.411715748},
		{"EPSG:4647", 32393000, 5709000, 7.457712752, 51.521969669},
		{"EPSG:4647", 32395123.456, 5712345.678, 7.487311666, 51.552440728},
		{"EPSG:4647", 32405000, 5715000, 7.629002478, 51.578050214},
		{"EPSG:4647", 32409500, 5719500, 7.692764784, 51.619242286},
		{"EPSG:4647", 32574000, 6020000, 10.137752634, 54.322491042},
		{"EPSG:5650", 33391000, 5820000, 13.393543518, 52.519196232},
		{"EPSG:5650", 33411000, 5657000, 13.730049092, 51.057622806},
		{"EPSG:5650", 33312000, 6000000, 12.123718299, 54.113730643},
		{"EPSG:5650", 33498000, 5670000, 14.971385897, 51.181418369},
		// Dortmund in zone 33: the prefix of its easting reads "32".
		{"EPSG:5650", 32977493.8222, 5733903.3768, 7.465300000, 51.513600000},
		// Dortmund, then Berlin, Ulm, Hamburg.
		{"EPSG:3857", 813000, 6693000, 7.303303260, 51.403606656},
		{"EPSG:3857", 831557, 6711000, 7.470003627, 51.504366790},
		{"EPSG:3857", 845000, 6720000, 7.590764151, 51.554663480},
		{"EPSG:3857", 857000, 6702000, 7.698561985, 51.454014523},
		{"EPSG:3857", 823000, 6725000, 7.393134788, 51.582582078},
		{"EPSG:3857", 1491000, 6893000, 13.393880886, 52.510707719},
		{"EPSG:3857", 1144000, 6122000, 10.276726850, 48.090955797},
		{"EPSG:3857", 1110000, 7090000, 9.971299654, 53.574606574},
		{"EPSG:4258", 7.3, 51.4, 7.3, 51.4},
		{"EPSG:4258", 7.457712752, 51.521969669, 7.457712752, 51.521969669},
		{"EPSG:4258", 7.7, 51.6, 7.7, 51.6},
		{"EPSG:4258", 13.4, 52.5, 13.4, 52.5},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", 7.457712752, 51.521969669, 7.457712752, 51.521969669},
		// Zone-prefixed eastings in a file that says EPSG:25832 or 25833.
		{"EPSG:25832", 32393000, 5709000, 7.457712752, 51.521969669},
		{"EPSG:25833", 33391000, 5820000, 13.393543518, 52.519196232},
	}
	worst := map[string]float64{}
	for _, tt := range tests {
		c, ok := parseCRS(tt.crs)
		if !ok {
			t.Fatalf("%s unknown", tt.crs)
		}
		d := metres(c.lonLat(orb.Point{tt.x, tt.y}), orb.Point{tt.lon, tt.la})
		if d > 0.01 {
			t.Errorf("%s %v %v: %.4f m from PROJ's %v %v", tt.crs, tt.x, tt.y, d, tt.lon, tt.la)
		}
		worst[tt.crs] = max(worst[tt.crs], d)
	}
	for _, crs := range slices.Sorted(maps.Keys(worst)) {
		t.Logf("%s: largest deviation from PROJ %.3f mm", crs, worst[crs]*1000)
	}
}

func TestParseCRS(t *testing.T) {
	tests := []struct {
		name string
		code int
		zone int
		ok   bool
	}{
		{"EPSG:4326", 4326, 0, true},
		{"CRS84", 4326, 0, true},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", 4326, 0, true},
		{"urn:ogc:def:crs:EPSG::4258", 4258, 0, true},
		{"urn:ogc:def:crs:EPSG::25832", 25832, 32, true},
		{" epsg:25833 ", 25833, 33, true},
		{"EPSG:4647", 4647, 32, true},
		{"http://www.opengis.net/def/crs/EPSG/0/5650", 5650, 33, true},
		{"EPSG:3857", 3857, 0, true},
		{"EPSG:900913", 3857, 0, true},
		{"ESRI:102100", 3857, 0, true},
		{"EPSG:31467", 0, 0, false},
		{"EPSG:32632", 0, 0, false},
		{"ETRS89 / UTM zone 32N", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := parseCRS(tt.name)
			if ok != tt.ok || c.code != tt.code || c.zone != tt.zone {
				t.Errorf("parseCRS(%q) = %+v, %v; want code %d, zone %d, %v", tt.name, c, ok, tt.code, tt.zone, tt.ok)
			}
		})
	}
}

func TestEPSGCode(t *testing.T) {
	tests := []struct {
		name string
		code int
		ok   bool
	}{
		{"EPSG:25832", 25832, true},
		{"epsg:4326", 4326, true},
		{"urn:ogc:def:crs:EPSG::25833", 25833, true},
		{"urn:ogc:def:crs:EPSG:6.6:4326", 4326, true},
		{"urn:x-ogc:def:crs:EPSG:3857", 3857, true},
		{"http://www.opengis.net/def/crs/EPSG/0/4258", 4258, true},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", 0, false},
		{"EPSG:abc", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, ok := epsgCode(tt.name)
			if code != tt.code || ok != tt.ok {
				t.Errorf("epsgCode(%q) = %d, %v; want %d, %v", tt.name, code, ok, tt.code, tt.ok)
			}
		})
	}
}

func TestCrsName(t *testing.T) {
	tests := []struct{ raw, name string }{
		{``, ""},
		{`null`, ""},
		{`{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}}`, "urn:ogc:def:crs:EPSG::25832"},
		{`{"type":"EPSG","properties":{"code":25833}}`, "EPSG:25833"},
		{`{"type":"EPSG","properties":{"code":"3857"}}`, "EPSG:3857"},
		{`{"type":"link","properties":{"href":"https://example.org/crs.prj","type":"proj4"}}`, "https://example.org/crs.prj"},
		{`"EPSG:25832"`, `"EPSG:25832"`},
	}
	for _, tt := range tests {
		if got := crsName([]byte(tt.raw)); got != tt.name {
			t.Errorf("crsName(%s) = %q, want %q", tt.raw, got, tt.name)
		}
	}
}

func TestLikelyCause(t *testing.T) {
	tests := []struct {
		crs  string
		at   orb.Point
		says string
	}{
		{"EPSG:4326", orb.Point{51.5, 7.4}, "Achsen vertauscht?"},
		{"EPSG:25832", orb.Point{5709000, 393000}, "Achsen vertauscht?"},
		{"EPSG:4326", orb.Point{393000, 5709000}, "In EPSG:25832 oder EPSG:25833 läge"},
		{"EPSG:4326", orb.Point{32393000, 5709000}, "In EPSG:4647 läge"},
		{"EPSG:4326", orb.Point{831557, 6711000}, "In EPSG:3857 läge"},
		{"EPSG:25832", orb.Point{7.4, 51.5}, "In EPSG:4326 läge"},
		{"EPSG:25832", orb.Point{2593000, 5709000}, "Gauß-Krüger"},
		{"EPSG:4326", orb.Point{-120, 40}, "passen zu keinem"},
	}
	for _, tt := range tests {
		c, _ := parseCRS(tt.crs)
		if got := likelyCause(c, tt.at); !strings.Contains(got, tt.says) {
			t.Errorf("likelyCause(%s, %v) = %q, want it to say %q", tt.crs, tt.at, got, tt.says)
		}
	}
}

func TestCheck(t *testing.T) {
	for _, ok := range []string{"", "EPSG:25832", "urn:ogc:def:crs:EPSG::3857", "CRS84"} {
		if err := (Reader{CRS: ok}).Check(); err != nil {
			t.Errorf("CRS %q: %v", ok, err)
		}
	}
	for _, bad := range []string{"EPSG:31467", "UTM32", "25832"} {
		if err := (Reader{CRS: bad}).Check(); !errors.Is(err, ErrCRS) || !strings.Contains(err.Error(), bad) {
			t.Errorf("CRS %q: error %v, want one wrapping ErrCRS that names it", bad, err)
		}
	}
}
