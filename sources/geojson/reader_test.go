package geojson

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
	"aktionsplan/sources"
)

const file = "grenzen.geojson"

// Inline GeoJSON pieces around Dortmund; polygon, polygon2 and the parts of
// multiPolygon lie apart.
const (
	polygon      = `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]]]}`
	polygon2     = `{"type":"Polygon","coordinates":[[[7.6,51.5],[7.7,51.5],[7.7,51.6],[7.6,51.5]]]}`
	multiPolygon = `{"type":"MultiPolygon","coordinates":[[[[7.6,51.5],[7.7,51.5],[7.7,51.6],[7.6,51.5]]],[[[7.8,51.5],[7.9,51.5],[7.9,51.6],[7.8,51.5]]]]}`
	// utmPolygon is in EPSG:25832, near Dortmund's centre.
	utmPolygon = `{"type":"Polygon","coordinates":[[[393000,5709000],[394000,5709000],[394000,5710000],[393000,5709000]]]}`
)

func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

func fcCRS(crs string, features ...string) string {
	return `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"` + crs + `"}},"features":[` + strings.Join(features, ",") + `]}`
}

func feat(props, geometry string) string {
	return `{"type":"Feature","properties":` + props + `,"geometry":` + geometry + `}`
}

func square(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}`, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
}

// want is an expected issue: its severity, code, the feature number (0 for
// the whole file), the value found and, for key issues, the property.
type want struct {
	sev     pipeline.Severity
	code    string
	feature int
	value   string
	field   string
}

func (w want) String() string {
	return fmt.Sprintf("%s %s at feature %d, value %q, field %q", w.sev, w.code, w.feature, w.value, w.field)
}

// Shorthands for the severities.
func errAt(code string, feature int, value string) want {
	return want{pipeline.Error, code, feature, value, ""}
}

func warnAt(code string, feature int, value string) want {
	return want{pipeline.Warning, code, feature, value, ""}
}

func noteAt(feature int) want { return want{pipeline.Info, pipeline.CodeRead, feature, "", ""} }

func got(rep *pipeline.Report) []want {
	var out []want
	for _, i := range rep.Issues {
		out = append(out, want{i.Severity, i.Code, i.Pos.Feature, i.Value, i.Pos.Field})
	}
	return out
}

// checkIssues compares the issues of rep with ws and checks that each tells
// its file and, unless a note, what was expected.
func checkIssues(t *testing.T, name string, rep *pipeline.Report, ws []want) {
	t.Helper()
	if g := got(rep); fmt.Sprint(g) != fmt.Sprint(ws) {
		t.Errorf("issues\n got %v\nwant %v", g, ws)
	}
	for _, i := range rep.Issues {
		if i.Pos.File != name || i.Message == "" || (i.Expected == "" && i.Severity != pipeline.Info) {
			t.Errorf("issue without file, message or expectation: %+v", i)
		}
	}
	if t.Failed() {
		for _, i := range rep.Issues {
			t.Log(i)
		}
	}
}

func keysOf(bs []pipeline.Boundary) []string {
	var keys []string
	for _, b := range bs {
		keys = append(keys, b.Key)
	}
	return keys
}

func TestReadBoundaries(t *testing.T) {
	geometry, unique, missing, malformed := pipeline.CodeGeometry, pipeline.CodeUnique, pipeline.CodeMissingCell, pipeline.CodeMalformed
	tests := []struct {
		name   string
		reader Reader
		file   string // default file
		in     string
		keys   []string
		issues []want
	}{
		// Shapes of the file.
		{name: "collection", in: fc(feat(`{"code":"BOR"}`, polygon), feat(`{"code":"HOE"}`, multiPolygon)), keys: []string{"BOR", "HOE"}},
		{name: "single feature", in: feat(`{"code":"BOR"}`, polygon), keys: []string{"BOR"}},
		{name: "bare polygon keyed by file name", file: "grenzen/BOR.geojson", in: polygon, keys: []string{"BOR"}},
		{name: "bare multipolygon keyed by URL", file: "https://example.org/daten/H%C3%B6rde.geojson?version=2", in: multiPolygon, keys: []string{"Hörde"}},
		{name: "bare geometry collection", file: "BOR.json", in: `{"type":"GeometryCollection","geometries":[` + polygon + `,` + multiPolygon + `]}`, keys: []string{"BOR"}},
		{name: "bare polygon without file name", file: "https://example.org/", in: polygon, issues: []want{errAt(missing, 1, "")}},
		{name: "bare polygon in a Windows folder", file: `C:\Daten\BOR.geojson`, in: polygon, keys: []string{"BOR"}},
		{name: "bare point", file: "BOR.json", in: `{"type":"Point","coordinates":[7.4,51.5]}`, issues: []want{errAt(geometry, 1, "Point")}},
		{name: "empty collection", in: fc(), issues: []want{errAt(pipeline.CodeBlankTable, 0, "")}},
		{name: "collection without features", in: `{"type":"FeatureCollection"}`, issues: []want{errAt(pipeline.CodeBlankTable, 0, "")}},
		{name: "entry not a feature", in: fc(`{"type":"Polygon"}`, `5`, feat(`{"code":"BOR"}`, polygon)), keys: []string{"BOR"},
			issues: []want{errAt(malformed, 1, "Polygon"), errAt(malformed, 2, "")}},
		{name: "properties not an object", in: fc(`{"type":"Feature","properties":[1],"geometry":` + polygon + `}`), issues: []want{errAt(malformed, 1, "Feature")}},

		// Keys.
		{name: "configured property", reader: Reader{IDProperty: "kuerzel"}, in: fc(feat(`{"kuerzel":"BOR","code":"X"}`, polygon)), keys: []string{"BOR"}},
		{name: "configured property missing", reader: Reader{IDProperty: "kuerzel"}, in: fc(feat(`{"code":"BOR"}`, polygon)),
			issues: []want{{pipeline.Error, missing, 1, "", "kuerzel"}}},
		{name: "code before id and name", in: fc(`{"type":"Feature","id":"X","properties":{"name":"Y","code":" BOR "},"geometry":` + polygon + `}`), keys: []string{"BOR"}},
		{name: "CODE", in: fc(`{"type":"Feature","id":"X","properties":{"NAME":"Y","CODE":"BOR"},"geometry":` + polygon + `}`), keys: []string{"BOR"}},
		{name: "numeric code", in: fc(feat(`{"code":12}`, polygon)), keys: []string{"12"}},
		{name: "text id before name", in: fc(`{"type":"Feature","id":"HOE","properties":{"name":"Y"},"geometry":` + polygon + `}`), keys: []string{"HOE"}},
		{name: "numeric id after name", in: fc(`{"type":"Feature","id":1,"properties":{"OBJECTID":1,"NAME":"Hörde"},"geometry":` + polygon + `}`), keys: []string{"Hörde"}},
		{name: "numeric text id after name", in: fc(`{"type":"Feature","id":"5","properties":{"name":"Hörde"},"geometry":` + polygon + `}`), keys: []string{"Hörde"}},
		{name: "GeoServer id after name", in: fc(`{"type":"Feature","id":"aktionsraeume.5","properties":{"name":"Hörde"},"geometry":` + polygon + `}`), keys: []string{"Hörde"}},
		{name: "numeric id without name", in: fc(`{"type":"Feature","id":7,"properties":null,"geometry":` + polygon + `}`), keys: []string{"7"}},
		{name: "GeoServer id without name", in: fc(`{"type":"Feature","id":"aktionsraeume.5","properties":{},"geometry":` + polygon + `}`), keys: []string{"aktionsraeume.5"}},
		{name: "blank code falls back to id", in: fc(`{"type":"Feature","id":"HOE","properties":{"code":" "},"geometry":` + polygon + `}`), keys: []string{"HOE"}},
		{name: "name", in: fc(feat(`{"name":"Hörde"}`, polygon)), keys: []string{"Hörde"}},
		{name: "Name", in: fc(feat(`{"Name":"Eving-Lindenhorst"}`, polygon)), keys: []string{"Eving-Lindenhorst"}},
		{name: "NAME", in: fc(feat(`{"NAME":"Marten"}`, polygon)), keys: []string{"Marten"}},
		{name: "no key", in: fc(feat(`{"flaeche":1.5,"code":true}`, polygon), feat(`{"code":"HOE"}`, polygon2)), keys: []string{"HOE"},
			issues: []want{errAt(missing, 1, "")}},
		{name: "key twice", in: fc(feat(`{"code":"BOR"}`, polygon), feat(`{"code":"HOE"}`, polygon2), feat(`{"code":"BOR"}`, multiPolygon)), keys: []string{"BOR", "HOE"},
			issues: []want{{pipeline.Error, unique, 3, "BOR", "code"}}},
		{name: "key twice, first geometry unusable", in: fc(feat(`{"name":"Hörde"}`, `null`), feat(`{"name":"Hörde"}`, polygon)),
			issues: []want{errAt(geometry, 1, "null"), {pipeline.Error, unique, 2, "Hörde", "name"}}},
		{name: "spellings of one area are the pipeline's to find", in: fc(feat(`{"name":"Hörde"}`, polygon), feat(`{"name":"Hoerde"}`, polygon2)), keys: []string{"Hörde", "Hoerde"}},

		// Geometries.
		{name: "polygon and multipolygon", in: fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, multiPolygon)), keys: []string{"A", "B"}},
		{name: "geometry collection of polygons", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[`+polygon+`,`+polygon2+`]}`)), keys: []string{"A"}},
		{name: "point", in: fc(feat(`{"code":"A"}`, `{"type":"Point","coordinates":[7.4,51.5]}`)), issues: []want{errAt(geometry, 1, "Point")}},
		{name: "line", in: fc(feat(`{"code":"A"}`, `{"type":"LineString","coordinates":[[7.4,51.5],[7.5,51.6]]}`)), issues: []want{errAt(geometry, 1, "LineString")}},
		{name: "null geometry", in: fc(feat(`{"code":"A"}`, `null`)), issues: []want{errAt(geometry, 1, "null")}},
		{name: "no geometry member", in: fc(`{"type":"Feature","properties":{"code":"A"}}`), issues: []want{errAt(geometry, 1, "null")}},
		{name: "empty polygon", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[]}`)), issues: []want{errAt(geometry, 1, "Polygon")}},
		{name: "empty ring", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[]]}`)), issues: []want{errAt(geometry, 1, "Polygon")}},
		{name: "empty multipolygon", in: fc(feat(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[]}`)), issues: []want{errAt(geometry, 1, "MultiPolygon")}},
		{name: "ring of three points", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.4,51.5]]]}`)), issues: []want{errAt(geometry, 1, "Polygon")}},
		{name: "ring not closed", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.6]]]}`)), keys: []string{"A"},
			issues: []want{warnAt(geometry, 1, "7.4, 51.6")}},
		{name: "ring of three points not closed", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6]]]}`)), keys: []string{"A"},
			issues: []want{warnAt(geometry, 1, "7.5, 51.6")}},
		{name: "ring of two points not closed", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5]]]}`)),
			issues: []want{warnAt(geometry, 1, "7.5, 51.5"), errAt(geometry, 1, "Polygon")}},
		{name: "hole not closed", in: fc(feat(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]],[[7.45,51.52],[7.46,51.52],[7.46,51.53],[7.45,51.53]]]]}`)),
			keys: []string{"A"}, issues: []want{warnAt(geometry, 1, "7.45, 51.53")}},
		{name: "collection with a point", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[`+polygon+`,{"type":"Point","coordinates":[7.4,51.5]}]}`)),
			issues: []want{errAt(geometry, 1, "GeometryCollection")}},
		{name: "empty geometry collection", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[]}`)), issues: []want{errAt(geometry, 1, "GeometryCollection")}},
		{name: "unknown geometry type", in: fc(feat(`{"code":"A"}`, `{"type":"Circle","radius":3}`)), issues: []want{errAt(geometry, 1, "Circle")}},
		{name: "unreadable coordinates", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":"7.4 51.5"}`)), issues: []want{errAt(geometry, 1, "Polygon")}},
		{name: "every problem collected", in: fc(
			feat(`{"code":"A"}`, `null`),
			feat(`{"code":"B"}`, polygon),
			feat(`{}`, `{"type":"Point","coordinates":[7.4,51.5]}`),
			feat(`{"code":"D"}`, multiPolygon),
		), keys: []string{"B", "D"}, issues: []want{errAt(geometry, 1, "null"), errAt(geometry, 3, "Point"), errAt(missing, 3, "")}},

		// Validity, located in the file's coordinates.
		{name: "bow-tie", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.6],[7.5,51.5],[7.4,51.6],[7.4,51.5]]]}`)),
			issues: []want{errAt(geometry, 1, "7.45, 51.55")}},
		{name: "bow-tie in UTM", in: fcCRS("EPSG:25832", feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[393000,5709000],[394000,5710000],[394000,5709000],[393000,5710000],[393000,5709000]]]}`)),
			issues: []want{noteAt(0), errAt(geometry, 1, "393500, 5709500")}},
		{name: "ring running back over itself", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.5,51.55],[7.4,51.5]]]}`)),
			issues: []want{errAt(geometry, 1, "7.5, 51.55")}},
		{name: "ring through one point twice", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.45,51.55],[7.5,51.6],[7.4,51.6],[7.45,51.55],[7.4,51.5]]]}`)),
			issues: []want{errAt(geometry, 1, "7.45, 51.55")}},
		{name: "ring of one point", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.4,51.5],[7.4,51.5],[7.4,51.5]]]}`)),
			issues: []want{errAt(geometry, 1, "7.4, 51.5")}},
		{name: "hole outside", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]],[[7.6,51.5],[7.61,51.5],[7.61,51.51],[7.6,51.5]]]}`)),
			issues: []want{errAt(geometry, 1, "7.6, 51.5")}},
		{name: "hole crossing the outer ring", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.6],[7.4,51.5]],[[7.45,51.55],[7.55,51.55],[7.55,51.56],[7.45,51.56],[7.45,51.55]]]}`)),
			issues: []want{errAt(geometry, 1, "7.5, 51.55")}},
		{name: "multipolygon parts overlapping", in: fc(feat(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.6],[7.4,51.5]]],[[[7.45,51.55],[7.55,51.55],[7.55,51.65],[7.45,51.65],[7.45,51.55]]]]}`)),
			issues: []want{errAt(geometry, 1, "7.5, 51.575")}},
		{name: "geometry collection parts overlapping are merged", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[`+square(7.4, 51.5, 7.5, 51.6)+`,`+square(7.45, 51.55, 7.55, 51.65)+`]}`)),
			keys: []string{"A"}},

		// Overlaps between areas.
		{name: "overlapping areas", in: fc(feat(`{"code":"A"}`, square(7.4, 51.5, 7.5, 51.6)), feat(`{"code":"B"}`, square(7.6, 51.5, 7.7, 51.6)), feat(`{"code":"C"}`, square(7.45, 51.55, 7.55, 51.65))),
			keys: []string{"A", "B", "C"}, issues: []want{warnAt(geometry, 3, "19.283.032 m²")}},
		{name: "neighbours sharing an edge", in: fc(feat(`{"code":"A"}`, square(7.4, 51.5, 7.5, 51.6)), feat(`{"code":"B"}`, square(7.5, 51.5, 7.6, 51.6))),
			keys: []string{"A", "B"}},
		{name: "neighbours touching at a corner", in: fc(feat(`{"code":"A"}`, square(7.4, 51.5, 7.5, 51.6)), feat(`{"code":"B"}`, square(7.5, 51.6, 7.6, 51.7))),
			keys: []string{"A", "B"}},
		{name: "overlap below 1 m² is noise", in: fc(feat(`{"code":"A"}`, square(7.4, 51.5, 7.5, 51.6)), feat(`{"code":"B"}`, square(7.499999999, 51.5, 7.6, 51.6))),
			keys: []string{"A", "B"}},
		{name: "overlap of a few m²", in: fc(feat(`{"code":"A"}`, square(7.4, 51.5, 7.5, 51.6)), feat(`{"code":"B"}`, square(7.49999999, 51.5, 7.6, 51.6))),
			keys: []string{"A", "B"}, issues: []want{warnAt(geometry, 2, "7,7 m²")}},

		// Coordinate reference systems.
		{name: "crs EPSG::4326", in: fcCRS("urn:ogc:def:crs:EPSG::4326", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs EPSG:4326", in: fcCRS("EPSG:4326", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs CRS84", in: fcCRS("urn:ogc:def:crs:OGC:1.3:CRS84", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs ETRS89", in: fcCRS("urn:ogc:def:crs:EPSG::4258", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs as URL", in: fcCRS("http://www.opengis.net/def/crs/EPSG/0/4326", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs null", in: `{"type":"FeatureCollection","crs":null,"features":[` + feat(`{"code":"A"}`, polygon) + `]}`, keys: []string{"A"}},
		{name: "crs UTM 32", in: fcCRS("urn:ogc:def:crs:EPSG::25832", feat(`{"code":"A"}`, utmPolygon)), keys: []string{"A"}, issues: []want{noteAt(0)}},
		{name: "crs of Esri and OpenLayers", in: `{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":25832}},"features":[` + feat(`{"code":"A"}`, utmPolygon) + `]}`,
			keys: []string{"A"}, issues: []want{noteAt(0)}},
		{name: "crs Web Mercator by an old name", in: fcCRS("EPSG:900913", feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[831557,6711000],[832557,6711000],[832557,6712000],[831557,6711000]]]}`)),
			keys: []string{"A"}, issues: []want{noteAt(0)}},
		{name: "crs UTM 32 with eastings of zone 33", in: fcCRS("EPSG:25832", feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[33391000,5820000],[33392000,5820000],[33392000,5821000],[33391000,5820000]]]}`)),
			keys: []string{"A"}, issues: []want{noteAt(0), warnAt(geometry, 1, "33391000")}},
		{name: "crs EPSG:4647 with plain eastings", in: fcCRS("EPSG:4647", feat(`{"code":"A"}`, utmPolygon)), keys: []string{"A"}, issues: []want{noteAt(0), noteAt(1)}},
		{name: "crs on a single feature", in: `{"type":"Feature","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"properties":{"code":"A"},"geometry":` + polygon + `}`,
			issues: []want{noteAt(0), errAt(geometry, 1, "7.4, 51.5")}},
		{name: "crs UTM 32 with degrees", in: fcCRS("urn:ogc:def:crs:EPSG::25832", feat(`{"code":"A"}`, polygon)), issues: []want{noteAt(0), errAt(geometry, 1, "7.4, 51.5")}},
		{name: "crs WGS84 with UTM coordinates", in: fcCRS("EPSG:4326", feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[391000.5,5710000],[392000,5711000],[7.4,51.5]]]}`)),
			keys: []string{"A"}, issues: []want{errAt(geometry, 2, "391000.5, 5710000")}},
		{name: "latitude beyond 90", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,91],[7.5,51.6],[7.4,51.5]]]}`)), issues: []want{errAt(geometry, 1, "7.5, 91")}},
		{name: "crs unknown", in: fcCRS("EPSG:31467", feat(`{"code":"A"}`, polygon)), issues: []want{errAt(geometry, 0, "EPSG:31467")}},
		{name: "crs link", in: `{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"https://example.org/crs.prj"}},"features":[]}`,
			issues: []want{errAt(geometry, 0, "https://example.org/crs.prj")}},

		// Configured coordinate reference system.
		{name: "configured for a file without crs", reader: Reader{CRS: "EPSG:25832"}, in: fc(feat(`{"code":"A"}`, utmPolygon)), keys: []string{"A"}, issues: []want{noteAt(0)}},
		{name: "configured WGS84", reader: Reader{CRS: "CRS84"}, in: fc(feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "configured, the file's crs wins", reader: Reader{CRS: "EPSG:25833"}, in: fcCRS("EPSG:25832", feat(`{"code":"A"}`, utmPolygon)), keys: []string{"A"},
			issues: []want{warnAt(geometry, 0, "EPSG:25832"), noteAt(0)}},
		{name: "configured alike", reader: Reader{CRS: "EPSG:4647"}, in: fcCRS("urn:ogc:def:crs:EPSG::25832", feat(`{"code":"A"}`, utmPolygon)), keys: []string{"A"},
			issues: []want{noteAt(0)}},
		{name: "configured WGS84, file ETRS89", reader: Reader{CRS: "EPSG:4326"}, in: fcCRS("EPSG:4258", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "configured unknown", reader: Reader{CRS: "EPSG:31467"}, in: fc(feat(`{"code":"A"}`, polygon)), issues: []want{errAt(geometry, 0, "EPSG:31467")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tt.file
			if name == "" {
				name = file
			}
			rep := &pipeline.Report{}
			bs, err := tt.reader.ReadBoundaries(name, strings.NewReader(tt.in), rep)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bs {
				if b.Pos.File != name || b.Pos.Feature == 0 {
					t.Errorf("boundary %s at %+v", b.Key, b.Pos)
				}
			}
			if keys := keysOf(bs); fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %q, want %q", keys, tt.keys)
			}
			checkIssues(t, name, rep, tt.issues)
		})
	}
}

