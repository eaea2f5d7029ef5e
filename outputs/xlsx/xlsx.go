// Package xlsx is the XLSX encoder of the published datasets: the last step
// of the flow, after the pipeline has cast, checked and joined the rows, it
// writes each dataset as a workbook for people who open it in a spreadsheet
// program.
//
// A workbook has two sheets. "Daten" holds the rows under the German column
// titles, with a frozen, filterable header and typed cells: numbers as
// numbers, dates as dates, text always as text (never a formula; text that
// looks like one also carries Excel's quotePrefix, see quotePrefixed).
// "Beschreibung" maps every title to its machine name, type, unit and description and says
// who publishes the data, from what, and with which caveat.
//
// excelize makes the workbook; the data rows alone are written as sheet XML
// by the encoder, compressed on other cores while they come and kept in a
// temporary file, so a dataset of a million rows is never held in memory.
// Close has excelize write the workbook to the writer and puts the rows
// into the Daten sheet on the way. The bytes depend only on the dataset and
// its rows.
package xlsx

import (
	"errors"
	"fmt"
	"io"

	"aktionsplan/pipeline"
)

// Format writes datasets as XLSX workbooks. Geometries are not written: the
// format is not spatial.
type Format struct{}

var _ pipeline.Format = Format{}

// Ext returns "xlsx".
func (Format) Ext() string { return "xlsx" }

// Spatial returns false: a workbook carries the attributes of a dataset, not
// its geometry.
func (Format) Spatial() bool { return false }

// NewEncoder starts a workbook for ds. Nothing is written to w before Close.
// It returns an error wrapping ErrSchema when the columns cannot be laid out
// in a sheet.
func (Format) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	enc, err := newEncoder(w, ds)
	if err != nil {
		return nil, err // not a typed nil
	}
	return enc, nil
}

var (
	// ErrSchema is returned by NewEncoder when a dataset has no columns,
	// more columns than a sheet holds, or a column of a type other than
	// string, integer, number, boolean or date.
	ErrSchema = errors.New("xlsx: columns cannot be written")
	// ErrValue is matched by the *CellError that Write returns when a value
	// does not fit its column: a Go type the column type does not take, a
	// number that is not finite, a date outside the years 1900 to 9999, or
	// text that is not UTF-8, holds a control character other than tab and
	// line breaks, or is longer than a cell holds (32,767 UTF-16 units).
	// Nothing of the row is written; the encoder stays usable.
	ErrValue = errors.New("xlsx: value cannot be written")
	// ErrRowLength is returned by Write when a feature has another number of
	// values than the dataset has columns. The encoder stays usable.
	ErrRowLength = errors.New("xlsx: feature has the wrong number of values")
	// ErrFull is returned by Write when the sheet already holds the most
	// rows a sheet can hold (1,048,576 including the header).
	ErrFull = errors.New("xlsx: sheet is full")
	// ErrClosed is returned by Write and Close after Close.
	ErrClosed = errors.New("xlsx: encoder is closed")
)

// CellError reports a value that Write could not put into the sheet. It
// matches ErrValue with errors.Is.
type CellError struct {
	// Row is the row of the sheet the feature would have filled; the header
	// is row 1, so the first feature is row 2.
	Row int
	// ID is the feature's ID; it may be empty.
	ID string
	// Column is the machine name of the column.
	Column string
	// Err says what is wrong with the value.
	Err error
}

func (e *CellError) Error() string {
	id := ""
	if e.ID != "" {
		id = fmt.Sprintf(" (%s)", e.ID)
	}
	return fmt.Sprintf("xlsx: row %d%s, column %q: %v", e.Row, id, e.Column, e.Err)
}

// Unwrap returns ErrValue and the reason, so that errors.Is matches both.
func (e *CellError) Unwrap() []error { return []error{ErrValue, e.Err} }
