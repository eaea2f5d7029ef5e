package pipeline

import (
	"math"
	"strconv"
	"testing"
)

// FuzzAppendDecimal checks AppendDecimal against strconv for values as they
// come, and rounded to its decimals as the GeoJSON encoder rounds
// coordinates.
func FuzzAppendDecimal(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 7.4653, -7.4653, 51.5136123, 0.05, 1e-7, 393506.835372,
		5708058.19, 1e13, 9.99999995, 180, -180, 0.1 + 0.2, math.NaN(), math.Inf(1), math.MaxFloat64, 5e-324} {
		f.Add(v, uint8(7))
		f.Add(v, uint8(2))
	}
	// Amounts in cents, as the CSV writer passes them.
	for _, v := range []float64{1250.5, -5, 0.05, 4499, 226000, 1e300, math.Inf(-1)} {
		f.Add(v, uint8(2))
	}
	f.Fuzz(func(t *testing.T, v float64, d uint8) {
		dec := int(d) % len(Pow10)
		for _, x := range []float64{v, math.Round(v*Pow10[dec]) / Pow10[dec], v / 1e6, math.Round(v/1e6*Pow10[dec]) / Pow10[dec]} {
			want := strconv.AppendFloat(nil, x, 'f', -1, 64)
			if got := AppendDecimal(nil, x, dec); string(got) != string(want) {
				t.Errorf("AppendDecimal(%v, %d) = %s, want %s", x, dec, got, want)
			}
		}
	})
}
