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
	// synced is closed once the sync that Close started has ended, with
	// syncErr its error.
	synced  chan struct{}
	syncErr error
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

// Close flushes the buffer and hands the file to the disk: the sync and
// the close run in a goroutine of their own, so that the encoder that
// wrote the file, and the documents written after it, need not wait for
// the disk. Commit waits for every sync (wait) before a release can name
// the file; an error of the sync fails the release there.
func (w *file) Close() error {
	if w.closed {
		return fmt.Errorf("release: close %s: %w", w.name, fs.ErrClosed)
	}
	w.closed = true
	if err := w.buf.Flush(); err != nil {
		w.f.Close()
		if w.err == nil {
			w.err = fmt.Errorf("release: %w", err)
		}
		return w.err
	}
	if w.err != nil {
		w.f.Close()
		return w.err
	}
	crashPoint("flush:" + w.name)
	w.synced = make(chan struct{})
	go w.sync()
	return nil
}

// sync syncs the file to disk and closes it; the error is taken by wait.
func (w *file) sync() {
	defer close(w.synced)
	err := syncFile(w.f)
	if err == nil {
		crashPoint("sync:" + w.name)
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		crashPoint("close:" + w.name)
	} else {
		w.syncErr = fmt.Errorf("release: %w", err)
	}
}

// syncFile is (*os.File).Sync; tests delay or fail it.
var syncFile = (*os.File).Sync

// wait waits until a closed file is on disk and closed, and returns the
// first error of its writes, its flush or its sync.
func (w *file) wait() error {
	if w.synced != nil {
		<-w.synced
		w.synced = nil
		if w.err == nil {
			w.err = w.syncErr
		}
	}
	return w.err
}

// abandon closes the file without flushing, for a release that is dropped,
// or waits for the sync of a closed one, so that no goroutine outlives the
// release.
func (w *file) abandon() {
	if !w.closed {
		w.closed = true
		w.f.Close()
	}
	_ = w.wait()
}

func (w *file) sum() string { return hex.EncodeToString(w.hash.Sum(nil)) }

// Written returns the size and the SHA-256 (hex) of what was written, so
// that a caller need not hash the bytes a second time.
func (w *file) Written() (int64, string) { return w.size, w.sum() }
