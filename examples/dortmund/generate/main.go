// Command generate writes the sample fund-usage workbook mittelverwendung.xlsx
// ("Mittelverwendung") of the Aktionsplan Soziale Stadt Dortmund.
//
// All projects, organisations, people and amounts below are invented
// (Beispieldaten, keine amtlichen Zahlen). The output is deterministic:
// running the program twice gives identical bytes.
//
// Re-create the file from the examples/dortmund folder with
//
//	//go:generate go run ./generate -out .
//
// or from the module root with
//
//	go run ./examples/dortmund/generate -out examples/dortmund
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

const (
	sheetData  = "Mittelverwendung"
	sheetHints = "Hinweise"
	fileName   = "mittelverwendung.xlsx"
	fixedTime  = "2024-12-31T00:00:00Z"
)

var header = []string{
	"Projekt-Nr", "Aktionsraum", "Jahr", "Fonds", "Projekttitel", "Träger", "Privatperson",
	"Ansprechperson", "Beschlussdatum", "Bewilligt (EUR)", "Ausgezahlt (EUR)", "Status",
}

var colWidths = []float64{14, 22, 7, 17, 44, 40, 12, 22, 15, 15, 16, 14}

const (
	arf = "Aktionsraumfonds"
	pb  = "Projektbudget"
)

// row is one funded action. Beschluss is "YYYY-MM-DD" or "" (no decision yet);
// Ausgezahlt < 0 means the cell stays empty.
type row struct {
	Nr, Aktionsraum string
	Jahr            int
	Fonds, Titel    string
	Traeger         string
	Privatperson    string
	Ansprechperson  string
	Beschluss       string
	Bewilligt       float64
	Ausgezahlt      float64
	Status          string
}

// none marks an empty Ausgezahlt cell.
const none = -1

// cellValue is one value for a column of the current row.
type cellValue struct {
	col string
	v   any
}

