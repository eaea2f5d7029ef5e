package release

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

// content is one file to publish.
type content struct{ name, text string }

// publish writes files through a new Publisher and commits m.
func publish(t *testing.T, out, id string, m pipeline.Manifest, files ...content) *Publisher {
	t.Helper()
	p, err := New(out, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range files {
		write(t, p, c)
	}
	if _, err := p.Commit(m); err != nil {
		t.Fatal(err)
	}
	return p
}

// write creates and closes one file, writing it in small pieces as encoders do.
func write(t *testing.T, p *Publisher, c content) {
	t.Helper()
	w, err := p.Create(c.name)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.SplitAfter(c.text, "\n") {
		if _, err := io.WriteString(w, line); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func assertCurrent(t *testing.T, out, want string) {
	t.Helper()
	got, err := Current(out)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("current = %q, want %q", got, want)
	}
}

func assertReleases(t *testing.T, out string, want ...string) {
	t.Helper()
	if got := entries(t, filepath.Join(out, releasesDir)); !slices.Equal(got, want) {
		t.Errorf("releases/ holds %q, want %q", got, want)
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestPublish(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	csv := "code,jahr\nBOR,2024\nHAF,2024\n"
	geo := `{"type":"FeatureCollection","features":[]}` + "\n"
	listed := []pipeline.ManifestFile{{Name: "kennzahlen.csv", Rows: 2}}
	m := pipeline.Manifest{
		RunID:  "run-1",
		Time:   time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC),
		Files:  listed,
		Inputs: []pipeline.InputFile{{Role: "kennzahlen", Name: "kennzahlen.xlsx", SHA256: sha("x"), Rows: 2}},
	}
	p := publish(t, out, "2026-03-01", m, content{"kennzahlen.csv", csv}, content{"aktionsraeume.geojson", geo})

	if p.ID() != "2026-03-01" {
		t.Errorf("ID() = %q", p.ID())
	}
	if listed[0].Bytes != 0 || listed[0].SHA256 != "" {
		t.Errorf("Commit changed the caller's files: %+v", listed[0])
	}
	link, err := os.Readlink(filepath.Join(out, currentName))
	if err != nil {
		t.Fatal(err)
	}
	if link != "releases/2026-03-01" {
		t.Errorf("current -> %q, want the relative releases/2026-03-01", link)
	}
	b, err := os.ReadFile(filepath.Join(out, currentName, "kennzahlen.csv"))
	if err != nil || string(b) != csv {
		t.Errorf("current/kennzahlen.csv = %q, %v", b, err)
	}
	assertReleases(t, out, "2026-03-01")
	if got := entries(t, out); !slices.Equal(got, []string{"current", "releases"}) {
		t.Errorf("out holds %q", got)
	}

	got, err := ReadManifest(filepath.Join(out, currentName))
	if err != nil {
		t.Fatal(err)
	}
	want := m
	want.Release = "2026-03-01"
	want.Files = []pipeline.ManifestFile{
		{Name: "aktionsraeume.geojson", Bytes: int64(len(geo)), SHA256: sha(geo), Rows: 0},
		{Name: "kennzahlen.csv", Bytes: int64(len(csv)), SHA256: sha(csv), Rows: 2},
	}
	if got.RunID != want.RunID || got.Release != want.Release || !got.Time.Equal(want.Time) ||
		!slices.Equal(got.Files, want.Files) || !slices.Equal(got.Inputs, want.Inputs) {
		t.Errorf("manifest =\n%+v\nwant\n%+v", got, want)
	}
	if pm := p.Manifest(); !slices.Equal(pm.Files, want.Files) || pm.Release != want.Release {
		t.Errorf("Manifest() = %+v", pm)
	}
	raw, err := os.ReadFile(filepath.Join(out, currentName, manifestName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), "{\n  \"run_id\": \"run-1\",\n") || !strings.HasSuffix(string(raw), "}\n") {
		t.Errorf("manifest.json is not indented with a trailing newline:\n%s", raw)
	}
	if err := Verify(out); err != nil {
		t.Error(err)
	}
	if err := p.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	assertCurrent(t, out, "2026-03-01")
	if _, err := p.Commit(m); !errors.Is(err, ErrClosed) {
		t.Errorf("second Commit: %v, want ErrClosed", err)
	}
}

func TestSecondPublishSwitchesCurrent(t *testing.T) {
	out := t.TempDir()
	publish(t, out, "r1", pipeline.Manifest{}, content{"a.csv", "first\n"})
	publish(t, out, "r2", pipeline.Manifest{}, content{"a.csv", "second\n"})

	assertCurrent(t, out, "r2")
	assertReleases(t, out, "r1", "r2")
	b, err := os.ReadFile(filepath.Join(out, releasesDir, "r1", "a.csv"))
	if err != nil || string(b) != "first\n" {
		t.Errorf("first release: %q, %v", b, err)
	}
	if err := Verify(out); err != nil {
		t.Error(err)
	}
}

func TestAbort(t *testing.T) {
	out := t.TempDir()
	publish(t, out, "r1", pipeline.Manifest{}, content{"a.csv", "first\n"})

	p, err := New(out, "r2")
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, content{"a.csv", "second\n"})
	open, err := p.Create("b.csv") // left open, as by a failing encoder
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(open, "half")
	for i := range 2 {
		if err := p.Abort(); err != nil {
			t.Fatalf("Abort #%d: %v", i+1, err)
		}
	}
	assertCurrent(t, out, "r1")
	assertReleases(t, out, "r1")
	if err := Verify(out); err != nil {
		t.Error(err)
	}
	if _, err := p.Create("c.csv"); !errors.Is(err, ErrClosed) {
		t.Errorf("Create after Abort: %v, want ErrClosed", err)
	}
	if _, err := p.Commit(pipeline.Manifest{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Commit after Abort: %v, want ErrClosed", err)
	}
	if p.ID() != "" {
		t.Errorf("ID() after Abort = %q", p.ID())
	}
}

// TestScratchDir: the files of a release offer a folder for their encoders'
// temporary files, inside the staging folder; what is left in it never
// becomes part of the release, and Abort removes it with the rest.
func TestScratchDir(t *testing.T) {
	out := t.TempDir()
	for _, commit := range []bool{true, false} {
		p, err := New(out, "r")
		if err != nil {
			t.Fatal(err)
		}
		w, err := p.Create("a.gpkg")
		if err != nil {
			t.Fatal(err)
		}
		dir := pipeline.ScratchDir(w)
		if dir == "" || filepath.Dir(dir) != p.staging {
			t.Fatalf("ScratchDir = %q, want a folder in the staging folder %s", dir, p.staging)
		}
		// An encoder that did not remove its scratch file.
		if err := os.WriteFile(filepath.Join(dir, "aktionsplan-1.gpkg"), []byte("scratch"), 0o600); err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, "gpkg")
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if commit {
			if _, err := p.Commit(pipeline.Manifest{}); err != nil {
				t.Fatal(err)
			}
			if got := entries(t, filepath.Join(out, currentName)); !slices.Equal(got, []string{"a.gpkg", manifestName}) {
				t.Errorf("the release holds %q", got)
			}
			if err := Verify(out); err != nil {
				t.Error(err)
			}
		} else if err := p.Abort(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("commit %v: the scratch folder is still there (%v)", commit, err)
		}
	}
	assertReleases(t, out, "r")
}

func TestIDCollision(t *testing.T) {
	out := t.TempDir()
	// An empty folder would be replaced by a plain rename: it must count as taken.
	if err := os.MkdirAll(filepath.Join(out, releasesDir, "r-2"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"r", "r-3", "r-4"} {
		p := publish(t, out, "r", pipeline.Manifest{}, content{"a.csv", want})
		if p.ID() != want {
			t.Errorf("ID() = %q, want %q", p.ID(), want)
		}
		assertCurrent(t, out, want)
		if err := Verify(out); err != nil {
			t.Error(err)
		}
		m, err := ReadManifest(filepath.Join(out, releasesDir, want))
		if err != nil {
			t.Fatal(err)
		}
		if m.Release != want {
			t.Errorf("manifest names release %q, want %q", m.Release, want)
		}
	}
	assertReleases(t, out, "r", "r-2", "r-3", "r-4")
}

func TestNewRejectsID(t *testing.T) {
	for _, tc := range []struct {
		name, id string
	}{
		{"empty", ""},
		{"hidden", ".r1"},
		{"dot dot", ".."},
		{"separator", "a/b"},
		{"space", "a b"},
		{"umlaut", "hörde"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			if _, err := New(out, tc.id); !errors.Is(err, ErrInvalidID) {
				t.Errorf("New(%q) = %v, want ErrInvalidID", tc.id, err)
			}
			if got := entries(t, out); len(got) != 0 {
				t.Errorf("New created %q", got)
			}
		})
	}
	if _, err := New(t.TempDir(), "2026-03-01T02.00_run-7"); err != nil {
		t.Errorf("valid id: %v", err)
	}
}

func TestCreateRejectsName(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       error
	}{
		{"parent", "../x", ErrInvalidName},
		{"separator", "a/b", ErrInvalidName},
		{"backslash", `a\b`, ErrInvalidName},
		{"empty", "", ErrInvalidName},
		{"dot", ".", ErrInvalidName},
		{"dot dot", "..", ErrInvalidName},
		{"hidden", ".htaccess", ErrInvalidName},
		{"manifest", "manifest.json", ErrInvalidName},
		{"duplicate", "a.csv", ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			p, err := New(out, "r")
			if err != nil {
				t.Fatal(err)
			}
			defer p.Abort()
			write(t, p, content{"a.csv", "x"})
			if _, err := p.Create(tc.file); !errors.Is(err, tc.want) {
				t.Errorf("Create(%q) = %v, want %v", tc.file, err, tc.want)
			}
			if got := entries(t, p.staging); !slices.Equal(got, []string{scratchName, "a.csv"}) {
				t.Errorf("staging holds %q", got)
			}
		})
	}
}

