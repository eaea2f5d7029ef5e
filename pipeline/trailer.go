package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TotalCaster is implemented by casters that can read a total row at the
// bottom of a table ("Summe", "Gesamt", "Insgesamt").
type TotalCaster interface {
	// CastTotal returns the values of the row's number and integer fields
	// (float64 or int64; nil where the cell is empty or no number), read by
	// the rules of their fields but without the checks of a data row:
	// required cells, unique values and keys, ranges. A cell that holds no
	// number is added to rep as a warning, since the row is not published.
	CastTotal(row Row, rep *Report) Record
}

// rowKind says what a row at the bottom of a table may be.
type rowKind int

const (
	dataRow rowKind = iota
	blankRow
	footnoteRow
	totalRow
)

// maxTrailer bounds the rows held back: a table that ends in more rows that
// look like footnotes has them read as data.
const maxTrailer = 1000

// trailer sorts out the rows below the last data row of a table: blank rows,
// footnotes ("Quelle: …", "* vorläufig", "Stand: …", "1) …") and a total row
// ("Summe"), which staff add to the tables they send. Such rows are held back
// until a data row follows, which makes them data after all, or the table
// ends, which makes them its trailer: blank rows are dropped silently,
// footnotes skipped with a warning each, and the total row is checked against
// the sums of the data rows. Only these candidates are held, so the table
// still streams.
type trailer struct {
	origin Origin
	caster Caster
	totals TotalCaster // nil when the caster cannot read total rows
	fields []Field
	rep    *Report
	held   []heldRow
	sums   []sum // of each summable field over the data rows
	// summed are the indexes of the summable fields, found once: a Field
	// is a large struct to look at on every row.
	summed []int
}

type heldRow struct {
	row  Row
	kind rowKind
}

func newTrailer(o Origin, c Caster, fields []Field, rep *Report) *trailer {
	t := &trailer{origin: o, caster: c, fields: fields, rep: rep, sums: make([]sum, len(fields))}
	t.totals, _ = c.(TotalCaster)
	for fi := range fields {
		if summable(fields[fi]) {
			t.summed = append(t.summed, fi)
		}
	}
	return t
}

// push takes the next row of the table; data is called with every row that
// turns out to be data, blank rows included (the caster reports those), in
// the order of the table.
func (t *trailer) push(row Row, data func(Row)) {
	kind := t.kind(row)
	switch {
	case kind == dataRow:
		t.flush(data)
		data(row)
		return
	case kind == totalRow:
		// A total row must be the last row with values.
		t.flush(data)
	}
	// Readers may reuse the values of a row for the next one.
	t.held = append(t.held, heldRow{Row{Line: row.Line, Values: append([]string(nil), row.Values...)}, kind})
	if len(t.held) > maxTrailer {
		data(t.held[0].row)
		t.held = append(t.held[:0], t.held[1:]...)
	}
}

// flush hands the rows held back to data: a data row followed them.
func (t *trailer) flush(data func(Row)) {
	for _, h := range t.held {
		data(h.row)
	}
	t.held = t.held[:0]
}

// end is called when the table has ended: the rows held back are its
// trailer.
func (t *trailer) end(data func(Row)) {
	for _, h := range t.held {
		switch h.kind {
		case blankRow:
			// Empty rows below a table (often only formatted, by the
			// hundred in a workbook) are dropped without a word.
		case footnoteRow:
			col, text := firstValue(h.row.Values)
			shown, msg := strings.TrimSpace(text), "Fußnote unter der Tabelle, sie wird nicht als Daten gelesen"
			if t.personal(h.row, col) {
				shown, msg = "", msg+" (in einer Spalte mit personenbezogenen Daten: der Text wird nicht angezeigt)"
			}
			t.rep.Warnf(CodeFootnote, t.origin.At(h.row.Line, col+1, ""), shown, "", "%s", msg)
		case totalRow:
			t.checkTotal(h.row)
		}
	}
	t.held = t.held[:0]
}

// personal reports whether the cell at index col of row is in the column of
// a field that is not public: the report must not quote it.
func (t *trailer) personal(row Row, col int) bool {
	for _, f := range t.fields {
		if !f.Public && t.caster.Pos(row, f.Name).Column == col+1 {
			return true
		}
	}
	return false
}

// add counts a data row's record into the sums.
func (t *trailer) add(rec Record) {
	for _, fi := range t.summed {
		if fi < len(rec) {
			if x, ok := number(rec[fi]); ok {
				t.sums[fi].add(x)
			}
		}
	}
}

// summable reports whether a total row's cell of the field is meant to be
// the sum of the column: not for percentages, whose total is a share of the
// whole, never their sum; not for personal data, which no message shows.
func summable(f Field) bool {
	return (f.Type == "number" || f.Type == "integer") && f.Unit != "%" && f.Public
}

