package dcat_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"aktionsplan/outputs/dcat"
	"aktionsplan/pipeline"
)

// The download URL of every file is the stable one under current/, which
// a portal harvests every night.
func ExampleTurtle() {
	ds := &pipeline.Dataset{Name: "kennzahlen", Title: "Kennzahlen", Description: "Kennzahlen je Aktionsraum und Jahr."}
	rel := &pipeline.ReleaseInfo{
		Time: time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC),
		About: pipeline.About{Publisher: "Stadt Dortmund", Portal: pipeline.Portal{
			Title: "Aktionsplan Soziale Stadt", BaseURL: "https://daten.example/aktionsplan/",
			License: "http://dcat-ap.de/def/licenses/dl-by-de/2.0", ContactEmail: "aktionsplan@example.org"}},
		Datasets: []pipeline.PublishedDataset{{Dataset: ds, Files: []pipeline.ManifestFile{
			{Name: "kennzahlen.csv", Bytes: 4587, SHA256: strings.Repeat("ab", 32)}}}},
	}
	var buf bytes.Buffer
	if err := (dcat.Turtle{}).Write(&buf, rel); err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "dcat:downloadURL") || strings.Contains(line, "dcat:byteSize") || strings.Contains(line, "dct:format") {
			fmt.Println(strings.TrimSpace(line))
		}
	}
	// Output:
	// dcat:downloadURL <https://daten.example/aktionsplan/current/kennzahlen.csv> ;
	// dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
	// dcat:byteSize "4587"^^xsd:decimal ;
}
