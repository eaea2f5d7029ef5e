package schemas

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// redacted stands in the report for the value of a non-public field.
const redacted = "(personenbezogen, nicht angezeigt)"

// Bind matches the header row to the fields: titles and names are compared
// after trimming and case folding. A missing required column is an error, an
// unknown column a warning; a nil Caster means the table cannot be read.
func (s *Schema) Bind(o pipeline.Origin, header pipeline.Row, refs map[string]pipeline.KeyResolver, rep *pipeline.Report) pipeline.Caster {
	c := &caster{s: s, o: o, col: make([]int, len(s.TableFields)), refs: make([]pipeline.KeyResolver, len(s.TableFields)),
		uniques: map[int]map[string]int{}, keys: map[string]int{}}
	byHeader := map[string]int{}
	used := map[int]bool{}
	for i, h := range header.Values {
		k := foldHeader(h)
		if k == "" {
			continue
		}
		if first, dup := byHeader[k]; dup {
			rep.Errorf(pipeline.CodeDuplicateHeader, o.At(header.Line, i+1, h), h, "jede Spaltenüberschrift nur einmal",
				"Die Spalte kommt doppelt vor (zuerst in Spalte %d)", first+1)
			used[i] = true
			continue
		}
		byHeader[k] = i
	}
	ok := true
	for fi, f := range s.TableFields {
		i, found := byHeader[foldHeader(f.Title)]
		if !found {
			i, found = byHeader[foldHeader(f.Name)]
		}
		c.col[fi] = -1
		if found {
			c.col[fi] = i
			used[i] = true
		} else if f.Constraints.Required {
			rep.Errorf(pipeline.CodeMissingHeader, o.At(header.Line, 0, ""), "", fmt.Sprintf("eine Spalte „%s“", f.Title),
				"Die Pflichtspalte „%s“ fehlt in der Kopfzeile", f.Title)
			ok = false
		}
		if f.Constraints.Unique {
			c.uniques[fi] = map[string]int{}
		}
	}
	for _, fk := range s.ForeignKeys {
		fi := pipeline.Index(s.fields, fk.Fields[0])
		r := refs[fk.Reference.Resource]
		if r == nil {
			rep.Errorf(pipeline.CodeForeignKey, o.At(header.Line, 0, ""), fk.Reference.Resource, "ein bekanntes Verzeichnis",
				"Das Schema verweist auf „%s“, das nicht geladen ist", fk.Reference.Resource)
			ok = false
			continue
		}
		c.refs[fi] = r
	}
	for _, k := range s.PrimaryKey {
		c.pk = append(c.pk, pipeline.Index(s.fields, k))
	}
	if len(c.pk) == 1 {
		// A one-field primary key is a unique constraint.
		if _, has := c.uniques[c.pk[0]]; !has {
			c.uniques[c.pk[0]] = map[string]int{}
		}
		c.pk = nil
	}
	for i, h := range header.Values {
		if !used[i] && strings.TrimSpace(h) != "" {
			rep.Warnf(pipeline.CodeExtraHeader, o.At(header.Line, i+1, h), h, "eine Spalte des Schemas "+s.Title,
				"Unbekannte Spalte, sie wird ignoriert")
		}
	}
	if !ok {
		return nil
	}
	c.header = append([]string(nil), header.Values...) // readers reuse their row slices
	return c
}

// foldHeader normalises a header for matching: trimmed, case folded, inner
// white space collapsed.
func foldHeader(h string) string {
	return strings.Join(strings.Fields(strings.ToLower(h)), " ")
}

// caster casts the rows of one table bound to a schema.
type caster struct {
	s      *Schema
	o      pipeline.Origin
	header []string
	col    []int // input column of each field, -1 when absent
	refs   []pipeline.KeyResolver
	// uniques maps a field index to the rows of values seen.
	uniques map[int]map[string]int
	pk      []int
	keys    map[string]int
	rec     pipeline.Record
}

// Pos returns the position of the named field in row.
func (c *caster) Pos(row pipeline.Row, field string) pipeline.Pos {
	fi := pipeline.Index(c.s.fields, field)
	if fi < 0 || c.col[fi] < 0 {
		return c.o.At(row.Line, 0, "")
	}
	return c.o.At(row.Line, c.col[fi]+1, c.header[c.col[fi]])
}

