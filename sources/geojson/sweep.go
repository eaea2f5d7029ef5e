package geojson

import (
	"math"
	"math/bits"
	"slices"
)

// westOrder sorts indices by a coordinate, the west end of an edge or box,
// for the sweeps of simpleRing, mayOverlap and candidatePairs. Each key is
// the index packed below an order-preserving image of the coordinate, so
// that slices.Sort sorts plain integers, several times faster than a sort
// of structs with a comparison function. The packing rounds the coordinate
// down by a few units in its last places; a sweep that stops at the first
// rounded west end beyond an east end, and compares exact coordinates
// otherwise, still meets every pair it met before.
type westOrder struct {
	keys  []uint64
	shift uint
}

// sort orders the indices 0 to n-1 by west(i).
func (w *westOrder) sort(n int, west func(i int) float64) {
	w.shift = uint(bits.Len(uint(n)))
	w.keys = w.keys[:0]
	for i := range n {
		u := math.Float64bits(west(i))
		if u>>63 == 1 {
			u = ^u
		} else {
			u |= 1 << 63
		}
		w.keys = append(w.keys, u>>w.shift<<w.shift|uint64(i))
	}
	slices.Sort(w.keys)
}

// index is the index of the k-th key.
func (w *westOrder) index(k int) int { return int(w.keys[k] & (1<<w.shift - 1)) }

// west is the west end of the k-th key, rounded down.
func (w *westOrder) west(k int) float64 {
	u := w.keys[k] >> w.shift << w.shift
	if u>>63 == 1 {
		u &^= 1 << 63
	} else {
		u = ^u
	}
	return math.Float64frombits(u)
}
