package release

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// removedPrefix marks a release folder that Prune took out of releases/ and
// is removing; a crash leaves it hidden, and the next Prune removes it.
const removedPrefix = ".removed-"

var (
	// ErrUnknownRelease is returned by Rollback for an id that names no
	// release folder.
	ErrUnknownRelease = errors.New("release: no such release")
	// ErrKeep is returned by Prune for keep < 1.
	ErrKeep = errors.New("release: keep must be at least 1")
)

// Info describes one release folder under out/releases.
type Info struct {
	// ID is the folder name of the release.
	ID string
	// Time is the time of the run that made the release, from its manifest.
	Time time.Time
	// Files and Bytes count the published files, the manifest not included.
	Files int
	Bytes int64
	// Current is true for the release that out/current points at.
	Current bool
	// Err is set, wrapping ErrCorrupt, for a folder whose manifest is
	// missing, unreadable or names another release; then Time, Files and
	// Bytes are what could be read, often nothing. Publishing never leaves
	// such a folder behind: someone changed it by hand, so Prune leaves it
	// alone and Rollback refuses it.
	Err error
}

// List returns the releases under out, newest first by the time in their
// manifests, then by id; folders with Err set come last. It returns no
// releases and no error before the first release. When out/current cannot
// be read, no release is marked current; Current and Verify tell why.
// Hidden folders, such as those of a publication under way, are no releases.
func List(out string) ([]Info, error) {
	cur, _ := Current(out)
	entries, err := os.ReadDir(filepath.Join(out, releasesDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	var infos []Info
	for _, e := range entries {
		if !e.IsDir() || checkID(e.Name()) != nil {
			continue
		}
		info := describe(out, e.Name())
		info.Current = info.ID == cur
		infos = append(infos, info)
	}
	slices.SortFunc(infos, func(a, b Info) int {
		if (a.Err == nil) != (b.Err == nil) {
			if a.Err == nil {
				return -1
			}
			return 1
		}
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return infos, nil
}

// describe reads the manifest of the release id.
func describe(out, id string) Info {
	info := Info{ID: id}
	dir := filepath.Join(out, releasesDir, id)
	m, err := ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		err = fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if err != nil {
		info.Err = err
		return info
	}
	info.Time, info.Files = m.Time, len(m.Files)
	for _, f := range m.Files {
		info.Bytes += f.Bytes
	}
	if m.Release != id {
		info.Err = fmt.Errorf("%w: %s names release %q", ErrCorrupt, filepath.Join(dir, manifestName), m.Release)
	}
	return info
}

// Prune removes old releases: it keeps the newest keep releases, in the
// order of List, and the current one, wherever it stands; folders with a
// broken manifest (see Info.Err) are neither counted nor removed. It returns
// the ids removed, newest first.
//
// Each release leaves releases/ in one rename, so that a reader sees it
// whole or not at all, before its files are removed. Prune refuses to remove
// anything when out/current exists but cannot be read. It must not run at
// the same time as Rollback: the release being rolled back to could go.
func Prune(out string, keep int) ([]string, error) {
	if keep < 1 {
		return nil, fmt.Errorf("%w: %d", ErrKeep, keep)
	}
	cur, err := Current(out)
	if err != nil && !errors.Is(err, ErrNoRelease) {
		return nil, err
	}
	infos, err := List(out)
	if err != nil {
		return nil, err
	}
	releases := filepath.Join(out, releasesDir)
	removeStale(releases, removedPrefix, time.Now())
	var (
		removed, trash []string
		errs           []error
	)
	n := 0
	for _, info := range infos {
		if info.Err != nil {
			continue
		}
		if n++; n <= keep || info.ID == cur {
			continue
		}
		tmp := filepath.Join(releases, removedPrefix+info.ID+"-"+randomSuffix())
		if err := os.Rename(filepath.Join(releases, info.ID), tmp); err != nil {
			errs = append(errs, fmt.Errorf("release: %w", err))
			continue
		}
		removed, trash = append(removed, info.ID), append(trash, tmp)
		crashPoint("prune")
	}
	if len(trash) > 0 {
		errs = append(errs, syncDir(releases))
	}
	for _, tmp := range trash {
		if err := os.RemoveAll(tmp); err != nil {
			errs = append(errs, fmt.Errorf("release: %w", err))
		}
	}
	return removed, errors.Join(errs...)
}

// Rollback makes the release id current again, for instance an earlier one
// after a bad publication. The release must exist and its files must match
// its manifest, as Verify checks; otherwise Rollback returns an error
// wrapping ErrUnknownRelease or ErrCorrupt and current stays as it was. An
// id that no release could have is ErrInvalidID. current switches in one
// atomic step, as when publishing.
func Rollback(out, id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	fi, err := os.Lstat(filepath.Join(out, releasesDir, id))
	if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() {
		return fmt.Errorf("%w: %q in %s", ErrUnknownRelease, id, filepath.Join(out, releasesDir))
	}
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if err := verifyRelease(out, id); err != nil {
		return fmt.Errorf("release: %s not made current: %w", id, err)
	}
	if err := switchCurrent(out, id); err != nil {
		return err
	}
	if err := syncDir(out); err != nil {
		return fmt.Errorf("release: %s is current but may not survive a crash: %w", id, err)
	}
	return nil
}

// Cleanup removes every leftover of an abandoned run under out, whatever
// its age: staging folders, temporary links and releases half removed by
// Prune. Only a process that knows no other run is writing may call it,
// such as the daemon on start; New removes only leftovers older than an hour.
func Cleanup(out string) error {
	never := time.Now().Add(100 * 365 * 24 * time.Hour)
	releases := filepath.Join(out, releasesDir)
	for _, c := range []struct{ dir, prefix string }{
		{releases, stagingPrefix}, {releases, removedPrefix}, {out, linkPrefix},
	} {
		if err := removeStale(c.dir, c.prefix, never); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
