package page

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/project"
	"github.com/paulmach/orb/simplify"

	"aktionsplan/pipeline"
)

// palette is the sequential colour scale of the map, light to dark
// (ColorBrewer YlGnBu, five classes). Its relative luminance falls from
// class to class, so the order of the classes survives greyscale print;
// TestPaletteGreyscale keeps it so.
var palette = [...]string{"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"}

// Map geometry: the width of the drawing in SVG units (px at 100 %), the
// most height it may take, the margin, and the tolerance of the
// simplification, in px: half a pixel is invisible.
const (
	mapWidth     = 800.0
	mapMaxHeight = 720.0
	mapPad       = 12.0
	simplifyPx   = 0.5
)

// mapView is the map of the areas with one class per figure and area.
type mapView struct {
	Width, Height string
	Year          string
	Figures       []figureView
	Areas         []areaView
	// Paths draw Areas (see areaPaths).
	Paths template.HTML
	// Labels is set for maps of few areas: each area then carries its
	// code, a tip, and a tab stop. A dense map has none of these: hundreds
	// of tab stops would bar the way to the rest of the page, and the
	// table of figures says the same.
	Labels bool
	// Missing is set when some area has no value for some figure: the
	// legend then explains the hatching.
	Missing bool
}

// figureView is one key figure the map can show: a radio button, its
// legend, and its values in the table.
type figureView struct {
	ID, Title, Unit string
	Checked         bool
	Classes         []legendClass
	Missing         bool
}

type legendClass struct {
	Class, Label, Count string
}

// areaView is one area on the map and in the table of figures.
type areaView struct {
	Code, Name string
	D          string
	Class      string
	Title      string
	Label      string
	LX, LY     string
	// Values are the formatted figures, in the order of mapView.Figures.
	Values []string
	Year   string
	// ID names the path, so that its tip can show while it has focus or
	// the pointer; Tip is nil without labels.
	ID  string
	Tip *tipView
}

// tipView is the box that shows an area's value of the chosen figure
// beside the area while the area has keyboard focus or the pointer: the
// native tooltip of <title> appears on hover only.
type tipView struct {
	X, Y, W, H string
	TX, NameY  string
	ValueY     string
	Lines      []tipLine
}

type tipLine struct{ Class, Text string }

// Size of a tip: an estimate of the width of a character of its font
// (12 px sans-serif, generous for digits and capitals), its padding and
// height.
const (
	tipChar = 6.6
	tipPad  = 8.0
	tipH    = 40.0
)

// newTip places the tip of an area above its label point, inside the map.
func newTip(av areaView, figs []*figure, lp orb.Point, w, h float64) *tipView {
	name := av.Name + " (" + av.Code + ")"
	width := float64(len([]rune(name)))
	t := &tipView{}
	for j, f := range figs {
		line := trimUnit(f.column.Title, f.column.Unit) + ": " + av.Values[j]
		width = math.Max(width, float64(len([]rune(line))))
		t.Lines = append(t.Lines, tipLine{Class: "v" + strconv.Itoa(j), Text: line})
	}
	width = width*tipChar + 2*tipPad
	x := math.Min(math.Max(2, lp[0]-width/2), w-width-2)
	y := lp[1] - tipH - 12
	if y < 2 {
		y = math.Min(lp[1]+12, h-tipH-2)
	}
	t.X, t.Y, t.W, t.H = coord(x), coord(y), coord(width), coord(tipH)
	t.TX, t.NameY, t.ValueY = coord(x+tipPad), coord(y+16), coord(y+32)
	return t
}

// figure is a key figure with its values and classes, one per area.
type figure struct {
	col     int
	column  pipeline.Column
	dec     int
	values  []float64
	present []bool
	class   []int
}

// classCount is the number of classes of the map's legend.
const classCount = len(palette)

// classify sorts the present values into at most classCount quantile
// classes by rank: each class holds about as many areas as the next, and
// equal values always share a class. It returns the class of every value
// (-1 where missing) and the number of classes used.
func classify(vs []float64, present []bool) []int {
	class := make([]int, len(vs))
	var idx []int
	for i := range vs {
		class[i] = -1
		if present[i] {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return vs[idx[a]] < vs[idx[b]] })
	m := len(idx)
	if m == 0 {
		return class
	}
	k := min(classCount, m)
	for r, i := range idx {
		if r > 0 && vs[i] == vs[idx[r-1]] {
			class[i] = class[idx[r-1]]
			continue
		}
		// Fewer classes than colours spread over the whole scale.
		c := classCount / 2
		if k > 1 {
			c = (r * k / m) * (classCount - 1) / (k - 1)
		}
		class[i] = c
	}
	return class
}

