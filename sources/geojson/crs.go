package geojson

import (
	"encoding/json"
	"strconv"
	"strings"

	"aktionsplan/pipeline"
)

// crsMember is a legacy `crs` member of the GeoJSON 2008 specification; RFC
// 7946 dropped it, but GIS exports still write it.
type crsMember struct {
	Type       string `json:"type"`
	Properties struct {
		Name string `json:"name"`
		Href string `json:"href"`
	} `json:"properties"`
}

// checkCRS reports whether the coordinates of a file with the crs member raw
// are WGS84 (or ETRS89) longitude and latitude; if not, it adds an issue.
// No member, or null, means WGS84 as RFC 7946 says.
func checkCRS(file string, raw json.RawMessage, rep *pipeline.Report) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	var c crsMember
	name := string(raw)
	if json.Unmarshal(raw, &c) == nil {
		switch {
		case c.Properties.Name != "":
			name = c.Properties.Name
		case c.Properties.Href != "":
			name = c.Properties.Href
		}
	}
	if c.Type == "name" && lonLat(name) {
		return true
	}
	rep.Errorf(pipeline.CodeGeometry, pipeline.Pos{File: file}, name, expectWGS84,
		"Das Koordinatensystem der Datei wird noch nicht unterstützt; bitte die Datei in WGS84 (EPSG:4326) exportieren")
	return false
}

// lonLat reports whether the CRS name means longitude and latitude on WGS84
// or ETRS89, which agree to well under a metre for publishing. EPSG 4326 and
// 4258 officially put latitude first, but GeoJSON files written with these
// names carry longitude first in practice, so they are read as such.
func lonLat(name string) bool {
	if code, ok := epsgCode(name); ok {
		return code == 4326 || code == 4258
	}
	return crs84Names[strings.ToLower(strings.TrimSpace(name))]
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
// "urn:ogc:def:crs:EPSG:6.6:25832", "urn:x-ogc:def:crs:EPSG:25832" and
// "http://www.opengis.net/def/crs/EPSG/0/25832".
func epsgCode(name string) (int, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	var rest string
	switch {
	case strings.HasPrefix(n, "epsg:"):
		rest = n[len("epsg:"):]
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
