package datapackage_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aktionsplan/outputs/datapackage"
	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func ptr(f float64) *float64 { return &f }

// release is a small release with every kind of file.
func release() *pipeline.ReleaseInfo {
	about := pipeline.About{
		Publisher: "Stadt Dortmund", Source: "Projektbüro", Note: "Beispieldaten, keine amtlichen Zahlen",
		Portal: pipeline.Portal{Title: "Aktionsplan Soziale Stadt Dortmund", BaseURL: "https://daten.example/aktionsplan/",
			License: "http://dcat-ap.de/def/licenses/dl-by-de/2.0", LicenseTitle: "Datenlizenz Deutschland – Namensnennung – Version 2.0",
			LicenseURL: "https://www.govdata.de/dl-de/by-2-0", ContactName: "Projektbüro", ContactEmail: "aktionsplan@example.org",
			Keywords: []string{"Dortmund", "Sozialraum"}},
	}
	code := pipeline.Column{Name: "code", Title: "Code", Type: "string", Description: "Schlüssel.",
		Constraints: pipeline.Constraints{Required: true, Pattern: "[A-Z]{3}"}}
	areas := &pipeline.Dataset{Name: "aktionsraeume", Title: "Aktionsräume", Description: "Die Aktionsräume.", Spatial: true,
		Columns: []pipeline.Column{code,
			{Name: "flaeche_km2", Title: "Fläche (km²)", Type: "number", Unit: "km²", Description: "Fläche."}},
		PrimaryKey: []string{"code"}, About: about}
	figures := &pipeline.Dataset{Name: "kennzahlen", Title: "Kennzahlen", Description: "Kennzahlen je Jahr.",
		Columns: []pipeline.Column{code,
			{Name: "jahr", Title: "Jahr", Type: "integer", Constraints: pipeline.Constraints{Required: true, Minimum: ptr(2009)}},
			{Name: "quote_pct", Title: "Quote (%)", Type: "number", Unit: "%", Constraints: pipeline.Constraints{Minimum: ptr(0), Maximum: ptr(100)}},
			{Name: "ueberschritten", Title: "Überschritten", Type: "boolean"},
			{Name: "status", Title: "Status", Type: "string", Constraints: pipeline.Constraints{Enum: []string{"bewilligt", "abgelehnt"}}}},
		PrimaryKey: []string{"code", "jahr"}, About: about,
		ForeignKeys: []pipeline.ForeignKey{{Fields: []string{"code"}, Resource: "aktionsraeume", Reference: []string{"code"}}}}
	file := func(name string, n int64, rows int) pipeline.ManifestFile {
		return pipeline.ManifestFile{Name: name, Bytes: n, SHA256: strings.Repeat(string('a'+rune(n%6)), 64), Rows: rows}
	}
	return &pipeline.ReleaseInfo{
		RunID: "20261125T043000Z", Time: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC), About: about,
		Datasets: []pipeline.PublishedDataset{
			{Dataset: areas, Rows: 13, Files: []pipeline.ManifestFile{file("aktionsraeume.csv", 100, 13),
				file("aktionsraeume.xlsx", 101, 13), file("aktionsraeume.geojson", 102, 13),
				file("aktionsraeume_utm32.geojson", 103, 13), file("aktionsraeume.gpkg", 104, 13)}},
			{Dataset: figures, Rows: 78, Files: []pipeline.ManifestFile{file("kennzahlen.csv", 200, 78), file("kennzahlen.xlsx", 201, 78)}},
		},
		FirstYear: 2019, LastYear: 2024,
	}
}

func TestWriteGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := (datapackage.Document{BOM: true}).Write(&buf, release()); err != nil {
		t.Fatal(err)
	}
	golden(t, "datapackage.golden.json", buf.Bytes())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
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
		t.Errorf("output differs from %s (run go test ./outputs/datapackage -update after an intended change)", path)
	}
}

