package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// parser reads specs of five fields (minute first) or six (second first),
// and the descriptors @daily, @hourly and the like.
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour |
	cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// starBit is the bit cron v3 sets in a field written with "*" (see its
// spec.go); in the hour field it tells an hourly job from one at fixed hours.
const starBit = 1 << 63

// fireSearch bounds the search for fire times, as cron's own Next does.
const fireSearch = 5 * 366 * 24 * time.Hour

// wallSchedule is a cron spec read on the wall clock of its time zone, so
// that a job at fixed hours runs once on every day it names, also on the
// two nights the clocks change. cron v3.0.1 alone gets both nights wrong for
// such a job: it drops a time that the spring change skips (02:30 on
// 2026-03-29 in Europe/Berlin does not run at all) and runs a time that the
// autumn change repeats twice (02:30 CEST and 02:30 CET on 2026-10-25).
// wallSchedule runs a skipped time at the end of the gap (03:00), as Vixie
// cron does, and only the first of a repeated time. A spec whose hour field
// is "*" (every hour, every minute) follows elapsed time instead and is left
// as cron has it: an hourly job runs in both repeated hours and not in the
// skipped one, each an hour after the last.
type wallSchedule struct {
	spec *cron.SpecSchedule // in the time zone
	wall *cron.SpecSchedule // the same fields, in UTC: wall-clock readings as instants
	loc  *time.Location
	// fixed is whether the hour field names hours rather than "*".
	fixed bool
}

var _ cron.Schedule = wallSchedule{}

func newWallSchedule(s *cron.SpecSchedule, loc *time.Location) wallSchedule {
	inZone, inUTC := *s, *s
	inZone.Location, inUTC.Location = loc, time.UTC
	return wallSchedule{spec: &inZone, wall: &inUTC, loc: loc, fixed: s.Hour&starBit == 0}
}

// Next returns the first fire time after t, or the zero time if there is
// none within five years.
func (w wallSchedule) Next(t time.Time) time.Time {
	t = t.In(w.loc)
	n := w.spec.Next(t)
	if !w.fixed {
		return n
	}
	for !n.IsZero() && repeated(n) {
		n = w.spec.Next(n)
	}
	if g := w.skippedFire(t, n); !g.IsZero() {
		return g
	}
	return n
}

// repeated reports whether the wall clock showed t's reading once before, in
// the hour that an autumn change repeats.
func repeated(t time.Time) bool {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return false
	}
	_, before := start.Add(-time.Nanosecond).Zone()
	_, after := t.Zone()
	return before > after && t.Sub(start) < time.Duration(before-after)*time.Second
}

// skippedFire returns the end of the first gap after t and before n (zero n:
// the search limit) in which the spec names a wall-clock time that the
// spring change skips, or the zero time if there is no such gap.
func (w wallSchedule) skippedFire(t, n time.Time) time.Time {
	limit := t.Add(fireSearch)
	for cur := t; ; {
		_, end := cur.ZoneBounds()
		if end.IsZero() || end.After(limit) || (!n.IsZero() && !end.Before(n)) {
			return time.Time{}
		}
		_, before := end.Add(-time.Nanosecond).Zone()
		_, after := end.Zone()
		if after > before {
			from := time.Unix(end.Unix()+int64(before), 0).UTC()
			to := from.Add(time.Duration(after-before) * time.Second)
			if m := w.wall.Next(from.Add(-time.Second)); !m.IsZero() && m.Before(to) {
				return end
			}
		}
		cur = end
	}
}

// prev returns the last fire time at or before t, or the zero time if there
// is none within five years.
func (w wallSchedule) prev(t time.Time) time.Time {
	for back := time.Minute; back <= fireSearch; back *= 2 {
		n := w.Next(t.Add(-back))
		if n.IsZero() || n.After(t) {
			continue
		}
		for {
			next := w.Next(n)
			if next.IsZero() || next.After(t) {
				return n
			}
			n = next
		}
	}
	return time.Time{}
}
