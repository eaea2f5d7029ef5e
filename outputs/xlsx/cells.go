package xlsx

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

// The rows of the Daten sheet are written as XML by the functions here, not
// by excelize's StreamWriter.SetRow: that takes about a microsecond and
// five allocations per cell (a cell reference, an escaped and scanned copy
// of each text, a struct and an interface per value), ten times what it
// costs to append the same bytes to a buffer. They write exactly what
// SetRow writes for the values a column takes, so the sheet is the same
// byte for byte; TestRowsAsExcelize and FuzzRowXML compare the two.

// appendCell appends the <c> element of v in c's column and the row of the
// given digits, or returns why v cannot be written there, the errors that
// Write wraps in a CellError; a nil v is no cell. It checks while it
// writes, so that a text is read once for both: on an error the caller
// drops what it appended.
func (c *column) appendCell(dst []byte, row *piece, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return dst, nil
	case string:
		if c.kind != kindString {
			break
		}
		open := &c.text
		if pipeline.FormulaLike(v) {
			open = &c.quotedText
		}
		return appendInlineString(c.start(dst, row, open), v)
	case int64:
		if c.kind != kindInteger && c.kind != kindNumber {
			break
		}
		dst = appendInt(c.start(dst, row, &c.number), v)
		return append(dst, `</v></c>`...), nil
	case float64:
		if c.kind != kindNumber {
			break
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return dst, errNotFinite
		}
		dst = appendFloat(c.start(dst, row, &c.number), v)
		return append(dst, `</v></c>`...), nil
	case bool:
		if c.kind != kindBoolean {
			break
		}
		dst = append(c.start(dst, row, &c.boolean), "01"[b2i(v)])
		return append(dst, `</v></c>`...), nil
	case time.Time:
		if c.kind != kindDate {
			break
		}
		if y := v.Year(); y < 1900 || y > 9999 {
			return dst, errDateRange
		}
		dst = appendDate(c.start(dst, row, &c.number), v)
		return append(dst, `</v></c>`...), nil
	default:
		return dst, fmt.Errorf("unsupported value type %T", v)
	}
	return dst, fmt.Errorf("a %T value does not fit a column of type %s", v, c.Type)
}

// start appends the start of a cell element up to its value: the column's
// part of the reference, the row, and open, which ends the reference and
// holds the attributes of the value's type.
func (c *column) start(dst []byte, row, open *piece) []byte {
	if cap(dst)-len(dst) < 3*pieceSize {
		dst = slices.Grow(dst, 3*pieceSize)
	}
	dst = c.open.put(dst)
	dst = row.put(dst)
	return open.put(dst)
}

// piece is a piece of XML of at most pieceSize bytes, kept in an array so
// that it is appended by a copy of that fixed size, which compiles to a few
// moves; an append of a string whose length is not a constant calls
// memmove, and those calls, three at the start of every cell, took a tenth
// of the time of a row.
type piece struct {
	b [pieceSize]byte
	n int
}

// pieceSize holds the longest piece: the start of a text in a style of
// five digits, `" s="65429" t="inlineStr"><is><t`.
const pieceSize = 32

// makePiece returns s as a piece; s is never longer than pieceSize.
func makePiece(s string) piece {
	if len(s) > pieceSize {
		panic("xlsx: " + strconv.Quote(s) + " does not fit a piece")
	}
	var p piece
	p.n = copy(p.b[:], s)
	return p
}

// put appends p to dst, which has pieceSize bytes of spare capacity.
func (p *piece) put(dst []byte) []byte {
	n := len(dst)
	*(*[pieceSize]byte)(dst[n : n+pieceSize]) = p.b
	return dst[:n+p.n]
}

