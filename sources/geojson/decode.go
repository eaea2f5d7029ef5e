package geojson

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

const expectGeoJSON = "GeoJSON: ein Objekt vom Typ FeatureCollection, Feature, Polygon, MultiPolygon oder GeometryCollection"

// geometryTypes are the GeoJSON geometry types; a file holding one of them
// bare is read as one feature.
var geometryTypes = map[string]bool{
	"Point": true, "MultiPoint": true, "LineString": true, "MultiLineString": true,
	"Polygon": true, "MultiPolygon": true, "GeometryCollection": true,
}

// document is the top level of a GeoJSON file, its features decoded.
type document struct {
	typ string
	crs []byte
	// features are those of a collection, the document itself when it is
	// a feature, or a bare geometry keyed by the file name's stem.
	features []parsedFeature
	// members holds the members other than features as written,
	// `"name":value,` each: the feature or geometry that a document other
	// than a collection is.
	members []byte
}

// docReader reads the top level of a file, feature by feature.
type docReader struct {
	fr  *fileReader
	s   *scanner
	doc document
	// typeErr is the first member of the wrong type; encoding/json reports
	// it only when the whole file is valid JSON, and so does the reader.
	typeErr *pipeline.BadInput
}

// readDocument reads the file r, or returns why it is not GeoJSON (a
// *pipeline.BadInput at the line and column where reading stopped, or at
// the feature that crosses the vertex limit of the file) or why it could not
// be read. The features of a collection are decoded one by one as they
// come, so a collection's text is never held whole; a file of a single
// Feature or a bare geometry is one value, held whole while it is decoded.
func (fr *fileReader) readDocument(name string, r io.Reader) (*document, error) {
	s := newScanner(name, r)
	d := &docReader{fr: fr, s: s}
	c, ok := s.space()
	if !ok {
		if s.err != nil {
			return nil, s.readError()
		}
		return nil, malformed(pipeline.Pos{File: name}, "", expectGeoJSON, "Die Datei ist leer")
	}
	var err error
	switch kind := valueKind(c); {
	case c == '{':
		err = d.object()
	case c == 'n':
		err = s.value(0)
	case kind != "":
		d.wrongType(kind, "")
		err = s.value(0)
	default:
		err = s.unexpected()
		if s.restIsSpace() {
			return nil, malformed(pipeline.Pos{File: name}, "", expectGeoJSON, "Die Datei ist leer")
		}
	}
	if err != nil {
		return nil, err
	}
	if _, ok := s.space(); ok {
		return nil, s.unexpected() // text after the top-level value
	}
	if s.err != nil {
		return nil, s.readError()
	}
	if d.typeErr != nil {
		return nil, d.typeErr
	}
	return d.finish()
}

// finish turns a document that is a feature or a bare geometry into its one
// feature, or reports a file that is not GeoJSON.
func (d *docReader) finish() (*document, error) {
	doc, fr := &d.doc, d.fr
	switch {
	case doc.typ == "FeatureCollection":
		return doc, nil
	case doc.typ == "Feature":
		fr.vertices = 0
		doc.features = []parsedFeature{fr.decodeFeature(d.wholeMembers())}
	case geometryTypes[doc.typ]:
		fr.vertices = 0
		doc.features = []parsedFeature{{feature: true, bare: true, key: stem(d.s.name), geom: fr.decodeGeometry(d.wholeMembers())}}
	default:
		return nil, malformed(pipeline.Pos{File: d.s.name}, doc.typ, expectGeoJSON,
			"Die Datei enthält JSON, aber kein GeoJSON: der Typ (Element „type“) fehlt oder ist unbekannt")
	}
	if err := fr.count(&doc.features[0], pipeline.Pos{File: d.s.name, Feature: 1}); err != nil {
		return nil, err
	}
	return doc, nil
}

// wholeMembers is the document as one object without its features.
func (d *docReader) wholeMembers() []byte {
	m := bytes.TrimSuffix(d.doc.members, []byte{','})
	return append(append([]byte{'{'}, m...), '}')
}

// valueKind names the JSON type of a value that starts with c as
// encoding/json's type errors do, or "" for null and for no value.
func valueKind(c byte) string {
	switch {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	case c == 't' || c == 'f':
		return "bool"
	}
	return ""
}

