package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"
	"sync"
	"time"
)

// Rules are the configurable figures of the business rules.
type Rules struct {
	// FundPerArea is the Aktionsraumfonds of an area per year, in EUR.
	FundPerArea float64
	// ProjectBudget is the project budget per year, in EUR.
	ProjectBudget float64
}

// DefaultRules are the figures of the source: 5,000 EUR per area, 226,000 EUR in all.
var DefaultRules = Rules{FundPerArea: 5000, ProjectBudget: 226000}

// Job is one run of the pipeline over its inputs.
type Job struct {
	RunID string
	// Inputs.
	Register, Areas, FundUsage, KeyFigures Input
	// Schemas of the tabular inputs.
	RegisterSchema, FundSchema, KeyFigureSchema Schema
	Tables                                      TableOpener
	Boundaries                                  BoundaryReader
	Rules                                       Rules
	About                                       About
	// Formats to publish; every dataset is written in each non-spatial format,
	// spatial datasets also in the spatial ones.
	Formats []Format
	// Documents describe the whole release (metadata, a page); they are
	// written after the datasets, in this order.
	Documents []Document
	// Now is the clock; it decides the latest valid year and the run time.
	Now func() time.Time
	// Observe, when set, is told about every finished stage of Run: each
	// input read, the join, each dataset and file written, each document
	// and the publishing. It is called from Run's goroutine.
	Observe func(Stage)
	// Progress, when set, is told now and then (every 1,024 rows) how many
	// data rows of a tabular input (by role) have been read so far. The
	// inputs are read at once: it is called from several goroutines.
	Progress func(role string, rows int)
	// Serial reads the inputs one after another (the register, the fund
	// usage, the key figures, the boundaries) instead of the last three
	// side by side. It is slower wherever there is more than one core,
	// but the duration Observe is told for each input is then its own,
	// not shared with the readers beside it.
	Serial bool
	// Unchanged, when set, is asked before a valid release is committed
	// whether inputs with these hashes were published already; if so the
	// release is dropped and Run returns ErrUnchanged, so the portal sees
	// the same files with the same dates.
	Unchanged func(inputs []InputFile) bool

	// kept returns the stages a branch kept.
	kept func() []Stage
}

// Result is what a run found and did.
type Result struct {
	Report    *Report
	Inputs    []InputFile
	Published bool
	Manifest  Manifest
	// Counts of what was read.
	Areas, Actions, KeyFigureRows int
}

// ErrInvalid is returned by Run when the inputs have errors and nothing new
// was published; the Result's Report says which.
var ErrInvalid = errors.New("pipeline: inputs invalid, nothing published")

// ErrUnchanged is returned by Run when the inputs are those of the last
// published run: nothing new was published.
var ErrUnchanged = errors.New("pipeline: inputs unchanged, nothing published")

// Validate reads and checks every input and publishes nothing.
func (j *Job) Validate(ctx context.Context) (*Result, error) {
	return j.Run(ctx, nil)
}

