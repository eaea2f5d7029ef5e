package geojson

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
	orbgeojson "github.com/paulmach/orb/geojson"

	"aktionsplan/pipeline"
)

// readGeometry decodes the geometry of a feature as one MultiPolygon in
// WGS84, or reports why it cannot be a boundary.
func readGeometry(raw json.RawMessage, pos pipeline.Pos, rep *pipeline.Report) (orb.MultiPolygon, bool) {
	fail := func(value, format string, args ...any) (orb.MultiPolygon, bool) {
		rep.Errorf(pipeline.CodeGeometry, pos, value, expectPolygon, format+"; das Feature wird übersprungen", args...)
		return nil, false
	}
	if len(raw) == 0 || string(raw) == "null" {
		return fail("null", "Das Feature hat keine Geometrie")
	}
	g, err := orbgeojson.UnmarshalGeometry(raw)
	if err != nil {
		var head struct {
			Type string `json:"type"`
		}
		json.Unmarshal(raw, &head)
		return fail(head.Type, "Die Geometrie ist nicht lesbar")
	}
	mp, problem := polygons(g.Geometry())
	if problem != "" {
		return fail(g.Type, "Die Geometrie ist als Grenze nicht verwendbar: %s", problem)
	}
	if pt, ok := outsideWGS84(mp); ok {
		rep.Errorf(pipeline.CodeGeometry, pos, formatPoint(pt), expectWGS84,
			"Die Koordinaten liegen außerhalb von Länge −180 bis 180 und Breite −90 bis 90; sie sind wohl projiziert (etwa UTM), nicht WGS84. Bitte die Datei in WGS84 (EPSG:4326) exportieren; das Feature wird übersprungen")
		return nil, false
	}
	return mp, true
}

// polygons returns the polygons of g as one MultiPolygon, or in German what
// makes g unusable as a boundary.
func polygons(g orb.Geometry) (orb.MultiPolygon, string) {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	case orb.Collection:
		for _, m := range g {
			switch m := m.(type) {
			case orb.Polygon:
				mp = append(mp, m)
			case orb.MultiPolygon:
				mp = append(mp, m...)
			default:
				return nil, fmt.Sprintf("die GeometryCollection enthält ein %s", m.GeoJSONType())
			}
		}
	default:
		return nil, fmt.Sprintf("ein %s ist keine Fläche", g.GeoJSONType())
	}
	if len(mp) == 0 {
		return nil, "sie enthält kein Polygon"
	}
	for i, p := range mp {
		if len(p) == 0 {
			return nil, fmt.Sprintf("Polygon %d ist leer", i+1)
		}
		for k, r := range p {
			switch {
			case len(r) < 4:
				return nil, fmt.Sprintf("Ring %d von Polygon %d hat %d Punkte, ein Ring braucht mindestens 4 (der letzte gleich dem ersten)", k+1, i+1, len(r))
			case !r.Closed():
				return nil, fmt.Sprintf("Ring %d von Polygon %d ist nicht geschlossen (der letzte Punkt ist nicht der erste)", k+1, i+1)
			}
		}
	}
	return mp, ""
}

// outsideWGS84 returns the first position that is no longitude and latitude.
func outsideWGS84(mp orb.MultiPolygon) (orb.Point, bool) {
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					return pt, true
				}
			}
		}
	}
	return orb.Point{}, false
}

func formatPoint(p orb.Point) string {
	return strconv.FormatFloat(p[0], 'f', -1, 64) + ", " + strconv.FormatFloat(p[1], 'f', -1, 64)
}
