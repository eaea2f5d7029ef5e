package geojson

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"aktionsplan/pipeline"
)

// minOverlapM2 is the smallest overlap of two areas that is reported.
// Neighbours that share an edge exactly intersect in a line, which has no
// area and is no overlap; below 1 m² an overlap is rounding noise of the
// coordinates (a shared vertex rounded differently by a millimetre or two),
// not a drawing mistake.
const minOverlapM2 = 1.0

// checkOverlaps warns about every pair of areas that overlap by at least
// minOverlapM2, at the later feature, with the size of the overlap and a
// point inside it. Areas are intersected in the file's coordinate system,
// where the GIS that drew them made shared edges straight and shared; the
// intersection is then converted to WGS84 and measured on the ellipsoid.
// Intersected in WGS84, an edge that is straight in UTM bows by centimetres,
// and a neighbour's vertex on it would make a false overlap of tens of
// square metres (TestOverlapInFileSystem).
func (fr *fileReader) checkOverlaps(areas []area) {
	gs := make([]*geom.Geometry, len(areas))
	g := func(i int) geom.Geometry {
		if gs[i] == nil {
			mp := geomMultiPolygon(areas[i].src)
			gs[i] = &mp
		}
		return *gs[i]
	}
	outlines := make([]outline, len(areas))
	bounds := make([]orb.Bound, len(areas))
	n := 0
	for _, a := range areas {
		for _, p := range a.src {
			for _, r := range p {
				n += (len(r) + runEdges - 2) / runEdges
			}
		}
	}
	runs := make([]run, 0, n)
	for i, a := range areas {
		outlines[i], runs = appendOutline(runs, a.src)
		bounds[i] = outlines[i].bound
	}
	pairs := candidatePairs(bounds)
	may := mayOverlapAll(fr.ctx, outlines, pairs)
	if fr.ctx.Err() != nil {
		return // the caller returns the context's error
	}
	for k, pair := range pairs {
		i, j := pair[0], pair[1]
		a, b := areas[i], areas[j]
		if !may[k] {
			continue
		}
		inter, err := geom.Intersection(g(i), g(j))
		if err != nil {
			// Only numerically degenerate input fails; the areas are
			// valid, so that is not worth a report of its own.
			continue
		}
		overlap := orbPolygons(inter)
		m2 := pipeline.AreaKM2(fr.project(overlap)) * 1e6
		if m2 < minOverlapM2 {
			continue
		}
		in, _ := inter.PointOnSurface().XY()
		fr.rep.Warnf(pipeline.CodeGeometry, b.Pos, formatM2(m2), "Aktionsräume, die sich höchstens an den Rändern berühren",
			"Die Grenze von „%s“ überschneidet die von „%s“ (Feature %d) auf %s, etwa bei %s",
			b.Key, a.Key, a.Pos.Feature, formatM2(m2), fr.computedPlace(orb.Point{in.X, in.Y}))
	}
}

// formatM2 writes an area in square metres the German way: "1.234 m²",
// with one decimal below 10 m² ("2,5 m²").
func formatM2(m2 float64) string {
	if m2 < 10 {
		return strings.Replace(strconv.FormatFloat(m2, 'f', 1, 64), ".", ",", 1) + " m²"
	}
	digits := strconv.FormatFloat(math.Round(m2), 'f', 0, 64)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	return fmt.Sprintf("%s m²", b.String())
}
