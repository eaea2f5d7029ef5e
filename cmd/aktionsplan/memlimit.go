package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit is the heap size from which the garbage collector works
// harder rather than let the process grow. Go's default collects when the
// heap has doubled since the last collection, so a run whose live data peaks
// at about 230 MB (50,000 areas with their boundaries and a quarter of a
// million key-figure rows, a million ledger rows streamed) would grow to
// twice that. Measured on that run (3 alternating runs each, 2026-11-26):
// with 300 MiB it peaked at 325 MB, with 280 MiB at 307 MB and with 260 MiB
// at 288 MB, all three in the same median time (13.2-13.3 s); below, the
// peak hardly falls (240 MiB: 288 MB, 220 MiB: 281 MB) while the time grows
// (15.1 s, 16.3 s). Runs whose live data stays well below the limit, such
// as a city's few hundred areas or 2,000 areas and 100,000 ledger rows, are
// not affected at all. It is a soft limit: above it the collector takes at
// most half the CPU, it never fails a run; GOMEMLIMIT in the environment
// overrides it.
const softMemoryLimit = 260 << 20

// limitMemory sets softMemoryLimit, unless GOMEMLIMIT in the environment asks
// for another.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
