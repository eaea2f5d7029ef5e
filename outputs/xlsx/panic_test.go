package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A panic in a goroutine that compresses the rows is raised again in the
// goroutine that calls Write, Close or Abort, as pipeline's sink expects of
// an encoder, once the other goroutines have ended and the temporary file
// is gone; Write and Close fail after it, and Abort still cleans up.
func TestCompressionPanic(t *testing.T) {
	tests := []struct {
		name string
		step string // the goroutine that panics: "deflate" or "join"
		// chunk is the chunk it panics on, counted from 1.
		chunk int64
		// by is the call that meets the panic. For Write, 50,000 rows (18 chunks)
		// are written; for Close and Abort, writing stops once the first
		// chunk is sent, before a Write can meet it; for Close, one more
		// row makes a second chunk, which Close sends.
		by string
	}{
		{name: "worker, first chunk", step: "deflate", chunk: 1, by: "Write"},
		{name: "worker, later chunk", step: "deflate", chunk: 3, by: "Write"},
		{name: "writer, first chunk", step: "join", chunk: 1, by: "Write"},
		{name: "writer, later chunk", step: "join", chunk: 3, by: "Write"},
		{name: "worker, met by Close", step: "deflate", chunk: 1, by: "Close"},
		{name: "worker, last chunk met by Close", step: "deflate", chunk: 2, by: "Close"},
		{name: "writer, last chunk met by Close", step: "join", chunk: 2, by: "Close"},
		{name: "worker, met by Abort", step: "deflate", chunk: 1, by: "Abort"},
		{name: "writer, met by Abort", step: "join", chunk: 1, by: "Abort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("TMPDIR", dir)
			before := runtime.NumGoroutine()
			var out bytes.Buffer
			enc, err := newEncoder(&out, sampleDataset())
			if err != nil {
				t.Fatal(err)
			}
			var chunks atomic.Int64
			enc.body.hook = func(step string) {
				if step == tt.step && chunks.Add(1) == tt.chunk {
					panic("test panic in " + step)
				}
			}

			var raised []string // by which call, with the value
			call := func(name string, f func() error) (err error) {
				defer func() {
					if v := recover(); v != nil {
						raised = append(raised, name)
						checkRaised(t, name, v, tt.step)
					}
				}()
				return f()
			}
			var writeErr error
			for _, f := range manyFeatures(50_000) {
				if writeErr = call("Write", func() error { return enc.Write(f) }); writeErr != nil || len(raised) > 0 {
					break
				}
				if tt.by != "Write" && enc.body.started {
					break
				}
			}
			if tt.by == "Close" {
				// A row for a second chunk, which Close sends.
				call("Write", func() error { return enc.Write(manyFeatures(1)[0]) })
			}
			if tt.by == "Abort" {
				waitFor(t, "the panic", enc.body.panicked.Load)
				if len(raised) > 0 {
					t.Fatalf("raised by %v before Abort", raised)
				}
				call("Abort", func() error { enc.Abort(); return nil })
			} else {
				if len(raised) == 0 && writeErr != nil {
					t.Fatalf("Write failed without a panic: %v", writeErr)
				}
				if len(raised) > 0 {
					// The encoder is broken now, not stuck.
					if err := call("Write", func() error { return enc.Write(manyFeatures(1)[0]) }); !errors.Is(err, errPanicked) {
						t.Errorf("Write after the panic: %v, want errPanicked", err)
					}
				}
				err := call("Close", enc.Close)
				if len(raised) == 1 && raised[0] == "Write" && !errors.Is(err, errPanicked) {
					t.Errorf("Close after the panic: %v, want errPanicked", err)
				}
			}
			if len(raised) != 1 || raised[0] != tt.by {
				t.Fatalf("panic raised by %v, want once by %s", raised, tt.by)
			}

			// What pipeline's sink does after a panic.
			if v := func() (v any) {
				defer func() { v = recover() }()
				enc.Abort()
				return nil
			}(); v != nil {
				t.Errorf("Abort after the panic panicked: %v", v)
			}
			if err := enc.Close(); !errors.Is(err, ErrClosed) {
				t.Errorf("Close after Abort: %v, want ErrClosed", err)
			}
			if out.Len() != 0 {
				t.Errorf("%d bytes written", out.Len())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("files left: %v", entries)
			}
			waitFor(t, fmt.Sprintf("the goroutines to end (%d before)", before), func() bool {
				return runtime.NumGoroutine() <= before
			})
		})
	}
}

// checkRaised checks that v is the panic of step, raised with its stack.
func checkRaised(t *testing.T, by string, v any, step string) {
	t.Helper()
	s, _ := v.(string)
	if !strings.HasPrefix(s, "test panic in "+step+" [in a goroutine of the run:") || !strings.Contains(s, "deflate.go") {
		t.Errorf("%s raised %v, want the panic of %s with its stack", by, v, step)
	}
}

// waitFor waits up to two seconds for cond.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("waited in vain for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
