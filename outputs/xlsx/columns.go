package xlsx

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// kind is a column type of pipeline.Column.
type kind int

const (
	kindString kind = iota
	kindInteger
	kindNumber
	kindBoolean
	kindDate
)

var kinds = map[string]kind{
	"string":  kindString,
	"integer": kindInteger,
	"number":  kindNumber,
	"boolean": kindBoolean,
	"date":    kindDate,
}

// typeLabels name the column types on the Beschreibung sheet, in German for
// people and with the Table Schema name for machines.
var typeLabels = map[kind]string{
	kindString:  "Text (string)",
	kindInteger: "Ganzzahl (integer)",
	kindNumber:  "Zahl (number)",
	kindBoolean: "Wahrheitswert (boolean)",
	kindDate:    "Datum (date)",
}

// Number formats of the data cells. Percentages are the numbers they are
// (23.4 means 23.4 %), so they get a plain format, not Excel's percent format
// that would show 2340 %.
const (
	numFmtGeneral = 0 // General
	numFmtInteger = 1 // 0
	numFmtEUR     = 4 // #,##0.00
	fmtPercent    = "0.0"
	fmtDate       = "dd.mm.yyyy"
)

// Limits of a sheet.
const (
	maxRows      = excelize.TotalRows      // including the header
	maxColumns   = excelize.MaxColumns     // 16,384
	maxCellChars = excelize.TotalCellChars // UTF-16 units
)

// Column widths in characters. They are derived from the column alone: the
// rows are not known when the widths must be written.
const (
	minWidth     = 8
	maxWidth     = 60
	filterButton = 3 // room for the filter arrow beside the title
)

// column is the layout of one column of the Daten sheet.
type column struct {
	pipeline.Column
	kind  kind
	style int // excelize style of the data cells
	// textStyle is style with Excel's quotePrefix, for the text cells of a
	// string column that pipeline.FormulaLike calls formula-like; 0 in
	// other columns.
	textStyle int
	width     float64
	// The pieces of XML that the cell elements of the column are made of:
	// open is `<c r="` and the column's letters, which the row number
	// follows; number, boolean, text and quotedText end the reference and
	// hold the style and type attributes of a value of that kind,
	// quotedText those of a text in textStyle.
	open, number, boolean, text, quotedText piece
}

// setCellXML sets what each cell element of c begins with.
func (c *column) setCellXML(index int) {
	letters, _ := excelize.ColumnNumberToName(index + 1) // index < maxColumns
	s := styleAttr(c.style)
	quoted := s
	if c.textStyle != 0 {
		quoted = styleAttr(c.textStyle)
	}
	c.open = makePiece(`<c r="` + letters)
	c.number = makePiece(`"` + s + `><v>`)
	c.boolean = makePiece(`"` + s + ` t="b"><v>`)
	c.text = makePiece(`"` + s + ` t="inlineStr"><is><t`)
	c.quotedText = makePiece(`"` + quoted + ` t="inlineStr"><is><t`)
}

func styleAttr(style int) string {
	if style == 0 {
		return ""
	}
	return ` s="` + strconv.Itoa(style) + `"`
}

// layout returns the columns of ds with their styles, created in f. Styles
// are created in column order so that their ids do not vary.
func layout(f *excelize.File, cols []pipeline.Column) ([]column, error) {
	if len(cols) == 0 {
		return nil, fmt.Errorf("%w: the dataset has no columns", ErrSchema)
	}
	if len(cols) > maxColumns {
		return nil, fmt.Errorf("%w: %d columns, a sheet holds %d", ErrSchema, len(cols), maxColumns)
	}
	out := make([]column, len(cols))
	textStyles := map[int]int{} // quote-prefixed copy of each style
	for i, c := range cols {
		k, ok := kinds[c.Type]
		if !ok {
			return nil, fmt.Errorf("%w: column %q has type %q", ErrSchema, c.Name, c.Type)
		}
		style, err := f.NewStyle(cellStyle(c, k))
		if err != nil {
			return nil, fmt.Errorf("xlsx: style of column %q: %w", c.Name, err)
		}
		out[i] = column{Column: c, kind: k, style: style, width: width(c, k)}
	}
	// After the loop, so that the copies come after every other style.
	for i := range out {
		if out[i].kind != kindString {
			continue
		}
		style := out[i].style
		if _, done := textStyles[style]; !done {
			id, err := quotePrefixed(f, style)
			if err != nil {
				return nil, fmt.Errorf("xlsx: text style of column %q: %w", out[i].Name, err)
			}
			textStyles[style] = id
		}
		out[i].textStyle = textStyles[style]
	}
	for i := range out {
		out[i].setCellXML(i)
	}
	return out, nil
}