func (c *caster) Cast(row pipeline.Row, rep *pipeline.Report) (pipeline.Record, bool) {
	if blank(row.Values) {
		rep.Warnf(pipeline.CodeBlankRow, c.o.At(row.Line, 0, ""), "", "", "Leere Zeile, sie wird übersprungen")
		return nil, false
	}
	if c.rec == nil {
		c.rec = make(pipeline.Record, len(c.s.TableFields))
	}
	ok := true
	for fi := range c.s.TableFields {
		f := &c.s.TableFields[fi]
		raw := ""
		if i := c.col[fi]; i >= 0 && i < len(row.Values) {
			raw = row.Values[i]
		}
		v, issue := c.castField(f, fi, raw)
		c.rec[fi] = v
		if issue != nil {
			issue.Pos = c.Pos(row, f.Name)
			if !c.s.fields[fi].Public && issue.Value != "" {
				issue.Value = redacted
			}
			rep.Add(*issue)
			ok = ok && issue.Severity != pipeline.Error
			continue
		}
		if seen := c.uniques[fi]; seen != nil && v != nil {
			k := fmt.Sprint(v)
			if first, dup := seen[k]; dup {
				rep.Errorf(pipeline.CodeUnique, c.Pos(row, f.Name), shown(c.s.fields[fi], raw), "ein Wert, der nur einmal vorkommt",
					"Der Wert kommt schon in Zeile %d vor", first)
				ok = false
			} else {
				seen[k] = row.Line
			}
		}
	}
	if len(c.pk) > 0 && ok {
		parts := make([]string, len(c.pk))
		for i, fi := range c.pk {
			parts[i] = fmt.Sprint(c.rec[fi])
		}
		k := strings.Join(parts, "\x00")
		if first, dup := c.keys[k]; dup {
			rep.Errorf(pipeline.CodeUnique, c.Pos(row, c.s.PrimaryKey[0]), strings.Join(parts, ", "),
				"jede Kombination aus "+c.titles(c.pk)+" nur einmal", "Die Kombination kommt schon in Zeile %d vor", first)
			ok = false
		} else {
			c.keys[k] = row.Line
		}
	}
	return c.rec, ok
}

func (c *caster) titles(idx []int) string {
	t := make([]string, len(idx))
	for i, fi := range idx {
		t[i] = "„" + c.s.TableFields[fi].Title + "“"
	}
	return strings.Join(t, " und ")
}

