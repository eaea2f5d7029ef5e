package geojson

import (
	"math"
	"strconv"
)

// pow10 are the scales appendFixed knows, by decimals.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// appendFixed appends v as strconv.AppendFloat(b, v, 'f', -1, 64) does,
// about four times faster for a value with at most dec decimals, such as
// a coordinate rounded by round: the shortest decimal that reads back as
// v is then the integer m = v·10^dec with the point dec digits from the
// right and trailing zeros dropped. That holds when m/10^dec gives v back
// exactly and m is far below 2^53, so that v's neighbouring floats lie
// much closer than 10^-dec; any other value goes to strconv.
func appendFixed(b []byte, v float64, dec int) []byte {
	scale := pow10[dec]
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
	for frac%10 == 0 {
		frac /= 10
		div /= 10
	}
	b = append(b, '.')
	// frac has the digits of the decimals without trailing zeros; leading
	// zeros come from the number of digits it lacks.
	for div /= 10; div > frac && div > 1; div /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendUint(b, frac, 10)
}
