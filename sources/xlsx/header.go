package xlsx

import (
	"strings"

	"aktionsplan/pipeline"
)

// headerSearch is how many rows at the top of a sheet may hold the header:
// titles, a logo row and notes above it.
const headerSearch = 30

// rawRow is a row as excelize streams it, before merged values are filled.
type rawRow struct {
	line   int
	values []string
}

// matcher tells which headers name a field of the schema: a field's title
// or name, after trimming and case folding, as the schema binds them.
type matcher struct {
	fields map[string]int // folded header → field index
	n      int
	types  []string // type of each field
}

func newMatcher(fields []pipeline.Field) matcher {
	m := matcher{fields: map[string]int{}, n: len(fields)}
	for _, f := range fields {
		m.types = append(m.types, f.Type)
	}
	for i, f := range fields {
		for _, h := range []string{f.Title, f.Name} {
			if k := foldHeader(h); k != "" {
				m.fields[k] = i
			}
		}
	}
	return m
}

// foldHeader normalises a header for matching: trimmed, case folded, inner
// white space (line breaks in a header cell too) collapsed.
func foldHeader(h string) string {
	return strings.Join(strings.Fields(strings.ToLower(h)), " ")
}

func (m matcher) has(h string) bool {
	_, ok := m.fields[foldHeader(h)]
	return ok
}

// numeric returns the 1-based columns whose header names a number or
// integer field; nil when no schema is known (then every column counts).
func (m matcher) numeric(headers []string) map[int]bool {
	if m.n == 0 {
		return nil
	}
	cols := map[int]bool{}
	for c, h := range headers {
		if i, ok := m.fields[foldHeader(h)]; ok && (m.types[i] == "number" || m.types[i] == "integer") {
			cols[c+1] = true
		}
	}
	return cols
}

// score is the number of fields that the headers name.
func (m matcher) score(headers []string) int {
	seen := map[int]bool{}
	for _, h := range headers {
		if i, ok := m.fields[foldHeader(h)]; ok {
			seen[i] = true
		}
	}
	return len(seen)
}

// enough reports whether a row naming score fields is the schema's header:
// at least a third of the fields and at least two, so that a title, a
// filter line above the table ("Aktionsraum: Hörde") or a summary with a
// few of the columns is not taken for it, while a header that lacks some
// optional columns is.
func (m matcher) enough(score int) bool {
	return m.n > 0 && score >= max(min(2, m.n), (m.n+2)/3)
}

// header is the header found in a sheet: one row, or two rows whose cells
// are joined (a merged group cell above its sub-headers).
type header struct {
	first, last int // lines
	values      []string
	score       int
}

// better reports whether h is to be preferred to o: more fields named, then
// one row rather than two, then higher up.
func (h header) better(o header) bool {
	if h.score != o.score {
		return h.score > o.score
	}
	if h.last-h.first != o.last-o.first {
		return h.last-h.first < o.last-o.first
	}
	return h.first < o.first
}

// findHeader returns the header among rows, the first rows of a sheet from
// line 1 on: the row, or pair of rows, that names most fields. ok is false
// when none names enough of them.
func findHeader(rows []rawRow, m matcher, l *layout) (best header, ok bool) {
	limit := min(len(rows), headerSearch)
	for i := 0; i < limit; i++ {
		if blankValues(rows[i].values) {
			continue
		}
		candidates := []header{{first: rows[i].line, last: rows[i].line, values: rows[i].values}}
		if i+1 < len(rows) && !blankValues(rows[i+1].values) {
			candidates = append(candidates, header{first: rows[i].line, last: rows[i+1].line, values: joinRows(rows, i, m, l)})
		}
		for _, c := range candidates {
			c.score = m.score(c.values)
			if !ok || c.better(best) {
				best, ok = c, true
			}
		}
	}
	return best, ok && m.enough(best.score)
}

// joinRows joins the cells of rows i and i+1 into one header per column. A
// cell merged over both rows ("Projekt-Nr" over two rows) gives its value;
// a group cell merged over several columns ("Betrag (EUR)") is joined with
// each sub-header below it ("Bewilligt"), in the way that names a field of
// the schema ("Bewilligt (EUR)"), else as "Betrag (EUR) Bewilligt".
func joinRows(rows []rawRow, i int, m matcher, l *layout) []string {
	up, lo := rows[i], rows[i+1]
	width := max(len(up.values), len(lo.values))
	if l != nil {
		for _, a := range l.merges {
			if a.top <= lo.line && a.bottom >= up.line {
				width = max(width, a.right)
			}
		}
	}
	out := make([]string, width)
	for c := 1; c <= width; c++ {
		u, um := resolved(rows, up.line, c, l)
		v, vm := resolved(rows, lo.line, c, l)
		if um != nil && vm != nil && *um == *vm {
			out[c-1] = u // one cell merged over both rows
			continue
		}
		out[c-1] = joinHeader(u, v, m)
	}
	return out
}

// example returns a joined header of a two-row header, for the note.
func example(top []rawRow, h header) string {
	for c, v := range h.values {
		if up, lo := valueAt(top, h.first, c+1), valueAt(top, h.last, c+1); up != "" && lo != "" && v != up {
			return v
		}
	}
	for _, v := range h.values {
		if v != "" {
			return v
		}
	}
	return ""
}

// resolved returns the value of the cell, taken from the first cell of its
// merged range, and the range.
func resolved(rows []rawRow, line, col int, l *layout) (string, *area) {
	if a, ok := l.mergeAt(line, col); ok {
		return strings.TrimSpace(valueAt(rows, a.top, a.left)), &a
	}
	return strings.TrimSpace(valueAt(rows, line, col)), nil
}

func valueAt(rows []rawRow, line, col int) string {
	if line < 1 || line > len(rows) {
		return ""
	}
	v := rows[line-1].values
	if col < 1 || col > len(v) {
		return ""
	}
	return v[col-1]
}

// joinHeader joins an upper and a lower header cell: the lower alone when
// it names a field, else the first of "upper lower", "lower upper",
// "lower (upper)", "upper (lower)" and the lower with the unit in brackets
// of the upper ("Bewilligt" below "Betrag (EUR)") that names one, else
// "upper lower".
func joinHeader(upper, lower string, m matcher) string {
	switch {
	case lower == "":
		return upper
	case upper == "":
		return lower
	}
	candidates := []string{lower, upper + " " + lower, lower + " " + upper, lower + " (" + upper + ")", upper + " (" + lower + ")"}
	if i := strings.LastIndex(upper, "("); i >= 0 && strings.HasSuffix(upper, ")") {
		candidates = append(candidates, lower+" "+upper[i:])
	}
	for _, c := range candidates {
		if m.has(c) {
			return c
		}
	}
	return upper + " " + lower
}

func blankValues(values []string) bool {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}