// Run reads, checks and joins the inputs and, if pub is not nil and no input
// has an error, publishes a release through pub. On invalid inputs it aborts
// the release and returns ErrInvalid; other errors are of the environment.
func (j *Job) Run(ctx context.Context, pub Publisher) (res *Result, err error) {
	res = &Result{Report: &Report{}}
	rep := res.Report
	var out *release
	if pub != nil {
		out = &release{pub: pub, formats: j.Formats, rows: map[string]int{}, stage: j.Observe}
		defer func() {
			if err != nil || !res.Published {
				out.abort()
				if aerr := pub.Abort(); aerr != nil && err == nil {
					err = aerr
				}
				out.repanic()
			}
		}()
	}

	// The boundaries are read from the start, and the key figures while
	// the fund usage is: each on a result of its own, merged in this
	// order afterwards, so that the report and the stages come in the
	// same order every time. Reading and checking the boundaries needs no
	// register, only matching them to areas at the end does. When
	// reading the register or the fund usage fails, the others are
	// stopped: the run fails anyway.
	others, stopOthers := context.WithCancel(ctx)
	defer stopOthers()
	var (
		figures     *keyFigures
		bounds      map[string]Boundary
		kfRes, bRes = &Result{Report: &Report{}}, &Result{Report: &Report{}}
		kfJob, bJob = j.branch(), j.branch()
		kfErr, bErr error
		wg          sync.WaitGroup
		g           Guard
		registered  = make(chan *Register, 1)
	)
	// In a serial run each reader waits for its turn: the key figures
	// for the fund usage, the boundaries for the key figures. A stopped
	// run ends every wait.
	fundDone, kfDone := make(chan struct{}), make(chan struct{})
	turn := func(prev <-chan struct{}) {
		if j.Serial {
			select {
			case <-prev:
			case <-others.Done():
			}
		}
	}
	wg.Go(func() {
		defer g.Recover()
		turn(kfDone)
		start := time.Now()
		bounds, bErr = bJob.readBoundaries(others, registered, bRes)
		bJob.observeRead(bRes, start)
	})
	reg, err := func() (reg *Register, err error) {
		defer func() {
			if reg == nil {
				// Also when reading the register panics.
				stopOthers()
				close(registered)
				wg.Wait()
			}
		}()
		start := time.Now()
		reg, err = j.readRegister(res)
		j.observeRead(res, start)
		if err != nil {
			return nil, err
		}
		return reg, nil
	}()
	if reg == nil {
		g.Repanic()
		return res, j.verdict(res, err)
	}
	registered <- reg
	res.Areas = len(reg.Areas())

	// The fund usage is written while it is read, the key figures once
	// they are read, if the inputs are valid so far; a run that publishes
	// nothing drops them.
	var (
		actions *datasetWriter
		kfOut   *writing
	)
	fundFields := j.FundSchema.Fields()
	if out != nil {
		if actions, err = out.open(j.actionsDataset(fundFields)); err == nil {
			kfOut = out.begin(j.keyFiguresDataset())
			defer func() { kfOut.end(!res.Published) }()
			err = kfOut.err
		}
		if err != nil {
			stopOthers()
			wg.Wait()
			g.Repanic()
			return res, err
		}
	}
	regValid := rep.Valid()
	start := time.Now()
	wg.Go(func() {
		defer g.Recover()
		defer close(kfDone)
		turn(fundDone)
		start := time.Now()
		figures, kfErr = kfJob.readKeyFigures(others, reg, kfRes)
		kfJob.observeRead(kfRes, start)
		if kfOut != nil && kfErr == nil && regValid && kfRes.Report.Valid() {
			kfOut.feed(0, figures.features())
		}
	})
	fund, err := func() (*fundUsage, error) {
		// Also when reading the fund usage panics: the other readers
		// are stopped and end before the panic goes on.
		defer wg.Wait()
		read := false
		defer func() {
			if !read {
				stopOthers()
			}
		}()
		fund, err := j.readFund(ctx, reg, res, actions)
		close(fundDone)
		if read = err == nil; read {
			j.observeRead(res, start) // without the wait for the others
		}
		return fund, err
	}()
	g.Repanic()
	if err != nil {
		return res, err
	}
	for _, b := range []struct {
		job *Job
		res *Result
		err error
	}{{kfJob, kfRes, kfErr}, {bJob, bRes, bErr}} {
		res.merge(b.res)
		j.replay(b.job)
		if b.err != nil {
			return res, b.err
		}
	}
	// The join comes first: the areas dataset, the longest to write,
	// waits for it; the sums do not, and are written beside the areas.
	// Every return ends the datasets being written before the release
	// is aborted, a run that publishes nothing stopping them first.
	start = time.Now()
	areas := j.join(reg, bounds, figures, fund, rep)
	j.observe(StepJoin, "", len(areas), start)
	if !rep.Valid() || out == nil {
		return res, j.verdict(res, nil)
	}
	// The run is valid: the fund usage's and the key figures' files are
	// completed now, beside the sums and the areas, not one after another
	// as the waits below come to them.
	actions.end()
	kfOut.complete()
	areasDS := j.areasDataset()
	second := out.start([]datasetRows{{j.sumsDataset(), fund.features()}, {areasDS, allRows(areas)}})
	defer func() { second.end(!res.Published) }()
	bound := areasBound(areas) // a pass over every position: once
	prep := prepare(j.Documents, &ReleaseInfo{About: j.About, Areas: areas, AreaDataset: areasDS, Bound: bound})
	defer prep.wait()
	if err := actions.Close(); err != nil {
		return res, err
	}
	if err := kfOut.wait(); err != nil {
		return res, err
	}
	if err := second.wait(); err != nil {
		return res, err
	}
	if j.Unchanged != nil && j.Unchanged(res.Inputs) {
		return res, ErrUnchanged
	}
	now := j.Now().UTC()
	rel := out.info(j.RunID, now, j.About, areasDS, areas, bound)
	for _, d := range prep.documents() {
		if err := out.document(d, rel); err != nil {
			return res, err
		}
	}
	m := Manifest{RunID: j.RunID, Time: now, Note: j.About.Note, Inputs: res.Inputs, Files: out.files()}
	start = time.Now()
	if res.Manifest, err = pub.Commit(m); err != nil {
		return res, err
	}
	j.observe(StepPublish, "", len(res.Manifest.Files), start)
	res.Published = true
	return res, nil
}

// branch is a copy of j for reading an input in a goroutine of its own:
// its stages are kept until replay passes them on.
func (j *Job) branch() *Job {
	b := *j
	if j.Observe != nil {
		var stages []Stage
		b.Observe = func(s Stage) { stages = append(stages, s) }
		b.kept = func() []Stage { return stages }
	}
	return &b
}

// replay tells Observe the stages of a branch.
func (j *Job) replay(b *Job) {
	if b.kept == nil {
		return
	}
	for _, s := range b.kept() {
		j.Observe(s)
	}
}

// merge appends what another result of the same run found: its issues,
// inputs and counts.
func (res *Result) merge(o *Result) {
	res.Report.merge(o.Report)
	res.Inputs = append(res.Inputs, o.Inputs...)
	res.Areas += o.Areas
	res.Actions += o.Actions
	res.KeyFigureRows += o.KeyFigureRows
}