// appendInt appends v as strconv.AppendInt(dst, v, 10) does. Numbers below
// 10^8, such as years, counts and row numbers, are written straight into
// dst, without strconv's copy from a buffer of its own.
func appendInt(dst []byte, v int64) []byte {
	if v < 0 || v >= 1e8 {
		return strconv.AppendInt(dst, v, 10)
	}
	n := 1
	for x := v; x >= 10; x /= 10 {
		n++
	}
	dst = slices.Grow(dst, n)
	d := dst[len(dst) : len(dst)+n]
	for i := n - 1; i > 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	d[0] = byte('0' + v)
	return dst[:len(dst)+n]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// appendInlineString appends the rest of the <c> element of a text, after
// its attributes, or returns the error of checkText. Like excelize, it
// keeps spaces and line breaks at either end with xml:space="preserve" and
// writes a literal "_xHHHH_" as "_x005F_xHHHH_", so that it is not read as
// an escaped character.
func appendInlineString(dst []byte, s string) ([]byte, error) {
	if s != "" && (isBlank(s[0]) || isBlank(s[len(s)-1])) {
		dst = append(dst, ` xml:space="preserve">`...)
	} else {
		dst = append(dst, '>')
	}
	dst, err := appendText(dst, s)
	if err != nil {
		return dst, err
	}
	return append(dst, `</t></is></c>`...), nil
}

// appendText appends s escaped as appendEscaped escapes it, "_x" sequences
// as bstrEscape escapes them, or returns checkText(s) when that is not
// nil: the checks, the escapes and the copy in one pass over s, which is
// mostly eight bytes at a time.
func appendText(dst []byte, s string) ([]byte, error) {
	if n := len(s); n >= 4 && n < 8 && plainText8(uint64(pipeline.Load32(s))|uint64(pipeline.Load32(s[n-4:]))<<32) {
		return append(dst, s...), nil // a short text, tested as one word
	}
	start, last := len(dst), 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			if plainText8(pipeline.Load64(s[i:])) {
				i += 8
				continue
			}
		} else if len(s) >= 8 && plainText8(pipeline.Load64(s[len(s)-8:])) {
			break // the rest lies in the last eight bytes, which are plain
		}
		// A byte at a time to the end of these eight.
		for end := min(i+8, len(s)); i < end; {
			b := s[i]
			switch textClass[b] {
			case textPlain:
				i++
			case textEscaped:
				dst = append(dst, s[last:i]...)
				dst = append(dst, textEscapes[b]...)
				i++
				last = i
			case textControl:
				return dst, controlOrNotUTF8(s)
			case textUnderscore:
				if i+1 < len(s) && s[i+1] == 'x' {
					return appendBstr(dst[:start], s)
				}
				i++
			case textMultibyte:
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError && size == 1 {
					return dst, errNotUTF8
				}
				if r == 0xFFFE || r == 0xFFFF {
					return dst, controlOrNotUTF8(s)
				}
				i += size
			}
		}
	}
	// A character takes at most as many UTF-16 units as UTF-8 bytes.
	if len(s) > maxCellChars && utf16Len(s) > maxCellChars {
		return dst, errTooLong
	}
	return append(dst, s[last:]...), nil
}

// appendBstr is appendText of a text holding "_x", which is rare: its
// "_xHHHH_" sequences escaped, then the XML escapes (which neither make nor
// break such a sequence).
func appendBstr(dst []byte, s string) ([]byte, error) {
	if err := checkText(s); err != nil {
		return dst, err
	}
	return appendEscaped(dst, bstrEscape(s)), nil
}

// The classes of bytes in appendText: those written as they are, those
// escaped, control characters that a cell cannot hold, the '_' that may
// begin "_x", and the bytes of characters beyond ASCII.
const (
	textPlain = iota
	textEscaped
	textControl
	textUnderscore
	textMultibyte
)

var textClass = func() (t [256]uint8) {
	for b := range 0x20 {
		t[b] = textControl
	}
	for b := utf8.RuneSelf; b < len(t); b++ {
		t[b] = textMultibyte
	}
	for _, b := range []byte("\t\r\"'&<>") {
		t[b] = textEscaped
	}
	t['\n'] = textPlain
	t['_'] = textUnderscore
	return t
}()

// plainText8 reports whether appendText can copy the eight bytes of x as
// they are: all printable ASCII (see printable8), none of "&'<> or '_'.
// Each test is one on all bytes at once: b&0xFA is 0x22 for " # & ', b&0xFD
// is 0x3C for < >, and a word has a byte equal to 0 exactly when
// (y-0x01…)&^y&0x80… is not 0. A '#' only sends its word to the byte loop.
func plainText8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	quote := x&(lo*0xFA) ^ lo*0x22
	angle := x&(lo*0xFD) ^ lo*0x3C
	under := x ^ lo*'_'
	return (x|(x-lo*0x20)|(quote-lo)&^quote|(angle-lo)&^angle|(under-lo)&^under)&hi == 0
}

func isBlank(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || b == ' ' }

// textEscapes are the replacements of the ASCII characters that
// xml.EscapeText replaces in a text, except the line feed: excelize turns
// its "&#xA;" back into a line feed.
var textEscapes = func() [utf8.RuneSelf]string {
	var t [utf8.RuneSelf]string
	for b := range byte(0x20) {
		t[b] = "\uFFFD" // not a character of XML 1.0
	}
	t['\n'] = ""
	t['\t'] = "&#x9;"
	t['\r'] = "&#xD;"
	t['"'] = "&#34;"
	t['\''] = "&#39;"
	t['&'] = "&amp;"
	t['<'] = "&lt;"
	t['>'] = "&gt;"
	return t
}()

// appendEscaped appends s escaped as xml.EscapeText escapes it, with line
// feeds kept.
func appendEscaped(dst []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			i++
			if esc := textEscapes[b]; esc != "" {
				dst = append(dst, s[last:i-1]...)
				dst = append(dst, esc...)
				last = i
			}
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		if isXMLChar(r) && !(r == utf8.RuneError && width == 1) {
			continue
		}
		dst = append(dst, s[last:i-width]...)
		dst = append(dst, "\uFFFD"...)
		last = i
	}
	return append(dst, s[last:]...)
}

