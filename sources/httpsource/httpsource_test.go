package httpsource

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const body = "code;jahr;betrag\nBOR;2025;1250,50\n"

// server serves handler on loopback and counts the requests.
func server(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// source is a Source for srv with quick retries and a cache in a new folder.
func source(t *testing.T, srv *httptest.Server, path string) Source {
	return Source{URL: srv.URL + path, Backoff: time.Millisecond, CacheDir: t.TempDir(), Client: srv.Client()}
}

// read opens the input and returns its contents and the name of the opened
// file.
func read(t *testing.T, s Source) (string, string, error) {
	t.Helper()
	rc, err := s.Input().Open()
	if err != nil {
		return "", "", err
	}
	defer func() {
		if err := rc.Close(); err != nil {
			t.Error(err)
		}
	}()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	named, ok := rc.(interface{ Name() string })
	if !ok {
		t.Fatalf("%T has no Name method", rc)
	}
	return string(b), named.Name(), nil
}

// noTempFiles asserts that dir holds only the cached body and validators.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			t.Errorf("temporary file %s left in the cache", e.Name())
		}
	}
}

func TestFetch(t *testing.T) {
	srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("If-None-Match"); got != "" {
			t.Errorf("first fetch sent If-None-Match %q", got)
		}
		io.WriteString(w, body)
	})
	s := source(t, srv, "/daten/mittelverwendung.csv?format=csv")
	if got := s.Input().Name; got != "mittelverwendung.csv" {
		t.Errorf("Input.Name = %q, want the last path element", got)
	}
	got, name, err := read(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if got != body || name != "mittelverwendung.csv" || n.Load() != 1 {
		t.Errorf("got %q named %q after %d requests", got, name, n.Load())
	}
	noTempFiles(t, s.CacheDir)
}

func TestRetriesServerErrors(t *testing.T) {
	var failures atomic.Int32
	srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
		if failures.Add(1) <= 2 {
			http.Error(w, "kaputt", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, body)
	})
	got, _, err := read(t, source(t, srv, "/mittelverwendung.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if got != body || n.Load() != 3 {
		t.Errorf("got %q after %d requests, want the body after 3", got, n.Load())
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		retries  int
		requests int32
		message  string
	}{
		{"not found is final", http.StatusNotFound, 3, 1, "nicht erreichbar: HTTP 404 Not Found"},
		{"forbidden is final", http.StatusForbidden, 3, 1, "nicht erreichbar: HTTP 403 Forbidden"},
		{"server errors are retried", http.StatusBadGateway, 2, 3, "nicht erreichbar: HTTP 502 Bad Gateway (3 Versuche)"},
		{"too many requests are retried", http.StatusTooManyRequests, 1, 2, "nicht erreichbar: HTTP 429 Too Many Requests (2 Versuche)"},
		{"no retries", http.StatusServiceUnavailable, -1, 1, "nicht erreichbar: HTTP 503 Service Unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "Fehler", tt.status)
			})
			s := source(t, srv, "/mittelverwendung.csv")
			s.Retries = tt.retries
			_, _, err := read(t, s)
			if !errors.Is(err, ErrFetch) {
				t.Fatalf("err = %v, want ErrFetch", err)
			}
			want := "Quelle " + s.URL + " " + tt.message
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
			if n.Load() != tt.requests {
				t.Errorf("%d requests, want %d", n.Load(), tt.requests)
			}
		})
	}
}

func TestNetworkError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	s := Source{URL: srv.URL + "/mittelverwendung.csv", Retries: 1, Backoff: time.Millisecond}
	srv.Close()
	_, _, err := read(t, s)
	if !errors.Is(err, ErrFetch) {
		t.Fatalf("err = %v, want ErrFetch", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "Quelle "+s.URL+" nicht erreichbar: ") || !strings.HasSuffix(msg, "(2 Versuche)") {
		t.Errorf("message %q", msg)
	}
}

func TestConditionalGet(t *testing.T) {
	tests := []struct {
		name      string
		validator string // response header
		condition string // request header
	}{
		{"etag", "ETag", "If-None-Match"},
		{"last modified", "Last-Modified", "If-Modified-Since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const version = `"v1"`
			var sent []string
			srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				sent = append(sent, r.Header.Get(tt.condition))
				if r.Header.Get(tt.condition) == version {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set(tt.validator, version)
				io.WriteString(w, body)
			})
			s := source(t, srv, "/mittelverwendung.csv")
			for i := range 2 {
				got, name, err := read(t, s)
				if err != nil {
					t.Fatal(err)
				}
				if got != body || name != "mittelverwendung.csv" {
					t.Errorf("fetch %d: got %q named %q", i+1, got, name)
				}
			}
			if len(sent) != 2 || sent[0] != "" || sent[1] != version {
				t.Errorf("%s sent: %q, want none, then %s", tt.condition, sent, version)
			}
			noTempFiles(t, s.CacheDir)
		})
	}
}