// legend lists the classes in use with the range of their values.
func (f *figure) legend() []legendClass {
	var out []legendClass
	for c := range classCount {
		lo, hi, n := math.Inf(1), math.Inf(-1), 0
		for i, k := range f.class {
			if k == c {
				lo, hi, n = math.Min(lo, f.values[i]), math.Max(hi, f.values[i]), n+1
			}
		}
		if n == 0 {
			continue
		}
		label := f.format(lo)
		if hi != lo {
			label = pipeline.GermanNumber(lo, f.dec) + " bis " + f.format(hi)
		}
		count := "1 Aktionsraum"
		if n > 1 {
			count = pipeline.GermanInt(int64(n)) + " Aktionsräume"
		}
		out = append(out, legendClass{Class: "c" + strconv.Itoa(c), Label: label, Count: count})
	}
	return out
}

// format writes a value of the figure with its unit.
func (f *figure) format(v float64) string {
	return withUnit(v, f.dec, f.column.Unit)
}

// keyFigures are the columns of the areas dataset that the map shows: those
// named, or else every number after the column kennzahlen_jahr up to the
// next year column (the key figures of the latest year).
func keyFigures(ds *pipeline.Dataset, names []string) []int {
	var out []int
	if len(names) > 0 {
		for _, n := range names {
			if i := columnIndex(ds, n); i >= 0 {
				out = append(out, i)
			}
		}
		return out
	}
	in := false
	for i, c := range ds.Columns {
		switch {
		case c.Name == "kennzahlen_jahr":
			in = true
		case strings.HasSuffix(c.Name, "_jahr"):
			in = false
		case in && (c.Type == "integer" || c.Type == "number"):
			out = append(out, i)
		}
	}
	return out
}

// columnIndex is the index of the column named name, or -1.
func columnIndex(ds *pipeline.Dataset, name string) int {
	if ds == nil {
		return -1
	}
	for i, c := range ds.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// projection maps WGS84 to the drawing: a local equirectangular projection,
// east-west distances shrunk by the cosine of the latitude of the centre,
// north up.
type projection struct {
	minLon, maxLat, k, s float64
}

func newProjection(b orb.Bound) (projection, float64, float64) {
	lat0 := (b.Min.Lat() + b.Max.Lat()) / 2
	p := projection{minLon: b.Min.Lon(), maxLat: b.Max.Lat(), k: math.Cos(lat0 * math.Pi / 180)}
	dx, dy := (b.Max.Lon()-b.Min.Lon())*p.k, b.Max.Lat()-b.Min.Lat()
	p.s = math.Inf(1)
	if dx > 0 {
		p.s = (mapWidth - 2*mapPad) / dx
	}
	if dy > 0 {
		p.s = math.Min(p.s, (mapMaxHeight-2*mapPad)/dy)
	}
	if math.IsInf(p.s, 1) {
		p.s = 1
	}
	return p, mapWidth, math.Ceil(dy*p.s + 2*mapPad)
}

func (p projection) point(q orb.Point) orb.Point {
	return orb.Point{mapPad + (q.Lon()-p.minLon)*p.k*p.s, mapPad + (p.maxLat-q.Lat())*p.s}
}

// drawing is an area's geometry in the drawing, simplified.
func (p projection) drawing(g orb.Geometry) orb.MultiPolygon {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g.Clone()}
	case orb.MultiPolygon:
		mp = g.Clone()
	default:
		return nil
	}
	mp = project.MultiPolygon(mp, p.point)
	simple := simplify.DouglasPeucker(simplifyPx).MultiPolygon(mp.Clone())
	var out orb.MultiPolygon
	for i, poly := range simple {
		var kept orb.Polygon
		for _, r := range poly {
			if len(r) >= 4 {
				kept = append(kept, r)
			}
		}
		if len(kept) == 0 || len(poly[0]) < 4 {
			// Smaller than the tolerance: keep it as it was, so that
			// no area vanishes.
			kept = mp[i]
		}
		out = append(out, kept)
	}
	return out
}

// pathData writes the rings as SVG path data rounded to 0.1 px, dropping
// points that rounding makes equal to the one before.
func pathData(mp orb.MultiPolygon) string {
	var b []byte
	// pt and last are the current and the previous point as written.
	var pt, last []byte
	for _, poly := range mp {
		for _, r := range poly {
			n := 0
			for j, q := range r {
				if j == len(r)-1 && len(r) > 1 && q.Equal(r[0]) {
					break
				}
				pt = appendCoord(pt[:0], q[0])
				pt = append(pt, ',')
				pt = appendCoord(pt, q[1])
				if n > 0 && bytes.Equal(pt, last) {
					continue
				}
				switch n {
				case 0:
					b = append(b, 'M')
				case 1:
					b = append(b, 'L')
				default:
					b = append(b, ' ')
				}
				b = append(b, pt...)
				pt, last = last, pt
				n++
			}
			if n > 0 {
				b = append(b, 'Z')
			}
		}
	}
	return string(b)
}

