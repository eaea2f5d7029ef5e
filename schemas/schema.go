// Package schemas reads Frictionless Table Schema files and casts the raw rows
// of an input table through them: the second step of the flow, after a source
// has read the rows with their positions and before the pipeline applies its
// business rules. A rule change is a change of a schema file, not of code.
//
// Supported: field name, title, type (string, integer, number, boolean, date),
// format (a strftime-like date pattern), description, constraints required,
// unique, minimum, maximum, enum, pattern; missingValues, decimalChar,
// groupChar, trueValues and falseValues; primaryKey and foreignKeys. Two
// custom properties: "unit" (e.g. "EUR", "%") and "public": false for
// personal data that is never published.
package schemas

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"aktionsplan/pipeline"
)

// ErrSchema is wrapped by every error about a schema file that cannot be used.
var ErrSchema = errors.New("schemas: invalid schema")

//go:embed *.schema.json
var builtin embed.FS

// Names of the built-in schemas.
const (
	FundUsage  = "mittelverwendung"
	KeyFigures = "kennzahlen"
	Register   = "aktionsraeume"
)

// Builtin returns the shipped schema of that name.
func Builtin(name string) (*Schema, error) {
	data, err := builtin.ReadFile(name + ".schema.json")
	if err != nil {
		return nil, fmt.Errorf("%w: no built-in schema %q", ErrSchema, name)
	}
	return Parse(name+".schema.json", data)
}

// Schema is a parsed Table Schema.
type Schema struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	TableFields []Field    `json:"fields"`
	Missing     []string   `json:"missingValues"`
	PrimaryKey  []string   `json:"primaryKey"`
	ForeignKeys []Relation `json:"foreignKeys"`

	missing map[string]bool
	// onlyEmptyMissing is set when only an empty cell is missing, the
	// default.
	onlyEmptyMissing bool
	fields           []pipeline.Field
}

// isMissing reports whether a cell's text stands for a missing value. The
// list is short, most often just "", and a loop beats a map's hashing.
func (s *Schema) isMissing(v string) bool {
	switch {
	case s.onlyEmptyMissing:
		return v == ""
	case len(s.Missing) > 8:
		return s.missing[v]
	}
	for _, m := range s.Missing {
		if v == m {
			return true
		}
	}
	return false
}

var _ pipeline.Schema = (*Schema)(nil)

// Field is one field of a Table Schema.
type Field struct {
	Name        string      `json:"name"`
	Title       string      `json:"title"`
	Type        string      `json:"type"`
	Format      string      `json:"format"`
	Description string      `json:"description"`
	Unit        string      `json:"unit"`
	Public      *bool       `json:"public"`
	DecimalChar string      `json:"decimalChar"`
	GroupChar   string      `json:"groupChar"`
	TrueValues  []string    `json:"trueValues"`
	FalseValues []string    `json:"falseValues"`
	Constraints Constraints `json:"constraints"`

	pattern  *regexp.Regexp
	layout   string   // Go time layout of Format
	formats  []string // the date formats tried, the field's own first
	enum     []any    // the values of Constraints.Enum, boxed as records hold them
	enumFold foldList // matches Constraints.Enum
	boolFold foldList // matches TrueValues, then FalseValues
}

// Constraints of a field.
type Constraints struct {
	Required bool     `json:"required"`
	Unique   bool     `json:"unique"`
	Minimum  *float64 `json:"minimum"`
	Maximum  *float64 `json:"maximum"`
	Enum     []string `json:"enum"`
	Pattern  string   `json:"pattern"`
}

// Relation is a foreign key: fields of this table that reference a resource.
type Relation struct {
	Fields    stringList `json:"fields"`
	Reference struct {
		Resource string     `json:"resource"`
		Fields   stringList `json:"fields"`
	} `json:"reference"`
}

