package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"aktionsplan/pipeline"
)

// stageLog collects the stages of one run for --verbose and shows what the
// run is doing on standard error while it runs there on a terminal.
type stageLog struct {
	mu     sync.Mutex
	stages []pipeline.Stage
	start  time.Time
	total  time.Duration
	// tty is standard error when it is a terminal, else nil.
	tty  io.Writer
	last time.Time
}

// progressEvery is how often the progress line on a terminal changes.
const progressEvery = 250 * time.Millisecond

// watch sets up the stage log of the next job that a builds: it collects
// stages when verbose, and shows progress when standard error is a
// terminal.
func (a *app) watch(verbose bool) *stageLog {
	l := &stageLog{start: time.Now()}
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		l.tty = f
		a.progress = l.progress
	}
	if verbose || l.tty != nil {
		a.observe = l.observe
	}
	return l
}

func (l *stageLog) observe(s pipeline.Stage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stages = append(l.stages, s)
	if l.tty != nil && s.Step != pipeline.StepEncode {
		fmt.Fprintf(l.tty, "\r\033[K%s: fertig (%s)", stageLabel(s), seconds(s.Duration))
	}
}

// progress shows the rows read so far of an input, at most every
// progressEvery.
func (l *stageLog) progress(role string, rows int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now := time.Now(); now.Sub(l.last) >= progressEvery {
		l.last = now
		fmt.Fprintf(l.tty, "\r\033[KLesen %s: %s Zeilen …", roleLabel(role), pipeline.GermanInt(rows))
	}
}

// stop clears the progress line and takes the run's total time.
func (l *stageLog) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total = time.Since(l.start)
	if l.tty != nil {
		fmt.Fprint(l.tty, "\r\033[K")
	}
}

// print writes every stage with its duration and row count, aligned: each
// dataset followed by the time spent in each of its files' encoders.
func (l *stageLog) print(w io.Writer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(w, "Dauer der Schritte:")
	type row struct{ label, secs, rows string }
	var rows []row
	written := map[string]bool{}
	for _, s := range l.stages {
		if s.Step == pipeline.StepWrite {
			written[s.Name] = true
		}
	}
	line := func(label string, d time.Duration, count string) {
		rows = append(rows, row{label, seconds(d), count})
	}
	encodes := func(ds string) {
		for _, e := range l.stages {
			if e.Step == pipeline.StepEncode && e.Dataset == ds {
				line("    davon "+e.Name, e.Duration, rowsOf(e))
			}
		}
	}
	streamed := map[string]bool{}
	for _, s := range l.stages {
		switch {
		case s.Step == pipeline.StepEncode && !written[s.Dataset] && !streamed[s.Dataset]:
			// Written row by row while its input was read.
			streamed[s.Dataset] = true
			var sum time.Duration
			for _, e := range l.stages {
				if e.Step == pipeline.StepEncode && e.Dataset == s.Dataset {
					sum += e.Duration
				}
			}
			line("Schreiben "+s.Dataset+" (beim Lesen)", sum, rowsOf(s))
			encodes(s.Dataset)
		case s.Step == pipeline.StepEncode:
		default:
			line(stageLabel(s), s.Duration, rowsOf(s))
			if s.Step == pipeline.StepWrite {
				encodes(s.Name)
			}
		}
	}
	line("Gesamt", l.total, "")
	// Labels left, figures right, each in a column as wide as its widest
	// entry.
	var wl, ws, wr int
	for _, r := range rows {
		wl, ws, wr = max(wl, utf8.RuneCountInString(r.label)), max(ws, len(r.secs)), max(wr, utf8.RuneCountInString(r.rows))
	}
	for _, r := range rows {
		pad := wl - utf8.RuneCountInString(r.label)
		fmt.Fprintf(w, "  %s%s  %*s  %*s\n", r.label, strings.Repeat(" ", pad), ws, r.secs, wr+len(r.rows)-utf8.RuneCountInString(r.rows), r.rows)
	}
}

// stageLabel names a stage in German.
func stageLabel(s pipeline.Stage) string {
	switch s.Step {
	case pipeline.StepRead:
		return "Lesen " + s.Name
	case pipeline.StepJoin:
		return "Verknüpfen"
	case pipeline.StepWrite:
		return "Schreiben " + s.Name
	case pipeline.StepEncode:
		return "Kodieren " + s.Name
	case pipeline.StepDocument:
		return "Dokument " + s.Name
	case pipeline.StepPublish:
		return "Veröffentlichen"
	}
	return s.Step + " " + s.Name
}

// rowsOf is what the count of a stage counts, in German.
func rowsOf(s pipeline.Stage) string {
	switch s.Step {
	case pipeline.StepDocument:
		return ""
	case pipeline.StepJoin:
		return pipeline.GermanInt(s.Rows) + " Aktionsräume"
	case pipeline.StepPublish:
		return pipeline.GermanInt(s.Rows) + " Dateien"
	case pipeline.StepRead:
		if strings.HasSuffix(strings.ToLower(s.Name), "json") {
			return pipeline.GermanInt(s.Rows) + " Grenzen"
		}
	}
	return pipeline.GermanInt(s.Rows) + " Zeilen"
}

func roleLabel(role string) string {
	switch role {
	case "register":
		return "Register"
	case "fund_usage":
		return "Mittelverwendung"
	case "key_figures":
		return "Kennzahlen"
	}
	return role
}

// seconds writes a duration in seconds with three decimals, the German way.
func seconds(d time.Duration) string {
	return strings.Replace(fmt.Sprintf("%.3f s", d.Seconds()), ".", ",", 1)
}
