package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"aktionsplan/pipeline"
)

// timeFormat is RFC 3339 with a fixed-width fraction: time.RFC3339Nano drops
// trailing zeros, and "05Z" would sort after "05.5Z".
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// abandonedMessage is the Message of a run that Abandon marks as failed.
const abandonedMessage = "abgebrochen (Prozess beendet)"

// columns in the order scan reads them.
const columns = `id, triggered_by, status, started, ended, inputs, release_id,
	rows_per_file, errors, warnings, report_path, message`

// Save inserts the run with r.ID, or replaces every field of it: a run is
// saved when it starts and again when it ends. Times are stored in UTC to the
// nanosecond; Get, List and LastWith return them in UTC.
func (db *DB) Save(ctx context.Context, r pipeline.RunRecord) error {
	if r.ID == "" {
		return fmt.Errorf("history: %s: save: run without id", db.path)
	}
	inputs, err := json.Marshal(r.Inputs)
	if err != nil {
		return fmt.Errorf("history: %s: save run %q: inputs: %w", db.path, r.ID, err)
	}
	rows, err := json.Marshal(r.Rows) // map keys sorted: same run, same bytes
	if err != nil {
		return fmt.Errorf("history: %s: save run %q: rows: %w", db.path, r.ID, err)
	}
	var ended sql.NullString
	if !r.End.IsZero() {
		ended = sql.NullString{String: r.End.UTC().Format(timeFormat), Valid: true}
	}
	_, err = db.sql.ExecContext(ctx, `INSERT INTO runs (`+columns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			triggered_by = excluded.triggered_by, status = excluded.status,
			started = excluded.started, ended = excluded.ended,
			inputs = excluded.inputs, release_id = excluded.release_id,
			rows_per_file = excluded.rows_per_file, errors = excluded.errors,
			warnings = excluded.warnings, report_path = excluded.report_path,
			message = excluded.message`,
		r.ID, r.Trigger, r.Status, r.Start.UTC().Format(timeFormat), ended, string(inputs), r.Release,
		string(rows), r.Errors, r.Warnings, r.ReportPath, r.Message)
	if err != nil {
		return db.fail(fmt.Sprintf("save run %q", r.ID), err)
	}
	return nil
}

// Get returns the run with id, or an error wrapping pipeline.ErrNoRun.
func (db *DB) Get(ctx context.Context, id string) (pipeline.RunRecord, error) {
	op := fmt.Sprintf("get run %q", id)
	runs, err := db.query(ctx, op, `WHERE id = ?`, id)
	if err != nil {
		return pipeline.RunRecord{}, err
	}
	if len(runs) == 0 {
		return pipeline.RunRecord{}, fmt.Errorf("history: %s: %s: %w", db.path, op, pipeline.ErrNoRun)
	}
	return runs[0], nil
}

// List returns the runs newest first, by start time and then by id for runs
// that started at the same instant; at most limit of them, all for 0.
func (db *DB) List(ctx context.Context, limit int) ([]pipeline.RunRecord, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	return db.query(ctx, "list runs", `ORDER BY started DESC, id DESC LIMIT ?`, limit)
}

// LastWith returns the newest run, in the order of List, whose status is one
// of statuses, and false when there is none.
func (db *DB) LastWith(ctx context.Context, statuses ...string) (pipeline.RunRecord, bool, error) {
	if len(statuses) == 0 {
		return pipeline.RunRecord{}, false, nil
	}
	args := make([]any, len(statuses))
	for i, s := range statuses {
		args[i] = s
	}
	marks := strings.Repeat(", ?", len(statuses))[2:]
	runs, err := db.query(ctx, "last run with status "+strings.Join(statuses, ", "),
		`WHERE status IN (`+marks+`) ORDER BY started DESC, id DESC LIMIT 1`, args...)
	if err != nil || len(runs) == 0 {
		return pipeline.RunRecord{}, false, err
	}
	return runs[0], true, nil
}

// Abandon marks every run still "running" as failed, with the message
// "abgebrochen (Prozess beendet)", and returns how many it marked. It cannot
// tell a run of this process from one of an earlier process that ended
// without saving the run's end, so it must be called once on start, before
// the first run. End stays unset: when the process ended is unknown.
func (db *DB) Abandon(ctx context.Context) (int, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE runs SET status = ?, message = ? WHERE status = ?`,
		pipeline.StatusFailed, abandonedMessage, pipeline.StatusRunning)
	if err != nil {
		return 0, db.fail("abandon runs", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, db.fail("abandon runs", err)
	}
	return int(n), nil
}

// query returns the runs selected by the SQL that follows the FROM clause.
func (db *DB) query(ctx context.Context, op, tail string, args ...any) ([]pipeline.RunRecord, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+columns+` FROM runs `+tail, args...)
	if err != nil {
		return nil, db.fail(op, err)
	}
	defer rows.Close()
	var runs []pipeline.RunRecord
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, db.fail(op, err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, db.fail(op, err)
	}
	return runs, nil
}

// errBadRun is wrapped by scan for a row whose fields cannot be decoded.
var errBadRun = errors.New("unreadable run")

func scan(rows *sql.Rows) (pipeline.RunRecord, error) {
	var (
		r                    pipeline.RunRecord
		started, inputs, rpf string
		ended                sql.NullString
	)
	err := rows.Scan(&r.ID, &r.Trigger, &r.Status, &started, &ended, &inputs, &r.Release,
		&rpf, &r.Errors, &r.Warnings, &r.ReportPath, &r.Message)
	if err != nil {
		return r, err
	}
	bad := func(field string, err error) error {
		return fmt.Errorf("%w %q: %s: %w", errBadRun, r.ID, field, err)
	}
	if r.Start, err = time.Parse(timeFormat, started); err != nil {
		return r, bad("started", err)
	}
	if ended.Valid {
		if r.End, err = time.Parse(timeFormat, ended.String); err != nil {
			return r, bad("ended", err)
		}
	}
	if err := json.Unmarshal([]byte(inputs), &r.Inputs); err != nil {
		return r, bad("inputs", err)
	}
	if err := json.Unmarshal([]byte(rpf), &r.Rows); err != nil {
		return r, bad("rows_per_file", err)
	}
	return r, nil
}