func TestGeometries(t *testing.T) {
	tests := []struct {
		name     string
		geometry string
		want     orb.MultiPolygon
	}{
		{"polygon becomes a multipolygon of one", polygon, orb.MultiPolygon{{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.5}}}}},
		{"multipolygon as is", multiPolygon, orb.MultiPolygon{
			{{{7.6, 51.5}, {7.7, 51.5}, {7.7, 51.6}, {7.6, 51.5}}},
			{{{7.8, 51.5}, {7.9, 51.5}, {7.9, 51.6}, {7.8, 51.5}}},
		}},
		{"geometry collection flattened", `{"type":"GeometryCollection","geometries":[` + polygon + `,` + multiPolygon + `]}`, orb.MultiPolygon{
			{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.5}}},
			{{{7.6, 51.5}, {7.7, 51.5}, {7.7, 51.6}, {7.6, 51.5}}},
			{{{7.8, 51.5}, {7.9, 51.5}, {7.9, 51.6}, {7.8, 51.5}}},
		}},
		{"outer ring turned counterclockwise", `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.6],[7.5,51.5],[7.4,51.5]]]}`,
			orb.MultiPolygon{{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.5}}}}},
		{"hole turned clockwise", `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]],[[7.47,51.52],[7.48,51.52],[7.48,51.53],[7.47,51.52]]]}`,
			orb.MultiPolygon{{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.5}}, {{7.47, 51.52}, {7.48, 51.53}, {7.48, 51.52}, {7.47, 51.52}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &pipeline.Report{}
			bs, err := Reader{}.ReadBoundaries(file, strings.NewReader(fc(feat(`{"code":"A"}`, tt.geometry))), rep)
			if err != nil || len(bs) != 1 || len(rep.Issues) > 0 {
				t.Fatalf("%d boundaries, error %v, issues %v", len(bs), err, rep.Issues)
			}
			if !bs[0].Geometry.Equal(tt.want) {
				t.Errorf("geometry\n got %v\nwant %v", bs[0].Geometry, tt.want)
			}
		})
	}
}

