package httpserve_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
)

// loadFiles are the files of release n of the load test: a large CSV that
// takes a while to send, a GeoJSON, a binary file that is never gzipped.
// Contents and sizes change from release to release, so a response mixing
// two releases cannot match either manifest.
func loadFiles(n int) map[string][]byte {
	var csv bytes.Buffer
	csv.WriteString("code,jahr,einwohner\n")
	for i := range 6000 + 97*(n%11) {
		fmt.Fprintf(&csv, "BOR,%d,%d\n", 2000+i%30, n*100000+i)
	}
	bin := make([]byte, 40<<10+n%13)
	for i := range bin {
		bin[i] = byte(i*7 + n)
	}
	return map[string][]byte{
		"kennzahlen.csv":        csv.Bytes(),
		"aktionsraeume.geojson": fmt.Appendf(nil, `{"type":"FeatureCollection","features":[],"release":%d}`+"\n", n),
		"kennzahlen.xlsx":       bin,
	}
}

// publishLoad writes release id through the real publisher; it becomes
// current.
func publishLoad(out, id string, files map[string][]byte) error {
	pub, err := release.New(out, id)
	if err != nil {
		return err
	}
	defer pub.Abort()
	for name, b := range files {
		w, err := pub.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	_, err = pub.Commit(pipeline.Manifest{RunID: id, Time: releaseTime})
	return err
}

// loadDuration is 5 s, or AKTIONSPLAN_LOAD_SECONDS for a longer run.
func loadDuration(t *testing.T) time.Duration {
	s := os.Getenv("AKTIONSPLAN_LOAD_SECONDS")
	if s == "" {
		return 5 * time.Second
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		t.Fatalf("AKTIONSPLAN_LOAD_SECONDS=%q: want a number of seconds", s)
	}
	return time.Duration(n) * time.Second
}

// listen serves srv on a loopback port through HTTPServer, with its
// timeouts, and returns the address.
func listen(t *testing.T, srv *httpserve.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(ln.Addr().String())
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// loadStats are the counts of a load test, shared by its clients.
type loadStats struct {
	requests, gzipped, serverErrors, mismatches, failures atomic.Int64
	mu                                                    sync.Mutex
	first                                                 []string
}

// fail counts a bad response and keeps the first few for the report.
func (s *loadStats) fail(counter *atomic.Int64, format string, args ...any) {
	counter.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.first) < 10 {
		s.first = append(s.first, fmt.Sprintf(format, args...))
	}
}

// manifests reads the manifests of releases once; releases never change.
type manifests struct {
	out string
	m   sync.Map // id -> map[name]pipeline.ManifestFile
}

func (ms *manifests) file(id, name string) (pipeline.ManifestFile, error) {
	v, ok := ms.m.Load(id)
	if !ok {
		m, err := release.ReadManifest(filepath.Join(ms.out, "releases", id))
		if err != nil {
			return pipeline.ManifestFile{}, err
		}
		files := map[string]pipeline.ManifestFile{}
		for _, f := range m.Files {
			files[f.Name] = f
		}
		v, _ = ms.m.LoadOrStore(id, files)
	}
	f, ok := v.(map[string]pipeline.ManifestFile)[name]
	if !ok {
		return f, fmt.Errorf("release %s lists no %s", id, name)
	}
	return f, nil
}

// TestLoadWhileSwitching lets 32 clients download the files of current
// while a new release is published every 100 ms. Every response must be
// exactly the file of the release it names in Content-Location, with that
// release's SHA-256 as ETag: no torn or mixed response, no 5xx.
// AKTIONSPLAN_LOAD_SECONDS=20 runs longer than the default 5 s.
func TestLoadWhileSwitching(t *testing.T) {
	const (
		clients = 32
		every   = 100 * time.Millisecond
	)
	d := loadDuration(t)
	out := t.TempDir()
	if err := publishLoad(out, "r00000", loadFiles(0)); err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	srv, err := httpserve.New(httpserve.Config{Out: out, Logger: slog.New(slog.NewTextHandler(&syncWriter{w: logs}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + listen(t, srv)
	ms := &manifests{out: out}
	var stats loadStats

	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	switches := 0
	wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			n := switches + 1
			if err := publishLoad(out, fmt.Sprintf("r%05d", n), loadFiles(n)); err != nil {
				stats.fail(&stats.failures, "publish %d: %v", n, err)
				return
			}
			switches = n
		}
	})
	names := []string{"kennzahlen.csv", "aktionsraeume.geojson", "kennzahlen.xlsx"}
	for c := range clients {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}}
			defer client.CloseIdleConnections()
			for i := 0; ctx.Err() == nil; i++ {
				name := names[(c+i)%len(names)]
				loadRequest(ctx, client, base, name, (c+i)%2 == 0, ms, &stats)
			}
		})
	}
	wg.Wait()

	t.Logf("%v, %d clients: %d requests (%d gzipped), %d releases switched; %d 5xx, %d mismatched, %d failed",
		d, clients, stats.requests.Load(), stats.gzipped.Load(), switches,
		stats.serverErrors.Load(), stats.mismatches.Load(), stats.failures.Load())
	if n := stats.serverErrors.Load() + stats.mismatches.Load() + stats.failures.Load(); n > 0 {
		t.Fatalf("%d bad responses, the first:\n%s", n, strings.Join(stats.first, "\n"))
	}
	if stats.requests.Load() == 0 || switches < 2 {
		t.Fatalf("%d requests, %d switches: no load", stats.requests.Load(), switches)
	}
	if logs.Len() > 0 {
		t.Errorf("server logged:\n%s", logs)
	}
}

