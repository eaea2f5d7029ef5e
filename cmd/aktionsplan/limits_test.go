package main

import (
	"os"
	"strings"
	"testing"
)

// A [limits] section reaches the readers: an input beyond a limit is an
// error of that file in the report (exit 1), naming the key that raises it.
func TestConfiguredLimits(t *testing.T) {
	for _, tc := range []struct {
		limits string
		file   string
		key    string
	}{
		{"max_file_bytes = 2000", "aktionsraeume.geojson", "max_file_bytes"},
		{"max_xlsx_unzip_bytes = 20000", "mittelverwendung.xlsx", "max_xlsx_unzip_bytes"},
		{"max_xlsx_xml_bytes = 4000", "mittelverwendung.xlsx", "max_xlsx_xml_bytes"},
		{"max_rows = 20", "mittelverwendung.xlsx", "max_rows"},
		{"max_cells_per_row = 8", "kennzahlen.csv", "max_cells_per_row"},
		{"max_vertices = 100", "aktionsraeume.geojson", "max_vertices"},
		{"max_feature_vertices = 5", "aktionsraeume.geojson", "max_feature_vertices"},
	} {
		t.Run(tc.key, func(t *testing.T) {
			cfg := exampleCopy(t)
			f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("\n[limits]\n" + tc.limits + "\n")
			f.Close()
			code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "validate", "--config", cfg)
			if code != exitInvalid {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, exitInvalid, stdout, stderr)
			}
			found := false
			for _, line := range strings.Split(stdout, "\n") {
				found = found || strings.HasPrefix(line, "Fehler: "+tc.file) && strings.Contains(line, "[limits] "+tc.key)
			}
			if !found {
				t.Errorf("no error of %s naming [limits] %s:\n%s", tc.file, tc.key, stdout)
			}
		})
	}
}

func TestLimitsConfigChecked(t *testing.T) {
	cfg := exampleCopy(t)
	f, _ := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n[limits]\nmax_rows = -1\n")
	f.Close()
	code, _, stderr := runCmd(t, "2026-11-25T04:30:00Z", "validate", "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, "[limits]") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