// quotePrefixed adds a copy of the cell style id that also carries
// quotePrefix and returns the copy's id.
//
// Why: every text is written as an inline string, never a formula (the
// stream writer makes a formula only of Cell.Formula, which the encoder
// never sets), so no program runs "=HYPERLINK(…)" when it opens the
// workbook. But a user who edits such a cell and presses Enter makes Excel
// or LibreOffice parse it again, now as a formula. quotePrefix is Excel's
// own mark for "text, do not interpret"; it is what typing a leading
// apostrophe sets, and it keeps the value exactly as published, unlike an
// apostrophe in the text, which Excel would show as part of the value. So
// the XLSX files, unlike the CSV files, keep such a text as it is.
//
// excelize has no option for quotePrefix, so the copy is added to the
// workbook's cell formats directly. It is appended after every style the
// encoder made, so the ids of the others do not change; the tests check the
// attribute in the written styles part.
func quotePrefixed(f *excelize.File, id int) (int, error) {
	if f.Styles == nil || f.Styles.CellXfs == nil || id < 0 || id >= len(f.Styles.CellXfs.Xf) {
		return 0, fmt.Errorf("cell style %d not found", id)
	}
	if len(f.Styles.CellXfs.Xf) >= excelize.MaxCellStyles {
		return 0, excelize.ErrCellStyles
	}
	xf := f.Styles.CellXfs.Xf[id]
	on := true
	xf.QuotePrefix = &on
	f.Styles.CellXfs.Xf = append(f.Styles.CellXfs.Xf, xf)
	f.Styles.CellXfs.Count = len(f.Styles.CellXfs.Xf)
	return len(f.Styles.CellXfs.Xf) - 1, nil
}

// cellStyle is the style of the data cells of c.
func cellStyle(c pipeline.Column, k kind) *excelize.Style {
	custom := func(s string) *excelize.Style { return &excelize.Style{CustomNumFmt: &s} }
	switch {
	case k == kindDate:
		return custom(fmtDate)
	case k == kindInteger:
		return &excelize.Style{NumFmt: numFmtInteger}
	case k == kindNumber && isEUR(c):
		return &excelize.Style{NumFmt: numFmtEUR}
	case k == kindNumber && isPercent(c):
		return custom(fmtPercent)
	default:
		return &excelize.Style{NumFmt: numFmtGeneral}
	}
}

func isEUR(c pipeline.Column) bool { return c.Unit == "EUR" }

func isPercent(c pipeline.Column) bool {
	return c.Unit == "%" || strings.HasSuffix(c.Name, "_pct")
}

// width is the width of c: wide enough for its title and a typical value of
// its type, within minWidth and maxWidth.
func width(c pipeline.Column, k kind) float64 {
	typical := map[kind]float64{kindString: 24, kindInteger: 10, kindNumber: 12, kindBoolean: 10, kindDate: 12}[k]
	switch {
	case k == kindNumber && isEUR(c):
		typical = 14
	case k == kindNumber && isPercent(c):
		typical = 10
	case k == kindString && isShortText(c.Name):
		typical = 10
	case k == kindString && isLongText(c.Name):
		typical = 40
	}
	title := float64(utf8.RuneCountInString(c.Title)+filterButton) * 1.1 // bold is wider
	return math.Round(min(max(typical, title, minWidth), maxWidth))
}

// isShortText says whether a text column holds codes or numbers, by the
// conventions of the published machine names.
func isShortText(name string) bool {
	return name == "code" || strings.HasSuffix(name, "_code") || strings.HasSuffix(name, "_nr")
}

// isLongText says whether a text column holds titles or prose.
func isLongText(name string) bool {
	for _, s := range []string{"titel", "beschreibung", "bemerkung", "traeger"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// Reasons wrapped in a CellError.
var (
	errNotFinite = errors.New("number is not finite")
	errNotUTF8   = errors.New("text is not valid UTF-8")
	errControl   = errors.New("text holds a control character that a cell cannot hold")
	errTooLong   = fmt.Errorf("text is longer than the %d characters of a cell", maxCellChars)
	errDateRange = errors.New("date is outside the years 1900 to 9999 that Excel knows")
)

// checkText returns nil when s can be a cell's text. XML cannot carry most
// control characters; excelize would replace them with U+FFFD, which would
// change the published text without a word.
func checkText(s string) error {
	for i := 0; i < len(s); {
		// Eight printable ASCII characters at a time: most of any text.
		for i+8 <= len(s) && printable8(s[i:i+8]) {
			i += 8
		}
		if i == len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				return controlOrNotUTF8(s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return errNotUTF8
		}
		if r == 0xFFFE || r == 0xFFFF {
			return controlOrNotUTF8(s)
		}
		i += size
	}
	// A character takes at most as many UTF-16 units as UTF-8 bytes.
	if len(s) > maxCellChars && utf16Len(s) > maxCellChars {
		return errTooLong
	}
	return nil
}

// printable8 reports whether the eight bytes of w are all ASCII and none
// a control character, in a few operations on one word: a byte below 0x20
// sets its top bit in w-0x20…, which no ASCII byte has in w.
func printable8(w string) bool {
	x := pipeline.Load64(w)
	const high, spaces = 0x8080808080808080, 0x2020202020202020
	return x&high == 0 && (x-spaces)&^x&high == 0
}

// controlOrNotUTF8 is the error of a text holding a control character:
// not being UTF-8 is reported first, wherever it is.
func controlOrNotUTF8(s string) error {
	if !utf8.ValidString(s) {
		return errNotUTF8
	}
	return errControl
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
