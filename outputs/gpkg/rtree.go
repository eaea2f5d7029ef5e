package gpkg

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// The spatial index is an SQLite R-tree (the rtree module): a virtual table
// whose nodes live in three shadow tables, <index>_node (nodeno, data),
// <index>_parent (nodeno, parentnode) and <index>_rowid (rowid, nodeno).
// Inserting the boxes one by one through the virtual table costs a descent
// and now and then a split per feature; the encoder instead packs the tree
// once all boxes are known (sort-tile-recursive) and writes the shadow tables
// as the module would. Readers see the same boxes under the same ids; only
// the grouping of boxes into nodes differs, which the module leaves open.

// cell is an entry of an R-tree node: a feature's fid in a leaf, a child
// node's number above, with its box in single precision as the module
// stores it.
type cell struct {
	id                     int64
	minX, maxX, minY, maxY float32
}

// boxCell is the cell of the feature fid with bound b, rounded outwards as
// the module rounds a box given in double precision (rtreeValueDown and
// rtreeValueUp), so that the box still holds the geometry.
func boxCell(fid int64, b orb.Bound) cell {
	return cell{id: fid, minX: down(b.Min[0]), maxX: up(b.Max[0]), minY: down(b.Min[1]), maxY: up(b.Max[1])}
}

// down is d in single precision, not above d: the nearest float, or the
// one next to it towards minus infinity.
func down(d float64) float32 {
	f := float32(d)
	if float64(f) > d {
		return nextFloat(f, -1)
	}
	return f
}

// up is d in single precision, not below d.
func up(d float64) float32 {
	f := float32(d)
	if float64(f) < d {
		return nextFloat(f, +1)
	}
	return f
}

// nextFloat is the float next to f in the direction dir (+1 or -1) as the
// module finds it: one unit in the last place of the bits, with the sign of
// f (minus zero is below plus zero).
func nextFloat(f float32, dir int) float32 {
	x := math.Float32bits(f)
	if (x&0x8000_0000 != 0) == (dir > 0) {
		return math.Float32frombits(x - 1)
	}
	return math.Float32frombits(x + 1)
}

// union is the box around cells, named id.
func union(id int64, cells []cell) cell {
	u := cells[0]
	u.id = id
	for _, c := range cells[1:] {
		u.minX, u.maxX = min(u.minX, c.minX), max(u.maxX, c.maxX)
		u.minY, u.maxY = min(u.minY, c.minY), max(u.maxY, c.maxY)
	}
	return u
}

// node is an R-tree node being packed: its number and cells.
type node struct {
	no    int64
	cells []cell
}

// packTree groups leaves (the boxes of the features) into nodes of at most
// maxCells cells, level by level, until one node, the root, is left. It
// returns the levels from the root down, the root alone numbered 1 as the
// module wants it and the other nodes numbered from 2 level by level.
// The order of leaves is changed.
func packTree(leaves []cell, maxCells int) [][]node {
	var levels [][]node
	cells := leaves
	for {
		groups := strTiles(cells, maxCells)
		level := make([]node, len(groups))
		for i, g := range groups {
			// Within a node, cells go in the order of ids, the order in
			// which the module appends features inserted one by one.
			slices.SortFunc(g, func(a, b cell) int { return cmp.Compare(a.id, b.id) })
			level[i] = node{cells: g}
		}
		levels = append(levels, level)
		if len(level) == 1 {
			break
		}
		// The boxes of this level's nodes are the cells of the next one up;
		// their numbers are set once the depth is known.
		cells = make([]cell, len(level))
		for i, n := range level {
			cells[i] = union(int64(i), n.cells)
		}
	}
	slices.Reverse(levels)
	no := int64(1)
	for d, level := range levels {
		for i := range level {
			level[i].no = no
			no++
		}
		if d == 0 {
			continue
		}
		// A parent's cells still hold the index of their child in this
		// level; they become its number.
		for _, parent := range levels[d-1] {
			for k := range parent.cells {
				parent.cells[k].id = level[parent.cells[k].id].no
			}
		}
	}
	return levels
}

