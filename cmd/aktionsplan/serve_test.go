package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer that the server's log and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs "serve" in-process on a random loopback port with the
// config given and returns its base URL and a function that stops it and
// returns its exit code.
func startServe(t *testing.T, cfg, out string) (string, func() int) {
	t.Helper()
	logs := &syncBuffer{}
	a := &app{stdout: io.Discard, stderr: logs, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- a.main(ctx, []string{"serve", "--config", cfg, "--out", out, "--addr", "127.0.0.1:0"}) }()
	addr := regexp.MustCompile(`msg=serving addr=(\S+)`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := addr.FindStringSubmatch(logs.String()); m != nil {
			return "http://" + m[1], func() int {
				cancel()
				select {
				case code := <-done:
					return code
				case <-time.After(20 * time.Second):
					t.Fatal("serve did not stop")
					return -1
				}
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d:\n%s", code, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s", logs.String())
	return "", nil
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		json.NewDecoder(resp.Body).Decode(v)
	}
	return resp.StatusCode
}

// The daemon catches up on start, runs on its schedule (every second here),
// serves the release and the history over HTTP, enforces the token, and
// keeps its history across a restart.
func TestServe(t *testing.T) {
	cfg := exampleCopy(t)
	data, _ := os.ReadFile(cfg)
	data = bytes.Replace(data, []byte(`schedule = "30 5 * * *"`), []byte(`schedule = "* * * * * *"`), 1)
	os.WriteFile(cfg, data, 0o644)
	out := t.TempDir()
	t.Setenv("AKTIONSPLAN_TOKEN", "geheimes-token-fuer-tests")

	base, stop := startServe(t, cfg, out)
	var runs struct {
		Runs []struct{ ID, Status, Trigger string } `json:"runs"`
	}
	statuses := map[string]bool{}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && !(statuses["published"] && statuses["unchanged"]) {
		time.Sleep(100 * time.Millisecond)
		getJSON(t, base+"/api/runs", &runs)
		for _, r := range runs.Runs {
			statuses[r.Status] = true
		}
	}
	if !statuses["published"] || !statuses["unchanged"] {
		t.Fatalf("runs %+v: want a published run, then unchanged ones", runs.Runs)
	}
	resp, err := http.Get(base + "/data/current/aktionsraeume.geojson")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/geo+json" || !bytes.Contains(body, []byte(`"FeatureCollection"`)) {
		t.Fatalf("GeoJSON: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if code := getJSON(t, base+"/healthz", nil); code != 200 {
		t.Errorf("healthz %d", code)
	}
	for _, tc := range []struct {
		token string
		want  []int
	}{{"", []int{401}}, {"falsch", []int{401}}, {"geheimes-token-fuer-tests", []int{202, 409}}} {
		req, _ := http.NewRequest("POST", base+"/api/runs", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !containsInt(tc.want, resp.StatusCode) {
			t.Errorf("POST /api/runs with token %q: %d, want %v", tc.token, resp.StatusCode, tc.want)
		}
	}
	if code := stop(); code != exitOK {
		t.Fatalf("serve exit %d", code)
	}
	n := len(runs.Runs)

	// Restart: the history is still there.
	base, stop = startServe(t, cfg, out)
	getJSON(t, base+"/api/runs?limit=1000", &runs)
	stop()
	if len(runs.Runs) < n {
		t.Fatalf("after a restart %d runs, before %d", len(runs.Runs), n)
	}
	if _, err := os.Stat(filepath.Join(out, historyFile)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "Mustermann") {
		t.Fatal("personal data served")
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
