package xlsx

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// The sheet names; both are valid Excel sheet names.
const (
	dataSheet  = "Daten"
	aboutSheet = "Beschreibung"
)

// fixedTime is the creation and modification time of every workbook, so
// that the same dataset gives the same bytes; the release manifest records
// when a run published.
const fixedTime = "2009-01-01T00:00:00Z"

// maxHeaderChars is the longest page header Excel accepts.
const maxHeaderChars = 255

// encoder writes one dataset: the header in newEncoder, a row per Write, the
// workbook on Close.
//
// excelize makes the workbook: styles, the Beschreibung sheet, the
// properties, and the Daten sheet with its widths, frozen header, filter,
// page header and the header row, streamed by its StreamWriter. The data
// rows are not: Write appends their XML (see cells.go) and hands it to a
// deflater, and Close puts them into the Daten sheet while excelize writes
// the archive (see splicer).
type encoder struct {
	w      io.Writer
	ds     *pipeline.Dataset
	f      *excelize.File
	sw     *excelize.StreamWriter
	cols   []column
	styles styles
	rows   int // data rows written
	// body compresses the XML of the rows; Write appends to body.buf.
	body deflater
	row  piece // the digits of the row number, reused by every Write
	// err is set when the sheet may have lost a row, or after Close.
	err error
}

func newEncoder(w io.Writer, ds *pipeline.Dataset) (enc *encoder, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			_ = f.Close()
		}
	}()
	e := &encoder{w: w, ds: ds, f: f}
	if err := e.setUp(); err != nil {
		return nil, fmt.Errorf("xlsx: dataset %q: %w", ds.Name, err)
	}
	return e, nil
}

// setUp creates the sheets, the styles and the document properties, and
// writes the header of the Daten sheet.
func (e *encoder) setUp() error {
	if err := e.f.SetSheetName(e.f.GetSheetName(0), dataSheet); err != nil {
		return fmt.Errorf("name the data sheet: %w", err)
	}
	if _, err := e.f.NewSheet(aboutSheet); err != nil {
		return fmt.Errorf("create the description sheet: %w", err)
	}
	if err := e.f.SetDocProps(&excelize.DocProperties{
		Created:        fixedTime,
		Modified:       fixedTime,
		Creator:        "aktionsplan",
		LastModifiedBy: "aktionsplan",
		Title:          e.ds.Title,
		Description:    e.ds.Description,
		Language:       "de-DE",
	}); err != nil {
		return fmt.Errorf("document properties: %w", err)
	}
	var err error
	if e.styles, err = newStyles(e.f); err != nil {
		return err
	}
	if e.cols, err = layout(e.f, e.ds.Columns); err != nil {
		return err
	}
	if e.sw, err = e.f.NewStreamWriter(dataSheet); err != nil {
		return fmt.Errorf("stream the data sheet: %w", err)
	}
	return e.startDataSheet()
}

// startDataSheet sets what the stream writer needs before the first row
// (widths, frozen header, page header) and writes the header row.
func (e *encoder) startDataSheet() error {
	// The stream writer puts each width before the ones set earlier, and
	// Excel wants the columns in ascending order: set them from the last.
	for i := len(e.cols) - 1; i >= 0; i-- {
		if err := e.sw.SetColWidth(i+1, i+1, e.cols[i].width); err != nil {
			return fmt.Errorf("width of column %q: %w", e.cols[i].Name, err)
		}
	}
	if err := e.sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return fmt.Errorf("freeze the header: %w", err)
	}
	if err := e.setPageHeader(); err != nil {
		return err
	}
	header := make([]any, len(e.cols))
	for i, c := range e.cols {
		header[i] = excelize.Cell{StyleID: e.styles.header, Value: c.Title}
	}
	if err := e.sw.SetRow("A1", header); err != nil {
		return fmt.Errorf("header row: %w", err)
	}
	return nil
}

// setPageHeader prints the note on every page of the data, so that sample
// figures are labelled on paper too. A note too long for a page header is
// left to the Beschreibung sheet.
func (e *encoder) setPageHeader() error {
	note := strings.ReplaceAll(e.ds.About.Note, "&", "&&")
	if note == "" || utf8.RuneCountInString(note)+2 > maxHeaderChars {
		return nil
	}
	// The stream writer writes the page header of the sheet it streams when
	// it is flushed.
	if err := e.f.SetHeaderFooter(dataSheet, &excelize.HeaderFooterOptions{OddHeader: "&C" + note}); err != nil {
		return fmt.Errorf("page header: %w", err)
	}
	return nil
}

