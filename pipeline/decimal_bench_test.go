package pipeline

import (
	"math"
	"testing"
)

// BenchmarkAppendDecimal formats values as the writers pass them: WGS84
// coordinates rounded to 7 decimals, UTM coordinates rounded to the
// centimetre, and amounts in euros with cents.
func BenchmarkAppendDecimal(b *testing.B) {
	for _, bc := range []struct {
		name string
		dec  int
		at   func(i int) float64
	}{
		{"wgs84", 7, func(i int) float64 { return 7.2 + float64(i)*1.37e-6 }},
		{"utm", 2, func(i int) float64 { return 393506 + float64(i)*0.731 }},
		{"amount", 2, func(i int) float64 { return float64(i%50000) * 1.05 }},
	} {
		vs := make([]float64, 4096)
		for i := range vs {
			vs[i] = math.Round(bc.at(i)*Pow10[bc.dec]) / Pow10[bc.dec]
		}
		b.Run(bc.name, func(b *testing.B) {
			buf := make([]byte, 0, 64)
			for i := 0; b.Loop(); i++ {
				buf = AppendDecimal(buf[:0], vs[i&(len(vs)-1)], bc.dec)
			}
		})
	}
}

// BenchmarkAppendFixed formats coordinates kept as integers, as the GeoJSON
// encoder does: WGS84 to 7 decimals and UTM to the centimetre.
func BenchmarkAppendFixed(b *testing.B) {
	for _, bc := range []struct {
		name string
		dec  int
		at   func(i int) int64
	}{
		{"wgs84", 7, func(i int) int64 { return 72000000 + int64(i)*137 }},
		{"utm", 2, func(i int) int64 { return 570805819 + int64(i)*731 }},
	} {
		ms := make([]int64, 4096)
		for i := range ms {
			ms[i] = bc.at(i)
		}
		b.Run(bc.name, func(b *testing.B) {
			buf := make([]byte, 0, 64)
			for i := 0; b.Loop(); i++ {
				buf = AppendFixed(buf[:0], ms[i&(len(ms)-1)], bc.dec)
			}
		})
	}
}
