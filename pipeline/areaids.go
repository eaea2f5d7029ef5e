package pipeline

import (
	"cmp"
	"strings"
)

// areaIDs numbers the area codes that the rows of a table name, so that the
// key figures and the sums of a million rows are kept in maps keyed by
// numbers: cheaper to hash than a code, and maps without pointers, which the
// garbage collector does not scan. A code of the register is numbered by its
// place there, so that numbers sort as codes do, and every table numbers it
// the same; a code outside the register (possible only with a schema that
// drops the register's foreign key) is numbered after them, in the order
// the table names it.
type areaIDs struct {
	reg   *Register
	extra map[string]int32
	codes []string // of the numbers after the register's
	// names are the register's area names as published values, boxed
	// once rather than for every row that names the area.
	names []any
}

func newAreaIDs(reg *Register) *areaIDs {
	names := make([]any, len(reg.areas))
	for i, a := range reg.areas {
		names[i] = a.Name
	}
	return &areaIDs{reg: reg, extra: map[string]int32{}, names: names}
}

// id returns the number of code, numbering it if it is new, and its area in
// the register (the zero Area outside it).
func (t *areaIDs) id(code string) (int32, Area) {
	if i, ok := t.reg.index[code]; ok {
		return int32(i), t.reg.areas[i]
	}
	if id, ok := t.extra[code]; ok {
		return id, Area{}
	}
	// A cell may be a slice of its whole line: keep only its text.
	code = strings.Clone(code)
	id := int32(len(t.reg.areas) + len(t.codes))
	t.codes = append(t.codes, code)
	t.extra[code] = id
	return id, Area{}
}

var _ NumberedResolver = (*areaIDs)(nil)

// Resolve resolves value by the register.
func (t *areaIDs) Resolve(value string) (string, string, bool) { return t.reg.Resolve(value) }

// ResolveNumber resolves value by the register and numbers its code. A table
// read with t as the resolver of its codes finds the number of each row's
// area in its caster (ofRow).
func (t *areaIDs) ResolveNumber(value string) (string, int32, string, bool) {
	code, hint, ok := t.reg.Resolve(value)
	if !ok {
		return code, 0, hint, false
	}
	id, _ := t.id(code)
	return code, id, "", true
}

// ofRow returns the number and the register's area of code, the value of
// the field numbered field in the row that c cast last: the number c kept
// when it resolved the code by t, else that of id. A ledger's code cell
// costs one look-up, the caster's, instead of two.
func (t *areaIDs) ofRow(c Caster, field int, code string) (int32, Area) {
	if kn, ok := c.(KeyNumberer); ok {
		if id, ok := kn.KeyNumber(field); ok {
			return id, t.area(id)
		}
	}
	return t.id(code)
}

// code returns the code numbered id.
func (t *areaIDs) code(id int32) string {
	if n := int32(len(t.reg.areas)); id >= n {
		return t.codes[id-n]
	}
	return t.reg.areas[id].Code
}

// area returns the register's area numbered id, the zero Area for a code
// outside the register.
func (t *areaIDs) area(id int32) Area {
	if int(id) < len(t.reg.areas) {
		return t.reg.areas[id]
	}
	return Area{}
}

// name returns the name of the area numbered id as a published value; ""
// outside the register.
func (t *areaIDs) name(id int32) any {
	if int(id) >= len(t.names) {
		return ""
	}
	return t.names[id]
}

// compare orders two numbers as their codes.
func (t *areaIDs) compare(a, b int32) int {
	if n := int32(len(t.reg.areas)); a < n && b < n {
		return cmp.Compare(a, b)
	}
	return strings.Compare(t.code(a), t.code(b))
}
