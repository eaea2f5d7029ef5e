package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/examples"
	"aktionsplan/outputs/release"
	"aktionsplan/outputs/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// clock returns a clock fixed at the given time.
func clock(s string) func() time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return t }
}

// runCmd runs the command in-process and returns exit code, stdout, stderr.
func runCmd(t *testing.T, now string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, now: clock(now)}
	code := a.main(context.Background(), args)
	return code, out.String(), errb.String()
}

// exampleCopy copies the embedded example into a temp folder and returns the
// path of its config.
func exampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, examples.Dortmund()); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, examples.DortmundConfig)
}

// publishedFiles are the files every release holds.
var publishedFiles = []string{
	"aktionsraeume.csv", "aktionsraeume.geojson", "aktionsraeume.xlsx",
	"kennzahlen.csv", "kennzahlen.xlsx",
	"mittelverwendung.csv", "mittelverwendung.xlsx",
	"mittelverwendung_summen.csv", "mittelverwendung_summen.xlsx",
	"manifest.json",
}

func TestRunExamplePublishesRelease(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	id, err := release.Current(out)
	if err != nil || id != "20261125T043000Z" {
		t.Fatalf("current = %q, %v", id, err)
	}
	for _, name := range publishedFiles {
		if _, err := os.Stat(filepath.Join(out, "current", name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	if err := release.Verify(out); err != nil {
		t.Fatal(err)
	}
	m, err := release.ReadManifest(filepath.Join(out, "current"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, f := range m.Files {
		rows[f.Name] = f.Rows
	}
	for name, want := range map[string]int{"aktionsraeume.geojson": 13, "kennzahlen.csv": 78, "mittelverwendung.csv": 44} {
		if rows[name] != want {
			t.Errorf("manifest rows of %s = %d, want %d", name, rows[name], want)
		}
	}
	if len(m.Inputs) != 4 || m.Note == "" {
		t.Errorf("manifest inputs %v, note %q", m.Inputs, m.Note)
	}
	for _, want := range []string{"Beispieldaten", "13 Aktionsräume", "44 Maßnahmen", "78 Kennzahlen-Zeilen", "Veröffentlicht", "NOM"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
}

func TestRunIsDeterministic(t *testing.T) {
	out := t.TempDir()
	for _, now := range []string{"2026-11-25T04:30:00Z", "2026-11-26T04:30:00Z"} {
		if code, stdout, stderr := runCmd(t, now, "run", "--force", "--out", out); code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
	}
	for _, name := range publishedFiles {
		if name == "manifest.json" {
			continue
		}
		a, errA := os.ReadFile(filepath.Join(out, "releases", "20261125T043000Z", name))
		b, errB := os.ReadFile(filepath.Join(out, "releases", "20261126T043000Z", name))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs over the same inputs (%v, %v)", name, errA, errB)
		}
	}
}

// TestRunGolden compares the text outputs of the example with golden files;
// run with -update to refresh them after an intended change.
func TestRunGolden(t *testing.T) {
	out := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--out", out); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, name := range publishedFiles {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(out, "current", name)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, ".xlsx") {
				// Compare what a reader sees, not the zip bytes, so that the
				// golden file stays reviewable; TestRunIsDeterministic pins
				// the bytes.
				name += ".cells"
				got = dumpXLSX(t, path)
			}
			golden(t, name, got)
		})
	}
}

// dumpXLSX lists every cell of every sheet with its type and raw value.
func dumpXLSX(t *testing.T, path string) []byte {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, _ := f.GetCellType(sheet, ref)
				style, _ := f.GetCellStyle(sheet, ref)
				fmt.Fprintf(&b, "%s!%s\t%d\t%d\t%s\n", sheet, ref, typ, style, v)
			}
		}
	}
	return []byte(b.String())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
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
		t.Errorf("%s differs from %s (run go test ./cmd/aktionsplan -update after an intended change)", name, path)
	}
}