// coord writes a position in the drawing to 0.1 px.
func coord(v float64) string {
	var buf [24]byte
	return string(appendCoord(buf[:0], v))
}

func appendCoord(b []byte, v float64) []byte {
	return pipeline.AppendDecimal(b, math.Round(v*10)/10, 1)
}

// labelPoint is the centroid of the area's largest polygon: it lies inside
// the compact shapes of city quarters, unlike the centroid of a whole
// multipolygon with parts far apart.
func labelPoint(mp orb.MultiPolygon) orb.Point {
	var best orb.Point
	max := -1.0
	for _, poly := range mp {
		c, a := planar.CentroidArea(poly)
		if a > max {
			best, max = c, a
		}
	}
	return best
}

// newMap draws the areas of rel, coloured by the classes of figs. areas
// holds the names, values and titles of rel.Areas, in the same order; the
// map adds the drawing to a copy.
func newMap(rel *pipeline.ReleaseInfo, figs []*figure, areas []areaView, labels bool) *mapView {
	p, w, h := newProjection(rel.Bound)
	m := &mapView{Width: coord(w), Height: coord(h), Labels: labels}
	for i, f := range figs {
		fv := figureView{ID: "fig" + strconv.Itoa(i), Title: trimUnit(f.column.Title, f.column.Unit),
			Unit: f.column.Unit, Checked: i == 0, Classes: f.legend()}
		for _, ok := range f.present {
			if !ok {
				fv.Missing, m.Missing = true, true
			}
		}
		m.Figures = append(m.Figures, fv)
	}
	// classNames[j][c+1] is the class of class c of figure j, c = -1 for
	// none: "f0c3", "f1n".
	classNames := make([][classCount + 1]string, len(figs))
	for j := range figs {
		classNames[j][0] = "f" + strconv.Itoa(j) + "n"
		for c := range classCount {
			classNames[j][c+1] = "f" + strconv.Itoa(j) + "c" + strconv.Itoa(c)
		}
	}
	m.Areas = make([]areaView, 0, len(rel.Areas))
	var class []byte
	for i, a := range rel.Areas {
		mp := p.drawing(a.Geometry)
		if mp == nil {
			continue
		}
		av := areas[i]
		av.D = pathData(mp)
		class = class[:0]
		for j, f := range figs {
			if j > 0 {
				class = append(class, ' ')
			}
			class = append(class, classNames[j][f.class[i]+1]...)
		}
		av.Class = string(class)
		av.ID = "a" + strconv.Itoa(i)
		if labels {
			lp := labelPoint(mp)
			av.LX, av.LY = coord(lp[0]), coord(lp[1])
			av.Tip = newTip(av, figs, lp, w, h)
		}
		m.Areas = append(m.Areas, av)
	}
	m.Paths = areaPaths(m.Areas, labels)
	return m
}

// mapCSS is the rules that colour the areas by the chosen figure: the
// first figure without any condition, so that the map is coloured in a
// browser without :has() too, and every figure while its radio button is
// checked. No script is needed, so the page works under a CSP without
// scripts.
func mapCSS(n int, areas []areaView) string {
	var b strings.Builder
	for _, a := range areas {
		if a.Tip != nil {
			fmt.Fprintf(&b, ".map:has(#%s:focus,#%s:hover) #tip-%s{display:inline}\n", a.ID, a.ID, a.ID)
		}
	}
	for c, col := range palette {
		fmt.Fprintf(&b, ".f0c%d,.c%d{fill:%s;background:%s}\n", c, c, col, col)
	}
	b.WriteString(".f0n{fill:url(#hatch)}\n")
	for i := range n {
		sel := fmt.Sprintf("main:has(#fig%d:checked)", i)
		for c, col := range palette {
			fmt.Fprintf(&b, "%s .f%dc%d{fill:%s}\n", sel, i, c, col)
		}
		fmt.Fprintf(&b, "%s .f%dn{fill:url(#hatch)}\n", sel, i)
		fmt.Fprintf(&b, "%s .legend.fig%d{display:block}\n", sel, i)
		fmt.Fprintf(&b, "%s .tipv.v%d{display:inline}\n", sel, i)
		if i > 0 {
			fmt.Fprintf(&b, "%s .legend.fig0,%s .tipv.v0{display:none}\n", sel, sel)
		}
	}
	return b.String()
}
