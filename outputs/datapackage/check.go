package datapackage

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// ErrInvalid is returned by Check for a descriptor that breaks a rule of
// the v2 profiles; Write never writes such a descriptor.
var ErrInvalid = errors.New("datapackage: invalid descriptor")

var (
	namePattern = regexp.MustCompile(`^[a-z0-9._-]+$`)
	hashPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	// fieldTypes are the types of Table Schema v2.
	fieldTypes = []string{"string", "number", "integer", "boolean", "object", "array", "list",
		"date", "time", "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
)

// Check checks the rules of the v2 profiles (data package, data resource,
// table schema, table dialect) that a descriptor of this package could
// break: the required properties, names, paths and hashes, and keys that
// name existing fields and resources. The profiles themselves are JSON
// Schemas that are not available offline; this is their part that matters
// here, written out.
func (p *Package) Check() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	if p.Schema != PackageProfile {
		bad("$schema is %q, not %q", p.Schema, PackageProfile)
	}
	if p.Name != "" && !namePattern.MatchString(p.Name) {
		bad("package name %q", p.Name)
	}
	for i, l := range p.Licenses {
		if l.Path == "" {
			bad("licenses[%d] has neither name nor path", i)
		}
	}
	for i, c := range p.Contributors {
		if c.Title == "" {
			bad("contributors[%d] has no title", i)
		}
	}
	if len(p.Resources) == 0 {
		bad("no resources")
	}
	schemas := map[string]*Schema{}
	seen := map[string]bool{}
	for i, r := range p.Resources {
		if !namePattern.MatchString(r.Name) {
			bad("resources[%d]: name %q", i, r.Name)
		}
		if seen[r.Name] {
			bad("resources[%d]: name %q twice", i, r.Name)
		}
		seen[r.Name] = true
		if r.Path == "" || path.IsAbs(r.Path) || strings.Contains(r.Path, "..") || strings.Contains(r.Path, `\`) {
			bad("resources[%d]: path %q is no relative POSIX path", i, r.Path)
		}
		if !hashPattern.MatchString(r.Hash) {
			bad("resources[%d]: hash %q", i, r.Hash)
		}
		if r.Bytes < 0 {
			bad("resources[%d]: bytes %d", i, r.Bytes)
		}
		if r.Dialect != nil && r.Dialect.Schema != DialectProfile {
			bad("resources[%d]: dialect $schema %q", i, r.Dialect.Schema)
		}
		if r.Schema != nil {
			schemas[r.Name] = r.Schema
		}
	}
	for _, r := range p.Resources {
		if r.Schema != nil {
			errs = append(errs, r.Schema.check(r.Name, schemas)...)
		}
	}
	return errors.Join(errs...)
}

// check checks a Table Schema of resource name; schemas are those of every
// resource, by name.
func (s *Schema) check(name string, schemas map[string]*Schema) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: resource %s: "+format, append([]any{ErrInvalid, name}, args...)...))
	}
	if s.Schema != SchemaProfile {
		bad("schema $schema %q", s.Schema)
	}
	if len(s.Fields) == 0 {
		bad("schema without fields")
	}
	for i, f := range s.Fields {
		if f.Name == "" {
			bad("fields[%d] without name", i)
		}
		if !slices.Contains(fieldTypes, f.Type) {
			bad("field %s: type %q", f.Name, f.Type)
		}
		if slices.ContainsFunc(s.Fields[:i], func(o Field) bool { return o.Name == f.Name }) {
			bad("field %s twice", f.Name)
		}
	}
	for _, k := range s.PrimaryKey {
		if !s.has(k) {
			bad("primaryKey names %q, no field", k)
		}
	}
	for i, fk := range s.ForeignKeys {
		if len(fk.Fields) == 0 || len(fk.Fields) != len(fk.Reference.Fields) {
			bad("foreignKeys[%d]: %d fields reference %d", i, len(fk.Fields), len(fk.Reference.Fields))
		}
		for _, f := range fk.Fields {
			if !s.has(f) {
				bad("foreignKeys[%d] names %q, no field", i, f)
			}
		}
		target := s
		if fk.Reference.Resource != "" {
			target = schemas[fk.Reference.Resource]
		}
		if target == nil {
			bad("foreignKeys[%d] references %q, no tabular resource", i, fk.Reference.Resource)
			continue
		}
		for _, f := range fk.Reference.Fields {
			if !target.has(f) {
				bad("foreignKeys[%d] references field %q, not in %s", i, f, fk.Reference.Resource)
			}
		}
	}
	return errs
}

func (s *Schema) has(field string) bool {
	return slices.ContainsFunc(s.Fields, func(f Field) bool { return f.Name == field })
}
