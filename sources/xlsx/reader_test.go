package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// fundFields are the fields of the fund usage schema, by title and name.
var fundFields = []pipeline.Field{
	{Name: "projekt_nr", Title: "Projekt-Nr", Type: "string"}, {Name: "code", Title: "Aktionsraum", Type: "string"}, {Name: "jahr", Title: "Jahr", Type: "integer"},
	{Name: "fonds", Title: "Fonds", Type: "string"}, {Name: "projekttitel", Title: "Projekttitel", Type: "string"}, {Name: "traeger", Title: "Träger", Type: "string"},
	{Name: "privatperson", Title: "Privatperson", Type: "boolean"}, {Name: "ansprechperson", Title: "Ansprechperson", Type: "string"},
	{Name: "beschlussdatum", Title: "Beschlussdatum", Type: "date"}, {Name: "bewilligt_eur", Title: "Bewilligt (EUR)", Type: "number"},
	{Name: "ausgezahlt_eur", Title: "Ausgezahlt (EUR)", Type: "number"}, {Name: "status", Title: "Status", Type: "string"},
}

var fundHeader = strings.Split("Projekt-Nr|Aktionsraum|Jahr|Fonds|Projekttitel|Träger|Privatperson|Ansprechperson|Beschlussdatum|Bewilligt (EUR)|Ausgezahlt (EUR)|Status", "|")

