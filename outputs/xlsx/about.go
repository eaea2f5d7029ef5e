package xlsx

import (
	"fmt"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// styles are the styles of the header rows and of the Beschreibung sheet.
type styles struct {
	header int // bold on a light fill, with a line below
	title  int
	bold   int
	wrap   int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	for _, st := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "top"},
		}},
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		id, err := f.NewStyle(st.style)
		if err != nil {
			return s, fmt.Errorf("style: %w", err)
		}
		*st.id = id
	}
	return s, nil
}

// line is one row of the Beschreibung sheet.
type line struct {
	values []any // string or int
	style  int   // of the whole row, 0 for none
	styles []int // per cell, overriding style where not 0
}

// writeAbout fills the Beschreibung sheet: title, note and description of
// the dataset, a table of its columns, then publisher, source and note. The
// sheet is small, so it is written cell by cell, not streamed: a second
// stream would also make the order of the parts in the file vary.
func (e *encoder) writeAbout() error {
	ds, st := e.ds, e.styles
	var lines []line
	add := func(style int, values ...any) { lines = append(lines, line{values: values, style: style}) }
	add(st.title, ds.Title)
	if ds.About.Note != "" {
		add(st.bold, ds.About.Note)
	}
	add(0, ds.Description)
	add(0)
	add(st.header, "Spalte", "Feldname", "Typ", "Einheit", "Beschreibung")
	for _, c := range e.cols {
		lines = append(lines, line{
			values: []any{c.Title, c.Name, typeLabels[c.kind], c.Unit, c.Description},
			styles: []int{0, 0, 0, 0, st.wrap},
		})
	}
	add(0)
	add(0, "Herausgeber", ds.About.Publisher)
	add(0, "Quelle", ds.About.Source)
	if ds.About.Note != "" {
		lines = append(lines, line{values: []any{"Hinweis", ds.About.Note}, styles: []int{0, st.bold}})
	}
	add(0, "Datenzeilen", e.rows)

	for i, l := range lines {
		if err := e.writeLine(i+1, l); err != nil {
			return err
		}
	}
	return e.setAboutWidths()
}

func (e *encoder) writeLine(row int, l line) error {
	for j, v := range l.values {
		cell, err := excelize.CoordinatesToCellName(j+1, row)
		if err != nil {
			return err
		}
		if err := e.setAboutCell(cell, v); err != nil {
			return fmt.Errorf("cell %s: %w", cell, err)
		}
		style := l.style
		if j < len(l.styles) && l.styles[j] != 0 {
			style = l.styles[j]
		}
		if style != 0 {
			if err := e.f.SetCellStyle(aboutSheet, cell, cell, style); err != nil {
				return fmt.Errorf("style of cell %s: %w", cell, err)
			}
		}
	}
	return nil
}

func (e *encoder) setAboutCell(cell string, v any) error {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		// SetCellStr writes text as text, even when it starts with "=".
		return e.f.SetCellStr(aboutSheet, cell, v)
	case int:
		return e.f.SetCellInt(aboutSheet, cell, int64(v))
	default:
		return fmt.Errorf("unexpected value of type %T", v)
	}
}

// setAboutWidths makes the table of columns readable: titles and names as
// wide as the longest, descriptions wrapped in a wide last column.
func (e *encoder) setAboutWidths() error {
	titles, names := 0, 0
	for _, c := range e.cols {
		titles = max(titles, utf8.RuneCountInString(c.Title))
		names = max(names, utf8.RuneCountInString(c.Name))
	}
	clamp := func(n int) float64 { return float64(min(max(n+2, 14), 40)) }
	for _, w := range []struct {
		col   string
		width float64
	}{{"A", clamp(titles)}, {"B", clamp(names)}, {"C", 24}, {"D", 10}, {"E", 80}} {
		if err := e.f.SetColWidth(aboutSheet, w.col, w.col, w.width); err != nil {
			return fmt.Errorf("width of column %s: %w", w.col, err)
		}
	}
	return nil
}
