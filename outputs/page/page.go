// Package page writes index.html, the release page for people: a German,
// self-contained page in every release with a map of the areas, a chart of
// the Aktionsraumfonds, and per dataset its files, data dictionary and
// licence. It is a pipeline.Document, written after the data and the
// metadata documents, whose sizes and hashes it lists.
//
// The page loads nothing: styles are inline, the charts are inline SVG, and
// there is no script. Switching the figure of the map works with radio
// buttons and CSS :has(), so the page works offline, from a file, and
// under a Content-Security-Policy that allows no script at all.
package page

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"

	"aktionsplan/pipeline"
)

// Name is the file name of the page in every release.
const Name = "index.html"

// Default limits of the page for many areas (see Page).
const (
	DefaultMaxAreas  = 2000
	DefaultMaxLabels = 150
)

// Page writes the release page. The zero value is ready to use.
type Page struct {
	// Figures names the columns of the areas dataset the map can show, in
	// order; the first is shown at first. Nil: the key figures of the
	// latest year (every number between kennzahlen_jahr and the next year
	// column).
	Figures []string
	// MaxAreas bounds the size of the page: with more areas the map, the
	// chart and their tables are left out, and the page says so (0:
	// DefaultMaxAreas).
	MaxAreas int
	// MaxLabels is the number of areas up to which the map labels them
	// with their code and the fund chart is drawn (0: DefaultMaxLabels).
	MaxLabels int
}

var _ pipeline.Document = Page{}

// Name returns "index.html".
func (Page) Name() string { return Name }

var (
	//go:embed page.html.tmpl
	pageTemplate string
	//go:embed page.css
	pageStyle string
)

var tmpl = template.Must(template.New("page").Parse(pageTemplate))

// Write writes the page for rel to w.
func (p Page) Write(w io.Writer, rel *pipeline.ReleaseInfo) error {
	return p.write(w, rel, p.areas(rel))
}

var _ pipeline.Preparer = Page{}

// Prepare draws the map, the chart and the tables of the areas, most of
// the work on a page of many areas, while the data files are written.
func (p Page) Prepare(rel *pipeline.ReleaseInfo) pipeline.Document {
	return preparedPage{p, p.areas(rel)}
}

// preparedPage is a page whose areas are drawn.
type preparedPage struct {
	Page
	areas areaPart
}

func (p preparedPage) Write(w io.Writer, rel *pipeline.ReleaseInfo) error {
	return p.write(w, rel, p.areas)
}

func (p Page) write(w io.Writer, rel *pipeline.ReleaseInfo, areas areaPart) error {
	v := p.view(rel, areas)
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := tmpl.Execute(bw, v); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	return bw.Flush()
}

// view is what the page shows; every text is final, so that the template
// only places and escapes it.
type view struct {
	Title, Note, Publisher, Source string
	Released, RunID, Years         string
	Style                          template.CSS
	areaPart
	Datasets  []datasetView
	Documents []fileView
	License   licenseView
	Contact   contactView
	// Releases is the list of all releases, Current the current page;
	// both under the configured base URL, empty without one.
	Releases, Current string
}

// areaPart is what the page shows of the areas: it needs them alone.
type areaPart struct {
	Map   *mapView
	Areas []areaView
	// AreaRows are the rows of the table of Areas (see areaRows).
	AreaRows  template.HTML
	AreaCount string
	// Figures head the columns of the table of areas.
	Figures []string
	// Omitted says why the map and the chart are not shown.
	Omitted string
	Fund    *fundView
}

type licenseView struct{ Title, URL, Attribution string }

type contactView struct{ Name, Email, Mailto, URL string }

type datasetView struct {
	ID, Name, Title, Description string
	Rows                         string
	Key                          string
	Refs                         []string
	Files                        []fileView
	Columns                      []columnView
}

type fileView struct {
	Name, Href, Format, Size, Rows, SHA256, About string
}

type columnView struct {
	Name, Title, Type, Unit, Description, Rules string
}