// workbook writes a workbook whose sheet "Daten" has the cells given.
func workbook(t *testing.T, cells map[string]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.NewSheet("Daten")
	for ref, v := range cells {
		if err := f.SetCellValue("Daten", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func open(t *testing.T, name string, fields []pipeline.Field, opt Options) *Reader {
	t.Helper()
	r, err := NewReader(name, bytes.NewReader(fixture(t, name)), fields, opt)
	if err != nil {
		t.Fatalf("NewReader(%s): %v", name, err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// readAll returns every row, the header first, as "line|cell|cell".
func readAll(t *testing.T, r *Reader) []string {
	t.Helper()
	var got []string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join(append([]string{strconv.Itoa(row.Line)}, row.Values...), "|"))
	}
}

func equalRows(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// notes returns the messages of the reader's notes, checking that each is
// an info with the read-note code.
func notes(t *testing.T, r *Reader) []string {
	t.Helper()
	var msgs []string
	for _, n := range r.Notes() {
		if n.Severity != pipeline.Info || n.Code != pipeline.CodeRead {
			t.Errorf("note %+v is no info read-note", n)
		}
		msgs = append(msgs, n.Pos.String()+": "+n.Message)
	}
	return msgs
}

func TestReaderRowsAndCells(t *testing.T) {
	date := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	buf := workbook(t, map[string]any{
		"A2": "Jahr", "B2": "Bewilligt (EUR)", "C2": "Beschlussdatum",
		"A3": 2024, "B3": 1250.5, "C3": date,
		"A5": 2023, "B5": "1.250,50", "C5": true,
	})
	r, err := NewReader("m.xlsx", buf, nil, Options{Sheet: "Daten"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{"2|Jahr|Bewilligt (EUR)|Beschlussdatum", "3|2024|1250.5|45366", "4", "5|2023|1.250,50|1"})
	o := r.Origin()
	if !o.Typed || o.Sheet != "Daten" || o.At(5, 2, "Bewilligt (EUR)").Cell != "B5" || o.Date1904 {
		t.Fatalf("origin %+v", o)
	}
}

// LibreOffice: a merged title, a second title row and an empty logo row
// above a header split over two rows by merged cells; an area merged over
// three data rows; booleans, dates, currency, numbers and dates as text,
// formulas with the values LibreOffice calculated (an empty text too), and
// a total row, which the reader passes on like any row.
func TestLibreOfficeTitleRowsAndTwoRowHeader(t *testing.T) {
	r := open(t, "lo_mittelverwendung.xlsx", fundFields, Options{})
	equalRows(t, readAll(t, r), []string{
		"5|" + strings.Join(fundHeader, "|"),
		"6|2024-BOR-01|Borsigplatz|2024|Aktionsraumfonds|Stadtteilfest am Borsigplatz|Quartiersverein Borsigplatz e.V.|0|Erika Mustermann|45366|2400|2400|abgerechnet",
		"7|2024-BOR-02|Borsigplatz|2024|Aktionsraumfonds|Kinderkochkurs|Max Muster|1|Max Muster|2024-04-20|1250.5|600|bewilligt",
		"8|2024-BOR-03|Borsigplatz|2024|Projektbudget|Nachbarschaftsgarten|Gartenfreunde e.V.|||02.05.2024|1.250,50|0|bewilligt",
		"9|2024-HOE-01|Hörde|2024|Aktionsraumfonds|Repair-Café|Bürgerhaus Hörde|0||45446|3000.75||beantragt",
		"10|Summe|||||||||5400.75|3000",
	})
	o := r.Origin()
	if o.Sheet != "Mittelverwendung" || o.Date1904 || !o.Typed || o.Decimal != ',' {
		t.Errorf("origin %+v", o)
	}
	want := []string{
		"lo_mittelverwendung.xlsx, Blatt „Mittelverwendung“, Zeile 4: Die Kopfzeile steht in den Zeilen 4 und 5: die Spaltenüberschriften sind aus beiden Zeilen zusammengesetzt (z. B. „Bewilligt (EUR)“); die Zeilen 1 bis 3 darüber werden übersprungen",
		"lo_mittelverwendung.xlsx, Blatt „Mittelverwendung“: Zahlen in Textzellen mit Dezimalkomma erkannt (z. B. „1.250,50“ in Zelle J8)",
	}
	if got := notes(t, r); !reflect.DeepEqual(got, want) {
		t.Errorf("notes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The sheet whose header matches the schema is chosen; a pivot table, a
// hidden sheet, a chart sheet and a summary sheet are passed over.
func TestSheetChoice(t *testing.T) {
	for _, tc := range []struct {
		file, sheet string
		fields      []pipeline.Field
		header      int
		note        string
	}{
		{"lo_blaetter.xlsx", "Mittelverwendung", fundFields, 1,
			"lo_blaetter.xlsx, Blatt „Mittelverwendung“: Blatt „Mittelverwendung“ gewählt: die Kopfzeile passt zum Schema; weitere Blätter: „Pivot“ (Pivot-Tabelle), „Listen“ (ausgeblendet), „Übersicht“"},
		{"lo_blaetter.xlsx", "Übersicht", nil, 1,
			"lo_blaetter.xlsx, Blatt „Übersicht“: Blatt „Übersicht“ gewählt: das erste sichtbare Tabellenblatt; weitere Blätter: „Pivot“ (Pivot-Tabelle), „Listen“ (ausgeblendet), „Mittelverwendung“"},
		{"lo_blaetter.xlsx", "Übersicht", []pipeline.Field{{Name: "x", Title: "Unbekannt"}, {Name: "y", Title: "Auch unbekannt"}}, 1,
			"lo_blaetter.xlsx, Blatt „Übersicht“: Blatt „Übersicht“ gewählt: auf keinem Blatt passt eine Kopfzeile zum Schema, darum das erste sichtbare Tabellenblatt; weitere Blätter: „Pivot“ (Pivot-Tabelle), „Listen“ (ausgeblendet), „Mittelverwendung“"},
		{"openpyxl_1904.xlsx", "Mittelverwendung", fundFields, 1,
			"openpyxl_1904.xlsx, Blatt „Mittelverwendung“: Blatt „Mittelverwendung“ gewählt: die Kopfzeile passt zum Schema; weitere Blätter: „Diagramm“ (Diagrammblatt), „Hilfswerte“ (ausgeblendet)"},
	} {
		t.Run(tc.file+" "+tc.sheet, func(t *testing.T) {
			r := open(t, tc.file, tc.fields, Options{})
			if r.Origin().Sheet != tc.sheet {
				t.Fatalf("sheet %q, want %q", r.Origin().Sheet, tc.sheet)
			}
			h, err := r.Read()
			if err != nil || h.Line != tc.header {
				t.Fatalf("header %v, %v", h, err)
			}
			if got := notes(t, r); len(got) == 0 || got[0] != tc.note {
				t.Errorf("notes %q\nwant first %q", got, tc.note)
			}
		})
	}
}

func TestConfiguredSheet(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		sheet      string // the sheet read; empty for an error
		note       string
		expected   string
	}{
		{name: "exact", want: "Übersicht", sheet: "Übersicht"},
		{name: "case and spaces", want: " übersicht ", sheet: "Übersicht",
			note: "lo_blaetter.xlsx, Blatt „Übersicht“: Gelesen wird das Blatt „Übersicht“; die Konfiguration nennt es „ übersicht “"},
		{name: "hidden", want: "Listen", sheet: "Listen",
			note: "lo_blaetter.xlsx, Blatt „Listen“: Das Blatt „Listen“ ist ausgeblendet; es wird gelesen, weil die Konfiguration es nennt"},
		{name: "missing", want: "Mittelverwendung 2024",
			note:     "Das Blatt „Mittelverwendung 2024“ gibt es in der Arbeitsmappe nicht; sie hat die Blätter „Pivot“ (Pivot-Tabelle), „Listen“ (ausgeblendet), „Übersicht“, „Mittelverwendung“. Bitte das Blatt so benennen oder den Blattnamen in der Konfiguration (sheet) ändern",
			expected: "eines der Blätter „Pivot“, „Listen“, „Übersicht“, „Mittelverwendung“"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader("lo_blaetter.xlsx", bytes.NewReader(fixture(t, "lo_blaetter.xlsx")), fundFields, Options{Sheet: tc.want})
			if tc.sheet == "" {
				var bad *pipeline.BadInput
				if !errors.As(err, &bad) || bad.Issue.Code != pipeline.CodeMalformed || bad.Issue.Message != tc.note ||
					bad.Issue.Expected != tc.expected || bad.Issue.Value != tc.want || bad.Issue.Pos != (pipeline.Pos{File: "lo_blaetter.xlsx"}) {
					t.Fatalf("err = %#v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Origin().Sheet != tc.sheet {
				t.Fatalf("sheet %q", r.Origin().Sheet)
			}
			got := notes(t, r)
			if (tc.note == "" && len(got) > 0) || (tc.note != "" && (len(got) == 0 || got[0] != tc.note)) {
				t.Fatalf("notes %q", got)
			}
		})
	}
	_, err := NewReader("openpyxl_1904.xlsx", bytes.NewReader(fixture(t, "openpyxl_1904.xlsx")), nil, Options{Sheet: "Diagramm"})
	var bad *pipeline.BadInput
	if !errors.As(err, &bad) || bad.Issue.Pos.Sheet != "Diagramm" ||
		bad.Issue.Message != "Das Blatt „Diagramm“ (Diagrammblatt) enthält keine Tabelle. Bitte in der Konfiguration (sheet) das Blatt mit der Tabelle nennen" {
		t.Fatalf("chart sheet: err = %v", err)
	}
}

// Workbooks whose dates count from 1904 say so in workbook.xml: LibreOffice
// writes date1904="true", openpyxl date1904="1". The reader agrees with
// excelize, and the serial numbers are those of the 1904 system.
func TestDate1904(t *testing.T) {
	for _, tc := range []struct {
		file   string
		is1904 bool
		cell   string
		serial string
	}{
		{"lo_1904.xlsx", true, "B2", "43904"},
		{"openpyxl_1904.xlsx", true, "I2", "43904"},
		{"lo_mittelverwendung.xlsx", false, "I6", "45366"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := excelize.OpenReader(bytes.NewReader(fixture(t, tc.file)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			props, err := f.GetWorkbookProps()
			if err != nil || (props.Date1904 != nil && *props.Date1904) != tc.is1904 {
				t.Fatalf("excelize says date1904 %v, %v", props.Date1904, err)
			}
			r := open(t, tc.file, fundFields, Options{})
			if r.Origin().Date1904 != tc.is1904 {
				t.Fatalf("Date1904 = %v", r.Origin().Date1904)
			}
			col, row, _ := excelize.CellNameToCoordinates(tc.cell)
			for {
				got, err := r.Read()
				if err != nil {
					t.Fatalf("no row %d: %v", row, err)
				}
				if got.Line == row {
					if got.Values[col-1] != tc.serial {
						t.Fatalf("%s = %q, want %q", tc.cell, got.Values[col-1], tc.serial)
					}
					break
				}
			}
			d, _ := excelize.ExcelDateToTime(43904, true)
			if d.Format("2006-01-02") != "2024-03-15" {
				t.Fatalf("serial 43904 in 1904 is %v", d)
			}
		})
	}
}

// openpyxl writes formulas without a value: the cell would read empty.
func TestFormulaWithoutValue(t *testing.T) {
	_, err := NewReader("mittelverwendung.xlsx", bytes.NewReader(fixture(t, "openpyxl_formel.xlsx")), fundFields, Options{})
	var bad *pipeline.BadInput
	if !errors.As(err, &bad) {
		t.Fatalf("err = %v", err)
	}
	want := pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos:      pipeline.Pos{File: "mittelverwendung.xlsx", Sheet: "Mittelverwendung", Row: 2, Column: 11, Cell: "K2", Field: "Ausgezahlt (EUR)"},
		Expected: "das Ergebnis der Formel, wie Excel oder LibreOffice es beim Speichern ablegt",
		Message:  "Die Formel in Zelle K2 hat keinen gespeicherten Wert. Bitte die Datei in Excel oder LibreOffice öffnen und speichern (ebenso 1 weitere Formelzellen)"}
	if bad.Issue != want {
		t.Fatalf("issue\n%+v\nwant\n%+v", bad.Issue, want)
	}
}

// A sheet of nothing but formulas that were never calculated is not empty.
func TestOnlyFormulasWithoutValue(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellFormula("Sheet1", "B2", "1+1")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := NewReader("m.xlsx", &buf, fundFields, Options{})
	var bad *pipeline.BadInput
	if !errors.As(err, &bad) || bad.Issue.Pos.Cell != "B2" || bad.Issue.Pos.Field != "" || bad.Issue.Code != pipeline.CodeMalformed {
		t.Fatalf("err = %v", err)
	}
}

// Formulas above the header, in a title, do not matter.
func TestFormulaWithoutValueAboveHeader(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellFormula("Sheet1", "A1", `="Stand: "&TEXT(TODAY(),"DD.MM.YYYY")`)
	f.SetSheetRow("Sheet1", "A3", &[]any{"Projekt-Nr", "Aktionsraum", "Jahr", "Fonds"})
	f.SetSheetRow("Sheet1", "A4", &[]any{"2024-HAF-01", "Hafen", 2024, "Projektbudget"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader("m.xlsx", &buf, fundFields, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{"3|Projekt-Nr|Aktionsraum|Jahr|Fonds", "4|2024-HAF-01|Hafen|2024|Projektbudget"})
}

// Files that are no XLSX workbook are told by their content, whatever
// their name says.
func TestNotAWorkbook(t *testing.T) {
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte("<w:document/>"))
	zw.Close()
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"old xls", fixture(t, "lo_mittelverwendung.xls"), msgXLS},
		{"ods", fixture(t, "lo_mittelverwendung.ods"), msgODS},
		{"encrypted", fixture(t, "lo_kennwort.xlsx"), msgEncrypted},
		{"truncated", fixture(t, "abgeschnitten.xlsx"), msgTruncated},
		{"empty", nil, msgEmpty},
		{"csv", []byte("Projekt-Nr;Aktionsraum\n2024-BOR-01;Borsigplatz\n"), msgText},
		{"csv windows-1252", []byte("Projekt-Nr;Tr\xe4ger\r\n"), msgText},
		{"utf-16 text", []byte("\xff\xfeP\x00r\x00"), msgText},
		{"html", []byte("\ufeff<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>"), msgHTML},
		{"spreadsheet xml", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>`), msgXML},
		{"pdf", []byte("%PDF-1.7\n"), msgPDF},
		{"word", docx.Bytes(), msgZIP},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 0}, msgUnknown},
		{"old signature only", []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0}, msgXLS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewReader("mittelverwendung.xlsx", bytes.NewReader(tc.data), fundFields, Options{})
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) {
				t.Fatalf("err = %v, want a *pipeline.BadInput", err)
			}
			want := pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: pipeline.Pos{File: "mittelverwendung.xlsx"},
				Expected: "eine Excel-Arbeitsmappe (.xlsx)", Message: tc.msg}
			if bad.Issue != want {
				t.Fatalf("issue\n%+v\nwant\n%+v", bad.Issue, want)
			}
		})
	}
}

// The encrypted fixture is a real one: excelize opens it with its password.
func TestEncryptedFixture(t *testing.T) {
	data := fixture(t, "lo_kennwort.xlsx")
	names := cfbNames(data)
	if !reflect.DeepEqual(names[:3], []string{"Root Entry", "EncryptionInfo", "EncryptedPackage"}) {
		t.Fatalf("streams %q", names)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{Password: "geheim"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Mittelverwendung", "A2"); v != "2024-EKE-01" {
		t.Fatalf("A2 = %q", v)
	}
	// Without the password excelize fails with a bare library error, which
	// is why the reader looks at the content first.
	if _, err := excelize.OpenReader(bytes.NewReader(data)); err == nil {
		t.Fatal("opened without password")
	}
	if names := cfbNames(fixture(t, "lo_mittelverwendung.xls")); !strings.Contains(strings.Join(names, "|"), "|Workbook|") {
		t.Fatalf("xls streams %q", names)
	}
}

// Blank rows between rows are returned, formatted blank rows below the
// table are not.
func TestTrailingBlankRows(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Projekt-Nr", "Jahr"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"1", 2024})
	f.SetSheetRow("Sheet1", "A5", &[]any{"2", 2024})
	style, _ := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	f.SetCellStyle("Sheet1", "A6", "B40", style)
	f.SetCellValue("Sheet1", "C8", "")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader("m.xlsx", &buf, fundFields, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{"1|Projekt-Nr|Jahr", "2|1|2024", "3", "4", "5|2|2024"})
}

func TestHeaderSearch(t *testing.T) {
	fields := fundFields
	for _, tc := range []struct {
		name   string
		cells  map[string]any
		header string
		note   string
	}{
		{"first row", map[string]any{"A1": "Projekt-Nr", "B1": "Jahr", "A2": "x"}, "1|Projekt-Nr|Jahr", ""},
		{"below a title and an empty row", map[string]any{"A1": "Mittelverwendung 2024", "A3": "projekt-nr ", "B3": "JAHR", "C3": "aktionsraum", "D3": "fonds", "A4": "x"},
			"3|projekt-nr |JAHR|aktionsraum|fonds", "m.xlsx, Blatt „Daten“, Zeile 3: Die Kopfzeile steht in Zeile 3; die Zeilen 1 bis 2 darüber werden übersprungen"},
		{"machine names", map[string]any{"A2": "projekt_nr", "B2": "code", "C2": "jahr", "D2": "fonds", "A3": "x"},
			"2|projekt_nr|code|jahr|fonds", "m.xlsx, Blatt „Daten“, Zeile 2: Die Kopfzeile steht in Zeile 2; Zeile 1 darüber wird übersprungen"},
		{"a filter line above the header", map[string]any{"A1": "Aktionsraum:", "B1": "Jahr", "A3": "Projekt-Nr", "B3": "Aktionsraum", "C3": "Jahr", "D3": "Fonds", "E3": "Status", "A4": "x"},
			"3|Projekt-Nr|Aktionsraum|Jahr|Fonds|Status", "m.xlsx, Blatt „Daten“, Zeile 3: Die Kopfzeile steht in Zeile 3; die Zeilen 1 bis 2 darüber werden übersprungen"},
		{"no header matches", map[string]any{"A2": "Nummer", "B2": "Gebiet", "A3": "x"},
			"2|Nummer|Gebiet", "m.xlsx, Blatt „Daten“, Zeile 2: In den ersten 30 Zeilen passt keine Zeile zu den Spalten des Schemas; als Kopfzeile gilt die erste Zeile mit einem Wert, Zeile 2"},
		{"header below the rows searched", map[string]any{"A40": "Projekt-Nr", "B40": "Jahr", "C40": "Fonds", "D40": "Status", "A41": "x"},
			"40|Projekt-Nr|Jahr|Fonds|Status", "m.xlsx, Blatt „Daten“, Zeile 40: In den ersten 30 Zeilen passt keine Zeile zu den Spalten des Schemas; als Kopfzeile gilt die erste Zeile mit einem Wert, Zeile 40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader("m.xlsx", workbook(t, tc.cells), fields, Options{Sheet: "Daten"})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows := readAll(t, r)
			if len(rows) == 0 || rows[0] != tc.header {
				t.Fatalf("rows %q, want header %q", rows, tc.header)
			}
			got := notes(t, r)
			if (tc.note == "" && len(got) > 0) || (tc.note != "" && (len(got) != 1 || got[0] != tc.note)) {
				t.Fatalf("notes %q, want %q", got, tc.note)
			}
		})
	}
}

// A number cell 1.125 and a text cell "1.125" stay apart: in German the
// text is 1125.
func TestNumbersThatLookGrouped(t *testing.T) {
	r, err := NewReader("m.xlsx", workbook(t, map[string]any{
		"A1": "Projekt-Nr", "B1": "Bewilligt (EUR)", "C1": "Ausgezahlt (EUR)", "D1": "Jahr",
		"A2": "1", "B2": 1.125, "C2": "1.125", "D2": -250.5,
		"A3": "2", "B3": 1125, "C3": "2.400", "D3": 12.125,
	}), fundFields, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{"1|Projekt-Nr|Bewilligt (EUR)|Ausgezahlt (EUR)|Jahr", "2|1|1.1250|1.125|-250.5", "3|2|1125|2.400|12.1250"})
}

// A number cell in a text column keeps its value: a Projekt-Nr stored as
// the number 3.101 is "3.101", not "3.1010".
func TestNumberCellsInTextColumnsStayAsStored(t *testing.T) {
	r, err := NewReader("m.xlsx", workbook(t, map[string]any{
		"A1": "Projekt-Nr", "B1": "Bewilligt (EUR)", "C1": "Jahr",
		"A2": 3.101, "B2": 3.101, "C2": 2024,
	}), fundFields, Options{Sheet: "Daten"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{"1|Projekt-Nr|Bewilligt (EUR)|Jahr", "2|3.101|3.1010|2024"})
}

// A cell formatted as a percentage shows 0.201 as "20,1 %": a percentage
// column means 20.1, exactly.
func TestPercentCellsReadAsShown(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Aktionsraum", "Jahr", "Einwohner", "Anteil unter 18 (%)"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Hafen", 2024, 17350, 0.201})
	f.SetSheetRow("Sheet1", "A3", &[]any{"Hafen", 2023, 17300, 0.15})
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	custom := "0.0%"
	pct1, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	f.SetCellStyle("Sheet1", "D2", "D2", pct)
	f.SetCellStyle("Sheet1", "D3", "D3", pct1)
	var buf bytes.Buffer
	f.Write(&buf)
	kf := []pipeline.Field{{Name: "code", Title: "Aktionsraum", Type: "string"}, {Name: "jahr", Title: "Jahr", Type: "integer"},
		{Name: "einwohner", Title: "Einwohner", Type: "integer"}, {Name: "anteil_unter_18_pct", Title: "Anteil unter 18 (%)", Type: "number", Unit: "%"}}
	r, err := NewReader("k.xlsx", &buf, kf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{"1|Aktionsraum|Jahr|Einwohner|Anteil unter 18 (%)", "2|Hafen|2024|17350|20.1", "3|Hafen|2023|17300|15"})
}

// Without a configured sheet the one whose header names the most fields
// wins, not the first that names a few.
func TestSheetWithTheBestHeader(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Übersicht")
	f.SetSheetRow("Übersicht", "A1", &[]any{"Aktionsraum", "Jahr", "Fonds", "Bewilligt (EUR)", "Ausgezahlt (EUR)"})
	f.NewSheet("Liste")
	row := make([]any, len(fundHeader))
	for i, h := range fundHeader {
		row[i] = h
	}
	f.SetSheetRow("Liste", "A1", &row)
	var buf bytes.Buffer
	f.Write(&buf)
	r, err := NewReader("m.xlsx", &buf, fundFields, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Origin().Sheet != "Liste" {
		t.Fatalf("sheet %q, want Liste", r.Origin().Sheet)
	}
}

func TestEmptySheet(t *testing.T) {
	r, err := NewReader("m.xlsx", workbook(t, map[string]any{}), fundFields, Options{Sheet: "Daten"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Read(); err != io.EOF {
		t.Fatalf("Read = %v, want io.EOF", err)
	}
}

// Two-row headers as they come: a group cell over sub-headers, a unit row
// below the headers, sub-headers that name fields by themselves, and
// sub-headers that name none.
func TestJoinHeader(t *testing.T) {
	m := newMatcher(fundFields)
	for _, tc := range []struct{ upper, lower, want string }{
		{"Betrag (EUR)", "Bewilligt", "Bewilligt (EUR)"},
		{"Betrag in EUR", "Ausgezahlt", "Betrag in EUR Ausgezahlt"},
		{"EUR", "Ausgezahlt", "Ausgezahlt (EUR)"},
		{"Bewilligt", "(EUR)", "Bewilligt (EUR)"},
		{"Bewilligt", "EUR", "Bewilligt (EUR)"},
		{"Beträge", "Bewilligt (EUR)", "Bewilligt (EUR)"},
		{"Projekt", "Nr", "Projekt Nr"},
		{"Projekt-Nr", "", "Projekt-Nr"},
		{"", "Status", "Status"},
	} {
		if got := joinHeader(tc.upper, tc.lower, m); got != tc.want {
			t.Errorf("joinHeader(%q, %q) = %q, want %q", tc.upper, tc.lower, got, tc.want)
		}
	}
}

// A two-row header without merged cells: sub-headers below a group that
// stands in its first column only are joined where they name a field.
func TestTwoRowHeaderWithoutMerges(t *testing.T) {
	r, err := NewReader("m.xlsx", workbook(t, map[string]any{
		"A1": "Projekt-Nr", "B1": "Aktionsraum", "C1": "Jahr", "D1": "Fonds", "E1": "Betrag (EUR)",
		"E2": "Bewilligt", "F2": "Ausgezahlt (EUR)",
		"A3": "2024-HAF-01", "B3": "Hafen", "C3": 2024, "D3": "Projektbudget", "E3": 100, "F3": 50,
	}), fundFields, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	equalRows(t, readAll(t, r), []string{
		"2|Projekt-Nr|Aktionsraum|Jahr|Fonds|Bewilligt (EUR)|Ausgezahlt (EUR)",
		"3|2024-HAF-01|Hafen|2024|Projektbudget|100|50",
	})
}

func TestTextDecimal(t *testing.T) {
	for in, want := range map[string]rune{
		"1.250,50": ',', "12,5": ',', "1250,500": ',', "-3,25 €": ',', "12,5 %": ',',
		"1,250.50": '.', "EUR 1,250.5": '.',
		"1.250": 0, "1,250": 0, "1250.5": 0, "15.03.2024": 0, "2024": 0, "Hörde": 0, "1,2,3": 0, "": 0,
	} {
		if got := textDecimal(in); got != want {
			t.Errorf("textDecimal(%q) = %q, want %q", in, got, want)
		}
	}
}

// The configured decimal separator wins over the one the cells show.
func TestConfiguredDecimal(t *testing.T) {
	r := open(t, "lo_mittelverwendung.xlsx", fundFields, Options{Decimal: '.'})
	if r.Origin().Decimal != '.' {
		t.Fatalf("Decimal %q", r.Origin().Decimal)
	}
	for _, n := range notes(t, r) {
		if strings.Contains(n, "Dezimal") {
			t.Fatalf("note %q", n)
		}
	}
}

// Whatever the bytes, NewReader and Read return rows or a
// *pipeline.BadInput, and never panic.
func FuzzNewReader(f *testing.F) {
	for _, name := range []string{"lo_1904.xlsx", "lo_kennwort.xlsx", "lo_mittelverwendung.xls", "abgeschnitten.xlsx"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Projekt-Nr;Jahr\n1;2024\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader("f.xlsx", bytes.NewReader(data), fundFields, Options{})
		var bad *pipeline.BadInput
		if err != nil {
			if !errors.As(err, &bad) {
				t.Fatalf("err = %v, want a *pipeline.BadInput", err)
			}
			return
		}
		defer r.Close()
		for i := 0; i < 1000; i++ {
			if _, err := r.Read(); err != nil {
				if err != io.EOF && !errors.As(err, &bad) {
					t.Fatalf("Read: %v", err)
				}
				return
			}
		}
	})
}
