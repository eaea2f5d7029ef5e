package pipeline

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestGermanNumbers(t *testing.T) {
	for in, want := range map[uint64]string{0: "0 Bytes", 1000: "1.000 Bytes", 1024: "1 KiB", 256 << 20: "256 MiB",
		4 << 30: "4 GiB", 3 << 19: "1,5 MiB (1.572.864 Bytes)", 4<<30 + 300<<20: "4,3 GiB (4.609.540.096 Bytes)"} {
		if got := GermanBytes(in); got != want {
			t.Errorf("GermanBytes(%d) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[int64]string{0: "0", 7: "7", 1000: "1.000", 2_000_000: "2.000.000", -1234: "-1.234",
		-123: "-123", math.MinInt64: "-9.223.372.036.854.775.808"} {
		if got := GermanInt(in); got != want {
			t.Errorf("GermanInt(%d) = %q, want %q", in, got, want)
		}
	}
	if got := GermanInt(uint64(math.MaxUint64)); got != "18.446.744.073.709.551.615" {
		t.Errorf("GermanInt(MaxUint64) = %q", got)
	}
}

// germanNumberPlain is GermanNumber as it was first written, with strings:
// the reference of FuzzGermanNumber.
func germanNumberPlain(v float64, dec int) string {
	s := strconv.FormatFloat(v, 'f', dec, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// FuzzGermanNumber checks GermanNumber against germanNumberPlain.
func FuzzGermanNumber(f *testing.F) {
	for _, v := range []float64{0, -0.001, 22189, 1234567.891, -1234.5, 1e21, math.NaN(), math.Inf(-1), math.Inf(1), 5e-324, 123.45} {
		f.Add(v, uint8(2))
	}
	f.Fuzz(func(t *testing.T, v float64, d uint8) {
		dec := int(d % 10)
		if got, want := GermanNumber(v, dec), germanNumberPlain(v, dec); got != want {
			t.Errorf("GermanNumber(%v, %d) = %q, want %q", v, dec, got, want)
		}
	})
}