// strTiles sorts cells and cuts them into groups of at most maxCells
// (sort-tile-recursive): slices by the centre's x, each slice sorted by the
// centre's y and cut into groups, so that the groups are compact tiles.
// Ties are broken by id, so the same cells give the same groups. Slices
// and groups are filled evenly rather than full up to a nearly empty last
// one.
func strTiles(cells []cell, maxCells int) [][]cell {
	groups := (len(cells) + maxCells - 1) / maxCells
	slicesN := int(math.Ceil(math.Sqrt(float64(groups))))
	slices.SortFunc(cells, byCentreX)
	out := make([][]cell, 0, groups)
	for _, s := range evenSplit(cells, slicesN) {
		slices.SortFunc(s, byCentreY)
		out = append(out, evenSplit(s, (len(s)+maxCells-1)/maxCells)...)
	}
	return out
}

// byCentreX and byCentreY order cells by the x or y of their centres, then
// by id. The centres are compared doubled, which keeps their order.
func byCentreX(a, b cell) int { return byKey(a.minX+a.maxX, b.minX+b.maxX, a.id, b.id) }
func byCentreY(a, b cell) int { return byKey(a.minY+a.maxY, b.minY+b.maxY, a.id, b.id) }

func byKey(ka, kb float32, ida, idb int64) int {
	switch {
	case ka < kb:
		return -1
	case ka > kb:
		return 1
	}
	return cmp.Compare(ida, idb)
}

// evenSplit cuts cells into n parts whose lengths differ by one at most.
func evenSplit(cells []cell, n int) [][]cell {
	if n <= 1 {
		return [][]cell{cells}
	}
	out := make([][]cell, n)
	size, rest := len(cells)/n, len(cells)%n
	for i := range out {
		k := size
		if i < rest {
			k++
		}
		out[i], cells = cells[:k:k], cells[k:]
	}
	return out
}

// writeTree packs the boxes into an R-tree and writes it into the shadow
// tables of the empty index named idx, whose root node the module created
// when the index was created.
func writeTree(ctx context.Context, tx *sql.Tx, idx string, boxes []cell) error {
	if len(boxes) == 0 {
		return nil
	}
	var size int
	q := "SELECT length(data) FROM " + quote(idx+"_node") + " WHERE nodeno = 1"
	if err := tx.QueryRowContext(ctx, q).Scan(&size); err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	const cellSize = 8 + 4*4
	maxCells := (size - 4) / cellSize
	if maxCells < 2 || maxCells > 0xffff {
		return fmt.Errorf("R-tree node of %d bytes", size)
	}
	fids := make([]int64, len(boxes))
	for i, b := range boxes {
		fids[i] = b.id
	}
	slices.Sort(fids)
	levels := packTree(boxes, maxCells)

	// Rows are written in the order of their keys, which B-trees append
	// cheaply.
	var nodes, parents []any
	// leafOf[i] is the leaf of the feature fids[i].
	leafOf := make([]int64, len(fids))
	for d, level := range levels {
		for _, n := range level {
			data := make([]byte, size)
			if d == 0 {
				binary.BigEndian.PutUint16(data, uint16(len(levels)-1))
			}
			binary.BigEndian.PutUint16(data[2:], uint16(len(n.cells)))
			p := data[4:]
			for _, c := range n.cells {
				binary.BigEndian.PutUint64(p, uint64(c.id))
				binary.BigEndian.PutUint32(p[8:], math.Float32bits(c.minX))
				binary.BigEndian.PutUint32(p[12:], math.Float32bits(c.maxX))
				binary.BigEndian.PutUint32(p[16:], math.Float32bits(c.minY))
				binary.BigEndian.PutUint32(p[20:], math.Float32bits(c.maxY))
				p = p[cellSize:]
				if d == len(levels)-1 {
					i, _ := slices.BinarySearch(fids, c.id)
					leafOf[i] = n.no
				} else {
					parents = append(parents, c.id, n.no)
				}
			}
			nodes = append(nodes, n.no, data)
		}
	}
	rowids := make([]any, 0, 2*len(fids))
	for i, fid := range fids {
		rowids = append(rowids, fid, leafOf[i])
	}
	// Parents are listed by level, children numbered upwards: in key order.
	// Tables of two columns take many rows per statement.
	const treeBatch = 256
	for _, t := range []struct {
		table string
		rows  []any
	}{
		{"INSERT OR REPLACE INTO " + quote(idx+"_node"), nodes},
		{"INSERT INTO " + quote(idx+"_parent"), parents},
		{"INSERT INTO " + quote(idx+"_rowid"), rowids},
	} {
		in := newInserter(tx, t.table, 2, treeBatch)
		err := in.exec(ctx, t.rows)
		in.close()
		if err != nil {
			return err
		}
	}
	return nil
}
