// Package gpkg writes the spatial datasets of a release as an OGC GeoPackage
// 1.3 (http://www.geopackage.org/spec/), the format QGIS opens by default: a
// SQLite file with one feature table per dataset, a typed column per
// published column, geometry in WGS84 (EPSG:4326) as GeoPackage binary with
// its envelope, the extent in gpkg_contents, and the R-tree spatial index
// extension, so that large layers draw quickly.
//
// The file is built in a scratch file with modernc.org/sqlite (pure Go, no
// cgo) and copied to the release writer on Close. Same input, same bytes: the
// file holds no time of writing and rows keep their order.
package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, no cgo

	"aktionsplan/pipeline"
)

// Errors returned by the encoder. ErrValue and ErrGeometry mean that the
// pipeline handed over something the format cannot carry, not bad input data.
var (
	// ErrValue is returned by Write for a row whose values do not match the
	// dataset's columns in number, or that holds a value of another type
	// than string, int64, float64, bool, time.Time or nil, or a NaN or
	// infinite number; and by NewEncoder for a column of unknown type or
	// named like the feature id or the geometry column.
	ErrValue = errors.New("gpkg: value cannot be encoded")
	// ErrGeometry is returned by Write for a geometry other than a Polygon
	// or MultiPolygon, or with a ring of fewer than four positions.
	ErrGeometry = errors.New("gpkg: geometry cannot be encoded")
	// ErrClosed is returned by Write and Close after Close or after an
	// error of Write.
	ErrClosed = errors.New("gpkg: encoder closed")
)

// Format is the GeoPackage file format of spatial datasets.
type Format struct {
	// TempDir is the folder of the scratch file. Empty is the scratch
	// folder of the writer (pipeline.ScratchDir), which the release
	// publisher removes with the files of a failed or killed run, and
	// os.TempDir() for a writer without one.
	TempDir string
}

var _ pipeline.Format = Format{}

// Ext returns "gpkg".
func (Format) Ext() string { return "gpkg" }

// Spatial returns true: only spatial datasets are written as GeoPackage.
func (Format) Spatial() bool { return true }

// Identifiers of the GeoPackage written: the application id "GPKG" and the
// version 1.3.0 of the standard (PRAGMA application_id and user_version).
const (
	applicationID = 0x47504B47
	userVersion   = 10300
)

// srsID is the spatial reference system of every geometry: WGS84.
const srsID = 4326

// lastChange is gpkg_contents.last_change of every file. It is fixed so that
// the same input gives the same bytes; the manifest of the release says
// when it was published.
const lastChange = "1970-01-01T00:00:00.000Z"

// geomColumn is the name of the geometry column, as GDAL names it.
const geomColumn = "geom"

// NewEncoder creates the scratch database with the GeoPackage tables and the
// feature table of ds, named ds.Name. Each Write adds a feature, inserted
// with the next ones in batches, so that an error of the database may be
// returned by a later Write or by Close; Close inserts the last batch,
// writes the spatial index, the extent and the feature count, closes the
// database and copies it to w, and removes the scratch file. After an error
// of Write the scratch file is gone and Close returns the error again.
func (f Format) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	types := make([]string, len(ds.Columns))
	for i, c := range ds.Columns {
		t, ok := sqlTypes[c.Type]
		if !ok {
			return nil, fmt.Errorf("%w: column %s has type %q", ErrValue, c.Name, c.Type)
		}
		if strings.EqualFold(c.Name, "fid") || strings.EqualFold(c.Name, geomColumn) {
			return nil, fmt.Errorf("%w: column name %s is taken by the feature table", ErrValue, c.Name)
		}
		types[i] = t
	}
	dir := f.TempDir
	if dir == "" {
		dir = pipeline.ScratchDir(w)
	}
	tmp, err := os.CreateTemp(dir, "aktionsplan-*.gpkg")
	if err != nil {
		return nil, fmt.Errorf("gpkg: %w", err)
	}
	path := tmp.Name()
	tmp.Close()
	e := &encoder{w: w, ds: ds, path: path, bound: emptyBound}
	if err := e.create(types); err != nil {
		e.abort()
		return nil, err
	}
	return e, nil
}

// sqlTypes are the GeoPackage data types of the published column types.
var sqlTypes = map[string]string{
	"string":  "TEXT",
	"integer": "INTEGER",
	"number":  "REAL",
	"boolean": "BOOLEAN",
	"date":    "DATE",
}

// emptyBound is the bound of no positions.
var emptyBound = orb.MultiPoint(nil).Bound()

type encoder struct {
	w    io.Writer
	ds   *pipeline.Dataset
	path string
	db   *sql.DB
	tx   *sql.Tx
	// ins inserts features, a batch of rows at a time.
	ins *inserter
	// pending holds the values of the features not yet inserted, a row of
	// ins.cols values each, from the feature first to the feature last;
	// their geometries are the spans geoms of blobs.
	pending     []any
	first, last string
	blobs       []byte
	geoms       []span
	// boxes are the fids and bounding boxes of the features with a
	// geometry, the leaves of the R-tree written by Close.
	boxes []cell
	n     int
	bound orb.Bound
	err   error
}

// span is the part [start, end) of a buffer; end 0 is none.
type span struct{ start, end int }

var _ pipeline.Encoder = (*encoder)(nil)

// dsn is the driver's name for the scratch file: no journal and no syncs,
// since a crash leaves nothing worth recovering.
func dsn(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter: file:///C:/...
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(OFF)")
	q.Add("_pragma", "synchronous(OFF)")
	q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String(), nil
}

