package schedule_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"aktionsplan/pipeline"
	"aktionsplan/pipeline/historytest"
	"aktionsplan/pipeline/schedule"
)

// everySecond makes the live tests fast: a fire at most a second away.
const everySecond = "* * * * * *"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func published(_ context.Context, id, trigger string) pipeline.RunRecord {
	return pipeline.RunRecord{ID: id, Trigger: trigger, Status: pipeline.StatusPublished, Release: id}
}

// freshHistory has a success from just now, so that Start does not catch
// up and the first run of a live test comes from the cron timer.
func freshHistory() *historytest.Memory {
	return historytest.New(pipeline.RunRecord{ID: "earlier", Status: pipeline.StatusPublished, Start: time.Now()})
}

func newScheduler(t *testing.T, c schedule.Config) *schedule.Scheduler {
	t.Helper()
	if c.Logger == nil {
		c.Logger = quiet
	}
	s, err := schedule.New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
	})
	return s
}

func TestNewSpec(t *testing.T) {
	tests := []struct {
		spec string
		ok   bool
	}{
		{"30 5 * * *", true},
		{"0 30 5 * * *", true},
		{"* * * * * *", true},
		{"@daily", true},
		{"30 5 * * 1-5", true},
		{"", false},
		{"30 25 * * *", false},
		{"30 5 * *", false},
		{"0 0 30 5 * * *", false},
		{"@every 1h", false},
		{"CRON_TZ=UTC 30 5 * * *", false},
		{"0 0 30 2 *", false}, // 30 February
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			_, err := schedule.New(schedule.Config{Spec: tc.spec, Run: published})
			if tc.ok && err != nil {
				t.Fatalf("New: %v", err)
			}
			if !tc.ok {
				if !errors.Is(err, schedule.ErrSpec) {
					t.Fatalf("New: %v, want ErrSpec", err)
				}
				if !strings.Contains(err.Error(), `"`+tc.spec+`"`) {
					t.Errorf("error %q does not name the spec", err)
				}
			}
		})
	}
	if _, err := schedule.New(schedule.Config{Spec: "30 5 * * *"}); err == nil {
		t.Error("New without Run: no error")
	}
}

