package httpserve_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"aktionsplan/outputs/httpserve"
)

func TestContentTypes(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	for _, c := range []struct{ name, contentType string }{
		{"aktionsraeume.geojson", "application/geo+json"},
		{"kennzahlen.csv", "text/csv; charset=utf-8"},
		{"kennzahlen.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"aktionsraeume.gpkg", "application/geopackage+sqlite3"},
		{"lies-mich.html", "text/html; charset=utf-8"},
		{"manifest.json", "application/json"},
		{"daten.bin", "application/octet-stream"},
	} {
		for _, path := range []string{"/data/current/" + c.name, "/data/releases/r1/" + c.name} {
			t.Run(path, func(t *testing.T) {
				resp, body := f.do(t, "GET", path)
				wantStatus(t, resp, http.StatusOK)
				wantHeader(t, resp, "Content-Type", c.contentType)
				wantHeader(t, resp, "X-Content-Type-Options", "nosniff")
				if want, ok := f.files[c.name]; ok && !bytes.Equal(body, want) {
					t.Errorf("body %q, want %q", body, want)
				}
			})
		}
	}
}

func TestCacheControl(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	resp, _ := f.do(t, "GET", "/data/current/kennzahlen.csv")
	wantHeader(t, resp, "Cache-Control", "public, max-age=300")
	wantHeader(t, resp, "Content-Location", "/data/releases/r1/kennzahlen.csv")
	resp, _ = f.do(t, "GET", "/data/releases/r1/kennzahlen.csv")
	wantHeader(t, resp, "Cache-Control", "public, max-age=31536000, immutable")
	wantHeader(t, resp, "Content-Location", "")
}

func TestETagAndLastModified(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	const path = "/data/current/kennzahlen.csv"
	etag := `"` + sha(csvText) + `"`
	lastMod := releaseTime.Format(http.TimeFormat)

	resp, _ := f.do(t, "GET", path)
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "ETag", etag)
	wantHeader(t, resp, "Last-Modified", lastMod)
	wantHeader(t, resp, "Vary", "Accept-Encoding")

	for _, c := range []struct {
		name   string
		header []string
		status int
	}{
		{"if-none-match", []string{"If-None-Match", etag}, http.StatusNotModified},
		{"if-none-match list", []string{"If-None-Match", `"other", ` + etag}, http.StatusNotModified},
		{"if-none-match other", []string{"If-None-Match", `"other"`}, http.StatusOK},
		{"if-modified-since same", []string{"If-Modified-Since", lastMod}, http.StatusNotModified},
		{"if-modified-since later", []string{"If-Modified-Since", releaseTime.Add(time.Hour).Format(http.TimeFormat)}, http.StatusNotModified},
		{"if-modified-since earlier", []string{"If-Modified-Since", releaseTime.Add(-time.Hour).Format(http.TimeFormat)}, http.StatusOK},
		{"gzip if-none-match", []string{"If-None-Match", `"` + sha(csvText) + `-gzip"`, "Accept-Encoding", "gzip"}, http.StatusNotModified},
		{"gzip if-modified-since", []string{"If-Modified-Since", lastMod, "Accept-Encoding", "gzip"}, http.StatusNotModified},
		{"gzip identity etag", []string{"If-None-Match", etag, "Accept-Encoding", "gzip"}, http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.do(t, "GET", path, c.header...)
			wantStatus(t, resp, c.status)
			if c.status == http.StatusNotModified && len(body) > 0 {
				t.Errorf("304 with a body of %d bytes", len(body))
			}
		})
	}

	// extra.csv is not in the manifest: its hash is computed, its time is
	// still the release's.
	resp, _ = f.do(t, "GET", "/data/releases/r1/extra.csv")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "ETag", `"`+sha(f.files["extra.csv"])+`"`)
	wantHeader(t, resp, "Last-Modified", lastMod)
	resp, _ = f.do(t, "GET", "/data/releases/r1/extra.csv", "If-None-Match", `"`+sha(f.files["extra.csv"])+`"`)
	wantStatus(t, resp, http.StatusNotModified)
}

