package httpserve

import (
	"bytes"
	"context"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktionsplan/pipeline"
)

// The metrics, in the Prometheus text exposition format 0.0.4. They are
// the server's own: nothing of the process or of other packages is mixed in.
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

// metrics holds what Observe learned. The zero time and nil maps mean
// "not known yet"; such gauges are left out of the exposition.
type metrics struct {
	mu       sync.Mutex
	runs     map[string]float64
	buckets  []uint64 // per bound of durationBuckets, then +Inf; not cumulative
	durSum   float64
	durCount uint64

	lastSuccess      time.Time
	rows             map[string]int
	checked          bool
	errors, warnings int
}

func newMetrics() *metrics {
	m := &metrics{runs: map[string]float64{}, buckets: make([]uint64, len(durationBuckets)+1)}
	for _, st := range endedStatuses {
		m.runs[st] = 0
	}
	return m
}

// observe counts a run that ended and sets the gauges from it.
func (m *metrics) observe(r pipeline.RunRecord) {
	if r.Status == "" || r.Status == pipeline.StatusRunning {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.runs[r.Status]++
	// Skipped runs and rollbacks do no work; their few milliseconds would
	// only bend the histogram.
	if r.Status != pipeline.StatusSkipped && r.Status != pipeline.StatusRollback && !r.Start.IsZero() && !r.End.Before(r.Start) {
		d := r.End.Sub(r.Start).Seconds()
		i, _ := slices.BinarySearch(durationBuckets, d)
		m.buckets[i]++
		m.durSum += d
		m.durCount++
	}
	m.setGauges(r)
}

// setGauges sets the gauges that r speaks about. Records must come oldest
// first; only the time of the last success never goes back.
func (m *metrics) setGauges(r pipeline.RunRecord) {
	if slices.Contains(successStatuses, r.Status) {
		end := r.End
		if end.IsZero() {
			end = r.Start
		}
		if end.After(m.lastSuccess) {
			m.lastSuccess = end
		}
	}
	if r.Status == pipeline.StatusPublished {
		m.rows = maps.Clone(r.Rows)
		if m.rows == nil {
			m.rows = map[string]int{}
		}
	}
	if slices.Contains(checkedStatuses, r.Status) {
		m.checked, m.errors, m.warnings = true, r.Errors, r.Warnings
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
	s.metrics.mu.Lock()
	defer s.metrics.mu.Unlock()
	for _, r := range recs {
		s.metrics.setGauges(r)
	}
}

// serve answers the metrics in the text format.
func (m *metrics) serve(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	m.write(&b)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

func (m *metrics) write(b *bytes.Buffer) {
	m.mu.Lock()
	defer m.mu.Unlock()

	family(b, metricRuns, "counter", "Runs ended since the server started, by status.")
	for _, st := range slices.Sorted(maps.Keys(m.runs)) {
		sample(b, metricRuns, "status", st, m.runs[st])
	}

	family(b, metricDuration, "histogram", "Duration of the runs that read their inputs, in seconds.")
	var cum uint64
	for i, n := range m.buckets {
		cum += n
		le := math.Inf(1)
		if i < len(durationBuckets) {
			le = durationBuckets[i]
		}
		sample(b, metricDuration+"_bucket", "le", formatFloat(le), float64(cum))
	}
	sample(b, metricDuration+"_sum", "", "", m.durSum)
	sample(b, metricDuration+"_count", "", "", float64(m.durCount))

	if !m.lastSuccess.IsZero() {
		family(b, metricLastSuccess, "gauge", "End of the last run that published or found its inputs unchanged, in Unix seconds.")
		sample(b, metricLastSuccess, "", "", float64(m.lastSuccess.UnixNano())/1e9)
	}
	if m.rows != nil {
		family(b, metricRows, "gauge", "Rows per file of the last published run.")
		for _, f := range slices.Sorted(maps.Keys(m.rows)) {
			sample(b, metricRows, "file", f, float64(m.rows[f]))
		}
	}
	if m.checked {
		family(b, metricErrors, "gauge", "Errors found in the inputs by the last run that checked them.")
		sample(b, metricErrors, "", "", float64(m.errors))
		family(b, metricWarnings, "gauge", "Warnings found in the inputs by the last run that checked them.")
		sample(b, metricWarnings, "", "", float64(m.warnings))
	}
}

func family(b *bytes.Buffer, name, typ, help string) {
	b.WriteString("# HELP " + name + " " + helpEscaper.Replace(help) + "\n")
	b.WriteString("# TYPE " + name + " " + typ + "\n")
}

// sample writes one line with at most one label; label "" means none.
func sample(b *bytes.Buffer, name, label, value string, v float64) {
	b.WriteString(name)
	if label != "" {
		b.WriteString("{" + label + `="` + labelEscaper.Replace(value) + `"}`)
	}
	b.WriteString(" " + formatFloat(v) + "\n")
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
