package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"aktionsplan/outputs/report"
	"aktionsplan/pipeline"
)

// canary is planted in every personal cell of the fund usage. It is searched
// case-insensitively by its hex part, so that no upper-casing or escaping
// hides it.
const (
	canary    = "KANARIE-7f3a9c"
	canaryKey = "7f3a9c"
)

// canarySheet is the data sheet of the example's fund usage workbook.
const canarySheet = "Mittelverwendung"

// plantCanaries fills the personal cells of the fund usage workbook beside
// cfg with the canary: every Ansprechperson, and the Träger of every row
// whose Privatperson is "ja" (that Träger is a private person's name, which
// is published as "Privatperson"). broken also makes the first data row
// invalid: a Bewilligt that is no number and a Privatperson that is no
// yes/no, so that the report points at that row and at a personal cell.
// It returns the number of cells planted.
func plantCanaries(t *testing.T, cfg string, broken bool) int {
	t.Helper()
	path := filepath.Join(filepath.Dir(cfg), "mittelverwendung.xlsx")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(canarySheet)
	if err != nil || len(rows) < 2 {
		t.Fatalf("rows of %s: %d, %v", path, len(rows), err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i + 1
	}
	for _, h := range []string{"Träger", "Privatperson", "Ansprechperson", "Bewilligt (EUR)"} {
		if col[h] == 0 {
			t.Fatalf("%s has no column %q: %q", path, h, rows[0])
		}
	}
	set := func(h string, row int, v string) {
		t.Helper()
		ref, _ := excelize.CoordinatesToCellName(col[h], row)
		if err := f.SetCellStr(canarySheet, ref, v); err != nil {
			t.Fatal(err)
		}
	}
	planted, private := 0, 0
	for i, r := range rows[1:] {
		row := i + 2
		if len(r) == 0 {
			continue
		}
		set("Ansprechperson", row, fmt.Sprintf("%s Ansprechperson Zeile %d", canary, row))
		planted++
		if col["Privatperson"] <= len(r) && strings.EqualFold(strings.TrimSpace(r[col["Privatperson"]-1]), "ja") {
			set("Träger", row, fmt.Sprintf("%s Privatperson Zeile %d", canary, row))
			planted++
			private++
		}
	}
	if private == 0 {
		t.Fatal("the example has no row of a private applicant any more; plant one")
	}
	// A note below the table, in the personal column only: read as a
	// footnote, which the report quotes.
	set("Ansprechperson", len(rows)+2, "* "+canary+" Fußnote")
	planted++
	if broken {
		set("Bewilligt (EUR)", 2, "viel Geld")
		set("Privatperson", 2, canary+" statt ja oder nein")
		planted++
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	return planted
}

// maxScan bounds what is read from one zip or gzip member.
const maxScan = 256 << 20

// canaryHits returns where the canary occurs in data: the name, and for
// content inside zip archives (XLSX, zipped downloads) and gzip streams the
// member it was found in, since compression would hide it from a search of
// the raw bytes.
func canaryHits(name string, data []byte) []string {
	var hits []string
	if bytes.Contains(bytes.ToLower(data), []byte(canaryKey)) {
		hits = append(hits, name)
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return append(hits, name+": not a readable zip: "+err.Error())
		}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				hits = append(hits, name+"/"+zf.Name+": "+err.Error())
				continue
			}
			member, err := io.ReadAll(io.LimitReader(rc, maxScan))
			rc.Close()
			if err != nil {
				hits = append(hits, name+"/"+zf.Name+": "+err.Error())
			}
			hits = append(hits, canaryHits(name+"/"+zf.Name, member)...)
		}
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return append(hits, name+": not a readable gzip stream: "+err.Error())
		}
		plain, err := io.ReadAll(io.LimitReader(zr, maxScan))
		if err != nil {
			hits = append(hits, name+": "+err.Error())
		}
		hits = append(hits, canaryHits(name+" (gunzip)", plain)...)
	}
	return hits
}

