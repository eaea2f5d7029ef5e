package schemas

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
		styles: make([]numberStyle, len(s.TableFields)), uniques: make([]*valueSet, len(s.TableFields)),
		resolved: make([]*resolutions, len(s.TableFields)), numbers: make([]int32, len(s.TableFields))}
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
			c.uniques[fi] = &valueSet{}
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
		c.resolved[fi] = &resolutions{index: map[string]int32{}, last: -1}
	}
	for _, k := range s.PrimaryKey {
		c.pk = append(c.pk, pipeline.Index(s.fields, k))
	}
	if len(c.pk) == 1 {
		// A one-field primary key is a unique constraint.
		if c.uniques[c.pk[0]] == nil {
			c.uniques[c.pk[0]] = &valueSet{}
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
	// uniques holds the values seen of each unique field, nil for the
	// others.
	uniques []*valueSet
	pk      []int
	keys    valueSet
	keyBuf  []byte // the text of a value or key being hashed
	rec     pipeline.Record
	// ambiguous is set once a field's ambiguous number was reported.
	ambiguous map[int]bool
	// resolved remembers, for each field with a foreign key, how its
	// values resolved (nil for the other fields), and years, dates
	// and floats hold recent values boxed: a ledger repeats its areas,
	// years, dates and amounts on row after row, and each would otherwise
	// cost a look-up in the register, or an allocation, per cell.
	resolved []*resolutions
	// numbers holds, for each field with a foreign key, the number its
	// resolver gave the key in the record last cast, -1 for none.
	numbers []int32
	years   [64]intBox
	dates   [1024]dateBox
	floats  [256]numberBox
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
		if c.refs[fi] != nil {
			c.numbers[fi] = -1
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
			if first, dup := seen.addHash(c.hashValue(v), row.Line); dup {
				rep.Errorf(pipeline.CodeUnique, c.Pos(row, f.Name), shown(c.s.fields[fi], raw), "ein Wert, der nur einmal vorkommt",
					"Der Wert kommt schon in Zeile %d vor", first)
				ok = false
			}
		}
	}
	if len(c.pk) > 0 && c.keyComplete() {
		// The key is hashed as its parts joined by NUL bytes, without
		// building the text.
		h := uint64(offset64)
		for i, fi := range c.pk {
			if i > 0 {
				h = hashAppend(h, "\x00")
			}
			h = hashAppend(h, c.keyText(c.rec[fi]))
		}
		if first, dup := c.keys.addHash(h, row.Line); dup {
			parts := make([]string, len(c.pk))
			for i, fi := range c.pk {
				parts[i] = valueKey(c.rec[fi])
			}
			rep.Errorf(pipeline.CodeUnique, c.Pos(row, c.s.PrimaryKey[0]), strings.Join(parts, ", "),
				"jede Kombination aus "+c.titles(c.pk)+" nur einmal", "Die Kombination kommt schon in Zeile %d vor", first)
			ok = false
		}
	}
	return c.rec, ok
}

var _ pipeline.KeyNumberer = (*caster)(nil)

// KeyNumber returns the number that a pipeline.NumberedResolver gave the key
// of the field numbered fi in the record last cast.
func (c *caster) KeyNumber(fi int) (int32, bool) {
	if fi < 0 || fi >= len(c.numbers) || c.refs[fi] == nil {
		return 0, false
	}
	if n := c.numbers[fi]; n >= 0 {
		return n, true
	}
	return 0, false
}

// hashValue is the hash of a value's text, as valueKey writes it.
func (c *caster) hashValue(v any) uint64 {
	if s, ok := v.(string); ok {
		return hashString(s)
	}
	return hashAppend(offset64, c.keyText(v))
}

