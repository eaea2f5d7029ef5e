package template

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// writeLists fills the hidden Listen sheet with one column per dropdown:
// the field's title, then its values. A list of cells has no length limit,
// unlike a list typed into the check, and staff can read it.
func (b *book) writeLists() error {
	b.lists = map[string]string{}
	n := 0
	for _, fld := range b.t.Fields {
		values := b.listValues(fld)
		if len(values) == 0 {
			continue
		}
		n++
		col, err := excelize.ColumnNumberToName(n)
		if err != nil {
			return err
		}
		cells := append([]any{fld.Title}, strs(values)...)
		if err := b.f.SetSheetCol(ListSheet, col+"1", &cells); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(ListSheet, col+"1", col+"1", b.styles.bold); err != nil {
			return err
		}
		if err := b.f.SetColWidth(ListSheet, col, col, width(fld, b.t.Areas)); err != nil {
			return err
		}
		b.lists[fld.Name] = fmt.Sprintf("%s!$%s$2:$%s$%d", ListSheet, col, col, len(values)+1)
	}
	return nil
}

// listValues returns the values of a field's dropdown, or none.
func (b *book) listValues(fld pipeline.Field) []string {
	switch {
	case fld.Reference != "":
		names := make([]string, len(b.t.Areas))
		for i, a := range sortedAreas(b.t.Areas) {
			names[i] = a.Name
		}
		return names
	case len(fld.Enum) > 0:
		return fld.Enum
	case fld.Type == "boolean":
		t, f := boolValues(fld)
		return []string{t, f}
	}
	return nil
}

// sortedAreas orders areas by name as a German reader expects: Hörde
// between Hafen and Lindenhorst.
func sortedAreas(areas []pipeline.Area) []pipeline.Area {
	out := slices.Clone(areas)
	fold := strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "ß", "ss")
	slices.SortStableFunc(out, func(a, b pipeline.Area) int {
		return strings.Compare(fold.Replace(strings.ToLower(a.Name)), fold.Replace(strings.ToLower(b.Name)))
	})
	return out
}

