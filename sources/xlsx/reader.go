// Package xlsx reads a worksheet of an XLSX workbook into raw rows with their
// cell references: the first step of the flow for workbook inputs. It reads
// workbooks as Excel, LibreOffice and openpyxl write them: it chooses the
// sheet whose header matches the schema, finds the header below title rows
// and joins headers split over two rows, fills values merged over several
// rows into each of them, and tells other formats (old .xls, .ods, CSV,
// password-protected or damaged files) by their content. Cells are read as
// raw values, so numbers and dates keep their stored precision and the
// schemas package casts them.
package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// Options set how a workbook is read.
type Options struct {
	// Sheet is the worksheet to read. Empty means the first visible
	// worksheet whose header matches the schema, else the first visible
	// worksheet; hidden sheets, chart sheets and pivot tables are passed
	// over.
	Sheet string
	// Decimal is the decimal separator of numbers that staff typed into
	// text cells, ',' or '.'; 0 means detected from the data rows at the
	// top of the sheet, else left to each field of the schema. Number cells
	// need none: they hold plain numbers.
	Decimal rune
	// MaxUnzipBytes bounds the size of all parts of the workbook unpacked,
	// MaxPartBytes that of one part (a worksheet's XML); zero means
	// DefaultMaxUnzipBytes and DefaultMaxPartBytes. A workbook beyond them
	// is refused before anything is unpacked.
	MaxUnzipBytes, MaxPartBytes int64
}

// Reader streams the rows of one worksheet: first the header, then every
// row below it up to the last row with a value. Cells hold raw values: a
// number cell its plain number, a date cell its serial number, a boolean
// cell 1 or 0, a formula cell its stored result, a text cell the text. A
// number that could pass for a whole number with a thousands separator
// gets a trailing zero (1.125 reads as "1.1250"), so that it cannot be
// taken for the text "1.125", which is 1125 in German.
type Reader struct {
	f      *excelize.File
	rows   *excelize.Rows
	origin pipeline.Origin
	notes  []pipeline.Issue

	line  int      // the last line taken from rows
	ahead []rawRow // rows read while looking for the header, not yet returned

	header    pipeline.Row
	started   bool // the header was returned
	fill      *filler
	grouplike []cellAt // number cells still to be made unmistakable
	percent   []cellAt // number cells shown as percentages, still to be scaled
	// numeric are the columns of number and integer fields; nil: all.
	numeric map[int]bool

	// Blank rows are held back until a row with values follows, so that the
	// formatted empty rows below a table are not reported.
	blanks, blankFrom int
	held              pipeline.Row
	hasHeld           bool
}

var (
	_ pipeline.RowReader = (*Reader)(nil)
	_ pipeline.Noter     = (*Reader)(nil)
)

// NewReader opens the workbook r, the file named name, and finds the sheet
// and the header row of the table whose schema has the fields given (none:
// the first visible sheet and its first row with a value). A file that is
// no XLSX workbook, is damaged, lacks the sheet or holds formulas without
// stored values is a *pipeline.BadInput; an error reading r wraps
// pipeline.ErrInput.
func NewReader(name string, r io.Reader, fields []pipeline.Field, opt Options) (*Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, name, err)
	}
	b, err := openPackage(name, data, opt)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), opt.excelizeOptions())
	if err != nil {
		return nil, badFile(name, damaged(err))
	}
	rd := &Reader{f: f, fill: &filler{}, origin: pipeline.Origin{File: name, Typed: true, Date1904: b.date1904, Decimal: opt.Decimal,
		CellName: func(col, row int) string {
			ref, _ := excelize.CoordinatesToCellName(col, row)
			return ref
		}}}
	if err := rd.open(b, newMatcher(fields), opt); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

func damaged(err error) string {
	return msgDamaged + " (technische Angabe: " + err.Error() + ")"
}

