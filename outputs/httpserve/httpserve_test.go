package httpserve_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
	"aktionsplan/pipeline/historytest"
)

// secret is the content of a file in OUT beside the releases that no
// request may ever reach.
const secret = "SECRET-HISTORY-DO-NOT-SERVE"

// releaseTime is the time in the manifests of the fixture.
var releaseTime = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

// fixture is an output folder with releases, served in-process.
type fixture struct {
	out    string
	files  map[string][]byte // content of the files of the release "r1"
	srv    *httpserve.Server
	ts     *httptest.Server
	client *http.Client
	logs   *bytes.Buffer
}

// csvText is long enough for gzip to matter.
var csvText = []byte(strings.Repeat("code,jahr,einwohner\nBOR,2025,13000\n", 40))

func r1Files() map[string][]byte {
	return map[string][]byte{
		"aktionsraeume.geojson": []byte(`{"type":"FeatureCollection","features":[]}` + "\n"),
		"kennzahlen.csv":        csvText,
		"kennzahlen.xlsx":       []byte("PK\x03\x04 not really a workbook"),
		"aktionsraeume.gpkg":    []byte("SQLite format 3\x00"),
		"lies-mich.html":        []byte("<!DOCTYPE html><p>Hallo</p>\n"),
		"daten.bin":             []byte{0, 1, 2, 3},
	}
}