func (p Page) view(rel *pipeline.ReleaseInfo, areas areaPart) *view {
	a := rel.About
	v := &view{
		areaPart: areas,
		Title:    a.Portal.Title, Note: a.Note, Publisher: a.Publisher, Source: a.Source,
		Released: formatTime(rel.Time), RunID: rel.RunID,
		License: licenseView{Title: a.Portal.LicenseTitle, URL: a.Portal.LicenseURL, Attribution: a.Portal.Attribution},
		Contact: contactView{Name: a.Portal.ContactName, Email: a.Portal.ContactEmail, URL: a.Portal.ContactURL},
	}
	if v.Title == "" {
		v.Title = "Aktionsplan Soziale Stadt"
	}
	if v.License.Title == "" {
		v.License.Title = a.Portal.License
	}
	if v.License.URL == "" {
		v.License.URL = a.Portal.License
	}
	if v.Contact.Email != "" {
		v.Contact.Mailto = "mailto:" + v.Contact.Email
	}
	if base := a.Portal.BaseURL; base != "" {
		v.Releases, v.Current = releasesURL(base), base+"current/"+Name
	}
	switch {
	case rel.FirstYear > 0 && rel.FirstYear != rel.LastYear:
		v.Years = strconv.Itoa(rel.FirstYear) + " bis " + strconv.Itoa(rel.LastYear)
	case rel.LastYear > 0:
		v.Years = strconv.Itoa(rel.LastYear)
	}
	for _, ds := range rel.Datasets {
		v.Datasets = append(v.Datasets, newDataset(ds))
	}
	for _, f := range rel.Documents {
		d := newFile(f)
		d.About = documentAbout[f.Name]
		v.Documents = append(v.Documents, d)
	}
	css := pageStyle
	if v.Map != nil {
		css += mapCSS(len(v.Map.Figures), v.Map.Areas)
	}
	v.Style = template.CSS(css)
	return v
}

// areas draws the map, the chart and their tables, unless there are too
// many areas for a page. It needs About, Areas, AreaDataset and Bound of
// rel.
func (p Page) areas(rel *pipeline.ReleaseInfo) areaPart {
	var v areaPart
	ds := rel.AreaDataset
	if ds == nil || len(rel.Areas) == 0 {
		return v
	}
	n := len(rel.Areas)
	v.AreaCount = pipeline.GermanInt(int64(n))
	maxAreas, maxLabels := p.MaxAreas, p.MaxLabels
	if maxAreas <= 0 {
		maxAreas = DefaultMaxAreas
	}
	if maxLabels <= 0 {
		maxLabels = DefaultMaxLabels
	}
	if n > maxAreas {
		v.Omitted = fmt.Sprintf("Karte und Diagramm werden ab %s Aktionsräumen nicht gezeigt (hier: %s); alle Werte stehen in den Dateien unten.",
			pipeline.GermanInt(int64(maxAreas)+1), v.AreaCount)
		return v
	}
	code, name, year := columnIndex(ds, "code"), columnIndex(ds, "name"), columnIndex(ds, "kennzahlen_jahr")
	var figs []*figure
	for _, col := range keyFigures(ds, p.Figures) {
		f := &figure{col: col, column: ds.Columns[col], values: make([]float64, n), present: make([]bool, n)}
		for i, a := range rel.Areas {
			f.values[i], f.present[i] = value(a, col)
		}
		if f.column.Type == "number" {
			f.dec = decimals(f.values, 3)
		}
		f.class = classify(f.values, f.present)
		figs = append(figs, f)
	}
	latest := 0
	for _, a := range rel.Areas {
		if y, ok := value(a, year); ok {
			latest = max(latest, int(y))
		}
	}
	titles := make([]string, len(figs))
	for j, f := range figs {
		titles[j] = trimUnit(f.column.Title, f.column.Unit)
	}
	areas := make([]areaView, n)
	for i, a := range rel.Areas {
		av := areaView{Code: a.ID, Name: a.ID}
		if s, ok := text(a, code); ok {
			av.Code = s
		}
		if s, ok := text(a, name); ok {
			av.Name = s
		}
		if y, ok := value(a, year); ok {
			av.Year = strconv.Itoa(int(y))
		}
		head := av.Name + " (" + av.Code + ")"
		if av.Year != "" {
			head += ", Kennzahlen " + av.Year
		}
		size := len(head) + 48*len(figs)
		title := append(make([]byte, 0, size), head...)
		label := append(append(make([]byte, 0, size), head...), ':')
		av.Values = make([]string, len(figs))
		for j, f := range figs {
			s := "keine Angabe"
			if f.present[i] {
				s = f.format(f.values[i])
			}
			av.Values[j] = s
			title = append(append(append(append(title, '\n'), titles[j]...), ": "...), s...)
			if j > 0 {
				label = append(label, ';')
			}
			label = append(append(append(append(label, ' '), titles[j]...), ' '), s...)
		}
		av.Title, av.Label = string(title), string(label)
		areas[i] = av
	}
	v.Areas = areas
	v.AreaRows = areaRows(areas)
	v.Figures = titles
	if len(figs) > 0 && rel.Bound.Max != rel.Bound.Min {
		v.Map = newMap(rel, figs, areas, n <= maxLabels)
		if latest > 0 {
			v.Map.Year = strconv.Itoa(latest)
		}
	}
	v.Fund = newFund(rel, areas)
	if v.Fund != nil && n > maxLabels {
		// A bar per area would make a chart taller than any screen;
		// the table says the same.
		v.Fund.NoChart = fmt.Sprintf("Das Diagramm wird ab %s Aktionsräumen nicht gezeigt; die Zahlen stehen in der Tabelle.",
			pipeline.GermanInt(int64(maxLabels)+1))
	}
	return v
}

