package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"aktionsplan/outputs/datapackage"
	"aktionsplan/outputs/release"
)

// publishRelease runs the example into a temp folder and returns the folder
// of its release.
func publishRelease(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--out", out); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	return filepath.Join(out, "current")
}

// TestDataPackageMatchesFiles reads datapackage.json of a real release back
// and checks every resource against its file, and every data file of the
// manifest against the resources.
func TestDataPackageMatchesFiles(t *testing.T) {
	dir := publishRelease(t)
	b, err := os.ReadFile(filepath.Join(dir, datapackage.FileName))
	if err != nil {
		t.Fatal(err)
	}
	var p datapackage.Package
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	described := map[string]bool{}
	for _, r := range p.Resources {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Path)))
		if err != nil {
			t.Errorf("resource %s: %v", r.Name, err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := "sha256:" + hex.EncodeToString(sum[:]); got != r.Hash {
			t.Errorf("resource %s: hash %s, file %s", r.Name, r.Hash, got)
		}
		if int64(len(data)) != r.Bytes {
			t.Errorf("resource %s: bytes %d, file %d", r.Name, r.Bytes, len(data))
		}
		described[r.Path] = true
	}
	m, err := release.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		switch filepath.Ext(f.Name) {
		case ".csv", ".xlsx", ".geojson", ".gpkg":
			if !described[f.Name] {
				t.Errorf("%s is published but not in %s", f.Name, datapackage.FileName)
			}
		}
	}
	if p.Note == "" || p.Created != "2026-11-25T04:30:00Z" {
		t.Errorf("note %q, created %q", p.Note, p.Created)
	}
}
