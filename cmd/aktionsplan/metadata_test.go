package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"aktionsplan/outputs/datapackage"
	"aktionsplan/outputs/dcat"
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

// TestDCATMatchesFiles reads dcat.jsonld of a real release and checks every
// distribution against its file (download URL, size, SHA-256), and that every
// data file of the manifest is a distribution of a dataset.
func TestDCATMatchesFiles(t *testing.T) {
	dir := publishRelease(t)
	b, err := os.ReadFile(filepath.Join(dir, dcat.JSONLDName))
	if err != nil {
		t.Fatal(err)
	}
	type ref struct {
		ID    string `json:"@id"`
		Value string `json:"@value"`
	}
	var doc struct {
		Graph []struct {
			ID       string `json:"@id"`
			Download []ref  `json:"dcat:downloadURL"`
			Size     []ref  `json:"dcat:byteSize"`
			Checksum []ref  `json:"spdx:checksum"`
			Value    []ref  `json:"spdx:checksumValue"`
			Dists    []ref  `json:"dcat:distribution"`
		} `json:"@graph"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, n := range doc.Graph {
		if len(n.Value) == 1 {
			sums[n.ID] = n.Value[0].Value
		}
	}
	base := "http://127.0.0.1:8080/data/current/"
	inDataset := map[string]bool{}
	for _, n := range doc.Graph {
		for _, d := range n.Dists {
			inDataset[d.ID] = true
		}
	}
	described := map[string]bool{}
	for _, n := range doc.Graph {
		if len(n.Download) == 0 {
			continue
		}
		name, ok := strings.CutPrefix(n.Download[0].ID, base)
		if !ok || len(n.Size) != 1 || len(n.Checksum) != 1 || !inDataset[n.ID] {
			t.Errorf("distribution %s: download %v, size %v, checksum %v, in a dataset %v", n.ID, n.Download, n.Size, n.Checksum, inDataset[n.ID])
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("distribution %s: %v", n.ID, err)
			continue
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); sums[n.Checksum[0].ID] != got {
			t.Errorf("%s: checksum %q, file %s", name, sums[n.Checksum[0].ID], got)
		}
		if n.Size[0].Value != strconv.Itoa(len(data)) {
			t.Errorf("%s: byteSize %s, file %d", name, n.Size[0].Value, len(data))
		}
		described[name] = true
	}
	m, err := release.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		switch filepath.Ext(f.Name) {
		case ".csv", ".xlsx", ".geojson", ".gpkg":
			if !described[f.Name] {
				t.Errorf("%s is published but no distribution in %s", f.Name, dcat.JSONLDName)
			}
		}
	}
}
