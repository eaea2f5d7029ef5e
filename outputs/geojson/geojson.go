// Package geojson writes the spatial datasets of a release as GeoJSON
// (RFC 7946): a FeatureCollection streamed one feature per line, with
// properties in the dataset's column order, WGS84 coordinates rounded to seven
// decimals, counter-clockwise exterior rings, clockwise holes and a bounding
// box on every feature and on the collection.
//
// The same data can also be written in ETRS89 / UTM (EPSG:25832 or 25833) for
// tools that want metres: coordinates rounded to the centimetre and the
// legacy crs member of GeoJSON 2008 that names the system, in a file of its
// own name (Format.FileName).
//
// It is the spatial output of the publishing step; the boundary reader of the
// same format lives in sources/geojson.
package geojson

import (
	"errors"
	"fmt"
	"io"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline"
)

// Errors returned by the encoder's Write. They mean that the pipeline handed
// over something the published format cannot carry, not bad input data.
var (
	// ErrValue is returned for a row whose values do not match the dataset's
	// columns in number, or that holds a value of another type than string,
	// int64, float64, bool, time.Time or nil, or a NaN or infinite number.
	ErrValue = errors.New("geojson: value cannot be encoded")
	// ErrGeometry is returned for a geometry other than a Polygon or
	// MultiPolygon, or with a ring of fewer than three distinct positions
	// after rounding.
	ErrGeometry = errors.New("geojson: geometry cannot be encoded")
	// ErrClosed is returned by Write and Close after Close.
	ErrClosed = errors.New("geojson: encoder closed")
	// ErrCRS is returned by NewEncoder for a Format whose CRS is none of
	// those supported.
	ErrCRS = errors.New("geojson: unsupported coordinate system")
)

// Format is the GeoJSON file format of spatial datasets.
type Format struct {
	// CRS is the EPSG code of the written coordinates: 0 (or 4326) for
	// WGS84 longitude and latitude as RFC 7946 requires; 25832 or 25833 for
	// ETRS89 / UTM zone 32N or 33N in metres. The input is WGS84, which is
	// taken as ETRS89: the two differ by less than a metre.
	CRS int
}

var _ pipeline.FileNamer = Format{}

var _ pipeline.Format = Format{}

// Ext returns "geojson".
func (Format) Ext() string { return "geojson" }

// Spatial returns true: only spatial datasets are written as GeoJSON.
func (Format) Spatial() bool { return true }

// NewEncoder writes the start of a FeatureCollection named after the file
// (ds's name, with the suffix of a projected system) to w, with the crs
// member of a projected system and the dataset's note as foreign member
// "hinweis" when there is one. Each Write adds one feature on a line of its
// own; Close ends the collection with its bounding box. Every call writes to
// w at most once.
func (f Format) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	sys, ok := f.system()
	if !ok {
		return nil, fmt.Errorf("%w: EPSG:%d", ErrCRS, f.CRS)
	}
	e := &encoder{w: w, keys: propertyKeys(ds.Columns), cols: ds.Columns, bound: emptyBound, shape: shape{sys: sys}}
	b := append(e.buf[:0], `{"type":"FeatureCollection","name":`...)
	b = appendString(b, ds.Name+sys.suffix)
	if sys.urn != "" {
		b = append(b, `,"crs":{"type":"name","properties":{"name":`...)
		b = appendString(b, sys.urn)
		b = append(b, "}}"...)
	}
	if ds.About.Note != "" {
		b = append(b, `,"hinweis":`...)
		b = appendString(b, ds.About.Note)
	}
	b = append(b, `,"features":[`...)
	e.buf = b
	if err := e.flush(); err != nil {
		return nil, err
	}
	return e, nil
}

// emptyBound is the bound of no positions: orb's bound of an empty point set.
var emptyBound = orb.MultiPoint(nil).Bound()

type encoder struct {
	w io.Writer
	// keys are the property names as JSON, each with its separator.
	keys  [][]byte
	cols  []pipeline.Column
	shape shape
	buf   []byte
	n     int
	bound orb.Bound
	err   error
}

var _ pipeline.Encoder = (*encoder)(nil)

// Write writes one feature. An error of the underlying writer is returned
// again by every later call.
func (e *encoder) Write(f pipeline.Feature) error {
	if e.err != nil {
		return e.err
	}
	if len(f.Values) != len(e.keys) {
		return fmt.Errorf("%w: feature %q has %d values for %d columns", ErrValue, f.ID, len(f.Values), len(e.keys))
	}
	if err := e.shape.set(f.Geometry); err != nil {
		return fmt.Errorf("feature %q: %w", f.ID, err)
	}
	b := e.buf[:0]
	if e.n > 0 {
		b = append(b, ',')
	}
	b = append(b, "\n"+`{"type":"Feature"`...)
	if f.ID != "" {
		b = append(b, `,"id":`...)
		b = appendString(b, f.ID)
	}
	bound := e.shape.bound()
	if bound.IsEmpty() {
		b = append(b, `,"geometry":null`...)
	} else {
		b = append(b, `,"bbox":`...)
		b = appendBound(b, bound, e.shape.sys.decimals)
		b = append(b, `,"geometry":`...)
		b = e.shape.appendJSON(b)
	}
	b = append(b, `,"properties":{`...)
	for i, v := range f.Values {
		b = append(b, e.keys[i]...)
		var err error
		if b, err = appendValue(b, v, e.cols[i].Type == "number"); err != nil {
			e.buf = b
			return fmt.Errorf("feature %q, property %s: %w", f.ID, e.cols[i].Name, err)
		}
	}
	b = append(b, "}}"...)
	e.buf = b
	e.n++
	e.bound = e.bound.Union(bound)
	return e.flush()
}

// Close ends the feature collection with the bounding box of all features;
// it does not close the underlying writer.
func (e *encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	b := append(e.buf[:0], "\n]"...)
	if !e.bound.IsEmpty() {
		b = append(b, `,"bbox":`...)
		b = appendBound(b, e.bound, e.shape.sys.decimals)
	}
	e.buf = append(b, "}\n"...)
	if err := e.flush(); err != nil {
		return err
	}
	e.err = ErrClosed
	return nil
}

func (e *encoder) flush() error {
	if _, err := e.w.Write(e.buf); err != nil {
		e.err = err
	}
	return e.err
}

// propertyKeys renders the column names once, as `"name":` after a comma
// for all but the first.
func propertyKeys(cols []pipeline.Column) [][]byte {
	keys := make([][]byte, len(cols))
	for i, c := range cols {
		var k []byte
		if i > 0 {
			k = append(k, ',')
		}
		k = appendString(k, c.Name)
		keys[i] = append(k, ':')
	}
	return keys
}
