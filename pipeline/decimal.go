package pipeline

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"strconv"
)

// Pow10 are the scales AppendDecimal knows, by decimals.
var Pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9}

// AppendDecimal appends v as strconv.AppendFloat(b, v, 'f', -1, 64) does,
// several times faster for a value with at most dec decimals, such as a
// coordinate rounded to 7 decimals or a drawing's to 0.1 px: the shortest
// decimal that reads back as v is then the integer m = v·10^dec with the
// point dec digits from the right and trailing zeros dropped. That holds
// when m/10^dec gives v back exactly and m is far below 2^53, so that v's
// neighbouring floats lie much closer than 10^-dec; any other value goes to
// strconv.
func AppendDecimal(b []byte, v float64, dec int) []byte {
	scale := Pow10[dec]
	// Rounding half to even gives the same m as half away from zero
	// whenever m passes the test below, and is one instruction on most
	// processors.
	m := math.RoundToEven(v * scale)
	if v == 0 || m/scale != v || math.Abs(m) >= 1e14 {
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	}
	return AppendFixed(b, int64(m), dec)
}

// AppendFixed appends the number m·10^-dec in plain decimal notation with
// the fewest decimals: AppendDecimal of a value whose m is known, such as
// a coordinate kept as the integer it was rounded to.
func AppendFixed(b []byte, m int64, dec int) []byte {
	n := uint64(m)
	if m < 0 {
		b = append(b, '-')
		n = -n
	}
	if n >= 1e16 || dec > 7 {
		return appendFixedLong(b, n, dec)
	}
	var whole, frac uint64
	switch dec {
	// The decimals of coordinates and amounts: divisions by constants
	// compile to multiplications.
	case 2:
		whole, frac = n/1e2, n%1e2
	case 7:
		whole, frac = n/1e7, n%1e7
	default:
		whole, frac = n/pow10u[dec], n%pow10u[dec]
	}
	// Digits are made 8 at a time (digits8) and stored as words into spare
	// capacity; the length is set at the end.
	b = slices.Grow(b, 32)
	d := b[len(b) : len(b)+32]
	k := 0
	switch {
	case whole < 10:
		d[0] = byte('0' + whole)
		k = 1
	case whole < 100:
		d[0], d[1] = digitPairs[2*whole], digitPairs[2*whole+1]
		k = 2
	case whole < 1e8:
		w := digits8(whole)
		lz := bits.TrailingZeros64(w) / 8 // the leading zero digits
		binary.LittleEndian.PutUint64(d, w>>(8*lz)|ascii8)
		k = 8 - lz
	default:
		w := digits8(whole / 1e8)
		lz := bits.TrailingZeros64(w) / 8
		binary.LittleEndian.PutUint64(d, w>>(8*lz)|ascii8)
		binary.LittleEndian.PutUint64(d[8-lz:], digits8(whole%1e8)|ascii8)
		k = 16 - lz
	}
	switch {
	case frac == 0:
	case dec == 1:
		d[k], d[k+1] = '.', byte('0'+frac)
		k += 2
	case dec == 2:
		d[k], d[k+1], d[k+2] = '.', digitPairs[2*frac], digitPairs[2*frac+1]
		k += 3
		if frac%10 == 0 {
			k-- // a trailing zero
		}
	default:
		// The dec digits of frac, leading zeros included, end in the
		// highest non-zero byte: trailing zeros are dropped.
		f := digits8(frac) >> (8 * (8 - dec))
		d[k] = '.'
		binary.LittleEndian.PutUint64(d[k+1:], f|ascii8)
		k += 1 + 8 - bits.LeadingZeros64(f)/8
	}
	return b[:len(b)+k]
}

// digitPairs are the two-digit decimals 00 to 99, one after the other.
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// ascii8 turns 8 bytes of digit values into their characters.
const ascii8 = 0x3030303030303030

// digits8 returns the 8 decimal digits of x < 10^8, leading zeros included,
// as the bytes of a little-endian word, the first digit in the lowest
// byte: x is split into halves of 4 digits, those into pairs and those into
// digits, every split done for all parts at once by multiplication with the
// reciprocal in fixed point, exact in those ranges.
func digits8(x uint64) uint64 {
	v := x/10000 | x%10000<<32
	h := v * 10486 >> 20 & 0x0000007f_0000007f // v / 100 per half
	v = h | (v-h*100)<<16
	h = v * 103 >> 10 & 0x000f_000f_000f_000f // v / 10 per pair
	return h | (v-h*10)<<8
}

// appendFixedLong is AppendFixed for numbers of more than 16 digits or
// more than 7 decimals, digit by digit.
func appendFixedLong(b []byte, n uint64, dec int) []byte {
	for dec > 0 && n%10 == 0 {
		n /= 10
		dec--
	}
	size := max(decimalDigits(n), dec+1)
	if dec > 0 {
		size++ // the point
	}
	b = slices.Grow(b, size)
	d := b[len(b) : len(b)+size]
	i := size
	if dec > 0 {
		for ; dec > 0; dec-- {
			i--
			d[i] = byte('0' + n%10)
			n /= 10
		}
		i--
		d[i] = '.'
	}
	for i > 0 {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return b[:len(b)+size]
}

// decimalDigits is the number of decimal digits of n, 1 for 0.
func decimalDigits(n uint64) int {
	// log10(2) is about 1233/4096; the guess is exact or one short.
	d := bits.Len64(n) * 1233 >> 12
	if n >= pow10u[d] {
		d++
	}
	return max(d, 1)
}

// pow10u are the powers of ten that fit uint64.
var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
