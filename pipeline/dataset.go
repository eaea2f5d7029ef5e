package pipeline

import (
	"io"
	"time"

	"github.com/paulmach/orb"
)

// Column describes one published column.
type Column struct {
	// Name is the machine name used in CSV headers and GeoJSON properties.
	Name string `json:"name"`
	// Title is the German header shown in XLSX.
	Title string `json:"title"`
	// Type is string, integer, number, boolean or date.
	Type        string `json:"type"`
	Unit        string `json:"unit,omitempty"`
	Description string `json:"description"`
}

// Dataset is one published table.
type Dataset struct {
	// Name is the stable file name without extension.
	Name        string
	Title       string
	Description string
	Columns     []Column
	// Spatial datasets carry a geometry per row.
	Spatial bool
	// About is shared by every dataset of a publication.
	About About
}

// About says who publishes the data, from what, and with which caveat.
type About struct {
	Publisher string
	Source    string
	// Note is shown wherever the data appears; for the shipped example it says
	// that the figures are sample data.
	Note string
}

// Feature is one published row: values in the order of the dataset's columns
// (string, int64, float64, bool, time.Time or nil) and, for spatial datasets,
// the geometry in WGS84.
type Feature struct {
	ID       string
	Values   []any
	Geometry orb.Geometry
}

// Encoder writes the rows of one dataset in one format: the header on
// creation, a row per Write, the end on Close. Close does not close the
// underlying writer.
type Encoder interface {
	Write(f Feature) error
	Close() error
}

// Format creates encoders of one file format.
type Format interface {
	// Ext is the file name extension without dot, e.g. "csv".
	Ext() string
	// Spatial formats are written only for spatial datasets.
	Spatial() bool
	// NewEncoder writes the beginning of a file for ds to w.
	NewEncoder(w io.Writer, ds *Dataset) (Encoder, error)
}

// Publisher writes the files of one release and makes it visible at once.
type Publisher interface {
	// Create opens a new file of the release.
	Create(name string) (io.WriteCloser, error)
	// Commit completes the manifest with sizes and hashes of the files and
	// the release name, writes it and makes the release current in one
	// atomic step. It returns the completed manifest.
	Commit(m Manifest) (Manifest, error)
	// Abort removes everything written; the current release stays.
	Abort() error
}

// Manifest lists what a run published and what it read.
type Manifest struct {
	RunID string `json:"run_id"`
	// Release is the folder name of the release under releases/; the
	// publisher sets it.
	Release string         `json:"release"`
	Time    time.Time      `json:"time"`
	Note    string         `json:"note,omitempty"`
	Files   []ManifestFile `json:"files"`
	Inputs  []InputFile    `json:"inputs"`
}

// ManifestFile is one published file.
type ManifestFile struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// InputFile is one input that a run read.
type InputFile struct {
	Role   string `json:"role"`
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}
