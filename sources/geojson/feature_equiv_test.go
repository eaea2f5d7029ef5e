package geojson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// slowFeature decodes a feature the way every feature was decoded before
// the fast path: encoding/json for the envelope, orb for the geometry.
func (fr *fileReader) slowFeature(raw []byte) parsedFeature {
	var f feature
	if err := json.Unmarshal(raw, &f); err != nil || f.Type != "Feature" {
		return parsedFeature{typ: f.Type}
	}
	g := parsedGeometry{null: true}
	if len(f.Geometry) > 0 && string(f.Geometry) != "null" {
		g = fr.slowGeometry(f.Geometry)
	}
	return parsedFeature{feature: true, typ: f.Type, id: f.ID, props: f.Properties, geom: g}
}

// checkFastAsSlow fails when the fast decoder takes a feature and decodes
// it otherwise than encoding/json and orb do.
func checkFastAsSlow(t *testing.T, raw []byte) {
	t.Helper()
	if !json.Valid(raw) {
		return // the syntax check refuses it before decoding
	}
	fr := &fileReader{maxFeatureVertices: 1000}
	fast, ok := fr.fastFeature(raw)
	if !ok {
		return
	}
	slow := (&fileReader{maxFeatureVertices: 1000}).slowFeature(raw)
	// Geometries compare by their positions: an empty ring is nil on one
	// side, empty on the other.
	fg, sg := fast.geom.g, slow.geom.g
	fast.geom.g, slow.geom.g = nil, nil
	sameGeometry := (fg == nil) == (sg == nil) && (fg == nil || orb.Equal(fg, sg))
	if !reflect.DeepEqual(fast, slow) || !sameGeometry {
		t.Errorf("%s:\nfast %#v %#v\nslow %#v %#v", raw, fast, fg, slow, sg)
	}
}

// The fast decoder agrees with encoding/json and orb on every feature of
// the test files it takes, and on hand-made odd ones.
func TestFastFeatureAsSlow(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.geojson"))
	taken := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var fc struct{ Features []json.RawMessage }
		if json.Unmarshal(data, &fc) != nil {
			continue
		}
		for _, raw := range fc.Features {
			if _, ok := (&fileReader{maxFeatureVertices: 1000}).fastFeature(raw); ok {
				taken++
			}
			checkFastAsSlow(t, raw)
		}
	}
	if taken == 0 {
		t.Fatal("the fast decoder took no feature of the test files")
	}
	for _, raw := range oddFeatures {
		checkFastAsSlow(t, []byte(raw))
	}
}

var oddFeatures = []string{
	`{"type":"Feature","properties":{"code":"BOR"},"geometry":{"type":"Polygon","coordinates":[[[7.48,51.52],[7.49,51.52],[7.49,51.53],[7.48,51.52]]]}}`,
	`{"type":"Feature","id":7,"properties":{"code":"BOR","n":1.5e3,"x":null,"l":[1,"a"]},"geometry":{"type":"MultiPolygon","coordinates":[[[[7,51],[8,51],[8,52],[7,51]]],[[[9,51],[10,51],[10,52],[9,51]]]]}}`,
	`{"geometry":{"coordinates":[[[7,51],[8,51],[8,52],[7,51]]],"type":"Polygon"},"properties":{"code":"A"},"type":"Feature"}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[7,51,100],[8,51,100],[8,52,100],[7,51,100]]]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[-0.0,1E-7],[8e0,51],[8,52.000000000000001],[-0.0,1E-7]]]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[]]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":null}`,
	`{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[7,51],[8,51],[8,52],[7,51]]]}}`,
	`{"type":"Feature","properties":{"code":"A\u00e4\"b"},"geometry":{"type":"Polygon","coordinates":[[[7,51],[8,51],[8,52],[7,51]]]}}`,
	`{"type":"Feature","type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[7,51],[8,51],[8,52],[7,51]]]}}`,
	`{"Type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[7,51],[8,51],[8,52],[7,51]]]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Point","coordinates":[7,51]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[7,51],[8,51],[8,"52"],[7,51]]]}}`,
	`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[7,51],[8,51],[8,52],[7,51]]],"bbox":[7,51,8,52]}}`,
}

// FuzzFastFeature checks the fast decoder against encoding/json and orb on
// any feature it takes.
func FuzzFastFeature(f *testing.F) {
	for _, raw := range oddFeatures {
		f.Add([]byte(raw))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkFastAsSlow(t, raw)
	})
}
