package geojson

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

const file = "grenzen.geojson"

// Inline GeoJSON pieces.
const (
	polygon      = `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]]]}`
	polygon2     = `{"type":"Polygon","coordinates":[[[7.6,51.5],[7.7,51.5],[7.7,51.6],[7.6,51.5]]]}`
	multiPolygon = `{"type":"MultiPolygon","coordinates":[[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]]],[[[7.6,51.5],[7.7,51.5],[7.7,51.6],[7.6,51.5]]]]}`
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

// want is an expected issue: its code, the feature number (0 for the whole
// file), the value found and, for key issues, the property.
type want struct {
	code    string
	feature int
	value   string
	field   string
}

func (w want) String() string {
	return fmt.Sprintf("%s at feature %d, value %q, field %q", w.code, w.feature, w.value, w.field)
}

func got(rep *pipeline.Report) []want {
	var out []want
	for _, i := range rep.Issues {
		if i.Severity != pipeline.Error {
			panic("every issue of the reader is an error")
		}
		out = append(out, want{i.Code, i.Pos.Feature, i.Value, i.Pos.Field})
	}
	return out
}

func TestReadBoundaries(t *testing.T) {
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
		{name: "bare polygon without file name", file: "https://example.org/", in: polygon, issues: []want{{pipeline.CodeMissingCell, 1, "", ""}}},
		{name: "bare polygon in a Windows folder", file: `C:\Daten\BOR.geojson`, in: polygon, keys: []string{"BOR"}},
		{name: "bare point", file: "BOR.json", in: `{"type":"Point","coordinates":[7.4,51.5]}`, issues: []want{{pipeline.CodeGeometry, 1, "Point", ""}}},
		{name: "empty collection", in: fc(), issues: []want{{pipeline.CodeBlankTable, 0, "", ""}}},
		{name: "collection without features", in: `{"type":"FeatureCollection"}`, issues: []want{{pipeline.CodeBlankTable, 0, "", ""}}},
		{name: "entry not a feature", in: fc(`{"type":"Polygon"}`, `5`, feat(`{"code":"BOR"}`, polygon)), keys: []string{"BOR"},
			issues: []want{{pipeline.CodeMalformed, 1, "Polygon", ""}, {pipeline.CodeMalformed, 2, "", ""}}},
		{name: "properties not an object", in: fc(`{"type":"Feature","properties":[1],"geometry":` + polygon + `}`), issues: []want{{pipeline.CodeMalformed, 1, "Feature", ""}}},

		// Keys.
		{name: "configured property", reader: Reader{IDProperty: "kuerzel"}, in: fc(feat(`{"kuerzel":"BOR","code":"X"}`, polygon)), keys: []string{"BOR"}},
		{name: "configured property missing", reader: Reader{IDProperty: "kuerzel"}, in: fc(feat(`{"code":"BOR"}`, polygon)),
			issues: []want{{pipeline.CodeMissingCell, 1, "", "kuerzel"}}},
		{name: "code before id and name", in: fc(`{"type":"Feature","id":"X","properties":{"name":"Y","code":" BOR "},"geometry":` + polygon + `}`), keys: []string{"BOR"}},
		{name: "numeric code", in: fc(feat(`{"code":12}`, polygon)), keys: []string{"12"}},
		{name: "string id", in: fc(`{"type":"Feature","id":"HOE","properties":{"name":"Y"},"geometry":` + polygon + `}`), keys: []string{"HOE"}},
		{name: "numeric id", in: fc(`{"type":"Feature","id":7,"properties":null,"geometry":` + polygon + `}`), keys: []string{"7"}},
		{name: "blank code falls back to id", in: fc(`{"type":"Feature","id":"HOE","properties":{"code":" "},"geometry":` + polygon + `}`), keys: []string{"HOE"}},
		{name: "name", in: fc(feat(`{"name":"Hörde"}`, polygon)), keys: []string{"Hörde"}},
		{name: "Name", in: fc(feat(`{"Name":"Eving-Lindenhorst"}`, polygon)), keys: []string{"Eving-Lindenhorst"}},
		{name: "NAME", in: fc(feat(`{"NAME":"Marten"}`, polygon)), keys: []string{"Marten"}},
		{name: "no key", in: fc(feat(`{"flaeche":1.5,"code":true}`, polygon), feat(`{"code":"HOE"}`, polygon)), keys: []string{"HOE"},
			issues: []want{{pipeline.CodeMissingCell, 1, "", ""}}},

		// Geometries.
		{name: "polygon and multipolygon", in: fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, multiPolygon)), keys: []string{"A", "B"}},
		{name: "geometry collection of polygons", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[`+polygon+`,`+polygon2+`]}`)), keys: []string{"A"}},
		{name: "point", in: fc(feat(`{"code":"A"}`, `{"type":"Point","coordinates":[7.4,51.5]}`)), issues: []want{{pipeline.CodeGeometry, 1, "Point", ""}}},
		{name: "line", in: fc(feat(`{"code":"A"}`, `{"type":"LineString","coordinates":[[7.4,51.5],[7.5,51.6]]}`)), issues: []want{{pipeline.CodeGeometry, 1, "LineString", ""}}},
		{name: "null geometry", in: fc(feat(`{"code":"A"}`, `null`)), issues: []want{{pipeline.CodeGeometry, 1, "null", ""}}},
		{name: "no geometry member", in: fc(`{"type":"Feature","properties":{"code":"A"}}`), issues: []want{{pipeline.CodeGeometry, 1, "null", ""}}},
		{name: "empty polygon", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[]}`)), issues: []want{{pipeline.CodeGeometry, 1, "Polygon", ""}}},
		{name: "empty multipolygon", in: fc(feat(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[]}`)), issues: []want{{pipeline.CodeGeometry, 1, "MultiPolygon", ""}}},
		{name: "ring of three points", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.4,51.5]]]}`)), issues: []want{{pipeline.CodeGeometry, 1, "Polygon", ""}}},
		{name: "ring not closed", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.6]]]}`)), issues: []want{{pipeline.CodeGeometry, 1, "Polygon", ""}}},
		{name: "hole not closed", in: fc(feat(`{"code":"A"}`, `{"type":"MultiPolygon","coordinates":[[[[7.4,51.5],[7.5,51.5],[7.5,51.6],[7.4,51.5]],[[7.45,51.52],[7.46,51.52],[7.46,51.53],[7.45,51.54]]]]}`)),
			issues: []want{{pipeline.CodeGeometry, 1, "MultiPolygon", ""}}},
		{name: "collection with a point", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[`+polygon+`,{"type":"Point","coordinates":[7.4,51.5]}]}`)),
			issues: []want{{pipeline.CodeGeometry, 1, "GeometryCollection", ""}}},
		{name: "empty geometry collection", in: fc(feat(`{"code":"A"}`, `{"type":"GeometryCollection","geometries":[]}`)), issues: []want{{pipeline.CodeGeometry, 1, "GeometryCollection", ""}}},
		{name: "unknown geometry type", in: fc(feat(`{"code":"A"}`, `{"type":"Circle","radius":3}`)), issues: []want{{pipeline.CodeGeometry, 1, "Circle", ""}}},
		{name: "unreadable coordinates", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":"7.4 51.5"}`)), issues: []want{{pipeline.CodeGeometry, 1, "Polygon", ""}}},
		{name: "projected coordinates", in: fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[391000.5,5710000],[392000,5711000],[7.4,51.5]]]}`)),
			keys: []string{"A"}, issues: []want{{pipeline.CodeGeometry, 2, "391000.5, 5710000", ""}}},
		{name: "latitude beyond 90", in: fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4,51.5],[7.5,91],[7.5,51.6],[7.4,51.5]]]}`)), issues: []want{{pipeline.CodeGeometry, 1, "7.5, 91", ""}}},
		{name: "every problem collected", in: fc(
			feat(`{"code":"A"}`, `null`),
			feat(`{"code":"B"}`, polygon),
			feat(`{}`, `{"type":"Point","coordinates":[7.4,51.5]}`),
			feat(`{"code":"D"}`, multiPolygon),
		), keys: []string{"B", "D"}, issues: []want{{pipeline.CodeGeometry, 1, "null", ""}, {pipeline.CodeGeometry, 3, "Point", ""}, {pipeline.CodeMissingCell, 3, "", ""}}},

		// Coordinate reference systems.
		{name: "crs EPSG::4326", in: fcCRS("urn:ogc:def:crs:EPSG::4326", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs EPSG:4326", in: fcCRS("EPSG:4326", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs CRS84", in: fcCRS("urn:ogc:def:crs:OGC:1.3:CRS84", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs ETRS89", in: fcCRS("urn:ogc:def:crs:EPSG::4258", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs as URL", in: fcCRS("http://www.opengis.net/def/crs/EPSG/0/4326", feat(`{"code":"A"}`, polygon)), keys: []string{"A"}},
		{name: "crs null", in: `{"type":"FeatureCollection","crs":null,"features":[` + feat(`{"code":"A"}`, polygon) + `]}`, keys: []string{"A"}},
		{name: "crs on a single feature", in: `{"type":"Feature","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"properties":{"code":"A"},"geometry":` + polygon + `}`,
			issues: []want{{pipeline.CodeGeometry, 0, "EPSG:3857", ""}}},
		{name: "crs UTM 32", in: fcCRS("urn:ogc:def:crs:EPSG::25832", feat(`{"code":"A"}`, polygon)), issues: []want{{pipeline.CodeGeometry, 0, "urn:ogc:def:crs:EPSG::25832", ""}}},
		{name: "crs UTM 33", in: fcCRS("EPSG:25833", feat(`{"code":"A"}`, polygon)), issues: []want{{pipeline.CodeGeometry, 0, "EPSG:25833", ""}}},
		{name: "crs link", in: `{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"https://example.org/crs.prj"}},"features":[]}`,
			issues: []want{{pipeline.CodeGeometry, 0, "https://example.org/crs.prj", ""}}},
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
			var keys []string
			for _, b := range bs {
				keys = append(keys, b.Key)
				if b.Pos.File != name || b.Pos.Feature == 0 {
					t.Errorf("boundary %s at %+v", b.Key, b.Pos)
				}
			}
			if fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %q, want %q", keys, tt.keys)
			}
			if g := got(rep); fmt.Sprint(g) != fmt.Sprint(tt.issues) {
				t.Errorf("issues\n got %v\nwant %v", g, tt.issues)
			}
			for _, i := range rep.Issues {
				if i.Pos.File != name || i.Message == "" || i.Expected == "" {
					t.Errorf("issue without file, message or expectation: %+v", i)
				}
			}
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
			{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.5}}},
			{{{7.6, 51.5}, {7.7, 51.5}, {7.7, 51.6}, {7.6, 51.5}}},
		}},
		{"geometry collection flattened", `{"type":"GeometryCollection","geometries":[` + polygon2 + `,` + multiPolygon + `]}`, orb.MultiPolygon{
			{{{7.6, 51.5}, {7.7, 51.5}, {7.7, 51.6}, {7.6, 51.5}}},
			{{{7.4, 51.5}, {7.5, 51.5}, {7.5, 51.6}, {7.4, 51.5}}},
			{{{7.6, 51.5}, {7.7, 51.5}, {7.7, 51.6}, {7.6, 51.5}}},
		}},
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

