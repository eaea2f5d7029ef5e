package gpkg

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// areas is a small spatial dataset with a column of every type, in neither
// alphabetic nor any map order.
var areas = &pipeline.Dataset{
	Name:        "aktionsraeume",
	Title:       "Aktionsräume",
	Description: "Die Aktionsräume mit Grenze.",
	Columns: []pipeline.Column{
		{Name: "code", Type: "string"},
		{Name: "name", Type: "string"},
		{Name: "flaeche_km2", Type: "number"},
		{Name: "einwohner", Type: "integer"},
		{Name: "bewilligt_eur", Type: "number"},
		{Name: "ueberschritten", Type: "boolean"},
		{Name: "beschlussdatum", Type: "date"},
	},
	Spatial: true,
	About:   pipeline.About{Note: "Beispieldaten, keine amtlichen Zahlen"},
}

// square is a ring around (x, y) with side d, clockwise when cw is set.
func square(x, y, d float64, cw bool) orb.Ring {
	r := orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
	if cw {
		r.Reverse()
	}
	return r
}

func threeAreas() []pipeline.Feature {
	return []pipeline.Feature{
		{
			ID:     "BOR",
			Values: []any{"BOR", "Borsigplatz", 2.345, int64(12345), int64(5000), false, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
			// Exterior clockwise, hole counter-clockwise: both get reversed.
			Geometry: orb.Polygon{square(7.47, 51.52, 0.02, true), square(7.475, 51.525, 0.005, false)},
		},
		{
			ID:     "HOE",
			Values: []any{"HOE", "Hörde", 4.5, int64(20100), 6250.5, true, nil},
			Geometry: orb.MultiPolygon{
				{square(7.49, 51.48, 0.01, false)},
				{square(7.5123456789, 51.4912345678, 0.01, false)},
			},
		},
		{ID: "NOM", Values: []any{"NOM", `Nord"markt'`, nil, nil, nil, nil, nil}},
	}
}

// encode writes features through a fresh encoder of ds and returns the file.
func encode(t testing.TB, ds *pipeline.Dataset, feats ...pipeline.Feature) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc, err := Format{}.NewEncoder(&buf, ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feats {
		if err := enc.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// open saves file and opens it read-only.
func open(t *testing.T, file []byte) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "aktionsraeume.gpkg")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

// dump lists the schema and every row of every table, blobs in hex, in a
// stable order: what a reader of the file sees.
func dump(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, pragma := range []string{"application_id", "user_version", "page_size", "freelist_count", "journal_mode", "encoding"} {
		var v string
		if err := db.QueryRow("PRAGMA " + pragma).Scan(&v); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "PRAGMA %s = %s\n", pragma, v)
	}
	rows, err := db.Query("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var typ, name string
		var def sql.NullString
		if err := rows.Scan(&typ, &name, &def); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "\n%s %s\n%s\n", typ, name, def.String)
		if typ == "table" {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, table := range tables {
		fmt.Fprintf(&b, "\nrows of %s\n", table)
		// SQL's quote() shows each value as stored: its type and exact text,
		// not what the driver makes of a DATE column.
		var cols []string
		rows, err := db.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			cols = append(cols, "quote("+quote(c)+")")
		}
		rows.Close()
		rows, err = db.Query("SELECT " + strings.Join(cols, " || ' | ' || ") + " FROM " + quote(table) + " ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	file := encode(t, areas, threeAreas()...)
	db, _ := open(t, file)
	got := dump(t, db)
	golden := filepath.Join("testdata", "aktionsraeume.golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("tables differ from %s (run with -update after checking the change):\n%s", golden, got)
	}
}

func TestDeterministic(t *testing.T) {
	a := sha256.Sum256(encode(t, areas, threeAreas()...))
	b := sha256.Sum256(encode(t, areas, threeAreas()...))
	if a != b {
		t.Errorf("two runs over the same input wrote different bytes: %x, %x", a, b)
	}
}

// TestReadBack checks what the standard requires of the file, table by table.
func TestReadBack(t *testing.T) {
	feats := threeAreas()
	file := encode(t, areas, feats...)
	if !bytes.HasPrefix(file, []byte("SQLite format 3\x00")) {
		t.Fatalf("not a SQLite file: %q", file[:16])
	}
	// The header holds the application id at 68 and the user version at 60.
	if id := binary.BigEndian.Uint32(file[68:]); id != 0x47504B47 {
		t.Errorf("application_id %#x, want 'GPKG'", id)
	}
	if v := binary.BigEndian.Uint32(file[60:]); v != 10300 {
		t.Errorf("user_version %d, want 10300", v)
	}
	db, _ := open(t, file)

	t.Run("integrity", func(t *testing.T) {
		var ok string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Errorf("integrity_check: %q, %v", ok, err)
		}
		var fk int
		if err := db.QueryRow("SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk); err != nil || fk != 0 {
			t.Errorf("foreign_key_check: %d violations, %v", fk, err)
		}
	})

	t.Run("gpkg_spatial_ref_sys", func(t *testing.T) {
		rows, err := db.Query("SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var id, orgID int
			var org, def string
			rows.Scan(&id, &org, &orgID, &def)
			got = append(got, fmt.Sprintf("%d %s %d", id, org, orgID))
			if id == 4326 && !strings.HasPrefix(def, `GEOGCS["WGS 84"`) {
				t.Errorf("definition of 4326: %s", def)
			}
		}
		if want := "-1 NONE -1,0 NONE 0,4326 EPSG 4326"; strings.Join(got, ",") != want {
			t.Errorf("rows %q, want %q", got, want)
		}
	})

	t.Run("gpkg_contents", func(t *testing.T) {
		var table, typ, ident, desc, change string
		var minX, minY, maxX, maxY float64
		var srs int
		err := db.QueryRow("SELECT table_name, data_type, identifier, description, CAST(last_change AS TEXT), min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents").
			Scan(&table, &typ, &ident, &desc, &change, &minX, &minY, &maxX, &maxY, &srs)
		if err != nil {
			t.Fatal(err)
		}
		if table != "aktionsraeume" || typ != "features" || ident != areas.Title || desc != areas.Description || srs != 4326 {
			t.Errorf("row: %q %q %q %q %d", table, typ, ident, desc, srs)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", change); err != nil {
			t.Errorf("last_change %q is not in the format of the standard: %v", change, err)
		}
		want := feats[0].Geometry.Bound().Union(feats[1].Geometry.Bound())
		if got := (orb.Bound{Min: orb.Point{minX, minY}, Max: orb.Point{maxX, maxY}}); got != want {
			t.Errorf("extent %v, want %v", got, want)
		}
	})

	t.Run("gpkg_geometry_columns", func(t *testing.T) {
		var table, col, typ string
		var srs, z, m int
		if err := db.QueryRow("SELECT * FROM gpkg_geometry_columns").Scan(&table, &col, &typ, &srs, &z, &m); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintln(table, col, typ, srs, z, m); got != "aktionsraeume geom MULTIPOLYGON 4326 0 0\n" {
			t.Errorf("row %s", got)
		}
	})

	t.Run("columns", func(t *testing.T) {
		rows, err := db.Query("SELECT name, type, pk FROM pragma_table_info('aktionsraeume') ORDER BY cid")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var name, typ string
			var pk int
			rows.Scan(&name, &typ, &pk)
			got = append(got, fmt.Sprintf("%s %s %d", name, typ, pk))
		}
		want := "fid INTEGER 1,geom MULTIPOLYGON 0,code TEXT 0,name TEXT 0,flaeche_km2 REAL 0,einwohner INTEGER 0," +
			"bewilligt_eur REAL 0,ueberschritten BOOLEAN 0,beschlussdatum DATE 0"
		if strings.Join(got, ",") != want {
			t.Errorf("columns\n %s\nwant\n %s", strings.Join(got, ","), want)
		}
	})

	t.Run("rows", func(t *testing.T) {
		rows, err := db.Query(`SELECT fid, geom, code, name, flaeche_km2, einwohner, bewilligt_eur, ueberschritten, CAST(beschlussdatum AS TEXT),
			typeof(bewilligt_eur), typeof(ueberschritten) FROM aktionsraeume ORDER BY fid`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		var geoms [][]byte
		for rows.Next() {
			var fid int
			var geom []byte
			var code, name string
			var area, eur sql.NullFloat64
			var people, over sql.NullInt64
			var date sql.NullString
			var eurType, overType string
			if err := rows.Scan(&fid, &geom, &code, &name, &area, &people, &eur, &over, &date, &eurType, &overType); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintln(fid, code, name, area.Float64, people.Int64, eur.Float64, eurType, over, overType, date.String))
			geoms = append(geoms, geom)
		}
		want := []string{
			"1 BOR Borsigplatz 2.345 12345 5000 real {0 true} integer 2024-03-05",
			"2 HOE Hörde 4.5 20100 6250.5 real {1 true} integer ",
			`3 NOM Nord"markt' 0 0 0 null {0 false} null `,
		}
		if strings.Join(got, "") != strings.Join(want, "\n")+"\n" {
			t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, ""), strings.Join(want, "\n"))
		}
		if len(geoms) != 3 {
			t.Fatalf("%d rows", len(geoms))
		}
		if geoms[2] != nil {
			t.Errorf("no geometry should be NULL, is %x", geoms[2])
		}
		for i, blob := range geoms[:2] {
			checkBlob(t, blob, feats[i].Geometry)
		}
	})

	t.Run("gpkg_ogr_contents", func(t *testing.T) {
		var n int
		if err := db.QueryRow("SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'aktionsraeume'").Scan(&n); err != nil || n != 3 {
			t.Errorf("feature_count %d, %v; want 3", n, err)
		}
	})
}