// TestResources checks what each kind of file is declared as.
func TestResources(t *testing.T) {
	for _, bom := range []bool{true, false} {
		p, err := datapackage.Document{BOM: bom}.Package(release())
		if err != nil {
			t.Fatal(err)
		}
		byPath := map[string]datapackage.Resource{}
		for _, r := range p.Resources {
			byPath[r.Path] = r
		}
		tests := []struct {
			path, name, format, mediatype, encoding string
			table                                   bool
		}{
			{"aktionsraeume.csv", "aktionsraeume", "csv", "text/csv", "utf-8", true},
			{"aktionsraeume.xlsx", "aktionsraeume.xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "", true},
			{"aktionsraeume.geojson", "aktionsraeume.geojson", "geojson", "application/geo+json", "utf-8", false},
			{"aktionsraeume_utm32.geojson", "aktionsraeume_utm32.geojson", "geojson", "application/geo+json", "utf-8", false},
			{"aktionsraeume.gpkg", "aktionsraeume.gpkg", "gpkg", "application/geopackage+sqlite3", "", false},
			{"kennzahlen.csv", "kennzahlen", "csv", "text/csv", "utf-8", true},
		}
		for _, tt := range tests {
			r, ok := byPath[tt.path]
			if !ok {
				t.Errorf("no resource for %s", tt.path)
				continue
			}
			if r.Name != tt.name || r.Format != tt.format || r.Mediatype != tt.mediatype || r.Encoding != tt.encoding ||
				(r.Schema != nil) != tt.table || (r.Type == "table") != tt.table {
				t.Errorf("%s: got name %q format %q mediatype %q encoding %q type %q schema %v", tt.path,
					r.Name, r.Format, r.Mediatype, r.Encoding, r.Type, r.Schema != nil)
			}
			if r.Format == "csv" && r.BOM != bom {
				t.Errorf("%s: bom %v, want %v", tt.path, r.BOM, bom)
			}
		}
		fk := byPath["kennzahlen.csv"].Schema.ForeignKeys
		if len(fk) != 1 || fk[0].Reference.Resource != "aktionsraeume" || byPath["aktionsraeume.csv"].Name != "aktionsraeume" {
			t.Errorf("foreign key %+v does not name the resource of aktionsraeume.csv", fk)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	rel := release()
	rel.Datasets[1].Files = append(rel.Datasets[1].Files, pipeline.ManifestFile{Name: "kennzahlen.parquet"})
	err := datapackage.Document{}.Write(&bytes.Buffer{}, rel)
	if !errors.Is(err, datapackage.ErrUnknownFormat) || !strings.Contains(err.Error(), "kennzahlen.parquet") {
		t.Fatalf("err = %v, want ErrUnknownFormat naming the file", err)
	}
}

// TestCheck breaks one rule of the profiles per case.
func TestCheck(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *datapackage.Package)
		want   string
	}{
		{"valid", func(p *datapackage.Package) {}, ""},
		{"profile", func(p *datapackage.Package) { p.Schema = "" }, "$schema"},
		{"no resources", func(p *datapackage.Package) { p.Resources = nil }, "no resources"},
		{"resource name", func(p *datapackage.Package) { p.Resources[0].Name = "Aktionsräume" }, "name"},
		{"duplicate name", func(p *datapackage.Package) { p.Resources[1].Name = p.Resources[0].Name }, "twice"},
		{"absolute path", func(p *datapackage.Package) { p.Resources[0].Path = "/srv/a.csv" }, "relative"},
		{"parent path", func(p *datapackage.Package) { p.Resources[0].Path = "../a.csv" }, "relative"},
		{"hash", func(p *datapackage.Package) { p.Resources[0].Hash = "md5:00" }, "hash"},
		{"licence", func(p *datapackage.Package) { p.Licenses[0].Path = "" }, "licenses[0]"},
		{"field type", func(p *datapackage.Package) { p.Resources[0].Schema.Fields[0].Type = "text" }, `type "text"`},
		{"primary key", func(p *datapackage.Package) { p.Resources[0].Schema.PrimaryKey = []string{"id"} }, "primaryKey"},
		{"foreign key resource", func(p *datapackage.Package) {
			last(p).Schema.ForeignKeys[0].Reference.Resource = "gebiete"
		}, `references "gebiete"`},
		{"foreign key to a non-table", func(p *datapackage.Package) {
			last(p).Schema.ForeignKeys[0].Reference.Resource = "aktionsraeume.gpkg"
		}, "no tabular resource"},
		{"foreign key field", func(p *datapackage.Package) {
			last(p).Schema.ForeignKeys[0].Reference.Fields = []string{"schluessel"}
		}, `field "schluessel"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := datapackage.Document{}.Package(release())
			if err != nil {
				t.Fatal(err)
			}
			tt.mutate(p)
			err = p.Check()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected %v", err)
			case tt.want != "" && (!errors.Is(err, datapackage.ErrInvalid) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want ErrInvalid with %q", err, tt.want)
			}
		})
	}
}

func last(p *datapackage.Package) *datapackage.Resource { return &p.Resources[len(p.Resources)-1] }

// TestRoundTrip reads the written file back into the descriptor type.
func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	d := datapackage.Document{BOM: true}
	if err := d.Write(&buf, release()); err != nil {
		t.Fatal(err)
	}
	var got datapackage.Package
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want, _ := d.Package(release())
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		t.Errorf("read back differs:\n%s\n%s", a, b)
	}
	if err := got.Check(); err != nil {
		t.Error(err)
	}
}
