package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"aktionsplan/pipeline"
)

// Page is what the HTML report shows around the document.
type Page struct {
	// Title heads the page, e.g. "Aktionsplan Soziale Stadt Dortmund".
	Title string
	// Note is shown under the title, e.g. "Beispieldaten, keine amtlichen
	// Zahlen".
	Note string
	// PerGroup is how many problems of one kind (one code in one column of
	// one sheet) are listed before the rest is summed up; 0 means
	// DefaultPerGroup.
	PerGroup int
}

// DefaultPerGroup is how many problems of one kind the HTML report lists.
const DefaultPerGroup = 20

// maxNotes is how many notes about the reading of the inputs are listed.
const maxNotes = 50

//go:embed report.html.tmpl
var pageTemplate string

var htmlPage = template.Must(template.New("report").Parse(pageTemplate))

// WriteHTML writes the report as one self-contained HTML page in German for
// the people who keep the inputs: a verdict and a summary, then every
// problem grouped by file and sheet and by kind, each with its place, the
// value found, what was expected and how to fix it. Each group lists
// p.PerGroup problems and counts the rest, so a file with ten thousand equal
// errors stays readable. The page loads nothing: no scripts, fonts or
// images, the style is inline.
func WriteHTML(w io.Writer, d Document, p Page) error {
	return htmlPage.Execute(w, newView(d, p))
}

// view is what the template renders; every text is final, so the template
// only places and escapes it.
type view struct {
	Title, Note   string
	RunID         string
	Valid         bool
	Verdict       string
	VerdictDetail string
	Totals        string
	Summary       []summaryLine
	Clean         string // the inputs without any problem
	Sections      []section
	Notes         []noteLine
	MoreNotes     string
	Inputs        []string
}

type summaryLine struct {
	Anchor, Counts, Place string
}

// section holds the problems of one sheet of one file.
type section struct {
	Anchor, Heading, Counts string
	file, sheet             string
	errors, warnings        int
	Groups                  []group
}

// group holds the problems of one kind: one severity and code in one column.
type group struct {
	Class, Severity string
	Label, Fix      string
	Field           string
	Count           string
	Shown           []issueLine
	More            string
	issues          []pipeline.Issue
}

type issueLine struct {
	Place, Value, Expected, Message string
}

type noteLine struct {
	Place, Message string
}

func newView(d Document, p Page) view {
	if p.PerGroup <= 0 {
		p.PerGroup = DefaultPerGroup
	}
	v := view{Title: p.Title, Note: p.Note, RunID: d.RunID, Valid: d.Valid, Totals: totals(d.Errors, d.Warnings, d.Notes)}
	for _, in := range d.Inputs {
		v.Inputs = append(v.Inputs, inputLine(in))
	}
	if v.Title == "" {
		v.Title = "Aktionsplan Soziale Stadt"
	}
	v.Verdict, v.VerdictDetail = verdict(d)
	var notes []pipeline.Issue
	for _, is := range d.Issues {
		if is.Severity == pipeline.Info {
			notes = append(notes, is)
			continue
		}
		v.add(is)
	}
	v.finishSections(d.Inputs, p.PerGroup)
	v.addNotes(notes)
	return v
}

// finishSections orders the sections as the inputs were read and renders
// their headings, groups and summary lines.
func (v *view) finishSections(inputs []pipeline.InputFile, perGroup int) {
	slices.SortStableFunc(v.Sections, func(a, b section) int { return compareSections(inputs, a, b) })
	for i := range v.Sections {
		s := &v.Sections[i]
		s.Anchor = "stelle-" + strconv.Itoa(i+1)
		s.Heading = place(s.file, s.sheet)
		s.Counts = totals(s.errors, s.warnings, 0)
		for j := range s.Groups {
			s.Groups[j].finish(perGroup)
		}
		v.Summary = append(v.Summary, summaryLine{Anchor: s.Anchor, Counts: s.Counts, Place: s.Heading})
	}
	v.Clean = cleanInputs(inputs, v.Sections)
}

