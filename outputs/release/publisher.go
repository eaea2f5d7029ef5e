// Package release is the release publisher, the last step of the flow: the
// encoders write the files of a run into a hidden staging folder, and Commit
// adds the manifest and makes the release visible in one atomic step.
//
// The layout under the output folder OUT:
//
//	OUT/releases/<release-id>/  one complete release: the files and manifest.json
//	OUT/current -> releases/<release-id>
//
// current is a relative symlink, so OUT can be moved or served as it is. It is
// replaced by renaming a new link over it, so a reader sees either the old or
// the new release, never half of one, and a crash leaves the old one current.
// Releases are never changed once published; Prune removes old ones, and
// Rollback points current back at an earlier one.
package release

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

// Names in the output folder.
const (
	releasesDir   = "releases"
	currentName   = "current"
	manifestName  = "manifest.json"
	stagingPrefix = ".staging-"
	linkPrefix    = ".current-"
	// scratchName is the folder in the staging folder for the encoders'
	// temporary files (pipeline.ScratchDirer). Commit removes it before the
	// staging folder becomes the release; whatever removes a staging
	// folder, Abort or the cleanup of a crashed run's, removes it too.
	scratchName = ".scratch"
)

// staleAfter is how long a staging folder or temporary link must have been
// left unmodified before New takes it for the leftover of a crashed run.
const staleAfter = time.Hour

var (
	// ErrInvalidID is returned by New for an empty release id, one with
	// characters other than A-Z, a-z, 0-9, '.', '_' and '-', or one starting
	// with '.'.
	ErrInvalidID = errors.New("release: invalid release id")
	// ErrInvalidName is returned by Create for a name that is not a plain,
	// visible file name, or is the name of the manifest.
	ErrInvalidName = errors.New("release: invalid file name")
	// ErrDuplicate is returned by Create for a name created before, and by
	// Commit for a file listed twice in the manifest.
	ErrDuplicate = errors.New("release: file name used twice")
	// ErrNotClosed is returned by Commit when a created file was not closed.
	ErrNotClosed = errors.New("release: file not closed")
	// ErrNotCreated is returned by Commit when the manifest lists a file that
	// was never created.
	ErrNotCreated = errors.New("release: file listed but not created")
	// ErrClosed is returned by Create and Commit after Commit or Abort.
	ErrClosed = errors.New("release: publisher already committed or aborted")
	// ErrNoRelease is returned by Current and Verify when OUT/current does not
	// exist, that is before the first release was published.
	ErrNoRelease = errors.New("release: no current release")
	// ErrCorrupt is returned by Current, ReadManifest and Verify when what is
	// published differs from what the manifest says or has the wrong shape.
	ErrCorrupt = errors.New("release: corrupt publication")
)

// Publisher writes the files of one release into a staging folder and
// publishes them with Commit or removes them with Abort. It implements
// pipeline.Publisher. A Publisher and its files are for one goroutine.
type Publisher struct {
	out     string
	id      string
	staging string
	scratch string // in staging: see scratchName
	files   map[string]*file
	done    bool
	// Set by a successful Commit.
	manifest pipeline.Manifest
}

var _ pipeline.Publisher = (*Publisher)(nil)

// New starts a release named id under the output folder out, creating out
// and out/releases if needed. id becomes the folder name of the release; if
// that is taken, Commit appends -2, -3, and so on.
//
// New also removes the staging folders and temporary links that crashed runs
// left behind, once nothing has modified them for an hour; younger ones may
// belong to a run still writing and stay. That cleanup is best effort: what
// cannot be removed now is tried again by the next run, and being hidden it is
// never taken for a release.
func New(out, id string) (*Publisher, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	releases := filepath.Join(out, releasesDir)
	if err := os.MkdirAll(releases, 0o755); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	now := time.Now()
	if err := removeStale(releases, stagingPrefix, now); err != nil {
		return nil, err
	}
	if err := removeStale(out, linkPrefix, now); err != nil {
		return nil, err
	}
	staging := filepath.Join(releases, stagingPrefix+id+"-"+randomSuffix())
	if err := os.Mkdir(staging, 0o755); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	scratch := filepath.Join(staging, scratchName)
	if err := os.Mkdir(scratch, 0o700); err != nil {
		return nil, errors.Join(fmt.Errorf("release: %w", err), removeIgnoringMissing(staging))
	}
	return &Publisher{out: out, id: id, staging: staging, scratch: scratch, files: map[string]*file{}}, nil
}