// checkBlob checks the GeoPackage binary header and decodes the WKB after it.
func checkBlob(t *testing.T, blob []byte, in orb.Geometry) {
	t.Helper()
	if len(blob) < headerSize || string(blob[:2]) != "GP" || blob[2] != 0 || blob[3] != 0b11 {
		t.Fatalf("header % x: want GP, version 0, flags little endian with an xy envelope", blob[:min(len(blob), 8)])
	}
	if srs := int32(binary.LittleEndian.Uint32(blob[4:])); srs != 4326 {
		t.Errorf("srs_id %d", srs)
	}
	var env [4]float64
	for i := range env {
		env[i] = math.Float64frombits(binary.LittleEndian.Uint64(blob[8+8*i:]))
	}
	b := in.Bound()
	if env != [4]float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		t.Errorf("envelope %v, want minx, maxx, miny, maxy of %v", env, b)
	}
	g, err := wkb.Unmarshal(blob[headerSize:])
	if err != nil {
		t.Fatal(err)
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok {
		t.Fatalf("geometry %T, want MultiPolygon", g)
	}
	want, ok := in.(orb.MultiPolygon)
	if p, isPoly := in.(orb.Polygon); isPoly {
		want, ok = orb.MultiPolygon{p}, true
	}
	if !ok || len(mp) != len(want) {
		t.Fatalf("%d polygons, want %d", len(mp), len(want))
	}
	for i, p := range mp {
		for k, r := range p {
			if o := r.Orientation(); (k == 0) != (o == orb.CCW) {
				t.Errorf("polygon %d, ring %d: orientation %v", i+1, k+1, o)
			}
			w := orb.Clone(want[i][k]).(orb.Ring)
			if w.Orientation() != r.Orientation() {
				w.Reverse()
			}
			if !orb.Equal(r, w) {
				t.Errorf("polygon %d, ring %d: %v, want %v", i+1, k+1, r, w)
			}
		}
	}
}

