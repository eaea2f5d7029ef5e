package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var testInputs = []pipeline.InputFile{
	{Role: "register", Name: "register.csv", Rows: 13},
	{Role: "fund_usage", Name: "mittelverwendung.xlsx", Rows: 10003},
	{Role: "key_figures", Name: "kennzahlen.csv", Rows: 78},
	{Role: "areas", Name: "aktionsraeume.geojson", Rows: 13},
}

// fundAt returns a position in the sample workbook.
func fundAt(col string, c, row int, field string) pipeline.Pos {
	return pipeline.Pos{File: "mittelverwendung.xlsx", Sheet: "Mittelverwendung", Row: row, Column: c, Field: field, Cell: fmt.Sprintf("%s%d", col, row)}
}

// bigResult holds 10,000 equal errors in one column and a few others.
func bigResult() *pipeline.Result {
	rep := &pipeline.Report{}
	rep.Infof(pipeline.CodeRead, pipeline.Pos{File: "mittelverwendung.xlsx", Sheet: "Mittelverwendung"}, "Gelesen wurde das Blatt „Mittelverwendung“")
	for row := 2; row <= 10001; row++ {
		rep.Errorf(pipeline.CodeTypeError, fundAt("C", 3, row, "Jahr"), "zwanzig", "eine ganze Zahl", "Keine ganze Zahl")
	}
	rep.Errorf(pipeline.CodeForeignKey, fundAt("B", 2, 10002, "Aktionsraum"), "<script>alert(1)</script>", "ein Aktionsraum aus dem Register",
		"Unbekannter Aktionsraum; meinten Sie BOR (Borsigplatz)?")
	rep.Errorf(pipeline.CodeMissingCell, fundAt("A", 1, 10003, "Projekt-Nr"), "", "eine Projekt-Nr", "Die Projekt-Nr fehlt")
	rep.Warnf(pipeline.CodeBudgetExceeded, fundAt("J", 10, 18, "Bewilligt (EUR)"), "5.450,00 EUR", "höchstens 5.000,00 EUR", "Der Aktionsraumfonds ist überschritten")
	rep.Errorf(pipeline.CodeTypeError, pipeline.Pos{File: "kennzahlen.csv", Row: 5, Column: 4, Field: "Anteil unter 18 (%)"}, "abc", "eine Zahl", "Keine Zahl")
	rep.Errorf(pipeline.CodeGeometry, pipeline.Pos{File: "aktionsraeume.geojson", Feature: 3}, "", "ein Polygon", "Die Grenze ist kein Polygon")
	rep.Infof(pipeline.CodeRead, pipeline.Pos{File: "kennzahlen.csv"}, "Trennzeichen „;“ erkannt")
	return &pipeline.Result{Report: rep, Inputs: testInputs}
}

func render(t *testing.T, d Document, p Page) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, d, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLCapsGroupsAndCounts(t *testing.T) {
	page := render(t, NewDocument("20261125T043000Z", bigResult()), Page{Title: "Aktionsplan Soziale Stadt Dortmund"})
	if n := strings.Count(page, ">zwanzig<"); n != DefaultPerGroup {
		t.Errorf("the group of 10,000 lists %d problems, want %d", n, DefaultPerGroup)
	}
	for _, want := range []string{
		"Nichts veröffentlicht",
		"Insgesamt: 10.004 Fehler, 1 Warnung, 2 Hinweise",
		"<strong>10.002 Fehler, 1 Warnung</strong> in mittelverwendung.xlsx, Blatt „Mittelverwendung“",
		"<strong>1 Fehler</strong> in kennzahlen.csv",
		"<strong>1 Fehler</strong> in aktionsraeume.geojson",
		"Ohne Beanstandung: register.csv",
		"Wert hat nicht die erwartete Form in Spalte „Jahr“ <span class=\"count\">– 10.000 Fehler</span>",
		"… und 9.980 weitere gleichartige Probleme in Spalte „Jahr“ (Zeilen 22–10.001)",
		"Tragen Sie eine Zahl ein, z. B. 1.250,50",
		"Verwenden Sie den Namen oder Code aus der Liste der Aktionsräume",
		`<td class="place">C21</td>`,
		`<td class="place">Zeile 5, Spalte 4</td>`,
		`<td class="place">Feature 3</td>`,
		"So wurden die Dateien gelesen",
		"Trennzeichen „;“ erkannt",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, ">C22<") {
		t.Error("the 21st problem of a group is listed")
	}
	// Groups appear by file as read, errors before warnings.
	order := []string{"Wert hat nicht die erwartete Form", "Unbekannter Aktionsraum", "Pflichtangabe fehlt", "Fonds oder Budget überschritten",
		"id=\"stelle-2\">kennzahlen.csv", "id=\"stelle-3\">aktionsraeume.geojson"}
	last := -1
	for _, s := range order {
		i := strings.Index(page, s)
		if i < last {
			t.Errorf("%q is out of order", s)
		}
		last = i
	}
	if len(page) > 100_000 {
		t.Errorf("page of %d bytes; the cap should keep it small", len(page))
	}
}

