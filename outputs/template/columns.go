package template

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// format is how the cells of a column are formatted: a built-in number
// format, or a custom one.
type format struct {
	builtin int
	custom  string
}

// formats by field type; numbers get theirs from the unit (numberFormat).
var formats = map[string]format{
	"string":  {builtin: 49}, // @: text stays text, "2024-01" is no date
	"boolean": {builtin: 49},
	"integer": {builtin: 1}, // 0
	"number":  {},
	"date":    {custom: "dd.mm.yyyy"},
}

// numberFormat returns the format of a number column by its unit.
func numberFormat(unit string) format {
	switch unit {
	case "EUR", "€":
		return format{builtin: 4} // #,##0.00
	case "%":
		return format{custom: "0.0"}
	}
	return format{builtin: 2} // 0.00
}

func formatOf(f pipeline.Field) format {
	if f.Type == "number" {
		return numberFormat(f.Unit)
	}
	return formats[f.Type]
}

// font is the workbook's default font; a bold font needs it named, or
// spreadsheet programs fall back to a serif one.
const font = "Calibri"

// styles are the styles of a template.
type styles struct {
	header, required int // header cells of optional and required columns
	title, bold      int
	wrap, boldWrap   int
	columns          map[format]int
}

func (b *book) newStyles() error {
	s := styles{columns: map[format]int{}}
	header := func(fill string) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true, Family: font},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		}
	}
	for _, st := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.header, header("DDEBF7")},
		{&s.required, header("9BC2E6")},
		{&s.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Family: font}}},
		{&s.bold, &excelize.Style{Font: &excelize.Font{Bold: true, Family: font}}},
		{&s.wrap, &excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&s.boldWrap, &excelize.Style{Font: &excelize.Font{Bold: true, Family: font}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
	} {
		id, err := b.f.NewStyle(st.style)
		if err != nil {
			return err
		}
		*st.id = id
	}
	for _, fld := range b.t.Fields {
		ft := formatOf(fld)
		if _, ok := s.columns[ft]; ok {
			continue
		}
		st := &excelize.Style{NumFmt: ft.builtin}
		if ft.custom != "" {
			st.CustomNumFmt = &ft.custom
		}
		id, err := b.f.NewStyle(st)
		if err != nil {
			return err
		}
		s.columns[ft] = id
	}
	b.styles = s
	return nil
}

// width returns the width of a column: wide enough for its header, its
// longest allowed value and a typical entry.
func width(f pipeline.Field, areas []pipeline.Area) float64 {
	w := utf8.RuneCountInString(f.Title) + 3
	typical := map[string]int{"string": 26, "integer": 10, "number": 15, "boolean": 12, "date": 13}[f.Type]
	w = max(w, typical)
	for _, v := range f.Enum {
		w = max(w, utf8.RuneCountInString(v)+5)
	}
	if f.Reference != "" {
		for _, a := range areas {
			w = max(w, utf8.RuneCountInString(a.Name)+5)
		}
	}
	return float64(min(w, 50))
}

// rule says in German which values a field allows, for the input hint and
// the Anleitung: "ganze Zahl ab 2009", "einer von: beantragt, bewilligt".
func rule(f pipeline.Field) string {
	var s string
	switch {
	case f.Reference != "":
		s = "Name oder Code eines Aktionsraums (Auswahlliste)"
	case len(f.Enum) > 0:
		s = joinOr(f.Enum) + " (Auswahlliste)"
	case f.Type == "boolean":
		t, n := boolValues(f)
		s = t + " oder " + n + " (Auswahlliste)"
	case f.Type == "integer":
		s = "ganze Zahl" + bounds(f)
	case f.Type == "number" && f.Unit == "EUR":
		s = "Betrag in Euro" + bounds(f) + ", ohne Einheit, z. B. 1250,50"
	case f.Type == "number" && f.Unit == "%":
		s = "Prozentwert" + bounds(f) + ", ohne %-Zeichen, z. B. 12,5"
	case f.Type == "number":
		s = "Zahl" + bounds(f)
	case f.Type == "date":
		s = "Datum als TT.MM.JJJJ, z. B. 15.03.2024"
	default:
		s = "Text"
		if f.Pattern != "" {
			s += " nach dem Muster " + f.Pattern
		}
	}
	if f.Unique {
		s += ", jeder Wert nur einmal"
	}
	return s
}

// joinOr joins values in German: a, b oder c.
func joinOr(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " oder " + values[len(values)-1]
}

// bounds writes the minimum and maximum of a field: " von 0 bis 100".
func bounds(f pipeline.Field) string {
	switch {
	case f.Minimum != nil && f.Maximum != nil:
		return " von " + decimal(*f.Minimum) + " bis " + decimal(*f.Maximum)
	case f.Minimum != nil:
		return " ab " + decimal(*f.Minimum)
	case f.Maximum != nil:
		return " bis " + decimal(*f.Maximum)
	}
	return ""
}

// decimal writes a bound with a decimal comma and no grouping, as a year
// should look: 2009, 0,5.
func decimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// boolValues returns the spellings a template offers for true and false: the
// first of the field's true and false values.
func boolValues(f pipeline.Field) (string, string) {
	t, n := "ja", "nein"
	if len(f.TrueValues) > 0 {
		t = f.TrueValues[0]
	}
	if len(f.FalseValues) > 0 {
		n = f.FalseValues[0]
	}
	return t, n
}

// hint is the input prompt of a column: its description, whether it is
// required, and its rule.
func hint(f pipeline.Field) string {
	var b strings.Builder
	if f.Description != "" {
		b.WriteString(strings.TrimSpace(f.Description))
		if !strings.HasSuffix(f.Description, ".") {
			b.WriteString(".")
		}
		b.WriteString(" ")
	}
	if f.Required {
		b.WriteString("Pflichtangabe. ")
	}
	b.WriteString(upperFirst(rule(f)) + ".")
	if !f.Public {
		b.WriteString(" Wird nie veröffentlicht.")
	}
	return b.String()
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// clip shortens s to at most n UTF-16 units, as Excel counts, ending it with
// an ellipsis; Excel refuses a workbook whose prompts are longer than it
// allows.
func clip(s string, n int) string {
	if len(utf16.Encode([]rune(s))) <= n {
		return s
	}
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n-1 {
			return s[:i] + "…"
		}
	}
	return s
}
