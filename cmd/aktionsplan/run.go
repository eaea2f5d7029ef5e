package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"aktionsplan/outputs/csv"
	"aktionsplan/outputs/datapackage"
	"aktionsplan/outputs/dcat"
	"aktionsplan/outputs/geojson"
	"aktionsplan/outputs/gpkg"
	"aktionsplan/outputs/history"
	"aktionsplan/outputs/page"
	"aktionsplan/outputs/release"
	"aktionsplan/outputs/report"
	"aktionsplan/outputs/xlsx"
	"aktionsplan/pipeline"
	"aktionsplan/schemas"
	"aktionsplan/sources"
	geojsonsrc "aktionsplan/sources/geojson"
)

// inputFlags are the flags that run and validate share.
type inputFlags struct {
	config, register, areas, fundUsage, keyFigures string
}

func (f *inputFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "config `FILE` (TOML); default: the embedded Dortmund example")
	fs.StringVar(&f.register, "register", "", "area register `FILE` (CSV or XLSX), overrides the config")
	fs.StringVar(&f.areas, "areas", "", "area boundaries `FILE` (GeoJSON), overrides the config")
	fs.StringVar(&f.fundUsage, "fund-usage", "", "fund usage `FILE` (XLSX or CSV), overrides the config")
	fs.StringVar(&f.keyFigures, "key-figures", "", "key figures `FILE` (CSV or XLSX), overrides the config")
}

// parse parses args into fs; help and errors are printed by the flag package.
// It returns an exit code when the command should stop.
func (a *app) parse(fs *flag.FlagSet, args []string) (int, bool) {
	fs.SetOutput(a.stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "aktionsplan %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, true
	}
	return 0, false
}

func newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: aktionsplan %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func (a *app) run(ctx context.Context, args []string) int {
	fs := newFlagSet("run", `run [--config FILE] [--register FILE] [--areas FILE] [--fund-usage FILE] [--key-figures FILE] --out DIR

Validates every input and, if none has an error, publishes a release under
DIR/releases/<run-id> and points DIR/current at it. Inputs identical to
those of the current release publish nothing new (--force does). The report
is written to DIR/reports/<run-id>.txt and .json; when nothing was published
also to DIR/reports/<run-id>.html, a page for the people who keep the files.
The run is recorded in DIR/history.sqlite.`)
	var in inputFlags
	in.define(fs)
	out := fs.String("out", "", "output `DIR`: releases/, current and reports/ are written there (default: the config's out)")
	force := fs.Bool("force", false, "publish a new release even when the inputs are unchanged")
	verbose := fs.Bool("verbose", false, "print the duration and row count of every step (read, join, each file, publish)")
	serial := fs.Bool("serial", false, "read the inputs one after another, not side by side: slower, but with --verbose each input's time is its own")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return a.fail(err)
		}
		defer stop()
	}
	r, closeRunner, err := a.newRunner(in, *out)
	if err != nil {
		return a.fail(err)
	}
	defer closeRunner()
	// With the lock held no other run writes here: what a killed run left
	// (its staging folder, its "running" record) goes now, not an hour later.
	if n, err := r.abandon(ctx); err != nil {
		return a.fail(err)
	} else if n > 0 {
		r.log.Warn("runs of an earlier process marked as failed", "runs", n)
	}
	if err := cleanup(r.out); err != nil {
		return a.fail(err)
	}
	r.force = *force
	a.serial = *serial
	stages := a.watch(*verbose)
	rec := pipeline.RunRecord{ID: r.newID(), Trigger: pipeline.TriggerCLI, Status: pipeline.StatusRunning, Start: a.now().UTC()}
	r.save(ctx, rec)
	o := r.once(ctx, rec.ID, rec.Trigger)
	stages.stop()
	if err := r.history.Save(ctx, o.rec); err != nil && o.err == nil {
		// The release stands, but the history, which decides what is
		// unchanged next time, does not know it: not a success.
		o.err = fmt.Errorf("run %s (%s) not recorded in the history: %w", o.rec.ID, o.rec.Status, err)
	}
	if o.err != nil {
		return a.fail(o.err)
	}
	a.summary(o.cfg, o.res)
	if *verbose {
		stages.print(a.stdout)
	}
	switch o.rec.Status {
	case pipeline.StatusInvalid:
		report.WriteText(a.stdout, o.doc, 50)
		fmt.Fprintf(a.stdout, "Bericht: %s\n", strings.Join(o.paths, ", "))
		return exitInvalid
	case pipeline.StatusUnchanged:
		if len(o.doc.Issues) > 0 {
			report.WriteText(a.stdout, o.doc, 20)
		}
		cur, _ := release.Current(r.out)
		fmt.Fprintf(a.stdout, "Unverändert: die Eingaben sind die der aktuellen Veröffentlichung %s; nichts Neues veröffentlicht.\n", cur)
		return exitOK
	}
	if len(o.doc.Issues) > 0 {
		report.WriteText(a.stdout, o.doc, 20)
	}
	fmt.Fprintf(a.stdout, "Veröffentlicht: %s (%d Dateien); %s zeigt darauf.\n",
		filepath.Join(r.out, "releases", o.rec.Release), len(o.res.Manifest.Files)+1, filepath.Join(r.out, "current"))
	return exitOK
}

