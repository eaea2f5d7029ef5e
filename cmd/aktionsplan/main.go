// Command aktionsplan publishes the open data of the Aktionsplan Soziale
// Stadt Dortmund: it reads the fund usage and key figure spreadsheets and the
// area boundaries, validates them, joins them and publishes CSV, GeoJSON and
// XLSX datasets as one atomic release.
//
//	aktionsplan run [--config FILE] [--areas FILE] [--fund-usage FILE] [--key-figures FILE] --out DIR
//	aktionsplan validate [--config FILE] [...] [--format text|json|html]
//	aktionsplan template fund-usage|key-figures --out FILE.xlsx [--config FILE]
//
// Exit codes: 0 success, 1 inputs invalid (nothing new published), 2 usage or
// configuration error, 3 any other failure.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"aktionsplan/pipeline"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
	exitFailure = 3
)

func main() {
	limitMemory()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := &app{stdout: os.Stdout, stderr: os.Stderr, now: time.Now}
	code := a.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// app holds what the commands need from the outside world, so that tests can
// run them in-process with their own clock and buffers.
type app struct {
	stdout, stderr io.Writer
	now            func() time.Time
	// logJSON switches the log to JSON lines (--log-format json).
	logJSON bool
	// observe and progress, when set, are given to the jobs built: run
	// --verbose and the progress display on a terminal.
	observe  func(pipeline.Stage)
	progress func(role string, rows int)
	// serial makes the jobs built read their inputs one after another
	// (run --serial).
	serial bool
}

// logger writes the operational log (run start and end, server events) to
// standard error, as text or JSON.
func (a *app) logger() *slog.Logger {
	if a.logJSON {
		return slog.New(slog.NewJSONHandler(a.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(a.stderr, nil))
}

const usage = `aktionsplan – Open Data des Aktionsplans Soziale Stadt Dortmund

Usage:
  aktionsplan run      [--config FILE] [input flags] --out DIR
        validate, join and publish a release; a failed run writes its report
        for people as OUT/reports/<run-id>.html
  aktionsplan validate [--config FILE] [input flags] [--format text|json|html]
        check the inputs only; html prints a page for the people who keep them
  aktionsplan template fund-usage|key-figures --out FILE.xlsx [--config FILE]
        write an input template: headers, dropdowns, formats, checks, instructions
  aktionsplan serve    [--config FILE] --out DIR [--addr 127.0.0.1:8080] [--log-format text|json]
        run the nightly schedule and serve the releases, the history and a trigger over HTTP
  aktionsplan runs     --out DIR          list the run history
  aktionsplan releases --out DIR          list the releases, marking the current one
  aktionsplan rollback --out DIR RELEASE  point current at an earlier release
  aktionsplan generate --areas N --fund-rows M [--years Y] [--seed S] --out DIR
        write a synthetic input set of any size (tests, benchmarks)

Without --config the embedded Dortmund example (sample data) is used.
Run "aktionsplan COMMAND --help" for the flags of a command.

Exit codes: 0 success, 1 inputs invalid (nothing new published),
2 usage or configuration error, 3 any other failure.
`

func (a *app) main(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return a.run(ctx, args[1:])
	case "validate":
		return a.validate(ctx, args[1:])
	case "template":
		return a.template(args[1:])
	case "serve":
		return a.serve(ctx, args[1:])
	case "runs":
		return a.runs(ctx, args[1:])
	case "releases":
		return a.releases(args[1:])
	case "rollback":
		return a.rollback(ctx, args[1:])
	case "generate":
		return a.generate(args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(a.stdout, usage)
		return exitOK
	}
	fmt.Fprintf(a.stderr, "aktionsplan: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