// Create creates the file name in the release. The file is written through
// a buffer while its size and SHA-256 are taken; Close flushes it and
// starts its sync to disk, which Commit waits for.
// name must be a plain file name that does not start with '.', is not
// manifest.json and was not created before.
func (p *Publisher) Create(name string) (io.WriteCloser, error) {
	if p.done {
		return nil, ErrClosed
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if _, ok := p.files[name]; ok {
		return nil, fmt.Errorf("%w: %q", ErrDuplicate, name)
	}
	f, err := os.OpenFile(filepath.Join(p.staging, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	w := newFile(name, f)
	w.scratch = p.scratch
	p.files[name] = w
	crashPoint("create:" + name)
	return w, nil
}

// Commit completes m and publishes the release. Every created file must be
// closed. Files listed in m get their size and SHA-256; created files that m
// does not list are added with zero rows; listing a file that was not created
// is an error. Files are sorted by name, and Release is set to the folder
// name of the release. m itself is not changed; the completed manifest is
// returned (and Manifest returns it later).
//
// On error everything written is removed and current stays as it was, with
// one exception: if the switch of current succeeded but the output folder
// could not be synced, the new release stays current and the error says so.
// After Commit, whatever its outcome, Create and Commit return ErrClosed
// and Abort does nothing.
func (p *Publisher) Commit(m pipeline.Manifest) (pipeline.Manifest, error) {
	if p.done {
		return pipeline.Manifest{}, ErrClosed
	}
	p.done = true
	files, err := p.complete(m.Files)
	if err != nil {
		return pipeline.Manifest{}, p.fail(err, p.staging)
	}
	// Every file is closed, so no encoder needs its scratch files any more;
	// they never become part of a release.
	if err := os.RemoveAll(p.scratch); err != nil {
		return pipeline.Manifest{}, p.fail(fmt.Errorf("release: %w", err), p.staging)
	}
	m.Files = files
	if m.Inputs == nil {
		m.Inputs = []pipeline.InputFile{}
	}
	dir, err := p.place(&m)
	if err != nil {
		return pipeline.Manifest{}, p.fail(err, p.staging)
	}
	if err := syncDir(filepath.Join(p.out, releasesDir)); err != nil {
		return pipeline.Manifest{}, p.fail(err, dir)
	}
	crashPoint("releases-sync")
	if err := switchCurrent(p.out, m.Release); err != nil {
		return pipeline.Manifest{}, p.fail(err, dir)
	}
	p.manifest = m
	if err := syncDir(p.out); err != nil {
		return m, fmt.Errorf("release: %s is current but may not survive a crash: %w", m.Release, err)
	}
	crashPoint("out-sync")
	return m, nil
}

// Abort removes the staging folder and everything written to it; the
// current release stays. It may be called more than once, and after Commit
// it does nothing.
func (p *Publisher) Abort() error {
	if p.done {
		return nil
	}
	p.done = true
	return p.discard(p.staging)
}

// ID is the folder name of the release under releases/ once Commit has
// made it current, and "" before.
func (p *Publisher) ID() string { return p.manifest.Release }

// Manifest is the manifest that Commit wrote, with sizes, hashes and the
// release id; the zero Manifest before Commit succeeded.
func (p *Publisher) Manifest() pipeline.Manifest { return p.manifest }

// complete returns a copy of listed with every created file, its size and
// hash, sorted by name.
func (p *Publisher) complete(listed []pipeline.ManifestFile) ([]pipeline.ManifestFile, error) {
	names := slices.Sorted(maps.Keys(p.files))
	for _, name := range names {
		f := p.files[name]
		if !f.closed {
			return nil, fmt.Errorf("%w: %q", ErrNotClosed, name)
		}
		if err := f.wait(); err != nil {
			return nil, err
		}
	}
	files := slices.Clone(listed)
	seen := make(map[string]bool, len(files))
	for i := range files {
		name := files[i].Name
		f, ok := p.files[name]
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrNotCreated, name)
		}
		if seen[name] {
			return nil, fmt.Errorf("%w: %q in the manifest", ErrDuplicate, name)
		}
		seen[name] = true
		files[i].Bytes, files[i].SHA256 = f.size, f.sum()
	}
	for _, name := range names {
		if !seen[name] {
			f := p.files[name]
			files = append(files, pipeline.ManifestFile{Name: name, Bytes: f.size, SHA256: f.sum()})
		}
	}
	slices.SortFunc(files, func(a, b pipeline.ManifestFile) int { return strings.Compare(a.Name, b.Name) })
	if files == nil {
		files = []pipeline.ManifestFile{}
	}
	return files, nil
}

// place writes the manifest into the staging folder and renames the folder
// to the first free release name, which it records in m. It returns the
// release folder.
func (p *Publisher) place(m *pipeline.Manifest) (string, error) {
	releases := filepath.Join(p.out, releasesDir)
	for n := 1; ; n++ {
		id := p.id
		if n > 1 {
			id = fmt.Sprintf("%s-%d", p.id, n)
		}
		dir := filepath.Join(releases, id)
		// Rename would silently replace an empty folder, so look first.
		if _, err := os.Lstat(dir); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("release: %w", err)
		}
		m.Release = id
		if err := writeManifest(p.staging, *m); err != nil {
			return "", err
		}
		err := os.Rename(p.staging, dir)
		if err == nil {
			crashPoint("rename")
			return dir, nil
		}
		// Another run took the name since we looked: try the next one.
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("release: %w", err)
		}
	}
}