// addNotes lists the notes on how the inputs were read, at most maxNotes.
func (v *view) addNotes(notes []pipeline.Issue) {
	for i, n := range notes {
		if i == maxNotes {
			v.MoreNotes = fmt.Sprintf("… und %s weitere Hinweise (vollständig im JSON-Bericht)", number(len(notes)-maxNotes))
			return
		}
		v.Notes = append(v.Notes, noteLine{Place: n.Pos.String(), Message: n.Message})
	}
}

// add files an issue into its section and group, in the order found.
func (v *view) add(is pipeline.Issue) {
	si := slices.IndexFunc(v.Sections, func(s section) bool { return s.file == is.Pos.File && s.sheet == is.Pos.Sheet })
	if si < 0 {
		v.Sections = append(v.Sections, section{file: is.Pos.File, sheet: is.Pos.Sheet})
		si = len(v.Sections) - 1
	}
	s := &v.Sections[si]
	if is.Severity == pipeline.Error {
		s.errors++
	} else {
		s.warnings++
	}
	gi := slices.IndexFunc(s.Groups, func(g group) bool {
		f := g.issues[0]
		return f.Severity == is.Severity && f.Code == is.Code && f.Pos.Field == is.Pos.Field
	})
	if gi < 0 {
		s.Groups = append(s.Groups, group{})
		gi = len(s.Groups) - 1
	}
	s.Groups[gi].issues = append(s.Groups[gi].issues, is)
}

// finish renders the texts of a group, listing at most n of its issues.
func (g *group) finish(n int) {
	first := g.issues[0]
	k := kindOf(first.Code)
	g.Label, g.Fix, g.Field = k.Label, k.Fix, first.Pos.Field
	if first.Severity == pipeline.Error {
		g.Class, g.Severity, g.Count = "error", "Fehler", plural(len(g.issues), "Fehler", "Fehler")
	} else {
		g.Class, g.Severity, g.Count = "warning", "Warnung", plural(len(g.issues), "Warnung", "Warnungen")
	}
	shown := g.issues[:min(n, len(g.issues))]
	for _, is := range shown {
		g.Shown = append(g.Shown, issueLine{Place: cellOf(is.Pos), Value: is.Value, Expected: is.Expected, Message: is.Message})
	}
	if rest := g.issues[len(shown):]; len(rest) > 0 {
		g.More = more(rest)
	}
}

// more sums up the issues not listed: "… und 9.980 weitere gleichartige
// Probleme in Spalte „Jahr“ (Zeilen 22–10.001)".
func more(rest []pipeline.Issue) string {
	var b strings.Builder
	if len(rest) == 1 {
		b.WriteString("… und 1 weiteres gleichartiges Problem")
	} else {
		fmt.Fprintf(&b, "… und %s weitere gleichartige Probleme", number(len(rest)))
	}
	if f := rest[0].Pos.Field; f != "" {
		fmt.Fprintf(&b, " in Spalte „%s“", f)
	}
	b.WriteString(span(rest))
	return b.String()
}

// span names the rows, or the features, that issues lie in: " (Zeilen 22–40)".
func span(issues []pipeline.Issue) string {
	lo, hi, features := 0, 0, false
	for _, is := range issues {
		n := is.Pos.Row
		if is.Pos.Feature > 0 {
			n, features = is.Pos.Feature, true
		}
		if n == 0 {
			continue
		}
		if lo == 0 || n < lo {
			lo = n
		}
		hi = max(hi, n)
	}
	one, many := "Zeile", "Zeilen"
	if features {
		one, many = "Feature", "Features"
	}
	switch {
	case lo == 0:
		return ""
	case lo == hi:
		return fmt.Sprintf(" (%s %s)", one, number(lo))
	}
	return fmt.Sprintf(" (%s %s–%s)", many, number(lo), number(hi))
}

// cellOf names the place of an issue within its sheet: the cell reference,
// else row and column, the feature, or the row.
func cellOf(p pipeline.Pos) string {
	switch {
	case p.Feature > 0:
		return "Feature " + number(p.Feature)
	case p.Cell != "":
		return p.Cell
	case p.Row > 0 && p.Column > 0:
		return fmt.Sprintf("Zeile %s, Spalte %d", number(p.Row), p.Column)
	case p.Row > 0:
		return "Zeile " + number(p.Row)
	}
	return "ganze Datei"
}

