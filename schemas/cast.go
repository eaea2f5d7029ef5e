package schemas

import (
	"fmt"
	"math"
	"regexp"
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
		styles: make([]numberStyle, len(s.TableFields)), uniques: map[int]valueSet{}, keys: valueSet{}}
	for fi := range s.TableFields {
		c.styles[fi] = newNumberStyle(&s.TableFields[fi], o.Decimal)
	}
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
		} else {
			// An optional column may be empty, not absent: rules hang on
			// them (Privatperson hides a name, Status keeps a rejected
			// application out of the sums), and a misspelt header would
			// otherwise publish an empty column without a word.
			rep.Errorf(pipeline.CodeMissingHeader, o.At(header.Line, 0, ""), "", fmt.Sprintf("eine Spalte „%s“", f.Title),
				"Die Spalte „%s“ fehlt in der Kopfzeile; fügen Sie sie hinzu (ihre Zellen dürfen leer bleiben)", f.Title)
			ok = false
		}
		if f.Constraints.Unique {
			c.uniques[fi] = valueSet{}
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
			c.uniques[c.pk[0]] = valueSet{}
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
	styles []numberStyle // how each field's text cells write numbers
	// uniques maps a field index to the rows of values seen.
	uniques map[int]valueSet
	pk      []int
	keys    valueSet
	rec     pipeline.Record
	// ambiguous is set once a field's ambiguous number was reported.
	ambiguous map[int]bool
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
			if first, dup := seen.add(valueKey(v), row.Line); dup {
				rep.Errorf(pipeline.CodeUnique, c.Pos(row, f.Name), shown(c.s.fields[fi], raw), "ein Wert, der nur einmal vorkommt",
					"Der Wert kommt schon in Zeile %d vor", first)
				ok = false
			}
		}
	}
	if len(c.pk) > 0 && c.keyComplete() {
		parts := make([]string, len(c.pk))
		for i, fi := range c.pk {
			parts[i] = fmt.Sprint(c.rec[fi])
		}
		k := strings.Join(parts, "\x00")
		if first, dup := c.keys.add(k, row.Line); dup {
			rep.Errorf(pipeline.CodeUnique, c.Pos(row, c.s.PrimaryKey[0]), strings.Join(parts, ", "),
				"jede Kombination aus "+c.titles(c.pk)+" nur einmal", "Die Kombination kommt schon in Zeile %d vor", first)
			ok = false
		}
	}
	return c.rec, ok
}

