package template

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// Excel's limits for the texts of a data validation, in UTF-16 units.
const (
	maxPromptTitle = 32
	maxPrompt      = 255
	maxErrorText   = 225
)

// Excel's serial numbers of 1900-01-01 and 9999-12-31, the dates a cell holds.
const firstDate, lastDate = 1, 2958465

// writeData lays out the data sheet: widths and formats of the columns, the
// header, and per column an input hint and where the schema has one, a check.
func (b *book) writeData() error {
	sheet, f := b.t.Sheet, b.f
	for i, fld := range b.t.Fields {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, width(fld, b.t.Areas)); err != nil {
			return err
		}
		if err := f.SetColStyle(sheet, col, b.styles.columns[formatOf(fld)]); err != nil {
			return err
		}
		cell := col + "1"
		if err := f.SetCellStr(sheet, cell, fld.Title); err != nil {
			return err
		}
		style := b.styles.header
		if fld.Required {
			style = b.styles.required
		}
		if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
			return err
		}
		dv, err := b.validation(fld, fmt.Sprintf("%s2:%s%d", col, col, b.t.Rows+1))
		if err != nil {
			return fmt.Errorf("column %q: %w", fld.Title, err)
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(sheet, 1, 30); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	return b.landscape(sheet, true)
}

// validation returns the input hint of a field and its check: a dropdown for
// areas, enums and booleans, a number or date check for typed fields.
func (b *book) validation(fld pipeline.Field, sqref string) (*excelize.DataValidation, error) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	dv.SetInput(clip(fld.Title, maxPromptTitle), clip(hint(fld), maxPrompt))
	if list, ok := b.lists[fld.Name]; ok {
		dv.SetSqrefDropList(list)
		if fld.Reference != "" {
			// Codes and other spellings are accepted too: warn, do not refuse.
			dv.SetError(excelize.DataValidationErrorStyleWarning, "Aktionsraum nicht in der Liste",
				clip("Bitte einen Aktionsraum aus der Liste wählen. Ein Code wie HOE oder eine andere Schreibweise des Namens wird auch erkannt.", maxErrorText))
		} else {
			dv.SetError(excelize.DataValidationErrorStyleStop, "Wert nicht in der Liste",
				clip("Bitte einen Wert aus der Liste wählen: "+rule(fld)+".", maxErrorText))
		}
		return dv, nil
	}
	var t excelize.DataValidationType
	switch fld.Type {
	case "integer":
		t = excelize.DataValidationTypeWhole
	case "number":
		t = excelize.DataValidationTypeDecimal
	case "date":
		err := dv.SetRange(firstDate, lastDate, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Kein Datum", "Bitte ein Datum als TT.MM.JJJJ eintragen, z. B. 15.03.2024.")
		return dv, err
	default:
		return dv, nil
	}
	lo, hi := fld.Minimum, fld.Maximum
	var err error
	switch {
	case lo != nil && hi != nil:
		err = dv.SetRange(formula(*lo), formula(*hi), t, excelize.DataValidationOperatorBetween)
	case lo != nil:
		err = dv.SetRange(formula(*lo), "", t, excelize.DataValidationOperatorGreaterThanOrEqual)
	case hi != nil:
		err = dv.SetRange(formula(*hi), "", t, excelize.DataValidationOperatorLessThanOrEqual)
	default:
		return dv, nil // any number: the hint says which
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Wert nicht erlaubt", clip("Bitte eintragen: "+rule(fld)+".", maxErrorText))
	return dv, err
}

// formula writes a bound as a formula of a data validation: a dot as decimal
// point, as the file format wants it.
func formula(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// landscape prints the sheet across, fitted to the page width, with the
// header row repeated when wanted.
func (b *book) landscape(sheet string, repeatHeader bool) error {
	orientation, fit, tall := "landscape", 1, 0
	paper := 9 // A4
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &paper, Orientation: &orientation, FitToWidth: &fit, FitToHeight: &tall}); err != nil {
		return err
	}
	yes := true
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	if !repeatHeader {
		return nil
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", strings.ReplaceAll(sheet, "'", "''")), Scope: sheet})
}