// newRunner loads the config, resolves the output folder and opens the run
// history in it. The returned function closes the history.
func (a *app) newRunner(in inputFlags, out string) (*runner, func(), error) {
	cfg, err := loadConfig(in.config)
	if err != nil {
		return nil, nil, err
	}
	if out == "" {
		out = cfg.path(cfg.Out)
	}
	if out == "" {
		return nil, nil, fmt.Errorf("%w: --out DIR is required (or out in the config)", errConfig)
	}
	unlock, err := lockOut(out)
	if err != nil {
		return nil, nil, err
	}
	cfg.cache = filepath.Join(out, "cache")
	h, err := history.Open(filepath.Join(out, historyFile))
	if err != nil {
		unlock()
		return nil, nil, err
	}
	r := &runner{a: a, cfg: cfg, in: in, out: out, history: h, log: a.logger(), keep: cfg.keep()}
	return r, func() { h.Close(); unlock() }, nil
}

// historyFile is the run history in the output folder.
const historyFile = "history.sqlite"

// save records a run in the history; a history that cannot be written is
// logged, not fatal: the release is what counts.
func (r *runner) save(ctx context.Context, rec pipeline.RunRecord) {
	if r.history == nil {
		return
	}
	if err := r.history.Save(ctx, rec); err != nil {
		r.log.Error("run not recorded in the history", "run", rec.ID, "err", err)
	}
}

func (a *app) validate(ctx context.Context, args []string) int {
	fs := newFlagSet("validate", `validate [--config FILE] [--register FILE] [--areas FILE] [--fund-usage FILE] [--key-figures FILE] [--format text|json|html]

Checks every input and publishes nothing. The report goes to standard output:
text for the terminal; json for machines (stable codes and positions,
"schema_version": 1); html, a page in German for the people who keep the
files, with every problem, its cell and how to fix it.
Exit code 0 when the inputs are valid (warnings may have been printed), 1
when they have errors.`)
	var in inputFlags
	in.define(fs)
	format := fs.String("format", "text", "report `format`: text (for the terminal), json (for machines) or html (a page for the people who keep the files)")
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	if *format != "text" && *format != "json" && *format != "html" {
		fmt.Fprintf(a.stderr, "aktionsplan validate: --format must be text, json or html, not %q\n", *format)
		return exitUsage
	}
	cfg, job, err := a.job(in)
	if err != nil {
		return a.fail(err)
	}
	res, err := job.Validate(ctx)
	if err != nil && !errors.Is(err, pipeline.ErrInvalid) {
		return a.fail(err)
	}
	doc := report.NewDocument(job.RunID, res)
	switch *format {
	case "json":
		err = report.WriteJSON(a.stdout, doc)
	case "html":
		err = report.WriteHTML(a.stdout, doc, cfg.page())
	default:
		a.summary(cfg, res)
		err = report.WriteText(a.stdout, doc, 0)
	}
	if err != nil {
		return a.fail(err)
	}
	if !doc.Valid {
		return exitInvalid
	}
	return exitOK
}

// job builds the pipeline job from the config and the flags.
func (a *app) job(in inputFlags) (*Config, *pipeline.Job, error) {
	cfg, err := loadConfig(in.config)
	if err != nil {
		return nil, nil, err
	}
	j, err := a.buildJob(cfg, in)
	return cfg, j, err
}

// buildJob builds the pipeline job of one run from a loaded config and the
// flags.
func (a *app) buildJob(cfg *Config, in inputFlags) (*pipeline.Job, error) {
	var err error
	j := &pipeline.Job{
		RunID: a.now().UTC().Format("20060102T150405Z"),
		Now:   a.now,
		Rules: cfg.rules(),
		About: pipeline.About{Publisher: cfg.Publisher, Source: cfg.Source, Note: cfg.Note, Portal: cfg.portal()},
		Formats: []pipeline.Format{
			csv.Format{NoBOM: !cfg.csvBOM()},
			xlsx.Format{},
			geojson.Format{},
			// spatial formats (one line each)
			gpkg.Format{},
			geojson.Format{CRS: 25832},
		},
		// Written after the data, in this order: metadata first, the
		// page last, since it lists the metadata files too.
		Documents: []pipeline.Document{
			// metadata documents (one line each)
			datapackage.Document{BOM: cfg.csvBOM()},
			dcat.JSONLD{},
			dcat.Turtle{},
			// the release page
			page.Page{},
		},
		Boundaries: sources.Boundaries{Limits: cfg.Limits, Reader: geojsonsrc.Reader{IDProperty: cfg.Areas.IDProperty, CRS: cfg.Areas.CRS,
			MaxVertices: cfg.Limits.Vertices, MaxFeatureVertices: cfg.Limits.FeatureVertices}},
		Observe:  a.observe,
		Serial:   a.serial,
		Progress: a.progress,
	}
	for _, x := range []struct {
		dst               *pipeline.Input
		role, flag, value string
	}{
		{&j.Register, "register", in.register, cfg.Inputs.Register},
		{&j.Areas, "areas", in.areas, cfg.Inputs.Areas},
		{&j.FundUsage, "fund_usage", in.fundUsage, cfg.Inputs.FundUsage},
		{&j.KeyFigures, "key_figures", in.keyFigures, cfg.Inputs.KeyFigures},
	} {
		if *x.dst, err = cfg.input(x.role, x.flag, x.value); err != nil {
			return nil, err
		}
	}
	j.Tables = sources.Tables{Options: cfg.Read, Limits: cfg.Limits}
	for _, x := range []struct {
		dst              *pipeline.Schema
		configured, name string
	}{
		{&j.RegisterSchema, cfg.Schemas.Register, schemas.Register},
		{&j.FundSchema, cfg.Schemas.FundUsage, schemas.FundUsage},
		{&j.KeyFigureSchema, cfg.Schemas.KeyFigures, schemas.KeyFigures},
	} {
		s, err := cfg.schema(x.configured, x.name)
		if err != nil {
			return nil, err
		}
		*x.dst = s
	}
	return j, nil
}

