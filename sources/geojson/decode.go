package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// decodeDocument reads the top level of data, or returns why it is not
// GeoJSON, at the line and column where JSON reading stopped.
func decodeDocument(name string, data []byte) (*document, *pipeline.BadInput) {
	var doc document
	err := json.Unmarshal(data, &doc)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, malformed(pipeline.Pos{File: name}, "", expectGeoJSON, "Die Datei ist leer")
	case errors.As(err, &syntax) && truncated(data):
		return nil, malformed(at(name, data, len(data)), "", expectGeoJSON,
			"Die Datei endet, bevor das JSON vollständig ist; ist sie abgeschnitten?")
	case errors.As(err, &syntax):
		i := int(syntax.Offset) - 1
		return nil, malformed(at(name, data, i), charAt(data, i), expectGeoJSON,
			"Die Datei ist kein gültiges JSON: unerwartetes Zeichen")
	case errors.As(err, &typ) && typ.Field == "":
		return nil, malformed(at(name, data, valueStart(data, int(typ.Offset))), typ.Value, expectGeoJSON,
			"Die Datei enthält JSON, aber kein GeoJSON-Objekt")
	case errors.As(err, &typ):
		return nil, malformed(at(name, data, valueStart(data, int(typ.Offset))), typ.Value, expectGeoJSON,
			fmt.Sprintf("Das GeoJSON-Element „%s“ hat den falschen Typ", typ.Field))
	case err != nil:
		return nil, malformed(pipeline.Pos{File: name}, "", expectGeoJSON, "Die Datei ist kein lesbares GeoJSON")
	case doc.Type != "FeatureCollection" && doc.Type != "Feature" && !geometryTypes[doc.Type]:
		return nil, malformed(pipeline.Pos{File: name}, doc.Type, expectGeoJSON,
			"Die Datei enthält JSON, aber kein GeoJSON: der Typ (Element „type“) fehlt oder ist unbekannt")
	}
	return &doc, nil
}

// truncated reports whether data ends inside its JSON value.
func truncated(data []byte) bool {
	err := json.NewDecoder(bytes.NewReader(data)).Decode(new(json.RawMessage))
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// valueStart is the first byte of the JSON value that a type error found at
// offset: encoding/json stops after the opening bracket of an object or
// array, but after the whole of a string, number or literal.
func valueStart(data []byte, offset int) int {
	i := min(offset, len(data)) - 1
	if i < 0 || data[i] == '{' || data[i] == '[' {
		return max(i, 0)
	}
	if data[i] == '"' {
		for i--; i >= 0; i-- {
			if data[i] == '"' && !escaped(data, i) {
				return i
			}
		}
		return 0
	}
	for i > 0 && bytes.IndexByte([]byte("0123456789+-.eEtrufalsn"), data[i-1]) >= 0 {
		i--
	}
	return i
}

// escaped reports whether the byte at i follows an odd number of backslashes.
func escaped(data []byte, i int) bool {
	n := 0
	for i--; i >= 0 && data[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

func malformed(pos pipeline.Pos, value, expected, msg string) *pipeline.BadInput {
	return &pipeline.BadInput{Issue: pipeline.Issue{
		Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: pos,
		Value: value, Expected: expected, Message: msg,
	}}
}

// at is the position of byte i of data: its 1-based line in Row and its
// 1-based column, counted in characters, in Column.
func at(name string, data []byte, i int) pipeline.Pos {
	i = max(0, min(i, len(data)))
	before := data[:i]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return pipeline.Pos{
		File:   name,
		Row:    bytes.Count(before, []byte{'\n'}) + 1,
		Column: utf8.RuneCount(before[lineStart:]) + 1,
	}
}

// charAt is the character that starts at byte i of data, or "".
func charAt(data []byte, i int) string {
	if i < 0 || i >= len(data) {
		return ""
	}
	r, _ := utf8.DecodeRune(data[i:])
	return string(r)
}
