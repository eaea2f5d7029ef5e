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
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
	exitFailure = 3
)

func main() {
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
	case "help", "-h", "-help", "--help":
		fmt.Fprint(a.stdout, usage)
		return exitOK
	}
	fmt.Fprintf(a.stderr, "aktionsplan: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
