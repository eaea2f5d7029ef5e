package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"iter"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/paulmach/orb"
)

// release writes the datasets of one run through a Publisher and counts the
// rows of every file for the manifest.
type release struct {
	pub     Publisher
	formats []Format
	rows    map[string]int
	// datasets are those written so far, with their files.
	datasets []PublishedDataset
	// first and last year named by any written row.
	first, last int
	// stage, when set, is told the time of every dataset, encoder and
	// document.
	stage func(Stage)
	// writers are the dataset writers opened, for abort; aborted tells
	// their encoders not to complete their files.
	writers []*datasetWriter
	aborted atomic.Bool
}

// datasetWriter writes one dataset to a file per format at once, so that a
// streamed table is read only once. Every file's encoder runs in a goroutine
// of its own, fed in batches of rows: the formats of a dataset, and the
// datasets of a release, are encoded on every core at once while the
// caller goes on reading or feeding. Rows are shared by the encoders and
// must not change once written.
type datasetWriter struct {
	r     *release
	ds    *Dataset
	names []string
	files []*countingFile
	encs  []Encoder
	sinks []*sink
	batch *rowBatch
	// free holds batches every encoder is done with, for reuse.
	free chan *rowBatch
	n    int
	// years are the indexes of the dataset's year columns; first and last
	// the span of years its rows name.
	years       []int
	first, last int
	start       time.Time
	// ended is set once the sinks have their last rows.
	ended bool
	// closed is set by Close or abort.
	closed bool
}

// batchRows is the number of rows handed to the encoders at once; sinkDepth
// the number of batches an encoder may lag behind its writer, which bounds
// the rows in memory.
const (
	batchRows = 256
	sinkDepth = 8
)

// rowBatch is the rows handed to the encoders at once, with an arena for
// the values of rows built by the writer's caller (values). Once every
// encoder has written it, it goes back to its writer for the next rows:
// a million-row table then costs no garbage for its rows' values.
type rowBatch struct {
	rows    []Feature
	vals    []any
	pending atomic.Int32
	home    chan *rowBatch
}

// done tells the batch that one encoder has written it.
func (b *rowBatch) done() {
	if b.pending.Add(-1) == 0 {
		select {
		case b.home <- b:
		default:
		}
	}
}

// sink is the goroutine that encodes one file.
type sink struct {
	rows chan *rowBatch
	done chan struct{}
	// failed is set once err holds the first error of the encoder; the
	// rest of its rows are dropped.
	failed atomic.Bool
	err    error
	guard  Guard
}

// run encodes rows until the channel is closed, then closes the encoder
// and the file, also after an error, so that no file stays open.
func (s *sink) run(name string, enc Encoder, file *countingFile, abort *atomic.Bool) {
	defer close(s.done)
	defer func() {
		if v := recover(); v != nil {
			// Raised again by Close or abort, in the run's goroutine;
			// until then the writer is told, and its rows are taken.
			s.guard.keep(v, debug.Stack())
			s.fail(fmt.Errorf("%s: encoder panicked", name))
			func() {
				defer func() { _ = recover() }() // the first panic is the one kept
				abortEncoder(enc)
			}()
			file.Close()
			for range s.rows {
			}
		}
	}()
	for b := range s.rows {
		if s.err == nil {
			s.write(name, enc, b.rows)
		}
		b.done()
	}
	if abort.Load() {
		// The release is dropped: no need to complete the file, but an
		// encoder's temporary files and goroutines must go.
		abortEncoder(enc)
		file.Close()
		return
	}
	if err := enc.Close(); err != nil {
		s.fail(fmt.Errorf("%s: %w", name, err))
	}
	if err := file.Close(); err != nil {
		s.fail(fmt.Errorf("%s: %w", name, err))
	}
}

