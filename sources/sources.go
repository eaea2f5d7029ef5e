// Package sources opens the inputs of a run: it chooses the reader for a
// table by its file name (CSV or XLSX) and opens local files. Each format
// lives in its own subpackage; this package only dispatches.
package sources

import (
	"errors"
	"fmt"
	"io"
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
	// Limits bound the size of each table; zero fields mean their defaults.
	Limits Limits
}

// Options says how to read one table. Empty fields mean: detect it.
type Options struct {
	// Sheet is the worksheet of a workbook.
	Sheet string `toml:"sheet"`
	// Encoding of a CSV file: utf-8, windows-1252 or iso-8859-1. Detected:
	// UTF-8 where the start of the file is valid UTF-8, else Windows-1252.
	Encoding string `toml:"encoding"`
	// Delimiter of a CSV file: ";", "," or "\t".
	Delimiter string `toml:"delimiter"`
	// Numbers is the number convention of the file's text cells: "de"
	// (1.250,50) or "en" (1,250.50). Detected from the numbers at the start
	// of a CSV file; where they do not tell, each field's schema decides.
	Numbers string `toml:"numbers"`
}

// ErrOptions is wrapped by Check and OpenTable for read options that make no
// sense, such as an unknown encoding.
var ErrOptions = errors.New("sources: invalid read options")

// Check re-checks the options after they were parsed from a config.
func (o Options) Check() error {
	_, err := o.csv()
	return err
}

// csv returns the options of the CSV reader.
func (o Options) csv() (csv.Options, error) {
	var opt csv.Options
	switch o.Delimiter {
	case "":
	case ";", ",", "\t":
		opt.Comma = []rune(o.Delimiter)[0]
	default:
		return opt, fmt.Errorf("%w: delimiter %q: use \";\", \",\" or \"\\t\"", ErrOptions, o.Delimiter)
	}
	enc, err := csv.ParseEncoding(o.Encoding)
	if err != nil {
		return opt, fmt.Errorf("%w: %w", ErrOptions, err)
	}
	opt.Encoding = enc
	if opt.Decimal, err = o.decimal(); err != nil {
		return opt, err
	}
	return opt, nil
}

// decimal returns the decimal separator that Numbers names, 0 for none.
func (o Options) decimal() (rune, error) {
	switch o.Numbers {
	case "":
		return 0, nil
	case "de":
		return ',', nil
	case "en":
		return '.', nil
	}
	return 0, fmt.Errorf("%w: numbers %q: use \"de\" (1.250,50) or \"en\" (1,250.50)", ErrOptions, o.Numbers)
}

var _ pipeline.TableOpener = Tables{}

// OpenTable returns a reader for the table in r, the input named name, read
// with the options of its role. Options that make no sense are an error
// wrapping ErrOptions. A file, a workbook unpacked, a table or a row larger
// than the Limits is a *pipeline.BadInput, when opening or when reading.
func (t Tables) OpenTable(role, name string, r io.Reader, fields []pipeline.Field) (pipeline.RowReader, error) {
	lim := t.Limits.WithDefaults()
	rr, err := t.open(role, name, newSizeLimit(name, r, lim.FileBytes), fields, lim)
	if err != nil {
		return nil, err
	}
	return &rowLimit{RowReader: rr, rows: lim.Rows, cells: lim.Cells}, nil
}

func (t Tables) open(role, name string, r io.Reader, fields []pipeline.Field, lim Limits) (pipeline.RowReader, error) {
	o := t.Options[role]
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".csv", ".txt", ".tsv":
		opt, err := o.csv()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return csv.NewReader(name, r, opt)
	case ".xlsx", ".xlsm", ".xls", ".ods":
		// The xlsx reader tells an old .xls or an .ods by its content and says what to do.
		dec, err := o.decimal()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return xlsx.NewReader(name, r, fields, xlsx.Options{Sheet: o.Sheet, Decimal: dec,
			MaxUnzipBytes: lim.XLSXUnzipBytes, MaxPartBytes: lim.XLSXXMLBytes})
	case ".numbers":
		return nil, unsupported(name, "Das Format %s wird nicht gelesen. Bitte in Excel oder LibreOffice öffnen und als .xlsx (Excel-Arbeitsmappe) speichern", ext)
	}
	return nil, unsupported(name, "Unbekanntes Dateiformat „%s“. Erwartet wird eine .xlsx- oder .csv-Datei", ext)
}

func unsupported(name, format string, args ...any) *pipeline.BadInput {
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos: pipeline.Pos{File: name}, Expected: "eine .xlsx- oder .csv-Datei", Message: fmt.Sprintf(format, args...)}}
}
