// Package geojson reads area boundaries from GeoJSON files as GIS software
// and web portals export them: a FeatureCollection, a single Feature or a
// bare geometry, each feature a Polygon, MultiPolygon or a GeometryCollection
// of them, keyed by an area code or name, in WGS84 or one of the coordinate
// systems of German geodata (UTM, Web Mercator), named by a legacy crs member
// or by configuration.
//
// It is the boundary source of the pipeline's read step and returns every
// boundary in WGS84, outer rings counterclockwise. Every unusable feature is
// a positioned issue and is skipped: a wrong coordinate system or swapped
// axes, an invalid geometry, a key that occurs twice. Overlapping areas are
// warnings. Only a file that is not GeoJSON at all stops reading, as a
// *pipeline.BadInput. The file is read feature by feature (scan.go,
// decode.go, feature.go): memory grows with the areas' vertices, not with
// the file's text. The GeoJSON encoder of published datasets lives in
// outputs/geojson.
package geojson

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// Reader reads the boundaries of the action areas from GeoJSON.
type Reader struct {
	// IDProperty names the property that holds each feature's key. When it
	// is empty, the key is the property "code" (or "Code", "CODE"), else the
	// feature id, else the property "name" (or "Name", "NAME"). Feature ids
	// that software numbers rather than people choose, a number (fid,
	// OBJECTID, also as text) or a server's "layer.12" (GeoServer, WFS),
	// come after the name: they never name an area.
	IDProperty string
	// CRS names the coordinate system of a file without a crs member, such
	// as "EPSG:25832"; empty means WGS84. A file's own crs member wins; when
	// the two disagree, the report has a warning. Check tells whether the
	// reader knows the system.
	CRS string
	// MaxVertices bounds the vertices of all features of a file together,
	// MaxFeatureVertices those of one feature; zero means
	// DefaultMaxVertices and DefaultMaxFeatureVertices. They are counted
	// before a geometry is decoded: a feature beyond its limit is an error
	// and skipped, a file beyond its limit a *pipeline.BadInput.
	MaxVertices, MaxFeatureVertices int

	// unprepared leaves every feature to geometry, the checks prepare
	// does ahead skipped: for the test that the two paths agree.
	unprepared bool
}

var _ pipeline.BoundaryReader = Reader{}

// Check reports a configuration that cannot work: a coordinate system the
// reader does not know, as an error wrapping ErrCRS. Call it when loading
// the configuration; ReadBoundaries reports the same as an issue.
func (rd Reader) Check() error {
	if _, ok := parseCRS(rd.CRS); rd.CRS != "" && !ok {
		return fmt.Errorf("%w: %q; supported: EPSG:4326, 4258, 25832, 25833, 4647, 5650, 3857 and CRS84", ErrCRS, rd.CRS)
	}
	return nil
}

// ReadBoundaries returns the usable (multi)polygons of the GeoJSON file name
// in WGS84 and in file order, each with its raw key and its feature number.
// Unusable features, a missing or repeated key, an unsupported coordinate
// system and an empty collection are errors in rep; rings that were not
// closed and overlapping areas are warnings. A file that is not JSON or not
// GeoJSON is a *pipeline.BadInput; a failing reader is an error wrapping
// pipeline.ErrInput.
func (rd Reader) ReadBoundaries(name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	return rd.ReadBoundariesContext(context.Background(), name, r, rep)
}

var _ pipeline.ContextBoundaryReader = Reader{}

