package release

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

// heldSync replaces syncFile for a test: each sync of a file named in held
// waits until release is closed and then returns the file's error from
// fail; other files sync as usual.
func heldSync(t *testing.T, held map[string]bool, fail map[string]error) (release chan struct{}) {
	t.Helper()
	release = make(chan struct{})
	t.Cleanup(func() { syncFile = (*os.File).Sync })
	syncFile = func(f *os.File) error {
		name := filepath.Base(f.Name())
		if held[name] {
			<-release
		}
		if err := fail[name]; err != nil {
			return err
		}
		return f.Sync()
	}
	return release
}

// Close hands the file to the disk and returns; Commit waits for the sync
// before the release is placed.
func TestCloseDoesNotWaitForTheDisk(t *testing.T) {
	release := heldSync(t, map[string]bool{"a.csv": true}, nil)
	out := t.TempDir()
	p, err := New(out, "r1")
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		w, err := p.Create("a.csv")
		if err != nil {
			t.Error(err)
			return
		}
		w.Write([]byte("x\n"))
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	}()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for the sync")
	}
	committed := make(chan error, 1)
	go func() {
		_, err := p.Commit(pipeline.Manifest{})
		committed <- err
	}()
	select {
	case err := <-committed:
		t.Fatalf("Commit = %v before the file was on disk", err)
	case <-time.After(50 * time.Millisecond):
	}
	if _, err := Current(out); !errors.Is(err, ErrNoRelease) {
		t.Fatalf("Current before the sync = %v, want ErrNoRelease", err)
	}
	close(release)
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	assertCurrent(t, out, "r1")
}

// A file that cannot be synced fails the release at Commit, and the
// current release stays.
func TestSyncErrorFailsCommit(t *testing.T) {
	out := t.TempDir()
	publish(t, out, "r1", pipeline.Manifest{}, content{"a.csv", "first\n"})
	heldSync(t, nil, map[string]error{"b.csv": syscall.EIO})
	p, err := New(out, "r2")
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, content{"a.csv", "second\n"}) // Close does not report the sync
	write(t, p, content{"b.csv", "x\n"})
	if _, err := p.Commit(pipeline.Manifest{}); !errors.Is(err, syscall.EIO) {
		t.Fatalf("Commit = %v, want EIO", err)
	}
	assertCurrent(t, out, "r1")
	assertReleases(t, out, "r1")
	if err := Verify(out); err != nil {
		t.Error(err)
	}
}

// Abort waits for the syncs started by Close, so that no goroutine or open
// file outlives the release.
func TestAbortWaitsForSyncs(t *testing.T) {
	release := heldSync(t, map[string]bool{"a.csv": true}, nil)
	out := t.TempDir()
	p, err := New(out, "r1")
	if err != nil {
		t.Fatal(err)
	}
	write(t, p, content{"a.csv", "x\n"})
	aborted := make(chan error, 1)
	go func() { aborted <- p.Abort() }()
	select {
	case err := <-aborted:
		t.Fatalf("Abort = %v before the sync ended", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-aborted; err != nil {
		t.Fatal(err)
	}
	if names := entries(t, filepath.Join(out, releasesDir)); len(names) != 0 {
		t.Errorf("releases/ after Abort: %v", names)
	}
}
