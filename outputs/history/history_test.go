package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)

// published is a run with every field set.
func published(id string, start time.Time) pipeline.RunRecord {
	return pipeline.RunRecord{
		ID: id, Trigger: pipeline.TriggerSchedule, Status: pipeline.StatusPublished,
		Start: start, End: start.Add(1500 * time.Millisecond),
		Inputs: []pipeline.InputFile{
			{Role: "register", Name: "aktionsraeume.csv", SHA256: strings.Repeat("ab", 32), Rows: 12},
			{Role: "fund-usage", Name: "mittel 2025.xlsx", SHA256: strings.Repeat("0f", 32), Rows: 340},
		},
		Release:    "20250314T092653Z",
		Rows:       map[string]int{"aktionsraeume.geojson": 12, "mittel.csv": 340, "übersicht.xlsx": 0},
		Errors:     0,
		Warnings:   3,
		ReportPath: "reports/" + id + ".txt",
		Message:    "",
	}
}

func run(id, status string, start time.Time) pipeline.RunRecord {
	return pipeline.RunRecord{ID: id, Trigger: pipeline.TriggerCLI, Status: status, Start: start}
}

func newDB(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.sqlite")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func save(t testing.TB, db *DB, runs ...pipeline.RunRecord) {
	t.Helper()
	for _, r := range runs {
		if err := db.Save(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

// utc is r as the history returns it.
func utc(r pipeline.RunRecord) pipeline.RunRecord {
	r.Start = r.Start.UTC()
	if !r.End.IsZero() {
		r.End = r.End.UTC()
	}
	return r
}

func ids(runs []pipeline.RunRecord) []string {
	var s []string
	for _, r := range runs {
		s = append(s, r.ID)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		run  pipeline.RunRecord
	}{
		{"every field", published("full", t0)},
		{"running, no end", run("running", pipeline.StatusRunning, t0)},
		{"failed with message", pipeline.RunRecord{ID: "failed", Trigger: pipeline.TriggerManual,
			Status: pipeline.StatusFailed, Start: t0, End: t0.Add(time.Second), Errors: 0,
			Message: "Quelle nicht erreichbar: https://example.org/a.csv?x=1"}},
		{"invalid with errors", pipeline.RunRecord{ID: "invalid", Trigger: pipeline.TriggerSchedule,
			Status: pipeline.StatusInvalid, Start: t0, End: t0.Add(time.Minute), Errors: 17, Warnings: 2,
			Inputs: []pipeline.InputFile{}, Rows: map[string]int{}}},
		{"start in another zone", published("zone", t0.In(berlin))},
		{"whole second", published("whole", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))},
		{"zero start", pipeline.RunRecord{ID: "zero"}},
		{"odd id", published(`run "7"; DROP TABLE runs; --`, t0)},
	}
	db, _ := newDB(t)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			save(t, db, tt.run)
			got, err := db.Get(ctx, tt.run.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := utc(tt.run); !reflect.DeepEqual(got, want) {
				t.Errorf("Get:\n got %+v\nwant %+v", got, want)
			}
			if !got.Start.Equal(tt.run.Start) || !got.End.Equal(tt.run.End) {
				t.Errorf("times: got %v–%v, want %v–%v", got.Start, got.End, tt.run.Start, tt.run.End)
			}
		})
	}
	all, err := db.List(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(tests) {
		t.Errorf("List: %d runs, want %d", len(all), len(tests))
	}
}

func TestSaveUpserts(t *testing.T) {
	db, _ := newDB(t)
	ctx := context.Background()
	start := published("r1", t0)
	start.Status, start.End, start.Release, start.Rows, start.Warnings = pipeline.StatusRunning, time.Time{}, "", nil, 0
	save(t, db, start, run("r0", pipeline.StatusPublished, t0.Add(-time.Hour)))
	if got, _ := db.Get(ctx, "r1"); got.Status != pipeline.StatusRunning || !got.End.IsZero() {
		t.Fatalf("after start: %+v", got)
	}
	end := published("r1", t0)
	save(t, db, end)
	got, err := db.Get(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, utc(end)) {
		t.Errorf("after end:\n got %+v\nwant %+v", got, utc(end))
	}
	// Replacing clears fields the end no longer has.
	cleared := run("r1", pipeline.StatusFailed, t0)
	save(t, db, cleared)
	if got, _ := db.Get(ctx, "r1"); !reflect.DeepEqual(got, utc(cleared)) {
		t.Errorf("after replace:\n got %+v\nwant %+v", got, utc(cleared))
	}
	all, _ := db.List(ctx, 0)
	if want := []string{"r1", "r0"}; !reflect.DeepEqual(ids(all), want) {
		t.Errorf("List = %v, want %v", ids(all), want)
	}
}

func TestList(t *testing.T) {
	plus2 := time.FixedZone("", 2*3600)
	runs := []pipeline.RunRecord{
		run("a", pipeline.StatusPublished, t0),
		run("b", pipeline.StatusFailed, t0.Add(time.Nanosecond)),
		// Whole and fractional seconds: text order must be time order.
		run("c", pipeline.StatusUnchanged, time.Date(2025, 3, 14, 9, 26, 54, 0, time.UTC)),
		run("d", pipeline.StatusInvalid, time.Date(2025, 3, 14, 9, 26, 54, 500000000, time.UTC)),
		run("e", pipeline.StatusInvalid, time.Date(2025, 3, 14, 9, 26, 54, 120000000, time.UTC)),
		// 11:00 at +02:00 is 09:00 UTC: the oldest, though its clock reads latest.
		run("f", pipeline.StatusPublished, time.Date(2025, 3, 14, 11, 0, 0, 0, plus2)),
		// Same instant as d: by id, newest first means "d2" before "d".
		run("d2", pipeline.StatusSkipped, time.Date(2025, 3, 14, 9, 26, 54, 500000000, time.UTC)),
		run("g", pipeline.StatusRunning, t0.AddDate(0, 0, 1)),
	}
	db, _ := newDB(t)
	// Saved in a shuffled order, so that insertion order cannot pass the test.
	for _, i := range rand.Perm(len(runs)) {
		save(t, db, runs[i])
	}
	all := []string{"g", "d2", "d", "e", "c", "b", "a", "f"}
	tests := []struct {
		name  string
		limit int
		want  []string
	}{
		{"all", 0, all},
		{"negative is all", -1, all},
		{"limit", 3, all[:3]},
		{"one", 1, all[:1]},
		{"more than there are", 100, all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.List(context.Background(), tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ids(got), tt.want) {
				t.Errorf("List(%d) = %v, want %v", tt.limit, ids(got), tt.want)
			}
		})
	}
}