var rows = []row{
	// 2022
	{"2022-BOR-01", "Borsigplatz", 2022, arf, "Stadtteilfest am Borsigplatz", "Quartiersverein Borsigplatz e.V.", "", "Erika Mustermann", "2022-03-15", 2400, 2400, "abgerechnet"},
	{"2022-BOR-02", "BOR", 2022, arf, "Hausaufgabenhilfe im Nachbarschaftstreff", "Nachbarschaftstreff Borsig e.V.", "", "Max Mustermann", "2022-03-15", 1500, 1420, "abgerechnet"},
	{"2022-HAF-01", "Hafen", 2022, arf, "Sprachcafé am Hafen", "Kulturverein Hafenquartier e.V.", "", "Lieschen Müller", "2022-04-06", 1200, 1200, "abgerechnet"},
	{"2022-NOM-01", "Nordmarkt", 2022, arf, "Nachbarschaftsgarten Nordmarkt", "Stadtteilverein Nordstadt e.V.", "", "Otto Normalverbraucher", "2022-04-20", 2200, 2050, "abgerechnet"},
	{"2022-NOM-02", "Nordmarkt", 2022, pb, "Mobile Sozialberatung Nordstadt", "Sozialwerk Nordstadt gGmbH", "", "Erika Mustermann", "2022-02-09", 18500, 18500, "abgerechnet"},
	{"2022-HOE-01", "Hörde", 2022, arf, "Seniorentreff am Hörder Neumarkt", "Bürgerverein Hörde e.V.", "nein", "Max Mustermann", "2022-05-11", 950, 950, "abgerechnet"},
	{"2022-WIC-01", "Wickede", 2022, arf, "Ferienprogramm für Kinder", "Sportfreunde Wickede e.V.", "nein", "Lieschen Müller", "2022-06-01", 1800, 1650, "abgerechnet"},
	{"2022-LIE-01", "Lindenhorst/Eving", 2022, arf, "Spielplatzfest Lindenhorst", "Petra Beispielmann", "ja", "Petra Beispielmann", "2022-06-22", 500, 480, "abgerechnet"},
	{"2022-WES-01", "Westerfilde", 2022, pb, "Bewegungsparcours Westerfilde", "Bürgerforum Westerfilde e.V.", "nein", "Otto Normalverbraucher", "2022-03-02", 12000, 11640, "abgerechnet"},
	{"2022-EKE-01", "Eving/Kemminghausen", 2022, arf, "Reparatur-Café", "Ev. Kirchengemeinde Eving-Kemminghausen", "nein", "Erika Mustermann", "2022-09-14", 450, 450, "abgerechnet"},
	{"2022-ASC-01", "Alt-Scharnhorst", 2022, arf, "Kinderzirkus im Park", "Zirkusschule Regenbogen e.V.", "nein", "Max Mustermann", "2022-05-10", 1600, none, "zurückgezogen"},

	// 2023
	{"2023-BOR-01", "BOR", 2023, arf, "Ferienprogramm am Borsigplatz", "Quartiersverein Borsigplatz e.V.", "nein", "Erika Mustermann", "2023-04-18", 1900, 1900, "abgerechnet"},
	{"2023-HAF-01", "Hafen", 2023, arf, "Nachbarschaftsgarten Hafenquartier", "Kulturverein Hafenquartier e.V.", "nein", "Lieschen Müller", "2023-03-29", 2300, 2300, "abgerechnet"},
	{"2023-HAF-02", "Hafen", 2023, pb, "Lernwerkstatt Hafen", "Bildungswerk Nordstadt e.V.", "nein", "Max Mustermann", "2023-02-15", 9800, 9800, "abgerechnet"},
	{"2023-NOM-01", "Nordmarkt", 2023, arf, "Stadtteilfest Nordmarkt", "Stadtteilverein Nordstadt e.V.", "nein", "Otto Normalverbraucher", "2023-03-08", 2500, 2500, "abgerechnet"},
	{"2023-NOM-02", "Nordmarkt", 2023, arf, "Sprachcafé im Nordmarkt-Treff", "Internationaler Frauentreff Nordstadt e.V.", "nein", "Erika Mustermann", "2023-05-24", 1450, 1450, "abgerechnet"},
	{"2023-NOM-03", "Nordmarkt", 2023, arf, "Aktionstag Sauberer Nordmarkt", "Kirchengemeinde St. Antonius", "nein", "Max Mustermann", "2023-09-13", 1500, 1380, "abgerechnet"},
	{"2023-NOM-04", "Nordmarkt", 2023, pb, "Mobile Sozialberatung Nordstadt", "Sozialwerk Nordstadt gGmbH", "nein", "Erika Mustermann", "2023-01-25", 18500, 18500, "abgerechnet"},
	{"2023-DOB-01", "Dorstfelder Bruecke", 2023, arf, "Hausaufgabenhilfe Dorstfeld", "Jugendtreff Dorstfeld e.V.", "nein", "Lieschen Müller", "2023-04-26", 1400, 1400, "abgerechnet"},
	{"2023-HOE-01", "Hoerde", 2023, arf, "Seniorentreff am Hörder Neumarkt", "Bürgerverein Hörde e.V.", "nein", "Otto Normalverbraucher", "2023-05-03", 1100, 1050, "abgerechnet"},
	{"2023-HOE-02", "Hoerde", 2023, arf, "Grillfest am Phoenix-See", "Freizeitgemeinschaft Hörde e.V.", "nein", "Max Mustermann", "2023-06-07", 2000, none, "abgelehnt"},
	{"2023-SCO-01", "Scharnhorst Ost", 2023, pb, "Familienbüro Scharnhorst-Ost", "Familienzentrum Scharnhorst-Ost e.V.", "nein", "Erika Mustermann", "2023-02-01", 24000, 24000, "abgerechnet"},
	{"2023-ASC-01", "Alt-Scharnhorst", 2023, arf, "Adventsmarkt Alt-Scharnhorst", "Jürgen Musterhaus", "ja", "Jürgen Musterhaus", "2023-10-11", 650, 650, "abgerechnet"},
	{"2023-LIE-01", "Eving-Lindenhorst", 2023, arf, "Ferienprogramm Lindenhorst", "Kinder- und Jugendhaus Lindenhorst e.V.", "nein", "Lieschen Müller", "2023-05-17", 1700, 1700, "abgerechnet"},
	{"2023-BOD-01", "Bodelschwingh", 2023, arf, "Stadtteilfest Bodelschwingh", "Heimatverein Bodelschwingh e.V.", "nein", "Otto Normalverbraucher", "2023-04-12", 2400, 2250, "abgerechnet"},
	{"2023-MAR-01", "Marten", 2023, pb, "Ausstattung Jugendtreff Marten", "Jugendhilfe Marten gGmbH", "nein", "Max Mustermann", "2023-03-22", 6500, 6500, "abgerechnet"},

	// 2024
	{"2024-BOR-01", "BOR", 2024, arf, "Stadtteilfest am Borsigplatz", "Quartiersverein Borsigplatz e.V.", "nein", "Erika Mustermann", "2024-03-13", 2500, 2500, "abgerechnet"},
	{"2024-BOR-02", "Borsigplatz", 2024, arf, "Hausaufgabenhilfe im Nachbarschaftstreff", "Nachbarschaftstreff Borsig e.V.", "nein", "Max Mustermann", "2024-09-04", 1800, 900, "bewilligt"},
	{"2024-HAF-01", "Hafen", 2024, arf, "Sprachcafé am Hafen", "Kulturverein Hafenquartier e.V.", "nein", "Lieschen Müller", "2024-10-09", 1300, none, "bewilligt"},
	{"2024-HAF-02", "Hafen", 2024, pb, "Quartiersarbeit Hafen", "Bildungswerk Nordstadt e.V.", "nein", "Max Mustermann", "2024-02-21", 15000, 7500, "bewilligt"},
	{"2024-NOM-01", "Nordmarkt", 2024, arf, "Nachbarschaftsgarten Nordmarkt", "Stadtteilverein Nordstadt e.V.", "nein", "Otto Normalverbraucher", "2024-03-20", 2200, 2200, "abgerechnet"},
	{"2024-NOM-02", "Nordmarkt", 2024, arf, "Ferienprogramm Nordmarkt", "Kirchengemeinde St. Antonius", "nein", "Erika Mustermann", "2024-05-15", 2400, none, "bewilligt"},
	{"2024-NOM-03", "Nordmarkt", 2024, arf, "Kinderflohmarkt am Nordmarkt", "Elterninitiative Nordmarkt", "nein", "Max Mustermann", "2024-06-12", 1200, none, "abgelehnt"},
	{"2024-DOB-01", "Dorstfelder Bruecke", 2024, arf, "Aufsuchende Jugendarbeit im Sommer", "Jugendtreff Dorstfeld e.V.", "nein", "Lieschen Müller", "2024-05-29", 2000, none, "bewilligt"},
	{"2024-HOE-01", "Hörde", 2024, arf, "Seniorentreff am Hörder Neumarkt", "Bürgerverein Hörde e.V.", "nein", "Otto Normalverbraucher", "2024-02-28", 1150, 1150, "abgerechnet"},
	{"2024-WIC-01", "WIC", 2024, arf, "Ferienprogramm Wickede", "Aylin Beispiel", "ja", "Aylin Beispiel", "2024-04-24", 1900, 1900, "abgerechnet"},
	{"2024-SCO-01", "Scharnhorst Ost", 2024, arf, "Interkulturelles Frauenfrühstück", "Familienzentrum Scharnhorst-Ost e.V.", "nein", "Erika Mustermann", "2024-06-19", 700, none, "bewilligt"},
	{"2024-SCO-02", "Scharnhorst-Ost", 2024, pb, "Familienbüro Scharnhorst-Ost", "Familienzentrum Scharnhorst-Ost e.V.", "nein", "Erika Mustermann", "2024-01-31", 22000, 11000, "bewilligt"},
	{"2024-ASC-01", "Alt Scharnhorst", 2024, arf, "Kinderzirkus im Park", "Zirkusschule Regenbogen e.V.", "nein", "Max Mustermann", "", 1600, none, "beantragt"},
	{"2024-LIE-01", "Eving-Lindenhorst", 2024, arf, "Spielplatzfest Lindenhorst", "Kinder- und Jugendhaus Lindenhorst e.V.", "nein", "Lieschen Müller", "2024-07-03", 500, 500, "abgerechnet"},
	{"2024-EKE-01", "Kemminghausen", 2024, arf, "Reparatur-Café", "Ev. Kirchengemeinde Eving-Kemminghausen", "nein", "Otto Normalverbraucher", "2024-03-06", 450, 450, "abgerechnet"},
	{"2024-WES-01", "Westerfilde", 2024, arf, "Nachbarschaftsgarten Westerfilde", "Bürgerforum Westerfilde e.V.", "nein", "Max Mustermann", "2024-04-17", 1750, none, "bewilligt"},
	{"2024-BOD-01", "Bodelschwingh", 2024, arf, "Sprachcafé Bodelschwingh", "Heimatverein Bodelschwingh e.V.", "nein", "Lieschen Müller", "2024-05-08", 950, 950, "abgerechnet"},
	{"2024-MAR-01", "Marten", 2024, arf, "Lesepatenschaften an der Grundschule", "Förderverein Grundschule Marten e.V.", "nein", "Erika Mustermann", "2024-08-28", 800, none, "bewilligt"},
}