// serverData is the path under which the server of the command
// (package httpserve) serves the releases.
const serverData = "/data/"

// releasesURL is where the releases are listed: the status page of the
// server when the base URL is its download area, which lists no folders;
// else the folder releases/ beside current/, which a plain web server may
// list.
func releasesURL(base string) string {
	if strings.HasSuffix(base, serverData) {
		return strings.TrimSuffix(base, serverData) + "/status#veroeffentlichungen"
	}
	return base + "releases/"
}

// text returns the text in column i of f, if there is one.
func text(f pipeline.Feature, i int) (string, bool) {
	if i < 0 || i >= len(f.Values) {
		return "", false
	}
	s, ok := f.Values[i].(string)
	return s, ok && s != ""
}

func newDataset(ds pipeline.PublishedDataset) datasetView {
	v := datasetView{ID: "ds-" + ds.Name, Name: ds.Name, Title: ds.Title, Description: ds.Description,
		Rows: pipeline.GermanInt(int64(ds.Rows))}
	if v.Title == "" {
		v.Title = ds.Name
	}
	if len(ds.PrimaryKey) > 0 {
		v.Key = strings.Join(ds.PrimaryKey, ", ")
	}
	for _, fk := range ds.ForeignKeys {
		v.Refs = append(v.Refs, fmt.Sprintf("%s verweist auf %s (%s)",
			strings.Join(fk.Fields, ", "), fk.Resource, strings.Join(fk.Reference, ", ")))
	}
	for _, f := range ds.Files {
		v.Files = append(v.Files, newFile(f))
	}
	for _, c := range ds.Columns {
		v.Columns = append(v.Columns, columnView{Name: c.Name, Title: c.Title, Type: typeNames[c.Type],
			Unit: c.Unit, Description: c.Description, Rules: rules(c.Constraints)})
		if v.Columns[len(v.Columns)-1].Type == "" {
			v.Columns[len(v.Columns)-1].Type = c.Type
		}
	}
	return v
}

// documentAbout says what the known documents are for.
var documentAbout = map[string]string{
	"datapackage.json": "Data Package (Frictionless): jede Tabelle mit Schema, Schlüsseln, Lizenz und Quellen",
	"dcat.jsonld":      "DCAT-AP.de-Metadaten für Datenportale (JSON-LD)",
	"dcat.ttl":         "DCAT-AP.de-Metadaten für Datenportale (Turtle)",
}

// typeNames say the Table Schema types in German.
var typeNames = map[string]string{
	"string":  "Text",
	"integer": "Ganzzahl",
	"number":  "Zahl",
	"boolean": "Wahrheitswert (true/false)",
	"date":    "Datum (JJJJ-MM-TT)",
}

// rules says the constraints of a column in German.
func rules(c pipeline.Constraints) string {
	var out []string
	if c.Required {
		out = append(out, "Pflichtfeld")
	}
	if c.Unique {
		out = append(out, "eindeutig")
	}
	if c.Minimum != nil {
		out = append(out, "mindestens "+pipeline.GermanNumber(*c.Minimum, decimals([]float64{*c.Minimum}, 6)))
	}
	if c.Maximum != nil {
		out = append(out, "höchstens "+pipeline.GermanNumber(*c.Maximum, decimals([]float64{*c.Maximum}, 6)))
	}
	if len(c.Enum) > 0 {
		out = append(out, "einer der Werte "+strings.Join(c.Enum, ", "))
	}
	if c.Pattern != "" {
		out = append(out, "Muster "+c.Pattern)
	}
	return strings.Join(out, "; ")
}

func newFile(f pipeline.ManifestFile) fileView {
	v := fileView{Name: f.Name, Href: url.PathEscape(f.Name), Format: formatName(f.Name),
		Size: formatSize(f.Bytes), SHA256: f.SHA256}
	if f.Rows > 0 {
		v.Rows = pipeline.GermanInt(int64(f.Rows))
	}
	return v
}

// formatName names the format of a file by its extension.
func formatName(name string) string {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	switch ext {
	case "csv":
		return "CSV (UTF-8)"
	case "xlsx":
		return "Excel (XLSX)"
	case "geojson":
		if strings.Contains(name, "utm32") {
			return "GeoJSON (ETRS89 / UTM 32N, EPSG:25832)"
		}
		return "GeoJSON (WGS84)"
	case "gpkg":
		return "GeoPackage"
	case "jsonld":
		return "JSON-LD"
	case "ttl":
		return "Turtle (RDF)"
	case "json":
		return "JSON"
	case "html":
		return "HTML"
	}
	return strings.ToUpper(ext)
}