func TestCommitErrorKeepsCurrent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, p *Publisher) pipeline.Manifest
		want  error
	}{
		{"unclosed file", func(t *testing.T, p *Publisher) pipeline.Manifest {
			write(t, p, content{"a.csv", "x"})
			if _, err := p.Create("b.csv"); err != nil {
				t.Fatal(err)
			}
			return pipeline.Manifest{}
		}, ErrNotClosed},
		{"listed, not created", func(t *testing.T, p *Publisher) pipeline.Manifest {
			write(t, p, content{"a.csv", "x"})
			return pipeline.Manifest{Files: []pipeline.ManifestFile{{Name: "a.csv"}, {Name: "b.csv", Rows: 3}}}
		}, ErrNotCreated},
		{"listed twice", func(t *testing.T, p *Publisher) pipeline.Manifest {
			write(t, p, content{"a.csv", "x"})
			return pipeline.Manifest{Files: []pipeline.ManifestFile{{Name: "a.csv"}, {Name: "a.csv"}}}
		}, ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			publish(t, out, "r1", pipeline.Manifest{}, content{"a.csv", "first\n"})
			p, err := New(out, "r2")
			if err != nil {
				t.Fatal(err)
			}
			m := tc.setup(t, p)
			if _, err := p.Commit(m); !errors.Is(err, tc.want) {
				t.Fatalf("Commit = %v, want %v", err, tc.want)
			}
			assertCurrent(t, out, "r1")
			assertReleases(t, out, "r1")
			if err := Verify(out); err != nil {
				t.Error(err)
			}
			if err := p.Abort(); err != nil {
				t.Errorf("Abort after failed Commit: %v", err)
			}
			if p.ID() != "" {
				t.Errorf("ID() after failed Commit = %q", p.ID())
			}
		})
	}
}