// A live scheduler runs the RunFunc on every fire and records the start and
// the end of each run.
func TestScheduledRuns(t *testing.T) {
	t.Parallel()
	h := freshHistory()
	var calls atomic.Int32
	s := newScheduler(t, schedule.Config{
		Spec: everySecond, History: h,
		Run: func(ctx context.Context, id, trigger string) pipeline.RunRecord {
			calls.Add(1)
			return published(ctx, id, trigger)
		},
	})
	s.Start(context.Background())
	if !waitFor(func() bool { return len(h.WithStatus(pipeline.StatusPublished)) >= 2 }) {
		t.Fatal("no run within three seconds")
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs := h.WithStatus(pipeline.StatusPublished)[1:] // after the seeded one
	if int(calls.Load()) != len(runs) {
		t.Errorf("%d calls, %d published runs", calls.Load(), len(runs))
	}
	r := runs[0]
	if r.Trigger != pipeline.TriggerSchedule || r.Release != r.ID || r.Start.IsZero() || r.End.Before(r.Start) {
		t.Errorf("run recorded as %+v", r)
	}
	if got := h.SavesOf(r.ID); strings.Join(got, " ") != "running published" {
		t.Errorf("saves of %s: %v, want running then published", r.ID, got)
	}
	if !strings.HasSuffix(r.ID, "Z") || len(r.ID) != len("20060102T150405Z") {
		t.Errorf("run id %q, want a UTC time stamp", r.ID)
	}
}

// A fire during a long run is skipped and recorded with its own id, naming
// the run going; Trigger then returns ErrBusy. The long run is the one Start
// makes at once over an empty history, so the first fire meets it.
func TestFireDuringRunIsSkipped(t *testing.T) {
	t.Parallel()
	h := historytest.New()
	started, release := make(chan string, 1), make(chan struct{})
	var calls atomic.Int32
	s := newScheduler(t, schedule.Config{
		Spec: everySecond, History: h,
		Run: func(ctx context.Context, id, trigger string) pipeline.RunRecord {
			if calls.Add(1) == 1 {
				started <- id
				<-release
			}
			return published(ctx, id, trigger)
		},
	})
	s.Start(context.Background())
	var long string
	select {
	case long = <-started:
	case <-time.After(3 * time.Second):
		t.Fatal("no run within three seconds")
	}

	_, err := s.Trigger(pipeline.TriggerManual)
	if !errors.Is(err, schedule.ErrBusy) || !strings.Contains(err.Error(), long) {
		t.Errorf("Trigger during a run: %v, want ErrBusy naming %s", err, long)
	}

	if !waitFor(func() bool { return len(h.WithStatus(pipeline.StatusSkipped)) >= 1 }) {
		t.Fatal("no skipped run within three seconds")
	}
	close(release)
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	skipped := h.WithStatus(pipeline.StatusSkipped)[0]
	if skipped.ID == long || skipped.Trigger != pipeline.TriggerSchedule || !strings.Contains(skipped.Message, long) {
		t.Errorf("skipped run recorded as %+v, want its own id and a message naming %s", skipped, long)
	}
	if got := h.SavesOf(long); strings.Join(got, " ") != "running published" {
		t.Errorf("saves of the long run: %v", got)
	}
	if n := calls.Load(); int(n) != len(h.WithStatus(pipeline.StatusPublished)) {
		t.Errorf("the RunFunc was called for a skipped fire: %d calls", n)
	}
}

// A panicking run is recorded as failed, and the schedule goes on: the run
// Start makes at once over an empty history panics, the first fire runs.
func TestPanicIsRecorded(t *testing.T) {
	t.Parallel()
	h := historytest.New()
	var calls atomic.Int32
	s := newScheduler(t, schedule.Config{
		Spec: everySecond, History: h,
		Run: func(ctx context.Context, id, trigger string) pipeline.RunRecord {
			if calls.Add(1) == 1 {
				panic("boom")
			}
			return published(ctx, id, trigger)
		},
	})
	s.Start(context.Background())
	if !waitFor(func() bool { return len(h.WithStatus(pipeline.StatusPublished)) >= 1 }) {
		t.Fatal("no run after the panic within three seconds")
	}
	failed := h.WithStatus(pipeline.StatusFailed)
	if len(failed) != 1 || failed[0].Message != "panic: boom" || failed[0].End.IsZero() {
		t.Fatalf("failed runs: %+v, want one with message %q", failed, "panic: boom")
	}
	if ok, reason := s.Health(context.Background()); !ok {
		t.Errorf("Health after a good run: %s", reason)
	}
}

// blocking returns a RunFunc that reports its start and ends when released
// (published) or when its context is done (failed).
func blocking(started chan<- string, release <-chan struct{}) schedule.RunFunc {
	return func(ctx context.Context, id, trigger string) pipeline.RunRecord {
		started <- id
		select {
		case <-release:
			return published(ctx, id, trigger)
		case <-ctx.Done():
			return pipeline.RunRecord{Status: pipeline.StatusFailed, Message: ctx.Err().Error()}
		}
	}
}

// never is a spec that does not fire during a test.
const never = "0 0 1 1 *"

func TestTrigger(t *testing.T) {
	h := historytest.New()
	started, release := make(chan string, 1), make(chan struct{})
	s := newScheduler(t, schedule.Config{Spec: never, History: h, Run: blocking(started, release)})

	id, err := s.Trigger(pipeline.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := h.Get(context.Background(), id); err != nil || r.Status != pipeline.StatusRunning {
		t.Errorf("after Trigger the run is recorded as %+v, %v; want running", r, err)
	}
	if got := <-started; got != id {
		t.Errorf("RunFunc got id %s, Trigger returned %s", got, id)
	}
	if _, err := s.Trigger(pipeline.TriggerManual); !errors.Is(err, schedule.ErrBusy) {
		t.Errorf("second Trigger: %v, want ErrBusy", err)
	}
	close(release)
	if !waitFor(func() bool { return len(h.WithStatus(pipeline.StatusPublished)) == 1 }) {
		t.Fatal("run did not end")
	}
	// The slot is free again once the end is recorded.
	var again string
	if !waitFor(func() bool { again, err = s.Trigger(pipeline.TriggerManual); return err == nil }) {
		t.Fatalf("Trigger after the run: %v", err)
	}
	<-started
	if again == id {
		t.Errorf("second run has the id of the first: %s", id)
	}
	r, _ := h.Get(context.Background(), id)
	if r.Trigger != pipeline.TriggerManual {
		t.Errorf("trigger recorded as %q", r.Trigger)
	}
}

// Run ids from the clock get a suffix when the clock has not moved on.
func TestRunIDs(t *testing.T) {
	h := historytest.New()
	now := func() time.Time { return time.Date(2026, 11, 25, 5, 30, 0, 0, time.UTC) }
	s := newScheduler(t, schedule.Config{Spec: never, History: h, Run: published, Now: now})
	var ids []string
	for range 3 {
		var id string
		if !waitFor(func() bool {
			var err error
			id, err = s.Trigger(pipeline.TriggerCLI)
			return err == nil
		}) {
			t.Fatal("Trigger stays busy")
		}
		ids = append(ids, id)
	}
	want := "20261125T053000Z 20261125T053000Z-2 20261125T053000Z-3"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("ids %s, want %s", got, want)
	}
	// A new process, with the same clock and history, does not reuse them.
	s2 := newScheduler(t, schedule.Config{Spec: never, History: h, Run: published, Now: now})
	if id, err := s2.Trigger(pipeline.TriggerCLI); err != nil || id != "20261125T053000Z-4" {
		t.Errorf("id in a new process: %s, %v; want 20261125T053000Z-4", id, err)
	}
}

func TestStop(t *testing.T) {
	t.Run("run ends within the grace period", func(t *testing.T) {
		h := historytest.New()
		started, release := make(chan string, 1), make(chan struct{})
		s := newScheduler(t, schedule.Config{Spec: never, History: h, Run: blocking(started, release)})
		id, err := s.Trigger(pipeline.TriggerManual)
		if err != nil {
			t.Fatal(err)
		}
		<-started
		time.AfterFunc(30*time.Millisecond, func() { close(release) })
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		// Stop returns after the end is recorded.
		if r, _ := h.Get(ctx, id); r.Status != pipeline.StatusPublished {
			t.Errorf("run recorded as %s when Stop returned, want published", r.Status)
		}
		if _, err := s.Trigger(pipeline.TriggerManual); !errors.Is(err, schedule.ErrStopped) {
			t.Errorf("Trigger after Stop: %v, want ErrStopped", err)
		}
	})
	t.Run("run is cancelled after the grace period", func(t *testing.T) {
		h := historytest.New()
		started := make(chan string, 1)
		s := newScheduler(t, schedule.Config{Spec: never, History: h, Run: blocking(started, nil)})
		id, err := s.Trigger(pipeline.TriggerManual)
		if err != nil {
			t.Fatal(err)
		}
		<-started
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		if err := s.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Stop: %v, want the deadline", err)
		}
		r, _ := h.Get(context.Background(), id)
		if r.Status != pipeline.StatusFailed || r.Message != context.Canceled.Error() || r.ID != id {
			t.Errorf("cancelled run recorded as %+v", r)
		}
	})
	t.Run("nothing running", func(t *testing.T) {
		s := newScheduler(t, schedule.Config{Spec: everySecond, Run: published})
		s.Start(context.Background())
		if err := s.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := s.Stop(context.Background()); err != nil {
			t.Fatalf("second Stop: %v", err)
		}
	})
}

