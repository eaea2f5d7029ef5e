package geojson

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline/geodesy"
)

// ErrCRS is returned by Reader.Check for a configured coordinate system that
// the reader cannot turn into WGS84.
var ErrCRS = errors.New("geojson: unsupported coordinate system")

// crs is a coordinate system that the reader turns into WGS84 longitude and
// latitude.
type crs struct {
	// name is the spelling found in the file or the configuration; messages
	// quote it as the user wrote it.
	name string
	// code is the EPSG code after resolving aliases: 4326 for CRS84, 3857 for
	// the older names of Web Mercator.
	code int
	// zone is the UTM zone of a UTM system, else 0.
	zone int
	// prefixed says that eastings carry the zone number in front, as in
	// EPSG:4647 and 5650: 32393000 for 393000 in zone 32.
	prefixed bool
}

// crsDefs are the supported coordinate systems by EPSG code, with the
// German description used in notes.
var crsDefs = map[int]struct {
	zone     int
	prefixed bool
	title    string
}{
	4326:  {title: "WGS84, Länge/Breite"},
	4258:  {title: "ETRS89, Länge/Breite"},
	25832: {zone: 32, title: "ETRS89 / UTM Zone 32N"},
	25833: {zone: 33, title: "ETRS89 / UTM Zone 33N"},
	4647:  {zone: 32, prefixed: true, title: "ETRS89 / UTM Zone 32N mit Zonenkennung im Rechtswert"},
	5650:  {zone: 33, prefixed: true, title: "ETRS89 / UTM Zone 33N mit Zonenkennung im Rechtswert"},
	3857:  {title: "WGS84 / Pseudo-Mercator (Web Mercator)"},
}

// crsAliases are codes that other software writes for a supported system.
var crsAliases = map[int]int{
	900913: 3857, // before Web Mercator had an EPSG code
	102100: 3857, // Esri's code, also written as EPSG:102100
	102113: 3857,
}

// expectCRS lists the supported systems for the people who fix a file.
const expectCRS = "eines der Koordinatensysteme EPSG:4326 (WGS84), EPSG:4258 (ETRS89), EPSG:25832, EPSG:25833, EPSG:4647, EPSG:5650 (UTM) oder EPSG:3857 (Web Mercator)"

// wgs84 is the system of a file without crs member or configuration, as RFC
// 7946 says.
var wgs84 = crs{name: "WGS84", code: 4326}

// parseCRS returns the coordinate system of a name as found in a crs member
// or the configuration.
func parseCRS(name string) (crs, bool) {
	code, ok := epsgCode(name)
	if !ok && crs84Names[strings.ToLower(strings.TrimSpace(name))] {
		code, ok = 4326, true
	}
	if to, alias := crsAliases[code]; alias {
		code = to
	}
	def, known := crsDefs[code]
	if !ok || !known {
		return crs{}, false
	}
	return crs{name: strings.TrimSpace(name), code: code, zone: def.zone, prefixed: def.prefixed}, true
}

// geographic reports whether coordinates are longitude and latitude. WGS84
// and ETRS89 agree to well under a metre, and PROJ converts between them
// without a shift too. EPSG 4326 and 4258 officially put latitude first,
// but GeoJSON files written with these names carry longitude first in
// practice, so they are read as such; a file that really has latitude first
// falls outside Germany and is reported as having swapped axes.
func (c crs) geographic() bool { return c.code == 4326 || c.code == 4258 }

// same reports whether two systems place coordinates alike, whatever their
// notation of the UTM zone.
func (c crs) same(o crs) bool {
	if c.geographic() || o.geographic() {
		return c.geographic() == o.geographic()
	}
	return c.code == o.code || (c.zone != 0 && c.zone == o.zone)
}

// String is the system as the user named it, with its description.
func (c crs) String() string {
	if title := crsDefs[c.code].title; title != "" && c != wgs84 {
		return fmt.Sprintf("„%s“ (%s)", c.name, title)
	}
	return c.name
}

// utm holds the inverse projections of the UTM zones in which German
// geodata comes.
var utm = map[int]geodesy.TransverseMercator{32: geodesy.UTM(32), 33: geodesy.UTM(33)}

// lonLat transforms a position of the system to WGS84 longitude and latitude.
// UTM eastings are read with and without zone prefix (see utmEasting).
func (c crs) lonLat(p orb.Point) orb.Point {
	switch {
	case c.zone != 0:
		zone, e, _ := c.utmEasting(p[0])
		return utm[zone].LonLat(orb.Point{e, p[1]})
	case c.code == 3857:
		return geodesy.WebMercatorLonLat(p)
	}
	return p
}

// utmEasting splits an easting of a UTM system into its zone and the easting
// within the zone. An easting from 32,000,000 to 33,999,999 carries the zone
// number in front, as EPSG:4647 and 5650 write them; it is read in the zone
// it names when the file declares a plain UTM system (25832, 25833), because
// a plain UTM easting is never that large; in EPSG:4647 and 5650 the prefix is
// the system's own zone. Any other easting is read in the system's own zone.
func (c crs) utmEasting(x float64) (zone int, easting float64, prefixed bool) {
	if c.prefixed && x >= 1e7 {
		// The system says which zone its prefix is: far from the central
		// meridian a zone-33 easting of Dortmund is 32,977,802 and a
		// zone-32 easting of Görlitz 33,0xx,xxx.
		return c.zone, x - float64(c.zone)*1e6, true
	}
	if z := math.Floor(x / 1e6); z == 32 || z == 33 {
		return int(z), x - z*1e6, true
	}
	return c.zone, x, false
}