func TestFileAfterClose(t *testing.T) {
	p, err := New(t.TempDir(), "r")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	w, err := p.Create("a.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("x")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Write after Close = %v, want fs.ErrClosed", err)
	}
	if err := w.Close(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Close = %v, want fs.ErrClosed", err)
	}
}

func TestNewRemovesStaleLeftovers(t *testing.T) {
	out := t.TempDir()
	releases := filepath.Join(out, releasesDir)
	old := time.Now().Add(-2 * staleAfter)
	mkdir := func(name string, age time.Time) {
		dir := filepath.Join(releases, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "a.csv")
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{file, dir} {
			if err := os.Chtimes(p, age, age); err != nil {
				t.Fatal(err)
			}
		}
	}
	mkdir(".staging-crashed-1", old)
	mkdir(".staging-running-2", time.Now())
	mkdir("old-release", old) // releases are never touched
	// A staging folder whose own time is old but whose file is still being written.
	mkdir(".staging-writing-3", old)
	if err := os.Chtimes(filepath.Join(releases, ".staging-writing-3", "a.csv"), time.Now(), time.Now()); err != nil {
		t.Fatal(err)
	}
	p, err := New(out, "r")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	got := entries(t, releases)
	want := []string{".staging-running-2", ".staging-writing-3", filepath.Base(p.staging), "old-release"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("releases/ holds %q, want %q", got, want)
	}
}

