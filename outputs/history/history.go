// Package history is the run history: every run of the pipeline with its
// trigger, status, start and end, the inputs it read and what it published,
// kept in a SQLite database in the output folder (OUT/history.sqlite) so that
// it survives restarts.
//
// It is the adapter behind pipeline.History. cmd opens it, calls Abandon once
// on start and hands it to the runner, which saves each run twice: when it
// starts, with status running, and when it ends. LastWith tells the runner
// whether the inputs changed since the last published run; the runs command
// and the server read the history with List and Get.
//
// The database is opened in WAL mode, so readers in other processes (the runs
// command) are never blocked by a run being recorded. A writer waits a few
// seconds for another one at most; then the call fails with ErrLocked.
package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver: pure Go, no cgo

	"aktionsplan/pipeline"
)

var (
	// ErrCorrupt is returned by Open, and by any method, when the file is
	// not a SQLite database, is damaged, or holds a run that cannot be read.
	// The history cannot be repaired; moving the file away starts a new one.
	ErrCorrupt = errors.New("history: database is corrupt")
	// ErrLocked is returned when another connection, usually another
	// process, held the database for writing longer than the busy timeout.
	ErrLocked = errors.New("history: database is locked")
	// ErrVersion is returned by Open for a database whose schema is newer
	// than this program knows.
	ErrVersion = errors.New("history: database schema is newer than this program")
)

// busyTimeout is how long a write waits for another writer before failing
// with ErrLocked. A run is saved in well under a millisecond, so a few
// seconds only run out when another process is stuck holding the lock.
const busyTimeout = 5 * time.Second

// DB is the run history in one SQLite file. It is safe for use by several
// goroutines.
type DB struct {
	sql  *sql.DB
	path string
	busy time.Duration
}

var _ pipeline.History = (*DB)(nil)

// Open opens the history at path, creating the file if it does not exist and
// bringing its schema up to date. The folder must exist. It checks the file
// (the history is small, so this is quick) and returns an error wrapping
// ErrCorrupt for a damaged one, ErrLocked when another process holds it for
// writing while it needs a migration, and ErrVersion for a newer schema.
func Open(path string) (*DB, error) {
	return open(path, busyTimeout)
}

func open(path string, busy time.Duration) (*DB, error) {
	dsn, err := dsn(path, busy)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", path, err)
	}
	s, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("history: %s: %w", path, err)
	}
	// SQLite has one writer at a time, and the history is tiny: one
	// connection serialises the goroutines of this process in the pool,
	// fairly and bounded by their contexts, instead of in SQLite's busy
	// handler. It also keeps the per-connection settings of the DSN alive.
	s.SetMaxOpenConns(1)
	db := &DB{sql: s, path: path, busy: busy}
	ctx := context.Background()
	if err := db.check(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return db, nil
}

// dsn is the driver's name for the file at path with the settings every
// connection needs. The path goes into a file: URI, so that characters such as
// '?' and '#' in it cannot be taken for URI syntax.
func dsn(path string, busy time.Duration) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter: file:///C:/...
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	// FULL syncs the log on every commit: a run recorded as published
	// must not vanish in a power cut while its release stays current.
	q.Add("_pragma", "synchronous(FULL)")
	// The only transaction is the migration; taking the write lock at BEGIN
	// makes two processes opening a new file wait for each other instead of
	// failing at once on a lock upgrade.
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}
	return u.String(), nil
}

// check runs SQLite's quick check, which reads every page, and reports the
// first few problems it finds.
func (db *DB) check(ctx context.Context) error {
	rows, err := db.sql.QueryContext(ctx, "PRAGMA quick_check(3)")
	if err != nil {
		return db.fail("open", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return db.fail("open", err)
		}
		for line := range strings.Lines(s) {
			// A problem may come after a heading such as "*** in database main ***".
			if line = strings.TrimSpace(line); line != "ok" && !strings.HasPrefix(line, "***") {
				problems = append(problems, line)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return db.fail("open", err)
	}
	if len(problems) > 0 {
		return db.corrupt("open", errors.New(strings.Join(problems, "; ")))
	}
	return nil
}

// migrations[v] brings the schema from version v-1 to v. The version is kept
// in PRAGMA user_version, which is 0 in a new file.
//
// Times are RFC 3339 in UTC with all nine digits of the fraction, so that
// text order is time order; ended is NULL while a run has not ended. inputs
// and rows_per_file are JSON.
var migrations = [][]string{
	1: {
		`CREATE TABLE runs (
			id            TEXT PRIMARY KEY,
			triggered_by  TEXT NOT NULL,
			status        TEXT NOT NULL,
			started       TEXT NOT NULL,
			ended         TEXT,
			inputs        TEXT NOT NULL,
			release_id    TEXT NOT NULL,
			rows_per_file TEXT NOT NULL,
			errors        INTEGER NOT NULL,
			warnings      INTEGER NOT NULL,
			report_path   TEXT NOT NULL,
			message       TEXT NOT NULL
		)`,
		`CREATE INDEX runs_by_start ON runs (started DESC, id DESC)`,
		`CREATE INDEX runs_by_status ON runs (status, started DESC, id DESC)`,
	},
}

// schemaVersion is the version this program writes.
func schemaVersion() int { return len(migrations) - 1 }

// migrate brings the schema up to date. Only a file that needs it is written,
// so a reader can open a history that another process is writing.
func (db *DB) migrate(ctx context.Context) error {
	v, err := userVersion(ctx, db.sql)
	if err != nil {
		return db.fail("open", err)
	}
	if v > schemaVersion() {
		return fmt.Errorf("%w: %s has version %d, this program knows %d", ErrVersion, db.path, v, schemaVersion())
	}
	if v == schemaVersion() {
		return nil
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return db.fail("migrate", err)
	}
	defer tx.Rollback()
	// Another process may have migrated while this one waited for the lock.
	if v, err = userVersion(ctx, tx); err != nil {
		return db.fail("migrate", err)
	}
	for v < schemaVersion() {
		v++
		for _, stmt := range migrations[v] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return db.fail(fmt.Sprintf("migrate to version %d", v), err)
			}
		}
		// PRAGMA takes no parameters; v is an int.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			return db.fail("migrate", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return db.fail("migrate", err)
	}
	return nil
}

func userVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// Close closes the database. A run saved before is kept.
func (db *DB) Close() error {
	if err := db.sql.Close(); err != nil {
		return db.fail("close", err)
	}
	return nil
}

// SQLite's primary result codes that tell a broken environment. They are part
// of SQLite's stable interface.
const (
	sqliteBusy    = 5
	sqliteLocked  = 6
	sqliteCorrupt = 11
	sqliteNotADB  = 26
)

// fail wraps an error of op with the file's name, and with ErrCorrupt or
// ErrLocked when SQLite says so or a run cannot be decoded.
func (db *DB) fail(op string, err error) error {
	if errors.Is(err, errBadRun) {
		return db.corrupt(op, err)
	}
	var c interface{ Code() int }
	if errors.As(err, &c) {
		switch c.Code() & 0xff { // extended codes carry the primary one in the low byte
		case sqliteCorrupt, sqliteNotADB:
			return db.corrupt(op, err)
		case sqliteBusy, sqliteLocked:
			return fmt.Errorf("%w: %s: %s: another process is writing to it (waited up to %v): %w", ErrLocked, db.path, op, db.busy, err)
		}
	}
	return fmt.Errorf("history: %s: %s: %w", db.path, op, err)
}

func (db *DB) corrupt(op string, err error) error {
	return fmt.Errorf("%w: %s: %s: %w; move it away to start a new history", ErrCorrupt, db.path, op, err)
}