// stringList accepts a JSON string or array of strings, as Table Schema does.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = []string{s}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// Parse reads a Table Schema from JSON and checks that it is usable: known
// types, valid patterns and date formats, keys that name existing fields.
func Parse(file string, data []byte) (*Schema, error) {
	var s Schema
	dec := json.NewDecoder(strings.NewReader(string(data)))
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrSchema, file, err)
	}
	if s.Missing == nil {
		s.Missing = []string{""}
	}
	s.missing = map[string]bool{}
	for _, m := range s.Missing {
		s.missing[m] = true
	}
	s.onlyEmptyMissing = len(s.missing) == 1 && s.missing[""]
	if len(s.TableFields) == 0 {
		return nil, fmt.Errorf("%w: %s: no fields", ErrSchema, file)
	}
	seen := map[string]bool{}
	for i := range s.TableFields {
		f := &s.TableFields[i]
		if err := f.compile(); err != nil {
			return nil, fmt.Errorf("%w: %s: field %q: %w", ErrSchema, file, f.Name, err)
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("%w: %s: field %q declared twice", ErrSchema, file, f.Name)
		}
		seen[f.Name] = true
		s.fields = append(s.fields, pipeline.Field{Name: f.Name, Title: f.Title, Type: f.Type, Unit: f.Unit,
			Description: f.Description, Public: f.Public == nil || *f.Public, Format: f.Format,
			Required: f.Constraints.Required, Unique: f.Constraints.Unique, Enum: f.Constraints.Enum,
			Minimum: f.Constraints.Minimum, Maximum: f.Constraints.Maximum, Pattern: f.Constraints.Pattern,
			TrueValues: f.TrueValues, FalseValues: f.FalseValues})
	}
	for _, k := range s.PrimaryKey {
		if !seen[k] {
			return nil, fmt.Errorf("%w: %s: primaryKey names unknown field %q", ErrSchema, file, k)
		}
	}
	for _, fk := range s.ForeignKeys {
		if len(fk.Fields) != 1 || !seen[fk.Fields[0]] || fk.Reference.Resource == "" {
			return nil, fmt.Errorf("%w: %s: foreignKey %v must name one field of this schema and a resource", ErrSchema, file, fk.Fields)
		}
		s.fields[pipeline.Index(s.fields, fk.Fields[0])].Reference = fk.Reference.Resource
	}
	return &s, nil
}

var fieldName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// compile checks a field after parsing and prepares its pattern and format.
func (f *Field) compile() error {
	if !fieldName.MatchString(f.Name) {
		return errors.New("name must be lower-case ASCII snake_case")
	}
	if f.Title == "" {
		f.Title = f.Name
	}
	switch f.Type {
	case "string", "integer", "number", "boolean", "date":
	case "":
		f.Type = "string"
	default:
		return fmt.Errorf("unsupported type %q", f.Type)
	}
	if f.DecimalChar == "" {
		f.DecimalChar = "."
	}
	if len([]rune(f.DecimalChar)) != 1 || len([]rune(f.GroupChar)) > 1 || (f.Type == "number" && f.DecimalChar == f.GroupChar) {
		return errors.New("decimalChar must be one character, groupChar at most one, and they must differ")
	}
	if f.Type == "boolean" {
		if f.TrueValues == nil {
			f.TrueValues = []string{"true", "True", "TRUE", "1"}
		}
		if f.FalseValues == nil {
			f.FalseValues = []string{"false", "False", "FALSE", "0"}
		}
	}
	if f.Constraints.Pattern != "" {
		re, err := regexp.Compile("^(?:" + f.Constraints.Pattern + ")$")
		if err != nil {
			return fmt.Errorf("pattern: %w", err)
		}
		f.pattern = re
	}
	if f.Type == "date" {
		layout, err := dateLayout(f.Format)
		if err != nil {
			return err
		}
		f.layout = layout
		f.formats = f.dateFormats()
	}
	f.enumFold = newFoldList(f.Constraints.Enum)
	f.boolFold = newFoldList(f.TrueValues, f.FalseValues)
	f.enum = make([]any, len(f.Constraints.Enum))
	for i, e := range f.Constraints.Enum {
		f.enum[i] = e
	}
	return nil
}

// dateLayout turns a Table Schema date format into a Go layout.
func dateLayout(format string) (string, error) {
	switch format {
	case "", "default", "any":
		return "2006-01-02", nil
	}
	r := strings.NewReplacer("%Y", "2006", "%m", "01", "%d", "02", "%y", "06")
	layout := r.Replace(format)
	if strings.Contains(layout, "%") {
		return "", fmt.Errorf("date format %q: only %%Y, %%y, %%m and %%d are supported", format)
	}
	// Between the fields only separators: Go's layout would read other
	// text such as "_2" or "Jan" as fields of its own.
	if lit := strings.Trim(strings.NewReplacer("%Y", "", "%m", "", "%d", "", "%y", "").Replace(format), ".-/ ,"); lit != "" {
		return "", fmt.Errorf("date format %q: between %%Y, %%y, %%m and %%d only the separators . - / , and space are allowed", format)
	}
	// Each field once: with two years ("%Y.%m.%d.%y") Go's layout takes the
	// last, and a date would not read back as it was written.
	if strings.Count(format, "%d") > 1 || strings.Count(format, "%m") > 1 || strings.Count(format, "%Y")+strings.Count(format, "%y") > 1 {
		return "", fmt.Errorf("date format %q: day, month and year may each appear once", format)
	}
	return layout, nil
}

// Fields returns the fields for the pipeline, in declared order.
func (s *Schema) Fields() []pipeline.Field { return s.fields }