// Write adds f as the next row of the Daten sheet. A value that does not fit
// its column is a *CellError; nothing of the row is written then.
func (e *encoder) Write(f pipeline.Feature) error {
	if e.err != nil {
		return e.err
	}
	sheetRow := e.rows + 2
	if len(f.Values) != len(e.cols) {
		return fmt.Errorf("%w: row %d has %d values, the dataset %d columns", ErrRowLength, sheetRow, len(f.Values), len(e.cols))
	}
	if sheetRow > maxRows {
		return fmt.Errorf("%w: %d rows", ErrFull, maxRows)
	}
	e.row.n = len(appendInt(e.row.b[:0], int64(sheetRow))) // in place: it fits
	buf := e.body.buf
	start := len(buf)
	buf = append(buf, `<row r="`...)
	buf = append(buf, e.row.b[:e.row.n]...)
	buf = append(buf, `">`...)
	for i, v := range f.Values {
		c := &e.cols[i]
		var err error
		if buf, err = c.appendCell(buf, &e.row, v); err != nil {
			e.body.buf = buf[:start]
			return &CellError{Row: sheetRow, ID: f.ID, Column: c.Name, Err: err}
		}
	}
	e.body.buf = append(buf, `</row>`...)
	e.rows++
	if e.body.full() {
		return e.send(sheetRow)
	}
	return nil
}

// send hands the rows to the deflater. When it fails, or raises a panic of
// the compressing goroutines again, Write and Close fail after it.
func (e *encoder) send(sheetRow int) (err error) {
	defer func() {
		if err != nil || e.body.raised {
			e.err = fmt.Errorf("xlsx: dataset %q, row %d: %w", e.ds.Name, sheetRow, cmp.Or(err, errPanicked))
			err = e.err
		}
	}()
	return e.body.send()
}

// Abort drops the workbook: it stops the compressing goroutines and removes
// the temporary files without writing anything. A panic of those goroutines
// that Write has not raised yet is raised then.
func (e *encoder) Abort() {
	if e.err == nil {
		e.err = errAborted
	}
	_ = e.Close()
}

// errAborted makes Close write nothing after Abort.
var errAborted = errors.New("xlsx: aborted")

// Close completes the workbook, writes it to the writer and removes the
// temporary files. When a Write failed to write a row, Close writes nothing
// and returns that error.
//
// A panic of the goroutines that compress the rows is raised again by the
// Write, Close or Abort that meets it first, in its caller's goroutine,
// once they have ended and the temporary files are removed; Write and
// Close return an error after it.
func (e *encoder) Close() (err error) {
	if errors.Is(e.err, ErrClosed) {
		return ErrClosed
	}
	failed := e.err
	e.err = ErrClosed
	defer func() {
		if cerr := e.body.close(); cerr != nil && err == nil {
			err = fmt.Errorf("xlsx: dataset %q: remove temporary files: %w", e.ds.Name, cerr)
		}
		if cerr := e.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("xlsx: dataset %q: remove temporary files: %w", e.ds.Name, cerr)
		}
		e.body.raise() // after Abort, or when finish did not get to it
	}()
	if failed != nil {
		return failed
	}
	return e.finish()
}

// finish ends the Daten sheet, fills the Beschreibung sheet and writes the
// workbook.
func (e *encoder) finish() error {
	last, err := excelize.CoordinatesToCellName(len(e.cols), e.rows+1)
	if err != nil {
		return fmt.Errorf("xlsx: dataset %q: filter range: %w", e.ds.Name, err)
	}
	// The stream writer writes the filter of the sheet it streams when it
	// is flushed, not after.
	if err := e.f.AutoFilter(dataSheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("xlsx: dataset %q: filter: %w", e.ds.Name, err)
	}
	if err := e.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: dataset %q: end the data sheet: %w", e.ds.Name, err)
	}
	if err := e.writeAbout(); err != nil {
		return fmt.Errorf("xlsx: dataset %q: description sheet: %w", e.ds.Name, err)
	}
	rows, err := e.body.finish()
	if err != nil {
		return fmt.Errorf("xlsx: dataset %q: rows: %w", e.ds.Name, err)
	}
	// excelize builds the whole archive in a buffer before it writes it:
	// for a million rows that is the size of the file, and twice that
	// while the buffer grows. The zip writer given here writes to e.w
	// instead, leaving the buffer empty. excelize's fix-up of entries of
	// 4 GiB or more (zip64), which patches that buffer, never applies
	// either: excelize sees the Daten sheet with its header row alone, and
	// the splicer, which adds the rows, marks a sheet that large itself.
	e.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return newSplicer(e.w, "A1:"+last, rows) })
	if err := e.f.Write(io.Discard); err != nil {
		return fmt.Errorf("xlsx: dataset %q: write the workbook: %w", e.ds.Name, err)
	}
	return nil
}
