package gpkg

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// manyAreas is enough features for an R-tree of three levels: ellipses of a
// few vertices, every seventh moved west of Greenwich so that negative
// coordinates are rounded too, every 97th without a geometry.
func manyAreas() []pipeline.Feature {
	feats := syntheticAreas(3000, 7)
	for i := range feats {
		switch {
		case i%97 == 0:
			feats[i].Geometry = nil
		case i%7 == 0:
			mp := feats[i].Geometry.(orb.MultiPolygon)
			for _, r := range mp[0] {
				for k := range r {
					r[k][0] -= 15
				}
			}
		}
	}
	return feats
}

// boxes lists the rows of an R-tree, and the ids in each of windows.
func boxes(t *testing.T, db *sql.DB, table string, windows []orb.Bound) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.Query("SELECT id, minx, maxx, miny, maxy FROM " + quote(table) + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var c [4]float64
		if err := rows.Scan(&id, &c[0], &c[1], &c[2], &c[3]); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, id, math.Float64bits(c[0]), math.Float64bits(c[1]), math.Float64bits(c[2]), math.Float64bits(c[3]))
	}
	rows.Close()
	for _, w := range windows {
		rows, err := db.Query("SELECT id FROM "+quote(table)+" WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ? ORDER BY id",
			w.Max[0], w.Min[0], w.Max[1], w.Min[1])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "in %v:", w)
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			fmt.Fprint(&b, " ", id)
		}
		rows.Close()
		b.WriteString("\n")
	}
	return b.String()
}

// rtreeCheck runs SQLite's check of an R-tree: every node within its
// parent's box, no node too full, and the shadow tables in step.
func rtreeCheck(t *testing.T, db *sql.DB, table string) {
	t.Helper()
	var ok string
	if err := db.QueryRow("SELECT rtreecheck(?)", table).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("rtreecheck: %q, %v", ok, err)
	}
}

// TestSpatialIndex checks the packed R-tree against one that the rtree
// module builds from the same boxes: the same rows, the same answers to
// window queries, a tree that passes the module's own check, and one that
// the module can go on editing.
func TestSpatialIndex(t *testing.T) {
	feats := manyAreas()
	db, path := open(t, encode(t, areas, feats...))
	const idx = "rtree_aktionsraeume_geom"
	rtreeCheck(t, db, idx)
	var root []byte
	if err := db.QueryRow("SELECT data FROM " + idx + "_node WHERE nodeno = 1").Scan(&root); err != nil {
		t.Fatal(err)
	}
	depth := binary.BigEndian.Uint16(root)
	if depth < 2 {
		t.Errorf("tree of depth %d, want a test of at least three levels", depth)
	}

	ref, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	ref.SetMaxOpenConns(1)
	if _, err := ref.Exec("CREATE VIRTUAL TABLE ref USING rtree(id, minx, maxx, miny, maxy)"); err != nil {
		t.Fatal(err)
	}
	for i, f := range feats {
		if f.Geometry == nil {
			continue
		}
		b := f.Geometry.Bound()
		if _, err := ref.Exec("INSERT INTO ref VALUES (?, ?, ?, ?, ?)", i+1, b.Min[0], b.Max[0], b.Min[1], b.Max[1]); err != nil {
			t.Fatal(err)
		}
	}
	windows := []orb.Bound{
		{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}},
		{Min: orb.Point{7.31, 51.405}, Max: orb.Point{7.33, 51.41}},
		{Min: orb.Point{-7.7, 51.4}, Max: orb.Point{-7.5, 51.41}},
		{Min: orb.Point{7.4, 51.4}, Max: orb.Point{7.4, 51.4}},
		{Min: orb.Point{0, 0}, Max: orb.Point{1, 1}},
	}
	if got, want := boxes(t, db, idx, windows), boxes(t, ref, "ref", windows); got != want {
		t.Errorf("R-tree differs from the module's (got, want):\n%s\n%s", got, want)
	}

	// GIS software edits the index through the module: removing and adding
	// boxes must keep it sound.
	rw := filepath.Join(t.TempDir(), "edited.gpkg")
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rw, file, 0o644); err != nil {
		t.Fatal(err)
	}
	edit, err := sql.Open("sqlite", "file:"+rw)
	if err != nil {
		t.Fatal(err)
	}
	defer edit.Close()
	for _, q := range []string{
		"DELETE FROM " + idx + " WHERE id % 3 = 0",
		"INSERT INTO " + idx + " SELECT id + 10000, minx + 0.5, maxx + 0.5, miny, maxy FROM " + idx + " WHERE id % 5 = 0",
		"DELETE FROM " + idx + " WHERE id BETWEEN 100 AND 1500",
	} {
		if _, err := edit.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rtreeCheck(t, edit, idx)
}
