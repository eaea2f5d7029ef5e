package httpserve_test

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/pipeline"
)

const token = "0123456789abcdef-test-token"

func TestListRuns(t *testing.T) {
	f := newFixture(t, httpserve.Config{History: threeRuns()})
	for _, c := range []struct {
		name, query string
		status      int
		ids         []string
	}{
		{"all", "", http.StatusOK, []string{"20260303T043000Z", "20260302T043000Z", "20260301T043000Z"}},
		{"limit", "?limit=2", http.StatusOK, []string{"20260303T043000Z", "20260302T043000Z"}},
		{"limit zero", "?limit=0", http.StatusBadRequest, nil},
		{"limit text", "?limit=zehn", http.StatusBadRequest, nil},
		{"limit too large", "?limit=100000", http.StatusBadRequest, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.do(t, "GET", "/api/runs"+c.query)
			wantStatus(t, resp, c.status)
			wantHeader(t, resp, "Content-Type", "application/json")
			if c.status != http.StatusOK {
				var e struct{ Error string }
				decode(t, body, &e)
				if e.Error == "" {
					t.Errorf("no error message in %s", body)
				}
				return
			}
			var got struct{ Runs []pipeline.RunRecord }
			decode(t, body, &got)
			var ids []string
			for _, r := range got.Runs {
				ids = append(ids, r.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(c.ids) {
				t.Errorf("runs %v, want %v", ids, c.ids)
			}
		})
	}

	empty := newFixture(t, httpserve.Config{})
	resp, body := empty.do(t, "GET", "/api/runs")
	wantStatus(t, resp, http.StatusOK)
	if strings.Join(strings.Fields(string(body)), "") != `{"runs":[]}` {
		t.Errorf("without a history: %s", body)
	}
}

func TestGetRun(t *testing.T) {
	f := newFixture(t, httpserve.Config{History: threeRuns()})
	must(t, os.MkdirAll(filepath.Join(f.out, "reports"), 0o755))
	must(t, os.WriteFile(filepath.Join(f.out, "reports", "20260301T043000Z.json"),
		[]byte(`{"schema_version": 1, "run_id": "20260301T043000Z", "valid": true, "errors": 0, "warnings": 3}`), 0o644))
	must(t, os.WriteFile(filepath.Join(f.out, "reports", "20260302T043000Z.json"), []byte(`{"broken`), 0o644))

	type detail struct {
		pipeline.RunRecord
		Report *struct {
			SchemaVersion int    `json:"schema_version"`
			RunID         string `json:"run_id"`
			Warnings      int    `json:"warnings"`
		} `json:"report"`
	}
	resp, body := f.do(t, "GET", "/api/runs/20260301T043000Z")
	wantStatus(t, resp, http.StatusOK)
	var d detail
	decode(t, body, &d)
	if d.ID != "20260301T043000Z" || d.Status != pipeline.StatusPublished || d.Rows["kennzahlen.csv"] != 80 {
		t.Errorf("record %+v", d.RunRecord)
	}
	if d.Report == nil || d.Report.SchemaVersion != 1 || d.Report.RunID != d.ID || d.Report.Warnings != 3 {
		t.Errorf("report %+v in %s", d.Report, body)
	}

	// A report that is not JSON is left out, and logged.
	resp, body = f.do(t, "GET", "/api/runs/20260302T043000Z")
	wantStatus(t, resp, http.StatusOK)
	d = detail{}
	decode(t, body, &d)
	if d.ID != "20260302T043000Z" || d.Report != nil {
		t.Errorf("run %+v, report %+v", d.RunRecord, d.Report)
	}
	if !strings.Contains(f.logs.String(), "not valid JSON") {
		t.Errorf("broken report not logged:\n%s", f.logs)
	}

	// No report path: no report.
	resp, body = f.do(t, "GET", "/api/runs/20260303T043000Z")
	wantStatus(t, resp, http.StatusOK)
	if strings.Contains(string(body), `"report"`) {
		t.Errorf("report of a run without one: %s", body)
	}

	for _, id := range []string{"unbekannt", "..", ".hidden", "20260301T043000Z.json"} {
		resp, _ := f.do(t, "GET", "/api/runs/"+id)
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", id, resp.StatusCode)
		}
	}
	empty := newFixture(t, httpserve.Config{})
	resp, _ = empty.do(t, "GET", "/api/runs/20260301T043000Z")
	wantStatus(t, resp, http.StatusNotFound)
}

// trigger is a Config.Trigger that records its calls.
type trigger struct {
	mu    sync.Mutex
	calls []string
	err   error
}

func (tr *trigger) start(trigger string) (string, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.calls = append(tr.calls, trigger)
	if tr.err != nil {
		return "", tr.err
	}
	return fmt.Sprintf("run-%d", len(tr.calls)), nil
}

func TestTriggerRun(t *testing.T) {
	tr := &trigger{}
	f := newFixture(t, httpserve.Config{Token: token, Trigger: tr.start})
	for _, c := range []struct {
		name, auth string
		status     int
	}{
		{"no header", "", http.StatusUnauthorized},
		{"wrong token", "Bearer wrong", http.StatusUnauthorized},
		{"token prefix", "Bearer " + token[:10], http.StatusUnauthorized},
		{"token longer", "Bearer " + token + "x", http.StatusUnauthorized},
		{"basic", "Basic " + token, http.StatusUnauthorized},
		{"token alone", token, http.StatusUnauthorized},
		{"right", "Bearer " + token, http.StatusAccepted},
		{"scheme in lower case", "bearer " + token, http.StatusAccepted},
	} {
		t.Run(c.name, func(t *testing.T) {
			var header []string
			if c.auth != "" {
				header = []string{"Authorization", c.auth}
			}
			resp, body := f.do(t, "POST", "/api/runs", header...)
			wantStatus(t, resp, c.status)
			if c.status == http.StatusUnauthorized {
				if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
				}
				return
			}
			var got struct {
				RunID string `json:"run_id"`
			}
			decode(t, body, &got)
			if !strings.HasPrefix(got.RunID, "run-") {
				t.Errorf("body %s", body)
			}
			wantHeader(t, resp, "Location", "/api/runs/"+got.RunID)
		})
	}
	if fmt.Sprint(tr.calls) != "[manual manual]" {
		t.Errorf("Trigger called with %v, want twice with manual", tr.calls)
	}

	for _, c := range []struct {
		name   string
		err    error
		status int
	}{
		{"busy wrapped", fmt.Errorf("%w: schedule: a run is going", httpserve.ErrBusy), http.StatusConflict},
		{"busy joined", errors.Join(httpserve.ErrBusy, errors.New("schedule: busy")), http.StatusConflict},
		{"other error", errors.New("schedule: stopped"), http.StatusInternalServerError},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr.mu.Lock()
			tr.err = c.err
			tr.mu.Unlock()
			resp, _ := f.do(t, "POST", "/api/runs", "Authorization", "Bearer "+token)
			wantStatus(t, resp, c.status)
		})
	}
}

func TestTriggerRunOff(t *testing.T) {
	tr := &trigger{}
	for _, c := range []struct {
		name string
		c    httpserve.Config
	}{
		{"no token", httpserve.Config{Trigger: tr.start}},
		{"no trigger", httpserve.Config{Token: token}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, c.c)
			for _, auth := range []string{"", "Bearer ", "Bearer " + token} {
				resp, _ := f.do(t, "POST", "/api/runs", "Authorization", auth)
				wantStatus(t, resp, http.StatusForbidden)
			}
		})
	}
	if len(tr.calls) > 0 {
		t.Errorf("Trigger called %d times", len(tr.calls))
	}
}
