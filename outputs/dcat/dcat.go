// Package dcat writes the DCAT-AP.de metadata of a release, the catalog that
// open data portals (and through them GovData) harvest: one dcat:Catalog
// with a dcat:Dataset per published dataset and a dcat:Distribution per
// file, with the stable current/ URLs, licence, formats, sizes, checksums,
// spatial and temporal coverage. The same graph is written as JSON-LD
// (dcat.jsonld) and as Turtle (dcat.ttl); both are pipeline.Documents,
// written after the data files so that they can state sizes and hashes.
//
// Every node has an IRI under the base URL (no blank nodes), so that a
// harvester sees the same identifiers every night and the two files carry
// the same triples, not merely isomorphic graphs.
package dcat

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

// The file names of the two documents.
const (
	JSONLDName = "dcat.jsonld"
	TurtleName = "dcat.ttl"
)

// JSONLD writes dcat.jsonld.
type JSONLD struct{}

// Turtle writes dcat.ttl.
type Turtle struct{}

var (
	_ pipeline.Document = JSONLD{}
	_ pipeline.Document = Turtle{}
)

// Name is "dcat.jsonld".
func (JSONLD) Name() string { return JSONLDName }

// Name is "dcat.ttl".
func (Turtle) Name() string { return TurtleName }

// Write writes the catalog of rel as JSON-LD with an inline context.
func (JSONLD) Write(w io.Writer, rel *pipeline.ReleaseInfo) error {
	g, err := catalog(rel)
	if err != nil {
		return err
	}
	return g.writeJSONLD(w)
}

// Write writes the catalog of rel as Turtle.
func (Turtle) Write(w io.Writer, rel *pipeline.ReleaseInfo) error {
	g, err := catalog(rel)
	if err != nil {
		return err
	}
	return g.writeTurtle(w)
}

// Errors of Write.
var (
	// ErrNoBaseURL is returned when the portal has no base URL: without
	// it no distribution has a download URL.
	ErrNoBaseURL = errors.New("dcat: no public base URL ([portal] base_url)")
	// ErrUnknownFormat is returned for a published file whose extension
	// has no format in the EU file-type vocabulary here.
	ErrUnknownFormat = errors.New("dcat: unknown file format")
)

// Vocabularies of the EU Publications Office and IANA.
const (
	fileType    = "http://publications.europa.eu/resource/authority/file-type/"
	mediaType   = "https://www.iana.org/assignments/media-types/"
	daily       = "http://publications.europa.eu/resource/authority/frequency/DAILY"
	themeSOCI   = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
	german      = "http://publications.europa.eu/resource/authority/language/DEU"
	crsWGS84    = "http://www.opengis.net/def/crs/EPSG/0/4326"
	crsUTM32    = "http://www.opengis.net/def/crs/EPSG/0/25832"
	geocodingNS = "http://dcat-ap.de/def/politicalGeocoding/"
	contributor = "http://dcat-ap.de/def/contributors/"
)

// format is what the metadata says of the files of one extension.
type format struct {
	fileType, label string
	// crs is the coordinate reference system of a spatial format.
	crs string
}

// formats maps file name extensions to formats.
var formats = map[string]format{
	".csv":     {"CSV", "CSV", ""},
	".xlsx":    {"XLSX", "XLSX", ""},
	".geojson": {"GEOJSON", "GeoJSON", crsWGS84},
	".gpkg":    {"GPKG", "GeoPackage", crsWGS84},
}

// variants are files of a format in another coordinate system, known by
// the suffix of their name.
var variants = []struct{ suffix, label, crs string }{
	{"_utm32", "ETRS89 / UTM Zone 32N (EPSG:25832)", crsUTM32},
}

// levels maps the kind of a political geocoding URI to its level.
var levels = map[string]string{
	"municipalityKey": "municipality",
	"regionalKey":     "municipality",
	"districtKey":     "administrativeDistrict",
	"stateKey":        "state",
}

// catalog builds the graph of rel.
func catalog(rel *pipeline.ReleaseInfo) (*graph, error) {
	portal := rel.About.Portal
	if portal.BaseURL == "" {
		return nil, ErrNoBaseURL
	}
	b := builder{rel: rel, g: &graph{}, base: portal.BaseURL + "current/", modified: rel.Time.UTC().Format(time.RFC3339)}
	b.id = b.base + JSONLDName + "#"
	cat := b.g.node(b.id+"katalog", "dcat:Catalog")
	cat.add("dct:title", text(portal.Title))
	cat.add("dct:description", text(join(portal.Title+": offene Daten zu den Aktionsräumen, ihren Kennzahlen und der Mittelverwendung.", rel.About.Note)))
	cat.add("dct:publisher", iri(b.id+"herausgeber"))
	cat.add("foaf:homepage", iri(b.landingPage()))
	cat.add("dct:language", iri(german))
	cat.add("dct:license", iri(portal.License))
	cat.add("dct:modified", typed(b.modified, "xsd:dateTime"))
	for _, ds := range rel.Datasets {
		cat.add("dcat:dataset", iri(b.id+ds.Name))
	}
	b.agents()
	b.coverage()
	for _, ds := range rel.Datasets {
		if err := b.dataset(ds); err != nil {
			return nil, err
		}
	}
	return b.g, nil
}