// write encodes rows. A timed encoder is timed once per batch: reading the
// clock for every row took a sixth of a microsecond.
func (s *sink) write(name string, enc Encoder, rows []Feature) {
	if te, ok := enc.(*timedEncoder); ok {
		start := time.Now()
		defer func() { te.spent += time.Since(start) }()
		enc = te.Encoder
	}
	for _, f := range rows {
		if err := enc.Write(f); err != nil {
			s.fail(fmt.Errorf("%s: %w", name, err))
			return
		}
	}
}

// abortEncoder releases what an encoder holds beyond its file, if it says
// how (Aborter).
func abortEncoder(enc Encoder) {
	if te, ok := enc.(*timedEncoder); ok {
		enc = te.Encoder
	}
	if a, ok := enc.(Aborter); ok {
		a.Abort()
	}
}

func (s *sink) fail(err error) {
	if s.err == nil {
		s.err = err
		s.failed.Store(true)
	}
}

// countingFile counts and hashes what is written to a release file, so that
// documents written later can state size and hash. A file that takes both
// itself (a Written method) is not hashed twice.
type countingFile struct {
	io.WriteCloser
	h       hash.Hash
	n       int64
	written func() (int64, string)
}

// WrittenReporter is implemented by a Publisher's files that take their size
// and SHA-256 themselves; Written is called after Close.
type WrittenReporter interface {
	Written() (bytes int64, sha256 string)
}

// ScratchDirer is implemented by a Publisher's files that come with a
// folder for the temporary files of their encoder, one that goes away with
// the release's unpublished files, even after a crash.
type ScratchDirer interface {
	ScratchDir() string
}

// ScratchDir is the folder where the encoder writing to w keeps temporary
// files: w's ScratchDir, or "" (the system's temporary folder, for
// os.CreateTemp) when w has none.
func ScratchDir(w io.Writer) string {
	if s, ok := w.(ScratchDirer); ok {
		return s.ScratchDir()
	}
	return ""
}

// ScratchDir is the scratch folder of the file, if it has one.
func (c *countingFile) ScratchDir() string { return ScratchDir(c.WriteCloser) }

func newCountingFile(w io.WriteCloser) *countingFile {
	if wr, ok := w.(WrittenReporter); ok {
		return &countingFile{WriteCloser: w, written: wr.Written}
	}
	return &countingFile{WriteCloser: w, h: sha256.New()}
}

func (c *countingFile) Write(p []byte) (int, error) {
	n, err := c.WriteCloser.Write(p)
	if c.h != nil {
		c.h.Write(p[:n])
	}
	c.n += int64(n)
	return n, err
}

// file is the manifest entry of the written file.
func (c *countingFile) file(name string, rows int) ManifestFile {
	if c.written != nil {
		n, sum := c.written()
		return ManifestFile{Name: name, Bytes: n, SHA256: sum, Rows: rows}
	}
	return ManifestFile{Name: name, Bytes: c.n, SHA256: hex.EncodeToString(c.h.Sum(nil)), Rows: rows}
}

// fileName is the name of ds's file in format f.
func fileName(f Format, ds *Dataset) string {
	if n, ok := f.(FileNamer); ok {
		return n.FileName(ds)
	}
	return ds.Name + "." + f.Ext()
}