// TestMergedCollection checks that the polygons of a GeometryCollection that
// overlap or share an edge become one area, counted once.
func TestMergedCollection(t *testing.T) {
	halves := `{"type":"GeometryCollection","geometries":[` + square(7.4, 51.5, 7.5, 51.55) + `,` + square(7.4, 51.55, 7.5, 51.6) + `]}`
	overlapping := `{"type":"GeometryCollection","geometries":[` + square(7.4, 51.5, 7.5, 51.58) + `,` + square(7.4, 51.52, 7.5, 51.6) + `]}`
	whole := pipeline.AreaKM2(orb.Polygon{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.6}, {7.4, 51.5}}})
	for name, g := range map[string]string{"halves": halves, "overlapping": overlapping} {
		t.Run(name, func(t *testing.T) {
			rep := &pipeline.Report{}
			bs, err := Reader{}.ReadBoundaries(file, strings.NewReader(fc(feat(`{"code":"A"}`, g))), rep)
			if err != nil || len(bs) != 1 || len(rep.Issues) > 0 {
				t.Fatalf("%d boundaries, error %v, issues %v", len(bs), err, rep.Issues)
			}
			if len(bs[0].Geometry) != 1 || len(bs[0].Geometry[0]) != 1 {
				t.Errorf("got %v, want one polygon without holes", bs[0].Geometry)
			}
			if a := pipeline.AreaKM2(bs[0].Geometry); math.Abs(a-whole) > 1e-9 {
				t.Errorf("area %v km², want %v", a, whole)
			}
		})
	}
}

