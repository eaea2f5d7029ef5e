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
	// Constraints hold for every published value of the column; metadata
	// (the data package's Table Schema) states them.
	Constraints Constraints `json:"constraints,omitzero"`
}

// Constraints are the Table Schema constraints of a published column.
type Constraints struct {
	Required bool     `json:"required,omitempty"`
	Unique   bool     `json:"unique,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	// Minimum and Maximum bound numbers and integers; nil is unbounded.
	Minimum *float64 `json:"minimum,omitempty"`
	Maximum *float64 `json:"maximum,omitempty"`
	// Pattern is a regular expression the whole text matches.
	Pattern string `json:"pattern,omitempty"`
}

// ForeignKey says that the values of Fields name a row of another dataset.
type ForeignKey struct {
	Fields []string
	// Resource is the referenced dataset's Name; Reference its key fields.
	Resource  string
	Reference []string
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
	// PrimaryKey names the columns that identify a row; ForeignKeys the
	// columns that point at rows of other datasets.
	PrimaryKey  []string
	ForeignKeys []ForeignKey
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
	// Portal says how the release is described for an open data portal.
	Portal Portal
}

// Portal is what open data metadata (DCAT-AP.de, the data package, the
// release page) say beyond the datasets themselves.
type Portal struct {
	// Title of the whole publication (the catalog).
	Title string
	// BaseURL is the public URL under which the folders current/ and
	// releases/ of OUT are reachable, ending in "/": a file of the current
	// release is at BaseURL + "current/" + name.
	BaseURL string
	// License is a URI of the dcat-ap.de licence vocabulary, LicenseTitle
	// its name and LicenseURL the licence text for people.
	License, LicenseTitle, LicenseURL string
	// Attribution is the text users name when they reuse the data
	// (dcatde:licenseAttributionByText).
	Attribution string
	// ContactName, ContactEmail and ContactURL reach whoever answers
	// questions about the data; an email or a URL is required.
	ContactName, ContactEmail, ContactURL string
	// PublisherURL identifies the publisher; may be empty.
	PublisherURL string
	// PoliticalGeocodingURI and ContributorID are DCAT-AP.de properties
	// written only when configured.
	PoliticalGeocodingURI, ContributorID string
	// Keywords describe every dataset.
	Keywords []string
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
// underlying writer. A run calls Write and Close of one encoder from one
// goroutine, but runs the encoders of all files at once, handing each the
// same Features: an encoder must not change a Feature, and encoders must not
// share state without a lock. An encoder must not keep a Feature's Values
// slice after Write returns (its values it may keep): the run reuses it.
type Encoder interface {
	Write(f Feature) error
	Close() error
}

// Aborter is implemented by encoders that hold more than their writer
// (temporary files, goroutines): Abort releases all of it without completing
// the file, for a release that is dropped. Close is not called after it.
type Aborter interface {
	Abort()
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

// FileNamer is implemented by a Format whose file for a dataset is not
// named by the dataset's Name and the Format's Ext, e.g. a second GeoJSON
// in another CRS.
type FileNamer interface {
	FileName(ds *Dataset) string
}

// Document is a file that describes a whole release: metadata for a portal,
// a page for people. Documents are written after every dataset, in the order
// given, so they can state the sizes and hashes of the data files and of
// the documents before them.
type Document interface {
	// Name is the file name in the release.
	Name() string
	// Write writes the document for rel to w.
	Write(w io.Writer, rel *ReleaseInfo) error
}

// ReleaseInfo is what Documents describe: one release with its datasets.
type ReleaseInfo struct {
	RunID string
	// Time is the run time, as in the manifest.
	Time  time.Time
	About About
	// Datasets in the order they are published, each with its files.
	Datasets []PublishedDataset
	// Documents written before this one.
	Documents []ManifestFile
	// FirstYear and LastYear are the first and the last year that any
	// published row names (0 when none).
	FirstYear, LastYear int
	// Bound encloses every area, in WGS84.
	Bound orb.Bound
	// Areas are the rows of the spatial areas dataset, with geometry,
	// sorted by code; AreaDataset describes their values.
	Areas       []Feature
	AreaDataset *Dataset
}

// PublishedDataset is a dataset with the files written for it.
type PublishedDataset struct {
	*Dataset
	// Files has one entry per format, with size and SHA-256.
	Files []ManifestFile
	// Rows is the number of rows written.
	Rows int
	// FirstYear and LastYear are the span of years its rows name (0 when
	// none).
	FirstYear, LastYear int
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