// place names a file and sheet: `mittelverwendung.xlsx, Blatt „Mittelverwendung“`.
func place(file, sheet string) string {
	if file == "" {
		file = "Alle Eingaben"
	}
	if sheet == "" {
		return file
	}
	return fmt.Sprintf("%s, Blatt „%s“", file, sheet)
}

// compareSections orders sections as the run read the inputs, then by name;
// a file's problems without a sheet come before those of its sheets.
func compareSections(inputs []pipeline.InputFile, a, b section) int {
	rank := func(file string) int {
		i := slices.IndexFunc(inputs, func(in pipeline.InputFile) bool { return in.Name == file })
		if i < 0 {
			return len(inputs)
		}
		return i
	}
	if c := rank(a.file) - rank(b.file); c != 0 {
		return c
	}
	if c := strings.Compare(a.file, b.file); c != 0 {
		return c
	}
	// Within a file, the sections with errors first: they block publishing.
	if (a.errors > 0) != (b.errors > 0) {
		if a.errors > 0 {
			return -1
		}
		return 1
	}
	return strings.Compare(a.sheet, b.sheet)
}

// cleanInputs lists the inputs in which nothing was found.
func cleanInputs(inputs []pipeline.InputFile, sections []section) string {
	var names []string
	for _, in := range inputs {
		if !slices.ContainsFunc(sections, func(s section) bool { return s.file == in.Name }) {
			names = append(names, in.Name)
		}
	}
	return strings.Join(names, ", ")
}

// inputLine names an input and what it held: "kennzahlen.csv: 78 Datenzeilen".
func inputLine(in pipeline.InputFile) string {
	what := plural(in.Rows, "Datenzeile", "Datenzeilen")
	if ext := strings.ToLower(path.Ext(in.Name)); ext == ".geojson" || ext == ".json" {
		what = plural(in.Rows, "Feature", "Features")
	}
	return in.Name + ": " + what
}

// verdict is the answer at the top of the page and the sentence under it.
func verdict(d Document) (string, string) {
	switch {
	case !d.Valid:
		return "Nichts veröffentlicht", fmt.Sprintf("Die Prüfung hat %s gefunden. Es wurde nichts Neues veröffentlicht; "+
			"die bisherige Veröffentlichung bleibt unverändert. Beheben Sie die Fehler unten und reichen Sie die Datei erneut ein.",
			plural(d.Errors, "Fehler", "Fehler"))
	case d.Release != "":
		return "Prüfung bestanden", fmt.Sprintf("Die Daten wurden veröffentlicht (Stand %s).%s", d.Release, warningsSentence(d.Warnings))
	}
	return "Prüfung bestanden", "Die Dateien enthalten keine Fehler und können veröffentlicht werden." + warningsSentence(d.Warnings)
}

func warningsSentence(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " Bitte sehen Sie sich die Warnung an; sie verhindert die Veröffentlichung nicht."
	}
	return fmt.Sprintf(" Bitte sehen Sie sich die %s Warnungen an; sie verhindern die Veröffentlichung nicht.", number(n))
}

// totals counts errors, warnings and notes, leaving out what is zero:
// "3 Fehler, 1 Warnung".
func totals(errors, warnings, notes int) string {
	var parts []string
	if errors > 0 {
		parts = append(parts, plural(errors, "Fehler", "Fehler"))
	}
	if warnings > 0 {
		parts = append(parts, plural(warnings, "Warnung", "Warnungen"))
	}
	if notes > 0 {
		parts = append(parts, plural(notes, "Hinweis", "Hinweise"))
	}
	if len(parts) == 0 {
		return "keine Beanstandungen"
	}
	return strings.Join(parts, ", ")
}

// plural writes a count with its noun: "1 Warnung", "10.000 Fehler".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return number(n) + " " + many
}

// number writes n with German thousands separators: 10.001.
func number(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + number(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}
