package httpserve

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"aktionsplan/pipeline"
)

// Limits of GET /api/runs.
const (
	defaultRunLimit = 100
	maxRunLimit     = 1000
)

// maxReportBytes bounds the JSON report included in a run; a larger one is
// left out rather than held in memory.
const maxReportBytes = 64 << 20

// runList is the answer of GET /api/runs.
type runList struct {
	Runs []pipeline.RunRecord `json:"runs"`
}

// runDetail is the answer of GET /api/runs/{id}: the record and, when the
// run wrote one, its JSON report (see package report) as it is on disk.
type runDetail struct {
	pipeline.RunRecord
	Report json.RawMessage `json:"report,omitempty"`
}

// triggered is the answer of POST /api/runs.
type triggered struct {
	RunID string `json:"run_id"`
}

// listRuns answers the newest runs first, ?limit= of them (default 100,
// at most 1000).
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	limit := defaultRunLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxRunLimit {
			s.writeJSON(w, r, http.StatusBadRequest, apiError{fmt.Sprintf("limit must be a number from 1 to %d", maxRunLimit)})
			return
		}
		limit = n
	}
	runs := []pipeline.RunRecord{}
	if s.c.History != nil {
		got, err := s.c.History.List(r.Context(), limit)
		if err != nil {
			s.apiServerError(w, r, err)
			return
		}
		runs = append(runs, got...)
	}
	s.writeJSON(w, r, http.StatusOK, runList{Runs: runs})
}

// getRun answers one run with its report.
func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if s.c.History == nil || !validID(id) {
		s.writeJSON(w, r, http.StatusNotFound, apiError{"no such run"})
		return
	}
	rec, err := s.c.History.Get(r.Context(), id)
	if errors.Is(err, pipeline.ErrNoRun) {
		s.writeJSON(w, r, http.StatusNotFound, apiError{"no such run"})
		return
	}
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	d := runDetail{RunRecord: rec}
	if rec.ReportPath != "" {
		// The record's id, not the path, names the report: the path comes
		// from the database and is not trusted to stay inside OUT.
		d.Report, err = s.readReport(rec.ID)
		if err != nil {
			s.c.Logger.Error("report of a run not readable", "run", rec.ID, "err", err)
		}
	}
	s.writeJSON(w, r, http.StatusOK, d)
}

// readReport reads OUT/reports/<id>.json. A missing report is nil without
// an error.
func (s *Server) readReport(id string) (json.RawMessage, error) {
	if !validID(id) {
		return nil, fmt.Errorf("httpserve: invalid run id %q", id)
	}
	f, err := os.OpenInRoot(s.reports, id+".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("httpserve: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxReportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("httpserve: report %s: %w", id, err)
	}
	if len(b) > maxReportBytes {
		return nil, fmt.Errorf("httpserve: report %s is larger than %d bytes", id, maxReportBytes)
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("httpserve: report %s is not valid JSON", id)
	}
	return b, nil
}

// triggerRun starts a run. It is the only write, so it is the only route
// that needs the token.
func (s *Server) triggerRun(w http.ResponseWriter, r *http.Request) {
	if s.c.Token == "" || s.c.Trigger == nil {
		s.writeJSON(w, r, http.StatusForbidden, apiError{"starting runs over HTTP is off"})
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aktionsplan"`)
		s.writeJSON(w, r, http.StatusUnauthorized, apiError{"a valid bearer token is required"})
		return
	}
	id, err := s.c.Trigger(pipeline.TriggerManual)
	if errors.Is(err, ErrBusy) {
		s.writeJSON(w, r, http.StatusConflict, apiError{"a run is already going"})
		return
	}
	if err != nil {
		s.apiServerError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/runs/"+url.PathEscape(id))
	s.writeJSON(w, r, http.StatusAccepted, triggered{RunID: id})
}

// authorized reports whether the request carries the token. Both sides are
// hashed first, so the comparison takes the same time whatever the length
// of the guess.
func (s *Server) authorized(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	want := sha256.Sum256([]byte(s.c.Token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}
