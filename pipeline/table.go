package pipeline

import (
	"errors"
	"io"
	"time"
)

// ErrInput is wrapped by errors about an input that cannot be read at all
// (missing file, unreadable format); bad cells are Issues, not errors.
var ErrInput = errors.New("pipeline: input cannot be read")

// Input is a named input and the way to open it. The name is what the user
// knows the input by (a file name or URL) and appears in every message.
type Input struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// Row is one raw row of a table: its 1-based row number in the input and the
// text of its cells.
type Row struct {
	Line   int
	Values []string
}

// RowReader streams the raw rows of a table. The first row returned is the
// header. Read returns io.EOF after the last row; a malformed file yields a
// *BadInput error. The Values of a row may be reused by the next call.
type RowReader interface {
	Origin() Origin
	Read() (Row, error)
}

// Noter is implemented by readers that have something to tell about how they
// read a table, such as the sheet they chose or lines they skipped. Notes is
// called once the table has been read; its issues join the report.
type Noter interface {
	Notes() []Issue
}

// TableOpener turns an opened input into a RowReader, choosing the format.
// The role ("register", "fund_usage", "key_figures") selects the reading
// options configured for that input; the fields of the table's schema let a
// reader find the header row and the sheet that holds the table. It returns
// a *BadInput for content that is not a readable table.
type TableOpener interface {
	OpenTable(role, name string, r io.Reader, fields []Field) (RowReader, error)
}

// BadInput is an error that carries the issue that stopped reading an input:
// a malformed CSV quote, a corrupt workbook.
type BadInput struct {
	Issue Issue
	// Resume is true when reading can go on with the next row, as after one
	// malformed CSV record, so that every problem of a file is found.
	Resume bool
}

func (e *BadInput) Error() string { return e.Issue.String() }

// Field describes one column of an input table and how it is published.
type Field struct {
	// Name is the machine name, used as published column name.
	Name string
	// Title is the German header staff write in the spreadsheet.
	Title string
	// Type is a Table Schema type: string, integer, number, boolean, date.
	Type        string
	Unit        string
	Description string
	// Public is false for personal data, which is never published.
	Public bool
	// Format is the Table Schema format of the field, e.g. "%d.%m.%Y" for a
	// date as staff write it in a text cell; empty for the default.
	Format string

	// The constraints of the field, as the schema declares them. The schema
	// checks them when it casts a row; they are here so that input templates
	// and published metadata can state them.

	// Required fields must not be empty.
	Required bool
	// Unique fields hold every value at most once.
	Unique bool
	// Enum lists the allowed values; empty means any.
	Enum []string
	// Minimum and Maximum bound numbers and integers; nil means unbounded.
	Minimum, Maximum *float64
	// Pattern is a regular expression (RE2) that the whole text must match.
	Pattern string
	// TrueValues and FalseValues are the texts read as true and false in a
	// boolean field, the preferred spelling first.
	TrueValues, FalseValues []string
	// Reference names the resource that a foreign key of this field points
	// at, e.g. "aktionsraeume" for the area register; empty for none.
	Reference string
}

// Record holds the typed values of a row in the order of the schema's fields:
// string, int64, float64, bool, time.Time (a date, UTC) or nil when missing.
type Record []any

// Schema declares the columns of an input table and casts its raw rows.
type Schema interface {
	// Fields lists the fields in declared order.
	Fields() []Field
	// Bind matches the header row to the fields. Problems of the header are
	// added to rep; it returns nil when the table cannot be read at all.
	// refs resolves the foreign keys of the schema, by referenced resource.
	Bind(o Origin, header Row, refs map[string]KeyResolver, rep *Report) Caster
}

// Caster checks and casts the rows of one bound table.
type Caster interface {
	// Cast returns the typed values of row and whether it had no error. Every
	// problem is added to rep. A blank row yields a nil Record. The Record is
	// valid until the next call.
	Cast(row Row, rep *Report) (Record, bool)
	// Pos returns the position of a field of the row, for issues found later.
	Pos(row Row, field string) Pos
}

// KeyResolver maps a value written by staff to a stable key.
type KeyResolver interface {
	// Resolve returns the key for value, or ok false and a hint naming the
	// closest keys. It must give the same answer for the same value while
	// a table is read: casters resolve each distinct value once.
	Resolve(value string) (key string, hint string, ok bool)
}

// NumberedResolver is a KeyResolver that numbers its keys, as areaIDs
// numbers the register's codes. A caster remembers the number with the key,
// so that the rows of a million-row table find their area by number rather
// than by a second look-up of their code.
type NumberedResolver interface {
	KeyResolver
	// ResolveNumber is Resolve that also returns the number of the key,
	// which is never negative.
	ResolveNumber(value string) (key string, number int32, hint string, ok bool)
}

// KeyNumberer is implemented by a Caster that keeps the numbers a
// NumberedResolver gave.
type KeyNumberer interface {
	// KeyNumber returns the number of the key that the field (its index in
	// the schema's fields) holds in the record last cast; false when it
	// holds none or its resolver numbers no keys.
	KeyNumber(field int) (int32, bool)
}

// Index returns the position of the field named name, or -1.
func Index(fields []Field, name string) int {
	for i, f := range fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// fieldID names a field the pipeline reads out of records; fieldValue finds
// it by position, so that a million rows need no lookup by name.
type fieldID int

const (
	fYear fieldID = iota
	fCode
	fFund
	fApproved
	fPaid
	fDecided
	fStatus
	fPrivate
	fName
	fCare
	fValidFrom
	fValidTo
	fSpellings
	numFieldIDs
)

// fieldNames are the schema names of the fieldIDs.
var fieldNames = [numFieldIDs]string{
	fYear: "jahr", fCode: "code", fFund: "fonds", fApproved: "bewilligt_eur", fPaid: "ausgezahlt_eur",
	fDecided: "beschlussdatum", fStatus: "status", fPrivate: "privatperson", fName: "name",
	fCare: "betreuung", fValidFrom: "gueltig_ab", fValidTo: "gueltig_bis", fSpellings: "schreibweisen",
}

// fieldValue reads typed values out of records by field.
type fieldValue struct{ idx [numFieldIDs]int }

func newFieldValue(fields []Field) fieldValue {
	var v fieldValue
	for id, name := range fieldNames {
		v.idx[id] = Index(fields, name)
	}
	return v
}

func (v fieldValue) get(r Record, id fieldID) any {
	i := v.idx[id]
	if i < 0 || i >= len(r) {
		return nil
	}
	return r[i]
}

func (v fieldValue) str(r Record, id fieldID) string {
	s, _ := v.get(r, id).(string)
	return s
}

func (v fieldValue) int(r Record, id fieldID) (int64, bool) {
	n, ok := v.get(r, id).(int64)
	return n, ok
}

func (v fieldValue) num(r Record, id fieldID) (float64, bool) {
	switch n := v.get(r, id).(type) {
	case float64:
		return n, true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func (v fieldValue) date(r Record, id fieldID) (time.Time, bool) {
	t, ok := v.get(r, id).(time.Time)
	return t, ok
}

func (v fieldValue) bool(r Record, id fieldID) bool {
	b, _ := v.get(r, id).(bool)
	return b
}
