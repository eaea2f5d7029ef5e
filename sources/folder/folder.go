// Package folder opens the newest file of a drop folder. Staff save each
// month's export under a new name ("mittelverwendung_2026-03.xlsx") into a
// folder; the run reads the newest file whose name matches a pattern, and
// its messages name that file.
package folder

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

var (
	// ErrNoMatch is wrapped by the error of Open when no file in the folder
	// matches the pattern. That error also matches fs.ErrNotExist.
	ErrNoMatch = errors.New("folder: no file matches the pattern")
	// ErrPattern is returned by Check, and wrapped by the error of Open, for
	// a pattern that is malformed or holds a path separator.
	ErrPattern = errors.New("folder: invalid pattern")
)

// Input returns the input for the newest file in dir whose name matches the
// glob pattern (see filepath.Match), such as "mittelverwendung_*.xlsx". The
// file is chosen when the input is opened, by modification time and, for
// files of the same time, by the greater name. Temporary files of office
// programs (~$name, .~lock.name#) and other hidden files are never chosen,
// nor are folders.
//
// The input's name is the pattern; the opened *os.File names the chosen file,
// so messages about its contents do. Open returns an error wrapping
// ErrNoMatch when no file matches and ErrPattern for a bad pattern.
func Input(dir, pattern string) pipeline.Input {
	return pipeline.Input{Name: pattern, Open: func() (io.ReadCloser, error) {
		name, err := newest(dir, pattern)
		if err != nil {
			return nil, err
		}
		return os.Open(filepath.Join(dir, name))
	}}
}

// Check reports whether pattern is one that Input can use: a valid glob
// without a path separator. It is for checking a configuration early.
func Check(pattern string) error {
	if pattern == "" || strings.ContainsAny(pattern, `/`+string(filepath.Separator)) {
		return fmt.Errorf("%w: %q: a file name pattern without a folder is expected", ErrPattern, pattern)
	}
	if _, err := filepath.Match(pattern, ""); err != nil {
		return fmt.Errorf("%w: %q: %w", ErrPattern, pattern, err)
	}
	return nil
}

// candidate is a file that matches the pattern.
type candidate struct {
	name    string
	modTime time.Time
}

// newest returns the name of the file that Input opens.
func newest(dir, pattern string) (string, error) {
	if err := Check(pattern); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var files []candidate
	for _, e := range entries {
		name := e.Name()
		if ignored(name) {
			continue
		}
		if ok, _ := filepath.Match(pattern, name); !ok {
			continue
		}
		// Stat follows a link to the file it names; a file removed since
		// the folder was read is no candidate.
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		files = append(files, candidate{name, fi.ModTime()})
	}
	if len(files) == 0 {
		return "", &noMatchError{dir: dir, pattern: pattern}
	}
	return slices.MaxFunc(files, func(a, b candidate) int {
		if c := a.modTime.Compare(b.modTime); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	}).name, nil
}

// ignored reports whether name is a hidden file or one that an office
// program keeps beside an open document: Excel's owner file "~$name.xlsx",
// LibreOffice's lock file ".~lock.name.xlsx#".
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")
}

// noMatchError is the error of Open when no file matches. Its message is
// German: it reaches the staff who put the files into the folder.
type noMatchError struct{ dir, pattern string }

func (e *noMatchError) Error() string {
	return fmt.Sprintf("keine Datei passt zu „%s“ in %s", e.pattern, e.dir)
}

func (e *noMatchError) Unwrap() []error { return []error{ErrNoMatch, fs.ErrNotExist} }