// Germany, generously, in degrees: coordinates outside it after the
// transformation come from a wrong or missing coordinate system or from
// swapped axes, not from an action area in Dortmund.
var (
	germanyLon = [2]float64{5.5, 15.5}
	germanyLat = [2]float64{47, 55.5}
)

// germany describes the box in German.
func germany() string {
	g := func(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1) }
	return fmt.Sprintf("Länge %s bis %s, Breite %s bis %s", g(germanyLon[0]), g(germanyLon[1]), g(germanyLat[0]), g(germanyLat[1]))
}

func inGermany(p orb.Point) bool {
	return p[0] >= germanyLon[0] && p[0] <= germanyLon[1] && p[1] >= germanyLat[0] && p[1] <= germanyLat[1]
}

// guessCodes are the systems tried, in this order, to explain a position
// outside Germany.
var guessCodes = []int{4326, 25832, 4647, 25833, 5650, 3857}

// likelyCause says in German why the position p of the system c lies outside
// Germany: swapped axes, or another system under which it would lie inside.
func likelyCause(c crs, p orb.Point) string {
	if q := c.lonLat(orb.Point{p[1], p[0]}); inGermany(q) {
		return fmt.Sprintf("Achsen vertauscht? Mit vertauschten Achsen läge der Punkt in Deutschland (Länge %s, Breite %s)",
			formatCoord(q[0], 7), formatCoord(q[1], 7))
	}
	var fits []string
	for _, code := range guessCodes {
		o, _ := parseCRS("EPSG:" + strconv.Itoa(code))
		zone, _, prefixed := o.utmEasting(p[0])
		if !o.same(c) && (o.zone == 0 || prefixed == o.prefixed && zone == o.zone) && inGermany(o.lonLat(p)) {
			fits = append(fits, o.name)
		}
	}
	switch {
	case len(fits) > 0:
		return fmt.Sprintf("Falsches Koordinatensystem? In %s läge der Punkt in Deutschland; bitte das Koordinatensystem der Datei (Element „crs“) oder der Konfiguration prüfen",
			strings.Join(fits, " oder "))
	case p[0] >= 2.4e6 && p[0] < 6e6 && p[1] >= 5.2e6 && p[1] < 6.2e6:
		return "Falsches Koordinatensystem? Die Werte sehen nach Gauß-Krüger (DHDN) aus, das nicht unterstützt wird; bitte die Datei in EPSG:25832 exportieren"
	}
	return "Falsches Koordinatensystem? Die Werte passen zu keinem unterstützten Koordinatensystem"
}

// crsMember is a legacy `crs` member of the GeoJSON 2008 specification; RFC
// 7946 dropped it, but GIS exports still write it: QGIS and GDAL as a named
// CRS, older Esri and OpenLayers software as {"type":"EPSG","properties":
// {"code":25832}}.
type crsMember struct {
	Type       string `json:"type"`
	Properties struct {
		Name string `json:"name"`
		Href string `json:"href"`
		Code any    `json:"code"`
	} `json:"properties"`
}

// crsName returns the name of the system that the crs member raw names, or
// the member's text where it names none, such as a link. A missing or null
// member has no name.
func crsName(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var c crsMember
	if json.Unmarshal(raw, &c) != nil {
		return string(raw)
	}
	switch {
	case c.Type == "EPSG" && c.Properties.Code != nil:
		return "EPSG:" + keyText(c.Properties.Code)
	case c.Properties.Name != "":
		return c.Properties.Name
	case c.Properties.Href != "":
		return c.Properties.Href
	}
	return string(raw)
}

// crs84Names are the spellings of OGC's CRS84, WGS84 with longitude first,
// in lower case.
var crs84Names = map[string]bool{
	"crs84":                         true,
	"ogc:crs84":                     true,
	"urn:ogc:def:crs:ogc:1.3:crs84": true,
	"urn:ogc:def:crs:ogc::crs84":    true,
	"http://www.opengis.net/def/crs/ogc/1.3/crs84":  true,
	"https://www.opengis.net/def/crs/ogc/1.3/crs84": true,
}

// epsgCode returns the EPSG code of a CRS name in any of the spellings
// found in GeoJSON files: "EPSG:25832", "urn:ogc:def:crs:EPSG::25832",
// "urn:ogc:def:crs:EPSG:6.6:25832", "urn:x-ogc:def:crs:EPSG:25832",
// "http://www.opengis.net/def/crs/EPSG/0/25832" and Esri's "ESRI:102100".
func epsgCode(name string) (int, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	var rest string
	switch {
	case strings.HasPrefix(n, "epsg:"):
		rest = n[len("epsg:"):]
	case strings.HasPrefix(n, "esri:"):
		rest = n[len("esri:"):]
	case strings.HasPrefix(n, "urn:ogc:def:crs:epsg:"), strings.HasPrefix(n, "urn:x-ogc:def:crs:epsg:"):
		rest = n[strings.LastIndexByte(n, ':')+1:]
	case strings.HasPrefix(n, "http://www.opengis.net/def/crs/epsg/"), strings.HasPrefix(n, "https://www.opengis.net/def/crs/epsg/"):
		rest = n[strings.LastIndexByte(n, '/')+1:]
	default:
		return 0, false
	}
	code, err := strconv.Atoi(rest)
	return code, err == nil && code > 0
}