func TestChangedBodyReplacesCache(t *testing.T) {
	version := "v1"
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == version {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", version)
		io.WriteString(w, "stand "+version)
	})
	s := source(t, srv, "/kennzahlen.csv")
	for _, v := range []string{"v1", "v2", "v2"} {
		version = v
		got, _, err := read(t, s)
		if err != nil {
			t.Fatal(err)
		}
		if got != "stand "+v {
			t.Errorf("got %q, want %q", got, "stand "+v)
		}
	}
}

// A body without its validators, as a crash between the two renames leaves
// it, is fetched anew.
func TestCacheWithoutValidators(t *testing.T) {
	var conditional int
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") != "" {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, body)
	})
	s := source(t, srv, "/mittelverwendung.csv")
	if _, _, err := read(t, s); err != nil {
		t.Fatal(err)
	}
	c := newCache(s.CacheDir, s.URL, "")
	if err := os.WriteFile(c.bodyPath(), []byte("halb"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _, err := read(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if got != body || conditional != 0 {
		t.Errorf("got %q after %d conditional requests, want a full fetch", got, conditional)
	}
}

func TestSizeLimit(t *testing.T) {
	tests := []struct {
		name          string
		contentLength bool
		size          int
		ok            bool
	}{
		{"exactly the limit", true, 1024, true},
		{"exactly the limit, streamed", false, 1024, true},
		{"declared too large", true, 1025, false},
		{"streamed too large", false, 4096, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
				if !tt.contentLength {
					w.(http.Flusher).Flush() // chunked: no Content-Length
				}
				io.WriteString(w, strings.Repeat("x", tt.size))
			})
			s := source(t, srv, "/gross.csv")
			s.MaxBytes = 1024
			got, _, err := read(t, s)
			if tt.ok {
				if err != nil || len(got) != tt.size {
					t.Fatalf("got %d bytes, err %v", len(got), err)
				}
				return
			}
			if !errors.Is(err, ErrFetch) || !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrFetch and ErrTooLarge", err)
			}
			if want := "Quelle " + s.URL + " liefert mehr als 1 KiB, die Grenze für diese Quelle (in der Konfiguration [http] max_bytes, sonst [limits] max_file_bytes)"; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
			if n.Load() != 1 {
				t.Errorf("%d requests, want 1: too large stays too large", n.Load())
			}
			if entries, _ := os.ReadDir(s.CacheDir); len(entries) != 0 {
				t.Errorf("cache holds %d files after a failed fetch", len(entries))
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"no answer", func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}},
		{"body stalls", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "code;jahr\n")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := server(t, tt.handler)
			s := source(t, srv, "/mittelverwendung.csv")
			s.Timeout = 50 * time.Millisecond
			s.Retries = 1
			start := time.Now()
			_, _, err := read(t, s)
			if !errors.Is(err, ErrFetch) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want ErrFetch and a deadline", err)
			}
			want := "Quelle " + s.URL + " nicht erreichbar: keine vollständige Antwort innerhalb von 50ms (2 Versuche)"
			if err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
			if n.Load() != 2 || time.Since(start) > 5*time.Second {
				t.Errorf("%d requests in %v", n.Load(), time.Since(start))
			}
			noTempFiles(t, s.CacheDir)
		})
	}
}

func TestAuth(t *testing.T) {
	const secret = "Bearer geheim-4711"
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != secret {
			http.Error(w, "wer bist du", http.StatusUnauthorized)
			return
		}
		io.WriteString(w, body)
	})
	s := source(t, srv, "/mittelverwendung.csv?api_key=geheim-4711")
	s.URL = strings.Replace(s.URL, "http://", "http://amt:passwort@", 1)
	s.AuthHeader, s.AuthEnv = "X-Api-Key", "AKTIONSPLAN_TEST_TOKEN"

	t.Run("unset variable", func(t *testing.T) {
		os.Unsetenv(s.AuthEnv)
		_, _, err := read(t, s)
		if !errors.Is(err, ErrFetch) || !strings.Contains(err.Error(), "Umgebungsvariable AKTIONSPLAN_TEST_TOKEN") {
			t.Errorf("err = %v, want one naming the variable", err)
		}
	})
	t.Run("value from the environment", func(t *testing.T) {
		t.Setenv(s.AuthEnv, secret)
		got, _, err := read(t, s)
		if err != nil || got != body {
			t.Errorf("got %q, err %v", got, err)
		}
	})
	t.Run("wrong value", func(t *testing.T) {
		t.Setenv(s.AuthEnv, "Bearer falsch-0815")
		_, _, err := read(t, s)
		if !errors.Is(err, ErrFetch) || !strings.Contains(err.Error(), "HTTP 401 Unauthorized") {
			t.Fatalf("err = %v, want 401", err)
		}
		for _, secret := range []string{"falsch-0815", "geheim-4711", "passwort"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("message %q shows %q", err, secret)
			}
		}
	})
}

