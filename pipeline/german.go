package pipeline

import (
	"bytes"
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

// GermanNumber writes v with dec decimals the German way: 1.234,5; no
// minus before a value that shows as zero.
func GermanNumber(v float64, dec int) string {
	var buf [32]byte
	return string(AppendGermanNumber(buf[:0], v, dec))
}

// AppendGermanNumber appends v as GermanNumber writes it.
func AppendGermanNumber(b []byte, v float64, dec int) []byte {
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], v, 'f', dec, 64)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	whole, frac := s, s[len(s):]
	if i := bytes.IndexByte(s, '.'); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	}
	// No minus before a value that shows as zero: -0,00 is 0,00.
	if neg && len(bytes.Trim(s, "0.")) > 0 {
		b = append(b, '-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, c)
	}
	if len(frac) > 0 {
		b = append(b, ',')
		b = append(b, frac...)
	}
	return b
}
