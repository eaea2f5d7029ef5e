package release

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

// day is a manifest time, n days into March 2026.
func day(n int) time.Time { return time.Date(2026, 3, n, 2, 0, 0, 0, time.UTC) }

// release is one release to publish for a test, in the order given.
type release struct {
	id  string
	day int
}

// publishAll publishes the releases in order; the last becomes current.
func publishAll(t *testing.T, out string, rs ...release) {
	t.Helper()
	for _, r := range rs {
		publish(t, out, r.id, pipeline.Manifest{Time: day(r.day)}, content{"a.csv", "code\n" + r.id + "\n"})
	}
}

func ids(infos []Info) []string {
	var s []string
	for _, i := range infos {
		s = append(s, i.ID)
	}
	return s
}

func TestList(t *testing.T) {
	out := t.TempDir()
	publishAll(t, out, release{"r1", 1}, release{"r3", 3}, release{"r2b", 2}, release{"r2a", 2})
	releases := filepath.Join(out, releasesDir)
	for _, dir := range []string{"ohne-manifest", stagingPrefix + "r4-abc"} {
		if err := os.Mkdir(filepath.Join(releases, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(releases, "notiz.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	infos, err := List(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"r3", "r2b", "r2a", "r1", "ohne-manifest"}
	if got := ids(infos); !slices.Equal(got, want) {
		t.Fatalf("List = %q, want %q", got, want)
	}
	for _, info := range infos {
		if info.Current != (info.ID == "r2a") {
			t.Errorf("%s: Current = %v", info.ID, info.Current)
		}
	}
	if got := infos[0]; !got.Time.Equal(day(3)) || got.Files != 1 || got.Bytes != int64(len("code\nr3\n")) || got.Err != nil {
		t.Errorf("r3: %+v", got)
	}
	if got := infos[4]; !errors.Is(got.Err, ErrCorrupt) || !got.Time.IsZero() {
		t.Errorf("folder without manifest: %+v, want Err wrapping ErrCorrupt", got)
	}
}

func TestListNames(t *testing.T) {
	out := t.TempDir()
	publishAll(t, out, release{"r1", 1})
	// A folder copied by hand under another name.
	if err := os.CopyFS(filepath.Join(out, releasesDir, "kopie"), os.DirFS(filepath.Join(out, releasesDir, "r1"))); err != nil {
		t.Fatal(err)
	}
	infos, err := List(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(infos); !slices.Equal(got, []string{"r1", "kopie"}) || !errors.Is(infos[1].Err, ErrCorrupt) || infos[1].Files != 1 {
		t.Errorf("List = %+v, want r1, then kopie with ErrCorrupt", infos)
	}
}

func TestListNothingPublished(t *testing.T) {
	infos, err := List(filepath.Join(t.TempDir(), "out"))
	if infos != nil || err != nil {
		t.Errorf("List = %v, %v, want nothing", infos, err)
	}
}

func TestPrune(t *testing.T) {
	tests := []struct {
		name     string
		releases []release
		rollback string // made current before pruning
		keep     int
		removed  []string
		left     []string
	}{
		{"keeps the newest", []release{{"r1", 1}, {"r2", 2}, {"r3", 3}, {"r4", 4}}, "", 2,
			[]string{"r2", "r1"}, []string{"r3", "r4"}},
		{"by manifest time, not name", []release{{"a", 1}, {"c", 2}, {"b", 3}}, "", 1,
			[]string{"c", "a"}, []string{"b"}},
		{"nothing to remove", []release{{"r1", 1}, {"r2", 2}}, "", 2,
			nil, []string{"r1", "r2"}},
		{"keeps an older current", []release{{"r1", 1}, {"r2", 2}, {"r3", 3}, {"r4", 4}}, "r1", 2,
			[]string{"r2"}, []string{"r1", "r3", "r4"}},
		{"current among the newest", []release{{"r1", 1}, {"r2", 2}, {"r3", 3}}, "r2", 2,
			[]string{"r1"}, []string{"r2", "r3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			publishAll(t, out, tt.releases...)
			if tt.rollback != "" {
				if err := Rollback(out, tt.rollback); err != nil {
					t.Fatal(err)
				}
			}
			cur, _ := Current(out)
			removed, err := Prune(out, tt.keep)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(removed, tt.removed) {
				t.Errorf("removed %q, want %q", removed, tt.removed)
			}
			assertReleases(t, out, tt.left...)
			assertCurrent(t, out, cur)
			if err := Verify(out); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestPruneLeavesBrokenFolders(t *testing.T) {
	out := t.TempDir()
	publishAll(t, out, release{"r1", 1}, release{"r2", 2})
	broken := filepath.Join(out, releasesDir, "handarbeit")
	if err := os.Mkdir(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	removed, err := Prune(out, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(removed, []string{"r1"}) {
		t.Errorf("removed %q", removed)
	}
	assertReleases(t, out, "handarbeit", "r2")
}

func TestPruneRemovesStaleLeftovers(t *testing.T) {
	out := t.TempDir()
	publishAll(t, out, release{"r1", 1})
	releases := filepath.Join(out, releasesDir)
	old, young := filepath.Join(releases, removedPrefix+"r0-aaa"), filepath.Join(releases, removedPrefix+"r0-bbb")
	for _, dir := range []string{old, young} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * staleAfter)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	if _, err := Prune(out, 1); err != nil {
		t.Fatal(err)
	}
	assertReleases(t, out, removedPrefix+"r0-bbb", "r1")
}

func TestPruneRefuses(t *testing.T) {
	t.Run("keep below 1", func(t *testing.T) {
		out := t.TempDir()
		publishAll(t, out, release{"r1", 1}, release{"r2", 2})
		if _, err := Prune(out, 0); !errors.Is(err, ErrKeep) {
			t.Errorf("Prune(0) = %v, want ErrKeep", err)
		}
		assertReleases(t, out, "r1", "r2")
	})
	t.Run("unreadable current", func(t *testing.T) {
		out := t.TempDir()
		publishAll(t, out, release{"r1", 1}, release{"r2", 2})
		link := filepath.Join(out, currentName)
		if err := os.Remove(link); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("anderswo/r1", link); err != nil {
			t.Fatal(err)
		}
		if _, err := Prune(out, 1); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Prune = %v, want ErrCorrupt", err)
		}
		assertReleases(t, out, "r1", "r2")
	})
	t.Run("nothing published", func(t *testing.T) {
		removed, err := Prune(t.TempDir(), 3)
		if removed != nil || err != nil {
			t.Errorf("Prune = %q, %v", removed, err)
		}
	})
}

func TestRollback(t *testing.T) {
	out := t.TempDir()
	publishAll(t, out, release{"r1", 1}, release{"r2", 2})
	if err := Rollback(out, "r1"); err != nil {
		t.Fatal(err)
	}
	assertCurrent(t, out, "r1")
	if err := Verify(out); err != nil {
		t.Error(err)
	}
	b, err := os.ReadFile(filepath.Join(out, currentName, "a.csv"))
	if err != nil || string(b) != "code\nr1\n" {
		t.Errorf("current/a.csv = %q, %v", b, err)
	}
	// Forward again, and to the release that is current: both fine.
	for _, id := range []string{"r2", "r2"} {
		if err := Rollback(out, id); err != nil {
			t.Fatal(err)
		}
		assertCurrent(t, out, id)
	}
	if got := entries(t, out); !slices.Equal(got, []string{currentName, releasesDir}) {
		t.Errorf("out holds %q, want no temporary links", got)
	}
}

func TestRollbackRefuses(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		damage func(t *testing.T, out string)
		want   error
	}{
		{"unknown id", "r9", func(*testing.T, string) {}, ErrUnknownRelease},
		{"invalid id", "../r1", func(*testing.T, string) {}, ErrInvalidID},
		{"hidden folder", stagingPrefix + "r3", func(*testing.T, string) {}, ErrInvalidID},
		{"not a folder", "notiz", func(t *testing.T, out string) {
			if err := os.WriteFile(filepath.Join(out, releasesDir, "notiz"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, ErrUnknownRelease},
		{"changed file", "r1", func(t *testing.T, out string) {
			if err := os.WriteFile(filepath.Join(out, releasesDir, "r1", "a.csv"), []byte("code\nXX\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
		{"missing manifest", "r1", func(t *testing.T, out string) {
			if err := os.Remove(filepath.Join(out, releasesDir, "r1", manifestName)); err != nil {
				t.Fatal(err)
			}
		}, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			publishAll(t, out, release{"r1", 1}, release{"r2", 2})
			tt.damage(t, out)
			if err := Rollback(out, tt.id); !errors.Is(err, tt.want) {
				t.Errorf("Rollback = %v, want %v", err, tt.want)
			}
			assertCurrent(t, out, "r2")
			if got := entries(t, out); !slices.Equal(got, []string{currentName, releasesDir}) {
				t.Errorf("out holds %q", got)
			}
		})
	}
}

func TestCleanupRemovesFreshLeftovers(t *testing.T) {
	out := t.TempDir()
	p, err := New(out, "r1")
	if err != nil {
		t.Fatal(err)
	}
	w, _ := p.Create("a.csv")
	w.Write([]byte("x"))
	w.Close()
	// The process dies here: its staging folder stays, fresh.
	if err := Cleanup(out); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(out, "releases"))
	if len(entries) != 0 {
		t.Fatalf("left: %v", entries)
	}
	if err := Cleanup(t.TempDir()); err != nil {
		t.Fatalf("an empty folder: %v", err)
	}
}