// switchCurrent points out/current at the release id by renaming a new
// link over it.
func switchCurrent(out, id string) error {
	tmp := filepath.Join(out, linkPrefix+randomSuffix())
	if err := os.Symlink(filepath.Join(releasesDir, id), tmp); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	crashPoint("link")
	if err := os.Rename(tmp, filepath.Join(out, currentName)); err != nil {
		return errors.Join(fmt.Errorf("release: %w", err), removeIgnoringMissing(tmp))
	}
	crashPoint("switch")
	return nil
}

// fail removes dir, the staging or the unpublished release folder, and
// returns err with any error of the removal.
func (p *Publisher) fail(err error, dir string) error {
	return errors.Join(err, p.discard(dir))
}

// discard closes the files still open and removes dir.
func (p *Publisher) discard(dir string) error {
	for _, f := range p.files {
		f.abandon()
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// writeManifest writes m as manifest.json into dir and syncs the file and
// the folder.
func writeManifest(dir string, m pipeline.Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("release: manifest: %w", err)
	}
	b = append(b, '\n')
	f, err := os.Create(filepath.Join(dir, manifestName))
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	_, err = f.Write(b)
	if err == nil {
		crashPoint("manifest")
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	crashPoint("manifest-sync")
	if err := syncDir(dir); err != nil {
		return err
	}
	crashPoint("staging-sync")
	return nil
}

// syncDir makes the entries of a folder durable: new, renamed and removed
// names.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// removeStale removes the entries of dir whose names start with prefix and
// that nothing has modified for staleAfter. Removal errors are ignored (see
// New); only an unreadable dir is an error.
func removeStale(dir, prefix string, now time.Time) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if t, ok := lastModified(path); ok && now.Sub(t) > staleAfter {
			os.RemoveAll(path)
		}
	}
	return nil
}

// lastModified is the newest modification time of path and, for a folder,
// of the entries in it: a run writing a large file touches only the file.
// ok is false when that cannot be told.
func lastModified(path string) (t time.Time, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil {
		return t, false
	}
	t = fi.ModTime()
	if !fi.IsDir() {
		return t, true
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return t, false
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().After(t) {
			t = info.ModTime()
		}
	}
	return t, true
}

func removeIgnoringMissing(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// randomSuffix keeps the temporary names of concurrent runs apart.
func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b) // never fails; see crypto/rand.Read
	return hex.EncodeToString(b)
}

func checkID(id string) error {
	if id == "" || id[0] == '.' || strings.IndexFunc(id, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_' || r == '-')
	}) >= 0 {
		return fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return nil
}

// checkName accepts plain file names. Hidden names are refused: they would
// not show in listings and a web server may treat them as configuration.
func checkName(name string) error {
	if name == "" || name[0] == '.' || name == manifestName || strings.ContainsAny(name, "/\\\x00") {
		return fmt.Errorf("%w: %q", ErrInvalidName, name)
	}
	return nil
}
