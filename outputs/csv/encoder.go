// Package csv writes published datasets as CSV: UTF-8 (with a byte order mark
// by default, so that Excel shows umlauts), comma, RFC 4180 quoting and CRLF
// line ends, a header of machine names, dot as decimal point, ISO dates and
// an empty cell for a missing value. It mirrors sources/csv.
//
// Text that a spreadsheet program would run as a formula gets a leading
// apostrophe (see Text), as pipeline.FormulaNote tells the readers.
package csv

import (
	stdcsv "encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"aktionsplan/pipeline"
)

// Format writes CSV files.
type Format struct {
	// NoBOM leaves out the UTF-8 byte order mark.
	NoBOM bool
}

var _ pipeline.Format = Format{}

// Ext is "csv".
func (Format) Ext() string { return "csv" }

// Spatial is false: CSV carries no geometry.
func (Format) Spatial() bool { return false }

// NewEncoder writes the byte order mark and the header.
func (f Format) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	if !f.NoBOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	}
	e := &encoder{w: stdcsv.NewWriter(w), cols: ds.Columns, rec: make([]string, len(ds.Columns))}
	e.w.UseCRLF = true
	for i, c := range ds.Columns {
		e.rec[i] = c.Name
	}
	if err := e.w.Write(e.rec); err != nil {
		return nil, err
	}
	return e, nil
}

type encoder struct {
	w    *stdcsv.Writer
	cols []pipeline.Column
	rec  []string
}

func (e *encoder) Write(f pipeline.Feature) error {
	if len(f.Values) != len(e.cols) {
		return fmt.Errorf("csv: row has %d values for %d columns", len(f.Values), len(e.cols))
	}
	for i, v := range f.Values {
		s, err := Text(v)
		if err != nil {
			return fmt.Errorf("csv: column %s: %w", e.cols[i].Name, err)
		}
		e.rec[i] = s
	}
	return e.w.Write(e.rec)
}

func (e *encoder) Close() error {
	e.w.Flush()
	return e.w.Error()
}

// Text renders a published value as CSV cell text.
//
// A string that pipeline.FormulaLike calls formula-like ("=HYPERLINK(…)",
// "+1", "-2+3", "@SUM(A1)", a leading tab or carriage return) is written with
// a leading apostrophe: Excel, LibreOffice and Google Sheets run such a cell
// as a formula when they open a CSV file, and CSV has no other way to say
// "this is text". The apostrophe is the OWASP recommendation because it keeps
// the text readable and is what people type themselves to enter text that
// looks like a formula; it is documented in the dataset description
// (pipeline.FormulaNote). Only strings are touched: numbers are never
// strings here, so -5 in a number column stays the number -5.
func Text(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		if pipeline.FormulaLike(v) {
			return "'" + v, nil
		}
		return v, nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(v), nil
	case time.Time:
		return v.Format("2006-01-02"), nil
	}
	return "", fmt.Errorf("unsupported value type %T", v)
}
