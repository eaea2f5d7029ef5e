package schedule

import (
	"context"
	"fmt"
	"time"

	"aktionsplan/pipeline"
)

// ranStatuses are the statuses of runs that were made: not skipped, not a
// rollback by hand.
var ranStatuses = []string{
	pipeline.StatusRunning, pipeline.StatusPublished, pipeline.StatusUnchanged,
	pipeline.StatusInvalid, pipeline.StatusFailed,
}

// Health reports whether the pipeline runs as scheduled: the last run, of
// any trigger, started no more than Slack before the last scheduled time
// that is at least Slack past, and did not end failed or invalid. A run
// still going counts as good. The reason is a short German text for the
// operator: "letzter Lauf fehlgeschlagen: …", "kein Lauf seit 2026-11-24
// 05:30" (the start of the last run, in Location); when ok, it names the
// last run.
func (s *Scheduler) Health(ctx context.Context) (ok bool, reason string) {
	last, found, err := s.lastRun(ctx)
	if err != nil {
		return false, "Verlauf nicht lesbar: " + err.Error()
	}
	if !found {
		return false, "noch kein Lauf"
	}
	due := s.sched.prev(s.c.Now().Add(-Slack))
	if !due.IsZero() && last.Start.Before(due.Add(-Slack)) {
		return false, "kein Lauf seit " + s.local(last.Start)
	}
	switch last.Status {
	case pipeline.StatusFailed:
		if last.Message == "" {
			return false, "letzter Lauf fehlgeschlagen"
		}
		return false, "letzter Lauf fehlgeschlagen: " + last.Message
	case pipeline.StatusInvalid:
		return false, fmt.Sprintf("letzter Lauf ungültig: %d Fehler in den Eingaben", last.Errors)
	}
	return true, fmt.Sprintf("letzter Lauf %s: %s", s.local(last.Start), last.Status)
}

// lastRun returns the newest run that was made, from the history or, without
// one, from this process.
func (s *Scheduler) lastRun(ctx context.Context) (pipeline.RunRecord, bool, error) {
	if s.c.History != nil {
		return s.c.History.LastWith(ctx, ranStatuses...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last, s.last.ID != "", nil
}

// overdue reports whether the history has no published or unchanged run
// since the last scheduled time before now, so that Start runs at once.
// Without a history, or when it cannot be read, nothing is overdue.
func (s *Scheduler) overdue(ctx context.Context) bool {
	if s.c.History == nil {
		return false
	}
	now := s.c.Now()
	due := s.sched.prev(now)
	if due.IsZero() {
		return false
	}
	last, found, err := s.c.History.LastWith(ctx, pipeline.StatusPublished, pipeline.StatusUnchanged)
	if err != nil {
		s.log.Error("no catch-up: history not readable", "err", err)
		return false
	}
	if found && !last.Start.Before(due.Add(-Slack)) {
		return false
	}
	since := "never"
	if found {
		since = s.local(last.Start)
	}
	s.log.Info("catching up: no successful run since the last scheduled time",
		"scheduled", s.local(due), "last_success", since)
	return true
}

// local formats t as a wall-clock minute in Location.
func (s *Scheduler) local(t time.Time) string {
	return t.In(s.c.Location).Format("2006-01-02 15:04")
}
