// Package schedule orchestrates the runs of one pipeline on a schedule. It
// sits above the flow of one run: the command wires a RunFunc that reads the
// inputs, validates, publishes and reports (pipeline.Job.Run and the
// outputs), and this package decides when that happens — on the cron spec in
// the configured time zone, once at start when a run is overdue, and on
// demand through Trigger, which the HTTP area calls. It keeps runs apart (one
// at a time; a scheduled time that finds a run going is recorded as skipped),
// records every run in the pipeline.History, and says from that history
// whether the service is healthy.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
	_ "time/tzdata" // a bare machine without zoneinfo still knows Europe/Berlin

	"github.com/robfig/cron/v3"

	"aktionsplan/pipeline"
)

// DefaultLocation is the time zone of a Config without one.
const DefaultLocation = "Europe/Berlin"

// Slack is how long before a scheduled time a run may have started and
// still count for it, and how long after it Health waits for the run before
// it calls the schedule missed. Clocks and timers are not exact.
const Slack = time.Minute

// abandonWait is how long Stop waits, after cancelling a run whose grace
// period ran out, for the run to return and its record to be saved. A
// variable for the tests.
var abandonWait = 5 * time.Second

var (
	// ErrSpec is wrapped by New when the cron spec cannot be read or names
	// no time a clock can show regularly.
	ErrSpec = errors.New("schedule: invalid cron spec")
	// ErrBusy is wrapped by Trigger when a run is going; the error names it.
	ErrBusy = errors.New("schedule: a run is going")
	// ErrStopped is returned by Trigger after Stop.
	ErrStopped = errors.New("schedule: stopped")
)

// RunFunc does one whole run with the given id and trigger and returns its
// record (status published, unchanged, invalid or failed). It must respect
// ctx: Stop cancels it when the grace period is over.
type RunFunc func(ctx context.Context, id, trigger string) pipeline.RunRecord

// Config is what a Scheduler runs, when, and where it records it.
type Config struct {
	// Spec is the cron spec: five fields (minute hour day-of-month month
	// day-of-week), or six with seconds first, or a descriptor such as
	// @daily. @every and a TZ= prefix are refused: the times are wall-clock
	// times in Location.
	Spec string
	// Location is the time zone of Spec; nil: Europe/Berlin.
	Location *time.Location
	// Run does one run. Required.
	Run RunFunc
	// History records the runs; it tells Start whether a run is overdue and
	// Health whether the last one is recent and good. Nil: no records, no
	// catch-up, and Health judges the runs of this process only.
	History pipeline.History
	// NewID returns a run id; a suffix "-2", "-3", ... is added when the
	// id was given out or recorded already. Nil: the UTC time of Now as
	// 20060102T150405Z.
	NewID func() string
	// Now is the clock of the records, the catch-up and Health; nil:
	// time.Now. The cron timer always follows the real clock.
	Now func() time.Time
	// Logger receives one line per run start and end; nil: slog.Default().
	Logger *slog.Logger
}

// Scheduler runs one pipeline on its schedule, one run at a time. Its
// methods are safe for concurrent use.
type Scheduler struct {
	c     Config
	sched wallSchedule
	cron  *cron.Cron
	log   *slog.Logger

	ids idSource

	mu      sync.Mutex
	base    context.Context // parent of the runs' contexts, set by Start
	started bool
	stopped bool
	active  *activeRun // the run going; nil when none
	last    pipeline.RunRecord
}

// activeRun is the run that holds the scheduler's single slot.
type activeRun struct {
	rec    pipeline.RunRecord // as started
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the final record is saved
}

