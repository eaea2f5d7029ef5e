package release

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

	"aktionsplan/pipeline"
)

// Current returns the id of the release that out/current points at. It
// returns ErrNoRelease when there is no current link, and ErrCorrupt when the
// link does not point at a folder under releases/. It does not look into
// the release; Verify does.
func Current(out string) (string, error) {
	link := filepath.Join(out, currentName)
	target, err := os.Readlink(link)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s", ErrNoRelease, link)
	}
	if err != nil {
		return "", fmt.Errorf("release: %w", err)
	}
	dir, id := filepath.Split(target)
	if dir != releasesDir+string(filepath.Separator) || checkID(id) != nil {
		return "", fmt.Errorf("%w: %s points at %q, not at a release", ErrCorrupt, link, target)
	}
	return id, nil
}

// ReadManifest reads manifest.json of the release folder dir. A manifest
// that is not valid JSON is ErrCorrupt.
func ReadManifest(dir string) (pipeline.Manifest, error) {
	var m pipeline.Manifest
	path := filepath.Join(dir, manifestName)
	b, err := os.ReadFile(path)
	if err != nil {
		return m, fmt.Errorf("release: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%w: %s: %w", ErrCorrupt, path, err)
	}
	return m, nil
}

// Verify checks that out/current points at a release whose manifest names
// it and whose every listed file exists with the listed size and SHA-256. It
// returns ErrNoRelease when nothing is published, and an error wrapping
// ErrCorrupt for each difference found.
func Verify(out string) error {
	id, err := Current(out)
	if err != nil {
		return err
	}
	return verifyRelease(out, id)
}

// verifyRelease checks the release id under out against its manifest, as
// Verify does for the current one.
func verifyRelease(out, id string) error {
	dir := filepath.Join(out, releasesDir, id)
	m, err := ReadManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if err != nil {
		return err
	}
	var errs []error
	if m.Release != id {
		errs = append(errs, fmt.Errorf("%w: %s names release %q", ErrCorrupt, filepath.Join(dir, manifestName), m.Release))
	}
	for _, f := range m.Files {
		errs = append(errs, verifyFile(dir, f))
	}
	return errors.Join(errs...)
}

// verifyFile checks the size and hash of one file of the release in dir.
func verifyFile(dir string, want pipeline.ManifestFile) error {
	if err := checkName(want.Name); err != nil {
		return fmt.Errorf("%w: manifest in %s: %w", ErrCorrupt, dir, err)
	}
	path := filepath.Join(dir, want.Name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != want.Bytes || sum != want.SHA256 {
		return fmt.Errorf("%w: %s has %d bytes with SHA-256 %s, manifest says %d bytes with %s",
			ErrCorrupt, path, n, sum, want.Bytes, want.SHA256)
	}
	return nil
}
