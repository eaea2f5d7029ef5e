package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/outputs/report"
)

// fill writes rows into the first sheet of the workbook at src, from row 2,
// as staff would type them, and saves it as dst.
func fill(t *testing.T, src, dst string, rows [][]any) {
	t.Helper()
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(dst); err != nil {
		t.Fatal(err)
	}
}

func date(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// validateJSON runs validate with args and returns the exit code and report.
func validateJSON(t *testing.T, args ...string) (int, report.Document) {
	t.Helper()
	code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", append([]string{"validate", "--format", "json"}, args...)...)
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s%s", code, err, stdout, stderr)
	}
	return code, doc
}

// TestTemplateFilledValidates fills each template with valid rows and expects
// validate to pass without errors and without blank rows.
func TestTemplateFilledValidates(t *testing.T) {
	for _, tc := range []struct {
		kind, flag string
		rows       [][]any
	}{
		{"fund-usage", "--fund-usage", [][]any{
			{"2026-HOE-01", "Hörde", 2026, "Aktionsraumfonds", "Nachbarschaftsfest", "Bürgerverein Hörde e.V.", "nein", "Erika Mustermann", date("2026-03-15"), 1250.5, 1000, "bewilligt"},
			{"2026-LIE-02", "Eving-Lindenhorst", 2026, "Projektbudget", "Sprachcafé", "Privatperson", "ja", "Max Muster", date("2026-05-02"), 800, 800, "abgerechnet"},
			{"2026-BOR-03", "BOR", 2026, "Aktionsraumfonds", "Spielplatzfest", "Kinderhaus Borsigplatz", nil, nil, nil, 450, nil, "beantragt"},
		}},
		{"key-figures", "--key-figures", [][]any{
			{"Hörde", 2025, 23512, 17.1, 21.3, 18.4, 9.7, 17.2, 28.9},
			{"Marten", 2025, 9120, 19.5, 17.8, 22.1, 11.2, 21.4, 33.3},
		}},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			dir := t.TempDir()
			tpl := filepath.Join(dir, "vorlage.xlsx")
			if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "template", tc.kind, "--out", tpl); code != exitOK {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			filled := filepath.Join(dir, "ausgefuellt.xlsx")
			fill(t, tpl, filled, tc.rows)
			code, doc := validateJSON(t, tc.flag, filled)
			if code != exitOK || doc.Errors != 0 {
				t.Fatalf("exit %d, issues %+v", code, doc.Issues)
			}
			for _, is := range doc.Issues {
				if is.Pos.File == "ausgefuellt.xlsx" && is.Pos.Row > 0 {
					t.Errorf("issue in a row of the filled template: %s", is)
				}
			}
		})
	}
}

// TestTemplateUsesConfiguredSheet names the data sheet as the config's
// [read.fund_usage] sheet says, so that a run with that config reads it.
func TestTemplateUsesConfiguredSheet(t *testing.T) {
	cfg := exampleCopy(t)
	data, _ := os.ReadFile(cfg)
	data = bytes.Replace(data, []byte(`sheet = "Mittelverwendung"`), []byte(`sheet = "MV 2026"`), 1)
	if err := os.WriteFile(cfg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tpl := filepath.Join(dir, "neu", "vorlage.xlsx")
	code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "template", "fund-usage", "--config", cfg, "--out", tpl)
	if code != exitOK || !strings.Contains(stdout, "Blatt „MV 2026“") || !strings.Contains(stdout, "13 Aktionsräume") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	filled := filepath.Join(dir, "mv.xlsx")
	fill(t, tpl, filled, [][]any{{"2026-WIC-01", "Wickede", 2026, "Aktionsraumfonds", "Lesepaten", "Stadtteilbibliothek", "nein", nil, date("2026-02-01"), 300, 300, "abgerechnet"}})
	if code, doc := validateJSON(t, "--config", cfg, "--fund-usage", filled); code != exitOK {
		t.Fatalf("exit %d, issues %+v", code, doc.Issues)
	}
}

func TestTemplateIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	var files [][]byte
	for _, now := range []string{"2026-11-25T04:30:00Z", "2027-01-02T04:30:00Z"} {
		out := filepath.Join(dir, now[:4]+".xlsx")
		if code, stdout, stderr := runCmd(t, now, "template", "key-figures", "--out", out); code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("two templates of the same config differ")
	}
}

func TestTemplateUsage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "v.xlsx")
	badRegister := filepath.Join(t.TempDir(), "register.csv")
	os.WriteFile(badRegister, []byte("code,name,betreuung,gueltig_ab,gueltig_bis,schreibweisen\nhoe,Hörde,Stadterneuerung,2009,,\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no kind", []string{"template", "--out", out}, exitUsage},
		{"unknown kind", []string{"template", "register", "--out", out}, exitUsage},
		{"no out", []string{"template", "fund-usage"}, exitUsage},
		{"not xlsx", []string{"template", "fund-usage", "--out", "v.csv"}, exitUsage},
		{"extra argument", []string{"template", "fund-usage", "--out", out, "more"}, exitUsage},
		{"missing register", []string{"template", "fund-usage", "--out", out, "--register", "/nonexistent/r.csv"}, exitUsage},
		{"invalid register", []string{"template", "fund-usage", "--out", out, "--register", badRegister}, exitInvalid},
		{"help", []string{"template", "--help"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", tc.args...); code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed command wrote the template")
	}
}