// mark removes the marker § from s and returns the position it marked, as
// line and column in characters.
func mark(s string) (string, pipeline.Pos) {
	i := strings.Index(s, "§")
	if i < 0 {
		return s, pipeline.Pos{File: file}
	}
	before := s[:i]
	line := strings.Count(before, "\n") + 1
	col := len([]rune(before[strings.LastIndex(before, "\n")+1:])) + 1
	return before + s[i+len("§"):], pipeline.Pos{File: file, Row: line, Column: col}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		in    string // § marks the position reported; without it, the file
		value string
	}{
		{"not JSON", "§hallo", "h"},
		{"syntax error on line 3", "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [§,]\n}", ","},
		{"column in characters", `{"name":"Hörde", §x}`, "x"},
		{"CRLF lines", "{\r\n\"type\":\"Feature\",\r\n§}", "}"},
		{"truncated", "{\"type\":\"FeatureCollection\",\n\"features\":[§", ""},
		{"truncated string", `{"type":"Feature","properties":{"code":"BO§`, ""},
		{"text after the object", `{"type":"Feature"}` + "\n§}", "}"},
		{"empty file", "", ""},
		{"only whitespace", " \n\t", ""},
		{"top-level array", "§[1,2]", "array"},
		{"top-level string", `§"FeatureCollection"`, "string"},
		{"features not a list", `{"type":"FeatureCollection","features":§{}}`, "object"},
		{"type not a string", `{"type": §12345 }`, "number"},
		{"type a boolean", `{"type":§true}`, "bool"},
		{"features a string", `{"features":§"a\\\"b\\\\" }`, "string"},
		{"JSON null", `null`, ""},
		{"no type", `{"features":[]}`, ""},
		{"unknown type", `{"type":"Topology","objects":{}}`, "Topology"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, pos := mark(tt.in)
			rep := &pipeline.Report{}
			bs, err := Reader{}.ReadBoundaries(file, strings.NewReader(in), rep)
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) {
				t.Fatalf("error %v, want a *pipeline.BadInput", err)
			}
			if bs != nil || len(rep.Issues) > 0 {
				t.Errorf("boundaries %v and issues %v beside a bad input", bs, rep.Issues)
			}
			i := bad.Issue
			if i.Code != pipeline.CodeMalformed || i.Severity != pipeline.Error || i.Pos != pos || i.Value != tt.value {
				t.Errorf("issue %s %s at %+v, value %q; want %s at %+v, value %q",
					i.Severity, i.Code, i.Pos, i.Value, pipeline.CodeMalformed, pos, tt.value)
			}
			if i.Message == "" || i.Expected == "" {
				t.Errorf("issue without message or expectation: %+v", i)
			}
		})
	}
}