func TestHTMLEscapesAndLoadsNothing(t *testing.T) {
	page := render(t, NewDocument("r1", bigResult()), Page{Title: "<b>Titel</b>", Note: "Beispieldaten & Co."})
	if strings.Contains(page, "<script") || strings.Contains(page, "<b>Titel") {
		t.Error("a value or title reached the page unescaped")
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;Titel&lt;/b&gt;", "Beispieldaten &amp; Co."} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, m := range regexp.MustCompile(`(?i)\b(src|href)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[2], "#") {
			t.Errorf("%s=%q points outside the page", m[1], m[2])
		}
	}
	for _, bad := range []string{"http", "<link", "<img", "<iframe", "url(", "@import", "@font-face"} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}

func TestHTMLVerdict(t *testing.T) {
	rep := &pipeline.Report{}
	rep.Warnf(pipeline.CodeBudgetExceeded, fundAt("J", 10, 18, "Bewilligt (EUR)"), "5.450,00 EUR", "höchstens 5.000,00 EUR", "Fonds überschritten")
	for _, tc := range []struct {
		name    string
		res     *pipeline.Result
		answer  string
		details string
	}{
		{"checked", &pipeline.Result{Report: rep, Inputs: testInputs}, "Prüfung bestanden", "können veröffentlicht werden. Bitte sehen Sie sich die Warnung an"},
		{"published", &pipeline.Result{Report: rep, Inputs: testInputs, Published: true, Manifest: pipeline.Manifest{Release: "20261125T043000Z"}},
			"Prüfung bestanden", "veröffentlicht (Stand 20261125T043000Z)"},
		{"clean", &pipeline.Result{Report: &pipeline.Report{}}, "Prüfung bestanden", "keine Beanstandungen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := render(t, NewDocument("r1", tc.res), Page{})
			if !strings.Contains(page, `<section class="verdict pass">`+"\n"+`<p class="answer">`+tc.answer) || !strings.Contains(page, tc.details) {
				t.Errorf("page lacks %q and %q:\n%s", tc.answer, tc.details, page)
			}
		})
	}
}

func TestMore(t *testing.T) {
	for _, tc := range []struct {
		name   string
		issues []pipeline.Issue
		want   string
	}{
		{"one row", []pipeline.Issue{{Pos: pipeline.Pos{Row: 7, Field: "Jahr"}}}, "… und 1 weiteres gleichartiges Problem in Spalte „Jahr“ (Zeile 7)"},
		{"features", []pipeline.Issue{{Pos: pipeline.Pos{Feature: 4}}, {Pos: pipeline.Pos{Feature: 2}}}, "… und 2 weitere gleichartige Probleme (Features 2–4)"},
		{"no place", []pipeline.Issue{{}, {}}, "… und 2 weitere gleichartige Probleme"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := more(tc.issues); got != tc.want {
				t.Errorf("more = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 10001: "10.001", 1234567: "1.234.567", -1500: "-1.500"} {
		if got := number(n); got != want {
			t.Errorf("number(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestHTMLGolden pins the page of a small report; run go test -update after
// an intended change and look at the page in a browser.
func TestHTMLGolden(t *testing.T) {
	rep := &pipeline.Report{}
	rep.Infof(pipeline.CodeRead, pipeline.Pos{File: "mittelverwendung.xlsx", Sheet: "Mittelverwendung"}, "Gelesen wurde das Blatt „Mittelverwendung“ (das erste der Arbeitsmappe)")
	rep.Errorf(pipeline.CodeTypeError, fundAt("J", 10, 7, "Bewilligt (EUR)"), "1.250,50 Euro", "eine Zahl wie 1.250,50", "Keine Zahl")
	rep.Errorf(pipeline.CodeForeignKey, fundAt("B", 2, 9, "Aktionsraum"), "Evinng", "ein Aktionsraum aus dem Register",
		"Unbekannter Aktionsraum; meinten Sie LIE (Lindenhorst/Eving), EKE (Eving/Kemminghausen), HOE (Hörde)?")
	rep.Errorf(pipeline.CodeMissingCell, fundAt("A", 1, 12, "Projekt-Nr"), "", "eine Projekt-Nr", "Die Projekt-Nr fehlt")
	rep.Errorf(pipeline.CodeBusinessRule, fundAt("K", 11, 14, "Ausgezahlt (EUR)"), "3.000,00", "höchstens 2.400,00 (Bewilligt)", "Ausgezahlt ist höher als Bewilligt")
	rep.Warnf(pipeline.CodeBudgetExceeded, fundAt("J", 10, 18, "Bewilligt (EUR)"), "5.450,00 EUR", "höchstens 5.000,00 EUR",
		"Der Aktionsraumfonds NOM (Nordmarkt) 2023 ist überschritten (ab dieser Zeile); die Summe wird so veröffentlicht und markiert")
	rep.Errorf(pipeline.CodeConstraint, pipeline.Pos{File: "kennzahlen.csv", Row: 5, Column: 4, Field: "Anteil unter 18 (%)"}, "162", "höchstens 100", "Der Wert ist größer als 100")
	res := &pipeline.Result{Report: rep, Inputs: testInputs[:3]}
	got := []byte(render(t, NewDocument("20261125T043000Z", res), Page{Title: "Aktionsplan Soziale Stadt Dortmund", Note: "Beispieldaten, keine amtlichen Zahlen"}))
	path := filepath.Join("testdata", "small.golden.html")
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
		t.Errorf("the page differs from %s (run go test ./outputs/report -update after an intended change)", path)
	}
}