// verdict turns a finished check into Run's error: ErrInvalid when the report
// has errors.
func (j *Job) verdict(res *Result, err error) error {
	if err != nil {
		return err
	}
	if !res.Report.Valid() {
		return ErrInvalid
	}
	return nil
}

// nextYear is the last year that fund rows and key figures may name.
func (j *Job) nextYear() int { return j.Now().Year() + 1 }

// hashedInput is an opened input whose bytes are hashed as they are read.
type hashedInput struct {
	io.Reader
	rc   io.ReadCloser
	h    hash.Hash
	role string
	name string
}

func (j *Job) open(role string, in Input) (*hashedInput, error) {
	if in.Open == nil {
		return nil, fmt.Errorf("%w: no %s input configured", ErrInput, role)
	}
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %w", ErrInput, role, in.Name, err)
	}
	name := in.Name
	if n, ok := rc.(interface{ Name() string }); ok && n.Name() != "" {
		// A source that picks its file when opened (the newest in a
		// folder, a download) names it; messages name that file.
		name = path.Base(strings.ReplaceAll(n.Name(), "\\", "/"))
	}
	h := sha256.New()
	return &hashedInput{Reader: io.TeeReader(rc, h), rc: rc, h: h, role: role, name: name}, nil
}

// finish reads the rest of the input for its hash, closes it and records it.
func (hi *hashedInput) finish(res *Result, rows int) error {
	_, err := io.Copy(io.Discard, hi.Reader)
	if cerr := hi.rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", ErrInput, hi.role, hi.name, err)
	}
	res.Inputs = append(res.Inputs, InputFile{Role: hi.role, Name: hi.name, SHA256: hex.EncodeToString(hi.h.Sum(nil)), Rows: rows})
	return nil
}

// readTable streams the rows of a tabular input through its schema and calls
// fn for every row with its record and whether the row had no error. It
// returns the number of data rows.
// It returns whether the whole table was read: a file that stops being
// readable halfway has its error reported, and checks that need every row
// (keys without a partner) are skipped for it.
func (j *Job) readTable(ctx context.Context, role string, in Input, s Schema, refs map[string]KeyResolver, res *Result, fn func(Row, Caster, Record, bool)) (bool, error) {
	hi, err := j.open(role, in)
	if err != nil {
		return false, err
	}
	rows, complete, err := j.castRows(ctx, role, hi.name, hi, s, refs, res.Report, fn)
	if err != nil {
		hi.rc.Close()
		return false, err
	}
	return complete, hi.finish(res, rows)
}

func (j *Job) castRows(ctx context.Context, role, name string, r io.Reader, s Schema, refs map[string]KeyResolver, rep *Report, fn func(Row, Caster, Record, bool)) (n int, complete bool, err error) {
	var bad *BadInput
	rr, err := j.Tables.OpenTable(role, name, r, s.Fields())
	if errors.As(err, &bad) {
		rep.Add(bad.Issue)
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	if c, ok := rr.(io.Closer); ok {
		defer c.Close()
	}
	if nt, ok := rr.(Noter); ok {
		// Also when the header does not fit: how the file was read (its
		// encoding, the sheet chosen) often explains why.
		defer func() {
			for _, is := range nt.Notes() {
				rep.Add(is)
			}
		}()
	}
	header, err := rr.Read()
	if err == io.EOF {
		rep.Errorf(CodeBlankTable, rr.Origin().At(0, 0, ""), "", "eine Kopfzeile und Datenzeilen", "Die Tabelle ist leer")
		return 0, false, nil
	}
	if errors.As(err, &bad) {
		rep.Add(bad.Issue)
		return 0, false, nil
	} else if err != nil {
		return 0, false, err
	}
	caster := s.Bind(rr.Origin(), header, refs, rep)
	if caster == nil {
		return 0, false, nil
	}
	complete = true
	tail := newTrailer(rr.Origin(), caster, s.Fields(), rep)
	data := func(row Row) {
		rec, ok := caster.Cast(row, rep)
		if rec == nil {
			return // a blank row, reported by the caster
		}
		n++
		tail.add(rec)
		fn(row, caster, rec, ok)
	}
	// The rows are read a batch ahead in a goroutine of their own: parsing
	// takes about as long as casting and checking, which happen here.
	pf := prefetch(rr)
	defer pf.close()
	for {
		if n%1024 == 0 {
			if ctx.Err() != nil {
				return n, false, ctx.Err()
			}
			if j.Progress != nil {
				j.Progress(role, n)
			}
		}
		row, err := pf.Read()
		if err == io.EOF {
			tail.end(data)
			break
		}
		if errors.As(err, &bad) {
			tail.flush(data)
			rep.Add(bad.Issue)
			if bad.Resume {
				continue
			}
			complete = false
			break
		} else if err != nil {
			return n, false, err
		}
		tail.push(row, data)
	}
	if n == 0 {
		rep.Errorf(CodeBlankTable, rr.Origin().At(header.Line+1, 0, ""), "", "mindestens eine Datenzeile", "Die Tabelle hat keine Datenzeilen")
	}
	return n, complete, nil
}
