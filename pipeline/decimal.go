package pipeline

import (
	"math"
	"strconv"
)

// Pow10 are the scales AppendDecimal knows, by decimals.
var Pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// AppendDecimal appends v as strconv.AppendFloat(b, v, 'f', -1, 64) does,
// about four times faster for a value with at most dec decimals, such as a
// coordinate rounded to 7 decimals or a drawing's to 0.1 px: the shortest decimal that reads back as
// v is then the integer m = v·10^dec with the point dec digits from the
// right and trailing zeros dropped. That holds when m/10^dec gives v back
// exactly and m is far below 2^53, so that v's neighbouring floats lie
// much closer than 10^-dec; any other value goes to strconv.
func AppendDecimal(b []byte, v float64, dec int) []byte {
	scale := Pow10[dec]
	m := math.Round(v * scale)
	if v == 0 || m/scale != v || math.Abs(m) >= 1e14 {
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	n := uint64(m)
	div := uint64(scale)
	b = strconv.AppendUint(b, n/div, 10)
	frac := n % div
	if frac == 0 {
		return b
	}
	// The decimals with leading zeros, then without trailing ones.
	var d [len(Pow10)]byte
	for i := dec - 1; i >= 0; i-- {
		d[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := dec
	for d[end-1] == '0' {
		end--
	}
	b = append(b, '.')
	return append(b, d[:end]...)
}