func TestListEmpty(t *testing.T) {
	db, _ := newDB(t)
	got, err := db.List(context.Background(), 0)
	if err != nil || len(got) != 0 {
		t.Errorf("List = %v, %v; want none", got, err)
	}
}

func TestLastWith(t *testing.T) {
	db, _ := newDB(t)
	save(t, db,
		published("p1", t0),
		published("p2", t0.Add(time.Hour)),
		run("u1", pipeline.StatusUnchanged, t0.Add(2*time.Hour)),
		run("f1", pipeline.StatusFailed, t0.Add(3*time.Hour)),
		run("r1", pipeline.StatusRollback, t0.Add(30*time.Minute)),
	)
	tests := []struct {
		name     string
		statuses []string
		want     string // "" for none
	}{
		{"published", []string{pipeline.StatusPublished}, "p2"},
		{"published or rollback", []string{pipeline.StatusRollback, pipeline.StatusPublished}, "p2"},
		{"rollback", []string{pipeline.StatusRollback}, "r1"},
		{"any of three", []string{pipeline.StatusPublished, pipeline.StatusUnchanged, pipeline.StatusFailed}, "f1"},
		{"none with status", []string{pipeline.StatusSkipped}, ""},
		{"no statuses", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := db.LastWith(context.Background(), tt.statuses...)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (tt.want != "") || got.ID != tt.want {
				t.Errorf("LastWith(%v) = %q, %v; want %q", tt.statuses, got.ID, ok, tt.want)
			}
		})
	}
	got, _, _ := db.LastWith(context.Background(), pipeline.StatusPublished)
	if !reflect.DeepEqual(got, utc(published("p2", t0.Add(time.Hour)))) {
		t.Errorf("LastWith returned an incomplete run: %+v", got)
	}
}

func TestGetUnknown(t *testing.T) {
	db, _ := newDB(t)
	save(t, db, published("known", t0))
	_, err := db.Get(context.Background(), "unknown")
	if !errors.Is(err, pipeline.ErrNoRun) {
		t.Fatalf("Get(unknown) = %v, want ErrNoRun", err)
	}
	if !strings.Contains(err.Error(), `"unknown"`) {
		t.Errorf("error does not name the run: %v", err)
	}
}

func TestSaveWithoutID(t *testing.T) {
	db, _ := newDB(t)
	if err := db.Save(context.Background(), run("", pipeline.StatusRunning, t0)); err == nil {
		t.Error("Save without id: no error")
	}
}