func TestRange(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	for _, c := range []struct {
		name, rangeHeader, contentRange string
		want                            []byte
	}{
		{"middle", "bytes=5-9", "bytes 5-9/1400", csvText[5:10]},
		{"suffix", "bytes=-4", "bytes 1396-1399/1400", csvText[len(csvText)-4:]},
		{"open end", "bytes=1390-", "bytes 1390-1399/1400", csvText[1390:]},
	} {
		t.Run(c.name, func(t *testing.T) {
			// A client accepting gzip still gets its range, of the plain bytes.
			resp, body := f.do(t, "GET", "/data/current/kennzahlen.csv", "Range", c.rangeHeader, "Accept-Encoding", "gzip")
			wantStatus(t, resp, http.StatusPartialContent)
			wantHeader(t, resp, "Content-Range", c.contentRange)
			wantHeader(t, resp, "Content-Encoding", "")
			if !bytes.Equal(body, c.want) {
				t.Errorf("body %q, want %q", body, c.want)
			}
		})
	}
	resp, _ := f.do(t, "GET", "/data/current/kennzahlen.xlsx", "Range", "bytes=0-1")
	wantStatus(t, resp, http.StatusPartialContent)
	resp, _ = f.do(t, "GET", "/data/current/kennzahlen.csv", "Range", "bytes=5000-")
	wantStatus(t, resp, http.StatusRequestedRangeNotSatisfiable)
}

func TestGzip(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	for _, name := range []string{"kennzahlen.csv", "aktionsraeume.geojson", "manifest.json", "lies-mich.html"} {
		t.Run(name, func(t *testing.T) {
			resp, body := f.do(t, "GET", "/data/current/"+name, "Accept-Encoding", "br, gzip;q=0.8")
			wantStatus(t, resp, http.StatusOK)
			wantHeader(t, resp, "Content-Encoding", "gzip")
			wantHeader(t, resp, "Vary", "Accept-Encoding")
			if etag := resp.Header.Get("ETag"); !strings.HasSuffix(etag, `-gzip"`) {
				t.Errorf("ETag %s has no -gzip suffix", etag)
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if want, ok := f.files[name]; ok && !bytes.Equal(plain, want) {
				t.Errorf("decompressed %q, want %q", plain, want)
			}
			if name == "kennzahlen.csv" && len(body) >= len(plain) {
				t.Errorf("gzip body of %d bytes for %d plain ones", len(body), len(plain))
			}
		})
	}
	for _, c := range []struct{ name, path, acceptEncoding string }{
		{"xlsx is not compressed", "/data/current/kennzahlen.xlsx", "gzip"},
		{"gpkg is not compressed", "/data/current/aktionsraeume.gpkg", "gzip"},
		{"gzip refused", "/data/current/kennzahlen.csv", "gzip;q=0, identity"},
		{"no gzip asked", "/data/current/kennzahlen.csv", "identity"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.do(t, "GET", c.path, "Accept-Encoding", c.acceptEncoding)
			wantStatus(t, resp, http.StatusOK)
			wantHeader(t, resp, "Content-Encoding", "")
			if strings.HasSuffix(resp.Header.Get("ETag"), `-gzip"`) {
				t.Errorf("ETag %s for plain bytes", resp.Header.Get("ETag"))
			}
			if !bytes.Equal(body, f.files[strings.TrimPrefix(c.path, "/data/current/")]) {
				t.Errorf("body differs from the file")
			}
		})
	}
	resp, body := f.do(t, "HEAD", "/data/current/kennzahlen.csv", "Accept-Encoding", "gzip")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "Content-Encoding", "gzip")
	if len(body) > 0 {
		t.Errorf("HEAD with a body of %d bytes", len(body))
	}
	// Preconditions hold for the compressed answer as for the plain one.
	for _, h := range [][2]string{{"If-Match", `"anders"`}, {"If-Unmodified-Since", "Wed, 21 Oct 2015 07:28:00 GMT"}} {
		resp, _ := f.do(t, "GET", "/data/current/kennzahlen.csv", "Accept-Encoding", "gzip", h[0], h[1])
		wantStatus(t, resp, http.StatusPreconditionFailed)
	}
}