// builder adds the nodes of one release to a graph.
type builder struct {
	rel *pipeline.ReleaseInfo
	g   *graph
	// base is the URL of the current release, id the prefix of every
	// node's IRI.
	base, id string
	modified string
	// spatial is the coverage node, or "" when unknown.
	spatial string
}

func (b *builder) landingPage() string { return b.base + "index.html" }

// agents adds the publisher and the contact point.
func (b *builder) agents() {
	about, portal := b.rel.About, b.rel.About.Portal
	pub := b.g.node(b.id+"herausgeber", "foaf:Agent", "foaf:Organization")
	pub.add("foaf:name", text(about.Publisher))
	if portal.PublisherURL != "" {
		pub.add("foaf:homepage", iri(portal.PublisherURL))
	}
	contact := b.g.node(b.id+"kontakt", "vcard:Organization")
	contact.add("vcard:fn", text(firstOf(portal.ContactName, about.Publisher)))
	if portal.ContactEmail != "" {
		contact.add("vcard:hasEmail", iri("mailto:"+portal.ContactEmail))
	}
	if portal.ContactURL != "" {
		contact.add("vcard:hasURL", iri(portal.ContactURL))
	}
}

// coverage adds the bounding box of the areas.
func (b *builder) coverage() {
	rel := b.rel
	if len(rel.Areas) > 0 && !rel.Bound.IsZero() {
		b.spatial = b.id + "raumbezug"
		loc := b.g.node(b.spatial, "dct:Location")
		loc.add("dcat:bbox", typed(wkt(rel.Bound.Min[0], rel.Bound.Min[1], rel.Bound.Max[0], rel.Bound.Max[1]), "geo:wktLiteral"))
	}
}

// temporal adds the period of the years that ds's rows name (the release's
// when ds names none) and returns its IRI, or "" when no year is known.
func (b *builder) temporal(ds pipeline.PublishedDataset) string {
	first, last := ds.FirstYear, ds.LastYear
	if first == 0 {
		first, last = b.rel.FirstYear, b.rel.LastYear
	}
	if first == 0 {
		return ""
	}
	id := b.id + "zeitraum-" + ds.Name
	p := b.g.node(id, "dct:PeriodOfTime")
	p.add("dcat:startDate", typed(fmt.Sprintf("%04d-01-01", first), "xsd:date"))
	p.add("dcat:endDate", typed(fmt.Sprintf("%04d-12-31", last), "xsd:date"))
	return id
}

// dataset adds a dataset and its distributions.
func (b *builder) dataset(ds pipeline.PublishedDataset) error {
	about, portal := b.rel.About, b.rel.About.Portal
	n := b.g.node(b.id+ds.Name, "dcat:Dataset")
	n.add("dct:identifier", plain(b.id+ds.Name))
	n.add("dct:title", text(ds.Title))
	n.add("dct:description", text(join(ds.Description, about.Note)))
	n.add("dct:publisher", iri(b.id+"herausgeber"))
	n.add("dcat:contactPoint", iri(b.id+"kontakt"))
	n.add("dcat:landingPage", iri(b.landingPage()))
	n.add("dcat:theme", iri(themeSOCI))
	for _, k := range portal.Keywords {
		n.add("dcat:keyword", text(k))
	}
	n.add("dct:language", iri(german))
	n.add("dct:accrualPeriodicity", iri(daily))
	n.add("dct:modified", typed(b.modified, "xsd:dateTime"))
	if b.spatial != "" {
		n.add("dct:spatial", iri(b.spatial))
	}
	if d := b.geocodingDescription(); d != "" {
		n.add("dcatde:geocodingDescription", text(d))
	}
	if u := portal.PoliticalGeocodingURI; u != "" {
		n.add("dcatde:politicalGeocodingURI", iri(u))
		if level := geocodingLevel(u); level != "" {
			n.add("dcatde:politicalGeocodingLevelURI", iri(level))
		}
	}
	if id := portal.ContributorID; id != "" {
		if !strings.Contains(id, "://") {
			id = contributor + id
		}
		n.add("dcatde:contributorID", iri(id))
	}
	if t := b.temporal(ds); t != "" {
		n.add("dct:temporal", iri(t))
	}
	for _, f := range ds.Files {
		n.add("dcat:distribution", iri(b.id+f.Name))
	}
	for _, f := range ds.Files {
		if err := b.distribution(ds, f); err != nil {
			return err
		}
	}
	return nil
}

