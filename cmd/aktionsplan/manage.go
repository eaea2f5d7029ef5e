package main

import (
	"context"
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"aktionsplan/outputs/history"
	"aktionsplan/outputs/release"
	"aktionsplan/pipeline"
)

// runs lists the run history of an output folder.
func (a *app) runs(ctx context.Context, args []string) int {
	fs := newFlagSet("runs", `runs --out DIR [--limit N]

Lists the recorded runs of DIR, newest first: id, trigger, status, start,
duration, errors, warnings, release and message.`)
	out := fs.String("out", "", "output `DIR` whose history to list")
	limit := fs.Int("limit", 20, "show at most `N` runs (0: all)")
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	if *out == "" {
		fmt.Fprintln(a.stderr, "aktionsplan runs: --out DIR is required")
		return exitUsage
	}
	h, err := history.Open(filepath.Join(*out, historyFile))
	if err != nil {
		return a.fail(err)
	}
	defer h.Close()
	recs, err := h.List(ctx, *limit)
	if err != nil {
		return a.fail(err)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tTRIGGER\tSTATUS\tSTART\tDURATION\tERRORS\tWARNINGS\tRELEASE\tMESSAGE")
	for _, r := range recs {
		dur := ""
		if !r.End.IsZero() {
			dur = r.End.Sub(r.Start).Round(1e6).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.ID, r.Trigger, r.Status,
			r.Start.Format("2006-01-02 15:04:05Z07:00"), dur, r.Errors, r.Warnings, r.Release, r.Message)
	}
	tw.Flush()
	return exitOK
}

// releases lists the releases of an output folder.
func (a *app) releases(args []string) int {
	fs := newFlagSet("releases", `releases --out DIR

Lists the releases under DIR/releases, newest first, and marks the current one.`)
	out := fs.String("out", "", "output `DIR`")
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	if *out == "" {
		fmt.Fprintln(a.stderr, "aktionsplan releases: --out DIR is required")
		return exitUsage
	}
	infos, err := release.List(*out)
	if err != nil {
		return a.fail(err)
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RELEASE\tTIME\tFILES\tBYTES\tCURRENT")
	for _, r := range infos {
		cur := ""
		if r.Current {
			cur = "*"
		}
		if r.Err != nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\tdefekt: %v\n", r.ID, r.Err)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", r.ID, r.Time.Format("2006-01-02 15:04:05Z07:00"), r.Files, r.Bytes, cur)
	}
	tw.Flush()
	return exitOK
}

// rollback points current at an earlier release and records it.
func (a *app) rollback(ctx context.Context, args []string) int {
	fs := newFlagSet("rollback", `rollback --out DIR RELEASE-ID

Points DIR/current at an earlier release, atomically, after checking its
files against its manifest, and records the rollback in the run history.`)
	out := fs.String("out", "", "output `DIR`")
	fs.SetOutput(a.stderr)
	if err := fs.Parse(args); err != nil {
		if err.Error() == "flag: help requested" {
			return exitOK
		}
		return exitUsage
	}
	if *out == "" || fs.NArg() != 1 {
		fmt.Fprintln(a.stderr, "aktionsplan rollback: --out DIR and one RELEASE-ID are required")
		return exitUsage
	}
	id := fs.Arg(0)
	start := a.now().UTC()
	unlock, err := lockOut(*out)
	if err != nil {
		return a.fail(err)
	}
	defer unlock()
	// The history first: a rollback that cannot be recorded does not happen.
	h, err := history.Open(filepath.Join(*out, historyFile))
	if err != nil {
		return a.fail(err)
	}
	defer h.Close()
	if err := release.Rollback(*out, id); err != nil {
		return a.fail(err)
	}
	rec := pipeline.RunRecord{ID: uniqueRunID(*out, start.Format("20060102T150405Z")), Trigger: pipeline.TriggerCLI,
		Status: pipeline.StatusRollback, Start: start, End: a.now().UTC(), Release: id,
		Message: "current zurückgesetzt auf " + id}
	if err := h.Save(ctx, rec); err != nil {
		return a.fail(err)
	}
	fmt.Fprintf(a.stdout, "current zeigt jetzt auf %s.\n", id)
	return exitOK
}
