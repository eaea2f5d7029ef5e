package dcat_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"aktionsplan/outputs/dcat"
	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// release is a small release with every kind of file and a text that needs
// escaping in both syntaxes.
func release() *pipeline.ReleaseInfo {
	about := pipeline.About{
		Publisher: "Stadt Dortmund", Source: "Projektbüro", Note: "Beispieldaten, keine amtlichen Zahlen",
		Portal: pipeline.Portal{Title: "Aktionsplan Soziale Stadt Dortmund", BaseURL: "https://daten.example/aktionsplan/",
			License: "http://dcat-ap.de/def/licenses/dl-by-de/2.0", LicenseTitle: "Datenlizenz Deutschland – Namensnennung – Version 2.0",
			Attribution: `Stadt Dortmund, "Projektbüro" \ Beispieldaten`,
			ContactName: "Projektbüro", ContactEmail: "aktionsplan@example.org", PublisherURL: "https://www.dortmund.de/",
			PoliticalGeocodingURI: "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05913000",
			ContributorID:         "http://dcat-ap.de/def/contributors/stadtDortmund",
			Keywords:              []string{"Dortmund", "Sozialraum"}},
	}
	areas := &pipeline.Dataset{Name: "aktionsraeume", Title: "Aktionsräume", Description: "Die Aktionsräume.\nZweite Zeile.", Spatial: true,
		Columns: []pipeline.Column{{Name: "code", Type: "string"}, {Name: "name", Type: "string"}}, About: about}
	funds := &pipeline.Dataset{Name: "mittelverwendung", Title: "Mittelverwendung", Description: "Maßnahmen.", About: about}
	file := func(name string, n int64) pipeline.ManifestFile {
		return pipeline.ManifestFile{Name: name, Bytes: n, SHA256: strings.Repeat("0123456789abcdef", 4), Rows: 3}
	}
	return &pipeline.ReleaseInfo{
		RunID: "20261125T043000Z", Time: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC), About: about,
		Datasets: []pipeline.PublishedDataset{
			{Dataset: areas, Rows: 3, Files: []pipeline.ManifestFile{file("aktionsraeume.csv", 100), file("aktionsraeume.xlsx", 101),
				file("aktionsraeume.geojson", 102), file("aktionsraeume.gpkg", 103), file("aktionsraeume_utm32.geojson", 104)}},
			{Dataset: funds, Rows: 3, Files: []pipeline.ManifestFile{file("mittelverwendung.csv", 200)}},
		},
		FirstYear: 2019, LastYear: 2024,
		Bound: orb.Bound{Min: orb.Point{7.34400004, 51.478}, Max: orb.Point{7.635, 51.5725}},
		Areas: []pipeline.Feature{
			{ID: "BOR", Values: []any{"BOR", "Borsigplatz"}},
			{ID: "HOE", Values: []any{"HOE", "Hörde"}},
			{ID: "LIE", Values: []any{"LIE", "Lindenhorst/Eving"}},
		},
		AreaDataset: areas,
	}
}

func write(t *testing.T, d pipeline.Document, rel *pipeline.ReleaseInfo) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(&buf, rel); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, d := range []pipeline.Document{dcat.JSONLD{}, dcat.Turtle{}} {
		t.Run(d.Name(), func(t *testing.T) {
			golden(t, d.Name(), write(t, d, release()))
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./outputs/dcat -update after an intended change)", path)
	}
}

// TestContent checks the properties that DCAT-AP.de and the portal need,
// in the Turtle file; TestSameTriples shows the JSON-LD file says the same.
func TestContent(t *testing.T) {
	ttl := string(write(t, dcat.Turtle{}, release()))
	for _, want := range []string{
		"a dcat:Catalog", "a dcat:Dataset", "a dcat:Distribution",
		`dcat:downloadURL <https://daten.example/aktionsplan/current/aktionsraeume.gpkg>`,
		`dcat:accessURL <https://daten.example/aktionsplan/current/aktionsraeume_utm32.geojson>`,
		`dct:format <http://publications.europa.eu/resource/authority/file-type/GPKG>`,
		`dct:format <http://publications.europa.eu/resource/authority/file-type/GEOJSON>`,
		`dct:format <http://publications.europa.eu/resource/authority/file-type/XLSX>`,
		`dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv>`,
		`dct:conformsTo <http://www.opengis.net/def/crs/EPSG/0/25832>`,
		`dcat:byteSize "104"^^xsd:decimal`,
		`spdx:algorithm spdx:checksumAlgorithm_sha256`,
		`spdx:checksumValue "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"^^xsd:hexBinary`,
		`dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0>`,
		`dcatde:licenseAttributionByText "Stadt Dortmund, \"Projektbüro\" \\ Beispieldaten"@de`,
		`vcard:hasEmail <mailto:aktionsplan@example.org>`,
		`dct:modified "2026-11-25T04:30:00Z"^^xsd:dateTime`,
		`dcatde:geocodingDescription "3 Aktionsräume, Teile des Stadtgebiets: Borsigplatz (BOR), Hörde (HOE), Lindenhorst/Eving (LIE)."@de`,
		`dcat:bbox "POLYGON((7.344 51.478, 7.635 51.478, 7.635 51.5725, 7.344 51.5725, 7.344 51.478))"^^geo:wktLiteral`,
		`dcatde:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05913000>`,
		`dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/municipality>`,
		`dcatde:contributorID <http://dcat-ap.de/def/contributors/stadtDortmund>`,
		`dcat:startDate "2019-01-01"^^xsd:date`, `dcat:endDate "2024-12-31"^^xsd:date`,
		`dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY>`,
		`dcat:theme <http://publications.europa.eu/resource/authority/data-theme/SOCI>`,
		`dcat:keyword "Dortmund"@de`,
		`dcat:landingPage <https://daten.example/aktionsplan/current/index.html>`,
		`"Die Aktionsräume.\nZweite Zeile. Beispieldaten, keine amtlichen Zahlen"@de`,
	} {
		if !strings.Contains(ttl, want) {
			t.Errorf("dcat.ttl lacks %s", want)
		}
	}
	if strings.Contains(ttl, "_:") {
		t.Error("dcat.ttl has blank nodes")
	}
}