// The fake clock of the catch-up and Health tests: Wednesday 2026-11-25,
// with the shipped schedule at 05:30 Berlin time.
var berlinTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(day, hour, minute, second int) time.Time {
	return time.Date(2026, 11, day, hour, minute, second, 0, berlinTime)
}

func TestCatchUp(t *testing.T) {
	now := at(25, 6, 0, 0) // the last scheduled time was 05:30 today
	tests := []struct {
		name    string
		history []pipeline.RunRecord
		want    bool
	}{
		{"no run ever", nil, true},
		{"last success yesterday", []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(24, 5, 30, 1)},
		}, true},
		{"last success today", []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(25, 5, 30, 1)},
		}, false},
		{"unchanged today", []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusUnchanged, Start: at(25, 5, 30, 1)},
		}, false},
		{"manual run just before the time", []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(25, 5, 29, 30)},
		}, false},
		{"today's run failed", []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(24, 5, 30, 1)},
			{ID: "b", Status: pipeline.StatusFailed, Start: at(25, 5, 30, 1)},
		}, true},
		{"today's run skipped", []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(24, 5, 30, 1)},
			{ID: "b", Status: pipeline.StatusSkipped, Start: at(25, 5, 30, 1)},
		}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := historytest.New()
			for _, r := range tc.history {
				_ = h.Save(context.Background(), r)
			}
			var calls atomic.Int32
			s := newScheduler(t, schedule.Config{
				Spec: "30 5 * * *", History: h, Now: func() time.Time { return now },
				Run: func(ctx context.Context, id, trigger string) pipeline.RunRecord {
					calls.Add(1)
					return published(ctx, id, trigger)
				},
			})
			s.Start(context.Background())
			if err := s.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Count the catch-up runs that were saved as started: a fast
			// run may have ended (and been saved again) by now.
			running := 0
			for _, r := range h.Saves() {
				if r.Status == pipeline.StatusRunning {
					running++
				}
			}
			ran := running == 1 && calls.Load() == 1
			if ran != tc.want || running > 1 || calls.Load() > 1 {
				t.Fatalf("catch-up: %d started, %d calls; want a run: %v", running, calls.Load(), tc.want)
			}
			if ran {
				r := h.WithStatus(pipeline.StatusPublished)
				if r[len(r)-1].Trigger != pipeline.TriggerSchedule {
					t.Errorf("catch-up trigger %q", r[len(r)-1].Trigger)
				}
			}
		})
	}
	t.Run("no history", func(t *testing.T) {
		s := newScheduler(t, schedule.Config{
			Spec: "30 5 * * *", Now: func() time.Time { return now },
			Run: func(context.Context, string, string) pipeline.RunRecord {
				t.Error("catch-up without a history")
				return pipeline.RunRecord{}
			},
		})
		s.Start(context.Background())
		if err := s.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name    string
		now     time.Time
		history []pipeline.RunRecord
		err     error
		ok      bool
		reason  string
	}{
		{"no run", at(25, 12, 0, 0), nil, nil, false, "noch kein Lauf"},
		{"today's run published", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(25, 5, 30, 1)},
		}, nil, true, "letzter Lauf 2026-11-25 05:30: published"},
		{"today's run unchanged", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusUnchanged, Start: at(25, 5, 30, 1).UTC()},
		}, nil, true, "letzter Lauf 2026-11-25 05:30: unchanged"},
		{"today's run going", at(25, 5, 45, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusRunning, Start: at(25, 5, 30, 0)},
		}, nil, true, "letzter Lauf 2026-11-25 05:30: running"},
		{"manual run just before the time", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(25, 5, 29, 10)},
		}, nil, true, "letzter Lauf 2026-11-25 05:29: published"},
		{"today's run missed", at(25, 6, 0, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(24, 5, 30, 0)},
		}, nil, false, "kein Lauf seit 2026-11-24 05:30"},
		{"today's run not yet recorded, within the slack", at(25, 5, 30, 30), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(24, 5, 30, 0)},
		}, nil, true, "letzter Lauf 2026-11-24 05:30: published"},
		{"last run failed", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(24, 5, 30, 0)},
			{ID: "b", Status: pipeline.StatusFailed, Start: at(25, 5, 30, 0), Message: "Quelle nicht erreichbar"},
		}, nil, false, "letzter Lauf fehlgeschlagen: Quelle nicht erreichbar"},
		{"last run invalid", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "b", Status: pipeline.StatusInvalid, Start: at(25, 5, 30, 0), Errors: 3},
		}, nil, false, "letzter Lauf ungültig: 3 Fehler in den Eingaben"},
		{"a skip after a good run", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "a", Trigger: pipeline.TriggerManual, Status: pipeline.StatusPublished, Start: at(25, 5, 29, 30)},
			{ID: "b", Status: pipeline.StatusSkipped, Start: at(25, 5, 30, 0)},
		}, nil, true, "letzter Lauf 2026-11-25 05:29: published"},
		{"a failed manual run after a good one", at(25, 12, 0, 0), []pipeline.RunRecord{
			{ID: "a", Status: pipeline.StatusPublished, Start: at(25, 5, 30, 0)},
			{ID: "b", Trigger: pipeline.TriggerManual, Status: pipeline.StatusFailed, Start: at(25, 9, 0, 0), Message: "panic: boom"},
		}, nil, false, "letzter Lauf fehlgeschlagen: panic: boom"},
		{"history broken", at(25, 12, 0, 0), nil, errors.New("database is locked"), false, "Verlauf nicht lesbar: database is locked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := historytest.New()
			for _, r := range tc.history {
				_ = h.Save(context.Background(), r)
			}
			h.Fail(tc.err)
			s := newScheduler(t, schedule.Config{
				Spec: "30 5 * * *", History: h, Run: published,
				Now: func() time.Time { return tc.now },
			})
			ok, reason := s.Health(context.Background())
			if ok != tc.ok || reason != tc.reason {
				t.Errorf("Health = %v, %q; want %v, %q", ok, reason, tc.ok, tc.reason)
			}
		})
	}
}

