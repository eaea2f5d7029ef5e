package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"
	"time"
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
}

// datasetWriter writes one dataset to a file per format at once, so that a
// streamed table is read only once.
type datasetWriter struct {
	r     *release
	ds    *Dataset
	names []string
	files []*countingFile
	encs  []Encoder
	n     int
	// years are the indexes of the dataset's year columns; first and last
	// the span of years its rows name.
	years       []int
	first, last int
}

// countingFile counts and hashes what is written to a release file, so that
// documents written later can state size and hash.
type countingFile struct {
	io.WriteCloser
	h hash.Hash
	n int64
}

func newCountingFile(w io.WriteCloser) *countingFile {
	return &countingFile{WriteCloser: w, h: sha256.New()}
}

func (c *countingFile) Write(p []byte) (int, error) {
	n, err := c.WriteCloser.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

// file is the manifest entry of the written file.
func (c *countingFile) file(name string, rows int) ManifestFile {
	return ManifestFile{Name: name, Bytes: c.n, SHA256: hex.EncodeToString(c.h.Sum(nil)), Rows: rows}
}

// fileName is the name of ds's file in format f.
func fileName(f Format, ds *Dataset) string {
	if n, ok := f.(FileNamer); ok {
		return n.FileName(ds)
	}
	return ds.Name + "." + f.Ext()
}

// open creates a file per format for ds and writes their headers.
func (r *release) open(ds *Dataset) (*datasetWriter, error) {
	w := &datasetWriter{r: r, ds: ds}
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
			return nil, err
		}
		file := newCountingFile(created)
		enc, err := f.NewEncoder(file, ds)
		if err != nil {
			file.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if r.stage != nil {
			enc = &timedEncoder{Encoder: enc}
		}
		w.names = append(w.names, name)
		w.files = append(w.files, file)
		w.encs = append(w.encs, enc)
	}
	return w, nil
}

// Write writes one row to every file.
func (w *datasetWriter) Write(f Feature) error {
	for i, e := range w.encs {
		if err := e.Write(f); err != nil {
			return fmt.Errorf("%s: %w", w.names[i], err)
		}
	}
	for _, i := range w.years {
		if y, ok := f.Values[i].(int64); ok {
			widen(&w.first, &w.last, int(y))
			widen(&w.r.first, &w.r.last, int(y))
		}
	}
	w.n++
	return nil
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

// Close ends every file and records its row count.
func (w *datasetWriter) Close() error {
	for i, e := range w.encs {
		if err := e.Close(); err != nil {
			return fmt.Errorf("%s: %w", w.names[i], err)
		}
		if err := w.files[i].Close(); err != nil {
			return fmt.Errorf("%s: %w", w.names[i], err)
		}
		w.r.rows[w.names[i]] = w.n
		if te, ok := e.(*timedEncoder); ok {
			w.r.stage(Stage{Step: StepEncode, Name: w.names[i], Rows: w.n, Duration: te.spent, Dataset: w.ds.Name})
		}
	}
	pd := PublishedDataset{Dataset: w.ds, Rows: w.n, FirstYear: w.first, LastYear: w.last}
	for i, f := range w.files {
		pd.Files = append(pd.Files, f.file(w.names[i], w.n))
	}
	w.r.datasets = append(w.r.datasets, pd)
	return nil
}

// write writes a whole dataset.
func (r *release) write(ds *Dataset, rows []Feature) error {
	start := time.Now()
	w, err := r.open(ds)
	if err != nil {
		return err
	}
	for _, f := range rows {
		if err := w.Write(f); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if r.stage != nil {
		r.stage(Stage{Step: StepWrite, Name: ds.Name, Rows: len(rows), Duration: time.Since(start)})
	}
	return nil
}

// info describes the datasets written so far for the documents.
func (r *release) info(runID string, t time.Time, about About, areasDS *Dataset, areas []Feature) *ReleaseInfo {
	rel := &ReleaseInfo{RunID: runID, Time: t, About: about, FirstYear: r.first, LastYear: r.last,
		Areas: areas, AreaDataset: areasDS}
	rel.Datasets = append(rel.Datasets, r.datasets...)
	sort.Slice(rel.Datasets, func(i, j int) bool { return rel.Datasets[i].Name < rel.Datasets[j].Name })
	first := true
	for _, a := range areas {
		if a.Geometry == nil {
			continue
		}
		if b := a.Geometry.Bound(); first {
			rel.Bound, first = b, false
		} else {
			rel.Bound = rel.Bound.Union(b)
		}
	}
	return rel
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
