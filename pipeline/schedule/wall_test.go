package schedule

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fires iterates next n times from from and returns the times in RFC 3339
// with their offsets, so that 02:30+02:00 and 02:30+01:00 differ.
func fires(next func(time.Time) time.Time, from time.Time, n int) []string {
	var out []string
	for t := from; len(out) < n; {
		t = next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t.Format(time.RFC3339))
	}
	return out
}

// The two nights of 2026 on which Europe/Berlin changes its clocks, with a
// job at 02:30: on 2026-03-29 the clocks go from 02:00 CET to 03:00 CEST, so
// 02:30 does not exist; on 2026-10-25 they go from 03:00 CEST back to 02:00
// CET, so 02:30 happens twice.
var dstNights = []struct {
	name string
	from string // local time, well before the night
	// cron is what cron v3.0.1 itself does with the spec.
	cron []string
	// want is what the scheduler does.
	want []string
}{
	{
		name: "spring 2026-03-29 02:00 to 03:00",
		from: "2026-03-27T12:00:00",
		// cron drops the night: its hour loop steps from 01:00 CET by one
		// hour to 03:00 CEST and never sees hour 2 that day.
		cron: []string{"2026-03-28T02:30:00+01:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"},
		// The scheduler runs the skipped 02:30 at the end of the gap, 03:00
		// CEST, the first moment after it, once.
		want: []string{"2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"},
	},
	{
		name: "autumn 2026-10-25 03:00 back to 02:00",
		from: "2026-10-23T12:00:00",
		// cron runs twice: after 02:30 CEST its minute loop steps from
		// 02:59 CEST to 02:00 CET, which matches hour 2 again.
		cron: []string{"2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00"},
		// The scheduler runs the first 02:30 (CEST) only.
		want: []string{"2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00", "2026-10-27T02:30:00+01:00"},
	},
}

func TestDSTNights(t *testing.T) {
	loc := berlin(t)
	const spec = "30 2 * * *"
	raw, err := parser.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	rawInZone := *raw.(*cron.SpecSchedule)
	rawInZone.Location = loc
	sched, err := parse(spec, loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, night := range dstNights {
		t.Run(night.name, func(t *testing.T) {
			from, err := time.ParseInLocation("2006-01-02T15:04:05", night.from, loc)
			if err != nil {
				t.Fatal(err)
			}
			// Documents the library: if an update of cron changes this, the
			// corrections in wallSchedule need a look.
			if got := fires(rawInZone.Next, from, len(night.cron)); !slices.Equal(got, night.cron) {
				t.Errorf("cron v3.0.1 alone:\n got %v\nwant %v", got, night.cron)
			}
			if got := fires(sched.Next, from, len(night.want)); !slices.Equal(got, night.want) {
				t.Errorf("scheduler:\n got %v\nwant %v", got, night.want)
			}
		})
	}
}

// A scheduler that starts during the night, or asks again right after a
// fire, still runs the night's 02:30 once.
func TestDSTNightFromInside(t *testing.T) {
	loc := berlin(t)
	sched, err := parse("30 2 * * *", loc)
	if err != nil {
		t.Fatal(err)
	}
	cet, cest := time.FixedZone("CET", 3600), time.FixedZone("CEST", 7200)
	tests := []struct {
		name string
		from time.Time
		want string
	}{
		{"last second before the gap", time.Date(2026, 3, 29, 1, 59, 59, 0, cet), "2026-03-29T03:00:00+02:00"},
		{"at the end of the gap, just fired", time.Date(2026, 3, 29, 3, 0, 0, 0, cest), "2026-03-30T02:30:00+02:00"},
		{"late wake-up after the fire", time.Date(2026, 3, 29, 3, 0, 0, 400e6, cest), "2026-03-30T02:30:00+02:00"},
		{"first 02:15, summer time", time.Date(2026, 10, 25, 2, 15, 0, 0, cest), "2026-10-25T02:30:00+02:00"},
		{"first 02:30, just fired", time.Date(2026, 10, 25, 2, 30, 0, 0, cest), "2026-10-26T02:30:00+01:00"},
		{"second 02:15, winter time", time.Date(2026, 10, 25, 2, 15, 0, 0, cet), "2026-10-26T02:30:00+01:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sched.Next(tc.from).Format(time.RFC3339); got != tc.want {
				t.Errorf("Next(%s) = %s, want %s", tc.from.Format(time.RFC3339), got, tc.want)
			}
		})
	}
}

// Every wall-clock time a spec with fixed hours names fires once: at its
// first occurrence, or at the end of the gap when the clocks skip it. Checked
// against a brute-force walk over the minutes of both nights.
func TestDSTWallClockOnce(t *testing.T) {
	loc := berlin(t)
	specs := []string{
		"30 2 * * *", "0 2 * * *", "59 2 * * *", "59 1 * * *", "0 3 * * *",
		"0,30 2 * * *", "* 2 * * *", "15 2 * * 0", "30 2 29 3 *", "30 1-3 * * *",
	}
	windows := [][2]time.Time{
		{time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 10, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 28, 0, 0, 0, 0, time.UTC)},
	}
	for _, spec := range specs {
		for _, win := range windows {
			t.Run(fmt.Sprintf("%s/%s", spec, win[0].Format("2006-01")), func(t *testing.T) {
				sched, err := parse(spec, loc)
				if err != nil {
					t.Fatal(err)
				}
				want := bruteForce(t, spec, loc, win[0], win[1])
				var got []string
				for f := sched.Next(win[0]); f.Before(win[1]); f = sched.Next(f) {
					got = append(got, f.Format(time.RFC3339))
				}
				if !slices.Equal(got, want) {
					t.Errorf("\n got %v\nwant %v", got, want)
				}
			})
		}
	}
}

