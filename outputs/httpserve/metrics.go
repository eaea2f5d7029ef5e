package httpserve

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"aktionsplan/pipeline"
)

// The names of the metrics.
const (
	metricRuns        = "aktionsplan_runs_total"
	metricDuration    = "aktionsplan_run_duration_seconds"
	metricLastSuccess = "aktionsplan_last_success_timestamp_seconds"
	metricRows        = "aktionsplan_published_rows"
	metricErrors      = "aktionsplan_last_run_errors"
	metricWarnings    = "aktionsplan_last_run_warnings"
)

// durationBuckets are the upper bounds of the run duration histogram, in
// seconds: a run takes seconds, a slow source may make it minutes.
var durationBuckets = []float64{1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600}

// endedStatuses are the statuses a run can end with; their counters start at
// 0, so that rate() and increase() see the first run of each.
var endedStatuses = []string{
	pipeline.StatusPublished, pipeline.StatusUnchanged, pipeline.StatusInvalid,
	pipeline.StatusFailed, pipeline.StatusSkipped, pipeline.StatusRollback,
}

// successStatuses are the runs that did their job: the published data is
// that of the inputs.
var successStatuses = []string{pipeline.StatusPublished, pipeline.StatusUnchanged}

// checkedStatuses are the runs that (tried to) read and check the inputs,
// whose errors and warnings say something; a skipped run or a rollback
// leaves the gauges of the last check as they are.
var checkedStatuses = []string{pipeline.StatusPublished, pipeline.StatusUnchanged, pipeline.StatusInvalid, pipeline.StatusFailed}

// metrics are the server's own Prometheus collectors in a registry of their
// own: nothing of the process or of other packages is mixed in.
type metrics struct {
	reg         *prometheus.Registry
	runs        *prometheus.CounterVec
	duration    prometheus.Histogram
	lastSuccess prometheus.Gauge
	rows        *prometheus.GaugeVec
	errors      prometheus.Gauge
	warnings    prometheus.Gauge

	mu   sync.Mutex
	last time.Time // of the last success, which never goes back
	// shown says which gauges are registered: a gauge that is not known
	// yet (no success since the history began) is left out, not shown as 0.
	shown map[prometheus.Collector]bool
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: metricRuns,
			Help: "Runs ended since the server started, by status."}, []string{"status"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: metricDuration,
			Help: "Duration of the runs that read their inputs, in seconds.", Buckets: durationBuckets}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Name: metricLastSuccess,
			Help: "End of the last run that published or found its inputs unchanged, in Unix seconds."}),
		rows: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: metricRows,
			Help: "Rows per file of the last published run."}, []string{"file"}),
		errors: prometheus.NewGauge(prometheus.GaugeOpts{Name: metricErrors,
			Help: "Errors found in the inputs by the last run that checked them."}),
		warnings: prometheus.NewGauge(prometheus.GaugeOpts{Name: metricWarnings,
			Help: "Warnings found in the inputs by the last run that checked them."}),
	}
	m.reg.MustRegister(m.runs, m.duration, m.rows)
	m.shown = map[prometheus.Collector]bool{}
	for _, st := range endedStatuses {
		m.runs.WithLabelValues(st) // start at 0, so that rate() sees the first run
	}
	return m
}

// observe counts a run that ended and sets the gauges from it.
func (m *metrics) observe(r pipeline.RunRecord) {
	if r.Status == "" || r.Status == pipeline.StatusRunning {
		return
	}
	m.runs.WithLabelValues(r.Status).Inc()
	// Skipped runs and rollbacks do no work; their few milliseconds would
	// only bend the histogram.
	if r.Status != pipeline.StatusSkipped && r.Status != pipeline.StatusRollback && !r.Start.IsZero() && !r.End.Before(r.Start) {
		m.duration.Observe(r.End.Sub(r.Start).Seconds())
	}
	m.setGauges(r)
}

// setGauges sets the gauges that r speaks about. Records must come oldest
// first; only the time of the last success never goes back.
func (m *metrics) setGauges(r pipeline.RunRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if slices.Contains(successStatuses, r.Status) {
		end := r.End
		if end.IsZero() {
			end = r.Start
		}
		if end.After(m.last) {
			m.last = end
			m.lastSuccess.Set(float64(end.UnixNano()) / 1e9)
			m.show(m.lastSuccess)
		}
	}
	if r.Status == pipeline.StatusPublished {
		m.rows.Reset()
		for f, n := range r.Rows {
			m.rows.WithLabelValues(f).Set(float64(n))
		}
	}
	if slices.Contains(checkedStatuses, r.Status) {
		m.errors.Set(float64(r.Errors))
		m.warnings.Set(float64(r.Warnings))
		m.show(m.errors)
		m.show(m.warnings)
	}
}

// show registers a gauge once it has a value.
func (m *metrics) show(c prometheus.Collector) {
	if !m.shown[c] {
		m.reg.MustRegister(c)
		m.shown[c] = true
	}
}

// seedMetrics sets the gauges from the history, so that a restart does not
// forget the last success. The counters start at zero, as counters do.
// Errors are logged: the metrics then start empty, the server still runs.
func (s *Server) seedMetrics() {
	if s.c.History == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var recs []pipeline.RunRecord
	for _, statuses := range [][]string{{pipeline.StatusPublished}, successStatuses, checkedStatuses} {
		r, ok, err := s.c.History.LastWith(ctx, statuses...)
		if err != nil {
			s.c.Logger.Error("metrics not taken from the history", "err", err)
			return
		}
		if ok {
			recs = append(recs, r)
		}
	}
	slices.SortStableFunc(recs, func(a, b pipeline.RunRecord) int { return a.Start.Compare(b.Start) })
	for _, r := range recs {
		s.metrics.setGauges(r)
	}
}

// serve answers the metrics in the Prometheus exposition format.
func (m *metrics) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}