// TestBatches checks that every feature is inserted once, in order, with
// its own values and geometry, when the features fill batches exactly, or
// leave one short batch, and some have no geometry.
func TestBatches(t *testing.T) {
	for _, n := range []int{1, featureBatch - 1, featureBatch, featureBatch + 1, 2*featureBatch + 1} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			feats := syntheticAreas(n, 5)
			for i := range feats {
				if i%3 == 1 {
					feats[i].Geometry = nil
				}
			}
			db, _ := open(t, encode(t, areas, feats...))
			rows, err := db.Query("SELECT fid, einwohner, geom FROM aktionsraeume ORDER BY fid")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			i := 0
			for ; rows.Next(); i++ {
				var fid, people int64
				var geom []byte
				if err := rows.Scan(&fid, &people, &geom); err != nil {
					t.Fatal(err)
				}
				if fid != int64(i+1) || people != int64(i) {
					t.Fatalf("row %d: fid %d, einwohner %d", i+1, fid, people)
				}
				if feats[i].Geometry == nil {
					if geom != nil {
						t.Errorf("fid %d: geometry %x, want NULL", fid, geom)
					}
					continue
				}
				checkBlob(t, geom, feats[i].Geometry)
			}
			if i != n {
				t.Errorf("%d rows, want %d", i, n)
			}
			var count int
			if err := db.QueryRow("SELECT feature_count FROM gpkg_ogr_contents").Scan(&count); err != nil || count != n {
				t.Errorf("feature_count %d, %v; want %d", count, err, n)
			}
		})
	}
}

