package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"aktionsplan/outputs/httpserve"
	"aktionsplan/outputs/webhook"
	"aktionsplan/pipeline"
	"aktionsplan/pipeline/schedule"
)

// defaultAddr is where serve listens unless told otherwise.
const defaultAddr = "127.0.0.1:8080"

// defaultSchedule runs at 05:30 Berlin time, outside the hour that the
// clock change skips or repeats.
const defaultSchedule = "30 5 * * *"

// graceTime is how long a running run may finish on shutdown.
const graceTime = 2 * time.Minute

func (a *app) serve(ctx context.Context, args []string) int {
	fs := newFlagSet("serve", `serve [--config FILE] --out DIR [--addr 127.0.0.1:8080] [--log-format text|json]

Runs the schedule of the config (default "30 5 * * *", Europe/Berlin) and
serves the releases over HTTP: /data/current/<file>, /data/releases/<id>/<file>,
/ (a page of the datasets and last runs), /api/runs, /api/runs/<id>, /healthz,
/metrics, and POST /api/runs (starts a run; needs Authorization: Bearer with
the token from the environment variable AKTIONSPLAN_TOKEN, off without one).
On start a run is made at once if the last successful one is older than the
schedule allows. SIGINT or SIGTERM stop taking runs, let a running one finish
for up to two minutes, and exit 0.`)
	var in inputFlags
	in.define(fs)
	out := fs.String("out", "", "output `DIR` (default: the config's out)")
	addr := fs.String("addr", "", "listen `address` (default: the config's [server] addr, else 127.0.0.1:8080)")
	logFormat := fs.String("log-format", "text", "log `format`: text or json")
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	if *logFormat != "text" && *logFormat != "json" {
		fmt.Fprintf(a.stderr, "aktionsplan serve: --log-format must be text or json, not %q\n", *logFormat)
		return exitUsage
	}
	a.logJSON = *logFormat == "json"
	r, closeRunner, err := a.newRunner(in, *out)
	if err != nil {
		return a.fail(err)
	}
	defer closeRunner()
	log := r.log
	if n, err := r.abandon(ctx); err != nil {
		return a.fail(err)
	} else if n > 0 {
		log.Warn("runs of an earlier process marked as failed", "runs", n)
	}
	if err := cleanup(r.out); err != nil {
		return a.fail(err)
	}
	if *addr == "" {
		*addr = r.cfg.Server.Addr
	}
	if *addr == "" {
		*addr = defaultAddr
	}
	spec := r.cfg.Schedule
	if spec == "" {
		spec = defaultSchedule
	}
	loc, err := r.cfg.location()
	if err != nil {
		return a.fail(err)
	}
	if r.cfg.Webhook != "" {
		client := &http.Client{Timeout: 10 * time.Second}
		r.notify = func(ctx context.Context, rec pipeline.RunRecord) {
			if err := webhook.Notify(ctx, client, r.cfg.Webhook, rec); err != nil {
				log.Error("failure notice not sent", "run", rec.ID, "err", err)
			}
		}
	}
	// Every run that ends reaches the metrics through the history, skipped
	// ones included, which the scheduler records without running.
	observed := &observedHistory{History: r.history}
	sched, err := schedule.New(schedule.Config{
		Spec: spec, Location: loc, Run: r.record, History: observed,
		NewID: r.newID, Now: a.now, Logger: log,
	})
	if err != nil {
		return a.fail(fmt.Errorf("%w: schedule: %w", errConfig, err))
	}
	srv, err := httpserve.New(httpserve.Config{
		Out: r.out, History: r.history, Health: sched.Health, Token: os.Getenv("AKTIONSPLAN_TOKEN"),
		Title: r.cfg.Title, Logger: log, Now: a.now,
		Trigger: func(trigger string) (string, error) {
			id, err := sched.Trigger(trigger)
			if errors.Is(err, schedule.ErrBusy) {
				err = fmt.Errorf("%w: %w", httpserve.ErrBusy, err)
			}
			return id, err
		},
	})
	if err != nil {
		return a.fail(err)
	}
	observed.observe = srv.Observe
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return a.fail(err)
	}
	hs := srv.HTTPServer(*addr)
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "out", r.out, "schedule", spec, "timezone", loc.String(), "next", sched.Next())
	sched.Start(ctx)

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		log.Error("server stopped", "err", err)
	}
	log.Info("shutting down: no new runs; a running one may finish", "grace", graceTime)
	grace, cancel := context.WithTimeout(context.Background(), graceTime)
	defer cancel()
	if err := sched.Stop(grace); err != nil {
		log.Warn("running run abandoned; current is untouched", "err", err)
	}
	if err := hs.Shutdown(grace); err != nil {
		log.Warn("connections closed early", "err", err)
	}
	log.Info("stopped")
	return exitOK
}

// location is the time zone of the schedule, Europe/Berlin by default.
func (c *Config) location() (*time.Location, error) {
	name := c.Timezone
	if name == "" {
		name = "Europe/Berlin"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: timezone %q: %w", errConfig, c.name, name, err)
	}
	return loc, nil
}

// observedHistory passes every run that is saved with its end status on to
// observe (the metrics).
type observedHistory struct {
	pipeline.History
	observe func(pipeline.RunRecord)
}

func (h *observedHistory) Save(ctx context.Context, r pipeline.RunRecord) error {
	err := h.History.Save(ctx, r)
	if r.Status != pipeline.StatusRunning && h.observe != nil {
		h.observe(r)
	}
	return err
}
