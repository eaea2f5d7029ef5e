package httpserve

import (
	"net/http"
	"testing"
)

func TestCleanPath(t *testing.T) {
	for _, c := range []struct {
		path string
		ok   bool
	}{
		{"/", true},
		{"/data/current/a.csv", true},
		{"/data/current/", true},
		{"/data/current/..", false},
		{"/data/./current", false},
		{"/data//current", false},
		{"/data/current/a\\b", false},
		{"/data/current/a\x00", false},
		{"data/current", false},
		{"/data/current/..a.csv", true}, // a name, not a dot segment
	} {
		if got := cleanPath(c.path); got != c.ok {
			t.Errorf("cleanPath(%q) = %v, want %v", c.path, got, c.ok)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header string
		ok     bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0", false},
		{"x-gzip", true},
		{"identity", false},
		{"*", false},
		{"gzipx", false},
	} {
		r := &http.Request{Header: http.Header{"Accept-Encoding": {c.header}}}
		if got := acceptsGzip(r); got != c.ok {
			t.Errorf("acceptsGzip(%q) = %v, want %v", c.header, got, c.ok)
		}
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 Byte", 999: "999 Byte", 1000: "1,0 kB", 1400: "1,4 kB", 123456: "123,5 kB",
		4_500_000: "4,5 MB", 2_000_000_000: "2,0 GB",
	} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestValidIDAndName(t *testing.T) {
	for id, ok := range map[string]bool{"20260301T043000Z": true, "r1-2": true, "": false, ".staging-x": false, "a/b": false, "..": false, "a b": false} {
		if validID(id) != ok {
			t.Errorf("validID(%q) = %v", id, !ok)
		}
	}
	for name, ok := range map[string]bool{"kennzahlen.csv": true, "manifest.json": true, "": false, ".hidden": false, "a/b.csv": false, `a\b.csv`: false} {
		if validName(name) != ok {
			t.Errorf("validName(%q) = %v", name, !ok)
		}
	}
}