// TestOptional leaves out what is written only when configured.
func TestOptional(t *testing.T) {
	rel := release()
	rel.About.Portal.PoliticalGeocodingURI, rel.About.Portal.ContributorID = "", ""
	rel.About.Portal.ContactEmail, rel.About.Portal.ContactURL = "", "https://daten.example/kontakt"
	rel.About.Note = ""
	ttl := string(write(t, dcat.Turtle{}, rel))
	for _, absent := range []string{"politicalGeocoding", "contributorID", "mailto:", "Beispieldaten, keine"} {
		if strings.Contains(ttl, absent) {
			t.Errorf("dcat.ttl has %s", absent)
		}
	}
	if !strings.Contains(ttl, "vcard:hasURL <https://daten.example/kontakt>") {
		t.Error("no contact URL")
	}
	rel.About.Portal.ContributorID = "stadtDortmund"
	rel.About.Portal.PoliticalGeocodingURI = "https://example.org/gemeinde/05913000"
	ttl = string(write(t, dcat.Turtle{}, rel))
	if !strings.Contains(ttl, "dcatde:contributorID <http://dcat-ap.de/def/contributors/stadtDortmund>") {
		t.Error("a contributor id without scheme is not a dcat-ap.de contributor URI")
	}
	if strings.Contains(ttl, "politicalGeocodingLevelURI") {
		t.Error("a level for a URI outside the dcat-ap.de vocabulary")
	}
}

func TestErrors(t *testing.T) {
	noBase := release()
	noBase.About.Portal.BaseURL = ""
	unknown := release()
	unknown.Datasets[1].Files = append(unknown.Datasets[1].Files, pipeline.ManifestFile{Name: "mittelverwendung.parquet"})
	tests := []struct {
		name string
		rel  *pipeline.ReleaseInfo
		want error
	}{
		{"no base URL", noBase, dcat.ErrNoBaseURL},
		{"unknown format", unknown, dcat.ErrUnknownFormat},
	}
	for _, tt := range tests {
		for _, d := range []pipeline.Document{dcat.JSONLD{}, dcat.Turtle{}} {
			t.Run(tt.name+"/"+d.Name(), func(t *testing.T) {
				if err := d.Write(&bytes.Buffer{}, tt.rel); !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, d := range []pipeline.Document{dcat.JSONLD{}, dcat.Turtle{}} {
		if a, b := write(t, d, release()), write(t, d, release()); !bytes.Equal(a, b) {
			t.Errorf("%s differs between two writes", d.Name())
		}
	}
}

// A state's building blocks are not all named in the description of every
// dataset: the first hundred, and how many more.
func TestGeocodingDescriptionOfManyAreas(t *testing.T) {
	rel := release()
	rel.Areas = nil
	for i := range 1250 {
		code := fmt.Sprintf("B%04d", i)
		rel.Areas = append(rel.Areas, pipeline.Feature{ID: code, Values: []any{code, "Block " + code}})
	}
	ttl := string(write(t, dcat.Turtle{}, rel))
	want := `dcatde:geocodingDescription "1.250 Aktionsräume, Teile des Stadtgebiets: Block B0000 (B0000), Block B0001 (B0001), `
	if !strings.Contains(ttl, want) {
		t.Fatalf("dcat.ttl lacks %s", want)
	}
	if want := `Block B0099 (B0099) und 1.150 weitere (alle im Datensatz „Aktionsräume“)."@de`; !strings.Contains(ttl, want) {
		t.Errorf("dcat.ttl lacks %s", want)
	}
	if strings.Contains(ttl, "B0100") {
		t.Error("dcat.ttl names the 101st area")
	}
}