// ReadBoundariesContext is ReadBoundaries that stops checking the
// geometries when ctx is done, between blocks of features, and returns
// ctx's error.
func (rd Reader) ReadBoundariesContext(ctx context.Context, name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	fr := &fileReader{Reader: rd, rep: rep, keys: map[string]int{}, ctx: ctx}
	fr.maxVertices, fr.maxFeatureVertices = rd.vertexLimits()
	doc, err := fr.readDocument(name, r)
	if err != nil {
		return nil, err
	}
	c, ok := rd.fileCRS(name, doc.crs, rep)
	if !ok {
		return nil, nil
	}
	fr.crs = c
	if len(doc.features) == 0 {
		rep.Errorf(pipeline.CodeBlankTable, pipeline.Pos{File: name}, "", "mindestens ein Feature mit einer Grenze",
			"Die GeoJSON-Datei enthält keine Features")
		return nil, nil
	}
	pre := fr.prepareAll(doc.features)
	areas := make([]area, 0, len(doc.features))
	for i := range doc.features {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if a, ok := fr.area(&doc.features[i], pre[i], pipeline.Pos{File: name, Feature: i + 1}); ok {
			areas = append(areas, a)
		}
		doc.features[i], pre[i] = parsedFeature{}, prepared{} // the geometry lives on in the area
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	fr.checkOverlaps(areas)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	out := make([]pipeline.Boundary, len(areas))
	for i, a := range areas {
		out[i] = a.Boundary
	}
	return out, nil
}

// fileCRS returns the coordinate system of a file with the crs member raw:
// the member's, else the configured one, else WGS84. An unknown system is an
// error in rep, a disagreement between file and configuration a warning.
func (rd Reader) fileCRS(name string, raw []byte, rep *pipeline.Report) (crs, bool) {
	pos := pipeline.Pos{File: name}
	conf, confOK := wgs84, true
	if rd.CRS != "" {
		conf, confOK = parseCRS(rd.CRS)
	}
	if !confOK {
		rep.Errorf(pipeline.CodeGeometry, pos, rd.CRS, expectCRS,
			"Das in der Konfiguration angegebene Koordinatensystem ist unbekannt; die Grenzen werden nicht gelesen")
		return crs{}, false
	}
	named := crsName(raw)
	if named == "" {
		if !conf.geographic() {
			rep.Infof(pipeline.CodeRead, pos, "Die Datei nennt kein Koordinatensystem; sie wird wie konfiguriert in %s gelesen und nach WGS84 umgerechnet", conf)
		}
		return conf, true
	}
	c, ok := parseCRS(named)
	if !ok {
		rep.Errorf(pipeline.CodeGeometry, pos, named, expectCRS,
			"Das Koordinatensystem der Datei (Element „crs“) ist unbekannt; bitte die Datei in einem der unterstützten Systeme exportieren, am einfachsten in WGS84 (EPSG:4326)")
		return crs{}, false
	}
	if rd.CRS != "" && !c.same(conf) {
		rep.Warnf(pipeline.CodeGeometry, pos, named, fmt.Sprintf("das konfigurierte Koordinatensystem „%s“", rd.CRS),
			"Die Datei nennt im Element „crs“ das Koordinatensystem %s, die Konfiguration %s; es gilt das der Datei", c, conf)
	}
	if !c.geographic() {
		rep.Infof(pipeline.CodeRead, pos, "Die Koordinaten in %s werden nach WGS84 umgerechnet", c)
	}
	return c, true
}

// fileReader holds what reading one file has found so far.
type fileReader struct {
	Reader
	// ctx ends the checks early (see ReadBoundariesContext).
	ctx context.Context
	crs crs
	rep *pipeline.Report
	// keys holds the feature number of each key seen.
	keys map[string]int
	// notedEasting is set once the notation of UTM eastings was noted.
	notedEasting bool
	// vertices counts the vertices of the features read so far.
	vertices                        int
	maxVertices, maxFeatureVertices int
	// arena holds the rings read.
	arena arena
	// order is the scratch of simpleRing.
	order westOrder
}

// area is a usable boundary with its geometry in the file's system.
type area struct {
	pipeline.Boundary
	src orb.MultiPolygon
}

// area reads one feature and reports every problem with it.
func (fr *fileReader) area(f *parsedFeature, pre prepared, pos pipeline.Pos) (area, bool) {
	if !f.feature {
		fr.rep.Errorf(pipeline.CodeMalformed, pos, f.typ, "ein GeoJSON-Feature",
			"Der Eintrag ist kein lesbares GeoJSON-Feature; er wird übersprungen")
		return area{}, false
	}
	src, wgs, geomOK := pre.src, pre.wgs, pre.ok
	if !pre.ok {
		src, wgs, geomOK = fr.geometry(&f.geom, pos)
	}
	key, field := f.key, ""
	switch {
	case !f.bare:
		key, field = fr.key(f, pos)
	case key == "":
		fr.rep.Errorf(pipeline.CodeMissingCell, pos, "", "ein Dateiname mit Code oder Namen des Aktionsraums",
			"Die Datei enthält nur eine Geometrie ohne Eigenschaften, und ihr Name nennt keinen Aktionsraum")
	}
	if key == "" || !fr.firstKey(key, field, pos) || !geomOK {
		return area{}, false
	}
	return area{Boundary: pipeline.Boundary{Key: key, Pos: pos, Geometry: wgs}, src: src}, true
}

// firstKey reports whether key occurs for the first time in the file, or
// reports that it does not. Only identical keys are compared here; the
// pipeline finds two spellings of one area once it has resolved the names.
func (fr *fileReader) firstKey(key, field string, pos pipeline.Pos) bool {
	first, seen := fr.keys[key]
	if !seen {
		fr.keys[key] = pos.Feature
		return true
	}
	pos.Field = field
	fr.rep.Errorf(pipeline.CodeUnique, pos, key, "eine Grenze je Aktionsraum",
		"Den Schlüssel „%s“ hat schon Feature %d; das Feature wird übersprungen", key, first)
	return false
}

// key returns the key of f and the property it comes from ("id" for the
// feature id), or "" after reporting that it has none.
func (fr *fileReader) key(f *parsedFeature, pos pipeline.Pos) (key, field string) {
	if fr.IDProperty != "" {
		if k := keyText(f.props[fr.IDProperty]); k != "" {
			return k, fr.IDProperty
		}
		pos.Field = fr.IDProperty
		fr.rep.Errorf(pipeline.CodeMissingCell, pos, "", fmt.Sprintf("eine Eigenschaft „%s“ mit Code oder Namen des Aktionsraums", fr.IDProperty),
			"Das Feature hat keine Eigenschaft „%s“; ohne sie lässt sich die Grenze keinem Aktionsraum zuordnen", fr.IDProperty)
		return "", ""
	}
	chosenID, numberedID := f.id, any(nil)
	if numbered(f.id) {
		chosenID, numberedID = nil, f.id
	}
	for _, c := range []struct {
		field string
		value any
	}{
		{"code", f.props["code"]}, {"Code", f.props["Code"]}, {"CODE", f.props["CODE"]},
		{"id", chosenID},
		{"name", f.props["name"]}, {"Name", f.props["Name"]}, {"NAME", f.props["NAME"]},
		{"id", numberedID},
	} {
		if k := keyText(c.value); k != "" {
			return k, c.field
		}
	}
	fr.rep.Errorf(pipeline.CodeMissingCell, pos, "", "eine Eigenschaft „code“, eine Feature-id oder eine Eigenschaft „name“",
		"Das Feature hat weder Code noch id noch Namen; ohne sie lässt sich die Grenze keinem Aktionsraum zuordnen")
	return "", ""
}

// numbered reports whether a feature id was numbered by software: a number,
// also as text ("5", as OGC API Features servers write it), or a layer name,
// a dot and a number ("aktionsraeume.5", as GeoServer writes it).
func numbered(id any) bool {
	switch id := id.(type) {
	case float64:
		return true
	case string:
		i := strings.LastIndexByte(id, '.')
		_, err := strconv.ParseUint(id[i+1:], 10, 64)
		return err == nil && i != 0
	}
	return false
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
