package release

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
)

// file is one file of a release being written. The hash is taken behind the
// buffer, of the bytes handed to the file.
type file struct {
	name   string
	f      *os.File
	buf    *bufio.Writer
	hash   hash.Hash
	size   int64
	closed bool
	// scratch is the release's folder for temporary files.
	scratch string
	// err is the first error of a write or of Close; such a file is never
	// published.
	err error
}

func newFile(name string, f *os.File) *file {
	h := sha256.New()
	return &file{name: name, f: f, hash: h, buf: bufio.NewWriterSize(io.MultiWriter(f, h), 64<<10)}
}

// ScratchDir is the folder for an encoder's temporary files: it is removed
// with the staging folder, so a killed run leaves none in the system's
// temporary folder. It implements pipeline.ScratchDirer.
func (w *file) ScratchDir() string { return w.scratch }

// Write writes b through the buffer.
func (w *file) Write(b []byte) (int, error) {
	if w.closed {
		return 0, fmt.Errorf("release: write %s: %w", w.name, fs.ErrClosed)
	}
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.buf.Write(b)
	w.size += int64(n)
	if err != nil {
		w.err = fmt.Errorf("release: %w", err)
	}
	return n, w.err
}

// Close flushes the buffer, syncs the file to disk and closes it.
func (w *file) Close() error {
	if w.closed {
		return fmt.Errorf("release: close %s: %w", w.name, fs.ErrClosed)
	}
	w.closed = true
	err := w.buf.Flush()
	if err == nil {
		crashPoint("flush:" + w.name)
		err = w.f.Sync()
	}
	if err == nil {
		crashPoint("sync:" + w.name)
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		crashPoint("close:" + w.name)
	}
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("release: %w", err)
	}
	return w.err
}

// abandon closes the file without flushing, for a release that is dropped.
func (w *file) abandon() {
	if !w.closed {
		w.closed = true
		w.f.Close()
	}
}

func (w *file) sum() string { return hex.EncodeToString(w.hash.Sum(nil)) }

// Written returns the size and the SHA-256 (hex) of what was written, so
// that a caller need not hash the bytes a second time.
func (w *file) Written() (int64, string) { return w.size, w.sum() }