func TestHead(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	resp, body := f.do(t, "HEAD", "/data/releases/r1/kennzahlen.xlsx")
	wantStatus(t, resp, http.StatusOK)
	if resp.ContentLength != int64(len(f.files["kennzahlen.xlsx"])) {
		t.Errorf("Content-Length %d, want %d", resp.ContentLength, len(f.files["kennzahlen.xlsx"]))
	}
	if len(body) > 0 {
		t.Errorf("HEAD with a body of %d bytes", len(body))
	}
	wantHeader(t, resp, "ETag", `"`+sha(f.files["kennzahlen.xlsx"])+`"`)
	wantHeader(t, resp, "Access-Control-Allow-Origin", "*")
}

func TestCORS(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	resp, _ := f.do(t, "GET", "/data/current/aktionsraeume.geojson", "Origin", "https://karte.example")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "Access-Control-Allow-Origin", "*")
	if !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("ETag not exposed: %q", resp.Header.Get("Access-Control-Expose-Headers"))
	}

	resp, body := f.do(t, "OPTIONS", "/data/current/aktionsraeume.geojson",
		"Origin", "https://karte.example", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range")
	wantStatus(t, resp, http.StatusNoContent)
	wantHeader(t, resp, "Access-Control-Allow-Origin", "*")
	if m := resp.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "GET") || strings.Contains(m, "POST") {
		t.Errorf("Access-Control-Allow-Methods %q", m)
	}
	if !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Range") {
		t.Errorf("Access-Control-Allow-Headers %q", resp.Header.Get("Access-Control-Allow-Headers"))
	}
	if len(body) > 0 {
		t.Errorf("preflight with a body")
	}
	resp, _ = f.do(t, "OPTIONS", "/data/releases/r1/kennzahlen.csv")
	wantStatus(t, resp, http.StatusNoContent)

	// The API is not for other sites.
	resp, _ = f.do(t, "GET", "/api/runs", "Origin", "https://karte.example")
	wantHeader(t, resp, "Access-Control-Allow-Origin", "")
}

// TestNothingOutsideReleases tries the ways out of the release folders:
// each is answered 400 or 404, and never with the secret beside them.
func TestNothingOutsideReleases(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	for _, c := range []struct {
		target string
		status int
	}{
		{"/data/current/../../history.sqlite", http.StatusBadRequest},
		{"/data/current/%2e%2e/%2e%2e/history.sqlite", http.StatusBadRequest},
		{"/data/current/%2E%2E%2F%2E%2E%2Fhistory.sqlite", http.StatusBadRequest},
		{"/data/current/..%2f..%2fhistory.sqlite", http.StatusBadRequest},
		{"/data/releases/../", http.StatusBadRequest},
		{"/data/releases/../history.sqlite", http.StatusBadRequest},
		{"/data/releases/r1/../../history.sqlite", http.StatusBadRequest},
		{"/data/releases/r1/./kennzahlen.csv", http.StatusBadRequest},
		{"/data/releases/r1//kennzahlen.csv", http.StatusBadRequest},
		{"/data/releases/r1/..%5c..%5chistory.sqlite", http.StatusBadRequest},
		{"/data/releases/r1/history.sqlite%00.csv", http.StatusBadRequest},
		{"/data/current/escape.csv", http.StatusNotFound},
		{"/data/releases/r1/escape.csv", http.StatusNotFound},
		{"/data/releases/r1/escape-abs.csv", http.StatusNotFound},
		{"/data/releases/up/history.sqlite", http.StatusNotFound},
		{"/data/releases/r1/sub%2fa.csv", http.StatusNotFound},
		{"/data/releases/r1/sub%2F..%2F..%2F..%2Fhistory.sqlite", http.StatusBadRequest},
		{"/data/releases/%2e%2e/history.sqlite", http.StatusBadRequest},
		{"/data/releases/.staging-x/kennzahlen.csv", http.StatusNotFound},
		{"/data/current/.hidden", http.StatusNotFound},
		{"/history.sqlite", http.StatusNotFound},
		{"/releases/r1/kennzahlen.csv", http.StatusNotFound},
		{"/current/kennzahlen.csv", http.StatusNotFound},
		{"/data/current/manifest.json/../../history.sqlite", http.StatusBadRequest},
	} {
		t.Run(c.target, func(t *testing.T) {
			resp, body := f.raw(t, c.target)
			if resp.StatusCode != c.status {
				t.Errorf("status %d, want %d", resp.StatusCode, c.status)
			}
			if bytes.Contains(body, []byte(secret)) {
				t.Fatalf("served the secret")
			}
		})
	}
	// The symlinks leading out are an error of the deployment: logged.
	if !strings.Contains(f.logs.String(), "escape.csv") {
		t.Errorf("escape through a symlink not logged:\n%s", f.logs)
	}
}

