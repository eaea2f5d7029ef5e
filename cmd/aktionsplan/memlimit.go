package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit is the heap size from which the garbage collector works
// harder rather than let the process grow. Go's default collects when the
// heap has doubled since the last collection, so a run whose live data peaks
// at 400 MB (50,000 areas with their boundaries, a million ledger rows) grew
// to 780 MB resident. With this limit the same run peaked at 480 MB for about
// a quarter more CPU time; runs whose live data stays well below the limit,
// such as a city's few hundred areas, are not affected at all. It is a soft
// limit: above it the collector takes at most half the CPU, it never fails
// a run.
const softMemoryLimit = 450 << 20

// limitMemory sets softMemoryLimit, unless GOMEMLIMIT in the environment asks
// for another.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
