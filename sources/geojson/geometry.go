package geojson

import (
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"aktionsplan/pipeline"
)

// Expected values of geometry issues, stable for the people who fix the file.
const (
	expectPolygon = "Polygon oder MultiPolygon"
	expectClosed  = "geschlossene Ringe: der letzte Punkt gleich dem ersten"
	expectValid   = "eine gültige Fläche: Ringe ohne Selbstüberschneidung, Löcher innerhalb der Fläche, Teilflächen ohne Überlappung"
)

// geometry checks the decoded geometry of the feature at pos. It returns
// the geometry as one MultiPolygon in the file's coordinate system and in
// WGS84, or reports why it cannot be a boundary.
func (fr *fileReader) geometry(pg *parsedGeometry, pos pipeline.Pos) (src, wgs orb.MultiPolygon, ok bool) {
	fail := func(value, format string, args ...any) (orb.MultiPolygon, orb.MultiPolygon, bool) {
		fr.rep.Errorf(pipeline.CodeGeometry, pos, value, expectPolygon, format+"; das Feature wird übersprungen", args...)
		return nil, nil, false
	}
	switch {
	case pg.null:
		return fail("null", "Das Feature hat keine Geometrie")
	case pg.tooMany:
		fr.tooManyVertices(pg.n, fr.maxFeatureVertices, pos)
		return nil, nil, false
	case pg.unreadable:
		return fail(pg.typ, "Die Geometrie ist nicht lesbar")
	}
	mp, problem := polygons(pg.g)
	if problem == "" {
		problem = fr.closeRings(mp, pos)
	}
	if problem != "" {
		return fail(pg.typ, "Die Geometrie ist als Grenze nicht verwendbar: %s", problem)
	}
	if !fr.checkPositions(mp, pos) {
		return nil, nil, false
	}
	if mp, ok = fr.checkValid(mp, pg.typ == "GeometryCollection", pos); !ok {
		return nil, nil, false
	}
	wgs = fr.wgs84(mp)
	return mp, wgs, true
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
		return nil, "sie ist leer, sie enthält kein Polygon"
	}
	for i, p := range mp {
		if len(p) == 0 {
			return nil, fmt.Sprintf("%s ist leer", partName(i, len(mp)))
		}
	}
	return mp, ""
}

// closeRings closes each ring whose last point is not its first, with a
// warning, and returns in German why a ring cannot be used.
func (fr *fileReader) closeRings(mp orb.MultiPolygon, pos pipeline.Pos) string {
	for i, p := range mp {
		for k, r := range p {
			if len(r) > 0 && r[0] != r[len(r)-1] {
				fr.rep.Warnf(pipeline.CodeGeometry, pos, formatPoint(r[len(r)-1]), expectClosed,
					"%s ist nicht geschlossen: der Ring endet bei %s statt beim ersten Punkt %s; er wurde mit dem ersten Punkt geschlossen",
					upper(ringName(i, k, len(mp))), fr.place(r[len(r)-1]), fr.place(r[0]))
				r = append(r, r[0])
				p[k] = r
			}
			if len(r) < 4 {
				return fmt.Sprintf("%s hat %d Punkte, ein Ring braucht mindestens 4 (der letzte gleich dem ersten)", ringName(i, k, len(mp)), len(r))
			}
		}
	}
	return ""
}

// checkPositions reports the first position of mp that lies outside Germany
// once transformed to WGS84, with its likely cause, and notes how UTM
// eastings are written.
func (fr *fileReader) checkPositions(mp orb.MultiPolygon, pos pipeline.Pos) bool {
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				fr.noteEasting(pt[0], pos)
				q := fr.crs.lonLat(pt)
				if inGermany(q) {
					continue
				}
				where := ""
				if !fr.crs.geographic() && finite(q) {
					where = fmt.Sprintf(", in WGS84 bei Länge %s, Breite %s,", formatCoord(q[0], 7), formatCoord(q[1], 7))
				}
				fr.rep.Errorf(pipeline.CodeGeometry, pos, formatPoint(pt),
					fmt.Sprintf("Koordinaten in %s, die in Deutschland liegen (%s)", fr.crs.name, germany()),
					"Die Koordinate %s liegt im Koordinatensystem %s%s außerhalb Deutschlands. %s; das Feature wird übersprungen",
					formatPoint(pt), fr.crs, where, likelyCause(fr.crs, pt))
				return false
			}
		}
	}
	return true
}