// Without a history, Health judges the runs of this process.
func TestHealthWithoutHistory(t *testing.T) {
	now := at(25, 12, 0, 0)
	s := newScheduler(t, schedule.Config{
		Spec: "30 5 * * *", Now: func() time.Time { return now },
		Run: func(context.Context, string, string) pipeline.RunRecord {
			return pipeline.RunRecord{Status: pipeline.StatusInvalid, Errors: 2}
		},
	})
	if ok, reason := s.Health(context.Background()); ok || reason != "noch kein Lauf" {
		t.Errorf("Health before a run = %v, %q", ok, reason)
	}
	if _, err := s.Trigger(pipeline.TriggerManual); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ok, reason := s.Health(context.Background()); ok || reason != "letzter Lauf ungültig: 2 Fehler in den Eingaben" {
		t.Errorf("Health after an invalid run = %v, %q", ok, reason)
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		spec string
		now  time.Time
		want string
	}{
		{"30 5 * * *", at(25, 6, 0, 0), "2026-11-26T05:30:00+01:00"},
		{"30 5 * * *", at(25, 5, 0, 0), "2026-11-25T05:30:00+01:00"},
		{"30 2 * * *", time.Date(2026, 3, 28, 12, 0, 0, 0, berlinTime), "2026-03-29T03:00:00+02:00"},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			s := newScheduler(t, schedule.Config{Spec: tc.spec, Run: published, Now: func() time.Time { return tc.now }})
			if got := s.Next().In(berlinTime).Format(time.RFC3339); got != tc.want {
				t.Errorf("Next = %s, want %s", got, tc.want)
			}
		})
	}
	// Another time zone.
	s := newScheduler(t, schedule.Config{
		Spec: "30 5 * * *", Location: time.UTC, Run: published,
		Now: func() time.Time { return at(25, 6, 0, 0) },
	})
	if got := s.Next().UTC().Format(time.RFC3339); got != "2026-11-25T05:30:00Z" {
		t.Errorf("Next in UTC = %s", got)
	}
}

// syncBuffer is a bytes.Buffer for a logger written from run goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// One log line at the start of a run and one at its end, with what an
// operator looks for.
func TestRunLog(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	s := newScheduler(t, schedule.Config{
		Spec: never, Logger: logger,
		NewID: func() string { return "r1" },
		Run: func(_ context.Context, id, trigger string) pipeline.RunRecord {
			return pipeline.RunRecord{Status: pipeline.StatusPublished, Release: id, Errors: 0, Warnings: 4}
		},
	})
	if _, err := s.Trigger(pipeline.TriggerManual); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "level=INFO msg=\"run started\" run=r1 trigger=manual\n" +
		"level=INFO msg=\"run ended\" run=r1 trigger=manual status=published errors=0 warnings=4 release=r1\n"
	if got := buf.String(); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
}
