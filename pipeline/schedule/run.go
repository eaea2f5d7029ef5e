package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"aktionsplan/pipeline"
)

// fire is the cron job: a scheduled run, or a skipped one when a run is
// going. cron starts it in a goroutine of its own.
func (s *Scheduler) fire() {
	a, err := s.begin(pipeline.TriggerSchedule)
	var busy *busyError
	if errors.As(err, &busy) {
		s.skip(busy)
	}
	if err != nil {
		return
	}
	s.execute(a)
}

// begin takes the scheduler's single slot for a new run and records its
// start, or returns ErrStopped or a *busyError. The slot is checked before a
// run id is made, so that a refused Trigger uses none up.
func (s *Scheduler) begin(trigger string) (*activeRun, error) {
	s.mu.Lock()
	err := s.refusal()
	base := s.base
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	rec := pipeline.RunRecord{
		ID:      s.ids.new(base),
		Trigger: trigger,
		Status:  pipeline.StatusRunning,
		Start:   s.c.Now().UTC(),
	}
	s.mu.Lock()
	if err := s.refusal(); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	ctx, cancel := context.WithCancel(base)
	a := &activeRun{rec: rec, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	s.active, s.last = a, rec
	s.mu.Unlock()

	s.save(rec)
	s.log.Info("run started", "run", rec.ID, "trigger", rec.Trigger)
	return a, nil
}

// refusal says why no run can start now, or nil. The caller holds s.mu.
func (s *Scheduler) refusal() error {
	if s.stopped {
		return ErrStopped
	}
	if s.active != nil {
		return &busyError{running: s.active.rec.ID}
	}
	return nil
}

// execute does the run that holds the slot, records its end and frees the
// slot, also when the run panics.
func (s *Scheduler) execute(a *activeRun) {
	rec := a.rec
	defer func() {
		s.mu.Lock()
		s.active, s.last = nil, rec
		s.mu.Unlock()
		a.cancel()
		close(a.done)
	}()
	rec = s.call(a)
	s.save(rec)
	s.logEnd(rec)
}

// call runs the RunFunc and returns its record completed, or a failed one
// when it panics. A panic in a goroutine the RunFunc starts cannot be
// recovered here and would end the process: the pipeline's goroutines carry
// theirs back into the run's goroutine (pipeline.Guard).
func (s *Scheduler) call(a *activeRun) (rec pipeline.RunRecord) {
	defer func() {
		if v := recover(); v != nil {
			rec = a.rec
			rec.Status, rec.Message = pipeline.StatusFailed, fmt.Sprintf("panic: %v", v)
			s.log.Error("run panicked", "run", rec.ID, "panic", v, "stack", string(debug.Stack()))
		}
		rec = s.complete(a.rec, rec)
	}()
	return s.c.Run(a.ctx, a.rec.ID, a.rec.Trigger)
}

// complete fills in what the RunFunc left out of its record: the id,
// trigger and start it was given, the end, and a final status.
func (s *Scheduler) complete(started, rec pipeline.RunRecord) pipeline.RunRecord {
	rec.ID, rec.Trigger = started.ID, started.Trigger
	if rec.Start.IsZero() {
		rec.Start = started.Start
	}
	if rec.End.IsZero() {
		rec.End = s.c.Now().UTC()
	}
	if rec.Status == "" || rec.Status == pipeline.StatusRunning {
		rec.Status = pipeline.StatusFailed
		if rec.Message == "" {
			rec.Message = "the run returned without a final status"
		}
	}
	return rec
}

// skip records a scheduled run that found another one going, with an id of
// its own.
func (s *Scheduler) skip(b *busyError) {
	now := s.c.Now().UTC()
	rec := pipeline.RunRecord{
		ID:      s.ids.new(s.context()),
		Trigger: pipeline.TriggerSchedule,
		Status:  pipeline.StatusSkipped,
		Start:   now,
		End:     now,
		Message: fmt.Sprintf("run %s was still going", b.running),
	}
	s.save(rec)
	s.log.Warn("run skipped", "run", rec.ID, "trigger", rec.Trigger, "running", b.running)
}

// save records rec when there is a history; a failure is logged, not
// returned: the run itself goes on, and Health shows the history's state.
func (s *Scheduler) save(rec pipeline.RunRecord) {
	if s.c.History == nil {
		return
	}
	if err := s.c.History.Save(s.context(), rec); err != nil {
		s.log.Error("run not recorded", "run", rec.ID, "status", rec.Status, "err", err)
	}
}

// logEnd logs the end of a run at a level for its status.
func (s *Scheduler) logEnd(rec pipeline.RunRecord) {
	level := slog.LevelInfo
	switch rec.Status {
	case pipeline.StatusInvalid:
		level = slog.LevelWarn
	case pipeline.StatusFailed:
		level = slog.LevelError
	}
	attrs := []any{
		"run", rec.ID, "trigger", rec.Trigger, "status", rec.Status,
		"duration", rec.End.Sub(rec.Start).Round(time.Millisecond).String(), "errors", rec.Errors, "warnings", rec.Warnings,
		"release", rec.Release,
	}
	if rec.Message != "" {
		attrs = append(attrs, "message", rec.Message)
	}
	s.log.Log(context.Background(), level, "run ended", attrs...)
}

// context is the parent of runs and history calls: Start's context without
// its cancellation, or the background before Start.
func (s *Scheduler) context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.base
}

// busyError is returned by begin when a run holds the slot.
type busyError struct {
	running string // the id of the run going
}

func (e *busyError) Error() string { return fmt.Sprintf("%v: run %s", ErrBusy, e.running) }

func (e *busyError) Unwrap() error { return ErrBusy }

// maxSuffix bounds the search for a free run id.
const maxSuffix = 1000

// idSource hands out run ids that are unique in this process and, with a
// history, among the recorded runs.
type idSource struct {
	next    func() string
	history pipeline.History

	mu       sync.Mutex
	lastBase string
	lastN    int
}

func (s *idSource) new(ctx context.Context) string {
	base := s.next()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 1
	if base == s.lastBase {
		n = s.lastN + 1
	}
	for n < maxSuffix && s.recorded(ctx, suffixed(base, n)) {
		n++
	}
	s.lastBase, s.lastN = base, n
	return suffixed(base, n)
}

// recorded reports whether the history holds a run with id. An error of the
// history counts as no: the id is then as good as any.
func (s *idSource) recorded(ctx context.Context, id string) bool {
	if s.history == nil {
		return false
	}
	_, err := s.history.Get(ctx, id)
	return err == nil
}

func suffixed(base string, n int) string {
	if n == 1 {
		return base
	}
	return fmt.Sprintf("%s-%d", base, n)
}