// noteEasting tells once per file when the UTM eastings are not written
// as the file's system says: with the zone number in front where it has
// none (EPSG:25832 with EPSG:4647's eastings, the common mix-up), or without
// where it has. Either is read unambiguously, so it is a note; an easting
// whose prefix names another zone than the system is a warning.
func (fr *fileReader) noteEasting(x float64, pos pipeline.Pos) {
	if fr.crs.zone == 0 || fr.notedEasting {
		return
	}
	zone, _, prefixed := fr.crs.utmEasting(x)
	if prefixed == fr.crs.prefixed && zone == fr.crs.zone {
		return
	}
	fr.notedEasting = true
	written := fmt.Sprintf("ohne Zonenkennung geschrieben, obwohl %s sie vorsieht", fr.crs)
	if prefixed {
		written = fmt.Sprintf("mit der Zonenkennung „%d“ vorn geschrieben (wie in EPSG:%d), obwohl %s keine vorsieht", zone, map[int]int{32: 4647, 33: 5650}[zone], fr.crs)
	}
	if zone != fr.crs.zone {
		fr.rep.Warnf(pipeline.CodeGeometry, pos, formatCoord(x, -1), fmt.Sprintf("Rechtswerte der Zone %d", fr.crs.zone),
			"Die Rechtswerte sind %s; sie werden in Zone %d gelesen, wie ihre Kennung sagt", written, zone)
		return
	}
	fr.rep.Infof(pipeline.CodeRead, pos, "Die Rechtswerte sind %s; sie werden in Zone %d gelesen", written, zone)
}

// project transforms a copy of mp to WGS84.
func (fr *fileReader) project(mp orb.MultiPolygon) orb.MultiPolygon {
	return project.MultiPolygon(mp.Clone(), fr.crs.lonLat)
}

// wgs84 returns mp in WGS84 with its rings turned as RFC 7946 asks: a copy
// in another system; in WGS84, mp itself, turned in place, which spares a
// copy of every position while the file is read (the checks in the file's
// system do not depend on the direction of a ring).
func (fr *fileReader) wgs84(mp orb.MultiPolygon) orb.MultiPolygon {
	wgs := mp
	if !fr.crs.geographic() {
		wgs = fr.project(mp)
	}
	orient(wgs)
	return wgs
}

// orient turns outer rings counterclockwise and holes clockwise, as RFC 7946
// asks. Files written by other conventions (Esri's is the opposite) are
// turned silently: the orientation carries no meaning for a boundary.
func orient(mp orb.MultiPolygon) {
	for _, p := range mp {
		for k, r := range p {
			if want := orb.CCW; (k == 0) != (r.Orientation() == want) {
				r.Reverse()
			}
		}
	}
}

// ringName names ring k of polygon i of n in German, with its article.
func ringName(i, k, n int) string {
	s := "der äußere Ring"
	if k > 0 {
		s = fmt.Sprintf("das Loch %d", k)
	}
	if n > 1 {
		s += fmt.Sprintf(" von Teilfläche %d", i+1)
	}
	return s
}

// partName names polygon i of n in German.
func partName(i, n int) string {
	if n > 1 {
		return fmt.Sprintf("Teilfläche %d", i+1)
	}
	return "das Polygon"
}

// upper makes the first letter of a German article upper case.
func upper(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// place is a position of the file as found, followed by its WGS84
// longitude and latitude for projected files.
func (fr *fileReader) place(p orb.Point) string {
	return fr.withWGS84(p, formatPoint(p))
}

// computedPlace is a computed position, such as where two edges cross, in
// the file's system to a tenth of a millimetre, followed by its WGS84
// longitude and latitude for projected files.
func (fr *fileReader) computedPlace(p orb.Point) string {
	return fr.withWGS84(p, fr.rounded(p))
}

// rounded is a computed position in the file's system to a tenth of a
// millimetre: 7 decimals of a degree, or 4 of a metre.
func (fr *fileReader) rounded(p orb.Point) string {
	prec := 4
	if fr.crs.geographic() {
		prec = 7
	}
	return formatCoord(p[0], prec) + ", " + formatCoord(p[1], prec)
}

func (fr *fileReader) withWGS84(p orb.Point, s string) string {
	if fr.crs.geographic() {
		return s
	}
	q := fr.crs.lonLat(p)
	return fmt.Sprintf("%s (WGS84: %s, %s)", s, formatCoord(q[0], 7), formatCoord(q[1], 7))
}

// formatPoint is a position as the file has it, x before y.
func formatPoint(p orb.Point) string {
	return formatCoord(p[0], -1) + ", " + formatCoord(p[1], -1)
}

// formatCoord writes a coordinate with prec decimals, -1 for as many as it
// needs, without trailing zeros.
func formatCoord(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if prec > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	return s
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}
