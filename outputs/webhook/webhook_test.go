package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"aktionsplan/pipeline"
)

var run = pipeline.RunRecord{
	ID: "20260301T020000Z", Trigger: pipeline.TriggerSchedule, Status: pipeline.StatusFailed,
	Start: time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 1, 2, 0, 31, 0, time.UTC),
	Inputs: []pipeline.InputFile{{Role: "fund_usage", Name: "mittelverwendung_geheim.xlsx", SHA256: "ab12cd", Rows: 12}},
	Rows:   map[string]int{"mittelverwendung.csv": 12}, Release: "2026-03-01",
	Errors: 2, Warnings: 5, ReportPath: "reports/20260301T020000Z.txt",
	Message: "Quelle https://daten.example/mittelverwendung.xlsx nicht erreichbar: HTTP 503 Service Unavailable",
}

func TestNotify(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s with Content-Type %q", r.Method, r.Header.Get("Content-Type"))
		}
		b, _ := io.ReadAll(r.Body)
		for _, s := range []string{"mittelverwendung_geheim", "ab12cd", "inputs", "rows"} {
			if strings.Contains(string(b), s) {
				t.Errorf("body %s holds %q", b, s)
			}
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Error(err)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	if err := Notify(context.Background(), srv.Client(), srv.URL+"/hooks/abc", run); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"run_id": "20260301T020000Z", "status": "failed", "trigger": "schedule",
		"start": "2026-03-01T02:00:00Z", "end": "2026-03-01T02:00:31Z",
		"errors": 2.0, "warnings": 5.0, "message": run.Message,
		"report_path": "reports/20260301T020000Z.txt",
	}
	if len(got) != len(want) {
		t.Errorf("keys %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}
}

func TestNotifyRunningHasNoEnd(t *testing.T) {
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
	}))
	defer srv.Close()
	r := run
	r.End = time.Time{}
	if err := Notify(context.Background(), nil, srv.URL, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `"end":null`) {
		t.Errorf("body %s, want end null", body)
	}
}

func TestNotifyFails(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		rejected bool
		message  string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "invalid_payload\n  try again", http.StatusBadRequest)
		}, true, `HTTP 400 Bad Request: "invalid_payload try again"`},
		{"redirect not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/anderswo", http.StatusFound)
		}, true, "HTTP 302 Found"},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			// The server sees the client go only once it has read the body.
			io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
		}, false, "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			err := Notify(ctx, srv.Client(), srv.URL+"/hooks/T000/geheim", run)
			if err == nil || errors.Is(err, ErrRejected) != tt.rejected || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("err = %v, want %q (rejected %v)", err, tt.message, tt.rejected)
			}
			if strings.Contains(err.Error(), "geheim") {
				t.Errorf("message %q names the secret path", err)
			}
		})
	}
}

func TestNotifyUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/hooks/geheim"
	srv.Close()
	err := Notify(context.Background(), nil, url, run)
	if err == nil || errors.Is(err, ErrRejected) || strings.Contains(err.Error(), "geheim") {
		t.Errorf("err = %v", err)
	}
}