// New checks the spec and the location and returns a Scheduler that runs
// nothing until Start.
func New(c Config) (*Scheduler, error) {
	if c.Run == nil {
		return nil, errors.New("schedule: Config.Run is nil")
	}
	if c.Location == nil {
		loc, err := time.LoadLocation(DefaultLocation)
		if err != nil {
			return nil, fmt.Errorf("schedule: time zone %s: %w", DefaultLocation, err)
		}
		c.Location = loc
	}
	sched, err := parse(c.Spec, c.Location)
	if err != nil {
		return nil, err
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.NewID == nil {
		now := c.Now
		c.NewID = func() string { return now().UTC().Format("20060102T150405Z") }
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	s := &Scheduler{c: c, sched: sched, log: c.Logger, base: context.Background()}
	s.ids = idSource{next: c.NewID, history: c.History}
	s.cron = cron.New(
		cron.WithLocation(c.Location),
		cron.WithLogger(cronLogger{c.Logger}),
		// fire recovers the panics of a run itself; this catches the rest.
		cron.WithChain(cron.Recover(cronLogger{c.Logger})),
	)
	s.cron.Schedule(sched, cron.FuncJob(s.fire))
	return s, nil
}

// parse reads spec with the package's parser and keeps only schedules of
// wall-clock times.
func parse(spec string, loc *time.Location) (wallSchedule, error) {
	parsed, err := parser.Parse(spec)
	if err != nil {
		return wallSchedule{}, fmt.Errorf("%w %q: %v", ErrSpec, spec, err)
	}
	s, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return wallSchedule{}, fmt.Errorf("%w %q: @every has no fixed times to catch up with; use a spec of fields", ErrSpec, spec)
	}
	if s.Location != time.Local {
		return wallSchedule{}, fmt.Errorf("%w %q: set the time zone in Location, not in the spec", ErrSpec, spec)
	}
	w := newWallSchedule(s, loc)
	if w.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, loc)).IsZero() {
		return wallSchedule{}, fmt.Errorf("%w %q: names no time that occurs", ErrSpec, spec)
	}
	return w, nil
}

// Start starts the schedule. First it catches up: when History has no
// published or unchanged run since the last scheduled time before now, it
// starts one at once (trigger "schedule") in the background. Runs get a
// context derived from ctx without its cancellation, so that a signal
// cancelling ctx leaves a running run its grace period in Stop. Start does
// nothing after the first call or after Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	if s.started || s.stopped {
		s.mu.Unlock()
		return
	}
	s.started = true
	s.base = context.WithoutCancel(ctx)
	s.mu.Unlock()

	if s.overdue(ctx) {
		if a, err := s.begin(pipeline.TriggerSchedule); err == nil {
			go s.execute(a)
		}
	}
	// Under s.mu, so that a Stop meanwhile finds the cron stopped or
	// stops it.
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.stopped {
		s.cron.Start()
	}
}

// Trigger starts a run now in the background and returns its id once its
// start is recorded. It returns an error wrapping ErrBusy, naming the run
// that is going, when there is one (the scheduled runs and Trigger share one
// slot), and ErrStopped after Stop. Trigger works before Start, too.
func (s *Scheduler) Trigger(trigger string) (string, error) {
	a, err := s.begin(trigger)
	if err != nil {
		return "", err
	}
	go s.execute(a)
	return a.rec.ID, nil
}

// Stop stops taking runs, scheduled or triggered, and waits for a running
// run until ctx is done: the grace period. Then it cancels the run's
// context, waits a few seconds for the run to return and its record to be
// saved (if it does not return, Stop records it as failed itself), and
// returns ctx.Err(). Without a run going, or when it ends in time, Stop
// returns nil. Later calls return nil at once.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	a := s.active
	s.mu.Unlock()

	// Waits for the jobs cron started, so also for a skip being recorded.
	cronDone := s.cron.Stop()
	if a != nil {
		select {
		case <-a.done:
		case <-ctx.Done():
			s.abandon(a)
			return ctx.Err()
		}
	}
	select {
	case <-cronDone.Done():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// abandon cancels a run whose grace period is over and waits a little for
// it to record its end; a run that ignores its context is recorded as
// failed here so that the history does not show it running forever.
func (s *Scheduler) abandon(a *activeRun) {
	a.cancel()
	timer := time.NewTimer(abandonWait)
	defer timer.Stop()
	select {
	case <-a.done:
		return
	case <-timer.C:
	}
	rec := a.rec
	rec.Status, rec.End = pipeline.StatusFailed, s.c.Now()
	rec.Message = "stopped at shutdown: the run did not return when cancelled"
	s.save(rec)
	s.log.Error("run abandoned at shutdown", "run", rec.ID, "trigger", rec.Trigger)
}

// Next returns the next scheduled time after now, in Location.
func (s *Scheduler) Next() time.Time {
	return s.sched.Next(s.c.Now())
}

// cronLogger passes cron's own messages to slog: its chatter at Debug.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
