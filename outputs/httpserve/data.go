package httpserve

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
)

// format is how files of one extension are served.
type format struct {
	contentType string
	// text formats compress well and are sent gzipped to clients that
	// accept it.
	text bool
}

// formatOf is how a file is served: with its media type (text in UTF-8),
// gzipped where it compresses well; a file the release does not describe as
// application/octet-stream, never sniffed.
func formatOf(name string) format {
	mt, ok := pipeline.MediaType(name)
	if !ok {
		return format{contentType: "application/octet-stream"}
	}
	f := format{contentType: mt, text: !binary[mt]}
	if strings.HasPrefix(mt, "text/") {
		f.contentType += "; charset=utf-8"
	}
	return f
}

// binary are the media types of files that are compressed already or
// binary, not worth gzipping.
var binary = map[string]bool{
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": true,
	"application/geopackage+sqlite3":                                    true,
}

// Caching: current changes with every published run, so caches ask again
// after five minutes; a release never changes once published.
const (
	currentCacheControl = "public, max-age=300"
	releaseCacheControl = "public, max-age=31536000, immutable"
)

// dataCSP keeps a published HTML file from running scripts on the origin
// of the download area. The release page index.html links the files of
// its release: a sandbox without allow-downloads would make browsers refuse
// every such link that is a download (Chromium: "Download is disallowed").
const dataCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox allow-downloads"

// maxManifestBytes bounds what is read of a manifest.
const maxManifestBytes = 16 << 20

// current serves a file of the current release. The link is read once, so
// a release switched during the request never mixes two releases.
func (s *Server) current(w http.ResponseWriter, r *http.Request) {
	setCORS(w.Header())
	id, err := release.Current(s.c.Out)
	if errors.Is(err, release.ErrNoRelease) {
		http.Error(w, "Noch keine Veröffentlichung", http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.serveFile(w, r, id, r.PathValue("name"), true)
}

// release serves a file of the release named in the path.
func (s *Server) release(w http.ResponseWriter, r *http.Request) {
	setCORS(w.Header())
	s.serveFile(w, r, r.PathValue("id"), r.PathValue("name"), false)
}

// serveFile serves the file name of release id: with an ETag from the
// manifest, Last-Modified from the manifest's time, ranges and conditional
// requests through http.ServeContent, or gzipped for text formats.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, id, name string, current bool) {
	if !validID(id) || !validName(name) {
		http.NotFound(w, r)
		return
	}
	root, err := os.OpenRoot(s.releases)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer root.Close()
	f, err := root.Open(id + "/" + name)
	if err != nil {
		s.openFailed(w, r, err)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !fi.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	sum, modtime, err := s.identify(r, root, id, f, fi)
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	h := w.Header()
	ft := formatOf(name)
	h.Set("Content-Type", ft.contentType)
	h.Set("Content-Security-Policy", dataCSP)
	if current {
		h.Set("Cache-Control", currentCacheControl)
		h.Set("Content-Location", "/data/releases/"+id+"/"+url.PathEscape(name))
	} else {
		h.Set("Cache-Control", releaseCacheControl)
	}
	if ft.text {
		h.Add("Vary", "Accept-Encoding")
		// A range is of the bytes of the file: ranged requests get those.
		if r.Header.Get("Range") == "" && acceptsGzip(r) {
			s.serveGzip(w, r, f, `"`+sum+`-gzip"`, modtime)
			return
		}
	}
	h.Set("ETag", `"`+sum+`"`)
	http.ServeContent(w, r, name, modtime, f)
}

// identify returns the SHA-256 and the time of the file f of release id:
// both from the release's manifest where it lists the file with its size,
// else the hash is computed (and kept) and the time is the file's.
func (s *Server) identify(r *http.Request, root *os.Root, id string, f *os.File, fi fs.FileInfo) (sum string, modtime time.Time, err error) {
	modtime = fi.ModTime()
	m, err := readManifest(root, id)
	switch {
	case err == nil:
		if !m.Time.IsZero() {
			modtime = m.Time
		}
		for _, mf := range m.Files {
			if mf.Name == fi.Name() && mf.Bytes == fi.Size() && validSum(mf.SHA256) {
				return mf.SHA256, modtime, nil
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		// The file can still be served, with a hash of its own.
		s.c.Logger.Error("manifest not readable", "path", r.URL.Path, "err", err)
	}
	sum, err = s.sums.get(id+"/"+fi.Name(), f, fi)
	return sum, modtime, err
}

// openFailed answers an error of opening a file in the releases. A name
// that does not exist is a plain 404; anything else, such as a symlink
// leading out of the releases, is logged but looks the same to the client.
func (s *Server) openFailed(w http.ResponseWriter, r *http.Request, err error) {
	if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		s.c.Logger.Error("file in a release refused", "path", r.URL.Path, "err", err)
	}
	http.NotFound(w, r)
}

// serveGzip sends f compressed. It answers conditional requests itself
// (http.ServeContent would take the ETag for one of the uncompressed bytes)
// and never sends ranges.
func (s *Server) serveGzip(w http.ResponseWriter, r *http.Request, f io.Reader, etag string, modtime time.Time) {
	h := w.Header()
	h.Set("ETag", etag)
	if !modtime.IsZero() {
		h.Set("Last-Modified", modtime.UTC().Format(http.TimeFormat))
	}
	if preconditionFailed(r, etag, modtime) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusPreconditionFailed)
		return
	}
	if notModified(r, etag, modtime) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Encoding", "gzip")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(w)
	_, err := io.Copy(zw, f)
	if err == nil {
		err = zw.Close()
	}
	// A client that went away is no error of ours.
	if err != nil && r.Context().Err() == nil {
		s.c.Logger.Error("gzip download broken off", "path", r.URL.Path, "err", err)
	}
}

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// preconditionFailed reports whether If-Match or, in its absence,
// If-Unmodified-Since rules the request out (RFC 9110, 13.2.2), as
// http.ServeContent does for the uncompressed answer.
func preconditionFailed(r *http.Request, etag string, modtime time.Time) bool {
	if im := r.Header.Get("If-Match"); im != "" {
		for c := range strings.SplitSeq(im, ",") {
			if c = strings.TrimSpace(c); c == "*" || c == etag {
				return false
			}
		}
		return true
	}
	ius, err := http.ParseTime(r.Header.Get("If-Unmodified-Since"))
	if err != nil || modtime.IsZero() {
		return false
	}
	return modtime.Truncate(time.Second).After(ius)
}

// notModified reports whether a GET or HEAD request's If-None-Match or, in
// its absence, If-Modified-Since allows a 304 answer (RFC 9110, 13.1).
func notModified(r *http.Request, etag string, modtime time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for c := range strings.SplitSeq(inm, ",") {
			c = strings.TrimSpace(c)
			if c == "*" || strings.TrimPrefix(c, "W/") == etag {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	if err != nil || modtime.IsZero() {
		return false
	}
	return !modtime.Truncate(time.Second).After(ims)
}

// acceptsGzip reports whether the client accepts gzip with a quality above 0.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(strings.Join(r.Header.Values("Accept-Encoding"), ","), ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" {
			continue
		}
		k, v, ok := strings.Cut(params, "=")
		if !ok || strings.TrimSpace(k) != "q" {
			return true
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q > 0
	}
	return false
}

// setCORS lets web maps on other sites load the data; the data is public
// and read without credentials.
func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Accept-Ranges, Content-Location, Content-Range, ETag")
}