// bruteForce lists the fires of spec in (from, to): every wall-clock minute
// the spec names, at the first instant the clock shows it, or at the first
// instant it shows a later one when the clocks skip it.
func bruteForce(t *testing.T, spec string, loc *time.Location, from, to time.Time) []string {
	t.Helper()
	parsed, err := parser.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	match := *parsed.(*cron.SpecSchedule)
	match.Location = time.UTC
	names := func(wall time.Time) bool { return match.Next(wall.Add(-time.Second)).Equal(wall) }
	// wall reads an instant's local clock as a UTC time, so readings compare.
	wall := func(u time.Time) time.Time {
		l := u.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
	}
	var instants []time.Time
	for u := from.Add(time.Minute); u.Before(to); u = u.Add(time.Minute) {
		instants = append(instants, u)
	}
	var out []string
	seen := map[time.Time]bool{}
	for w := wall(instants[0]); !w.After(wall(instants[len(instants)-1])); w = w.Add(time.Minute) {
		if !names(w) {
			continue
		}
		i := slices.IndexFunc(instants, func(u time.Time) bool { return !wall(u).Before(w) })
		if i < 0 || seen[instants[i]] {
			continue
		}
		seen[instants[i]] = true
		out = append(out, instants[i].In(loc).Format(time.RFC3339))
	}
	return out
}

// A spec with "*" in the hour field follows elapsed time: it runs in both
// repeated hours and not in the skipped one, as cron does.
func TestDSTHourly(t *testing.T) {
	loc := berlin(t)
	sched, err := parse("30 * * * *", loc)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		from string
		want []string
	}{
		{"2026-03-29T01:00:00+01:00", []string{"2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00"}},
		{"2026-10-25T01:00:00+02:00", []string{"2026-10-25T01:30:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2026-10-25T03:30:00+01:00"}},
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			from, err := time.Parse(time.RFC3339, tc.from)
			if err != nil {
				t.Fatal(err)
			}
			if got := fires(sched.Next, from, len(tc.want)); !slices.Equal(got, tc.want) {
				t.Errorf("\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// The shipped schedule, 05:30 Berlin time, lies outside the hour the clocks
// skip or repeat: through all of 2026 and 2027 it fires once a day at 05:30,
// never between 02:00 and 02:59, the same as cron alone.
func TestDefaultSpecAvoidsDSTHour(t *testing.T) {
	loc := berlin(t)
	const spec = "30 5 * * *"
	sched, err := parse(spec, loc)
	if err != nil {
		t.Fatal(err)
	}
	raw := *sched.spec
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(2028, 1, 1, 0, 0, 0, 0, loc)
	days := 0
	for f, day := sched.Next(from), from; f.Before(to); f = sched.Next(f) {
		days++
		if f.Hour() == 2 {
			t.Fatalf("fire at %s, in the hour of the clock change", f)
		}
		if f.Hour() != 5 || f.Minute() != 30 || f.Second() != 0 {
			t.Fatalf("fire at %s, not at 05:30", f)
		}
		if y, m, d := f.Date(); time.Date(y, m, d, 0, 0, 0, 0, loc) != day {
			t.Fatalf("fire at %s, want one on %s", f, day.Format(time.DateOnly))
		}
		if r := raw.Next(f.Add(-time.Second)); !r.Equal(f) {
			t.Fatalf("cron alone fires at %s, the scheduler at %s", r, f)
		}
		day = day.AddDate(0, 0, 1)
	}
	if days != 365+365 {
		t.Errorf("%d fires in 2026 and 2027, want one a day", days)
	}
}

func TestPrev(t *testing.T) {
	loc := berlin(t)
	tests := []struct {
		spec, at, want string
	}{
		{"30 5 * * *", "2026-11-25T06:00:00+01:00", "2026-11-25T05:30:00+01:00"},
		{"30 5 * * *", "2026-11-25T05:30:00+01:00", "2026-11-25T05:30:00+01:00"},
		{"30 5 * * *", "2026-11-25T05:29:59+01:00", "2026-11-24T05:30:00+01:00"},
		{"30 2 * * *", "2026-03-29T12:00:00+02:00", "2026-03-29T03:00:00+02:00"},
		{"30 2 * * *", "2026-10-25T12:00:00+01:00", "2026-10-25T02:30:00+02:00"},
		{"0 6 1 1 *", "2026-11-25T06:00:00+01:00", "2026-01-01T06:00:00+01:00"},
		{"* * * * * *", "2026-11-25T06:00:00.5+01:00", "2026-11-25T06:00:00+01:00"},
	}
	for _, tc := range tests {
		t.Run(tc.spec+" "+tc.at, func(t *testing.T) {
			sched, err := parse(tc.spec, loc)
			if err != nil {
				t.Fatal(err)
			}
			at, err := time.Parse(time.RFC3339Nano, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if got := sched.prev(at).In(loc).Format(time.RFC3339); got != tc.want {
				t.Errorf("prev = %s, want %s", got, tc.want)
			}
		})
	}
}
