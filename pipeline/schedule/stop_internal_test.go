package schedule

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"aktionsplan/pipeline"
	"aktionsplan/pipeline/historytest"
)

// last is the last record saved.
func last(h *historytest.Memory) pipeline.RunRecord {
	all := h.Saves()
	return all[len(all)-1]
}

// A run that ignores its context is recorded as failed by Stop, which
// returns; when the run returns after all, its own record replaces that and
// the slot is free.
func TestStopAbandonsStuckRun(t *testing.T) {
	defer func(d time.Duration) { abandonWait = d }(abandonWait)
	abandonWait = 20 * time.Millisecond

	h := historytest.New()
	started, release := make(chan struct{}), make(chan struct{})
	s, err := New(Config{
		Spec: "0 0 1 1 *", History: h, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Run: func(_ context.Context, id, trigger string) pipeline.RunRecord {
			close(started)
			<-release
			return pipeline.RunRecord{Status: pipeline.StatusPublished}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Trigger(pipeline.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := s.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop: %v, want the deadline", err)
	}
	if r := last(h); r.ID != id || r.Status != pipeline.StatusFailed || r.Message == "" || r.End.IsZero() {
		t.Errorf("abandoned run recorded as %+v", r)
	}

	s.mu.Lock()
	a := s.active
	s.mu.Unlock()
	close(release)
	<-a.done
	if r := last(h); r.ID != id || r.Status != pipeline.StatusPublished {
		t.Errorf("run that returned late recorded as %+v", r)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active != nil {
		t.Error("the slot is still held after the run returned")
	}
}

// The slot is freed when the RunFunc panics, also with no cron around it.
func TestPanicFreesSlot(t *testing.T) {
	s, err := New(Config{
		Spec: "0 0 1 1 *", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Run: func(context.Context, string, string) pipeline.RunRecord { panic(errors.New("boom")) },
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.begin(pipeline.TriggerCLI)
	if err != nil {
		t.Fatal(err)
	}
	s.execute(a)
	if s.active != nil || s.last.Status != pipeline.StatusFailed || s.last.Message != "panic: boom" {
		t.Errorf("after a panic: active %v, last %+v", s.active, s.last)
	}
}