// TestFixtures reads files as GIS tools export them.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file   string
		keys   []string
		issues []want
	}{
		// Windows export: byte order mark, CRLF, legacy crs, names with umlauts.
		{"dortmund_wgs84_bom.geojson", []string{"Borsigplatz", "Hörde", "Eving-Lindenhorst"}, nil},
		// UTM zone 32 with its crs member: not supported yet.
		{"dortmund_utm32.geojson", nil, []want{{pipeline.CodeGeometry, 0, "urn:ogc:def:crs:EPSG::25832", ""}}},
		// UTM coordinates without a crs member.
		{"dortmund_utm32_no_crs.geojson", nil, []want{{pipeline.CodeGeometry, 1, "393500, 5709000", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rep := &pipeline.Report{}
			bs, err := Reader{}.ReadBoundaries(tt.file, f, rep)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, b := range bs {
				keys = append(keys, b.Key)
			}
			if fmt.Sprint(keys) != fmt.Sprint(tt.keys) {
				t.Errorf("keys %q, want %q", keys, tt.keys)
			}
			if g := got(rep); fmt.Sprint(g) != fmt.Sprint(tt.issues) {
				t.Errorf("issues\n got %v\nwant %v", g, tt.issues)
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

// FuzzReadBoundaries checks that any input gives boundaries, issues or a
// *pipeline.BadInput, never a panic or another error.
func FuzzReadBoundaries(f *testing.F) {
	for _, s := range []string{fc(feat(`{"code":"A"}`, polygon)), multiPolygon, `{"type":"Feature"}`, `[`, `{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection"}]}`} {
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