// create opens the scratch database, creates the tables and prepares the
// insert of features in one transaction.
func (e *encoder) create(types []string) error {
	name, err := dsn(e.path)
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	if e.db, err = sql.Open("sqlite", name); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	// One connection keeps the per-connection settings and the transaction.
	e.db.SetMaxOpenConns(1)
	ctx := context.Background()
	if e.tx, err = e.db.BeginTx(ctx, nil); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	for _, stmt := range schema(e.ds, types) {
		if _, err := e.tx.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
			return fmt.Errorf("gpkg: %s: %w", firstLine(stmt.sql), err)
		}
	}
	// The fid is given, not left to AUTOINCREMENT, so that it is known
	// before the row is inserted: the number of the feature, from 1.
	cols := []string{"fid", quote(geomColumn)}
	for _, c := range e.ds.Columns {
		cols = append(cols, quote(c.Name))
	}
	insert := fmt.Sprintf("INSERT INTO %s (%s)", quote(e.ds.Name), strings.Join(cols, ", "))
	e.ins = newInserter(e.tx, insert, len(cols), featureBatch)
	return nil
}

// featureBatch is the number of features inserted by one statement. More
// rows per statement save little once the driver's round trip and the
// AUTOINCREMENT bookkeeping are shared, and cost memory for the blobs.
const featureBatch = 64

// Write inserts one feature.
func (e *encoder) Write(f pipeline.Feature) error {
	if e.err != nil {
		return e.err
	}
	if len(f.Values) != len(e.ds.Columns) {
		return e.fail(fmt.Errorf("%w: feature %q has %d values for %d columns", ErrValue, f.ID, len(f.Values), len(e.ds.Columns)))
	}
	start := len(e.blobs)
	blobs, bound, err := appendGeometry(e.blobs, f.Geometry)
	if err != nil {
		return e.fail(fmt.Errorf("feature %q: %w", f.ID, err))
	}
	row := len(e.pending)
	fid := int64(e.n + 1)
	e.pending = append(e.pending, fid, nil)
	for i, v := range f.Values {
		a, err := value(v, e.ds.Columns[i].Type)
		if err != nil {
			return e.fail(fmt.Errorf("feature %q, column %s: %w", f.ID, e.ds.Columns[i].Name, err))
		}
		e.pending = append(e.pending, a)
	}
	if row == 0 {
		e.first = f.ID
	}
	e.last = f.ID
	e.n++
	if blobs != nil {
		e.blobs = blobs
		e.geoms = append(e.geoms, span{start, len(blobs)})
		// The triggers that keep the index in GIS software need functions
		// (ST_MinX, ...) that only they provide; the encoder fills it itself.
		e.boxes = append(e.boxes, boxCell(fid, bound))
		e.bound = e.bound.Union(bound)
	} else {
		e.geoms = append(e.geoms, span{})
	}
	if len(e.geoms) == e.ins.rows {
		if err := e.flush(); err != nil {
			return e.fail(err)
		}
	}
	return nil
}

// flush inserts the pending features.
func (e *encoder) flush() error {
	if len(e.geoms) == 0 {
		return nil
	}
	// The blobs are placed only now: appending to e.blobs may have moved
	// them.
	for i, g := range e.geoms {
		if g.end > 0 {
			e.pending[i*e.ins.cols+1] = e.blobs[g.start:g.end:g.end]
		}
	}
	if err := e.ins.exec(context.Background(), e.pending); err != nil {
		return fmt.Errorf("gpkg: features %q to %q: %w", e.first, e.last, err)
	}
	clear(e.pending)
	e.pending, e.blobs, e.geoms = e.pending[:0], e.blobs[:0], e.geoms[:0]
	return nil
}

// fail removes the scratch file and makes err the answer of every later
// call: a release with a failed file is abandoned, and nobody may be left
// to call Close.
func (e *encoder) fail(err error) error {
	e.abort()
	e.err = err
	return err
}

// abort closes and removes the scratch database.
func (e *encoder) abort() {
	if e.ins != nil {
		e.ins.close()
	}
	if e.tx != nil {
		e.tx.Rollback()
	}
	if e.db != nil {
		e.db.Close()
	}
	os.Remove(e.path)
}

// Abort drops the GeoPackage: it closes the database and removes the
// scratch file without writing anything.
func (e *encoder) Abort() {
	if e.err == nil {
		e.abort()
		e.err = ErrClosed
	}
}

// Close completes the GeoPackage, copies it to the writer and removes the
// scratch file; it does not close the underlying writer.
func (e *encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	err := e.finish()
	e.abort()
	e.err = ErrClosed
	return err
}

// finish writes what is known only at the end, commits, closes the database
// and copies the file to w.
func (e *encoder) finish() error {
	ctx := context.Background()
	if err := e.flush(); err != nil {
		return err
	}
	if err := writeTree(ctx, e.tx, rtree(e.ds), e.boxes); err != nil {
		return fmt.Errorf("gpkg: spatial index: %w", err)
	}
	for _, stmt := range summary(e.ds, e.n, e.bound) {
		if _, err := e.tx.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
			return fmt.Errorf("gpkg: %s: %w", firstLine(stmt.sql), err)
		}
	}
	e.ins.close()
	if err := e.tx.Commit(); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	e.ins, e.tx = nil, nil
	if err := e.db.Close(); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	e.db = nil
	file, err := os.Open(e.path)
	if err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	defer file.Close()
	_, err = io.Copy(e.w, file)
	return err
}

// quote quotes an SQL identifier.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// firstLine shortens a statement for an error message.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