// keyText writes the text of a value, as valueKey does, into a buffer that
// the next call reuses.
func (c *caster) keyText(v any) []byte {
	c.keyBuf = appendKey(c.keyBuf[:0], v)
	return c.keyBuf
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
	if c.s.isMissing(v) {
		if f.Constraints.Required {
			return fail(pipeline.CodeMissingCell, "ein Wert ("+c.typeName(fi)+")", "Pflichtfeld ist leer")
		}
		return nil, nil
	}
	var out any
	switch f.Type {
	case "string":
		// box is the value as the record holds it, where one is kept.
		s, box := v, any(nil)
		if len(f.Constraints.Enum) > 0 {
			i := f.enumFold.index(s)
			if i < 0 {
				return fail(pipeline.CodeConstraint, "einer der Werte "+strings.Join(f.Constraints.Enum, ", "), "Unzulässiger Wert")
			}
			s, box = f.Constraints.Enum[i], f.enum[i]
		}
		if f.pattern != nil && !f.pattern.MatchString(s) {
			return fail(pipeline.CodeConstraint, "ein Wert nach dem Muster "+f.Constraints.Pattern, "Der Wert passt nicht zum vorgeschriebenen Muster")
		}
		if r := c.refs[fi]; r != nil {
			res := c.resolve(fi, r, s)
			if !res.ok {
				return fail(pipeline.CodeForeignKey, "ein Code oder Name aus dem Register der Aktionsräume", "Unbekannter Aktionsraum; %s", res.hint)
			}
			box = res.key
			c.numbers[fi] = res.number
		}
		if box == nil {
			box = s
		}
		out = box
	case "integer":
		n, ok := c.parseInt(fi, v)
		if !ok {
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Keine ganze Zahl")
		}
		out = c.boxInt(n)
	case "number":
		x, ok := c.parseNumber(fi, v)
		if !ok {
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Keine Zahl")
		}
		out = c.boxNumber(x)
	case "boolean":
		b, ok := parseBool(f, v)
		if !ok {
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Kein Ja/Nein-Wert")
		}
		out = b
	case "date":
		d, res := c.parseDay(f, v)
		switch res {
		case noDate:
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Kein Datum")
		case noSuchDay:
			return fail(pipeline.CodeTypeError, c.typeName(fi), "Dieses Datum gibt es im Kalender nicht")
		}
		out = c.boxDate(d)
	}
	if lo, hi := f.Constraints.Minimum, f.Constraints.Maximum; lo != nil || hi != nil {
		x, ok := numeric(out)
		if ok && lo != nil && x < *lo {
			return fail(pipeline.CodeConstraint, c.typeName(fi), "Der Wert ist kleiner als %s", fmtNum(*lo))
		}
		if ok && hi != nil && x > *hi {
			return fail(pipeline.CodeConstraint, c.typeName(fi), "Der Wert ist größer als %s", fmtNum(*hi))
		}
	}
	if f.Type == "number" && c.o.Decimal == 0 && !c.ambiguous[fi] && ambiguousNumber(v) {
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

// ambiguousNumber reports whether v is a number with one separator before
// three digits (`^[-+]?\d{1,3}[.,]\d{3}$`): 1,250 is 1250 in English and
// 1.25 in German, and 1.250 the other way round.
func ambiguousNumber(v string) bool {
	v = cutASCIISign(v)
	i := strings.IndexAny(v, ".,")
	return i >= 1 && i <= 3 && len(v) == i+4 && allDigits(v[:i]) && allDigits(v[i+1:])
}

// groupedThousands reports whether v is a whole number in groups of three
// digits split by points (`^[-+]?\d{1,3}(\.\d{3})+$`), as "2.400".
func groupedThousands(v string) bool {
	v = cutASCIISign(v)
	i := strings.IndexByte(v, '.')
	if i < 1 || i > 3 || !allDigits(v[:i]) || (len(v)-i)%4 != 0 {
		return false
	}
	for g := v[i:]; g != ""; g = g[4:] {
		if g[0] != '.' || !allDigits(g[1:4]) {
			return false
		}
	}
	return true
}

func cutASCIISign(v string) string {
	if v != "" && (v[0] == '-' || v[0] == '+') {
		return v[1:]
	}
	return v
}

// allDigits reports whether s holds ASCII digits only; "" does.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

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
		if c.s.isMissing(v) {
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
	if hasSpecialSpace(raw) {
		return strings.TrimSpace(spaces.Replace(raw))
	}
	if raw != "" && isVisibleASCII(raw[0]) && isVisibleASCII(raw[len(raw)-1]) {
		// Nothing to trim: most cells.
		return raw
	}
	return strings.TrimSpace(raw)
}

// hasSpecialSpace reports whether s holds one of the spaces that spaces
// replaces. Most cells are ASCII through and through: a tight pass, eight
// bytes at a time and the last eight at once, finds that, and only the bytes
// from the first other one on are searched for the spaces.
func hasSpecialSpace(s string) bool {
	i := 0
	for i+8 <= len(s) && ascii8(s[i:i+8]) {
		i += 8
	}
	if i+8 > len(s) && len(s) >= 8 && ascii8(s[len(s)-8:]) {
		// The last eight bytes cover the rest.
		return false
	}
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	for ; i+1 < len(s); i++ {
		switch {
		case s[i] == 0xC2 && s[i+1] == 0xA0: // U+00A0
			return true
		case s[i] == 0xE2 && s[i+1] == 0x80 && i+2 < len(s) && (s[i+2] == 0xAF || s[i+2] == 0x89): // U+202F, U+2009
			return true
		}
	}
	return false
}

// ascii8 reports whether the eight bytes of w are ASCII, in one test.
func ascii8(w string) bool {
	return pipeline.Load64(w)&0x8080808080808080 == 0
}

// isVisibleASCII reports whether c is an ASCII character that is no white
// space, which strings.TrimSpace keeps.
func isVisibleASCII(c byte) bool { return c > ' ' && c < utf8.RuneSelf }

var spaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ")

// foldList is a list of texts that a cell matches in any case, the first
// match winning: the values of an enum, or the true values of a boolean
// followed by its false ones.
type foldList struct {
	values []string
	// first holds for each value the index of the first value that
	// equals it in any case, the match of a cell written exactly like it.
	first []int
}

func newFoldList(values ...[]string) foldList {
	var l foldList
	for _, vs := range values {
		l.values = append(l.values, vs...)
	}
	l.first = make([]int, len(l.values))
	for j, v := range l.values {
		l.first[j] = slices.IndexFunc(l.values, func(w string) bool { return strings.EqualFold(v, w) })
	}
	return l
}

// index returns the index of the first value that s equals in any case, or
// -1. Cells mostly hold a value exactly as the schema writes it, which a
// comparison finds faster than case folding.
func (l foldList) index(s string) int {
	for j, v := range l.values {
		if v == s {
			return l.first[j]
		}
	}
	for i, v := range l.values {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}

// resolution is how a value of a foreign key field resolved.
type resolution struct {
	key    any // the key, boxed as records hold it
	hint   string
	number int32 // of the key, by a pipeline.NumberedResolver; -1 for none
	ok     bool
}

// maxResolved bounds the values whose resolution a caster remembers per
// field: a column of that many different area names is no ledger, and
// reading it must not grow without bound.
const maxResolved = 1 << 16

// resolutions remembers how the values of one foreign key field resolved.
type resolutions struct {
	index map[string]int32 // position of each value in seen
	seen  []resolved       // in the order the values were first seen
	// last is the position in seen of the value resolved last, -1 for
	// none.
	last int32
}

// resolved is a value of a foreign key field and how it resolved.
type resolved struct {
	value string
	res   resolution
}

// resolve resolves s by r, or remembers how it resolved before: a resolver
// maps a value the same way every time, since the register does not change
// while a table is read, and its look-up folds and sorts the parts of the
// name for every call.
//
// Before the map, it tries the value of the row before and the value first
// seen after that one: tables are mostly sorted by area, or by a project
// number that starts with the year and the area, so that a row names the
// area of the row before, or the next one in the order of the first pass
// over the areas. Those two comparisons cost less than the map's hashing
// and, in a register of thousands of areas, its misses of the processor's
// caches.
func (c *caster) resolve(fi int, r pipeline.KeyResolver, s string) resolution {
	m := c.resolved[fi]
	if i := int(m.last); i >= 0 {
		if m.seen[i].value == s {
			return m.seen[i].res
		}
		if i+1 < len(m.seen) && m.seen[i+1].value == s {
			m.last++
			return m.seen[i+1].res
		}
	}
	if i, ok := m.index[s]; ok {
		m.last = i
		return m.seen[i].res
	}
	key, number, hint, ok := "", int32(-1), "", false
	if nr, numbered := r.(pipeline.NumberedResolver); numbered {
		key, number, hint, ok = nr.ResolveNumber(s)
	} else {
		key, hint, ok = r.Resolve(s)
	}
	res := resolution{key: key, hint: hint, number: number, ok: ok}
	if len(m.seen) < maxResolved {
		// A cell is a slice of its whole line: keep only its text.
		s = strings.Clone(s)
		m.last = int32(len(m.seen))
		m.index[s] = m.last
		m.seen = append(m.seen, resolved{s, res})
	}
	return res
}

// intBox is a whole number boxed as records hold it.
type intBox struct {
	n int64
	v any // nil for an empty slot
}

// boxInt returns n as records hold it, without allocating for a number seen
// recently (a year, a count that repeats).
func (c *caster) boxInt(n int64) any {
	b := &c.years[uint64(n)%uint64(len(c.years))]
	if b.v == nil || b.n != n {
		*b = intBox{n, n}
	}
	return b.v
}

// numberBox is a number boxed as records hold it.
type numberBox struct {
	bits uint64 // of the float64
	v    any    // nil for an empty slot
}

// boxNumber returns x as records hold it, without allocating for a number
// seen recently: the paid amount of a row mostly repeats its approved one,
// and shares and rates with one decimal take few values.
func (c *caster) boxNumber(x float64) any {
	bits := math.Float64bits(x)
	// The top bits of the bits multiplied by the golden ratio mix the
	// digits of the fraction into the slot.
	b := &c.floats[(bits*0x9E3779B97F4A7C15)>>56]
	if b.v == nil || b.bits != bits {
		*b = numberBox{bits, x}
	}
	return b.v
}

// dateBox is a date boxed as records hold it.
type dateBox struct {
	key int32 // yyyymmdd
	v   any   // nil for an empty slot
}

// boxDate returns the date d as records hold it; a date seen recently
// costs neither the calendar's arithmetic nor an allocation. Consecutive
// days have consecutive slots, so the dates of almost three years share none.
func (c *caster) boxDate(d ymd) any {
	key := int32(d.y*10000 + d.m*100 + d.d)
	b := &c.dates[uint(d.y*372+d.m*31+d.d)%uint(len(c.dates))]
	if b.v == nil || b.key != key {
		t, _ := d.date()
		*b = dateBox{key, t}
	}
	return b.v
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
	switch {
	case strings.EqualFold(st.unit, "EUR") || st.unit == "€":
		return euroAffixes
	case st.unit == "%":
		return percentAffixes
	}
	return nil
}

var (
	euroAffixes    = []string{"€", "EUR"}
	percentAffixes = []string{"%"}
)

// body strips the sign and the unit from a number: "-1.250,50 €", "€ -12",
// "-€12" and "12,5 %" give "-" or "" and the digits with their separators.
// Only the field's own unit is accepted, so "12 €" in a percent column is no
// number rather than a silently different one.
func (st numberStyle) body(v string) (sign, body string) {
	sign, v = cutSign(v)
	if v == "" || (isDigit(v[0]) && isDigit(v[len(v)-1])) {
		// No unit sign can stand before or after: most cells.
		return sign, v
	}
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

// cutSign cuts the sign "-", "+" or "−" (U+2212, as typeset figures write
// it) from v and returns "-" for a negative number.
func cutSign(v string) (string, string) {
	switch {
	case v == "":
	case v[0] == '-':
		return "-", v[1:]
	case v[0] == '+':
		return "", v[1:]
	case strings.HasPrefix(v, "−"):
		return "-", v[len("−"):]
	}
	return "", v
}

// parseNumber reads text the way the style writes numbers. It is strict:
// groups have exactly three digits, so "1250.50" in a file with decimal
// commas is no number, never 125050.
func (st numberStyle) parseNumber(v string) (float64, bool) {
	sign, body := st.body(v)
	intPart, frac, hasFrac := cutRune(body, st.decimal)
	var buf [24]byte
	digits, ok := appendUngrouped(buf[:0], intPart, st.group)
	if !ok {
		return 0, false
	}
	if hasFrac {
		if frac == "" || !allDigits(frac) {
			return 0, false
		}
		digits = append(digits, frac...)
	}
	return decimalNumber(sign == "-", digits, len(frac))
}

// parseInt reads a whole number the way the style writes numbers.
func (st numberStyle) parseInt(v string) (int64, bool) {
	sign, body := st.body(v)
	var buf [24]byte
	digits, ok := appendUngrouped(buf[:0], body, st.group)
	if !ok {
		return 0, false
	}
	if len(digits) <= 18 {
		// Below 10¹⁸: no overflow possible.
		var n int64
		for _, d := range digits {
			n = n*10 + int64(d-'0')
		}
		if sign == "-" {
			n = -n
		}
		return n, true
	}
	n, err := strconv.ParseInt(sign+string(digits), 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// appendUngrouped appends to b the digits of s, the integer part of a
// number, without the separators of groups of three digits: group, or
// spaces as in "1 250". Groups must have three digits.
func appendUngrouped(b []byte, s string, group rune) ([]byte, bool) {
	if s != "" && allDigits(s) && (group >= utf8.RuneSelf || !isDigit(byte(group))) {
		// Without separators: most numbers.
		return append(b, s...), true
	}
	if strings.IndexByte(s, ' ') >= 0 {
		group = ' '
	}
	if s == "" {
		return b, false
	}
	if group == 0 {
		return append(b, s...), allDigits(s)
	}
	for first := true; ; first = false {
		p, rest, more := cutRune(s, group)
		if p == "" || !allDigits(p) {
			return b, false
		}
		if (more || !first) && ((first && len(p) > 3) || (!first && len(p) != 3)) {
			return b, false
		}
		b = append(b, p...)
		if !more {
			return b, true
		}
		s = rest
	}
}

// cutRune is strings.Cut with a separator of one character. Numbers are
// short: a loop over their bytes beats the set-up of a vectorised search.
func cutRune(s string, sep rune) (before, after string, found bool) {
	if sep < utf8.RuneSelf {
		for i := 0; i < len(s); i++ {
			if s[i] == byte(sep) {
				return s[:i], s[i+1:], true
			}
		}
		return s, "", false
	}
	return strings.Cut(s, string(sep))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// decimalNumber returns the number written by the ASCII digits digits, the
// last scale of them after the decimal point, as strconv.ParseFloat reads
// it. Amounts such as 1250.50 have at most 15 significant digits, and
// for those it divides the integer of the digits by a power of ten, exact
// in float64 both: the one rounding of the division is the correct one,
// as strconv's own fast path has it. Longer numbers go to strconv.
func decimalNumber(neg bool, digits []byte, scale int) (float64, bool) {
	var m uint64
	significant := 0
	for _, d := range digits {
		if m == 0 && d == '0' {
			continue
		}
		if significant++; significant > 19 {
			break
		}
		m = m*10 + uint64(d-'0')
	}
	if significant <= 19 && m < 1<<53 && scale < len(pow10) {
		x := float64(m) / pow10[scale]
		if neg {
			x = -x
		}
		return x, true
	}
	text := string(digits[:len(digits)-scale]) + "." + string(digits[len(digits)-scale:])
	if neg {
		text = "-" + text
	}
	x, err := strconv.ParseFloat(text, 64)
	return x, err == nil && !math.IsInf(x, 0)
}

// pow10 are the powers of ten that float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

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
	if groupedThousands(v) && (c.styles[fi].decimal == ',' || c.s.TableFields[fi].Type == "integer") {
		return 0, false
	}
	return plainNumber(v)
}

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

// parseBool reads one of the field's true values or false values, in any
// case; a text that is both is true.
func parseBool(f *Field, v string) (bool, bool) {
	i := f.boolFold.index(v)
	return i >= 0 && i < len(f.TrueValues), i >= 0
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
	d, res := c.parseDay(f, v)
	if res != isDate {
		return time.Time{}, res
	}
	t, _ := d.date()
	return t, isDate
}

// parseDay is parseDate giving the day as written; it is in the calendar
// when the result is isDate.
func (c *caster) parseDay(f *Field, v string) (ymd, dateResult) {
	res := noDate
	for _, format := range f.dateFormats() {
		if d, ok := readDate(format, v); ok {
			if d.valid() {
				return d, isDate
			}
			res = noSuchDay
		}
	}
	if res == noDate {
		if serial, ok := c.serial(v); ok {
			t, err := excelize.ExcelDateToTime(serial, c.o.Date1904)
			if err == nil {
				y, m, d := t.Date()
				return ymd{y, int(m), d}, isDate
			}
		}
	}
	return ymd{}, res
}

// dateFormats returns the formats a date is read by, in order: the field's
// own, then the common ones.
func (f *Field) dateFormats() []string {
	if f.formats != nil {
		return f.formats
	}
	switch f.Format {
	case "", "default", "any":
		return dateFormats
	}
	return append([]string{f.Format}, dateFormats...)
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

// valid reports whether the day is in the calendar, as date does without
// its cost.
func (d ymd) valid() bool {
	if d.m < 1 || d.m > 12 || d.d < 1 || d.d > 31 {
		return false
	}
	if d.d <= 28 {
		return true
	}
	_, ok := d.date()
	return ok
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
