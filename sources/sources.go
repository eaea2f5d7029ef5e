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
	// Options says how to read each input, by input name.
	Options map[string]Options
}

// Options says how to read one table. Empty fields mean: detect it.
type Options struct {
	// Sheet is the worksheet of a workbook.
	Sheet string `toml:"sheet"`
	// Encoding of a CSV file: utf-8, windows-1252 or iso-8859-1.
	Encoding string `toml:"encoding"`
	// Delimiter of a CSV file: ";", "," or "\t".
	Delimiter string `toml:"delimiter"`
	// Numbers is the number convention of the file's text cells: "de"
	// (1.250,50) or "en" (1,250.50).
	Numbers string `toml:"numbers"`
}

var _ pipeline.TableOpener = Tables{}

// OpenTable returns a reader for the table in r, the input named name.
func (t Tables) OpenTable(name string, r io.Reader, fields []pipeline.Field) (pipeline.RowReader, error) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".csv", ".txt", ".tsv":
		var comma rune
		if d := t.Options[name].Delimiter; d != "" {
			comma = []rune(d)[0]
		}
		return csv.NewReader(name, r, csv.Options{Comma: comma})
	case ".xlsx", ".xlsm":
		return xlsx.NewReader(name, r, xlsx.Options{Sheet: t.Options[name].Sheet})
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
