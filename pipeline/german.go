package pipeline

import (
	"math"
	"strconv"
	"strings"
)

// GermanInt writes n the German way, with dots between thousands:
// 2.000.000, -1.234.
func GermanInt[T ~int | ~int64 | ~uint64](n T) string {
	var s string
	if n < 0 {
		s = strconv.FormatInt(int64(n), 10)
	} else {
		s = strconv.FormatUint(uint64(n), 10)
	}
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// GermanBytes writes a size the German way: in the largest binary unit that
// makes it at least one, and in bytes as well where the unit rounds it, as
// limits are configured in bytes: "256 MiB", "1,5 MiB (1.572.864 Bytes)".
func GermanBytes(n uint64) string {
	units := []string{"Bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	x, u := float64(n), 0
	for x >= 1024 && u < len(units)-1 {
		x /= 1024
		u++
	}
	switch {
	case u == 0:
		return GermanInt(n) + " Bytes"
	case x == math.Trunc(x):
		return strconv.FormatFloat(x, 'f', 0, 64) + " " + units[u]
	}
	s := strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
	return s + " " + units[u] + " (" + GermanInt(n) + " Bytes)"
}
