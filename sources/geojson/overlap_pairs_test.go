package geojson

import (
	"testing"

	"github.com/paulmach/orb"
)

func rect(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

func TestMayOverlap(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b orb.MultiPolygon
		want bool
	}{
		{"apart", rect(0, 0, 1, 1), rect(2, 0, 3, 1), false},
		{"shared edge", rect(0, 0, 1, 1), rect(1, 0, 2, 1), false},
		{"shared corner", rect(0, 0, 1, 1), rect(1, 1, 2, 2), false},
		{"neighbour's vertex on the edge", rect(0, 0, 1, 2),
			orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 2}, {1, 2}, {1, 1}, {1, 0}}}}, false},
		{"crossing", rect(0, 0, 2, 2), rect(1, 1, 3, 3), true},
		{"identical", rect(0, 0, 1, 1), rect(0, 0, 1, 1), true},
		{"inside", rect(0, 0, 4, 4), rect(1, 1, 2, 2), true},
		{"inside touching an edge", rect(0, 0, 4, 4), rect(0, 1, 2, 2), true},
		{"edge partly shared, then inside", rect(0, 0, 2, 2),
			orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mayOverlap(tc.a, tc.b); got != tc.want {
				t.Errorf("mayOverlap(a, b) = %v, want %v", got, tc.want)
			}
			if got := mayOverlap(tc.b, tc.a); got != tc.want {
				t.Errorf("mayOverlap(b, a) = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCandidatePairsOrder(t *testing.T) {
	var areas []area
	for _, mp := range []orb.MultiPolygon{rect(0, 0, 1, 1), rect(5, 5, 6, 6), rect(1, 0, 2, 1), rect(0.5, 0.5, 5.5, 5.5)} {
		areas = append(areas, area{src: mp})
	}
	got := candidatePairs(areas)
	want := [][2]int{{0, 2}, {0, 3}, {1, 3}, {2, 3}}
	if len(got) != len(want) {
		t.Fatalf("pairs %v, want %v", got, want)
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("pairs %v, want %v", got, want)
		}
	}
}
