// Package report renders the validation report of a run for people and for
// machines: German text for the terminal (errors before warnings, grouped by
// file), a self-contained HTML page for the clerk who keeps the spreadsheet
// (a verdict, every problem with its cell and a hint how to fix it, capped per
// kind of problem), and JSON with stable codes and positions. It is the last
// step of a run: the command writes it beside the releases under OUT/reports
// and prints it.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"aktionsplan/pipeline"
)

// SchemaVersion is the version of the JSON structure of a Document. It grows
// only when a field is removed or changes its meaning; fields may be added
// without a new version, so readers should ignore fields they do not know.
const SchemaVersion = 1

// Document is a run's report, and its stable JSON form:
//
//	schema_version  1 (SchemaVersion)
//	run_id          the run, e.g. "20261125T043000Z"; also the release's name
//	valid           true when no issue is an error
//	errors          number of issues with severity "error"
//	warnings        number of issues with severity "warning"
//	notes           number of issues with severity "info"
//	inputs          every input read: role, name, sha256, rows
//	counts          issues per file and code: file, code, count
//	issues          every issue: code, severity, position, value, expected, message
//	release         the release published, only when one was
//	files           the files of that release: name, bytes, sha256, rows
//
// An issue's position holds file and, where known, sheet, row, column (both
// 1-based), field (the column's header), cell (the spreadsheet reference such
// as "J18") and feature (1-based, in a GeoJSON file). Codes are the constants
// of package pipeline (type-error, foreign-key, ...); severity is error,
// warning or info. Values of non-public fields are never included.
type Document struct {
	SchemaVersion int                     `json:"schema_version"`
	RunID         string                  `json:"run_id"`
	Valid         bool                    `json:"valid"`
	Errors        int                     `json:"errors"`
	Warnings      int                     `json:"warnings"`
	Notes         int                     `json:"notes"`
	Inputs        []pipeline.InputFile    `json:"inputs"`
	Counts        []pipeline.CodeCount    `json:"counts"`
	Issues        []pipeline.Issue        `json:"issues"`
	Release       string                  `json:"release,omitempty"`
	Files         []pipeline.ManifestFile `json:"files,omitempty"`
}

// NewDocument summarises a run's result.
func NewDocument(runID string, res *pipeline.Result) Document {
	rep := res.Report
	d := Document{SchemaVersion: SchemaVersion, RunID: runID, Valid: rep.Valid(),
		Errors: rep.Count(pipeline.Error), Warnings: rep.Count(pipeline.Warning), Notes: rep.Count(pipeline.Info),
		Inputs: res.Inputs, Counts: rep.Counts(), Issues: sorted(rep.Issues)}
	if d.Inputs == nil {
		d.Inputs = []pipeline.InputFile{}
	}
	if d.Issues == nil {
		d.Issues = []pipeline.Issue{}
	}
	if res.Published {
		d.Release, d.Files = res.Manifest.Release, res.Manifest.Files
	}
	return d
}

// sorted orders issues: errors first, then by file, row and column; the order
// found breaks ties, so the result is stable.
func sorted(issues []pipeline.Issue) []pipeline.Issue {
	out := append([]pipeline.Issue(nil), issues...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Severity != b.Severity {
			return rank[a.Severity] < rank[b.Severity]
		}
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Row+a.Pos.Feature != b.Pos.Row+b.Pos.Feature {
			return a.Pos.Row+a.Pos.Feature < b.Pos.Row+b.Pos.Feature
		}
		return a.Pos.Column < b.Pos.Column
	})
	return out
}

// rank orders severities: errors, warnings, then notes.
var rank = map[pipeline.Severity]int{pipeline.Error: 0, pipeline.Warning: 1, pipeline.Info: 2}

// WriteJSON writes the document as indented JSON.
func WriteJSON(w io.Writer, d Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(d)
}

// WriteText writes the issues for people, at most limit of them (0: all),
// and a line with the totals.
func WriteText(w io.Writer, d Document, limit int) error {
	ew := &errWriter{w: w}
	for i, is := range d.Issues {
		if limit > 0 && i == limit {
			ew.printf("… und %d weitere (vollständig im Bericht)\n", len(d.Issues)-limit)
			break
		}
		ew.printf("%s\n", is)
	}
	if d.Valid {
		ew.printf("Prüfung bestanden: %d Fehler, %d Warnungen.\n", d.Errors, d.Warnings)
	} else {
		ew.printf("Prüfung nicht bestanden: %d Fehler, %d Warnungen. Es wurde nichts Neues veröffentlicht.\n", d.Errors, d.Warnings)
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