func TestOpenRingIsClosed(t *testing.T) {
	r := square(7, 51, 1, false)
	in := orb.Polygon{r[:4]}
	before := orb.Clone(in)
	blob, _, err := appendGeometry(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	if !orb.Equal(in, before) {
		t.Error("the caller's geometry was changed")
	}
	g, err := wkb.Unmarshal(blob[headerSize:])
	if err != nil {
		t.Fatal(err)
	}
	if want := (orb.MultiPolygon{{r}}); !orb.Equal(g, want) {
		t.Errorf("got %v, want %v", g, want)
	}
}

// oneColumn is a dataset with a single property "v".
var oneColumn = &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{{Name: "v", Type: "integer"}}, Spatial: true}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		f    pipeline.Feature
		want error
	}{
		{"too few values", pipeline.Feature{Values: []any{}}, ErrValue},
		{"too many values", pipeline.Feature{Values: []any{1, 2}}, ErrValue},
		{"unsupported type", pipeline.Feature{Values: []any{int32(1)}}, ErrValue},
		{"NaN", pipeline.Feature{Values: []any{math.NaN()}}, ErrValue},
		{"infinity", pipeline.Feature{Values: []any{math.Inf(-1)}}, ErrValue},
		{"point", pipeline.Feature{Values: []any{nil}, Geometry: orb.Point{7, 51}}, ErrGeometry},
		{"ring of two positions", pipeline.Feature{Values: []any{nil}, Geometry: orb.Polygon{{{7, 51}, {8, 52}, {7, 51}}}}, ErrGeometry},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			enc, err := Format{TempDir: tmp}.NewEncoder(io.Discard, oneColumn)
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.Write(tt.f); !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			// The error sticks, and the scratch file is gone at once.
			if err := enc.Close(); !errors.Is(err, tt.want) {
				t.Errorf("Close: error %v, want %v", err, tt.want)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("scratch files left: %v", left)
			}
		})
	}
	t.Run("unknown column type", func(t *testing.T) {
		ds := &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{{Name: "v", Type: "geopoint"}}}
		if _, err := (Format{}).NewEncoder(io.Discard, ds); !errors.Is(err, ErrValue) {
			t.Errorf("error %v, want %v", err, ErrValue)
		}
	})
	t.Run("column named like the geometry", func(t *testing.T) {
		ds := &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{{Name: "Geom", Type: "string"}}}
		if _, err := (Format{}).NewEncoder(io.Discard, ds); !errors.Is(err, ErrValue) {
			t.Errorf("error %v, want %v", err, ErrValue)
		}
	})
	t.Run("abort", func(t *testing.T) {
		tmp := t.TempDir()
		var out bytes.Buffer
		enc, _ := Format{TempDir: tmp}.NewEncoder(&out, oneColumn)
		if err := enc.Write(pipeline.Feature{Values: []any{nil}}); err != nil {
			t.Fatal(err)
		}
		enc.(pipeline.Aborter).Abort()
		if left, _ := os.ReadDir(tmp); len(left) > 0 || out.Len() > 0 {
			t.Errorf("after Abort: scratch files %v, %d bytes written", left, out.Len())
		}
		if err := enc.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("Close after Abort: error %v, want %v", err, ErrClosed)
		}
	})
	t.Run("write after close", func(t *testing.T) {
		tmp := t.TempDir()
		enc, _ := Format{TempDir: tmp}.NewEncoder(io.Discard, oneColumn)
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("scratch files left: %v", left)
		}
		if err := enc.Write(pipeline.Feature{Values: []any{nil}}); !errors.Is(err, ErrClosed) {
			t.Errorf("error %v, want %v", err, ErrClosed)
		}
		if err := enc.Close(); !errors.Is(err, ErrClosed) {
			t.Errorf("second close: error %v, want %v", err, ErrClosed)
		}
	})
	t.Run("writer error", func(t *testing.T) {
		tmp := t.TempDir()
		enc, _ := Format{TempDir: tmp}.NewEncoder(failingWriter{}, oneColumn)
		if err := enc.Close(); !errors.Is(err, errDiskFull) {
			t.Errorf("Close: error %v, want %v", err, errDiskFull)
		}
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("scratch files left: %v", left)
		}
	})
	t.Run("no scratch folder", func(t *testing.T) {
		if _, err := (Format{TempDir: filepath.Join(t.TempDir(), "missing")}).NewEncoder(io.Discard, oneColumn); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v, want %v", err, os.ErrNotExist)
		}
	})
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errDiskFull }

