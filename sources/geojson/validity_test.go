package geojson

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestViolations pins the messages of simplefeatures' validation that
// violation and violationAt read: a new version that words them otherwise
// fails here, not in a user's report.
func TestViolations(t *testing.T) {
	square := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	tests := []struct {
		name    string
		polygon orb.Polygon
		german  string
		at      orb.Point
		located bool
	}{
		{"nested holes", orb.Polygon{square(0, 0, 10, 10), square(2, 2, 8, 8), square(4, 4, 6, 6)}, "ein Loch liegt in einem anderen Loch", orb.Point{4, 4}, true},
		{"hole outside", orb.Polygon{square(0, 0, 10, 10), square(20, 20, 30, 30)}, "ein Loch liegt außerhalb des äußeren Rings", orb.Point{20, 20}, true},
		{"hole crossing", orb.Polygon{square(0, 0, 10, 10), square(5, 5, 15, 8)}, "zwei Ringe schneiden sich", orb.Point{10, 5}, true},
		{"holes cutting the area", orb.Polygon{square(0, 0, 4, 4), {{0, 2}, {1, 3}, {2, 2}, {0, 2}}, {{2, 2}, {3, 3}, {4, 2}, {2, 2}}},
			"die Löcher zerteilen die Fläche", orb.Point{}, false},
		{"one point", orb.Polygon{{{1, 1}, {1, 1}, {1, 1}, {1, 1}}}, "ein Ring besteht nur aus einem Punkt", orb.Point{1, 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := geomPolygon(tt.polygon).Validate()
			if err == nil {
				t.Fatal("valid")
			}
			if got := violation(err); !strings.HasPrefix(got, tt.german) {
				t.Errorf("violation(%q) = %q, want %q", err, got, tt.german)
			}
			if at, ok := violationAt(err); ok != tt.located || at != tt.at {
				t.Errorf("violationAt(%q) = %v, %v; want %v, %v", err, at, ok, tt.at, tt.located)
			}
		})
	}
	overlap := geomMultiPolygon(orb.MultiPolygon{{square(0, 0, 10, 10)}, {square(5, 5, 15, 15)}})
	if err := overlap.Validate(); err == nil || !strings.HasPrefix(violation(err), "zwei Teilflächen überlappen") {
		t.Errorf("overlapping parts: %v gives %q", err, violation(err))
	}
}

func TestSelfIntersection(t *testing.T) {
	tests := []struct {
		name string
		ring orb.Ring
		at   orb.Point
		ok   bool
	}{
		{"square", orb.Ring{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, orb.Point{}, false},
		{"square with a repeated point", orb.Ring{{0, 0}, {2, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, orb.Point{}, false},
		{"bow-tie", orb.Ring{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}, orb.Point{1, 1}, true},
		{"figure eight through a vertex", orb.Ring{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 1}, {0, 0}}, orb.Point{1, 1}, true},
		{"vertex on another edge", orb.Ring{{0, 0}, {4, 0}, {4, 4}, {2, 0}, {0, 4}, {0, 0}}, orb.Point{2, 0}, true},
		{"spike back along the last edge", orb.Ring{{0, 0}, {2, 0}, {2, 2}, {2, 1}, {0, 0}}, orb.Point{2, 1}, true},
		{"edges on one line, apart", orb.Ring{{0, 0}, {1, 0}, {1, 1}, {3, 1}, {3, 0}, {4, 0}, {4, 2}, {0, 2}, {0, 0}}, orb.Point{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, ok := selfIntersection(tt.ring)
			if ok != tt.ok || at != tt.at {
				t.Errorf("selfIntersection = %v, %v; want %v, %v", at, ok, tt.at, tt.ok)
			}
			if simple := geomRing(tt.ring).IsSimple(); simple == tt.ok {
				t.Errorf("simplefeatures says simple = %v", simple)
			}
		})
	}
}

// TestSimpleRing checks that simpleRing never calls a ring simple that
// simplefeatures does not, on rings of random points on a small grid (many
// touching, collinear and repeated points) and on spikes at every vertex.
func TestSimpleRing(t *testing.T) {
	var w westOrder
	rnd := rand.New(rand.NewPCG(1, 2))
	simple := 0
	for range 20000 {
		n := 3 + rnd.IntN(6)
		r := make(orb.Ring, 0, n+1)
		for range n {
			r = append(r, orb.Point{float64(rnd.IntN(5)), float64(rnd.IntN(5))})
		}
		r = append(r, r[0])
		got, want := simpleRing(r, &w), geomRing(r).IsSimple()
		if got && !want {
			t.Fatalf("simpleRing(%v) = true, simplefeatures says not simple", r)
		}
		if got {
			simple++
		}
	}
	if simple == 0 {
		t.Error("no random ring was found simple")
	}
	square := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	if !simpleRing(square, &w) {
		t.Error("a square is not simple")
	}
	for k := range 4 {
		// A spike out of vertex k and back along the same line.
		spiked := slices.Clone(square[:4])
		spiked = slices.Insert(spiked, k+1, orb.Point{spiked[k][0] + 1, spiked[k][1] + 1}, spiked[k])
		spiked = append(spiked, spiked[0])
		if simpleRing(spiked, &w) {
			t.Errorf("simpleRing(%v) = true", spiked)
		}
	}
}