// isXMLChar says whether r is a character of XML 1.0.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// bstrEscape writes every '_' of s that begins an "_xHHHH_" sequence (four
// hexadecimal digits) as "_x005F_", the escaped underscore, so that a
// reader, which decodes such sequences from left to right, gives back s.
//
// excelize's bstrMarshal, which this replaces, escapes the sequences that
// its regular expression finds, which do not overlap, and only those that
// name a character: "_x_x0041_x0041_x" came back from excelize's own
// reader as "_x_x0041Ax" (found by FuzzText), and "_xD800_" as "". It
// escapes the same sequences as bstrEscape in every text without such a
// case, byte for byte (TestBstrEscapeAsExcelize).
func bstrEscape(s string) string {
	var b []byte
	last := 0
	for i := 0; i+len(escapedUnderscore) <= len(s); i++ {
		if s[i] == '_' && s[i+1] == 'x' && isHex(s[i+2]) && isHex(s[i+3]) && isHex(s[i+4]) && isHex(s[i+5]) && s[i+6] == '_' {
			b = append(append(b, s[last:i]...), escapedUnderscore...)
			last = i + 1
		}
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// escapedUnderscore is '_' as an "_xHHHH_" sequence.
const escapedUnderscore = "_x005F_"

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// maxPrecision is the number of significant digits excelize keeps of a
// number, Excel's precision.
const maxPrecision = 15

// appendFloat appends v as excelize writes a float64: the shortest decimal
// that reads back as v, without an exponent, cut to 15 significant digits.
//
// The published numbers are amounts in cents, percentages with a decimal
// and whole counts: pipeline.AppendDecimal writes those without strconv's
// search for the shortest digits, which took half the time of a number
// cell. Such a number has at most 14 digits, so the cut never applies to
// it; a text of at most 15 bytes has at most 15 digits either way.
func appendFloat(dst []byte, v float64) []byte {
	start := len(dst)
	return cutPrecision(pipeline.AppendDecimal(dst, v, 2), start, v)
}

// cutPrecision cuts the decimal of v in dst[start:] to maxPrecision
// significant digits, as excelize does, the digits cut before the decimal
// point becoming zeros.
func cutPrecision(dst []byte, start int, v float64) []byte {
	if len(dst)-start <= maxPrecision || math.Abs(v) == math.MaxFloat64 {
		return dst
	}
	num := dst[start:]
	decimal := bytes.IndexByte(num, '.')
	significant := 0
	for i, c := range num {
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		significant++
		if significant <= maxPrecision {
			continue
		}
		if decimal >= 0 && i > decimal {
			return dst[:start+len(bytes.TrimSuffix(num[:i], []byte(".")))]
		}
		if decimal < 0 {
			decimal = len(num)
		}
		for ; i < decimal; i++ {
			num[i] = '0'
		}
		return dst[:start+decimal]
	}
	return dst
}

// appendDate appends the serial number of t as appendSerial(dst,
// excelTime(t)) does, for a t of the years 1900 to 9999. The published
// dates are whole days, whose serial number is an integer counted from the
// wall clock's days since 1970 without excelTime's arithmetic of durations
// and floats.
func appendDate(dst []byte, t time.Time) []byte {
	_, offset := t.Zone()
	sec := t.Unix() + int64(offset)
	if t.Nanosecond() != 0 || sec%secondsPerDay != 0 {
		return appendSerial(dst, excelTime(t))
	}
	// 1 January 1970 is day 25569; the days before the 29 February 1900
	// that Excel counts, serial 60, are one fewer.
	serial := sec/secondsPerDay + 25569
	if serial <= 60 {
		serial--
	}
	return appendInt(dst, serial)
}

const secondsPerDay = 24 * 60 * 60

// appendSerial appends a serial date as excelize writes it: the shortest
// decimal, which for a whole day is the integer.
func appendSerial(dst []byte, serial float64) []byte {
	if serial == math.Trunc(serial) && serial < 1<<53 {
		return strconv.AppendInt(dst, int64(serial), 10)
	}
	return strconv.AppendFloat(dst, serial, 'f', -1, 64)
}

// The epoch of Excel's serial dates and the day Excel wrongly takes for
// 29 February 1900, as excelize counts them.
var (
	excelEpoch    = time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)
	excelLeapBug  = time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
	maxDuration   = 290 * 364 * day // a time.Duration holds some 292 years
	day           = 24 * time.Hour
	serialOfLimit = float64(maxDuration / day)
)

// excelTime is the serial number of t's wall clock time, computed as
// excelize computes it, so that a date between 1900 and 9999 (what
// appendCell lets through) has the value it had in every workbook before.
func excelTime(t time.Time) float64 {
	_, offset := t.Zone()
	t = t.Add(time.Duration(offset) * time.Second)
	tt, diff, result := t, t.Sub(excelEpoch), 0.0
	for diff >= maxDuration {
		result += serialOfLimit
		tt = tt.Add(-maxDuration)
		diff = tt.Sub(excelEpoch)
	}
	rem := diff % day
	result += float64(diff-rem)/float64(day) + float64(rem)/float64(day)
	if t.After(excelLeapBug) {
		result++
	}
	return result
}
