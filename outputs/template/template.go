// Package template writes the input templates that staff fill in: an XLSX
// workbook made from a table schema, before the flow begins. What the
// template offers is what the pipeline later accepts, so a template filled in
// with valid rows passes validation.
//
// The first sheet, named as the reader expects it (e.g. "Mittelverwendung"),
// holds the German headers of the schema's fields (bold, frozen; required
// columns darker) and prepared data rows: every column carries the number
// format of its type (EUR #,##0.00, percent 0.0, integer 0, date
// dd.mm.yyyy, text as text), an input hint from the field's description, and
// where the schema has them, a dropdown (area names, enums, ja/nein) or a
// whole-number, decimal or date check with its minimum and maximum. The sheet
// "Anleitung" says what each column means, whether it is required, which
// values it allows, that personal data is never published, and how to submit
// the file. The hidden sheet "Listen" holds the dropdown lists.
//
// The formats are column styles, not styles of prepared empty cells, so the
// reader does not see hundreds of empty rows below the data. Document
// properties are fixed: the same template gives the same bytes.
package template

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// ErrTemplate is returned by Write when the template cannot be laid out: no
// fields, more fields than a sheet has columns, a field type other than
// string, integer, number, boolean or date, or a sheet name Excel does not
// allow.
var ErrTemplate = errors.New("template: cannot lay out the template")

// DefaultRows is the number of data rows that get dropdowns and checks when
// Template.Rows is 0.
const DefaultRows = 500

// Names of the sheets besides the data sheet.
const (
	GuideSheet = "Anleitung"
	ListSheet  = "Listen"
)

// fixedTime is the creation and modification time of every template, so that
// the same template gives the same bytes.
const fixedTime = "2009-01-01T00:00:00Z"

// Template describes the workbook to write.
type Template struct {
	// Sheet is the name of the data sheet; it must be the sheet the reader
	// reads, e.g. "Mittelverwendung".
	Sheet string
	// Title and Description of the table, e.g. the schema's.
	Title, Description string
	// Fields are the columns in order, with their constraints.
	Fields []pipeline.Field
	// Areas are the register's areas. A field with a Reference (a foreign
	// key to the register) gets a dropdown of their names.
	Areas []pipeline.Area
	// Publication names the publication, e.g. "Aktionsplan Soziale Stadt
	// Dortmund"; Note is its caveat, e.g. "Beispieldaten, keine amtlichen
	// Zahlen". Both head the Anleitung.
	Publication, Note string
	// SubmitTo says where to send the filled-in file, e.g. the project
	// office.
	SubmitTo string
	// Rows is the number of data rows with dropdowns and checks; 0 means
	// DefaultRows.
	Rows int
}

// Write writes the template as an XLSX workbook to w.
func Write(w io.Writer, t Template) (err error) {
	if t.Rows <= 0 {
		t.Rows = DefaultRows
	}
	if err := t.check(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("template: %w", cerr)
		}
	}()
	b := &book{f: f, t: t}
	for _, step := range []struct {
		what string
		do   func() error
	}{
		{"sheets", b.sheets},
		{"styles", b.newStyles},
		{"lists", b.writeLists},
		{"data sheet", b.writeData},
		{"instructions", b.writeGuide},
	} {
		if err := step.do(); err != nil {
			return fmt.Errorf("template %q: %s: %w", t.Sheet, step.what, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("template %q: write the workbook: %w", t.Sheet, err)
	}
	return nil
}

// check re-checks the template before anything is laid out.
func (t Template) check() error {
	if len(t.Fields) == 0 {
		return fmt.Errorf("%w: no fields", ErrTemplate)
	}
	if len(t.Fields) > excelize.MaxColumns {
		return fmt.Errorf("%w: %d fields, a sheet has %d columns", ErrTemplate, len(t.Fields), excelize.MaxColumns)
	}
	if t.Rows+1 > excelize.TotalRows {
		return fmt.Errorf("%w: %d rows, a sheet has %d", ErrTemplate, t.Rows, excelize.TotalRows)
	}
	if t.Sheet == GuideSheet || t.Sheet == ListSheet {
		return fmt.Errorf("%w: the data sheet cannot be named %q", ErrTemplate, t.Sheet)
	}
	for _, fld := range t.Fields {
		if _, ok := formats[fld.Type]; !ok {
			return fmt.Errorf("%w: field %q has type %q", ErrTemplate, fld.Name, fld.Type)
		}
	}
	return nil
}

// book is a template being written.
type book struct {
	f      *excelize.File
	t      Template
	styles styles
	// lists maps a field name to the range of its dropdown values on the
	// Listen sheet, e.g. "Listen!$A$2:$A$14".
	lists map[string]string
}

// sheets names and orders the sheets: the data sheet first, so that a reader
// without a configured sheet reads it, and it is the one that opens.
func (b *book) sheets() error {
	if err := b.f.SetSheetName(b.f.GetSheetName(0), b.t.Sheet); err != nil {
		return fmt.Errorf("%w: sheet name %q: %w", ErrTemplate, b.t.Sheet, err)
	}
	for _, s := range []string{GuideSheet, ListSheet} {
		if _, err := b.f.NewSheet(s); err != nil {
			return err
		}
	}
	b.f.SetActiveSheet(0)
	if err := b.f.SetSheetVisible(ListSheet, false); err != nil {
		return err
	}
	title := b.t.Title
	if title == "" {
		title = b.t.Sheet
	}
	return b.f.SetDocProps(&excelize.DocProperties{
		Created:        fixedTime,
		Modified:       fixedTime,
		Creator:        "aktionsplan",
		LastModifiedBy: "aktionsplan",
		Title:          "Vorlage " + title,
		Description:    b.t.Description,
		Language:       "de-DE",
	})
}