func TestNoDirectoryListing(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	for _, path := range []string{
		"/data/", "/data/current", "/data/current/", "/data/releases/", "/data/releases/r1",
		"/data/releases/r1/", "/data/releases/r1/sub", "/data/releases/r1/sub/", "/data/releases/r1/sub/a.csv",
		"/data/current/sub",
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := f.raw(t, path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", resp.StatusCode)
			}
			if bytes.Contains(body, []byte("kennzahlen")) || bytes.Contains(body, []byte("a.csv")) {
				t.Errorf("listing: %s", body)
			}
		})
	}
}

func TestNothingPublishedYet(t *testing.T) {
	f := serve(t, t.TempDir(), httpserve.Config{}, nil)
	for _, path := range []string{"/data/current/kennzahlen.csv", "/data/releases/r1/kennzahlen.csv"} {
		resp, _ := f.do(t, "GET", path)
		wantStatus(t, resp, http.StatusNotFound)
	}
	resp, body := f.do(t, "GET", "/")
	wantStatus(t, resp, http.StatusOK)
	if !strings.Contains(string(body), "noch nichts veröffentlicht") {
		t.Errorf("page does not say that nothing is published:\n%s", body)
	}
	if f.logs.Len() > 0 {
		t.Errorf("logged:\n%s", f.logs)
	}
}

// TestReleaseSwitch publishes a new release between two requests: the
// second is served wholly from the new one.
func TestReleaseSwitch(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	const path = "/data/current/kennzahlen.csv"
	resp, body := f.do(t, "GET", path)
	oldETag := resp.Header.Get("ETag")
	if !bytes.Equal(body, csvText) {
		t.Fatalf("before the switch: %q", body)
	}

	next := []byte("code,jahr,einwohner\nBOR,2026,13100\n")
	files := r1Files()
	files["kennzahlen.csv"] = next
	m := publish(t, f.out, "r2", files)

	resp, body = f.do(t, "GET", path, "If-None-Match", oldETag)
	wantStatus(t, resp, http.StatusOK)
	if !bytes.Equal(body, next) {
		t.Errorf("after the switch: %q", body)
	}
	if etag := resp.Header.Get("ETag"); etag == oldETag || etag != `"`+sha(next)+`"` {
		t.Errorf("ETag %s after the switch, before %s", etag, oldETag)
	}
	wantHeader(t, resp, "Content-Location", "/data/releases/r2/kennzahlen.csv")
	for _, mf := range m.Files {
		if mf.Name == "kennzahlen.csv" && `"`+mf.SHA256+`"` != resp.Header.Get("ETag") {
			t.Errorf("ETag %s is not the manifest's %s", resp.Header.Get("ETag"), mf.SHA256)
		}
	}

	// The old release stays reachable under its id.
	resp, body = f.do(t, "GET", "/data/releases/r1/kennzahlen.csv")
	wantStatus(t, resp, http.StatusOK)
	wantHeader(t, resp, "ETag", oldETag)
	if !bytes.Equal(body, csvText) {
		t.Errorf("r1 changed: %q", body)
	}
}