func main() {
	out := flag.String("out", ".", "folder to write "+fileName+" into")
	flag.Parse()
	path := filepath.Join(*out, fileName)
	if err := write(path); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d rows)\n", path, len(rows))
}

func write(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetData); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateFmt := "dd.mm.yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	moneyFmt := "#,##0.00"
	moneyStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &moneyFmt})
	if err != nil {
		return err
	}

	if err := f.SetSheetRow(sheetData, "A1", &header); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetCellStyle(sheetData, "A1", last+"1", bold); err != nil {
		return err
	}
	for i, r := range rows {
		n := i + 2
		cell := func(col string) string { return fmt.Sprintf("%s%d", col, n) }
		vals := []cellValue{
			{"A", r.Nr}, {"B", r.Aktionsraum}, {"C", r.Jahr}, {"D", r.Fonds}, {"E", r.Titel},
			{"F", r.Traeger}, {"H", r.Ansprechperson}, {"J", r.Bewilligt}, {"L", r.Status},
		}
		if r.Privatperson != "" {
			vals = append(vals, cellValue{"G", r.Privatperson})
		}
		if r.Beschluss != "" {
			d, err := time.Parse("2006-01-02", r.Beschluss)
			if err != nil {
				return fmt.Errorf("%s: %w", r.Nr, err)
			}
			vals = append(vals, cellValue{"I", d})
		}
		if r.Ausgezahlt >= 0 {
			vals = append(vals, cellValue{"K", r.Ausgezahlt})
		}
		for _, v := range vals {
			if err := f.SetCellValue(sheetData, cell(v.col), v.v); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheetData, cell("I"), cell("I"), dateStyle); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheetData, cell("J"), cell("K"), moneyStyle); err != nil {
			return err
		}
	}
	if err := f.SetSheetDimension(sheetData, fmt.Sprintf("A1:%s%d", last, len(rows)+1)); err != nil {
		return err
	}
	for i, w := range colWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheetData, col, col, w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheetData, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}

	if _, err := f.NewSheet(sheetHints); err != nil {
		return err
	}
	if err := f.SetCellValue(sheetHints, "A1", "Beispieldaten, keine amtlichen Zahlen"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheetHints, "A1", "A1", bold); err != nil {
		return err
	}
	if err := f.SetCellValue(sheetHints, "A2", "Diese Datei ist die Beispiel-Vorlage zur Mittelverwendung des Aktionsplans Soziale Stadt Dortmund; Projekte, Träger, Personen und Beträge sind erfunden."); err != nil {
		return err
	}
	if err := f.SetSheetDimension(sheetHints, "A1:A2"); err != nil {
		return err
	}
	if err := f.SetColWidth(sheetHints, "A", "A", 120); err != nil {
		return err
	}
	f.SetActiveSheet(0)

	if err := f.SetDocProps(&excelize.DocProperties{
		Created:  fixedTime,
		Modified: fixedTime,
		Creator:  "Projektbüro Aktionsplan (Beispiel)",
		Title:    "Mittelverwendung Aktionsplan Soziale Stadt Dortmund (Beispieldaten)",
		Language: "de-DE",
	}); err != nil {
		return err
	}
	if err := f.SaveAs(path); err != nil {
		return err
	}
	// SaveAs creates the file with mode 0777 minus umask; a data file needs no x bit.
	return os.Chmod(path, 0o644)
}