// distribution adds one file of ds.
func (b *builder) distribution(ds pipeline.PublishedDataset, f pipeline.ManifestFile) error {
	portal := b.rel.About.Portal
	ext := path.Ext(f.Name)
	fm, ok := formats[ext]
	mt, known := pipeline.MediaType(f.Name)
	if !ok || !known {
		return fmt.Errorf("%w: %s", ErrUnknownFormat, f.Name)
	}
	label, crs := fm.label, fm.crs
	for _, v := range variants {
		if strings.HasSuffix(strings.TrimSuffix(f.Name, ext), v.suffix) {
			label, crs = fm.label+", "+v.label, v.crs
		}
	}
	url := b.base + f.Name
	d := b.g.node(b.id+f.Name, "dcat:Distribution")
	d.add("dct:title", text(ds.Title+" ("+label+")"))
	d.add("dcat:accessURL", iri(url))
	d.add("dcat:downloadURL", iri(url))
	d.add("dct:format", iri(fileType+fm.fileType))
	d.add("dcat:mediaType", iri(mediaType+mt))
	if crs != "" {
		d.add("dct:conformsTo", iri(crs))
	}
	d.add("dcat:byteSize", typed(strconv.FormatInt(f.Bytes, 10), "xsd:decimal"))
	d.add("spdx:checksum", iri(b.id+f.Name+"-sha256"))
	d.add("dct:license", iri(portal.License))
	if portal.Attribution != "" {
		d.add("dcatde:licenseAttributionByText", text(portal.Attribution))
	}
	d.add("dct:modified", typed(b.modified, "xsd:dateTime"))
	sum := b.g.node(b.id+f.Name+"-sha256", "spdx:Checksum")
	sum.add("spdx:algorithm", iri("spdx:checksumAlgorithm_sha256"))
	sum.add("spdx:checksumValue", typed(f.SHA256, "xsd:hexBinary"))
	return nil
}

// geocodingDescription names the areas, in German: "13 Aktionsräume,
// Teile des Stadtgebiets: Alt-Scharnhorst (ASC), …"; beyond maxNamedAreas,
// the first ones and how many more.
func (b *builder) geocodingDescription() string {
	ds := b.rel.AreaDataset
	if ds == nil || len(b.rel.Areas) == 0 {
		return ""
	}
	name := -1
	for i, c := range ds.Columns {
		if c.Name == "name" {
			name = i
		}
	}
	var parts []string
	for _, a := range b.rel.Areas[:min(len(b.rel.Areas), maxNamedAreas)] {
		label := a.ID
		if name >= 0 && name < len(a.Values) {
			if s, ok := a.Values[name].(string); ok && s != "" {
				label = s + " (" + a.ID + ")"
			}
		}
		parts = append(parts, label)
	}
	list := strings.Join(parts, ", ")
	if more := len(b.rel.Areas) - len(parts); more > 0 {
		list += fmt.Sprintf(" und %s weitere (alle im Datensatz „%s“)", pipeline.GermanInt(more), ds.Title)
	}
	return fmt.Sprintf("%s Aktionsräume, Teile des Stadtgebiets: %s.", pipeline.GermanInt(len(b.rel.Areas)), list)
}

// maxNamedAreas is the number of areas the geocoding description names: a
// city's areas all, a state's 50,000 building blocks not, whose list, in
// every dataset of the catalogue, made a 4 MB document that portals would
// show as one paragraph.
const maxNamedAreas = 100

// geocodingLevel is the level URI of a political geocoding URI of the
// dcat-ap.de vocabulary, or "" for another URI.
func geocodingLevel(u string) string {
	kind, _, ok := strings.Cut(strings.TrimPrefix(u, geocodingNS), "/")
	if !ok || !strings.HasPrefix(u, geocodingNS) || levels[kind] == "" {
		return ""
	}
	return geocodingNS + "Level/" + levels[kind]
}

// wkt is the bounding box as a WKT polygon in longitude, latitude order
// (CRS84, the default of geo:wktLiteral), counter-clockwise.
func wkt(minLon, minLat, maxLon, maxLat float64) string {
	c := func(v float64) string { return strconv.FormatFloat(math.Round(v*1e7)/1e7, 'f', -1, 64) }
	x0, y0, x1, y1 := c(minLon), c(minLat), c(maxLon), c(maxLat)
	return fmt.Sprintf("POLYGON((%s %s, %s %s, %s %s, %s %s, %s %s))", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
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
