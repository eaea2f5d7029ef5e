package pipeline

import (
	"math"
	"strconv"
	"strings"
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

// FuzzAppendFixed checks AppendFixed against the digits of m with the point
// put in by hand.
func FuzzAppendFixed(f *testing.F) {
	for _, m := range []int64{0, 1, -1, 5, 10, 100, 74653000, -74653, 515136123, 39350683, 570805819, 1e8, 1e8 - 1,
		1e15, 1e16 - 1, 1e16, 1e18, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		for _, dec := range []uint8{0, 1, 2, 7, 8, 9, 12, 20} {
			f.Add(m, dec)
		}
	}
	f.Fuzz(func(t *testing.T, m int64, d uint8) {
		dec := int(d) % 24
		// Also shorter numbers, and some with trailing zeros, which the
		// fuzzer rarely tries.
		for _, m := range []int64{m, m % 1e16, m % 1e9, m % 1e4, m % 1e9 * 1000} {
			want := fixedByHand(m, dec)
			got := AppendFixed([]byte("x"), m, dec)
			if string(got) != "x"+want {
				t.Errorf("AppendFixed(%d, %d) = %s, want x%s", m, dec, got, want)
			}
		}
	})
}

// fixedByHand is m·10^-dec from the decimal digits of m.
func fixedByHand(m int64, dec int) string {
	digits := strconv.FormatUint(uint64(m), 10)
	sign := ""
	if m < 0 {
		sign, digits = "-", strconv.FormatUint(-uint64(m), 10)
	}
	for len(digits) <= dec {
		digits = "0" + digits
	}
	whole, frac := digits[:len(digits)-dec], strings.TrimRight(digits[len(digits)-dec:], "0")
	if frac == "" {
		return sign + whole
	}
	return sign + whole + "." + frac
}

func TestDecimalDigits(t *testing.T) {
	for k := range 64 {
		for _, n := range []uint64{1<<k - 1, 1 << k, 1<<k + 1} {
			if got, want := decimalDigits(n), len(strconv.FormatUint(n, 10)); got != want {
				t.Errorf("decimalDigits(%d) = %d, want %d", n, got, want)
			}
		}
	}
	for n := uint64(1); n < math.MaxUint64/10; n *= 10 {
		for _, n := range []uint64{n - 1, n, n + 1} {
			if got, want := decimalDigits(n), len(strconv.FormatUint(n, 10)); got != want {
				t.Errorf("decimalDigits(%d) = %d, want %d", n, got, want)
			}
		}
	}
}
