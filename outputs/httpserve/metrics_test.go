package httpserve_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/pipeline"
)

func TestMetrics(t *testing.T) {
	f := newFixture(t, httpserve.Config{})
	resp, body := f.do(t, "GET", "/metrics")
	wantStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4; charset=utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	for _, line := range []string{
		`aktionsplan_runs_total{status="published"} 0`,
		`aktionsplan_run_duration_seconds_count 0`,
	} {
		if !strings.Contains(string(body), line+"\n") {
			t.Errorf("before any run, no line %q in\n%s", line, body)
		}
	}
	if strings.Contains(string(body), "aktionsplan_last_success_timestamp_seconds") {
		t.Errorf("a last success before any run:\n%s", body)
	}

	t0 := time.Unix(1772330400, 0).UTC()
	for _, r := range []pipeline.RunRecord{
		{ID: "a", Status: pipeline.StatusRunning, Start: t0},
		{ID: "a", Status: pipeline.StatusPublished, Start: t0, End: t0.Add(42 * time.Second),
			Rows: map[string]int{"kennzahlen.csv": 80, `seltsam"name.csv`: 1}, Warnings: 3},
		{ID: "b", Status: pipeline.StatusInvalid, Start: t0.Add(time.Hour), End: t0.Add(time.Hour + 3*time.Second), Errors: 5, Warnings: 1},
		{ID: "c", Status: pipeline.StatusSkipped, Start: t0.Add(2 * time.Hour), End: t0.Add(2 * time.Hour)},
	} {
		f.srv.Observe(r)
	}
	_, body = f.do(t, "GET", "/metrics")
	for _, line := range []string{
		"# TYPE aktionsplan_runs_total counter",
		`aktionsplan_runs_total{status="published"} 1`,
		`aktionsplan_runs_total{status="invalid"} 1`,
		`aktionsplan_runs_total{status="skipped"} 1`,
		`aktionsplan_runs_total{status="failed"} 0`,
		"# TYPE aktionsplan_run_duration_seconds histogram",
		`aktionsplan_run_duration_seconds_bucket{le="2.5"} 0`,
		`aktionsplan_run_duration_seconds_bucket{le="5"} 1`,
		`aktionsplan_run_duration_seconds_bucket{le="60"} 2`,
		`aktionsplan_run_duration_seconds_bucket{le="+Inf"} 2`,
		"aktionsplan_run_duration_seconds_sum 45",
		"aktionsplan_run_duration_seconds_count 2",
		"# TYPE aktionsplan_last_success_timestamp_seconds gauge",
		"aktionsplan_last_success_timestamp_seconds 1.772330442e+09",
		`aktionsplan_published_rows{file="kennzahlen.csv"} 80`,
		`aktionsplan_published_rows{file="seltsam\"name.csv"} 1`,
		"aktionsplan_last_run_errors 5",
		"aktionsplan_last_run_warnings 1",
	} {
		if !strings.Contains(string(body), line+"\n") {
			t.Errorf("no line %q in\n%s", line, body)
		}
	}
	if strings.Contains(string(body), "running") {
		t.Errorf("a running run was counted:\n%s", body)
	}
}

// TestMetricsFromHistory checks that the gauges survive a restart.
func TestMetricsFromHistory(t *testing.T) {
	f := newFixture(t, httpserve.Config{History: threeRuns()})
	_, body := f.do(t, "GET", "/metrics")
	for _, line := range []string{
		`aktionsplan_runs_total{status="published"} 0`,
		"aktionsplan_last_success_timestamp_seconds 1.772339442e+09",
		`aktionsplan_published_rows{file="aktionsraeume.geojson"} 12`,
		"aktionsplan_last_run_errors 5",
		"aktionsplan_last_run_warnings 1",
	} {
		if !strings.Contains(string(body), line+"\n") {
			t.Errorf("no line %q in\n%s", line, body)
		}
	}
}