func TestAuthDefaultHeader(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer xyz" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	})
	s := source(t, srv, "/mittelverwendung.csv")
	s.AuthEnv = "AKTIONSPLAN_TEST_TOKEN"
	t.Setenv(s.AuthEnv, "Bearer xyz")
	if _, _, err := read(t, s); err != nil {
		t.Error(err)
	}
}

func TestRedirectToOtherHostDropsCredentials(t *testing.T) {
	other, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("X-Api-Key"); v != "" {
			t.Errorf("other host got the key %q", v)
		}
		io.WriteString(w, body)
	})
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "k" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, other.URL+"/mittelverwendung.csv", http.StatusFound)
	})
	s := source(t, srv, "/mittelverwendung.csv")
	s.AuthHeader, s.AuthEnv = "X-Api-Key", "AKTIONSPLAN_TEST_TOKEN"
	t.Setenv(s.AuthEnv, "k")
	got, _, err := read(t, s)
	if err != nil || got != body {
		t.Errorf("got %q, err %v", got, err)
	}
}

func TestWithoutCache(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, body)
	})
	s := source(t, srv, "/mittelverwendung.csv")
	s.CacheDir = ""
	for range 2 {
		got, _, err := read(t, s)
		if err != nil || got != body {
			t.Fatalf("got %q, err %v", got, err)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%d temporary files left", len(entries))
	}
}

func TestStaleTempFilesRemoved(t *testing.T) {
	srv, _ := server(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) })
	s := source(t, srv, "/mittelverwendung.csv")
	old, young := filepath.Join(s.CacheDir, tempPrefix+"alt"), filepath.Join(s.CacheDir, tempPrefix+"jung")
	for _, p := range []string{old, young} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * staleAfter)
	os.Chtimes(old, past, past)
	if _, _, err := read(t, s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); err == nil {
		t.Error("stale temporary file kept")
	}
	if _, err := os.Stat(young); err != nil {
		t.Error("young temporary file removed")
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		src  Source
		ok   bool
	}{
		{"https", Source{URL: "https://daten.example/mittelverwendung.xlsx"}, true},
		{"auth", Source{URL: "https://daten.example/m.xlsx", AuthHeader: "Authorization", AuthEnv: "TOKEN"}, true},
		{"auth env only", Source{URL: "https://daten.example/m.xlsx", AuthEnv: "TOKEN"}, true},
		{"ftp", Source{URL: "ftp://daten.example/m.xlsx"}, false},
		{"no host", Source{URL: "https:///m.xlsx"}, false},
		{"not a URL", Source{URL: "https://daten example/%zz"}, false},
		{"negative timeout", Source{URL: "https://daten.example/m.xlsx", Timeout: -time.Second}, false},
		{"header without env", Source{URL: "https://daten.example/m.xlsx", AuthHeader: "Authorization"}, false},
		{"bad header name", Source{URL: "https://daten.example/m.xlsx", AuthHeader: "Api Key", AuthEnv: "TOKEN"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.src.Check()
			if tt.ok && err != nil {
				t.Errorf("Check = %v", err)
			}
			if !tt.ok && !errors.Is(err, ErrSource) {
				t.Errorf("Check = %v, want ErrSource", err)
			}
		})
	}
}

func TestName(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://daten.example/export/mittelverwendung.xlsx", "mittelverwendung.xlsx"},
		{"https://daten.example/export/mittel%20verwendung.xlsx?x=1", "mittel verwendung.xlsx"},
		{"https://daten.example/export/", "export"},
		{"https://daten.example", "daten.example"},
	}
	for _, tt := range tests {
		if got := (Source{URL: tt.url}).Input().Name; got != tt.want {
			t.Errorf("Name of %s = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	s := Source{URL: "https://amt:geheim@daten.example/m.xlsx?format=xlsx&access_token=abc123&Signature=zzz"}
	u, err := s.parse()
	if err != nil {
		t.Fatal(err)
	}
	got := redact(u)
	for _, secret := range []string{"geheim", "abc123", "zzz"} {
		if strings.Contains(got, secret) {
			t.Errorf("redact = %q shows %q", got, secret)
		}
	}
	if !strings.Contains(got, "format=xlsx") || !strings.HasPrefix(got, "https://amt:") {
		t.Errorf("redact = %q hides too much", got)
	}
}
