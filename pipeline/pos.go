package pipeline

import (
	"fmt"
	"strings"
)

// Origin says where the rows of a table come from.
type Origin struct {
	// File is the name of the input as the user knows it.
	File string
	// Sheet is the worksheet of a workbook; empty for other formats.
	Sheet string
	// CellName turns a 1-based column and row into a cell reference such as
	// "D7"; nil for formats that have none.
	CellName func(col, row int) string
	// Typed is true for spreadsheets whose cells hold typed raw values: a
	// number cell reads as plain "1250.5", a date cell as its serial number.
	// Text cells read as typed by staff.
	Typed bool
	// Date1904 is true for workbooks whose serial dates count from 1904.
	Date1904 bool
	// Decimal is the decimal separator of the numbers written as text in
	// the whole input, '.' or ',', as the reader detected it or as it was
	// configured; the other of the two is then the group separator, so
	// "1.250" is 1250 where Decimal is ',' and 1.25 where it is '.'. Zero
	// means the separators each field of the schema declares.
	Decimal rune
}

// At returns the position of the cell in 1-based row and column, under the
// header field. A col of 0 means the whole row.
func (o Origin) At(row, col int, field string) Pos {
	p := Pos{File: o.File, Sheet: o.Sheet, Row: row, Column: col, Field: field}
	if o.CellName != nil && row > 0 && col > 0 {
		p.Cell = o.CellName(col, row)
	}
	return p
}

// Pos is a place in an input: a file, and where known a sheet, row, column,
// the column's header and the spreadsheet cell reference.
type Pos struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`
	Column int    `json:"column,omitempty"`
	Field  string `json:"field,omitempty"`
	Cell   string `json:"cell,omitempty"`
	// Feature is the 1-based number of a feature in a GeoJSON file.
	Feature int `json:"feature,omitempty"`
}

// String renders the position for the people who keep the file, in German:
// `mittelverwendung.xlsx, Blatt „Mittelverwendung“, Zelle J14 (Spalte „Bewilligt (EUR)“)`.
func (p Pos) String() string {
	parts := []string{p.File}
	if p.Sheet != "" {
		parts = append(parts, fmt.Sprintf("Blatt „%s“", p.Sheet))
	}
	switch {
	case p.Feature > 0:
		parts = append(parts, fmt.Sprintf("Feature %d", p.Feature))
	case p.Cell != "":
		parts = append(parts, "Zelle "+p.Cell)
	case p.Row > 0 && p.Column > 0:
		parts = append(parts, fmt.Sprintf("Zeile %d, Spalte %d", p.Row, p.Column))
	case p.Row > 0:
		parts = append(parts, fmt.Sprintf("Zeile %d", p.Row))
	}
	s := strings.Join(parts, ", ")
	if p.Field != "" {
		s += fmt.Sprintf(" (Spalte „%s“)", p.Field)
	}
	return s
}
