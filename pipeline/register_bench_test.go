package pipeline_test

import (
	"fmt"
	"testing"

	"aktionsplan/pipeline"
)

// BenchmarkNewRegister builds the register of 50,000 areas, as the L
// workload of bench/compare.sh has: every other input waits for it.
func BenchmarkNewRegister(b *testing.B) {
	areas := make([]pipeline.Area, 50_000)
	for i := range areas {
		areas[i] = pipeline.Area{Code: fmt.Sprintf("A%05d", i), Name: fmt.Sprintf("Gebiet %d", i)}
	}
	for b.Loop() {
		if _, err := pipeline.NewRegister(areas); err != nil {
			b.Fatal(err)
		}
	}
}
