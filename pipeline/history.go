package pipeline

import (
	"context"
	"errors"
	"time"
)

// Run statuses, as recorded in the history.
const (
	StatusRunning   = "running"   // started, not ended (or abandoned by a crash)
	StatusPublished = "published" // a new release is current
	StatusUnchanged = "unchanged" // inputs identical to the last published run: nothing new
	StatusInvalid   = "invalid"   // inputs have errors: nothing new published
	StatusFailed    = "failed"    // the environment failed (a source, the disk, a panic)
	StatusSkipped   = "skipped"   // another run of the pipeline was still going
	StatusRollback  = "rollback"  // current was pointed at an earlier release by hand
)

// Run triggers.
const (
	TriggerSchedule = "schedule"
	TriggerManual   = "manual" // POST /api/runs
	TriggerCLI      = "cli"
)

// RunRecord is one run in the history.
type RunRecord struct {
	ID      string    `json:"id"`
	Trigger string    `json:"trigger"`
	Status  string    `json:"status"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end,omitzero"`
	// Inputs with their SHA-256, as read.
	Inputs []InputFile `json:"inputs"`
	// Release is the release made current, for published and rollback runs.
	Release string `json:"release,omitempty"`
	// Rows published per file.
	Rows     map[string]int `json:"rows,omitempty"`
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	// ReportPath is the text report of the run, relative to the output folder.
	ReportPath string `json:"report_path,omitempty"`
	// Message says why a run failed or was skipped.
	Message string `json:"message,omitempty"`
}

// ErrNoRun is returned by History.Get for an unknown run id.
var ErrNoRun = errors.New("pipeline: no such run")

// History records the runs of a pipeline. It survives restarts. Methods
// return an error of the environment (locked or corrupt database) wrapped
// with context; they never block for long.
type History interface {
	// Save inserts or replaces the run with r.ID.
	Save(ctx context.Context, r RunRecord) error
	// Get returns one run, or an error wrapping ErrNoRun.
	Get(ctx context.Context, id string) (RunRecord, error)
	// List returns the newest runs first, at most limit (0: all).
	List(ctx context.Context, limit int) ([]RunRecord, error)
	// LastWith returns the newest run with one of the statuses, and false
	// when there is none.
	LastWith(ctx context.Context, statuses ...string) (RunRecord, bool, error)
	Close() error
}