// loadRequest downloads /data/current/name, with gzip or not, and checks
// the body against the manifest of the release named in Content-Location.
func loadRequest(ctx context.Context, client *http.Client, base, name string, gz bool, ms *manifests, stats *loadStats) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/data/current/"+name, nil)
	if err != nil {
		stats.fail(&stats.failures, "%v", err)
		return
	}
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			stats.fail(&stats.failures, "GET %s: %v", name, err)
		}
		return
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		if ctx.Err() == nil {
			stats.fail(&stats.failures, "GET %s: body: %v", name, err)
		}
		return
	}
	stats.requests.Add(1)
	if resp.StatusCode >= 500 {
		stats.fail(&stats.serverErrors, "GET %s: %s", name, resp.Status)
		return
	}
	if resp.StatusCode != http.StatusOK {
		stats.fail(&stats.failures, "GET %s: %s", name, resp.Status)
		return
	}
	loc := resp.Header.Get("Content-Location")
	id := path.Base(path.Dir(loc))
	if loc != "/data/releases/"+id+"/"+name {
		stats.fail(&stats.mismatches, "GET %s: Content-Location %q", name, loc)
		return
	}
	gzipped := false
	if resp.Header.Get("Content-Encoding") == "gzip" {
		stats.gzipped.Add(1)
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			stats.fail(&stats.mismatches, "GET %s from %s: gzip: %v", name, id, err)
			return
		}
		gzipped = true
	}
	want, err := ms.file(id, name)
	if err != nil {
		stats.fail(&stats.mismatches, "GET %s: %v", name, err)
		return
	}
	if got := sha(body); int64(len(body)) != want.Bytes || got != want.SHA256 {
		stats.fail(&stats.mismatches, "GET %s from %s: %d bytes with SHA-256 %s, manifest says %d bytes with %s",
			name, id, len(body), got, want.Bytes, want.SHA256)
		return
	}
	etag := `"` + want.SHA256 + `"`
	if gzipped {
		etag = `"` + want.SHA256 + `-gzip"`
	}
	if got := resp.Header.Get("ETag"); got != etag {
		stats.fail(&stats.mismatches, "GET %s from %s: ETag %s, manifest says %s", name, id, got, want.SHA256)
	}
}

// TestSlowHeadersCutOff sends the headers of a request a line every 20 ms,
// as a slowloris client does: the server closes the connection once
// ReadHeaderTimeout has passed, long before the client would finish.
func TestSlowHeadersCutOff(t *testing.T) {
	srv, err := httpserve.New(httpserve.Config{Out: t.TempDir(), ReadHeaderTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", listen(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Without the timeout the client would dribble for 20 s; the deadline
	// only keeps a broken server from hanging the test.
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: test\r\n"); err != nil {
			return
		}
		for i := range 1000 {
			time.Sleep(20 * time.Millisecond)
			if _, err := fmt.Fprintf(conn, "X-Slow-%d: a\r\n", i); err != nil {
				return
			}
		}
	}()
	got, err := io.ReadAll(conn)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		t.Fatal("the server kept the connection of a slow client open")
	case err != nil && !errors.Is(err, syscall.ECONNRESET):
		t.Fatal(err)
	case len(got) > 0 && !bytes.HasPrefix(got, []byte("HTTP/1.1 408")):
		t.Fatalf("the server answered the incomplete request: %q", got)
	}
	conn.Close()
	<-done
}
