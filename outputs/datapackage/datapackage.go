// Package datapackage writes datapackage.json, the Frictionless Data Package
// (v2, https://datapackage.org/) of a release: one resource per published
// file with its path, format, media type, size and SHA-256, and for the
// tables the Table Schema made from the datasets' columns, which come from
// the same schema files the validator uses. It is a pipeline.Document,
// written after the data files so that it can state their sizes and hashes.
package datapackage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

// The profiles of the v2 specification that the descriptors name.
const (
	PackageProfile = "https://datapackage.org/profiles/2.0/datapackage.json"
	SchemaProfile  = "https://datapackage.org/profiles/2.0/tableschema.json"
	DialectProfile = "https://datapackage.org/profiles/2.0/tabledialect.json"
)

// Custom properties are namespaced with this prefix, so that they never
// clash with a property of a later version of the specification.
const prefix = "aktionsplan:"

// FileName is the name of the document in the release.
const FileName = "datapackage.json"

// Document writes datapackage.json.
type Document struct {
	// BOM says that the CSV files start with a UTF-8 byte order mark (the
	// CSV format's default, [output] csv_bom).
	BOM bool
}

var _ pipeline.Document = Document{}

// Name is "datapackage.json".
func (Document) Name() string { return FileName }

// Write writes the data package of rel as indented JSON.
func (d Document) Write(w io.Writer, rel *pipeline.ReleaseInfo) error {
	p, err := d.Package(rel)
	if err != nil {
		return err
	}
	if err := p.Check(); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// Package is a Data Package descriptor; the field order is the order in
// the file.
type Package struct {
	Schema       string        `json:"$schema"`
	ID           string        `json:"id,omitempty"`
	Name         string        `json:"name"`
	Title        string        `json:"title"`
	Description  string        `json:"description,omitempty"`
	Homepage     string        `json:"homepage,omitempty"`
	Created      string        `json:"created"`
	Keywords     []string      `json:"keywords,omitempty"`
	Licenses     []License     `json:"licenses"`
	Sources      []Source      `json:"sources,omitempty"`
	Contributors []Contributor `json:"contributors,omitempty"`
	// Note is the sample-data note ("Beispieldaten, …"), also part of the
	// description.
	Note      string     `json:"aktionsplan:hinweis,omitempty"`
	Resources []Resource `json:"resources"`
}

// License names the licence by its text for people.
type License struct {
	Path  string `json:"path"`
	Title string `json:"title,omitempty"`
}

// Source is where the data comes from.
type Source struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

// Contributor is the publisher or the contact.
type Contributor struct {
	Title string   `json:"title"`
	Path  string   `json:"path,omitempty"`
	Email string   `json:"email,omitempty"`
	Roles []string `json:"roles"`
}

// Resource is one published file.
type Resource struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Path        string `json:"path"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Format      string `json:"format"`
	Mediatype   string `json:"mediatype"`
	Encoding    string `json:"encoding,omitempty"`
	// BOM is true when the UTF-8 text starts with a byte order mark.
	BOM     bool     `json:"aktionsplan:bom,omitempty"`
	Bytes   int64    `json:"bytes"`
	Hash    string   `json:"hash"`
	Rows    int      `json:"aktionsplan:zeilen"`
	Dialect *Dialect `json:"dialect,omitempty"`
	Schema  *Schema  `json:"schema,omitempty"`
}

// Dialect says how a CSV file or a spreadsheet holds the table.
type Dialect struct {
	Schema         string `json:"$schema"`
	Header         bool   `json:"header"`
	CommentRows    []int  `json:"commentRows,omitempty"`
	Delimiter      string `json:"delimiter,omitempty"`
	LineTerminator string `json:"lineTerminator,omitempty"`
	QuoteChar      string `json:"quoteChar,omitempty"`
	DoubleQuote    bool   `json:"doubleQuote,omitempty"`
	SheetName      string `json:"sheetName,omitempty"`
}

// Schema is a Table Schema.
type Schema struct {
	Schema        string       `json:"$schema"`
	Fields        []Field      `json:"fields"`
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    []string     `json:"primaryKey,omitempty"`
	ForeignKeys   []ForeignKey `json:"foreignKeys,omitempty"`
}

// Field is one column of a Table Schema.
type Field struct {
	Name        string               `json:"name"`
	Title       string               `json:"title"`
	Description string               `json:"description,omitempty"`
	Type        string               `json:"type"`
	Unit        string               `json:"aktionsplan:einheit,omitempty"`
	TrueValues  []string             `json:"trueValues,omitempty"`
	FalseValues []string             `json:"falseValues,omitempty"`
	DecimalChar string               `json:"decimalChar,omitempty"`
	Constraints pipeline.Constraints `json:"constraints,omitzero"`
}

// ForeignKey points fields at the key of another resource.
type ForeignKey struct {
	Fields    []string  `json:"fields"`
	Reference Reference `json:"reference"`
}

// Reference is the target of a foreign key.
type Reference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// kind describes the files of one extension.
type kind struct {
	format, label string
	// table says whether the file holds the dataset's table (with a
	// schema), text whether it is UTF-8 text.
	table, text bool
	// about says in German how the file holds the data; crs names the
	// coordinate system of a spatial format.
	about, crs string
}

// kinds maps file name extensions to what the package says of the file;
// a file of another extension is an error, so that no release file is left
// undescribed.
var kinds = map[string]kind{
	".csv": {format: "csv", label: "CSV", table: true, text: true,
		about: "CSV (UTF-8, Komma, Dezimalpunkt, Datum als JJJJ-MM-TT)."},
	".xlsx": {format: "xlsx", label: "XLSX", table: true,
		about: "Excel-Arbeitsmappe: Blatt „Daten“ mit deutschen Spaltenüberschriften, Blatt „Beschreibung“ mit den Spalten."},
	".geojson": {format: "geojson", label: "GeoJSON", text: true,
		about: "GeoJSON mit der Grenze je Aktionsraum als Geometrie und den Spalten als Eigenschaften.", crs: wgs84},
	".gpkg": {format: "gpkg", label: "GeoPackage",
		about: "OGC GeoPackage mit einer Ebene der Aktionsräume.", crs: wgs84},
}

const wgs84 = "WGS84 (EPSG:4326)"

// variants are files of a spatial format in another coordinate system,
// known by the suffix of their name.
var variants = []struct{ suffix, crs string }{
	{"_utm32", "ETRS89 / UTM Zone 32N (EPSG:25832), angegeben im crs-Element älterer GeoJSON-Fassung"},
}

// Package builds the descriptor of rel.
func (d Document) Package(rel *pipeline.ReleaseInfo) (*Package, error) {
	about, portal := rel.About, rel.About.Portal
	p := &Package{
		Schema:      PackageProfile,
		Name:        slug(portal.Title),
		Title:       portal.Title,
		Description: join(portal.Title+": Datensätze mit Aktionsräumen, Kennzahlen und Mittelverwendung.", about.Note),
		Created:     rel.Time.UTC().Format(time.RFC3339),
		Keywords:    portal.Keywords,
		Licenses:    []License{{Path: firstOf(portal.LicenseURL, portal.License), Title: portal.LicenseTitle}},
		Note:        about.Note,
	}
	if portal.BaseURL != "" {
		p.ID = portal.BaseURL + "current/" + FileName
		p.Homepage = portal.BaseURL + "current/index.html"
	}
	if about.Source != "" {
		p.Sources = []Source{{Title: about.Source}}
	}
	if about.Publisher != "" {
		p.Contributors = append(p.Contributors, Contributor{Title: about.Publisher, Path: portal.PublisherURL, Roles: []string{"publisher"}})
	}
	if portal.ContactName != "" || portal.ContactEmail != "" {
		p.Contributors = append(p.Contributors, Contributor{Title: firstOf(portal.ContactName, portal.ContactEmail),
			Email: portal.ContactEmail, Path: portal.ContactURL, Roles: []string{"contact"}})
	}
	for _, ds := range rel.Datasets {
		for _, f := range ds.Files {
			r, err := d.resource(ds, f)
			if err != nil {
				return nil, err
			}
			p.Resources = append(p.Resources, r)
		}
	}
	return p, nil
}

// ErrUnknownFormat is returned for a published file whose extension the
// package cannot describe.
var ErrUnknownFormat = errors.New("datapackage: unknown file format")

// resource describes one file of ds.
func (d Document) resource(ds pipeline.PublishedDataset, f pipeline.ManifestFile) (Resource, error) {
	ext := path.Ext(f.Name)
	k, ok := kinds[ext]
	mt, known := pipeline.MediaType(f.Name)
	if !ok || !known {
		return Resource{}, fmt.Errorf("%w: %s", ErrUnknownFormat, f.Name)
	}
	about := k.about
	if k.crs != "" {
		crs := k.crs
		for _, v := range variants {
			if strings.HasSuffix(strings.TrimSuffix(f.Name, ext), v.suffix) {
				crs = v.crs
			}
		}
		about += " Koordinaten in " + crs + "."
	}
	r := Resource{
		Name:        ResourceName(ds.Dataset, f.Name),
		Path:        f.Name,
		Title:       ds.Title + " (" + k.label + ")",
		Description: join(ds.Description, about, ds.About.Note),
		Format:      k.format,
		Mediatype:   mt,
		Bytes:       f.Bytes,
		Hash:        "sha256:" + f.SHA256,
		Rows:        f.Rows,
	}
	if k.text {
		r.Encoding = "utf-8"
	}
	if !k.table {
		return r, nil
	}
	r.Type = "table"
	r.Schema = schema(ds.Dataset)
	if ext == ".csv" {
		r.BOM = d.BOM
		r.Dialect = &Dialect{Schema: DialectProfile, Header: true, Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true}
	} else {
		// The header row holds the German titles, not the field names:
		// the fields are matched by position, the header row skipped.
		r.Dialect = &Dialect{Schema: DialectProfile, Header: false, CommentRows: []int{1}, SheetName: "Daten"}
	}
	return r, nil
}

// ResourceName is the name of the resource of a file of ds: the dataset's
// name for its CSV file, which the foreign keys reference, else the file
// name.
func ResourceName(ds *pipeline.Dataset, file string) string {
	if file == ds.Name+".csv" {
		return ds.Name
	}
	return file
}

// schema is the Table Schema of ds.
func schema(ds *pipeline.Dataset) *Schema {
	s := &Schema{Schema: SchemaProfile, MissingValues: []string{""}, PrimaryKey: ds.PrimaryKey}
	for _, c := range ds.Columns {
		f := Field{Name: c.Name, Title: c.Title, Description: c.Description, Type: c.Type, Unit: c.Unit}
		switch c.Type {
		case "boolean":
			// As outputs/csv writes them; XLSX cells are typed.
			f.TrueValues, f.FalseValues = []string{"true"}, []string{"false"}
		case "number":
			f.DecimalChar = "."
		}
		f.Constraints = c.Constraints
		s.Fields = append(s.Fields, f)
	}
	for _, k := range ds.ForeignKeys {
		s.ForeignKeys = append(s.ForeignKeys, ForeignKey{Fields: k.Fields,
			Reference: Reference{Resource: k.Resource, Fields: k.Reference}})
	}
	return s
}

// join joins the non-empty texts with a space.
func join(texts ...string) string {
	var parts []string
	for _, t := range texts {
		if t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// slug makes a package name (lower case ASCII, digits, "-") of a title.
func slug(title string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")
	var b strings.Builder
	dash := false
	for _, c := range r.Replace(strings.ToLower(title)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
