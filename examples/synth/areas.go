package synth

import (
	"bufio"
	"math"
	"strconv"
)

// The region tiled by the areas: the bounding box of Dortmund in WGS84.
const (
	west, east   = 7.30, 7.64
	south, north = 51.41, 51.60
	// aspect is the box's width over its height on the ground.
	aspect = 23.6 / 21.1
)

// grid is a jittered grid of cols × rows cells over the region; the first
// N cells, row by row from the south-west, are the areas. Each cell edge
// between two grid nodes is drawn once, as a wiggly line of 9 to 19 inner
// points, and used by both cells that share it (one of them walks it
// backwards), so that neighbours share their edges exactly and every
// polygon has 40 to 80 distinct vertices.
type grid struct {
	s          *set
	cols, rows int
	cw, ch     float64
}

func newGrid(s *set) *grid {
	cols := int(math.Ceil(math.Sqrt(float64(s.Areas) * aspect)))
	rows := (s.Areas + cols - 1) / cols
	return &grid{s: s, cols: cols, rows: rows, cw: (east - west) / float64(cols), ch: (north - south) / float64(rows)}
}

// node is grid node (i, j), moved by up to a fifth of a cell.
func (g *grid) node(i, j int) [2]float64 {
	r := g.s.rng(streamNodes, uint64(j*(g.cols+1)+i))
	x := west + (float64(i)+0.4*(r.Float64()-0.5))*g.cw
	y := south + (float64(j)+0.4*(r.Float64()-0.5))*g.ch
	return [2]float64{round6(x), round6(y)}
}

// round6 rounds to the six decimals written, so that shared points are
// the same numbers in every polygon that has them.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// edge returns the inner points of the edge from node a to node b with the
// identity id, in the direction from a to b.
func (g *grid) edge(id uint64, a, b [2]float64) [][2]float64 {
	r := g.s.rng(streamEdges, id)
	k := 9 + r.IntN(11)
	dx, dy := b[0]-a[0], b[1]-a[1]
	// The normal, as long as the edge: offsets are fractions of it.
	nx, ny := -dy, dx
	out := make([][2]float64, k)
	for m := range k {
		t := (float64(m+1) + 0.6*(r.Float64()-0.5)) / float64(k+1)
		off := 0.04 * math.Sin(math.Pi*t) * (2*r.Float64() - 1)
		out[m] = [2]float64{round6(a[0] + t*dx + off*nx), round6(a[1] + t*dy + off*ny)}
	}
	return out
}

func (g *grid) hEdge(i, j int) [][2]float64 {
	return g.edge(2*uint64(j*(g.cols+1)+i), g.node(i, j), g.node(i+1, j))
}

func (g *grid) vEdge(i, j int) [][2]float64 {
	return g.edge(2*uint64(j*(g.cols+1)+i)+1, g.node(i, j), g.node(i, j+1))
}

// ring returns the closed outer ring of cell (i, j), counterclockwise.
func (g *grid) ring(i, j int) [][2]float64 {
	var ring [][2]float64
	ring = append(ring, g.node(i, j))
	ring = append(ring, g.hEdge(i, j)...)
	ring = append(ring, g.node(i+1, j))
	ring = append(ring, g.vEdge(i+1, j)...)
	ring = append(ring, g.node(i+1, j+1))
	ring = appendReversed(ring, g.hEdge(i, j+1))
	ring = append(ring, g.node(i, j+1))
	ring = appendReversed(ring, g.vEdge(i, j))
	return append(ring, ring[0])
}

func appendReversed(dst, pts [][2]float64) [][2]float64 {
	for k := len(pts) - 1; k >= 0; k-- {
		dst = append(dst, pts[k])
	}
	return dst
}

// writeAreas writes one feature per area with its code and name.
func (s *set) writeAreas(w *bufio.Writer) error {
	g := newGrid(s)
	w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	var buf []byte
	for n, code := range s.codes {
		buf = append(buf[:0], `{"type":"Feature","properties":{"code":"`...)
		buf = append(buf, code...)
		buf = append(buf, `","name":"`...)
		buf = append(buf, Name(code)...)
		buf = append(buf, `"},"geometry":{"type":"Polygon","coordinates":[[`...)
		for k, p := range g.ring(n%g.cols, n/g.cols) {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, '[')
			buf = strconv.AppendFloat(buf, p[0], 'f', 6, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, p[1], 'f', 6, 64)
			buf = append(buf, ']')
		}
		buf = append(buf, "]]}}"...)
		if n < len(s.codes)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	_, err := w.WriteString("]}\n")
	return err
}