// scanTree returns where the canary occurs in any file under dir (every
// file, whatever its name: releases, reports, history, caches, temporary
// leftovers) and how many files it read.
func scanTree(t *testing.T, dir string) (hits []string, files int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		rel, _ := filepath.Rel(dir, path)
		hits = append(hits, canaryHits(rel, data)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits, files
}

// privacyLog collects everything the commands print and the server answers,
// to be searched for the canary at the end.
type privacyLog struct {
	t     *testing.T
	texts map[string]string
	n     int
}

func (l *privacyLog) add(what, text string) {
	l.n++
	l.texts[fmt.Sprintf("%03d %s", l.n, what)] = text
}

// run runs a command in-process and keeps its output.
func (l *privacyLog) run(now string, want int, args ...string) (string, string) {
	l.t.Helper()
	code, stdout, stderr := runCmd(l.t, now, args...)
	l.add(strings.Join(args[:1], " ")+" stdout", stdout)
	l.add(strings.Join(args[:1], " ")+" stderr", stderr)
	if code != want {
		l.t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, stdout, stderr)
	}
	return stdout, stderr
}

// get fetches url and keeps the body.
func (l *privacyLog) get(url string) ([]byte, int) {
	l.t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		l.t.Fatalf("GET %s: %v", url, err)
	}
	l.add("GET "+url, string(body))
	return body, resp.StatusCode
}

// hits returns where the canary occurs in the collected texts.
func (l *privacyLog) hits() []string {
	var hits []string
	for what, text := range l.texts {
		hits = append(hits, canaryHits(what, []byte(text))...)
	}
	return hits
}

// serveWithLog runs "serve" in-process with the log format given and returns
// its base URL, its log and a function that stops it.
func serveWithLog(t *testing.T, cfg, out, format string) (string, *syncBuffer, func()) {
	t.Helper()
	logs := &syncBuffer{}
	a := &app{stdout: logs, stderr: logs, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- a.main(ctx, []string{"serve", "--config", cfg, "--out", out, "--addr", "127.0.0.1:0", "--log-format", format})
	}()
	addr := regexp.MustCompile(`msg=serving addr=(\S+)`)
	if format == "json" {
		addr = regexp.MustCompile(`"msg":"serving","addr":"([^"]+)"`)
	}
	stop := func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("serve exit %d:\n%s", code, logs.String())
			}
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := addr.FindStringSubmatch(logs.String()); m != nil {
			return "http://" + m[1], logs, stop
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s", logs.String())
	return "", nil, nil
}