// preflight answers a CORS preflight of the data routes.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	setCORS(h)
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Range, If-None-Match, If-Modified-Since")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// readManifest reads manifest.json of release id through root.
func readManifest(root *os.Root, id string) (pipeline.Manifest, error) {
	var m pipeline.Manifest
	f, err := root.Open(id + "/" + manifestName)
	if err != nil {
		return m, fmt.Errorf("httpserve: manifest of release %s: %w", id, err)
	}
	defer f.Close()
	if err := json.NewDecoder(io.LimitReader(f, maxManifestBytes)).Decode(&m); err != nil {
		return m, fmt.Errorf("httpserve: manifest of release %s: %w: %w", id, release.ErrCorrupt, err)
	}
	return m, nil
}

// sumCache keeps the hashes computed of files the manifest does not list.
// Releases do not change, but an entry is used only while the file's size
// and time are the same, in case a release folder was replaced by hand.
type sumCache struct {
	mu sync.Mutex
	m  map[string]cachedSum
}

type cachedSum struct {
	size int64
	mod  time.Time
	sum  string
}

// maxCachedSums bounds the cache; when full it starts over.
const maxCachedSums = 1024

func (c *sumCache) get(key string, f io.ReaderAt, fi fs.FileInfo) (string, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && e.size == fi.Size() && e.mod.Equal(fi.ModTime()) {
		return e.sum, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, fi.Size())); err != nil {
		return "", fmt.Errorf("httpserve: %s: %w", key, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedSums {
		c.m = make(map[string]cachedSum)
	}
	c.m[key] = cachedSum{fi.Size(), fi.ModTime(), sum}
	c.mu.Unlock()
	return sum, nil
}

// validID accepts release ids as package release makes them: A-Z, a-z,
// 0-9, '.', '_' and '-', not starting with '.' (hidden staging folders).
func validID(id string) bool {
	return id != "" && id[0] != '.' && strings.IndexFunc(id, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
	}) < 0
}

// validName accepts plain, visible file names. A name can hold a '/' when
// the client escaped it as %2F.
func validName(name string) bool {
	return name != "" && name[0] != '.' && !strings.ContainsAny(name, "/\\\x00")
}

func validSum(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
