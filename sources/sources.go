// Package sources opens the inputs of a run: it chooses the reader for a
// table by its file name (CSV or XLSX) and opens local files. Each format
// lives in its own subpackage; this package only dispatches.
package sources

import (
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"aktionsplan/pipeline"
	"aktionsplan/sources/csv"
	"aktionsplan/sources/xlsx"
)

// Tables opens tables by file extension: .csv, .txt and .tsv as CSV, .xlsx
// and .xlsm as workbooks. Old and foreign formats get a message that says
// what to do.
type Tables struct {
	// Sheets names the worksheet to read, by input name; default the first.
	Sheets map[string]string
	// Comma is the CSV delimiter; 0 sniffs it.
	Comma rune
}

var _ pipeline.TableOpener = Tables{}

// OpenTable returns a reader for the table in r, the input named name.
func (t Tables) OpenTable(name string, r io.Reader) (pipeline.RowReader, error) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".csv", ".txt", ".tsv":
		return csv.NewReader(name, r, csv.Options{Comma: t.Comma})
	case ".xlsx", ".xlsm":
		return xlsx.NewReader(name, r, xlsx.Options{Sheet: t.Sheets[name]})
	case ".xls", ".ods", ".numbers":
		return nil, unsupported(name, "Das Format %s wird nicht gelesen. Bitte in Excel oder LibreOffice öffnen und als .xlsx (Excel-Arbeitsmappe) speichern", ext)
	}
	return nil, unsupported(name, "Unbekanntes Dateiformat „%s“. Erwartet wird eine .xlsx- oder .csv-Datei", ext)
}

func unsupported(name, format string, args ...any) *pipeline.BadInput {
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos: pipeline.Pos{File: name}, Expected: "eine .xlsx- oder .csv-Datei", Message: fmt.Sprintf(format, args...)}}
}

// File returns the input for a local file; its name in messages is the base
// name, as staff know it.
func File(p string) pipeline.Input {
	return pipeline.Input{Name: path.Base(strings.ReplaceAll(p, "\\", "/")), Open: func() (io.ReadCloser, error) { return os.Open(p) }}
}
