package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit is the heap size from which the garbage collector works
// harder rather than let the process grow. Go's default collects when the
// heap has doubled since the last collection, so a run whose live data peaks
// at 400 MB (50,000 areas with their boundaries, a million ledger rows) grew
// to 850 MB resident. With this limit the same run peaked at 625 MB for 7 %
// more CPU time; a limit of 450 MiB gave 480 MB, but for 35 % more CPU time,
// as the collector then runs again and again while the boundaries are
// checked. Runs whose live data stays well below the limit, such as a city's
// few hundred areas, are not affected at all. It is a soft limit: above it
// the collector takes at most half the CPU, it never fails a run.
const softMemoryLimit = 600 << 20

// limitMemory sets softMemoryLimit, unless GOMEMLIMIT in the environment asks
// for another.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
}