// publish writes a release through the real publisher; it becomes current.
func publish(t *testing.T, out, id string, files map[string][]byte) pipeline.Manifest {
	t.Helper()
	pub, err := release.New(out, id)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Abort()
	var listed []pipeline.ManifestFile
	for _, name := range slices.Sorted(maps.Keys(files)) {
		w, err := pub.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		listed = append(listed, pipeline.ManifestFile{Name: name, Rows: bytes.Count(files[name], []byte("\n"))})
	}
	m, err := pub.Commit(pipeline.Manifest{RunID: id, Time: releaseTime, Files: listed})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newFixture publishes release r1 with r1Files, then adds by hand what a
// publisher never writes: a file missing from the manifest, a folder,
// symlinks leading out, and a secret beside the releases.
func newFixture(t *testing.T, c httpserve.Config) *fixture {
	t.Helper()
	out := t.TempDir()
	files := r1Files()
	publish(t, out, "r1", files)
	r1 := filepath.Join(out, "releases", "r1")
	files["extra.csv"] = []byte("a,b\n1,2\n")
	must(t, os.WriteFile(filepath.Join(r1, "extra.csv"), files["extra.csv"], 0o644))
	must(t, os.Mkdir(filepath.Join(r1, "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(r1, "sub", "a.csv"), []byte("x\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(out, "history.sqlite"), []byte(secret), 0o644))
	must(t, os.Symlink("../../history.sqlite", filepath.Join(r1, "escape.csv")))
	must(t, os.Symlink(filepath.Join(out, "history.sqlite"), filepath.Join(r1, "escape-abs.csv")))
	must(t, os.Symlink("..", filepath.Join(out, "releases", "up")))
	return serve(t, out, c, files)
}

// serve starts a server for out.
func serve(t *testing.T, out string, c httpserve.Config, files map[string][]byte) *fixture {
	t.Helper()
	logs := &bytes.Buffer{}
	c.Out = out
	c.Logger = slog.New(slog.NewTextHandler(&syncWriter{w: logs}, nil))
	srv, err := httpserve.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	client := &http.Client{
		// The test sees what the server sends: no transparent gzip, no
		// redirects followed.
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	t.Cleanup(client.CloseIdleConnections)
	return &fixture{out: out, files: files, srv: srv, ts: ts, client: client, logs: logs}
}

// do sends a request and returns the response with its body read.
func (f *fixture) do(t *testing.T, method, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// raw sends the request line as written, without any client cleaning the
// path, and returns the response with its body.
func (f *fixture) raw(t *testing.T, target string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", f.ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func wantStatus(t *testing.T, resp *http.Response, code int) {
	t.Helper()
	if resp.StatusCode != code {
		t.Fatalf("%s %s: status %d, want %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, code)
	}
}

func wantHeader(t *testing.T, resp *http.Response, key, want string) {
	t.Helper()
	if got := resp.Header.Get(key); got != want {
		t.Errorf("%s %s: %s = %q, want %q", resp.Request.Method, resp.Request.URL.Path, key, got, want)
	}
}

func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
}

// syncWriter lets the server's goroutines log into one buffer.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// threeRuns is a history: a published run, an invalid one, a running one.
func threeRuns() *historytest.Memory {
	t0 := time.Date(2026, 3, 1, 4, 30, 0, 0, time.UTC)
	return historytest.New([]pipeline.RunRecord{
		{ID: "20260301T043000Z", Trigger: pipeline.TriggerSchedule, Status: pipeline.StatusPublished,
			Start: t0, End: t0.Add(42 * time.Second), Release: "r1",
			Rows: map[string]int{"kennzahlen.csv": 80, "aktionsraeume.geojson": 12}, Warnings: 3,
			ReportPath: "reports/20260301T043000Z.txt"},
		{ID: "20260302T043000Z", Trigger: pipeline.TriggerManual, Status: pipeline.StatusInvalid,
			Start: t0.Add(24 * time.Hour), End: t0.Add(24*time.Hour + 7*time.Second), Errors: 5, Warnings: 1,
			ReportPath: "reports/20260302T043000Z.txt"},
		{ID: "20260303T043000Z", Trigger: pipeline.TriggerCLI, Status: pipeline.StatusRunning,
			Start: t0.Add(48 * time.Hour)},
	}...)
}

func TestNewNeedsOut(t *testing.T) {
	if _, err := httpserve.New(httpserve.Config{}); err == nil {
		t.Fatal("New without Out: no error")
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	hs := f.srv.HTTPServer("127.0.0.1:0")
	if hs.Addr != "127.0.0.1:0" || hs.Handler == nil {
		t.Errorf("Addr %q, Handler %v", hs.Addr, hs.Handler)
	}
	if hs.ReadHeaderTimeout != 5*time.Second || hs.ReadTimeout != 30*time.Second ||
		hs.WriteTimeout != 5*time.Minute || hs.IdleTimeout != 2*time.Minute || hs.MaxHeaderBytes <= 0 {
		t.Errorf("timeouts %v %v %v %v, max header %d", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout, hs.MaxHeaderBytes)
	}
}

func TestHealthz(t *testing.T) {
	var mu sync.Mutex
	ok, reason := true, ""
	f := newFixture(t, httpserve.Config{Health: func(context.Context) (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		return ok, reason
	}})
	resp, body := f.do(t, "GET", "/healthz")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "Content-Type", "text/plain; charset=utf-8")
	if string(body) != "ok\n" {
		t.Errorf("body %q", body)
	}

	mu.Lock()
	ok, reason = false, "last successful run is 30h old"
	mu.Unlock()
	resp, body = f.do(t, "GET", "/healthz")
	wantStatus(t, resp, http.StatusServiceUnavailable)
	if !strings.Contains(string(body), "30h old") {
		t.Errorf("body %q does not give the reason", body)
	}
	f.do(t, "GET", "/healthz")
	if n := strings.Count(f.logs.String(), "unhealthy"); n != 1 {
		t.Errorf("unhealthy logged %d times, want once per change:\n%s", n, f.logs)
	}

	nilHealth := newFixture(t, httpserve.Config{})
	resp, _ = nilHealth.do(t, "GET", "/healthz")
	wantStatus(t, resp, http.StatusOK)
}

func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	for _, c := range []struct{ method, path string }{
		{"POST", "/data/current/kennzahlen.csv"},
		{"DELETE", "/data/releases/r1/kennzahlen.csv"},
		{"PUT", "/api/runs"},
		{"DELETE", "/api/runs"},
		{"POST", "/api/runs/20260301T043000Z"},
		{"POST", "/healthz"},
		{"POST", "/metrics"},
	} {
		t.Run(c.method+c.path, func(t *testing.T) {
			resp, _ := f.do(t, c.method, c.path)
			wantStatus(t, resp, http.StatusMethodNotAllowed)
			if resp.Header.Get("Allow") == "" {
				t.Error("no Allow header")
			}
		})
	}
}

// TestLogsOnlyErrors checks that ordinary answers, 404s included, leave the
// log empty and a 5xx does not.
func TestLogsOnlyErrors(t *testing.T) {
	f := newFixture(t, httpserve.Config{History: threeRuns()})
	f.do(t, "GET", "/")
	f.do(t, "GET", "/data/current/kennzahlen.csv")
	f.do(t, "GET", "/data/current/fehlt.csv")
	f.do(t, "GET", "/api/runs")
	f.do(t, "GET", "/api/runs/unbekannt")
	if f.logs.Len() > 0 {
		t.Fatalf("logged:\n%s", f.logs)
	}
	h := historytest.New()
	h.Fail(fmt.Errorf("database is locked"))
	g := newFixture(t, httpserve.Config{History: h})
	resp, _ := g.do(t, "GET", "/api/runs")
	wantStatus(t, resp, http.StatusInternalServerError)
	if !strings.Contains(g.logs.String(), "database is locked") {
		t.Errorf("500 not logged with its cause:\n%s", g.logs)
	}
}
