// Package xlsx reads a worksheet of an XLSX workbook into raw rows with their
// cell references: the first step of the flow for workbook inputs. Cells are
// read as raw values, so numbers and dates keep their stored precision and
// the schemas package casts them.
package xlsx

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// Reader streams the rows of one worksheet. The first non-empty row is the
// header.
type Reader struct {
	f      *excelize.File
	rows   *excelize.Rows
	origin pipeline.Origin
	line   int
	header bool
}

var _ pipeline.RowReader = (*Reader)(nil)

// Options set how a workbook is read.
type Options struct {
	// Sheet is the worksheet to read; empty means the first one.
	Sheet string
}

// NewReader opens the workbook r, the file named name. A file that is not an
// XLSX workbook, or lacks the sheet, is a *pipeline.BadInput.
func NewReader(name string, r io.Reader, opt Options) (*Reader, error) {
	f, err := excelize.OpenReader(r, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, bad(name, "", "eine Excel-Arbeitsmappe im Format .xlsx",
			"Die Datei lässt sich nicht als Excel-Arbeitsmappe (.xlsx) lesen: %v. Bitte in Excel öffnen und als .xlsx speichern", err)
	}
	sheets := f.GetSheetList()
	sheet := opt.Sheet
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 || sheet == "" {
		f.Close()
		return nil, bad(name, sheet, "eines der Blätter "+strings.Join(sheets, ", "),
			"Das Blatt „%s“ gibt es in der Arbeitsmappe nicht", sheet)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, bad(name, sheet, "ein lesbares Tabellenblatt", "Das Blatt lässt sich nicht lesen: %v", err)
	}
	props, _ := f.GetWorkbookProps()
	return &Reader{f: f, rows: rows, origin: pipeline.Origin{
		File: name, Sheet: sheet, Typed: true,
		Date1904: props.Date1904 != nil && *props.Date1904,
		CellName: func(col, row int) string {
			ref, _ := excelize.CoordinatesToCellName(col, row)
			return ref
		},
	}}, nil
}

func bad(file, sheet, expected, format string, args ...any) *pipeline.BadInput {
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos: pipeline.Pos{File: file, Sheet: sheet}, Expected: expected, Message: fmt.Sprintf(format, args...)}}
}

// Origin says which file and sheet the rows come from.
func (r *Reader) Origin() pipeline.Origin { return r.origin }

// Read returns the next row with its 1-based row number. Empty rows before
// the header are skipped.
func (r *Reader) Read() (pipeline.Row, error) {
	for r.rows.Next() {
		r.line++
		cols, err := r.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return pipeline.Row{}, bad(r.origin.File, r.origin.Sheet, "ein lesbares Tabellenblatt", "Zeile %d lässt sich nicht lesen: %v", r.line, err)
		}
		if !r.header {
			if len(cols) == 0 {
				continue
			}
			r.header = true
		}
		return pipeline.Row{Line: r.line, Values: cols}, nil
	}
	if err := r.rows.Error(); err != nil {
		return pipeline.Row{}, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, r.origin.File, err)
	}
	return pipeline.Row{}, io.EOF
}

// Close releases the workbook.
func (r *Reader) Close() error {
	return errors.Join(r.rows.Close(), r.f.Close())
}