// open creates a file per format for ds, writes their headers and starts
// their encoders.
func (r *release) open(ds *Dataset) (*datasetWriter, error) {
	w := &datasetWriter{r: r, ds: ds, start: time.Now(), free: make(chan *rowBatch, sinkDepth+2)}
	for i, c := range ds.Columns {
		// jahr, and the years of the latest figures in the areas dataset
		// (kennzahlen_jahr, fonds_jahr).
		if c.Name == yearColumn.Name || strings.HasSuffix(c.Name, "_"+yearColumn.Name) {
			w.years = append(w.years, i)
		}
	}
	for _, f := range r.formats {
		if f.Spatial() && !ds.Spatial {
			continue
		}
		name := fileName(f, ds)
		created, err := r.pub.Create(name)
		if err != nil {
			w.closeFiles()
			return nil, err
		}
		file := newCountingFile(created)
		enc, err := f.NewEncoder(file, ds)
		if err != nil {
			file.Close()
			w.closeFiles()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if r.stage != nil {
			enc = &timedEncoder{Encoder: enc}
		}
		w.names = append(w.names, name)
		w.files = append(w.files, file)
		w.encs = append(w.encs, enc)
	}
	for i, enc := range w.encs {
		s := &sink{rows: make(chan *rowBatch, sinkDepth), done: make(chan struct{})}
		w.sinks = append(w.sinks, s)
		go s.run(w.names[i], enc, w.files[i], &r.aborted)
	}
	r.writers = append(r.writers, w)
	return w, nil
}

// closeFiles closes the files of a writer whose encoders never started.
func (w *datasetWriter) closeFiles() {
	for _, f := range w.files {
		f.Close()
	}
}

// Write hands one row to every file's encoder. It returns the first error
// of an encoder, which may be of an earlier row.
func (w *datasetWriter) Write(f Feature) error {
	for _, s := range w.sinks {
		if s.failed.Load() {
			return s.err
		}
	}
	if w.batch == nil {
		w.batch = w.newBatch()
	}
	w.batch.rows = append(w.batch.rows, f)
	if len(w.batch.rows) == batchRows {
		w.send()
	}
	for _, i := range w.years {
		if y, ok := f.Values[i].(int64); ok {
			widen(&w.first, &w.last, int(y))
		}
	}
	w.n++
	return nil
}

// values returns an empty slice with room for n values, for the Values of
// the next row written: it lives in the batch of that row and is reused
// once every encoder has written the row.
func (w *datasetWriter) values(n int) []any {
	if w.batch == nil {
		w.batch = w.newBatch()
	}
	b := w.batch
	if cap(b.vals)-len(b.vals) < n {
		// The rows already in the batch keep the old arena.
		b.vals = make([]any, 0, max(batchRows*n, 2*cap(b.vals)))
	}
	start := len(b.vals)
	b.vals = b.vals[:start+n]
	return b.vals[start : start : start+n]
}

// newBatch returns a batch the encoders are done with, or a new one.
func (w *datasetWriter) newBatch() *rowBatch {
	select {
	case b := <-w.free:
		clear(b.rows)
		b.rows, b.vals = b.rows[:0], b.vals[:0]
		return b
	default:
		return &rowBatch{rows: make([]Feature, 0, batchRows), home: w.free}
	}
}

// send hands the batch to every encoder.
func (w *datasetWriter) send() {
	b := w.batch
	if b == nil || len(b.rows) == 0 {
		return
	}
	b.pending.Store(int32(len(w.sinks)))
	for _, s := range w.sinks {
		s.rows <- b
	}
	w.batch = nil
}

// end hands the last rows to the encoders, which then complete their files.
// Unlike Close it may be called from the goroutine that wrote the rows.
func (w *datasetWriter) end() {
	if w.ended {
		return
	}
	w.ended = true
	w.send()
	for _, s := range w.sinks {
		close(s.rows)
	}
}

// abort ends the encoders without completing their files; a panic of one
// is left to release.repanic.
func (w *datasetWriter) abort() {
	if w.closed {
		return
	}
	w.closed = true
	w.r.aborted.Store(true)
	w.batch = nil
	w.end()
	for _, s := range w.sinks {
		<-s.done
	}
}

// widen widens the span of years first..last (0 when empty) by y.
func widen(first, last *int, y int) {
	if *first == 0 || y < *first {
		*first = y
	}
	if y > *last {
		*last = y
	}
}

// Close waits for every file to be complete and records its row count.
func (w *datasetWriter) Close() error {
	if w.closed {
		return fmt.Errorf("pipeline: dataset %q closed twice", w.ds.Name)
	}
	w.end()
	var err error
	for _, s := range w.sinks {
		<-s.done
		if err == nil {
			err = s.err
		}
	}
	w.closed = true
	for _, s := range w.sinks {
		s.guard.Repanic()
	}
	if err != nil {
		return err
	}
	for i, e := range w.encs {
		w.r.rows[w.names[i]] = w.n
		if te, ok := e.(*timedEncoder); ok {
			w.r.stage(Stage{Step: StepEncode, Name: w.names[i], Rows: w.n, Duration: te.spent, Dataset: w.ds.Name})
		}
	}
	if w.first != 0 { // rows that name a year
		widen(&w.r.first, &w.r.last, w.first)
		widen(&w.r.first, &w.r.last, w.last)
	}
	pd := PublishedDataset{Dataset: w.ds, Rows: w.n, FirstYear: w.first, LastYear: w.last}
	for i, f := range w.files {
		pd.Files = append(pd.Files, f.file(w.names[i], w.n))
	}
	w.r.datasets = append(w.r.datasets, pd)
	return nil
}

// writing is datasets being written by start, or opened by begin and fed
// one by one.
type writing struct {
	r    *release
	ws   []*datasetWriter
	errs []error
	fed  []bool
	wg   sync.WaitGroup
	g    Guard
	err  error // of opening a writer
	done bool
	// stopped tells the feeding goroutines to stop: the release is dropped.
	stopped atomic.Bool
	// mu guards fedAll and completing between complete and the feeding
	// goroutines: whichever comes last ends a dataset.
	mu         sync.Mutex
	fedAll     []bool
	completing bool
}

// start begins writing whole datasets, each fed by a goroutine of its own;
// wait completes them. wait must be called before the release is aborted.
func (r *release) start(sets []datasetRows) *writing {
	dss := make([]*Dataset, len(sets))
	for i, d := range sets {
		dss[i] = d.ds
	}
	wr := r.begin(dss...)
	if wr.err == nil {
		for i, d := range sets {
			wr.feedRows(i, d.rows, true)
		}
	}
	return wr
}

// begin opens datasets whose rows are not known yet: their files are
// created and their encoders wait for feed. Their files are in the release
// in the order given, whenever they are fed. end or wait must be called
// before the release is aborted, as for start.
func (r *release) begin(dss ...*Dataset) *writing {
	wr := &writing{r: r, errs: make([]error, len(dss)), fed: make([]bool, len(dss)), fedAll: make([]bool, len(dss))}
	for _, ds := range dss {
		w, err := r.open(ds)
		if err != nil {
			wr.err = err
			return wr
		}
		wr.ws = append(wr.ws, w)
	}
	return wr
}

// feed starts writing the rows of the i-th dataset in a goroutine of its
// own. It may be called in any goroutine, once per dataset, before wait or
// end; a dataset never fed may only be dropped. Its encoders get every row
// but complete their files only after complete or in wait: a run may still
// turn out invalid.
func (wr *writing) feed(i int, rows func(values func(n int) []any) iter.Seq[Feature]) {
	wr.feedRows(i, rows, false)
}

// feedRows feeds the i-th dataset, ending it after the last row if end is
// set.
func (wr *writing) feedRows(i int, rows func(values func(n int) []any) iter.Seq[Feature], end bool) {
	wr.fed[i] = true
	w := wr.ws[i]
	w.start = time.Now()
	wr.wg.Go(func() {
		defer wr.g.Recover()
		defer func() {
			wr.mu.Lock()
			defer wr.mu.Unlock()
			wr.fedAll[i] = true
			if end || wr.completing {
				w.end()
			} else {
				w.send() // the last rows too, without ending
			}
		}()
		for f := range rows(w.values) {
			if wr.stopped.Load() {
				break
			}
			if wr.errs[i] = w.Write(f); wr.errs[i] != nil {
				break
			}
		}
	})
}

// complete lets the encoders of every dataset complete their files once its
// rows are fed, without waiting for them: the run is known to be valid, and
// the files need not wait for wait. wait still waits for them and tells
// their stages.
func (wr *writing) complete() {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	wr.completing = true
	for i, w := range wr.ws {
		if wr.fedAll[i] {
			w.end()
		}
	}
}

// end waits for the datasets, if wait has not, after stopping them when the
// release is dropped: a deferred call, so that no goroutine feeds a writer
// that the release's abort closes. Its error is the run's to ignore.
func (wr *writing) end(dropped bool) {
	if wr.done {
		return
	}
	if dropped {
		wr.stopped.Store(true)
	}
	_ = wr.wait()
}

// wait waits until every file of the datasets is complete and tells the
// stage of each in the order given; it returns the first error. Only the
// first call waits.
func (wr *writing) wait() error {
	if wr.done {
		return nil
	}
	wr.done = true
	if wr.err != nil {
		return wr.err
	}
	wr.wg.Wait()
	wr.g.Repanic()
	if wr.stopped.Load() {
		for _, w := range wr.ws {
			w.abort()
		}
		return nil
	}
	if i := slices.Index(wr.fed, false); i >= 0 {
		for _, w := range wr.ws {
			w.abort()
		}
		return fmt.Errorf("dataset %s: no rows were given to write", wr.ws[i].ds.Name)
	}
	for i, w := range wr.ws {
		err := w.Close()
		if wr.errs[i] != nil {
			err = wr.errs[i]
		}
		if err != nil {
			return err
		}
		if wr.r.stage != nil {
			wr.r.stage(Stage{Step: StepWrite, Name: w.ds.Name, Rows: w.n, Duration: time.Since(w.start)})
		}
	}
	return nil
}

// datasetRows is a dataset and all its rows. rows may build each row's
// Values in space from values(n), which is reused once the row is written.
type datasetRows struct {
	ds   *Dataset
	rows func(values func(n int) []any) iter.Seq[Feature]
}

// allRows is rows that need no space: they are all in memory already.
func allRows(rows []Feature) func(func(int) []any) iter.Seq[Feature] {
	return func(func(int) []any) iter.Seq[Feature] { return slices.Values(rows) }
}

// abort stops the encoders of every dataset still open, so that no
// goroutine or file outlives a failed run. An encoder's panic is kept for
// repanic.
func (r *release) abort() {
	for _, w := range r.writers {
		w.abort()
	}
}

// repanic raises the panic of an encoder, if one panicked.
func (r *release) repanic() {
	for _, w := range r.writers {
		for _, s := range w.sinks {
			s.guard.Repanic()
		}
	}
}

// info describes the datasets written so far for the documents; bound is
// areasBound(areas).
func (r *release) info(runID string, t time.Time, about About, areasDS *Dataset, areas []Feature, bound orb.Bound) *ReleaseInfo {
	rel := &ReleaseInfo{RunID: runID, Time: t, About: about, FirstYear: r.first, LastYear: r.last,
		Areas: areas, AreaDataset: areasDS, Bound: bound}
	rel.Datasets = append(rel.Datasets, r.datasets...)
	sort.Slice(rel.Datasets, func(i, j int) bool { return rel.Datasets[i].Name < rel.Datasets[j].Name })
	return rel
}

// areasBound is the bound of the areas' geometries, empty without any.
func areasBound(areas []Feature) orb.Bound {
	var bound orb.Bound
	first := true
	for _, a := range areas {
		if a.Geometry == nil {
			continue
		}
		if b := a.Geometry.Bound(); first {
			bound, first = b, false
		} else {
			bound = bound.Union(b)
		}
	}
	return bound
}

// document writes one document of the release.
func (r *release) document(d Document, rel *ReleaseInfo) error {
	start := time.Now()
	name := d.Name()
	created, err := r.pub.Create(name)
	if err != nil {
		return err
	}
	file := newCountingFile(created)
	if err := d.Write(file, rel); err != nil {
		file.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	r.rows[name] = 0
	rel.Documents = append(rel.Documents, file.file(name, 0))
	if r.stage != nil {
		r.stage(Stage{Step: StepDocument, Name: name, Duration: time.Since(start)})
	}
	return nil
}

// files lists the written files with their row counts, sorted by name; the
// publisher adds sizes and hashes.
func (r *release) files() []ManifestFile {
	out := make([]ManifestFile, 0, len(r.rows))
	for name, n := range r.rows {
		out = append(out, ManifestFile{Name: name, Rows: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