func blank(vals []string) bool {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func shown(f pipeline.Field, raw string) string {
	if !f.Public {
		return redacted
	}
	return raw
}

// castField casts one raw cell. The issue it returns has no position yet.
func (c *caster) castField(f *Field, fi int, raw string) (any, *pipeline.Issue) {
	v := strings.TrimSpace(strings.ReplaceAll(raw, "\u00a0", " "))
	fail := func(code, expected, format string, args ...any) (any, *pipeline.Issue) {
		return nil, &pipeline.Issue{Code: code, Severity: pipeline.Error, Value: raw, Expected: expected, Message: fmt.Sprintf(format, args...)}
	}
	if c.s.missing[v] {
		if f.Constraints.Required {
			return fail(pipeline.CodeMissingCell, "ein Wert ("+typeName(f)+")", "Pflichtfeld ist leer")
		}
		return nil, nil
	}
	var out any
	switch f.Type {
	case "string":
		s := v
		if len(f.Constraints.Enum) > 0 {
			canon, found := enumValue(f.Constraints.Enum, s)
			if !found {
				return fail(pipeline.CodeConstraint, "einer der Werte "+strings.Join(f.Constraints.Enum, ", "), "Unzulässiger Wert")
			}
			s = canon
		}
		if f.pattern != nil && !f.pattern.MatchString(s) {
			return fail(pipeline.CodeConstraint, "ein Wert nach dem Muster "+f.Constraints.Pattern, "Der Wert passt nicht zum vorgeschriebenen Muster")
		}
		if r := c.refs[fi]; r != nil {
			key, hint, ok := r.Resolve(s)
			if !ok {
				return fail(pipeline.CodeForeignKey, "ein Code oder Name aus dem Register der Aktionsräume", "Unbekannter Aktionsraum; %s", hint)
			}
			s = key
		}
		out = s
	case "integer":
		n, ok := c.parseInt(f, v)
		if !ok {
			return fail(pipeline.CodeTypeError, typeName(f), "Keine ganze Zahl")
		}
		out = n
	case "number":
		x, ok := c.parseNumber(f, v)
		if !ok {
			return fail(pipeline.CodeTypeError, typeName(f), "Keine Zahl")
		}
		out = x
	case "boolean":
		b, ok := parseBool(f, v)
		if !ok {
			return fail(pipeline.CodeTypeError, typeName(f), "Kein Ja/Nein-Wert")
		}
		out = b
	case "date":
		d, ok := c.parseDate(f, v)
		if !ok {
			return fail(pipeline.CodeTypeError, typeName(f), "Kein Datum")
		}
		out = d
	}
	if x, ok := numeric(out); ok {
		if m := f.Constraints.Minimum; m != nil && x < *m {
			return fail(pipeline.CodeConstraint, typeName(f), "Der Wert ist kleiner als %s", fmtNum(*m))
		}
		if m := f.Constraints.Maximum; m != nil && x > *m {
			return fail(pipeline.CodeConstraint, typeName(f), "Der Wert ist größer als %s", fmtNum(*m))
		}
	}
	return out, nil
}

func enumValue(enum []string, s string) (string, bool) {
	for _, e := range enum {
		if strings.EqualFold(e, s) {
			return e, true
		}
	}
	return "", false
}

func numeric(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// typeName says in German what a cell of the field must hold.
func typeName(f *Field) string {
	switch f.Type {
	case "integer":
		return "eine ganze Zahl" + rangeSuffix(f)
	case "number":
		example := "1250.5"
		if f.DecimalChar == "," {
			example = "1.250,50"
		}
		return "eine Zahl wie " + example + rangeSuffix(f)
	case "boolean":
		return "ja oder nein (" + strings.Join(f.TrueValues, ", ") + " / " + strings.Join(f.FalseValues, ", ") + ")"
	case "date":
		return "ein Datum wie " + time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC).Format(f.layout)
	}
	return "ein Text"
}

func rangeSuffix(f *Field) string {
	lo, hi := f.Constraints.Minimum, f.Constraints.Maximum
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf(" von %s bis %s", fmtNum(*lo), fmtNum(*hi))
	case lo != nil:
		return fmt.Sprintf(" ab %s", fmtNum(*lo))
	case hi != nil:
		return fmt.Sprintf(" bis %s", fmtNum(*hi))
	}
	return ""
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// plainNumber is how a typed spreadsheet cell holds a number.
func plainNumber(v string) (float64, bool) {
	x, err := strconv.ParseFloat(v, 64)
	return x, err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
}

func (c *caster) parseInt(f *Field, v string) (int64, bool) {
	if c.o.Typed {
		if x, ok := plainNumber(v); ok && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	}
	digits, ok := ungroup(v, f.GroupChar)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

func (c *caster) parseNumber(f *Field, v string) (float64, bool) {
	if c.o.Typed {
		if x, ok := plainNumber(v); ok {
			return x, true
		}
	}
	intPart, frac, hasFrac := strings.Cut(v, f.DecimalChar)
	digits, ok := ungroup(intPart, f.GroupChar)
	if !ok {
		return 0, false
	}
	if hasFrac {
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return 0, false
		}
		digits += "." + frac
	}
	x, err := strconv.ParseFloat(digits, 64)
	return x, err == nil && !math.IsInf(x, 0)
}

// ungroup removes group separators from the integer part of a number. Groups
// must have three digits, so "1250.50" in a file with "." as group separator
// is an error, never 125050.
func ungroup(s, group string) (string, bool) {
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
	}
	if s == "" {
		return "", false
	}
	parts := []string{s}
	if group != "" {
		parts = strings.Split(s, group)
	}
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return "", false
		}
		if len(parts) > 1 && ((i == 0 && len(p) > 3) || (i > 0 && len(p) != 3)) {
			return "", false
		}
	}
	return sign + strings.Join(parts, ""), true
}

func parseBool(f *Field, v string) (bool, bool) {
	for _, t := range f.TrueValues {
		if strings.EqualFold(t, v) {
			return true, true
		}
	}
	for _, t := range f.FalseValues {
		if strings.EqualFold(t, v) {
			return false, true
		}
	}
	return false, false
}

// parseDate accepts the field's format, ISO dates, and in typed spreadsheets
// serial day numbers.
func (c *caster) parseDate(f *Field, v string) (time.Time, bool) {
	for _, layout := range []string{f.layout, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	if c.o.Typed {
		if x, ok := plainNumber(v); ok && x >= 1 && x < 2958466 {
			t, err := excelize.ExcelDateToTime(x, c.o.Date1904)
			if err == nil {
				y, m, d := t.Date()
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
			}
		}
	}
	return time.Time{}, false
}