func TestReadError(t *testing.T) {
	errNet := errors.New("connection reset")
	_, err := Reader{}.ReadBoundaries(file, iotest.ErrReader(errNet), &pipeline.Report{})
	if !errors.Is(err, pipeline.ErrInput) || !errors.Is(err, errNet) {
		t.Errorf("error %v, want one wrapping pipeline.ErrInput and the cause", err)
	}
	var bad *pipeline.BadInput
	if errors.As(err, &bad) {
		t.Error("a failing reader is not bad input")
	}
}

// TestFixtures reads files as GIS software and web portals export them; see
// testdata/README.md for how each was made. Where a fixture holds areas of
// reference_wgs84.geojson, the source of the GDAL exports, every position
// read must lie within tol of the reference.
func TestFixtures(t *testing.T) {
	geometry := pipeline.CodeGeometry
	ref := map[string]orb.MultiPolygon{}
	for _, rd := range []Reader{{}, {IDProperty: "name"}} {
		for _, b := range readFixture(t, "reference_wgs84.geojson", rd, &pipeline.Report{}) {
			ref[b.Key] = b.Geometry
		}
	}
	tests := []struct {
		file   string
		reader Reader
		keys   []string
		issues []want
		says   []string // parts of the messages
		tol    float64  // metres from the reference; 0: not compared
	}{
		{file: "reference_wgs84.geojson", keys: []string{"BOR", "HAF", "NOM", "DOB", "HOE", "WIC", "SCO", "ASC", "LIE", "EKE", "WES", "BOD", "MAR"}, tol: 1e-9},
		// ogr2ogr to EPSG:25832, with its crs member, and back to WGS84 as
		// RFC 7946 (7 decimals, no crs).
		{file: "gdal_utm32.geojson", keys: []string{"BOR", "HAF", "NOM"}, issues: []want{noteAt(0)}, tol: 0.01},
		{file: "gdal_rfc7946.geojson", keys: []string{"BOR", "HAF", "NOM"}, tol: 0.01},
		// QGIS: names, EPSG:25832 with centimetres.
		{file: "qgis_utm32.geojson", keys: []string{"Lindenhorst/Eving", "Eving/Kemminghausen", "Westerfilde"}, issues: []want{noteAt(0)}, tol: 0.01},
		// ArcGIS: OBJECTID as feature id, NAME, EPSG:3857, clockwise rings.
		{file: "arcgis_3857.geojson", keys: []string{"Wickede", "Scharnhorst-Ost", "Alt-Scharnhorst"}, issues: []want{noteAt(0)}, tol: 0.01},
		// A web portal's single feature with a numbered id, bbox and links.
		{file: "portal_feature.geojson", keys: []string{"Hörde"}, tol: 1e-9},
		{file: "geometry_collection.geojson", keys: []string{"EKE", "LIE"}},
		// Eastings with the zone prefix: declared as EPSG:4647, and as
		// EPSG:25832, which is noted.
		{file: "zone_prefix_4647.geojson", keys: []string{"HOE", "WIC"}, issues: []want{noteAt(0)}, tol: 0.01},
		{file: "zone_prefix_25832.geojson", keys: []string{"HOE", "WIC"}, issues: []want{noteAt(0), noteAt(1)}, says: []string{"Zonenkennung „32“"}, tol: 0.01},
		{file: "swapped_axes.geojson", keys: []string{"HAF"}, issues: []want{errAt(geometry, 1, "51.5182, 7.469")},
			says: []string{"Achsen vertauscht?", "Länge 7.469, Breite 51.5182"}, tol: 1e-9},
		{file: "unclosed_ring.geojson", keys: []string{"DOB"}, issues: []want{noteAt(0), warnAt(geometry, 1, "388000, 5709000")},
			says: []string{"statt beim ersten Punkt 388000, 5708000"}},
		{file: "bowtie.geojson", keys: []string{"MAR"}, issues: []want{noteAt(0), errAt(geometry, 2, "382500, 5714500")},
			says: []string{"schneidet oder berührt sich selbst bei 382500, 5714500 (WGS84: 7.3045982, 51.5693153)"}},
		{file: "empty_geometry.geojson", issues: []want{errAt(geometry, 1, "null"), errAt(geometry, 2, "Polygon"), errAt(geometry, 3, "MultiPolygon"), errAt(geometry, 4, "GeometryCollection")}},
		// HOE and WIC overlap by 200 m × 200 m in UTM, 40,021 m² on the
		// ellipsoid (UTM's scale there is 0.99974); ASC shares HOE's edge,
		// on which HOE has a vertex more (see TestOverlapInFileSystem).
		{file: "overlap.geojson", keys: []string{"HOE", "WIC", "ASC"}, issues: []want{noteAt(0), warnAt(geometry, 2, "40.021 m²")},
			says: []string{"„WIC“ überschneidet die von „HOE“ (Feature 1)"}},
		{file: "unknown_crs_31467.geojson", issues: []want{errAt(geometry, 0, "urn:ogc:def:crs:EPSG::31467")}},
		// Windows export: byte order mark, CRLF, legacy crs, names with umlauts.
		{file: "dortmund_wgs84_bom.geojson", keys: []string{"Borsigplatz", "Hörde", "Eving-Lindenhorst"}},
		{file: "dortmund_utm32.geojson", keys: []string{"HOE"}, issues: []want{noteAt(0)}},
		// UTM coordinates without a crs member, read as WGS84 or as configured.
		{file: "dortmund_utm32_no_crs.geojson", issues: []want{errAt(geometry, 1, "393500, 5709000")},
			says: []string{"Falsches Koordinatensystem? In EPSG:25832 oder EPSG:25833 läge der Punkt in Deutschland"}},
		{file: "dortmund_utm32_no_crs.geojson", reader: Reader{CRS: "EPSG:25832"}, keys: []string{"HOE"}, issues: []want{noteAt(0)}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(tt.file+" "+tt.reader.CRS), func(t *testing.T) {
			rep := &pipeline.Report{}
			bs := readFixture(t, tt.file, tt.reader, rep)
			if keys := keysOf(bs); fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %q, want %q", keys, tt.keys)
			}
			checkIssues(t, tt.file, rep, tt.issues)
			var text strings.Builder
			for _, i := range rep.Issues {
				text.WriteString(i.String() + "\n")
			}
			for _, s := range tt.says {
				if !strings.Contains(text.String(), s) {
					t.Errorf("no message says %q:\n%s", s, text.String())
				}
			}
			if tt.tol == 0 {
				return
			}
			worst := 0.0
			for _, b := range bs {
				worst = max(worst, deviation(t, b, ref[b.Key]))
			}
			if worst > tt.tol {
				t.Errorf("positions up to %.4f m from the reference, want at most %g m", worst, tt.tol)
			}
			t.Logf("largest deviation from the reference: %.3f mm", worst*1000)
		})
	}
}

