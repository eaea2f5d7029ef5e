package httpserve_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/pipeline"
)

func TestPage(t *testing.T) {
	h := threeRuns()
	for i := range 12 {
		h.Save(context.Background(), pipeline.RunRecord{ID: "skip-" + string(rune('a'+i)), Trigger: pipeline.TriggerSchedule,
			Status: pipeline.StatusSkipped, Start: time.Date(2026, 3, 4, 4, 30, i, 0, time.UTC), Message: "<b>noch beschäftigt</b>"})
	}
	h.Save(context.Background(), pipeline.RunRecord{ID: "20260304T050000Z", Trigger: pipeline.TriggerManual,
		Status: pipeline.StatusFailed, Start: time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC), Message: "Quelle nicht erreichbar"})
	f := newFixture(t, httpserve.Config{History: h, Title: "Aktionsplan <Test>",
		Now: func() time.Time { return time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC) }})
	resp, body := f.do(t, "GET", "/")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "Content-Type", "text/html; charset=utf-8")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	page := string(body)
	for _, want := range []string{
		`<html lang="de">`,
		"Aktionsplan &lt;Test&gt;",
		`href="/data/current/kennzahlen.csv"`,
		`href="/data/releases/r1/kennzahlen.csv"`,
		`href="/data/releases/r1/manifest.json"`,
		"1,4 kB", // kennzahlen.csv, 1400 bytes
		"01.03.2026, 03:00 Uhr",
		"fehlgeschlagen",
		"Quelle nicht erreichbar",
		"übersprungen",
		"&lt;b&gt;noch beschäftigt&lt;/b&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, `href="/api/runs/`); n != 10 {
		t.Errorf("%d runs listed, want 10", n)
	}
	// Self-contained: nothing is loaded from anywhere.
	if m := regexp.MustCompile(`(?i)(src=|<link|@import|url\(|https?://)`).FindString(page); m != "" {
		t.Errorf("page loads something: %q", m)
	}
	if strings.Contains(page, "20260301T043000Z") {
		t.Errorf("page lists more than the last 10 runs")
	}
}

func TestPageOnlyRoot(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	resp, body := f.do(t, "GET", "/")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(string(body), "Noch keine Läufe") {
		t.Errorf("without a history, the page does not say so")
	}
	resp, _ = f.do(t, "GET", "/index.html")
	wantStatus(t, resp, http.StatusNotFound)
}

// TestHomeIsReleasePage: with a release page in the current release, / leads
// there, so that its relative links to the files work; the status page
// moves to /status and lists every release with its page.
func TestHomeIsReleasePage(t *testing.T) {
	out := t.TempDir()
	old := r1Files()
	publish(t, out, "r1", old)
	files := r1Files()
	files["index.html"] = []byte("<!DOCTYPE html><html lang=\"de\"><title>Seite</title><a href=\"kennzahlen.csv\">k</a></html>\n")
	publish(t, out, "r2", files)
	f := serve(t, out, httpserve.Config{History: threeRuns()}, files)

	resp, _ := f.do(t, "GET", "/")
	wantStatus(t, resp, http.StatusFound)
	wantHeader(t, resp, "Location", "/data/current/index.html")
	wantHeader(t, resp, "Cache-Control", "no-cache")

	resp, body := f.do(t, "GET", "/data/current/index.html")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "Content-Type", "text/html; charset=utf-8")
	// The page's links are downloads: a sandbox must allow them, and
	// still no script.
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "allow-downloads") || strings.Contains(csp, "allow-scripts") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if !strings.Contains(string(body), "Seite") {
		t.Errorf("body %q", body)
	}

	resp, body = f.do(t, "GET", "/status")
	wantStatus(t, resp, http.StatusOK)
	page := string(body)
	for _, want := range []string{
		`id="veroeffentlichungen"`,
		`<a href="/data/releases/r2/index.html">Seite</a>`,
		`<a href="/data/releases/r1/manifest.json">Manifest</a>`,
		`r2 <span class="status ok">aktuell</span>`,
		`<a href="/data/current/index.html">Übersichtsseite der Veröffentlichung</a>`,
		`href="/api/runs/`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if strings.Index(page, "/data/releases/r2/index.html") > strings.Index(page, "/data/releases/r1/manifest.json") {
		t.Error("releases not newest first")
	}
}
