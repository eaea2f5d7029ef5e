package httpsource

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"os"
	"runtime"
	"testing"
)

// A response compressed to a few KiB that decompresses to 64 MiB is
// refused at the limit while it streams: the limit holds after content
// decoding, the body is never kept whole, and nothing stays in the cache.
func TestGzipBomb(t *testing.T) {
	var packed bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&packed, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zeros)
	}
	zw.Close()
	srv, n := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") == "" {
			t.Error("request without Accept-Encoding")
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(packed.Bytes())
	})
	s := source(t, srv, "/bombe.csv")
	s.MaxBytes = 1 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := read(t, s)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrFetch) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrFetch and ErrTooLarge", err)
	}
	t.Logf("%d KiB compressed, %d KiB allocated", packed.Len()>>10, (after.TotalAlloc-before.TotalAlloc)>>10)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("refusing a 64 MiB body allocated %d MiB", alloc>>20)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1", n.Load())
	}
	if entries, _ := os.ReadDir(s.CacheDir); len(entries) != 0 {
		t.Errorf("cache holds %d files after a refused download", len(entries))
	}
}
