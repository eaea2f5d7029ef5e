package httpsource

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Names in the cache folder: per URL KEY.body and KEY.json, and the
// temporary files of downloads under way.
const (
	bodyExt    = ".body"
	metaExt    = ".json"
	tempPrefix = ".download-"
)

// staleAfter is how long a temporary file must have been left unmodified
// before a fetch takes it for the leftover of a crashed run.
const staleAfter = time.Hour

// validators are what the cache keeps beside a body to ask the server
// whether it changed.
type validators struct {
	// URL is the source, redacted, for people looking into the folder.
	URL          string `json:"url"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Bytes is the size of the body, so that a body without its validators
	// is never taken for the one they describe.
	Bytes int64 `json:"bytes"`
}

// cache keeps the last body of one URL in dir; an empty dir keeps nothing.
type cache struct {
	dir, key, where string
}

func newCache(dir, rawURL, where string) cache {
	sum := sha256.Sum256([]byte(rawURL))
	return cache{dir: dir, key: hex.EncodeToString(sum[:16]), where: where}
}

func (c cache) bodyPath() string { return filepath.Join(c.dir, c.key+bodyExt) }
func (c cache) metaPath() string { return filepath.Join(c.dir, c.key+metaExt) }

// validators returns the validators of the cached body, and false when
// there is no body that a conditional GET could confirm.
func (c cache) validators() (validators, bool) {
	var v validators
	if c.dir == "" {
		return v, false
	}
	b, err := os.ReadFile(c.metaPath())
	if err != nil || json.Unmarshal(b, &v) != nil || v.ETag == "" && v.LastModified == "" {
		return v, false
	}
	fi, err := os.Stat(c.bodyPath())
	if err != nil || fi.Size() != v.Bytes {
		return v, false
	}
	return v, true
}

// open returns the cached body.
func (c cache) open(name string) (io.ReadCloser, error) {
	f, err := os.Open(c.bodyPath())
	if err != nil {
		return nil, fmt.Errorf("httpsource: cache: %w", err)
	}
	return &file{f: f, name: name}, nil
}

// store writes r to a temporary file and, with a cache folder, renames it
// into the cache with v. It returns the file, read from its start. Reading r
// is the download: its errors are the caller's to tell.
func (c cache) store(name string, r io.Reader, v validators) (io.ReadCloser, error) {
	dir := c.dir
	if dir == "" {
		dir = os.TempDir()
	} else {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("httpsource: cache: %w", err)
		}
		removeStale(dir, time.Now())
	}
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("httpsource: cache: %w", err)
	}
	n, err := io.Copy(f, r)
	if err == nil && c.dir != "" {
		v.Bytes = n
		err = c.commit(f, v)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("httpsource: cache: %w", err)
	}
	return &file{f: f, name: name, remove: c.dir == ""}, nil
}

// commit makes the downloaded file f the cached body, described by v.
func (c cache) commit(f *os.File, v validators) error {
	if err := f.Sync(); err != nil {
		return err
	}
	// The old validators go first, so that a crash cannot pair them with
	// the new body.
	if err := os.Remove(c.metaPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := syncDir(c.dir); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), c.bodyPath()); err != nil {
		return err
	}
	v.URL = c.where
	if err := writeMeta(c.metaPath(), v); err != nil {
		return err
	}
	return syncDir(c.dir)
}

// writeMeta writes v to path through a synced temporary file.
func writeMeta(path string, v validators) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix+"*")
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// removeStale removes temporary files that crashed fetches left behind.
// Younger ones may belong to a download under way. It is best effort: what
// stays is tried again by the next fetch.
func removeStale(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// file is an opened body. Its Name is the input's, so that messages about
// its contents name the file as the URL does.
type file struct {
	f    *os.File
	name string
	// remove is true for a temporary file without cache.
	remove bool
}

func (b *file) Read(p []byte) (int, error) { return b.f.Read(p) }

// Name is the last path element of the URL.
func (b *file) Name() string { return b.name }

// Close closes the file and removes it when it is not cached.
func (b *file) Close() error {
	err := b.f.Close()
	if b.remove {
		if rerr := os.Remove(b.f.Name()); err == nil {
			err = rerr
		}
	}
	return err
}