// open chooses the sheet, finds its header and checks its formulas.
func (r *Reader) open(b *book, m matcher, opt Options) error {
	sh, err := r.chooseSheet(b, m, opt.Sheet)
	if err != nil {
		return err
	}
	r.origin.Sheet = sh.name
	l, err := b.scanSheet(sh.part)
	if err != nil {
		return r.bad(pipeline.Pos{}, "", damaged(err))
	}
	if r.rows, err = r.f.Rows(sh.name); err != nil {
		return r.bad(pipeline.Pos{}, "", damaged(err))
	}
	top, err := r.readAhead(headerSearch + 1)
	if err != nil {
		return err
	}
	h, err := r.locateHeader(top, m, l)
	if err != nil {
		return err
	}
	if h == nil {
		// No row with a value: the table is empty, unless its formulas
		// were never calculated.
		if c, n := l.firstUncached(1); n > 0 {
			return r.uncached(c, n, nil)
		}
		r.started = true
		return nil
	}
	if c, n := l.firstUncached(h.first); n > 0 {
		return r.uncached(c, n, h.values)
	}
	r.header = pipeline.Row{Line: h.last, Values: h.values}
	r.fill = newFiller(l, h.last)
	r.grouplike, r.percent = l.grouplike, l.percent
	r.numeric = m.numeric(h.values)
	if r.origin.Decimal == 0 {
		r.detectDecimal()
	}
	return nil
}

// readAhead reads the first n rows of the sheet.
func (r *Reader) readAhead(n int) ([]rawRow, error) {
	var top []rawRow
	for len(top) < n {
		row, err := r.nextRaw()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		top = append(top, row)
	}
	return top, nil
}

// locateHeader finds the header among the top rows, notes where, and
// leaves the rows below it to be read. It returns nil for a sheet without
// values.
func (r *Reader) locateHeader(top []rawRow, m matcher, l *layout) (*header, error) {
	h, ok := findHeader(top, m, l)
	switch {
	case ok && h.last > h.first:
		r.note(r.origin.At(h.first, 0, ""), "Die Kopfzeile steht in den Zeilen %d und %d: die Spaltenüberschriften sind aus beiden Zeilen zusammengesetzt (z. B. „%s“)%s",
			h.first, h.last, example(top, h), skipped(h.first))
	case ok && h.first > 1:
		r.note(r.origin.At(h.first, 0, ""), "Die Kopfzeile steht in Zeile %d%s", h.first, skipped(h.first))
	case !ok:
		var err error
		if top, err = r.firstWithValue(top); err != nil || len(top) == 0 {
			return nil, err
		}
		h = header{first: top[0].line, last: top[0].line, values: top[0].values}
		if m.n > 0 && h.first > 1 {
			r.note(r.origin.At(h.first, 0, ""), "In den ersten %d Zeilen passt keine Zeile zu den Spalten des Schemas; als Kopfzeile gilt die erste Zeile mit einem Wert, Zeile %d",
				headerSearch, h.first)
		}
	}
	for i, row := range top {
		if row.line > h.last {
			r.ahead = top[i:]
			break
		}
	}
	return &h, nil
}

// firstWithValue returns top from its first row with a value on, reading
// on below it where it has none; nil when no row has a value.
func (r *Reader) firstWithValue(top []rawRow) ([]rawRow, error) {
	for i, row := range top {
		if !blankValues(row.values) {
			return top[i:], nil
		}
	}
	for {
		row, err := r.nextRaw()
		if err == io.EOF {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if !blankValues(row.values) {
			return []rawRow{row}, nil
		}
	}
}

func skipped(first int) string {
	switch first {
	case 1:
		return ""
	case 2:
		return "; Zeile 1 darüber wird übersprungen"
	}
	return fmt.Sprintf("; die Zeilen 1 bis %d darüber werden übersprungen", first-1)
}

// uncached returns the error of a formula whose value was never calculated:
// its cell would read as empty.
func (r *Reader) uncached(c cellAt, n int, header []string) error {
	field := ""
	if c.col <= len(header) {
		field = header[c.col-1]
	}
	pos := r.origin.At(c.row, c.col, field)
	msg := fmt.Sprintf("Die Formel in Zelle %s hat keinen gespeicherten Wert. Bitte die Datei in Excel oder LibreOffice öffnen und speichern", pos.Cell)
	if n > 1 {
		msg += fmt.Sprintf(" (ebenso %d weitere Formelzellen)", n-1)
	}
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: pos,
		Expected: "das Ergebnis der Formel, wie Excel oder LibreOffice es beim Speichern ablegt", Message: msg}}
}

