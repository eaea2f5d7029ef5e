package geojson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"aktionsplan/pipeline"
)

// streamInputs are files whose reading must not depend on how the reader
// hands out their bytes: the fixtures, a feature larger than the window,
// bad JSON at several depths and a crs member after the features.
func streamInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.geojson"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		in[filepath.Base(name)] = data
	}
	var big strings.Builder
	for k := range 6000 { // about 150 KB, more than the window
		a := float64(k) / 6000 * 2 * 3.14159265
		fmt.Fprintf(&big, "[%.9f,%.9f],", 7.45+0.01*math.Cos(a), 51.5+0.01*math.Sin(a))
	}
	circle := `{"type":"Polygon","coordinates":[[` + big.String() + `[7.46,51.5]]]}`
	for name, s := range map[string]string{
		"big feature":          fc(feat(`{"code":"A"}`, circle), feat(`{"code":"B"}`, polygon2)),
		"crs after features":   `{"type":"FeatureCollection","features":[` + feat(`{"code":"A"}`, utmPolygon) + `],"crs":{"type":"name","properties":{"name":"EPSG:25832"}}}`,
		"type after features":  `{"features":[` + feat(`{"code":"A"}`, polygon) + `],"type":"FeatureCollection"}`,
		"syntax error deep":    fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, `{"type":"Polygon","coordinates":[[[7.6,51.5],[7.7,51.5]x]]}`)),
		"truncated in feature": fc(feat(`{"code":"A"}`, polygon))[:60],
		"umlauts before error": "{\"type\":\"FeatureCollection\",\"name\":\"Hörde ÄÖÜ\",\n \"features\": [ü]}",
		"escapes":              `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"B\u00d6R","name":"\"x\""},"geometry":` + polygon + `}]}`,
		"bad escape":           `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"B\x"}}]}`,
		"number forms":         fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.4e0,51.5],[75E-1,515e-1],[7.5,51.6,1e400],[0.74e1,51.50000000000000000001]]]}`)),
		"bad number":           fc(feat(`{"code":"A"}`, `{"type":"Polygon","coordinates":[[[7.,51.5]]]}`)),
		"byte order mark":      "\uFEFF" + fc(feat(`{"code":"A"}`, polygon)),
		"only a mark":          "\uFEFF \n",
		"text after":           fc(feat(`{"code":"A"}`, polygon)) + " x",
		"deep nesting":         fc(feat(`{"code":"A"}`, strings.Repeat("[", 10001))),
	} {
		in[name] = []byte(s)
	}
	return in
}

// outcome is what reading a file gives, as text to compare.
func outcome(rd Reader, name string, r io.Reader) string {
	rep := &pipeline.Report{}
	bs, err := rd.ReadBoundaries(name, r, rep)
	var b strings.Builder
	fmt.Fprintf(&b, "error %v\n", err)
	var bad *pipeline.BadInput
	if errors.As(err, &bad) {
		fmt.Fprintf(&b, "at %+v value %q\n", bad.Issue.Pos, bad.Issue.Value)
	}
	for _, x := range bs {
		fmt.Fprintf(&b, "%s %+v %v\n", x.Key, x.Pos, x.Geometry)
	}
	for _, i := range rep.Issues {
		fmt.Fprintf(&b, "%s\n", i)
	}
	return b.String()
}

// TestStreaming reads every input whole and in pieces of one byte and of
// half the bytes asked for: the window's moves must not show.
func TestStreaming(t *testing.T) {
	for name, data := range streamInputs(t) {
		t.Run(name, func(t *testing.T) {
			for _, rd := range []Reader{{}, {MaxVertices: 5000}} {
				want := outcome(rd, file, bytes.NewReader(data))
				for how, r := range map[string]io.Reader{
					"one byte": iotest.OneByteReader(bytes.NewReader(data)),
					"half":     iotest.HalfReader(bytes.NewReader(data)),
				} {
					if got := outcome(rd, file, r); got != want {
						t.Errorf("%s: read %s:\n%s\nread whole:\n%s", name, how, got, want)
					}
				}
			}
		})
	}
}

// TestStreamingShapes checks what some streaming inputs give, where they
// differ from the other tests' inputs: a crs or type member after the features,
// and a syntax error after features were decoded.
func TestStreamingShapes(t *testing.T) {
	in := streamInputs(t)
	for _, tc := range []struct {
		name string
		keys []string
		want string // part of the outcome
	}{
		{name: "crs after features", keys: []string{"A"}},
		{name: "type after features", keys: []string{"A"}},
		{name: "big feature", keys: []string{"A", "B"}},
		{name: "escapes", keys: []string{"BÖR"}},
		{name: "number forms", keys: []string{"A"}},
		{name: "syntax error deep", want: `value "x"`},
		{name: "truncated in feature", want: "Zeile 1, Spalte 61"},
		{name: "umlauts before error", want: `Zeile 2, Spalte 15 value "ü"`},
		{name: "only a mark", want: "Die Datei ist leer"},
		{name: "deep nesting", want: "Spalte 10093"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := &pipeline.Report{}
			bs, _ := Reader{}.ReadBoundaries(file, bytes.NewReader(in[tc.name]), rep)
			if tc.keys != nil && fmt.Sprint(keysOf(bs)) != fmt.Sprint(tc.keys) {
				t.Errorf("keys %q, want %q; issues %v", keysOf(bs), tc.keys, rep.Issues)
			}
			if got := outcome(Reader{}, file, bytes.NewReader(in[tc.name])); !strings.Contains(got, tc.want) {
				t.Errorf("outcome\n%s\ndoes not hold %q", got, tc.want)
			}
		})
	}
}

// TestReadErrorMidway checks that a reader failing after some features is
// an input error, not bad GeoJSON.
func TestReadErrorMidway(t *testing.T) {
	errNet := errors.New("connection reset")
	data := fc(feat(`{"code":"A"}`, polygon), feat(`{"code":"B"}`, polygon2))
	r := io.MultiReader(strings.NewReader(data[:len(data)/2]), iotest.ErrReader(errNet))
	_, err := Reader{}.ReadBoundaries(file, r, &pipeline.Report{})
	var bad *pipeline.BadInput
	if !errors.Is(err, pipeline.ErrInput) || !errors.Is(err, errNet) || errors.As(err, &bad) {
		t.Errorf("error %v, want one wrapping pipeline.ErrInput and the cause", err)
	}
}
