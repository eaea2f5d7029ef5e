package geojson

import (
	"encoding/json"
	"fmt"

	"aktionsplan/pipeline"
)

// Defaults of the vertex limits, for a Reader that sets none.
const (
	DefaultMaxVertices        = 20_000_000
	DefaultMaxFeatureVertices = 1_000_000
)

// vertexLimits returns the limits of rd, with defaults for zero values.
func (rd Reader) vertexLimits() (total, feature int) {
	total, feature = rd.MaxVertices, rd.MaxFeatureVertices
	if total <= 0 {
		total = DefaultMaxVertices
	}
	if feature <= 0 {
		feature = DefaultMaxFeatureVertices
	}
	return total, feature
}

// positions counts the positions of a GeoJSON geometry without decoding
// it: the arrays that start with a number. It is how the vertex limits are
// checked before a geometry takes memory.
func positions(raw json.RawMessage) int {
	n, inString := 0, false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString || c != '[':
		default:
			j := i + 1
			for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
				j++
			}
			if j < len(raw) && (raw[j] == '-' || raw[j] >= '0' && raw[j] <= '9') {
				n++
			}
		}
	}
	return n
}

// tooManyVertices reports a feature with more vertices than one may have;
// the feature is skipped.
func (fr *fileReader) tooManyVertices(n, limit int, pos pipeline.Pos) {
	fr.rep.Errorf(pipeline.CodeGeometry, pos, fmt.Sprintf("%s Punkte", pipeline.GermanInt(n)),
		fmt.Sprintf("höchstens %s Punkte je Feature laut [limits] max_feature_vertices", pipeline.GermanInt(limit)),
		"Die Geometrie hat %s Punkte, mehr als die Grenze von %s Punkten je Feature; das Feature wird übersprungen. Bitte die Grenze vereinfachen (in QGIS: Vektor › Geometrie-Werkzeuge › Vereinfachen); "+
			"so fein gezeichnete Grenzen lassen sich in der Konfiguration mit [limits] max_feature_vertices zulassen", pipeline.GermanInt(n), pipeline.GermanInt(limit))
}

// tooManyVerticesInFile is the problem of a file whose features have more
// vertices together than the limit; reading stops at the feature that
// crosses it.
func tooManyVerticesInFile(n, limit int, pos pipeline.Pos) *pipeline.BadInput {
	return malformed(pos, fmt.Sprintf("mehr als %s Punkte", pipeline.GermanInt(limit)),
		fmt.Sprintf("höchstens %s Punkte in allen Features zusammen laut [limits] max_vertices", pipeline.GermanInt(limit)),
		fmt.Sprintf("Die Geometrien der Datei haben bis zu diesem Feature %s Punkte, mehr als die Grenze von %s Punkten für die ganze Datei; die Datei wird nicht gelesen. "+
			"Bitte die Grenzen vereinfachen (in QGIS: Vektor › Geometrie-Werkzeuge › Vereinfachen); so große Dateien lassen sich in der Konfiguration mit [limits] max_vertices zulassen",
			pipeline.GermanInt(n), pipeline.GermanInt(limit)))
}
