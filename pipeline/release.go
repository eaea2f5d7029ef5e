package pipeline

import (
	"fmt"
	"io"
	"sort"
)

// release writes the datasets of one run through a Publisher and counts the
// rows of every file for the manifest.
type release struct {
	pub     Publisher
	formats []Format
	rows    map[string]int
}

// datasetWriter writes one dataset to a file per format at once, so that a
// streamed table is read only once.
type datasetWriter struct {
	r     *release
	names []string
	files []io.WriteCloser
	encs  []Encoder
	n     int
}

// open creates a file per format for ds and writes their headers.
func (r *release) open(ds *Dataset) (*datasetWriter, error) {
	w := &datasetWriter{r: r}
	for _, f := range r.formats {
		if f.Spatial() && !ds.Spatial {
			continue
		}
		name := ds.Name + "." + f.Ext()
		file, err := r.pub.Create(name)
		if err != nil {
			return nil, err
		}
		enc, err := f.NewEncoder(file, ds)
		if err != nil {
			file.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
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
	w.n++
	return nil
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
	}
	return nil
}

// write writes a whole dataset.
func (r *release) write(ds *Dataset, rows []Feature) error {
	w, err := r.open(ds)
	if err != nil {
		return err
	}
	for _, f := range rows {
		if err := w.Write(f); err != nil {
			return err
		}
	}
	return w.Close()
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
