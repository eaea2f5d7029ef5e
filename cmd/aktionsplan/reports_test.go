package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"aktionsplan/outputs/report"
)

// TestWriteReportsReplacesWhole: a report appears by a rename, never by
// writing into the file in place, so a reader that has the path open (the
// server handing out OUT/reports/<run>.json) reads one whole report, the
// one it opened, and nothing is left beside the reports.
func TestWriteReportsReplacesWhole(t *testing.T) {
	out := t.TempDir()
	dir := filepath.Join(out, "reports")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "20261126T100000Z.json")
	const before = `{"run_id":"before"}`
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	reader, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()

	doc := report.Document{RunID: "20261126T100000Z", Valid: true}
	paths, err := writeReports(out, doc.RunID, doc, report.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || filepath.Base(paths[0]) != "20261126T100000Z.txt" {
		t.Errorf("paths for people = %q, want the text report only", paths)
	}
	// Written in place, the open file would now hold the new report, or
	// part of it.
	if b, _ := io.ReadAll(reader); string(b) != before {
		t.Errorf("the open report reads %q, want the one opened, %q", b, before)
	}
	var got report.Document
	if b, err := os.ReadFile(path); err != nil || json.Unmarshal(b, &got) != nil || got.RunID != doc.RunID {
		t.Errorf("the new report is %+v (%v)", got, err)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 2 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("reports/ holds %q, want the JSON and the text report", names)
	}
}

// A run killed while it wrote a report leaves a hidden temporary file in
// OUT/reports; the next run, which holds the lock, removes it and keeps the
// reports.
func TestRunRemovesLeftoverReportFiles(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCmd(t, "2026-11-26T10:00:00Z", "run", "--out", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "reports")
	left := filepath.Join(dir, ".20261126T100000Z.json.4711.tmp")
	if err := os.WriteFile(left, []byte(`{"run_id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCmd(t, "2026-11-26T11:00:00Z", "run", "--out", out, "--force"); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the temporary report file is still there (%v)", err)
	}
	for _, name := range []string{"20261126T100000Z.json", "20261126T100000Z.txt", "20261126T110000Z.json", "20261126T110000Z.txt"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("report %s: %v", name, err)
		}
	}
}
