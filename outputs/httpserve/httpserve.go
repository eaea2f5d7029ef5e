// Package httpserve is the HTTP download area, a way of publishing besides
// the files themselves. It comes after the release publisher in the flow: a
// run writes a release under OUT/releases and points OUT/current at it; this
// package serves those releases read-only to browsers, web maps and
// scripts, with a German start page, the run history as JSON, a health check
// for the operator, Prometheus metrics, and one write: POST /api/runs, which
// starts a run through the scheduler and needs the token.
//
// Routes:
//
//	GET  /                             redirect to the release page
//	                                   /data/current/index.html; the status
//	                                   page while no release has one
//	GET  /status                       status page: current files, releases, last runs
//	GET  /data/current/<file>          a file of the current release
//	GET  /data/releases/<id>/<file>    a file of one release (never changes)
//	GET  /api/runs[?limit=n]           the run history, newest first
//	GET  /api/runs/<id>                one run with its JSON report
//	POST /api/runs                     start a run (Authorization: Bearer)
//	GET  /healthz                      200 "ok" or 503 with the reason
//	GET  /metrics                      Prometheus text format
//
// GET includes HEAD; the data routes also answer CORS preflights (OPTIONS).
// Only the files inside OUT/releases/<id>/ can be reached, never the rest of
// OUT: files are opened through an os.Root, which refuses ".." and symlinks
// leading out.
package httpserve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"aktionsplan/pipeline"
)

// ErrBusy is what Config.Trigger returns, wrapped or joined, when a run is
// going: POST /api/runs then answers 409 Conflict.
var ErrBusy = errors.New("httpserve: a run is already going")

// Config is what a Server serves and whom it asks.
type Config struct {
	// Out is the output folder: releases/, current and reports/ are read
	// from there. It may be empty or missing until the first release.
	Out string
	// History lists the runs. Nil: the run endpoints answer an empty list,
	// and 404 for every id.
	History pipeline.History
	// Trigger starts a run now with the given trigger
	// (pipeline.TriggerManual) and returns its id without waiting for it to
	// end. It returns an error wrapping ErrBusy when a run is going. Nil:
	// POST /api/runs is off (403).
	Trigger func(trigger string) (runID string, err error)
	// Health says whether the service works and, if not, why. Nil: always
	// ok.
	Health func(ctx context.Context) (ok bool, reason string)
	// Token is the bearer token POST /api/runs requires. Empty: POST
	// /api/runs is off (403).
	Token string
	// Title heads the start page; empty: "Aktionsplan Soziale Stadt".
	Title string
	// Logger receives server errors and 5xx answers, not every request.
	// Nil: nothing is logged.
	Logger *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// ReadHeaderTimeout is how long HTTPServer's server waits for the
	// headers of a request before it closes the connection, so that a
	// client sending them slowly cannot hold it; zero: 5 s.
	ReadHeaderTimeout time.Duration
}

// Names in the output folder, as package release and the command write them.
const (
	releasesDir  = "releases"
	reportsDir   = "reports"
	manifestName = "manifest.json"
)

// minTokenLen is the length below which a token is easy to guess; New warns.
const minTokenLen = 16

// Server serves one output folder. It is safe for concurrent use.
type Server struct {
	c        Config
	releases string // OUT/releases
	reports  string // OUT/reports
	loc      *time.Location
	handler  http.Handler
	metrics  *metrics
	sums     sumCache
	// unhealthy remembers the last health answer, so that only changes
	// are logged, not every probe.
	unhealthy atomic.Bool
}

// New checks c and returns a Server. When c.History is set, the gauges of
// the metrics start from the runs it recorded, so that a restart does not
// lose the time of the last success.
func New(c Config) (*Server, error) {
	if c.Out == "" {
		return nil, errors.New("httpserve: no output folder")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 5 * time.Second
	}
	if c.Title == "" {
		c.Title = "Aktionsplan Soziale Stadt"
	}
	if c.Token != "" && len(c.Token) < minTokenLen {
		c.Logger.Warn("the token for POST /api/runs is short and easy to guess", "length", len(c.Token), "recommended", minTokenLen)
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC
	}
	s := &Server{
		c:        c,
		releases: filepath.Join(c.Out, releasesDir),
		reports:  filepath.Join(c.Out, reportsDir),
		loc:      loc,
		metrics:  newMetrics(),
	}
	s.seedMetrics()
	s.handler = s.routes()
	return s, nil
}

// Handler returns the handler of all routes.
func (s *Server) Handler() http.Handler { return s.handler }

// HTTPServer returns an http.Server for addr with timeouts fit for the
// internet: a slow client cannot hold a connection by dribbling headers, and
// a large download may take five minutes.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: s.c.ReadHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.c.Logger.Handler(), slog.LevelError),
	}
}

// Observe updates the metrics with a run that ended. Records of running
// runs are ignored.
func (s *Server) Observe(r pipeline.RunRecord) { s.metrics.observe(r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /status", s.page)
	mux.HandleFunc("GET /data/current/{name}", s.current)
	mux.HandleFunc("GET /data/releases/{id}/{name}", s.release)
	mux.HandleFunc("OPTIONS /data/current/{name}", preflight)
	mux.HandleFunc("OPTIONS /data/releases/{id}/{name}", preflight)
	mux.HandleFunc("GET /api/runs", s.listRuns)
	mux.HandleFunc("POST /api/runs", s.triggerRun)
	mux.HandleFunc("GET /api/runs/{id}", s.getRun)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metrics.serve)
	return guard(mux)
}

// guard refuses paths with dot segments, empty segments or backslashes
// with 400, before the mux would redirect them to their clean form. The
// check is on the decoded path, so %2e%2e and %2f are caught too.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if !cleanPath(r.URL.Path) {
			http.Error(w, "Ungültiger Pfad", http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		last := i == len(segs)-1
		if seg == "." || seg == ".." || (seg == "" && !last) {
			return false
		}
	}
	return true
}

// healthz answers 200 "ok" while Config.Health says so, else 503 with the
// reason. Only changes of the answer are logged: a probe every few seconds
// would fill the log.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ok, reason := true, ""
	if s.c.Health != nil {
		ok, reason = s.c.Health(r.Context())
	}
	if was := s.unhealthy.Swap(!ok); was != !ok {
		if ok {
			s.c.Logger.Info("healthy again")
		} else {
			s.c.Logger.Error("unhealthy", "reason", reason)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !ok {
		if reason == "" {
			reason = "unhealthy"
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, reason)
		return
	}
	fmt.Fprintln(w, "ok")
}

// serverError logs err and answers 500 without telling the client more.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.c.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "Interner Fehler", http.StatusInternalServerError)
}

// apiError is the body of every error answer of /api.
type apiError struct {
	Error string `json:"error"`
}

// writeJSON answers v as JSON with the status code.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, code int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// apiServerError logs err and answers 500 as JSON.
func (s *Server) apiServerError(w http.ResponseWriter, r *http.Request, err error) {
	s.c.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.writeJSON(w, r, http.StatusInternalServerError, apiError{"internal error"})
}