func TestRunInvalidKeepsCurrent(t *testing.T) {
	cfg := exampleCopy(t)
	out := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--config", cfg, "--out", out); code != exitOK {
		t.Fatalf("first run: exit %d\n%s%s", code, stdout, stderr)
	}
	before, _ := os.Readlink(filepath.Join(out, "current"))

	// Break one key figure: the fourth column of the fifth line.
	kf := filepath.Join(filepath.Dir(cfg), "kennzahlen.csv")
	data, _ := os.ReadFile(kf)
	lines := strings.Split(string(data), "\r\n")
	cells := strings.Split(lines[4], ";")
	cells[3] = "abc"
	lines[4] = strings.Join(cells, ";")
	if err := os.WriteFile(kf, []byte(strings.Join(lines, "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}

	code, stdout, _ := runCmd(t, "2026-11-25T05:30:00Z", "run", "--config", cfg, "--out", out)
	if code != exitInvalid {
		t.Fatalf("exit %d, want %d\n%s", code, exitInvalid, stdout)
	}
	for _, want := range []string{"kennzahlen.csv, Zeile 5, Spalte 4 (Spalte „Anteil unter 18 (%)“)", "„abc“"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	after, _ := os.Readlink(filepath.Join(out, "current"))
	if after != before {
		t.Fatalf("current moved from %s to %s", before, after)
	}
	entries, _ := os.ReadDir(filepath.Join(out, "releases"))
	if len(entries) != 1 {
		t.Fatalf("releases/ holds %d entries, want the first release only", len(entries))
	}
	var doc report.Document
	data, err := os.ReadFile(filepath.Join(out, "reports", "20261125T053000Z.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Valid || doc.Errors != 1 || doc.Issues[0].Code != "type-error" || doc.Issues[0].Pos.Row != 5 || doc.Issues[0].Pos.Column != 4 {
		t.Fatalf("report %+v", doc)
	}
	// The failed run leaves a page for the clerk; the good one did not need one.
	page, err := os.ReadFile(filepath.Join(out, "reports", "20261125T053000Z.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Nichts veröffentlicht", "1 Fehler</strong> in kennzahlen.csv", "Zeile 5, Spalte 4", "So beheben Sie es:", "Beispieldaten"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if !strings.Contains(stdout, filepath.Join(out, "reports", "20261125T053000Z.html")) {
		t.Errorf("output does not name the HTML report:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "reports", "20261125T043000Z.html")); err == nil {
		t.Error("the published run wrote an HTML report")
	}
	// Reports are written to a temporary file and renamed: none is left,
	// and the reports are readable by the server's user.
	reports, _ := os.ReadDir(filepath.Join(out, "reports"))
	var names []string
	for _, e := range reports {
		names = append(names, e.Name())
		if info, err := e.Info(); err != nil || info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v (%v), want 0644", e.Name(), info.Mode(), err)
		}
	}
	if want := []string{"20261125T043000Z.json", "20261125T043000Z.txt", "20261125T053000Z.html", "20261125T053000Z.json", "20261125T053000Z.txt"}; !slices.Equal(names, want) {
		t.Errorf("reports/ holds %q, want %q", names, want)
	}
}

func TestRunTwiceInOneSecondKeepsBothReports(t *testing.T) {
	out := t.TempDir()
	for i := 0; i < 2; i++ {
		if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--force", "--out", out); code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
	}
	for _, p := range []string{"releases/20261125T043000Z", "releases/20261125T043000Z-2", "reports/20261125T043000Z.json", "reports/20261125T043000Z-2.json"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Error(err)
		}
	}
	if id, _ := release.Current(out); id != "20261125T043000Z-2" {
		t.Errorf("current = %s", id)
	}
}

func TestConfigOutIsRelativeToConfig(t *testing.T) {
	cfg := exampleCopy(t)
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append([]byte("out = \"veroeffentlicht\"\n"), data...), 0o644)
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--config", cfg); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := release.Current(filepath.Join(filepath.Dir(cfg), "veroeffentlicht")); err != nil {
		t.Fatalf("no release beside the config: %v", err)
	}
}

func TestValidate(t *testing.T) {
	code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "validate", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	// The example exceeds the Aktionsraumfonds of Nordmarkt in 2023.
	if !doc.Valid || doc.Warnings == 0 || doc.Issues[0].Code != "budget-exceeded" || doc.SchemaVersion != report.SchemaVersion {
		t.Fatalf("report %+v", doc)
	}
	var fields map[string]any
	json.Unmarshal([]byte(stdout), &fields)
	for _, key := range []string{"schema_version", "run_id", "valid", "errors", "warnings", "notes", "inputs", "counts", "issues"} {
		if _, ok := fields[key]; !ok {
			t.Errorf("JSON report lacks %q", key)
		}
	}
}

func TestValidateHTML(t *testing.T) {
	code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "validate", "--format", "html")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"<!DOCTYPE html>", "Prüfung bestanden", "Aktionsplan Soziale Stadt Dortmund", "Beispieldaten, keine amtlichen Zahlen",
		"Fonds oder Budget überschritten", "J18"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(bad, []byte("titel = \"x\"\n"), 0o644)
	badCRS := filepath.Join(t.TempDir(), "crs.toml")
	os.WriteFile(badCRS, []byte("[areas]\ncrs = \"EPSG:31467\"\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no command", nil, exitUsage},
		{"unknown command", []string{"publish"}, exitUsage},
		{"unknown flag", []string{"run", "--outt", "x"}, exitUsage},
		{"no out", []string{"run"}, exitUsage},
		{"bad format", []string{"validate", "--format", "xml"}, exitUsage},
		{"unknown config key", []string{"validate", "--config", bad}, exitUsage},
		{"unknown CRS", []string{"validate", "--config", badCRS}, exitUsage},
		{"missing config", []string{"validate", "--config", bad + ".nope"}, exitUsage},
		{"help", []string{"run", "--help"}, exitOK},
		{"missing input file", []string{"validate", "--areas", "/nonexistent/x.geojson"}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", tc.args...); code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
		})
	}
}

var _ fs.FS = examples.Dortmund()

// Two inputs in one workbook are read from their own sheets, every time:
// read options belong to the input's role, not to the file name.
func TestTwoInputsInOneWorkbook(t *testing.T) {
	cfg := exampleCopy(t)
	dir := filepath.Dir(cfg)
	f, err := excelize.OpenFile(filepath.Join(dir, "mittelverwendung.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	f.NewSheet("Kennzahlen")
	data, _ := os.ReadFile(filepath.Join(dir, "kennzahlen.csv"))
	for r, line := range strings.Split(strings.TrimSpace(strings.TrimPrefix(string(data), "\ufeff")), "\r\n") {
		for c, cell := range strings.Split(line, ";") {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var v any = cell
			if x, err := strconv.ParseFloat(strings.ReplaceAll(cell, ",", "."), 64); err == nil && r > 0 {
				v = x
			}
			f.SetCellValue("Kennzahlen", ref, v)
		}
	}
	if err := f.SaveAs(filepath.Join(dir, "daten.xlsx")); err != nil {
		t.Fatal(err)
	}
	conf := `[inputs]
register = "register.csv"
areas = "aktionsraeume.geojson"
fund_usage = "daten.xlsx"
key_figures = "daten.xlsx"
[read.fund_usage]
sheet = "Mittelverwendung"
[read.key_figures]
sheet = "Kennzahlen"
`
	os.WriteFile(cfg, []byte(conf), 0o644)
	for i := 0; i < 5; i++ {
		if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "validate", "--config", cfg); code != exitOK {
			t.Fatalf("run %d: exit %d\n%s%s", i, code, stdout, stderr)
		}
	}
}

// Unchanged inputs publish no new release, and the history says so; a
// changed setting publishes anew.
func TestRunUnchangedAndHistory(t *testing.T) {
	cfg := exampleCopy(t)
	out := t.TempDir()
	for i, now := range []string{"2026-11-25T04:30:00Z", "2026-11-26T04:30:00Z"} {
		code, stdout, stderr := runCmd(t, now, "run", "--config", cfg, "--out", out)
		if code != exitOK {
			t.Fatalf("run %d: exit %d\n%s%s", i, code, stdout, stderr)
		}
		if i == 1 && !strings.Contains(stdout, "Unverändert") {
			t.Fatalf("second run:\n%s", stdout)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(out, "releases"))
	if len(entries) != 1 {
		t.Fatalf("%d releases, want 1", len(entries))
	}
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, bytes.Replace(data, []byte("fund_per_area_eur = 5000.00"), []byte("fund_per_area_eur = 5500.00"), 1), 0o644)
	if code, stdout, _ := runCmd(t, "2026-11-27T04:30:00Z", "run", "--config", cfg, "--out", out); code != exitOK || !strings.Contains(stdout, "Veröffentlicht") {
		t.Fatalf("changed budget: exit %d\n%s", code, stdout)
	}
	code, stdout, stderr := runCmd(t, "2026-11-27T05:00:00Z", "runs", "--out", out)
	if code != exitOK {
		t.Fatalf("runs: exit %d %s", code, stderr)
	}
	for _, want := range []string{"20261125T043000Z", "published", "20261126T043000Z", "unchanged", "20261127T043000Z", "cli"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("runs lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Index(stdout, "20261127T043000Z") > strings.Index(stdout, "20261125T043000Z") {
		t.Errorf("runs not newest first:\n%s", stdout)
	}
}

func TestReleasesAndRollback(t *testing.T) {
	out := t.TempDir()
	for _, now := range []string{"2026-11-25T04:30:00Z", "2026-11-26T04:30:00Z"} {
		if code, stdout, stderr := runCmd(t, now, "run", "--force", "--out", out); code != exitOK {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
	}
	_, stdout, _ := runCmd(t, "2026-11-26T05:00:00Z", "releases", "--out", out)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "20261126T043000Z") || !strings.HasSuffix(lines[1], "*") {
		t.Fatalf("releases:\n%s", stdout)
	}
	if code, stdout, stderr := runCmd(t, "2026-11-26T05:00:00Z", "rollback", "--out", out, "20261125T043000Z"); code != exitOK {
		t.Fatalf("rollback: exit %d\n%s%s", code, stdout, stderr)
	}
	if id, _ := release.Current(out); id != "20261125T043000Z" {
		t.Fatalf("current = %s", id)
	}
	if code, _, _ := runCmd(t, "2026-11-26T05:00:00Z", "rollback", "--out", out, "20200101T000000Z"); code != exitUsage {
		t.Fatalf("rollback to an unknown release: exit %d, want %d", code, exitUsage)
	}
	// The next run with the same inputs leaves the rollback in place.
	if code, stdout, _ := runCmd(t, "2026-11-26T06:00:00Z", "run", "--out", out); code != exitOK || !strings.Contains(stdout, "Unverändert") {
		t.Fatalf("run after rollback: exit %d\n%s", code, stdout)
	}
	if id, _ := release.Current(out); id != "20261125T043000Z" {
		t.Fatalf("after a run, current = %s, want the release rolled back to", id)
	}
	_, stdout, _ = runCmd(t, "2026-11-26T05:10:00Z", "runs", "--out", out)
	if !strings.Contains(stdout, "rollback") {
		t.Fatalf("runs lacks the rollback:\n%s", stdout)
	}
}

// A second process on the same output folder refuses instead of cleaning
// up the first one's work.
func TestOutputFolderLock(t *testing.T) {
	out := t.TempDir()
	unlock, err := lockOut(out)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--out", out)
	if code != exitFailure || !strings.Contains(stderr, "arbeitet gerade darin") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	unlock()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--out", out); code != exitOK {
		t.Fatalf("after unlock: exit %d\n%s%s", code, stdout, stderr)
	}
}