// keyComplete reports whether every field of the primary key has a value, so
// that a duplicate key is found even in a row with errors in other cells.
func (c *caster) keyComplete() bool {
	for _, fi := range c.pk {
		if c.rec[fi] == nil {
			return false
		}
	}
	return true
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
	v := cellText(raw)
	fail := func(code, expected, format string, args ...any) (any, *pipeline.Issue) {
		return nil, &pipeline.Issue{Code: code, Severity: pipeline.Error, Value: raw, Expected: expected, Message: fmt.Sprintf(format, args...)}
	}
	if c.s.missing[v] {
		if f.Constraints.Required {
			return fail(pipeline.CodeMissingCell, "ein Wert ("+c.typeName(fi)+")", "Pflichtfeld ist leer")
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
		n, ok := c.parseInt(fi, v)
		if !ok {
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Keine ganze Zahl")
		}
		out = n
	case "number":
		x, ok := c.parseNumber(fi, v)
		if !ok {
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Keine Zahl")
		}
		out = x
	case "boolean":
		b, ok := parseBool(f, v)
		if !ok {
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Kein Ja/Nein-Wert")
		}
		out = b
	case "date":
		d, res := c.parseDate(f, v)
		switch res {
		case noDate:
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Kein Datum")
		case noSuchDay:
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Dieses Datum gibt es im Kalender nicht")
		}
		out = d
	}
	if x, ok := numeric(out); ok {
		if m := f.Constraints.Minimum; m != nil && x < *m {
			return fail(pipeline.CodeConstraint, c.typeName(fi), "Der Wert ist kleiner als %s", fmtNum(*m))
		}
		if m := f.Constraints.Maximum; m != nil && x > *m {
			return fail(pipeline.CodeConstraint, c.typeName(fi), "Der Wert ist größer als %s", fmtNum(*m))
		}
	}
	if f.Type == "number" && c.o.Decimal == 0 && !c.ambiguous[fi] && ambiguousNumber.MatchString(v) {
		// Nothing in the file showed its convention: say once per column
		// how a number like 1,250 was read, so that a wrong guess is seen.
		if c.ambiguous == nil {
			c.ambiguous = map[int]bool{}
		}
		c.ambiguous[fi] = true
		return out, &pipeline.Issue{Code: pipeline.CodeAmbiguousNumber, Severity: pipeline.Warning, Value: raw,
			Expected: `eine eindeutige Zahl, oder in der Konfiguration numbers = "de" (1.250,50) bzw. "en" (1,250.50)`,
			Message: fmt.Sprintf("Die Zahl ist mehrdeutig; gelesen als %s nach der Schreibweise %s. Weitere solche Zahlen dieser Spalte werden ebenso gelesen",
				fmtNum(out.(float64)), c.styles[fi].example())}
	}
	return out, nil
}

// ambiguousNumber is a number with one separator before three digits: 1,250
// is 1250 in English and 1.25 in German, and 1.250 the other way round.
var ambiguousNumber = regexp.MustCompile(`^[-+]?\d{1,3}[.,]\d{3}$`)

var _ pipeline.TotalCaster = (*caster)(nil)

// CastTotal reads the numbers of a total row ("Summe") by the rules of their
// fields, without the checks of a data row: no required cells, no unique
// values or keys, no ranges, since a sum may well exceed a field's maximum.
// A cell that holds no number is a warning: the row is not published.
func (c *caster) CastTotal(row pipeline.Row, rep *pipeline.Report) pipeline.Record {
	rec := make(pipeline.Record, len(c.s.TableFields))
	for fi := range c.s.TableFields {
		f := &c.s.TableFields[fi]
		i := c.col[fi]
		if (f.Type != "number" && f.Type != "integer") || i < 0 || i >= len(row.Values) {
			continue
		}
		raw := row.Values[i]
		v := cellText(raw)
		if c.s.missing[v] {
			continue
		}
		var ok bool
		if f.Type == "integer" {
			rec[fi], ok = c.parseInt(fi, v)
		} else {
			rec[fi], ok = c.parseNumber(fi, v)
		}
		if !ok {
			rec[fi] = nil
			rep.Warnf(pipeline.CodeTypeError, c.Pos(row, f.Name), shown(c.s.fields[fi], raw), c.typeName(fi),
				"In der Summenzeile steht hier keine Zahl; die Summe wird nicht geprüft")
		}
	}
	return rec
}

// cellText is the text of a cell as it is compared and parsed: trimmed, with
// the no-break and thin spaces of copied figures turned into plain spaces.
func cellText(raw string) string {
	if strings.IndexByte(raw, 0xC2) < 0 && strings.IndexByte(raw, 0xE2) < 0 {
		// None of the spaces below (they start with these bytes in UTF-8):
		// most cells, without the replacer's cost per cell.
		return strings.TrimSpace(raw)
	}
	return strings.TrimSpace(spaces.Replace(raw))
}

var spaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ")

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
func (c *caster) typeName(fi int) string {
	f := &c.s.TableFields[fi]
	switch f.Type {
	case "integer":
		return "eine ganze Zahl" + rangeSuffix(f)
	case "number":
		return "eine Zahl wie " + c.styles[fi].example() + rangeSuffix(f)
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

// numberStyle is how the text cells of a field write numbers: the decimal
// separator, the separator of groups of three digits (0 for none; a space
// always works too), and the unit whose sign may stand before or after the
// number ("€", "EUR" for EUR; "%" for percent).
type numberStyle struct {
	decimal, group rune
	unit           string
}

// newNumberStyle returns the style of a field in a table whose numbers use
// the decimal separator decimal ('.' or ','; 0 for the field's own): the
// convention of the whole file wins over the field's, so "1.250" is read the
// same way in every column, and the other character groups.
func newNumberStyle(f *Field, decimal rune) numberStyle {
	st := numberStyle{decimal: []rune(f.DecimalChar)[0], unit: f.Unit}
	if f.GroupChar != "" {
		st.group = []rune(f.GroupChar)[0]
	}
	switch decimal {
	case ',':
		st.decimal, st.group = ',', '.'
	case '.':
		st.decimal, st.group = '.', ','
	}
	return st
}

func (st numberStyle) example() string {
	switch {
	case st.decimal == ',' && st.group == '.':
		return "1.250,50"
	case st.decimal == ',':
		return "1250,50"
	case st.group == ',':
		return "1,250.50"
	}
	return "1250.5"
}

// affixes returns the signs of the unit that a number may carry.
func (st numberStyle) affixes() []string {
	switch strings.ToUpper(st.unit) {
	case "EUR", "€":
		return []string{"€", "EUR"}
	case "%":
		return []string{"%"}
	}
	return nil
}

// body strips the sign and the unit from a number: "-1.250,50 €", "€ -12",
// "-€12" and "12,5 %" give "-" or "" and the digits with their separators.
// Only the field's own unit is accepted, so "12 €" in a percent column is no
// number rather than a silently different one.
func (st numberStyle) body(v string) (sign, body string) {
	sign, v = cutSign(v)
	affixes := st.affixes()
	for _, a := range affixes {
		if len(v) >= len(a) && strings.EqualFold(v[:len(a)], a) && a != "%" {
			v = strings.TrimSpace(v[len(a):])
			if sign == "" {
				sign, v = cutSign(v)
			}
			return sign, v
		}
	}
	for _, a := range affixes {
		if len(v) >= len(a) && strings.EqualFold(v[len(v)-len(a):], a) {
			return sign, strings.TrimSpace(v[:len(v)-len(a)])
		}
	}
	return sign, v
}

func cutSign(v string) (string, string) {
	for _, s := range []string{"-", "+", "−"} {
		if rest, ok := strings.CutPrefix(v, s); ok {
			if s == "+" {
				return "", rest
			}
			return "-", rest
		}
	}
	return "", v
}

// parseNumber reads text the way the style writes numbers. It is strict:
// groups have exactly three digits, so "1250.50" in a file with decimal
// commas is no number, never 125050.
func (st numberStyle) parseNumber(v string) (float64, bool) {
	sign, body := st.body(v)
	intPart, frac, hasFrac := strings.Cut(body, string(st.decimal))
	digits, ok := ungroup(intPart, st.group)
	if !ok {
		return 0, false
	}
	if hasFrac {
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return 0, false
		}
		digits += "." + frac
	}
	x, err := strconv.ParseFloat(sign+digits, 64)
	return x, err == nil && !math.IsInf(x, 0)
}

// parseInt reads a whole number the way the style writes numbers.
func (st numberStyle) parseInt(v string) (int64, bool) {
	sign, body := st.body(v)
	digits, ok := ungroup(body, st.group)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(sign+digits, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// ungroup removes the separators of groups of three digits from the integer
// part of a number: group, or spaces as in "1 250". Groups must have three
// digits.
func ungroup(s string, group rune) (string, bool) {
	if strings.Contains(s, " ") {
		group = ' '
	}
	if s == "" {
		return "", false
	}
	parts := []string{s}
	if group != 0 {
		parts = strings.Split(s, string(group))
	}
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return "", false
		}
		if len(parts) > 1 && ((i == 0 && len(p) > 3) || (i > 0 && len(p) != 3)) {
			return "", false
		}
	}
	return strings.Join(parts, ""), true
}

// plainNumber is how a typed spreadsheet cell holds a number.
func plainNumber(v string) (float64, bool) {
	x, err := strconv.ParseFloat(v, 64)
	return x, err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
}

// typedNumber returns the number a typed spreadsheet cell holds in plain
// notation. A value like "2.400" in a table whose text numbers use the
// decimal comma is German text typed by staff, meaning 2400: the workbook
// reader writes number cells of that shape with a trailing zero ("2.4000"),
// so only a text cell can look like this. In an integer column it is
// grouped thousands whatever the convention: a number cell 1 reads "1".
func (c *caster) typedNumber(fi int, v string) (float64, bool) {
	if !c.o.Typed {
		return 0, false
	}
	if groupedThousands.MatchString(v) && (c.styles[fi].decimal == ',' || c.s.TableFields[fi].Type == "integer") {
		return 0, false
	}
	return plainNumber(v)
}

var groupedThousands = regexp.MustCompile(`^[-+]?\d{1,3}(\.\d{3})+$`)

func (c *caster) parseInt(fi int, v string) (int64, bool) {
	if x, ok := c.typedNumber(fi, v); ok && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
		return int64(x), true
	}
	return c.styles[fi].parseInt(v)
}

func (c *caster) parseNumber(fi int, v string) (float64, bool) {
	if x, ok := c.typedNumber(fi, v); ok {
		return x, true
	}
	return c.styles[fi].parseNumber(v)
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

// dateResult says whether a text is a date.
type dateResult int

const (
	isDate    dateResult = iota
	noDate               // the text is written like no date
	noSuchDay            // written like a date, but not in the calendar: 31.02.2024
)

// dateFormats are tried after the field's own format, in this order.
var dateFormats = []string{"%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"}

// Serial day numbers that a text cell may hold: 20000 is 1954-10-03, 80000
// is 2119-01-11 (counted from 1900). Smaller or larger whole numbers in text
// are more likely years or amounts than dates.
const minTextSerial, maxTextSerial = 20000, 80000

// parseDate accepts the field's format first, then d.m.yyyy, d.m.yy and
// yyyy-mm-dd, then serial day numbers as spreadsheets count them: any in
// the cells of typed spreadsheets, in text only whole numbers from 20000 to
// 80000. Two-digit years 00–69 are 2000–2069, 70–99 are 1970–1999.
func (c *caster) parseDate(f *Field, v string) (time.Time, dateResult) {
	res := noDate
	formats := dateFormats
	switch f.Format {
	case "", "default", "any":
	default:
		formats = append([]string{f.Format}, dateFormats...)
	}
	for _, format := range formats {
		if d, ok := readDate(format, v); ok {
			if t, ok := d.date(); ok {
				return t, isDate
			}
			res = noSuchDay
		}
	}
	if res == noDate {
		if serial, ok := c.serial(v); ok {
			t, err := excelize.ExcelDateToTime(serial, c.o.Date1904)
			if err == nil {
				y, m, d := t.Date()
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), isDate
			}
		}
	}
	return time.Time{}, res
}

// serial returns the serial day number a cell holds, if it may be one.
func (c *caster) serial(v string) (float64, bool) {
	if c.o.Typed {
		x, ok := plainNumber(v)
		return x, ok && x >= 1 && x < 2958466
	}
	if len(v) != 5 || strings.Trim(v, "0123456789") != "" {
		return 0, false
	}
	n, _ := strconv.Atoi(v)
	return float64(n), n >= minTextSerial && n <= maxTextSerial
}

// ymd is a date as written, before it is checked against the calendar.
type ymd struct{ y, m, d int }

func (d ymd) date() (time.Time, bool) {
	t := time.Date(d.y, time.Month(d.m), d.d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == d.y && int(t.Month()) == d.m && t.Day() == d.d
}

// readDate reads v by a Table Schema date format: %Y is four digits, %y two
// (00–69 → 2000–2069, 70–99 → 1970–1999), %m and %d one or two; every other
// character stands for itself.
func readDate(format, v string) (ymd, bool) {
	d := ymd{m: 1, d: 1}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 == len(format) {
			if v == "" || v[0] != format[i] {
				return d, false
			}
			v = v[1:]
			continue
		}
		i++
		var n, w int
		switch format[i] {
		case 'Y':
			n, w = leadingDigits(v, 4, 4)
			d.y = n
		case 'y':
			n, w = leadingDigits(v, 2, 2)
			d.y = 2000 + n
			if n >= 70 {
				d.y = 1900 + n
			}
		case 'm':
			n, w = leadingDigits(v, 1, 2)
			d.m = n
		case 'd':
			n, w = leadingDigits(v, 1, 2)
			d.d = n
		}
		if w == 0 {
			return d, false
		}
		v = v[w:]
	}
	return d, v == ""
}

// leadingDigits reads the number in the first min to max digits of s, as
// many as there are; w is 0 when there are fewer than min.
func leadingDigits(s string, min, max int) (n, w int) {
	for w < max && w < len(s) && s[w] >= '0' && s[w] <= '9' {
		n = n*10 + int(s[w]-'0')
		w++
	}
	if w < min {
		return 0, 0
	}
	return n, w
}
