// Package geojson reads area boundaries from GeoJSON files: a
// FeatureCollection, a single Feature or a bare geometry, each feature a
// Polygon or MultiPolygon in WGS84 longitude and latitude, keyed by an area
// code or name.
//
// It is the boundary source of the pipeline's read step. Every unusable
// feature is a positioned issue and is skipped; only a file that is not
// GeoJSON at all stops reading, as a *pipeline.BadInput. The GeoJSON encoder
// of published datasets lives in outputs/geojson.
package geojson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"

	orbgeojson "github.com/paulmach/orb/geojson"

	"aktionsplan/pipeline"
)

// Reader reads the boundaries of the action areas from GeoJSON.
type Reader struct {
	// IDProperty names the property that holds each feature's key. When it
	// is empty, the key is the property "code", else the feature's id, else
	// the property "name", "Name" or "NAME".
	IDProperty string
	// CRS names the coordinate system of a file without a crs member, such
	// as "EPSG:25832"; empty means WGS84.
	CRS string
}

var _ pipeline.BoundaryReader = Reader{}

// Expected values of the issues, stable for the people who fix the file.
const (
	expectPolygon = "Polygon oder MultiPolygon"
	expectWGS84   = "WGS84 (EPSG:4326)"
)

// ReadBoundaries returns the usable (multi)polygons of the GeoJSON file name
// in file order, each with its raw key and its feature number. Unusable
// features, a missing key, an unsupported coordinate system and an empty
// collection are issues in rep. A file that is not JSON or not GeoJSON is a
// *pipeline.BadInput; a failing reader is an error wrapping
// pipeline.ErrInput.
func (rd Reader) ReadBoundaries(name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // byte order mark of Windows editors
	doc, bad := decodeDocument(name, data)
	if bad != nil {
		return nil, bad
	}
	if !checkCRS(name, doc.CRS, rep) {
		return nil, nil
	}
	feats := doc.features(data, stem(name))
	if len(feats) == 0 {
		rep.Errorf(pipeline.CodeBlankTable, pipeline.Pos{File: name}, "", "mindestens ein Feature mit einer Grenze",
			"Die GeoJSON-Datei enthält keine Features")
		return nil, nil
	}
	var out []pipeline.Boundary
	for i, raw := range feats {
		if b, ok := rd.boundary(raw, pipeline.Pos{File: name, Feature: i + 1}, rep); ok {
			out = append(out, b)
		}
	}
	return out, nil
}

// document is the top level of a GeoJSON file.
type document struct {
	Type     string            `json:"type"`
	CRS      json.RawMessage   `json:"crs"`
	Features []json.RawMessage `json:"features"`
}

// rawFeature is one feature, or a bare geometry, before it is decoded.
type rawFeature struct {
	data json.RawMessage
	// bare geometries have no properties; their key is the file name's stem.
	bare bool
	key  string
}

// features returns the features of the document: those of a collection, the
// feature itself, or a bare geometry keyed by the file name's stem.
func (d *document) features(data []byte, stem string) []rawFeature {
	switch d.Type {
	case "FeatureCollection":
		out := make([]rawFeature, len(d.Features))
		for i, f := range d.Features {
			out[i] = rawFeature{data: f}
		}
		return out
	case "Feature":
		return []rawFeature{{data: data}}
	}
	return []rawFeature{{data: data, bare: true, key: stem}}
}

// feature is the envelope of a GeoJSON feature; its geometry is decoded by
// orb when it is used.
type feature struct {
	Type       string                `json:"type"`
	ID         any                   `json:"id"`
	Geometry   json.RawMessage       `json:"geometry"`
	Properties orbgeojson.Properties `json:"properties"`
}

// boundary reads one feature and reports every problem with it.
func (rd Reader) boundary(raw rawFeature, pos pipeline.Pos, rep *pipeline.Report) (pipeline.Boundary, bool) {
	var f feature
	if raw.bare {
		f = feature{Type: "Feature", Geometry: raw.data}
	} else if err := json.Unmarshal(raw.data, &f); err != nil || f.Type != "Feature" {
		rep.Errorf(pipeline.CodeMalformed, pos, f.Type, "ein GeoJSON-Feature",
			"Der Eintrag ist kein lesbares GeoJSON-Feature; er wird übersprungen")
		return pipeline.Boundary{}, false
	}
	mp, geomOK := readGeometry(f.Geometry, pos, rep)
	key := raw.key
	switch {
	case !raw.bare:
		key = rd.key(f, pos, rep)
	case key == "":
		rep.Errorf(pipeline.CodeMissingCell, pos, "", "ein Dateiname mit Code oder Namen des Aktionsraums",
			"Die Datei enthält nur eine Geometrie ohne Eigenschaften, und ihr Name nennt keinen Aktionsraum")
	}
	if !geomOK || key == "" {
		return pipeline.Boundary{}, false
	}
	return pipeline.Boundary{Key: key, Pos: pos, Geometry: mp}, true
}

// key returns the key of f, or "" after reporting that it has none.
func (rd Reader) key(f feature, pos pipeline.Pos, rep *pipeline.Report) string {
	if rd.IDProperty != "" {
		if k := keyText(f.Properties[rd.IDProperty]); k != "" {
			return k
		}
		pos.Field = rd.IDProperty
		rep.Errorf(pipeline.CodeMissingCell, pos, "", fmt.Sprintf("eine Eigenschaft „%s“ mit Code oder Namen des Aktionsraums", rd.IDProperty),
			"Das Feature hat keine Eigenschaft „%s“; ohne sie lässt sich die Grenze keinem Aktionsraum zuordnen", rd.IDProperty)
		return ""
	}
	for _, v := range []any{f.Properties["code"], f.ID, f.Properties["name"], f.Properties["Name"], f.Properties["NAME"]} {
		if k := keyText(v); k != "" {
			return k
		}
	}
	rep.Errorf(pipeline.CodeMissingCell, pos, "", "eine Eigenschaft „code“, eine Feature-id oder eine Eigenschaft „name“",
		"Das Feature hat weder Code noch id noch Namen; ohne sie lässt sich die Grenze keinem Aktionsraum zuordnen")
	return ""
}

// keyText is the text of a string or number key; other values are no key.
func keyText(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// stem is the file name of an input without folders and extension:
// "grenzen/BOR.geojson" and "https://example.org/BOR.geojson?v=2" give "BOR".
func stem(name string) string {
	if u, err := url.Parse(name); err == nil && u.Scheme != "" && u.Host != "" {
		name = u.Path
	}
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	if base == "/" || base == "." {
		return ""
	}
	return strings.TrimSuffix(base, path.Ext(base))
}
