package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"path/filepath"

	"aktionsplan/outputs/release"
	"aktionsplan/outputs/report"
	"aktionsplan/pipeline"
)

// runner does whole runs into one output folder: the job, the release, the
// reports, pruning and the failure notice. The run command, the scheduler
// and the HTTP trigger share it; the caller records the run in the history.
type runner struct {
	a   *app
	cfg *Config
	in  inputFlags
	out string
	// history may be nil; it tells whether the settings changed since the
	// last published run.
	history pipeline.History
	log     *slog.Logger
	// keep is how many releases to keep; 0 keeps all.
	keep int
	// force publishes even when the inputs are unchanged.
	force bool
	// notify is told about runs that end invalid or failed; may be nil.
	notify func(context.Context, pipeline.RunRecord)
}

// outcome is what a run leaves for the command that prints it.
type outcome struct {
	rec pipeline.RunRecord
	cfg *Config
	job *pipeline.Job
	res *pipeline.Result
	doc report.Document
	// paths of the reports written.
	paths []string
	// err is an error of the environment or configuration.
	err error
}

// newID returns a run id from the clock that no release or report of out
// has yet.
func (r *runner) newID() string {
	return uniqueRunID(r.out, r.a.now().UTC().Format("20060102T150405Z"))
}

// record runs once and returns the final record: the scheduler's RunFunc.
func (r *runner) record(ctx context.Context, id, trigger string) pipeline.RunRecord {
	return r.once(ctx, id, trigger).rec
}

// once performs one run with the id and trigger.
func (r *runner) once(ctx context.Context, id, trigger string) (o outcome) {
	start := r.a.now()
	o.rec = pipeline.RunRecord{ID: id, Trigger: trigger, Status: pipeline.StatusRunning, Start: start.UTC()}
	defer func() {
		o.rec.End = r.a.now().UTC()
		if o.err != nil {
			o.rec.Status, o.rec.Message = pipeline.StatusFailed, o.err.Error()
		}
		if r.notify != nil && (o.rec.Status == pipeline.StatusFailed || o.rec.Status == pipeline.StatusInvalid) {
			// A run cancelled at shutdown still sends its notice.
			r.notify(context.WithoutCancel(ctx), o.rec)
		}
	}()
	o.cfg = r.cfg
	o.job, o.err = r.a.buildJob(r.cfg, r.in)
	if o.err != nil {
		return o
	}
	o.job.RunID = id
	settings := o.cfg.fingerprint()
	if !r.force {
		o.job.Unchanged = func(inputs []pipeline.InputFile) bool { return r.unchanged(ctx, inputs, settings) }
	}
	pub, err := release.New(r.out, id)
	if o.err = err; err != nil {
		return o
	}
	res, err := o.job.Run(ctx, pub)
	o.res = res
	o.rec.Inputs = append(append([]pipeline.InputFile(nil), res.Inputs...), settings)
	switch {
	case errors.Is(err, pipeline.ErrInvalid):
		o.rec.Status = pipeline.StatusInvalid
	case errors.Is(err, pipeline.ErrUnchanged):
		o.rec.Status = pipeline.StatusUnchanged
	case err != nil:
		o.err = err
		return o
	default:
		o.rec.Status, o.rec.Release = pipeline.StatusPublished, res.Manifest.Release
		o.rec.Rows = map[string]int{}
		for _, f := range res.Manifest.Files {
			o.rec.Rows[f.Name] = f.Rows
		}
	}
	o.doc = report.NewDocument(id, res)
	o.rec.Errors, o.rec.Warnings = o.doc.Errors, o.doc.Warnings
	if o.paths, o.err = writeReports(r.out, id, o.doc, o.cfg.page()); o.err != nil {
		return o
	}
	o.rec.ReportPath = filepath.ToSlash(filepath.Join("reports", id+".txt"))
	if o.rec.Status == pipeline.StatusPublished && r.keep > 0 {
		removed, err := release.Prune(r.out, r.keep)
		if err != nil {
			r.log.Warn("old releases not removed", "err", err)
		} else if len(removed) > 0 {
			r.log.Info("old releases removed", "releases", removed)
		}
	}
	return o
}

// unchanged reports whether the inputs and settings are those of the
// current release: then nothing new is published and the portal keeps its
// stable Last-Modified headers.
func (r *runner) unchanged(ctx context.Context, inputs []pipeline.InputFile, settings pipeline.InputFile) bool {
	m, err := release.ReadManifest(filepath.Join(r.out, "current"))
	if err != nil || !sameInputs(m.Inputs, inputs) {
		return false
	}
	if r.history == nil {
		return true
	}
	// The run that published the current release (also after a rollback)
	// knows the settings it was made with.
	made, err := r.history.Get(ctx, m.RunID)
	if err != nil {
		// Not recorded (a fresh history): publish anew to be sure.
		return false
	}
	for _, in := range made.Inputs {
		if in.Role == settings.Role {
			return in.SHA256 == settings.SHA256
		}
	}
	return false
}

func sameInputs(a, b []pipeline.InputFile) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]string{}
	for _, in := range a {
		seen[in.Role] = in.SHA256
	}
	for _, in := range b {
		if sha, ok := seen[in.Role]; !ok || sha != in.SHA256 {
			return false
		}
	}
	return true
}

// fingerprint identifies the settings that shape the published files, so
// that a changed budget figure or note publishes anew with the same inputs.
func (c *Config) fingerprint() pipeline.InputFile {
	h := sha256.Sum256(c.raw)
	return pipeline.InputFile{Role: "config", Name: c.name, SHA256: hex.EncodeToString(h[:])}
}

// abandon marks runs that an earlier process left "running" as failed.
func (r *runner) abandon(ctx context.Context) (int, error) {
	if ab, ok := r.history.(interface {
		Abandon(context.Context) (int, error)
	}); ok {
		return ab.Abandon(ctx)
	}
	return 0, nil
}
