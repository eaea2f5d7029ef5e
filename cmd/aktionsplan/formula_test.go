package main

import (
	"archive/zip"
	"bytes"
	stdcsv "encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// plantFormulas puts text that a spreadsheet would run as a formula into
// the fund usage workbook beside cfg.
func plantFormulas(t *testing.T, cfg string) {
	t.Helper()
	path := filepath.Join(filepath.Dir(cfg), "mittelverwendung.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, v := range map[string]string{
		"E2": `=HYPERLINK("http://x","y")`, // Projekttitel
		"E3": "+1+1",
		"E4": "-2+3",
		"E5": "@SUM(A1)",
		"F6": "=cmd|' /C calc'!A0", // Träger
		"A7": "-7",                 // Projekt-Nr, text
	} {
		if err := f.SetCellStr(canarySheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// TestPublishedSpreadsheetsRunNoFormulas publishes inputs with formula-like
// text and checks every CSV and XLSX file of the release, whatever their
// names: no CSV cell that is not a number starts with a formula character,
// no XLSX cell is a formula, and every formula-like XLSX text carries
// quotePrefix. Negative numbers stay numbers.
func TestPublishedSpreadsheetsRunNoFormulas(t *testing.T) {
	cfg := exampleCopy(t)
	plantFormulas(t, cfg)
	out := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--config", cfg, "--out", out); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "current", "*"))
	seen := map[string]bool{}
	negative := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		switch filepath.Ext(name) {
		case ".csv":
			for _, v := range checkCSV(t, path, negative) {
				seen[v] = true
			}
		case ".xlsx":
			for _, v := range checkXLSX(t, path, negative) {
				seen[v] = true
			}
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://x","y")`, "'+1+1", "'-2+3", "'@SUM(A1)", "'=cmd|' /C calc'!A0", "'-7",
		`xlsx =HYPERLINK("http://x","y")`, "xlsx +1+1", "xlsx -2+3", "xlsx @SUM(A1)", "xlsx =cmd|' /C calc'!A0", "xlsx -7"} {
		if !seen[want] {
			t.Errorf("the planted text %q is not published as expected", want)
		}
	}
	// The example overspends a fund: its rest is negative, a number.
	for _, name := range []string{"mittelverwendung_summen.csv", "mittelverwendung_summen.xlsx"} {
		if !negative[name] {
			t.Errorf("%s has no negative number; the rest of an overspent fund should be one", name)
		}
	}
}

// checkCSV fails for a data cell that is no number and starts with a
// formula character; it returns the neutralised cells it found, and marks
// the file in negative when it holds a negative number.
func checkCSV(t *testing.T, path string, negative map[string]bool) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := stdcsv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var found []string
	for r, rec := range recs[1:] {
		for c, v := range rec {
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				if x < 0 {
					negative[filepath.Base(path)] = true
				}
				continue
			}
			if pipeline.FormulaLike(v) {
				t.Errorf("%s, row %d, column %q: %q would run as a formula", filepath.Base(path), r+2, recs[0][c], v)
			}
			if strings.HasPrefix(v, "'") {
				found = append(found, v)
			}
		}
	}
	return found
}

// checkXLSX fails for a formula cell and for formula-like text without
// quotePrefix; it returns the formula-like texts it found, prefixed "xlsx ".
func checkXLSX(t *testing.T, path string, negative map[string]bool) []string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	prefixed := workbookQuotePrefixes(t, path)
	var found []string
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				where := filepath.Base(path) + "!" + sheet + "!" + ref
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Errorf("%s is the formula %q", where, formula)
				}
				typ, _ := f.GetCellType(sheet, ref)
				if typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber {
					if x, err := strconv.ParseFloat(v, 64); err == nil && x < 0 {
						negative[filepath.Base(path)] = true
					}
					continue
				}
				if !pipeline.FormulaLike(v) {
					continue
				}
				found = append(found, "xlsx "+v)
				if style, _ := f.GetCellStyle(sheet, ref); style >= len(prefixed) || !prefixed[style] {
					t.Errorf("%s holds %q without quotePrefix", where, v)
				}
			}
		}
	}
	return found
}

// workbookQuotePrefixes reads the cell formats of a workbook's styles part:
// whether each carries quotePrefix. excelize does not report the attribute.
func workbookQuotePrefixes(t *testing.T, path string) []bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	rc, err := zr.Open("xl/styles.xml")
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	stylesXML, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var styles struct {
		Xfs []struct {
			QuotePrefix string `xml:"quotePrefix,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal(stylesXML, &styles); err != nil {
		t.Fatalf("%s: styles: %v", path, err)
	}
	out := make([]bool, len(styles.Xfs))
	for i, xf := range styles.Xfs {
		out[i] = xf.QuotePrefix == "1" || xf.QuotePrefix == "true"
	}
	return out
}
