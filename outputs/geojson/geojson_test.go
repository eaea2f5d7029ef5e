package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	orbgeojson "github.com/paulmach/orb/geojson"

	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// areas is a small spatial dataset whose columns are in neither alphabetic
// nor any map order.
var areas = &pipeline.Dataset{
	Name: "aktionsraeume",
	Columns: []pipeline.Column{
		{Name: "code", Type: "string"},
		{Name: "name", Type: "string"},
		{Name: "flaeche_km2", Type: "number"},
		{Name: "einwohner", Type: "integer"},
		{Name: "bewilligt_eur", Type: "number"},
		{Name: "ueberschritten", Type: "boolean"},
		{Name: "beschlussdatum", Type: "date"},
	},
	Spatial: true,
	About:   pipeline.About{Note: "Beispieldaten, keine amtlichen Zahlen"},
}

// square is a ring around (x, y) with side d, clockwise when cw is set.
func square(x, y, d float64, cw bool) orb.Ring {
	r := orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
	if cw {
		r.Reverse()
	}
	return r
}

func twoAreas() []pipeline.Feature {
	return []pipeline.Feature{
		{
			ID:     "BOR",
			Values: []any{"BOR", "Borsigplatz", 2.345, int64(12345), 5000.0, false, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
			// Exterior clockwise, hole counter-clockwise: both get reversed.
			Geometry: orb.MultiPolygon{{square(7.47, 51.52, 0.02, true), square(7.475, 51.525, 0.005, false)}},
		},
		{
			ID:     "HOE",
			Values: []any{"HOE", "Hörde", 4.5, int64(20100), 6250.5, true, nil},
			Geometry: orb.MultiPolygon{
				{square(7.49, 51.48, 0.01, false)},
				{square(7.5123456789, 51.4912345678, 0.01, false)},
			},
		},
	}
}

// encode writes features through a fresh WGS84 encoder of ds and returns the
// file.
func encode(t testing.TB, ds *pipeline.Dataset, feats ...pipeline.Feature) []byte {
	t.Helper()
	return encodeAs(t, Format{}, ds, feats...)
}

// encodeAs writes features through a fresh encoder of format f.
func encodeAs(t testing.TB, f Format, ds *pipeline.Dataset, feats ...pipeline.Feature) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := f.NewEncoder(&buf, ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feats {
		if err := enc.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// oneColumn is a dataset with a single property "v".
var oneColumn = &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{{Name: "v"}}, Spatial: true}

// featureLine returns the single feature line of an encoded one-feature file.
func featureLine(t *testing.T, file []byte) string {
	t.Helper()
	lines := strings.Split(string(file), "\n")
	if len(lines) != 4 {
		t.Fatalf("want header, feature, end and final newline, got %d lines:\n%s", len(lines), file)
	}
	return lines[1]
}

func TestGolden(t *testing.T) {
	for _, f := range []Format{{}, {CRS: 25832}} {
		name := f.FileName(areas)
		t.Run(name, func(t *testing.T) {
			got := encodeAs(t, f, areas, twoAreas()...)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".geojson")+".golden.geojson")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update after checking the change):\n%s", golden, got)
			}
			if again := encodeAs(t, f, areas, twoAreas()...); !bytes.Equal(got, again) {
				t.Error("two runs over the same input wrote different bytes")
			}
		})
	}
}