// TestOgrinfo opens the file with GDAL, the library behind QGIS: it must
// see the layer with its typed fields, the SRS and the extent, and say
// nothing on stderr.
func TestOgrinfo(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("AKTIONSPLAN_REQUIRE_TOOLS") == "1" {
			t.Fatalf("ogrinfo required: %v", err)
		}
		t.Skip("ogrinfo not installed (gdal-bin)")
	}
	_, path := open(t, encode(t, areas, threeAreas()...))
	cmd := exec.Command(ogrinfo, "-ro", "-so", path, "aktionsraeume")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("ogrinfo wrote to stderr:\n%s", stderr.String())
	}
	out := stdout.String()
	// GDAL uses the spatial index, and finds BOR alone in a box around it.
	sql := exec.Command(ogrinfo, "-ro", "-q", path, "-sql", "SELECT HasSpatialIndex('aktionsraeume', 'geom')")
	if got, err := sql.CombinedOutput(); err != nil || !strings.Contains(string(got), "HasSpatialIndex (Integer) = 1") {
		t.Errorf("HasSpatialIndex: %v\n%s", err, got)
	}
	spat := exec.Command(ogrinfo, "-ro", "-q", path, "aktionsraeume", "-spat", "7.471", "51.521", "7.48", "51.53")
	if got, err := spat.CombinedOutput(); err != nil || strings.Count(string(got), "OGRFeature(aktionsraeume)") != 1 || !strings.Contains(string(got), "code (String) = BOR") {
		t.Errorf("spatial filter: %v\n%s", err, got)
	}
	for _, want := range []string{
		"using driver `GPKG' successful",
		"\nGeometry: Multi Polygon\n",
		"\nFeature Count: 3\n",
		"\nExtent: (7.470000, 51.480000) - (7.522346, 51.540000)\n",
		`ID["EPSG",4326]`,
		"  IDENTIFIER=Aktionsräume\n",
		"\ncode: String (0.0)\n",
		"\nflaeche_km2: Real (0.0)\n",
		"\neinwohner: Integer64 (0.0)\n",
		"\nueberschritten: Integer(Boolean) (0.0)\n",
		"\nbeschlussdatum: Date (0.0)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo: no %q in\n%s", want, out)
		}
	}
}

// BenchmarkEncoder writes polygons of 60 vertices laid out row by row like
// the tiles of a city, a tenth of them clockwise, with a value of every
// column type each.
func BenchmarkEncoder(b *testing.B) {
	for _, polygons := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("polygons=%d", polygons), func(b *testing.B) {
			benchmarkEncoder(b, syntheticAreas(polygons, 60))
		})
	}
}

// syntheticAreas is n ellipses of the given number of vertices on a grid
// of 250 columns.
func syntheticAreas(n, vertices int) []pipeline.Feature {
	feats := make([]pipeline.Feature, n)
	for i := range feats {
		cx, cy := 7.3+float64(i%250)*0.002, 51.4+float64(i/250)*0.001
		r := make(orb.Ring, vertices+1)
		for k := range vertices {
			a := 2 * math.Pi * float64(k) / float64(vertices)
			r[k] = orb.Point{cx + 0.0008*math.Cos(a), cy + 0.0004*math.Sin(a)}
		}
		r[vertices] = r[0]
		if i%10 == 0 {
			r.Reverse()
		}
		feats[i] = pipeline.Feature{
			ID:       "A" + string(rune('A'+i%26)),
			Values:   []any{"ABC", "Name des Aktionsraums", 1.234, int64(i), 5000.5, i%2 == 0, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
			Geometry: orb.MultiPolygon{{r}},
		}
	}
	return feats
}

func benchmarkEncoder(b *testing.B, feats []pipeline.Feature) {
	b.ReportAllocs()
	var size int64
	for b.Loop() {
		cw := &countingWriter{}
		enc, err := Format{TempDir: b.TempDir()}.NewEncoder(cw, areas)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range feats {
			if err := enc.Write(f); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.SetBytes(size)
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