// checkTotal compares the numbers of the total row with the sums of the data
// rows, to the cent.
func (t *trailer) checkTotal(row Row) {
	rec := t.totals.CastTotal(row, t.rep)
	var diffs []Issue
	checked := 0
	for fi, f := range t.fields {
		if fi >= len(rec) || !summable(f) {
			continue
		}
		total, ok := number(rec[fi])
		if !ok {
			continue
		}
		checked++
		got := t.sums[fi].value()
		if math.Abs(total-got) < 0.005 {
			continue
		}
		decimals := 2
		if f.Type == "integer" {
			decimals = 0
		}
		pos := t.caster.Pos(row, f.Name)
		raw := ""
		if pos.Column > 0 && pos.Column <= len(row.Values) {
			raw = row.Values[pos.Column-1]
		}
		diffs = append(diffs, Issue{Code: CodeTotalMismatch, Severity: Warning, Pos: pos, Value: raw,
			Expected: "die Summe der Zeilen, " + GermanNumber(got, decimals),
			Message: fmt.Sprintf("Die Summenzeile stimmt nicht mit den Zeilen darüber überein. Summe in der Datei: %s; Summe der Zeilen: %s",
				GermanNumber(total, decimals), GermanNumber(got, decimals))})
	}
	t.rep.Infof(CodeRead, t.origin.At(row.Line, 0, ""), "Summenzeile erkannt und nicht als Daten gelesen; %s", totalVerdict(checked, len(diffs)))
	for _, is := range diffs {
		t.rep.Add(is)
	}
}

// totalVerdict says in German how the sums of a total row compared.
func totalVerdict(checked, off int) string {
	switch {
	case checked == 0:
		return "sie enthält keine Summe zum Vergleichen"
	case checked == 1 && off == 0:
		return "ihre Summe stimmt mit den Zeilen darüber überein"
	case checked == 1:
		return "ihre Summe weicht von den Zeilen darüber ab"
	case off == 0:
		return fmt.Sprintf("alle %d Summen stimmen mit den Zeilen darüber überein", checked)
	case off == 1:
		return fmt.Sprintf("1 von %d Summen weicht von den Zeilen darüber ab", checked)
	}
	return fmt.Sprintf("%d von %d Summen weichen von den Zeilen darüber ab", off, checked)
}

// kind tells what a row may be, from its text alone.
func (t *trailer) kind(row Row) rowKind {
	col, text := firstValue(row.Values)
	switch {
	case col < 0:
		return blankRow
	case t.totals != nil && isTotalLabel(text):
		return totalRow
	case onlyValue(row.Values, col) && isFootnote(text):
		return footnoteRow
	}
	return dataRow
}

// firstValue returns the first cell that is not blank and its index, or -1.
func firstValue(vals []string) (int, string) {
	for i, v := range vals {
		if strings.TrimSpace(v) != "" {
			return i, v
		}
	}
	return -1, ""
}

func onlyValue(vals []string, col int) bool {
	for _, v := range vals[col+1:] {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// isTotalLabel reports whether a cell labels a total row: "Summe", "Gesamt",
// "Insgesamt" or "Gesamtsumme", in any case, with or without a colon.
func isTotalLabel(s string) bool {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ":"))
	// Without lowering a copy: the test runs on the first cell of every row.
	for _, l := range totalLabels {
		if strings.EqualFold(s, l) {
			return true
		}
	}
	return false
}

var totalLabels = []string{"summe", "gesamt", "insgesamt", "gesamtsumme"}

// footnoteWords begin the footnotes staff write below a table.
var footnoteWords = []string{"quelle", "stand", "anmerkung", "hinweis", "fußnote", "fussnote", "erläuterung", "bemerkung"}

// isFootnote reports whether a cell reads like a footnote: it starts with a
// footnote word ("Quelle: …", "Stand 31.12.2024", "Anmerkungen"), an
// asterisk or superscript digit ("* vorläufig", "¹ geschätzt"), or a
// numbered mark ("1) …", "(2) …", "a) …").
func isFootnote(s string) bool {
	s = strings.TrimSpace(s)
	first, _ := utf8.DecodeRuneInString(s)
	if strings.ContainsRune("*¹²³⁴⁵⁶⁷⁸⁹†", first) {
		return true
	}
	lower := strings.ToLower(s)
	for _, w := range footnoteWords {
		if rest, ok := strings.CutPrefix(lower, w); ok {
			rest = strings.TrimLeft(rest, "ens") // plurals: Quellen, Hinweise, Anmerkungen
			next, _ := utf8.DecodeRuneInString(rest)
			if rest == "" || !unicode.IsLetter(next) {
				return true
			}
		}
	}
	mark := strings.TrimPrefix(s, "(")
	if i := strings.IndexByte(mark, ')'); i > 0 && i <= 2 {
		label := mark[:i]
		_, err := strconv.Atoi(label)
		return err == nil || (len(label) == 1 && label[0] >= 'a' && label[0] <= 'z')
	}
	return false
}

// number returns a typed numeric value as float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// sum adds floating-point numbers with Neumaier's compensation, so that the
// sum of a million amounts is still exact to the cent.
type sum struct{ s, c float64 }

func (k *sum) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

func (k sum) value() float64 { return k.s + k.c }
