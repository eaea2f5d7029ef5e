package pipeline

import (
	"math"
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
