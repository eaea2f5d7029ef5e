package xlsx_test

import (
	"fmt"
	"io"
	"os"
	"strings"

	"aktionsplan/pipeline"
	"aktionsplan/sources/xlsx"
)

// A workbook as LibreOffice saved it: two title rows and a logo row above
// a header split over two rows, with "Betrag (EUR)" merged over
// "Bewilligt" and "Ausgezahlt", and an area merged over three rows.
func ExampleNewReader() {
	f, err := os.Open("testdata/lo_mittelverwendung.xlsx")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	fields := []pipeline.Field{
		{Name: "projekt_nr", Title: "Projekt-Nr"}, {Name: "code", Title: "Aktionsraum"},
		{Name: "bewilligt_eur", Title: "Bewilligt (EUR)"}, {Name: "ausgezahlt_eur", Title: "Ausgezahlt (EUR)"},
	}
	r, err := xlsx.NewReader("mittelverwendung.xlsx", f, fields, xlsx.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for i := 0; i < 4; i++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		fmt.Println(row.Line, strings.Join(row.Values[:2], " | "), "|", strings.Join(row.Values[9:11], " | "))
	}
	for _, n := range r.Notes() {
		fmt.Println(n)
	}
	// Output:
	// 5 Projekt-Nr | Aktionsraum | Bewilligt (EUR) | Ausgezahlt (EUR)
	// 6 2024-BOR-01 | Borsigplatz | 2400 | 2400
	// 7 2024-BOR-02 | Borsigplatz | 1250.5 | 600
	// 8 2024-BOR-03 | Borsigplatz | 1.250,50 | 0
	// Hinweis: mittelverwendung.xlsx, Blatt „Mittelverwendung“, Zeile 4: Die Kopfzeile steht in den Zeilen 4 und 5: die Spaltenüberschriften sind aus beiden Zeilen zusammengesetzt (z. B. „Bewilligt (EUR)“); die Zeilen 1 bis 3 darüber werden übersprungen
	// Hinweis: mittelverwendung.xlsx, Blatt „Mittelverwendung“: Zahlen in Textzellen mit Dezimalkomma erkannt (z. B. „1.250,50“ in Zelle J8)
}