// Origin says which file and sheet the rows come from.
func (r *Reader) Origin() pipeline.Origin { return r.origin }

// Notes says which sheet was chosen, where the header was found and how
// numbers in text cells are read.
func (r *Reader) Notes() []pipeline.Issue { return r.notes }

// Read returns the next row with its 1-based row number: first the header
// (of a two-row header: the lower row's number, with the joined headers),
// then the rows below it. Blank rows between rows with values are returned
// without values; blank rows at the end are not returned.
func (r *Reader) Read() (pipeline.Row, error) {
	if !r.started {
		r.started = true
		return r.header, nil
	}
	for !r.hasHeld {
		raw, err := r.nextRaw()
		if err != nil {
			return pipeline.Row{}, err
		}
		unmistakable(&r.grouplike, raw.line, raw.values, r.numeric)
		asShown(&r.percent, raw.line, raw.values)
		values := r.fill.fill(raw.line, raw.values)
		if blankValues(values) {
			if r.blanks == 0 {
				r.blankFrom = raw.line
			}
			r.blanks++
			continue
		}
		r.held, r.hasHeld = pipeline.Row{Line: raw.line, Values: values}, true
	}
	if r.blanks > 0 {
		row := pipeline.Row{Line: r.blankFrom}
		r.blankFrom++
		r.blanks--
		return row, nil
	}
	r.hasHeld = false
	return r.held, nil
}

// nextRaw returns the next row as the sheet holds it.
func (r *Reader) nextRaw() (rawRow, error) {
	if len(r.ahead) > 0 {
		row := r.ahead[0]
		r.ahead = r.ahead[1:]
		return row, nil
	}
	if !r.rows.Next() {
		if err := r.rows.Error(); err != nil {
			return rawRow{}, r.bad(r.origin.At(r.line+1, 0, ""), "", damaged(err))
		}
		return rawRow{}, io.EOF
	}
	r.line++
	cols, err := r.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return rawRow{}, r.bad(r.origin.At(r.line, 0, ""), "", damaged(err))
	}
	return rawRow{line: r.line, values: cols}, nil
}

// Close releases the workbook and its temporary files.
func (r *Reader) Close() error {
	var err error
	if r.rows != nil {
		err = r.rows.Close()
	}
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (r *Reader) note(pos pipeline.Pos, format string, args ...any) {
	r.notes = append(r.notes, pipeline.Issue{Code: pipeline.CodeRead, Severity: pipeline.Info, Pos: pos,
		Message: fmt.Sprintf(format, args...)})
}

// bad returns the issue that stops reading the sheet; pos defaults to the
// file and sheet.
func (r *Reader) bad(pos pipeline.Pos, expected, msg string) *pipeline.BadInput {
	if pos.File == "" {
		pos = pipeline.Pos{File: r.origin.File, Sheet: r.origin.Sheet}
	}
	if expected == "" {
		expected = "eine Excel-Arbeitsmappe (.xlsx)"
	}
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: pos,
		Expected: expected, Message: msg}}
}

// labels lists sheets for people.
func labels(sheets []sheet) string {
	l := make([]string, len(sheets))
	for i, s := range sheets {
		l[i] = s.label()
	}
	return strings.Join(l, ", ")
}
