package synth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestCodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		width int
	}{
		{"few", 30, 3},
		{"all of three letters", len(Codes3()), 3},
		{"four letters beyond", len(Codes3()) + 1, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			codes := Codes(tc.n)
			if len(codes) != tc.n {
				t.Fatalf("%d codes, want %d", len(codes), tc.n)
			}
			seen := map[string]bool{}
			for i, c := range codes {
				if len(c) != tc.width || seen[c] || (i > 0 && c <= codes[i-1]) {
					t.Fatalf("code %d %q: width %d, seen %v, order", i, c, tc.width, seen[c])
				}
				for _, d := range []string{"AE", "OE", "UE"} {
					if strings.Contains(c, d) {
						t.Fatalf("code %q has %s", c, d)
					}
				}
				seen[c] = true
			}
		})
	}
}

// TestAreasTileWithSharedEdges checks that every polygon has 40 to 80
// distinct vertices and that each edge between two vertices is used by at
// most two polygons, once in each direction: neighbours share their edges
// exactly and nothing overlaps along them.
func TestAreasTileWithSharedEdges(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Spec{Areas: 50, FundRows: 10, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, AreasFile))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 50 {
		t.Fatalf("%d features", len(fc.Features))
	}
	edges := map[[2]orb.Point]int{}
	for _, f := range fc.Features {
		ring := f.Geometry.(orb.Polygon)[0]
		if n := len(ring) - 1; n < 40 || n > 80 {
			t.Errorf("%v: %d vertices", f.Properties["code"], n)
		}
		for k := 1; k < len(ring); k++ {
			edges[[2]orb.Point{ring[k-1], ring[k]}]++
		}
	}
	shared := 0
	for e, n := range edges {
		if n > 1 {
			t.Fatalf("edge %v used %d times in one direction", e, n)
		}
		if edges[[2]orb.Point{e[1], e[0]}] > 0 {
			shared++
		}
	}
	if shared == 0 {
		t.Error("no edge is shared")
	}
}