// summary prints what was read, in a line or two.
func (a *app) summary(cfg *Config, res *pipeline.Result) {
	title := cfg.Title
	if cfg.Note != "" {
		title += " – " + cfg.Note
	}
	fmt.Fprintln(a.stdout, title)
	fmt.Fprintf(a.stdout, "Gelesen: %d Aktionsräume im Register, %d Maßnahmen, %d Kennzahlen-Zeilen (%s)\n",
		res.Areas, res.Actions, res.KeyFigureRows, inputNames(res.Inputs))
}

func inputNames(in []pipeline.InputFile) string {
	names := make([]string, len(in))
	for i, f := range in {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// uniqueRunID returns id, or id-2, id-3, … when a release or report of that
// name exists already (two runs within one second), so that a run's release
// and report share one name and no report is overwritten.
func uniqueRunID(out, id string) string {
	for n := 1; ; n++ {
		cand := id
		if n > 1 {
			cand = fmt.Sprintf("%s-%d", id, n)
		}
		_, errR := os.Stat(filepath.Join(out, "releases", cand))
		_, errJ := os.Stat(filepath.Join(out, "reports", cand+".json"))
		if errors.Is(errR, fs.ErrNotExist) && errors.Is(errJ, fs.ErrNotExist) {
			return cand
		}
	}
}

// writeReports writes the report of a run as text and JSON under
// OUT/reports, and as an HTML page for the clerk when the run published
// nothing. Each file appears whole or not at all, since the server may hand
// it out while the run is still writing. It returns the paths of the
// reports for people.
func writeReports(out, runID string, doc report.Document, page report.Page) ([]string, error) {
	base := filepath.Join(out, "reports", runID)
	type format struct {
		ext   string
		write func(io.Writer) error
	}
	formats := []format{
		{".json", func(w io.Writer) error { return report.WriteJSON(w, doc) }},
		{".txt", func(w io.Writer) error { return report.WriteText(w, doc, 0) }},
	}
	if !doc.Valid {
		formats = append(formats, format{".html", func(w io.Writer) error { return report.WriteHTML(w, doc, page) }})
	}
	var paths []string
	var buf bytes.Buffer
	for _, f := range formats {
		buf.Reset()
		if err := f.write(&buf); err != nil {
			return nil, err
		}
		if err := writeFileAtomic(base+f.ext, buf.Bytes()); err != nil {
			return nil, err
		}
		if f.ext != ".json" {
			paths = append(paths, base+f.ext)
		}
	}
	return paths, nil
}

// cleanup removes what a killed process left under out: the staging folders
// and links of a publication (release.Cleanup) and the temporary files of
// reports it was writing (writeFileAtomic). The caller holds the lock of
// out, so no other process is writing them.
func cleanup(out string) error {
	if err := release.Cleanup(out); err != nil {
		return err
	}
	left, err := filepath.Glob(filepath.Join(out, "reports", atomicTemp("*")))
	if err != nil {
		return err
	}
	for _, path := range left {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// fail prints an error of the environment or configuration and returns its
// exit code.
func (a *app) fail(err error) int {
	var bad *pipeline.BadInput
	var pathErr *fs.PathError
	if errors.Is(err, pipeline.ErrInput) && errors.Is(err, fs.ErrNotExist) && errors.As(err, &pathErr) {
		// An input named on the command line or in the config is missing:
		// the people who keep the files read this.
		fmt.Fprintf(a.stderr, "aktionsplan: Eingabedatei nicht gefunden: %s\n(Pfad im Aufruf oder in der Konfiguration prüfen)\n", pathErr.Path)
		return exitUsage
	}
	fmt.Fprintf(a.stderr, "aktionsplan: %v\n", err)
	switch {
	case errors.Is(err, errConfig), errors.Is(err, schemas.ErrSchema),
		errors.Is(err, release.ErrUnknownRelease), errors.Is(err, release.ErrInvalidID):
		return exitUsage
	case errors.As(err, &bad):
		return exitInvalid
	}
	return exitFailure
}