func TestReopen(t *testing.T) {
	db, path := newDB(t)
	ctx := context.Background()
	want := []pipeline.RunRecord{published("later", t0.Add(time.Hour)), published("first", t0)}
	save(t, db, want[1], want[0])
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the second time through an up-to-date schema
		db, err := Open(path)
		if err != nil {
			t.Fatalf("reopen %d: %v", i, err)
		}
		got, err := db.List(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after reopen %d:\n got %+v\nwant %+v", i, got, want)
		}
		var mode string
		var version int
		db.sql.QueryRow("PRAGMA journal_mode").Scan(&mode)
		db.sql.QueryRow("PRAGMA user_version").Scan(&version)
		if mode != "wal" || version != 1 {
			t.Errorf("journal_mode %q, user_version %d; want wal, 1", mode, version)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenPathWithURISyntax(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c %41", "history.sqlite")
	if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at its path: %v", err)
	}
}

func TestOpenMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "history.sqlite")
	_, err := Open(path)
	if err == nil || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrLocked) {
		t.Fatalf("Open in a missing folder = %v, want a plain error", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error does not name the file: %v", err)
	}
}

// historyFile writes a history with a few runs and returns its path.
func historyFile(t *testing.T) string {
	t.Helper()
	db, path := newDB(t)
	for i := range 200 { // several pages
		save(t, db, published(fmt.Sprintf("run-%03d", i), t0.Add(time.Duration(i)*time.Minute)))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCorrupt(t *testing.T) {
	tests := []struct {
		name string
		// damage writes or changes the file at path.
		damage func(t *testing.T, path string)
		// want is the error of Open, or when nil that of List.
		open, list error
	}{
		{"random bytes", func(t *testing.T, path string) {
			b := make([]byte, 8192)
			for i := range b {
				b[i] = byte(rand.IntN(256))
			}
			writeFile(t, path, b)
		}, ErrCorrupt, nil},
		{"text file", func(t *testing.T, path string) {
			writeFile(t, path, []byte("id,status\nr1,published\n"))
		}, ErrCorrupt, nil},
		{"damaged pages", func(t *testing.T, path string) {
			b := readFile(t, historyFile(t))
			for i := 4096; i < len(b); i += 7 {
				b[i] ^= 0x5a
			}
			writeFile(t, path, b)
		}, ErrCorrupt, nil},
		{"truncated", func(t *testing.T, path string) {
			b := readFile(t, historyFile(t))
			writeFile(t, path, b[:len(b)/2])
		}, ErrCorrupt, nil},
		{"newer schema", func(t *testing.T, path string) {
			exec(t, path, "PRAGMA user_version = 2")
		}, ErrVersion, nil},
		{"undecodable run", func(t *testing.T, path string) {
			db, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			save(t, db, published("r1", t0))
			db.Close()
			exec(t, path, "UPDATE runs SET inputs = '{not json'")
		}, nil, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.sqlite")
			tt.damage(t, path)
			before := readFile(t, path)
			start := time.Now()
			db, err := Open(path)
			if took := time.Since(start); took > time.Second {
				t.Errorf("Open took %v", took)
			}
			if tt.open != nil {
				if !errors.Is(err, tt.open) {
					t.Fatalf("Open = %v, want %v", err, tt.open)
				}
				t.Log(err)
				if !strings.Contains(err.Error(), path) {
					t.Errorf("error does not name the file: %v", err)
				}
				if tt.open == ErrCorrupt && !strings.HasSuffix(err.Error(), "; move it away to start a new history") {
					t.Errorf("error does not say what to do: %v", err)
				}
				if after := readFile(t, path); string(after) != string(before) {
					t.Error("Open changed the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.List(context.Background(), 0); !errors.Is(err, tt.list) {
				t.Errorf("List = %v, want %v", err, tt.list)
			}
			if _, err := db.Get(context.Background(), "r1"); !errors.Is(err, tt.list) {
				t.Errorf("Get = %v, want %v", err, tt.list)
			}
		})
	}
}

// lock holds the write lock of the database at path from another connection
// until the test ends, as another process would. Unless the file is in WAL
// mode already, the other connection keeps the journal mode it finds, or
// switches to WAL with wal.
func lock(t *testing.T, path string, wal bool) {
	t.Helper()
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if wal {
		if _, err := conn.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
		other.Close()
	})
}

func TestLocked(t *testing.T) {
	const busy = 200 * time.Millisecond
	tests := []struct {
		name string
		// new: the file does not exist when it is locked; wal: by a
		// connection in WAL mode.
		new, wal bool
		// call is what must fail with ErrLocked, after the busy timeout.
		call func(db *DB) error
	}{
		{"save", false, true, func(db *DB) error { return db.Save(context.Background(), published("r2", t0)) }},
		{"abandon", false, true, func(db *DB) error { _, err := db.Abandon(context.Background()); return err }},
		{"open to migrate", true, true, nil},
		// Switching to WAL cannot wait for a writer in the old journal mode:
		// SQLite reports a deadlock at once.
		{"open to switch to WAL", true, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.sqlite")
			var db *DB
			if !tt.new {
				var err error
				if db, err = open(path, busy); err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				save(t, db, run("r1", pipeline.StatusRunning, t0))
			}
			lock(t, path, tt.wal)
			start := time.Now()
			var err error
			if tt.new {
				db, err = open(path, busy)
			} else {
				err = tt.call(db)
			}
			took := time.Since(start)
			if !errors.Is(err, ErrLocked) {
				t.Fatalf("err = %v, want ErrLocked", err)
			}
			t.Log(err)
			if took > busy+2*time.Second || tt.wal && took < busy {
				t.Errorf("gave up after %v, want the busy timeout %v", took, busy)
			}
			if tt.new {
				return
			}
			// Readers are not blocked by a writer, in this process or another.
			if got, err := db.List(context.Background(), 0); err != nil || len(got) != 1 {
				t.Errorf("List while locked = %v, %v", ids(got), err)
			}
			reader, err := open(path, busy)
			if err != nil {
				t.Fatalf("Open of an up-to-date history while locked: %v", err)
			}
			reader.Close()
		})
	}
}

func TestLockReleased(t *testing.T) {
	db, path := newDB(t)
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(100*time.Millisecond, func() { conn.ExecContext(ctx, "COMMIT") })
	// A short lock is waited out, not reported.
	if err := db.Save(ctx, published("r1", t0)); err != nil {
		t.Fatalf("Save after a short lock: %v", err)
	}
}

func TestAbandon(t *testing.T) {
	db, _ := newDB(t)
	ctx := context.Background()
	earlier := published("p1", t0)
	save(t, db,
		earlier,
		run("r1", pipeline.StatusRunning, t0.Add(time.Hour)),
		run("r2", pipeline.StatusRunning, t0.Add(2*time.Hour)),
		run("s1", pipeline.StatusSkipped, t0.Add(2*time.Hour)),
	)
	n, err := db.Abandon(ctx)
	if err != nil || n != 2 {
		t.Fatalf("Abandon = %d, %v; want 2", n, err)
	}
	tests := []struct {
		id, status, message string
	}{
		{"r1", pipeline.StatusFailed, "abgebrochen (Prozess beendet)"},
		{"r2", pipeline.StatusFailed, "abgebrochen (Prozess beendet)"},
		{"s1", pipeline.StatusSkipped, ""},
		{"p1", pipeline.StatusPublished, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := db.Get(ctx, tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tt.status || got.Message != tt.message {
				t.Errorf("%s: status %q, message %q; want %q, %q", tt.id, got.Status, got.Message, tt.status, tt.message)
			}
		})
	}
	if got, _ := db.Get(ctx, "p1"); !reflect.DeepEqual(got, utc(earlier)) {
		t.Errorf("Abandon changed a run that had ended: %+v", got)
	}
	if n, err := db.Abandon(ctx); err != nil || n != 0 {
		t.Errorf("second Abandon = %d, %v; want 0", n, err)
	}
}

func TestConcurrent(t *testing.T) {
	db, _ := newDB(t)
	ctx := context.Background()
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				r := run(fmt.Sprintf("w%d-%02d", w, i), pipeline.StatusRunning, t0.Add(time.Duration(i)*time.Second))
				if err := db.Save(ctx, r); err != nil {
					errs <- err
					return
				}
				r.Status = pipeline.StatusPublished
				if err := db.Save(ctx, r); err != nil {
					errs <- err
					return
				}
				if _, err := db.List(ctx, 5); err != nil {
					errs <- err
					return
				}
				if _, _, err := db.LastWith(ctx, pipeline.StatusPublished); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, err := db.List(ctx, 0)
	if err != nil || len(all) != workers*each {
		t.Errorf("List: %d runs, %v; want %d", len(all), err, workers*each)
	}
}

func BenchmarkSave(b *testing.B) {
	db, _ := newDB(b)
	ctx := context.Background()
	r := published("", t0)
	i := 0
	for b.Loop() {
		r.ID = fmt.Sprintf("run-%d", i)
		r.Start = t0.Add(time.Duration(i) * time.Second)
		if err := db.Save(ctx, r); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// exec runs stmt on the history at path, creating it if need be, outside of
// this package.
func exec(t *testing.T, path, stmt string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}