// A symlink's own time cannot be set without following it, so the clock moves
// instead.
func TestRemoveStaleLinks(t *testing.T) {
	out := t.TempDir()
	link := filepath.Join(out, linkPrefix+"crashed")
	if err := os.Symlink("releases/r1", link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		kept bool
	}{
		{"fresh", time.Now(), true},
		{"stale", time.Now().Add(2 * staleAfter), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := removeStale(out, linkPrefix, tc.now); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Lstat(link); (err == nil) != tc.kept {
				t.Errorf("link kept = %v, want %v", err == nil, tc.kept)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	const csv = "code,jahr\nBOR,2024\n"
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   error
	}{
		{"intact", func(t *testing.T, dir string) {}, nil},
		{"changed byte", func(t *testing.T, dir string) {
			b := []byte(csv)
			b[len(b)-2] = '5'
			if err := os.WriteFile(filepath.Join(dir, "a.csv"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
		{"truncated", func(t *testing.T, dir string) {
			if err := os.Truncate(filepath.Join(dir, "a.csv"), 3); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
		{"file missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "a.csv")); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
		{"manifest missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, manifestName)); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
		{"manifest broken", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, manifestName), []byte("{"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
		{"release missing", func(t *testing.T, dir string) {
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			publish(t, out, "r1", pipeline.Manifest{}, content{"a.csv", csv}, content{"b.csv", "x\n"})
			tc.damage(t, filepath.Join(out, releasesDir, "r1"))
			err := Verify(out)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Errorf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestNothingPublished(t *testing.T) {
	out := t.TempDir()
	if _, err := Current(out); !errors.Is(err, ErrNoRelease) {
		t.Errorf("Current = %v, want ErrNoRelease", err)
	}
	if err := Verify(out); !errors.Is(err, ErrNoRelease) {
		t.Errorf("Verify = %v, want ErrNoRelease", err)
	}
	if err := os.Symlink("/etc", filepath.Join(out, currentName)); err != nil {
		t.Fatal(err)
	}
	if _, err := Current(out); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Current with a foreign link = %v, want ErrCorrupt", err)
	}
}

// When current cannot be replaced, the release that was already moved into
// place is removed again, and so is the temporary link.
func TestCommitSwitchFails(t *testing.T) {
	out := t.TempDir()
	blocker := filepath.Join(out, currentName, "keep")
	if err := os.MkdirAll(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := New(out, "r1")
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, content{"a.csv", "x"})
	if _, err := p.Commit(pipeline.Manifest{}); err == nil {
		t.Fatal("Commit over a current folder succeeded")
	}
	assertReleases(t, out)
	if got := entries(t, out); !slices.Equal(got, []string{currentName, releasesDir}) {
		t.Errorf("out holds %q", got)
	}
	if _, err := os.Stat(blocker); err != nil {
		t.Errorf("current was touched: %v", err)
	}
	if p.ID() != "" {
		t.Errorf("ID() after failed Commit = %q", p.ID())
	}
}