// wrongType notes the value at the scanner, of the given kind, as the
// first value of the wrong type for the member field ("" for the document).
func (d *docReader) wrongType(kind, field string) {
	if d.typeErr != nil {
		return
	}
	msg := "Die Datei enthält JSON, aber kein GeoJSON-Objekt"
	if field != "" {
		msg = "Das GeoJSON-Element „" + field + "“ hat den falschen Typ"
	}
	d.typeErr = malformed(d.s.posAt(d.s.i), kind, expectGeoJSON, msg)
}

// object reads the members of the top-level object, whose "{" is next.
func (d *docReader) object() error {
	s := d.s
	s.i++
	c, ok := s.space()
	if !ok {
		return s.ended()
	}
	if c == '}' {
		s.i++
		return nil
	}
	for {
		if c != '"' {
			return s.unexpected()
		}
		s.keep = s.i
		if err := s.str(); err != nil {
			return err
		}
		key := string(s.buf[s.keep:s.i])
		s.keep = -1
		if c, ok = s.space(); !ok {
			return s.ended()
		} else if c != ':' {
			return s.unexpected()
		}
		s.i++
		if c, ok = s.space(); !ok {
			return s.ended()
		}
		if err := d.member(key, c); err != nil {
			return err
		}
		if c, ok = s.space(); !ok {
			return s.ended()
		}
		switch c {
		case ',':
			s.i++
			if c, ok = s.space(); !ok {
				return s.ended()
			}
		case '}':
			s.i++
			return nil
		default:
			return s.unexpected()
		}
	}
}

// member reads the value of the top-level member key (quoted, as written),
// whose first byte c is next. Names match as encoding/json matches them,
// ignoring case.
func (d *docReader) member(key string, c byte) error {
	s, name := d.s, unquote(key)
	if strings.EqualFold(name, "features") {
		switch kind := valueKind(c); {
		case c == '[':
			return d.features()
		case kind != "":
			d.wrongType(kind, "features")
			return s.value(1)
		}
		d.doc.features, d.fr.vertices = nil, 0 // null
		return s.value(1)
	}
	isType := strings.EqualFold(name, "type")
	if kind := valueKind(c); isType && kind != "string" && kind != "" {
		d.wrongType(kind, "type")
	}
	raw, err := s.cut(1)
	if err != nil {
		return err
	}
	switch {
	case isType && c == '"':
		d.doc.typ = unquote(string(raw))
	case strings.EqualFold(name, "crs"):
		d.doc.crs = bytes.Clone(raw)
	}
	d.doc.members = append(append(append(append(d.doc.members, key...), ':'), raw...), ',')
	return nil
}

// features reads the features of a collection, whose "[" is next, and
// decodes each as soon as it is read. A repeated member replaces the
// features before, as in encoding/json.
func (d *docReader) features() error {
	s, fr := d.s, d.fr
	s.i++
	d.doc.features, fr.vertices = d.doc.features[:0], 0
	decode := d.doc.typ == "" || d.doc.typ == "FeatureCollection"
	c, ok := s.space()
	if !ok {
		return s.ended()
	}
	if c == ']' {
		s.i++
		return nil
	}
	for {
		raw, err := s.cut(2)
		if err != nil {
			return err
		}
		if decode {
			f := fr.decodeFeature(raw)
			if err := fr.count(&f, pipeline.Pos{File: s.name, Feature: len(d.doc.features) + 1}); err != nil {
				return err
			}
			d.doc.features = append(d.doc.features, f)
		}
		if c, ok = s.space(); !ok {
			return s.ended()
		}
		switch c {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.unexpected()
		}
	}
}

// count adds the vertices of f to those of the file, or refuses the file
// at pos when they are more than its limit.
func (fr *fileReader) count(f *parsedFeature, pos pipeline.Pos) error {
	if !f.feature || f.geom.null {
		return nil
	}
	fr.vertices += f.geom.n
	if fr.vertices > fr.maxVertices {
		return tooManyVerticesInFile(fr.vertices, fr.maxVertices, pos)
	}
	return nil
}

// unquote is the text of a JSON string as written, quotes included.
func unquote(quoted string) string {
	if strings.IndexByte(quoted, '\\') < 0 && len(quoted) >= 2 && utf8.ValidString(quoted) {
		return quoted[1 : len(quoted)-1]
	}
	var s string
	json.Unmarshal([]byte(quoted), &s)
	return s
}

func malformed(pos pipeline.Pos, value, expected, msg string) *pipeline.BadInput {
	return &pipeline.BadInput{Issue: pipeline.Issue{
		Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: pos,
		Value: value, Expected: expected, Message: msg,
	}}
}