func readFixture(t *testing.T, name string, rd Reader, rep *pipeline.Report) []pipeline.Boundary {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bs, err := rd.ReadBoundaries(name, f, rep)
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

// deviation returns the largest distance in metres between the positions of
// b and those of want, which must have the same shape.
func deviation(t *testing.T, b pipeline.Boundary, want orb.MultiPolygon) float64 {
	t.Helper()
	worst := 0.0
	if len(b.Geometry) != len(want) {
		t.Fatalf("%s: %d polygons, want %d", b.Key, len(b.Geometry), len(want))
	}
	for i, p := range b.Geometry {
		if len(p) != len(want[i]) {
			t.Fatalf("%s: polygon %d has %d rings, want %d", b.Key, i, len(p), len(want[i]))
		}
		for k, r := range p {
			if len(r) != len(want[i][k]) {
				t.Fatalf("%s: ring %d.%d has %d points, want %d", b.Key, i, k, len(r), len(want[i][k]))
			}
			for n, pt := range r {
				worst = max(worst, metres(pt, want[i][k][n]))
			}
		}
	}
	return worst
}

// FuzzReadBoundaries checks that any input gives boundaries, issues or a
// *pipeline.BadInput, never a panic or another error.
func FuzzReadBoundaries(f *testing.F) {
	for _, s := range []string{
		fc(feat(`{"code":"A"}`, polygon)), multiPolygon, `{"type":"Feature"}`, `[`,
		`{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection"}]}`,
		fcCRS("EPSG:25832", feat(`{"code":"A"}`, utmPolygon), feat(`{"code":"B"}`, utmPolygon)),
		fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.6],[7.5,51.5],[7.4,51.6]]]}`)),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rep := &pipeline.Report{}
		bs, err := Reader{}.ReadBoundaries(file, strings.NewReader(in), rep)
		var bad *pipeline.BadInput
		if err != nil && !errors.As(err, &bad) {
			t.Fatalf("error %v", err)
		}
		for _, b := range bs {
			if b.Key == "" || len(b.Geometry) == 0 || b.Pos.Feature == 0 {
				t.Errorf("boundary %+v", b)
			}
		}
	})
}

// FuzzGeometryChecks feeds rings of arbitrary shape around Dortmund to the
// validity and overlap checks, which must report, never panic.
func FuzzGeometryChecks(f *testing.F) {
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10, 5, 5, 15, 5, 15, 15, 5, 15})
	f.Add([]byte{0, 0, 10, 10, 10, 0, 0, 10, 0, 0, 10, 0, 10, 10, 0, 10})
	f.Add([]byte{0, 0, 10, 0, 10, 10, 0, 10, 10, 0, 20, 0, 20, 10, 10, 10})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 12 {
			return
		}
		ring := func(b []byte) string {
			var pts []string
			for i := 0; i+1 < len(b); i += 2 {
				pts = append(pts, fmt.Sprintf("[%v,%v]", 7.4+float64(b[i])/1000, 51.5+float64(b[i+1])/1000))
			}
			return `{"type":"Polygon","coordinates":[[` + strings.Join(append(pts, pts[0]), ",") + `]]}`
		}
		half := len(b) / 2 &^ 1
		in := fc(feat(`{"code":"A"}`, ring(b[:half])), feat(`{"code":"B"}`, ring(b[half:])),
			feat(`{"code":"C"}`, `{"type":"GeometryCollection","geometries":[`+ring(b[:half])+`,`+ring(b[half:])+`]}`))
		rep := &pipeline.Report{}
		if _, err := (Reader{}).ReadBoundaries(file, strings.NewReader(in), rep); err != nil {
			t.Fatal(err)
		}
	})
}

// A run whose other inputs failed stops the checks of boundaries already
// read: with its context done, the reader returns the context's error
// without checking a geometry, also through the size limit of sources.
func TestReadBoundariesContextStops(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "gdal_utm32.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, rd := range map[string]pipeline.ContextBoundaryReader{
		"geojson": Reader{}, "sources": sources.Boundaries{Reader: Reader{}},
	} {
		var rep pipeline.Report
		bs, err := rd.ReadBoundariesContext(ctx, "grenzen.geojson", strings.NewReader(string(data)), &rep)
		if !errors.Is(err, context.Canceled) || bs != nil {
			t.Errorf("%s: %d boundaries, error %v; want none and the context's error", name, len(bs), err)
		}
	}
	// Not done, the same as ReadBoundaries.
	var rep, rep2 pipeline.Report
	want, _ := Reader{}.ReadBoundaries("grenzen.geojson", strings.NewReader(string(data)), &rep)
	got, err := Reader{}.ReadBoundariesContext(context.Background(), "grenzen.geojson", strings.NewReader(string(data)), &rep2)
	if err != nil || len(got) != len(want) || len(got) == 0 || len(rep.Issues) != len(rep2.Issues) {
		t.Errorf("with a context: %d boundaries, %d issues, error %v; without: %d, %d", len(got), len(rep2.Issues), err, len(want), len(rep.Issues))
	}
}
