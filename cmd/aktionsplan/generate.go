package main

import (
	"fmt"

	"aktionsplan/examples/synth"
)

func (a *app) generate(args []string) int {
	fs := newFlagSet("generate", `generate --areas N --fund-rows M [--years Y] [--seed S] --out DIR

Writes a synthetic input set for tests and benchmarks into DIR: an area
register of N areas, boundaries that tile a region with N polygons of 40 to
80 vertices sharing their edges, key figures for Y years, a fund usage
ledger of M rows (CSV) and aktionsplan.toml, which names them. The same
flags give the same bytes. The last line printed is the config file, for
"aktionsplan run --config".`)
	var s synth.Spec
	fs.IntVar(&s.Areas, "areas", 0, "number of areas `N`")
	fs.IntVar(&s.FundRows, "fund-rows", 0, "number of fund usage rows `M`")
	fs.IntVar(&s.Years, "years", 5, "number of years `Y` of key figures and fund usage")
	fs.Uint64Var(&s.Seed, "seed", 1, "seed `S` of the random figures and shapes")
	out := fs.String("out", "", "output `DIR`")
	if code, stop := a.parse(fs, args); stop {
		return code
	}
	if *out == "" {
		fmt.Fprintln(a.stderr, "aktionsplan generate: --out DIR is required")
		return exitUsage
	}
	if err := s.Check(); err != nil {
		fmt.Fprintf(a.stderr, "aktionsplan generate: %v\n", err)
		return exitUsage
	}
	paths, err := synth.Write(*out, s)
	if err != nil {
		return a.fail(err)
	}
	for _, p := range paths {
		fmt.Fprintln(a.stdout, p)
	}
	return exitOK
}