// exerciseServer triggers a run, waits until no run is running, and fetches
// every page, every run of the API and every file of every release.
func exerciseServer(t *testing.T, l *privacyLog, base, out string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/runs", nil)
	req.Header.Set("Authorization", "Bearer "+privacyToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	l.add("POST /api/runs", string(body))
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusConflict {
		t.Fatalf("POST /api/runs: %d %s", resp.StatusCode, body)
	}
	var runs struct {
		Runs []struct{ ID, Status string } `json:"runs"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		body, code := l.get(base + "/api/runs?limit=1000")
		if code != http.StatusOK {
			t.Fatalf("GET /api/runs: %d", code)
		}
		if err := json.Unmarshal(body, &runs); err != nil {
			t.Fatalf("GET /api/runs: %v", err)
		}
		running := false
		for _, r := range runs.Runs {
			running = running || r.Status == "running"
		}
		if !running && len(runs.Runs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("runs still running: %+v", runs.Runs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, r := range runs.Runs {
		if _, code := l.get(base + "/api/runs/" + r.ID); code != http.StatusOK {
			t.Errorf("GET /api/runs/%s: %d", r.ID, code)
		}
	}
	for _, p := range []string{"/", "/status", "/healthz", "/metrics"} {
		if _, code := l.get(base + p); code == http.StatusInternalServerError || code == http.StatusNotFound {
			t.Errorf("GET %s: %d", p, code)
		}
	}
	releases, _ := filepath.Glob(filepath.Join(out, "releases", "*", "*"))
	if len(releases) == 0 {
		t.Fatal("no release files to fetch")
	}
	for _, path := range releases {
		name, id := filepath.Base(path), filepath.Base(filepath.Dir(path))
		if _, code := l.get(base + "/data/releases/" + id + "/" + name); code != http.StatusOK {
			t.Errorf("GET /data/releases/%s/%s: %d", id, name, code)
		}
		l.get(base + "/data/current/" + name)
	}
}

const privacyToken = "token-fuer-den-datenschutztest"

// TestPrivacyCanary plants a canary in every personal cell of the fund
// usage and runs everything that writes or answers: run (publishing, and
// failing on a broken copy), validate in every format, runs, releases, and
// serve with text and JSON logs, whose HTTP API, page and downloads are all
// fetched. The canary must occur in no byte under the output folder, in no
// output of a command, in no log line and in no HTTP answer. The folder is
// searched as a whole, so files added to a release later are covered too.
func TestPrivacyCanary(t *testing.T) {
	t.Setenv("AKTIONSPLAN_TOKEN", privacyToken)
	cfg := exampleCopy(t)
	if n := plantCanaries(t, cfg, false); n < 40 {
		t.Fatalf("only %d canaries planted", n)
	}
	brokenCfg := exampleCopy(t)
	plantCanaries(t, brokenCfg, true)
	// The scanner sees the canary inside the compressed workbook: proof
	// that it would see it in a published one.
	if hits, _ := scanTree(t, filepath.Dir(cfg)); len(hits) == 0 {
		t.Fatal("the canary is not found in the input workbook; the search is blind")
	}
	out := t.TempDir()
	l := &privacyLog{t: t, texts: map[string]string{}}

	stdout, _ := l.run("2026-11-25T04:30:00Z", exitOK, "run", "--config", cfg, "--out", out)
	if !strings.Contains(stdout, "Veröffentlicht") {
		t.Fatalf("nothing published:\n%s", stdout)
	}
	l.run("2026-11-25T04:31:00Z", exitOK, "run", "--config", cfg, "--out", out)
	l.run("2026-11-25T04:32:00Z", exitOK, "run", "--force", "--verbose", "--config", cfg, "--out", out)
	for _, format := range []string{"text", "json", "html"} {
		l.run("2026-11-25T04:33:00Z", exitOK, "validate", "--config", cfg, "--format", format)
		l.run("2026-11-25T04:33:00Z", exitInvalid, "validate", "--config", brokenCfg, "--format", format)
	}
	l.run("2026-11-25T04:34:00Z", exitInvalid, "run", "--verbose", "--config", brokenCfg, "--out", out)

	// The report points at the broken row and the personal cell, without
	// the personal value.
	stdout, _ = l.run("2026-11-25T04:35:00Z", exitInvalid, "validate", "--config", brokenCfg, "--format", "json")
	var doc report.Document
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("report: %v\n%s", err, stdout)
	}
	cells := map[string]string{}
	for _, is := range doc.Issues {
		if is.Pos.File == "mittelverwendung.xlsx" && is.Pos.Row == 2 {
			cells[is.Pos.Field] = is.Pos.Cell
			if is.Pos.Field == "Privatperson" && is.Value != "" && !strings.Contains(is.Value, "personenbezogen") {
				t.Errorf("the personal cell's value is shown as %q", is.Value)
			}
		}
	}
	if cells["Bewilligt (EUR)"] == "" || cells["Privatperson"] == "" {
		t.Errorf("the report does not point at the broken cells of row 2: %v", cells)
	}
	footnote := false
	for _, is := range doc.Issues {
		if is.Code == pipeline.CodeFootnote && is.Pos.File == "mittelverwendung.xlsx" {
			footnote = is.Pos.Row > 2 && is.Pos.Cell != "" && is.Value == ""
		}
	}
	if !footnote {
		t.Error("the report does not point at the footnote in the personal column without quoting it")
	}

	for _, format := range []string{"text", "json"} {
		base, logs, stop := serveWithLog(t, cfg, out, format)
		exerciseServer(t, l, base, out)
		stop()
		l.add("serve log "+format, logs.String())
		if !strings.Contains(logs.String(), "run") {
			t.Errorf("the %s log shows no run:\n%s", format, logs.String())
		}
	}
	// The failure notice of the broken run goes to a webhook on loopback.
	notices := &syncBuffer{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		notices.Write(append(body, '\n'))
	}))
	defer hook.Close()
	conf, _ := os.ReadFile(brokenCfg)
	conf = append([]byte(fmt.Sprintf("webhook = %q\n", hook.URL)), conf...)
	if err := os.WriteFile(brokenCfg, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	base, logs, stop := serveWithLog(t, brokenCfg, out, "json")
	exerciseServer(t, l, base, out)
	stop()
	l.add("serve log broken", logs.String())
	l.add("webhook notices", notices.String())
	if !strings.Contains(notices.String(), "invalid") {
		t.Errorf("no failure notice of the broken run reached the webhook: %q", notices.String())
	}
	l.run("2026-11-25T04:36:00Z", exitOK, "runs", "--out", out)
	l.run("2026-11-25T04:36:00Z", exitOK, "releases", "--out", out)
	l.run("2026-11-25T04:37:00Z", exitOK, "rollback", "--out", out, "20261125T043000Z")

	hits, files := scanTree(t, out)
	hits = append(hits, l.hits()...)
	if len(hits) > 0 {
		t.Errorf("personal data reached %d places:\n%s", len(hits), strings.Join(hits, "\n"))
	}
	if files < 20 || l.n < 40 {
		t.Errorf("searched only %d files and %d outputs", files, l.n)
	}
	t.Logf("searched %d files under the output folder and %d command outputs, logs and HTTP answers", files, l.n)
}

// TestPrivacyCanaryFoundWhenPublic is the control of TestPrivacyCanary: with
// Ansprechperson marked public by a schema of the config, the same search
// finds the canary in the release. A search that finds nothing there would
// make TestPrivacyCanary pass for the wrong reason.
func TestPrivacyCanaryFoundWhenPublic(t *testing.T) {
	cfg := exampleCopy(t)
	plantCanaries(t, cfg, false)
	schema, err := os.ReadFile(filepath.Join("..", "..", "schemas", "mittelverwendung.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	public := bytes.Replace(schema, []byte(`"description": "Personenbezogene Daten: wird nie veröffentlicht.",
      "public": false`), []byte(`"description": "Für diesen Test öffentlich."`), 1)
	if bytes.Equal(public, schema) {
		t.Fatal("the schema no longer marks Ansprechperson as it did; adapt the test")
	}
	dir := filepath.Dir(cfg)
	if err := os.WriteFile(filepath.Join(dir, "oeffentlich.schema.json"), public, 0o644); err != nil {
		t.Fatal(err)
	}
	conf, _ := os.ReadFile(cfg)
	conf = append(conf, "\n[schemas]\nfund_usage = \"oeffentlich.schema.json\"\n"...)
	if err := os.WriteFile(cfg, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if code, stdout, stderr := runCmd(t, "2026-11-25T04:30:00Z", "run", "--config", cfg, "--out", out); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	hits, _ := scanTree(t, out)
	want := map[string]bool{"mittelverwendung.csv": false, "mittelverwendung.xlsx": false}
	for _, h := range hits {
		for name := range want {
			want[name] = want[name] || strings.Contains(h, "releases/") && strings.Contains(h, name)
		}
	}
	for name, found := range want {
		if !found {
			t.Errorf("a public Ansprechperson is not found in %s; hits: %v", name, hits)
		}
	}
}

// TestPrivacyCanaryRemoteInput reads the fund usage from a web server, as a
// nightly job may. The download is kept in OUT/cache for the conditional GET
// of the next run: that is the input as it is, personal cells included, so
// the cache must be readable by the service's user only and is never served
// (the server serves releases only); everything else under OUT, the output
// and the log stay free of the canary.
func TestPrivacyCanaryRemoteInput(t *testing.T) {
	cfg := exampleCopy(t)
	plantCanaries(t, cfg, false)
	workbook, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "mittelverwendung.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(workbook)
	}))
	defer src.Close()
	out := t.TempDir()
	l := &privacyLog{t: t, texts: map[string]string{}}
	for i, now := range []string{"2026-11-25T04:30:00Z", "2026-11-25T04:31:00Z"} {
		stdout, _ := l.run(now, exitOK, "run", "--config", cfg, "--out", out, "--force",
			"--fund-usage", src.URL+"/mittelverwendung.xlsx")
		if i == 0 && !strings.Contains(stdout, "Veröffentlicht") {
			t.Fatalf("nothing published:\n%s", stdout)
		}
	}
	base, logs, stop := serveWithLog(t, cfg, out, "text")
	for _, p := range []string{"/data/current/../cache", "/data/releases/..%2Fcache/x", "/cache/"} {
		body, code := l.get(base + p)
		if code == http.StatusOK {
			t.Errorf("GET %s: 200 %q", p, body)
		}
	}
	stop()
	l.add("serve log", logs.String())

	hits, files := scanTree(t, out)
	cached := 0
	for _, h := range hits {
		if strings.HasPrefix(h, "cache"+string(filepath.Separator)) {
			cached++
			continue
		}
		t.Errorf("personal data reached %s", h)
	}
	for _, h := range l.hits() {
		t.Errorf("personal data reached %s", h)
	}
	t.Logf("searched %d files under the output folder; the canary is in %d places of the download cache only", files, cached)
	if cached == 0 {
		t.Errorf("the canary is not in the cache of the download (%d files searched); is the input still cached in OUT/cache?", files)
	}
	filepath.WalkDir(filepath.Join(out, "cache"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil && fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s has mode %v: others may read a downloaded input", path, fi.Mode().Perm())
			}
		}
		return nil
	})
}