func TestOrientation(t *testing.T) {
	outer, hole := square(7, 51, 1, false), square(7.25, 51.25, 0.5, true)
	tests := []struct {
		name string
		in   orb.Geometry
		want orb.Geometry
	}{
		{"counter-clockwise exterior kept", orb.Polygon{outer}, orb.Polygon{outer}},
		{"clockwise exterior reversed", orb.Polygon{square(7, 51, 1, true)}, orb.Polygon{outer}},
		{"clockwise hole kept", orb.Polygon{outer, hole}, orb.Polygon{outer, hole}},
		{"counter-clockwise hole reversed", orb.Polygon{outer, square(7.25, 51.25, 0.5, false)}, orb.Polygon{outer, hole}},
		{"both wrong", orb.Polygon{square(7, 51, 1, true), square(7.25, 51.25, 0.5, false)}, orb.Polygon{outer, hole}},
		{"open ring closed", orb.Polygon{outer[:4]}, orb.Polygon{outer}},
		{"multipolygon of one written as polygon", orb.MultiPolygon{{square(7, 51, 1, true)}}, orb.Polygon{outer}},
		{
			"each polygon of a multipolygon",
			orb.MultiPolygon{{square(7, 51, 1, true)}, {square(9, 51, 1, false), square(9.25, 51.25, 0.5, false)}},
			orb.MultiPolygon{{outer}, {square(9, 51, 1, false), square(9.25, 51.25, 0.5, true)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := orb.Clone(tt.in)
			file := encode(t, oneColumn, pipeline.Feature{ID: "X", Values: []any{nil}, Geometry: tt.in})
			if !orb.Equal(tt.in, before) {
				t.Errorf("the caller's geometry was changed: %v", tt.in)
			}
			f, err := orbgeojson.UnmarshalFeature([]byte(featureLine(t, file)))
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(f.Geometry, tt.want) {
				t.Errorf("geometry\n got %v\nwant %v", f.Geometry, tt.want)
			}
		})
	}
}

func TestRounding(t *testing.T) {
	tests := []struct {
		name     string
		x, y     float64
		wantPt   string
		wantBBox string
	}{
		{"seven decimals", 7.123456749, 51.987654321, "[7.1234567,51.9876543]", `"bbox":[7.1234567,51.9876543,8.1234567,52.9876543]`},
		{"integers without decimals", 8, 51, "[8,51]", `"bbox":[8,51,9,52]`},
		{"no trailing zeros", 7.5, 51.25, "[7.5,51.25]", `"bbox":[7.5,51.25,8.5,52.25]`},
		{"no negative zero", -0.00000001, -0.00000004, "[0,0]", `"bbox":[0,0,1,1]`},
		{"negative", -3.14159265, -0.5, "[-3.1415927,-0.5]", `"bbox":[-3.1415927,-0.5,-2.1415927,0.5]`},
		{"no exponent", 0.0000001, 1e-7, "[0.0000001,0.0000001]", `"bbox":[0.0000001,0.0000001,1.0000001,1.0000001]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := featureLine(t, encode(t, oneColumn, pipeline.Feature{Values: []any{nil}, Geometry: orb.Polygon{square(tt.x, tt.y, 1, false)}}))
			if !strings.Contains(line, `"coordinates":[[`+tt.wantPt+",") {
				t.Errorf("first position is not %s: %s", tt.wantPt, line)
			}
			if !strings.Contains(line, tt.wantBBox) {
				t.Errorf("bbox is not %s: %s", tt.wantBBox, line)
			}
		})
	}
	t.Run("positions equal after rounding written once", func(t *testing.T) {
		r := orb.Ring{{7, 51}, {8, 51}, {8.00000001, 51.00000002}, {8, 52}, {7, 51}}
		line := featureLine(t, encode(t, oneColumn, pipeline.Feature{Values: []any{nil}, Geometry: orb.Polygon{r}}))
		if want := `"coordinates":[[[7,51],[8,51],[8,52],[7,51]]]`; !strings.Contains(line, want) {
			t.Errorf("want %s in %s", want, line)
		}
	})
}

// sum adds at run time; constant expressions are exact in Go.
func sum(a, b float64) float64 { return a + b }

func TestValues(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil", nil, `null`},
		{"string", "Hörde", `"Hörde"`},
		{"string escaped", "a \"b\" \\ c\nd\te\x01", `"a \"b\" \\ c\nd\te\u0001"`},
		{"string html kept", "<a>&", `"<a>&"`},
		{"string invalid utf-8", "a\xffb", `"a\ufffdb"`},
		{"string line separator", "a\u2028b", `"a\u2028b"`},
		{"int64", int64(5000), `5000`},
		{"int64 negative", int64(-12), `-12`},
		{"int", 7, `7`},
		{"float integral", 5000.0, `5000`},
		{"float short", 2.345, `2.345`},
		{"float shortest round trip", sum(0.1, 0.2), `0.30000000000000004`},
		{"float large without exponent", 1e21, `1000000000000000000000`},
		{"float small without exponent", 1.5e-7, `0.00000015`},
		{"float negative zero", math.Copysign(0, -1), `0`},
		{"bool true", true, `true`},
		{"bool false", false, `false`},
		{"date", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), `"2024-03-05"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := featureLine(t, encode(t, oneColumn, pipeline.Feature{Values: []any{tt.v}}))
			if want := `"properties":{"v":` + tt.want + `}}`; !strings.HasSuffix(line, want) {
				t.Errorf("want suffix %s in %s", want, line)
			}
			if !json.Valid([]byte(line)) {
				t.Errorf("not valid JSON: %s", line)
			}
		})
	}
}

func TestPropertyOrder(t *testing.T) {
	ds := &pipeline.Dataset{Name: "t", Spatial: true, Columns: []pipeline.Column{{Name: "zeta"}, {Name: "alpha"}, {Name: "mu"}, {Name: "beta"}}}
	line := featureLine(t, encode(t, ds, pipeline.Feature{Values: []any{int64(1), int64(2), int64(3), int64(4)}}))
	dec := json.NewDecoder(strings.NewReader(line[strings.Index(line, `"properties":`)+len(`"properties":`) : len(line)-1]))
	var keys []string
	dec.Token() // {
	for dec.More() {
		k, _ := dec.Token()
		keys = append(keys, k.(string))
		dec.Token() // value
	}
	if got, want := strings.Join(keys, ","), "zeta,alpha,mu,beta"; got != want {
		t.Errorf("property order %s, want %s", got, want)
	}
}

func TestNullGeometry(t *testing.T) {
	tests := []struct {
		name string
		g    orb.Geometry
	}{
		{"nil", nil},
		{"nil multipolygon", orb.MultiPolygon(nil)},
		{"multipolygon of empty polygons", orb.MultiPolygon{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := string(encode(t, oneColumn, pipeline.Feature{ID: "X", Values: []any{"a"}, Geometry: tt.g}))
			want := `{"type":"FeatureCollection","name":"t","features":[` + "\n" +
				`{"type":"Feature","id":"X","geometry":null,"properties":{"v":"a"}}` + "\n" +
				"]}\n"
			if file != want {
				t.Errorf("got\n%s\nwant\n%s", file, want)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	file := string(encode(t, &pipeline.Dataset{Name: "leer", About: pipeline.About{Note: "Hinweis"}}))
	if want := `{"type":"FeatureCollection","name":"leer","hinweis":"Hinweis","features":[` + "\n]}\n"; file != want {
		t.Errorf("got %q, want %q", file, want)
	}
}

// failingWriter fails every write after the first n.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errDiskFull
	}
	w.n--
	return len(p), nil
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		f    pipeline.Feature
		want error
	}{
		{"too few values", pipeline.Feature{Values: []any{}}, ErrValue},
		{"too many values", pipeline.Feature{Values: []any{1, 2}}, ErrValue},
		{"unsupported type", pipeline.Feature{Values: []any{int32(1)}}, ErrValue},
		{"NaN", pipeline.Feature{Values: []any{math.NaN()}}, ErrValue},
		{"infinity", pipeline.Feature{Values: []any{math.Inf(1)}}, ErrValue},
		{"point", pipeline.Feature{Values: []any{nil}, Geometry: orb.Point{7, 51}}, ErrGeometry},
		{"line", pipeline.Feature{Values: []any{nil}, Geometry: orb.LineString{{7, 51}, {8, 52}}}, ErrGeometry},
		{"ring of two positions", pipeline.Feature{Values: []any{nil}, Geometry: orb.Polygon{{{7, 51}, {8, 52}, {7, 51}}}}, ErrGeometry},
		{"ring collapsed by rounding", pipeline.Feature{Values: []any{nil}, Geometry: orb.Polygon{{{7, 51}, {7.00000001, 51}, {7, 51.00000001}, {7, 51}}}}, ErrGeometry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := Format{}.NewEncoder(&buf, oneColumn)
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.Write(tt.f); !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			// A rejected feature leaves nothing behind: the file stays valid.
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(buf.Bytes()) {
				t.Errorf("not valid JSON after a rejected feature: %s", buf.Bytes())
			}
		})
	}
	t.Run("write after close", func(t *testing.T) {
		enc, _ := Format{}.NewEncoder(io.Discard, oneColumn)
		enc.Close()
		if err := enc.Write(pipeline.Feature{Values: []any{nil}}); !errors.Is(err, ErrClosed) {
			t.Errorf("error %v, want %v", err, ErrClosed)
		}
		if err := enc.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("second close: error %v, want %v", err, ErrClosed)
		}
	})
	t.Run("writer error sticks", func(t *testing.T) {
		if _, err := (Format{}).NewEncoder(&failingWriter{}, oneColumn); !errors.Is(err, errDiskFull) {
			t.Errorf("NewEncoder: error %v, want %v", err, errDiskFull)
		}
		enc, _ := Format{}.NewEncoder(&failingWriter{n: 1}, oneColumn)
		f := pipeline.Feature{Values: []any{nil}}
		if err := enc.Write(f); !errors.Is(err, errDiskFull) {
			t.Errorf("Write: error %v, want %v", err, errDiskFull)
		}
		if err := enc.Write(f); !errors.Is(err, errDiskFull) {
			t.Errorf("second Write: error %v, want %v", err, errDiskFull)
		}
		if err := enc.Close(); !errors.Is(err, errDiskFull) {
			t.Errorf("Close: error %v, want %v", err, errDiskFull)
		}
	})
}

// TestParseBack reads the output with encoding/json and with orb's GeoJSON
// decoder.
func TestParseBack(t *testing.T) {
	file := encode(t, areas, twoAreas()...)

	var doc struct {
		Type     string    `json:"type"`
		Name     string    `json:"name"`
		Hinweis  string    `json:"hinweis"`
		BBox     []float64 `json:"bbox"`
		Features []struct {
			Type       string         `json:"type"`
			ID         string         `json:"id"`
			BBox       []float64      `json:"bbox"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(file, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != "FeatureCollection" || doc.Name != "aktionsraeume" || doc.Hinweis != areas.About.Note {
		t.Errorf("collection members: %q %q %q", doc.Type, doc.Name, doc.Hinweis)
	}
	if len(doc.Features) != 2 || doc.Features[0].ID != "BOR" || doc.Features[1].ID != "HOE" {
		t.Fatalf("features: %+v", doc.Features)
	}
	if got := doc.Features[1].Properties["bewilligt_eur"]; got != 6250.5 {
		t.Errorf("bewilligt_eur of HOE = %v", got)
	}
	if got := doc.Features[0].Properties["beschlussdatum"]; got != "2024-03-05" {
		t.Errorf("beschlussdatum of BOR = %v", got)
	}
	if got := doc.Features[1].Properties["beschlussdatum"]; got != nil {
		t.Errorf("beschlussdatum of HOE = %v, want null", got)
	}

	fc, err := orbgeojson.UnmarshalFeatureCollection(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fc.ExtraMembers["crs"]; ok {
		t.Error("RFC 7946 has no crs member")
	}
	bound := orb.MultiPoint(nil).Bound()
	for i, f := range fc.Features {
		var polys orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			polys = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			polys = g
		default:
			t.Fatalf("feature %d: geometry %T", i+1, g)
		}
		for _, p := range polys {
			for k, r := range p {
				want := orb.CCW
				if k > 0 {
					want = orb.CW
				}
				if !r.Closed() || r.Orientation() != want {
					t.Errorf("feature %d, ring %d: closed %v, orientation %v", i+1, k+1, r.Closed(), r.Orientation())
				}
			}
		}
		if b := f.Geometry.Bound(); f.BBox.Bound() != b {
			t.Errorf("feature %d: bbox %v, bound of geometry %v", i+1, f.BBox, b)
		}
		bound = bound.Union(f.Geometry.Bound())
	}
	if fc.BBox.Bound() != bound {
		t.Errorf("collection bbox %v, union of features %v", fc.BBox, bound)
	}
	if _, ok := fc.Features[0].Geometry.(orb.Polygon); !ok {
		t.Errorf("BOR: a multipolygon of one polygon should be written as Polygon, is %T", fc.Features[0].Geometry)
	}
	if _, ok := fc.Features[1].Geometry.(orb.MultiPolygon); !ok {
		t.Errorf("HOE: want MultiPolygon, is %T", fc.Features[1].Geometry)
	}
}

// FuzzAppendString checks the string escaping against encoding/json.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "Hörde", "a\"b\\c", "\x00\x1f\x7f", "\xff\xfe", "\u2028\u2029", "<&>", "\b\f\n\r\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(buf.String(), "\n")
		if got := string(appendString(nil, s)); got != want {
			t.Errorf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}

// BenchmarkEncoder writes 2,000 polygons of 60 vertices, a tenth of them
// clockwise, with a few properties each.
func BenchmarkEncoder(b *testing.B) { benchmarkEncoder(b, Format{}) }

// BenchmarkEncoderUTM32 writes the same in EPSG:25832: the projection of
// every vertex comes on top.
func BenchmarkEncoderUTM32(b *testing.B) { benchmarkEncoder(b, Format{CRS: 25832}) }

func benchmarkEncoder(b *testing.B, format Format) {
	const polygons, vertices = 2000, 60
	feats := make([]pipeline.Feature, polygons)
	for i := range feats {
		cx, cy := 7.3+float64(i%50)*0.01, 51.4+float64(i/50)*0.01
		r := make(orb.Ring, vertices+1)
		for k := range vertices {
			a := 2 * math.Pi * float64(k) / vertices
			r[k] = orb.Point{cx + 0.004*math.Cos(a), cy + 0.003*math.Sin(a)}
		}
		r[vertices] = r[0]
		if i%10 == 0 {
			r.Reverse()
		}
		feats[i] = pipeline.Feature{
			ID:       "A" + string(rune('A'+i%26)),
			Values:   []any{"ABC", "Name des Aktionsraums", 1.234, int64(i), 5000.5, i%2 == 0, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
			Geometry: orb.MultiPolygon{{r}},
		}
	}
	b.ReportAllocs()
	var size int64
	for b.Loop() {
		cw := &countingWriter{}
		enc, err := format.NewEncoder(cw, areas)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range feats {
			if err := enc.Write(f); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.SetBytes(size)
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

func TestNumberColumnsStayReal(t *testing.T) {
	for _, tc := range []struct {
		v    any
		real bool
		want string
	}{
		{5000.0, true, "5000.0"},
		{int64(5000), true, "5000.0"},
		{2.5, true, "2.5"},
		{5000.0, false, "5000"},
		{int64(7), false, "7"},
	} {
		got, err := appendValue(nil, tc.v, tc.real)
		if err != nil || string(got) != tc.want {
			t.Errorf("appendValue(%v, %v) = %s, %v; want %s", tc.v, tc.real, got, err, tc.want)
		}
	}
}