func strs(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// guideWidths are the widths of the Anleitung's columns A to E; the texts
// above the tables span all of them.
var guideWidths = []float64{24, 10, 48, 22, 60}

// guide writes the Anleitung sheet line by line.
type guide struct {
	b   *book
	row int
}

// writeGuide fills the Anleitung: title, note and description, the steps to
// fill in and submit the file, a table of the columns and one of the areas.
func (b *book) writeGuide() error {
	g := &guide{b: b}
	for i, w := range guideWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(GuideSheet, col, col, w); err != nil {
			return err
		}
	}
	t, st := b.t, b.styles
	title := t.Title
	if title == "" {
		title = t.Sheet
	}
	heading := fmt.Sprintf("Vorlage „%s“", title)
	if t.Publication != "" {
		heading = t.Publication + ": " + heading
	}
	steps := []func() error{
		func() error { return g.text(st.title, heading) },
		func() error { return g.textIf(st.boldWrap, t.Note) },
		func() error { return g.textIf(st.wrap, t.Description) },
		g.blank,
		func() error { return g.text(st.bold, "So füllen Sie die Vorlage aus") },
	}
	for i, s := range b.instructions() {
		steps = append(steps, func() error { return g.text(st.wrap, strconv.Itoa(i+1)+". "+s) })
	}
	steps = append(steps, g.blank, func() error { return g.text(st.bold, "Die Spalten") }, g.columns)
	if slices.ContainsFunc(t.Fields, func(f pipeline.Field) bool { return f.Reference != "" }) && len(t.Areas) > 0 {
		steps = append(steps, g.blank, g.areas)
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return b.landscape(GuideSheet, false)
}

// instructions are the numbered steps of the Anleitung.
func (b *book) instructions() []string {
	t := b.t
	var lists, private []string
	for _, f := range t.Fields {
		if _, ok := b.lists[f.Name]; ok {
			lists = append(lists, "„"+f.Title+"“")
		}
		if !f.Public {
			private = append(private, "„"+f.Title+"“")
		}
	}
	steps := []string{
		fmt.Sprintf("Tragen Sie die Daten auf dem Blatt „%s“ ein: ab Zeile 2, eine Zeile je Eintrag, ohne leere Zeilen dazwischen.", t.Sheet),
		"Lassen Sie die Kopfzeile unverändert: Überschriften nicht umbenennen, keine Spalten einfügen oder löschen, das Blatt nicht umbenennen. " +
			"Pflichtspalten haben eine dunklere Überschrift.",
		"Wenn Sie eine Zelle anklicken, erscheint ein Hinweis, was hineingehört. Die Tabelle unten nennt für jede Spalte die erlaubten Werte.",
	}
	if len(lists) > 0 {
		steps = append(steps, fmt.Sprintf("In den Spalten %s wählen Sie über den Pfeil neben der Zelle einen Eintrag aus der Auswahlliste.", joinAnd(lists)))
	}
	steps = append(steps, "Zahlen und Beträge tragen Sie ohne Einheit ein (1250,5 wird als 1.250,50 angezeigt), ein Datum als TT.MM.JJJJ (15.03.2024).")
	if len(private) > 0 {
		steps = append(steps, fmt.Sprintf("Die Spalten %s enthalten personenbezogene Daten: Sie werden nie veröffentlicht und auch im Prüfbericht nicht gezeigt.", joinAnd(private)))
	}
	to := "an die Stelle, die die Daten veröffentlicht"
	if t.SubmitTo != "" {
		to = "an: " + t.SubmitTo
	}
	steps = append(steps, "Speichern Sie die Datei als Excel-Arbeitsmappe (.xlsx) und senden Sie sie "+to+". "+
		"Sie wird vor der Veröffentlichung geprüft: Enthält sie Fehler, wird nichts veröffentlicht, und Sie erhalten einen Prüfbericht, "+
		"der jede zu korrigierende Zelle nennt und sagt, wie Sie sie korrigieren.")
	return steps
}

// columns writes the table of the columns: title, required, allowed values,
// published name and meaning.
func (g *guide) columns() error {
	st := g.b.styles
	if err := g.cells([]int{st.header}, "Spalte", "Pflicht", "Erlaubte Werte", "Veröffentlicht als", "Bedeutung"); err != nil {
		return err
	}
	for _, f := range g.b.t.Fields {
		required, published := "nein", f.Name
		if f.Required {
			required = "ja"
		}
		if !f.Public {
			published = "nie (personenbezogen)"
		}
		if err := g.cells([]int{st.boldWrap, st.wrap}, f.Title, required, rule(f), published, f.Description); err != nil {
			return err
		}
	}
	return nil
}

// areas writes the table of the areas that the area dropdown offers.
func (g *guide) areas() error {
	st, t := g.b.styles, g.b.t
	col := t.Fields[slices.IndexFunc(t.Fields, func(f pipeline.Field) bool { return f.Reference != "" })].Title
	for _, line := range []func() error{
		func() error { return g.text(st.bold, "Die Aktionsräume") },
		func() error {
			return g.text(st.wrap, fmt.Sprintf("In der Spalte „%s“ wählen Sie einen Namen aus der Liste. Der Code und die weiteren Schreibweisen werden ebenso erkannt.", col))
		},
		func() error {
			return g.cells([]int{st.header}, "Name", "Code", "Im Programm", "Weitere Schreibweisen", "Betreuung")
		},
	} {
		if err := line(); err != nil {
			return err
		}
	}
	for _, a := range sortedAreas(t.Areas) {
		valid := fmt.Sprintf("seit %d", a.From)
		if a.To != 0 {
			valid = fmt.Sprintf("%d bis %d", a.From, a.To)
		}
		if err := g.cells([]int{st.wrap}, a.Name, a.Code, valid, strings.Join(a.Spellings, ", "), a.Betreuung); err != nil {
			return err
		}
	}
	return nil
}

// text writes a paragraph across the columns of the sheet, as high as its
// wrapped lines need.
func (g *guide) text(style int, s string) error {
	g.row++
	first, last := "A"+strconv.Itoa(g.row), "E"+strconv.Itoa(g.row)
	f := g.b.f
	if err := f.SetCellStr(GuideSheet, first, s); err != nil {
		return err
	}
	if err := f.MergeCell(GuideSheet, first, last); err != nil {
		return err
	}
	if err := f.SetCellStyle(GuideSheet, first, last, style); err != nil {
		return err
	}
	return g.fit(s, sum(guideWidths))
}

func (g *guide) textIf(style int, s string) error {
	if s == "" {
		return nil
	}
	return g.text(style, s)
}

func (g *guide) blank() error {
	g.row++
	return nil
}

// cells writes a row of a table; styles apply to the cells in order, the
// last one to the rest.
func (g *guide) cells(styles []int, values ...string) error {
	g.row++
	lines := 1
	for i, v := range values {
		ref, err := excelize.CoordinatesToCellName(i+1, g.row)
		if err != nil {
			return err
		}
		if err := g.b.f.SetCellStr(GuideSheet, ref, v); err != nil {
			return err
		}
		if err := g.b.f.SetCellStyle(GuideSheet, ref, ref, styles[min(i, len(styles)-1)]); err != nil {
			return err
		}
		lines = max(lines, wrapped(v, guideWidths[i]))
	}
	return g.height(lines)
}

// fit sets the height of the row for text wrapped in a width.
func (g *guide) fit(s string, w float64) error { return g.height(wrapped(s, w)) }

// height sets the row height for a number of lines; spreadsheet programs do
// not grow merged or freshly written rows by themselves.
func (g *guide) height(lines int) error {
	if lines <= 1 {
		return nil
	}
	return g.b.f.SetRowHeight(GuideSheet, g.row, float64(lines)*15+2)
}

// wrapped estimates the lines that s takes in a column w characters wide.
func wrapped(s string, w float64) int {
	per := max(int(w*1.2)-2, 1) // proportional text is narrower than the digit a width counts
	return (utf8.RuneCountInString(s) + per - 1) / per
}

func sum(ws []float64) float64 {
	t := 0.0
	for _, w := range ws {
		t += w
	}
	return t
}

// joinAnd joins names in German: „a“, „b“ und „c“.
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " und " + names[len(names)-1]
}
