package xlsx

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The rows of the Daten sheet are written as XML by the functions here, not
// by excelize's StreamWriter.SetRow: that takes about a microsecond and
// five allocations per cell (a cell reference, an escaped and scanned copy
// of each text, a struct and an interface per value), ten times what it
// costs to append the same bytes to a buffer. They write exactly what
// SetRow writes for the values a column takes, so the sheet is the same
// byte for byte; TestRowsAsExcelize and FuzzRowXML compare the two.

// appendCell appends the <c> element of the cell in the column of letters
// and the row of the given digits, holding v, a value that column.check
// accepted, with the style attribute s. A nil v is no cell.
func appendCell(dst []byte, letters string, row []byte, s string, v any) []byte {
	if v == nil {
		return dst
	}
	dst = append(dst, `<c r="`...)
	dst = append(dst, letters...)
	dst = append(dst, row...)
	dst = append(dst, '"')
	dst = append(dst, s...)
	switch v := v.(type) {
	case string:
		return appendInlineString(dst, v)
	case int64:
		dst = append(dst, `><v>`...)
		dst = strconv.AppendInt(dst, v, 10)
	case float64:
		dst = append(dst, `><v>`...)
		dst = appendFloat(dst, v)
	case bool:
		dst = append(dst, ` t="b"><v>`...)
		dst = append(dst, "01"[b2i(v)])
	case time.Time:
		dst = append(dst, `><v>`...)
		dst = appendSerial(dst, excelTime(v))
	}
	return append(dst, `</v></c>`...)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// appendInlineString appends the rest of the <c> element of a text, after
// its reference and style. Like excelize, it keeps spaces and line breaks
// at either end with xml:space="preserve" and writes a literal "_xHHHH_"
// as "_x005F_xHHHH_", so that it is not read as an escaped character.
func appendInlineString(dst []byte, s string) []byte {
	dst = append(dst, ` t="inlineStr"><is><t`...)
	if s != "" && (isBlank(s[0]) || isBlank(s[len(s)-1])) {
		dst = append(dst, ` xml:space="preserve"`...)
	}
	dst = append(dst, '>')
	if strings.Contains(s, "_x") {
		// Rare: take excelize's own steps on a copy.
		esc := string(appendEscaped(nil, s))
		dst = append(dst, bstrMarshal(esc)...)
	} else {
		dst = appendEscaped(dst, s)
	}
	return append(dst, `</t></is></c>`...)
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

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal is excelize's function of that name (v2.11.1), which is not
// exported: it escapes the "_xHHHH_" sequences of an escaped text, and is
// kept step for step so that such a text, rare as it is, is written as
// before. It is used only on texts holding "_x".
func bstrMarshal(s string) (result string) {
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				_, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`)
				if err == nil {
					result += subStr + "x005F" + subStr
					continue
				}
			}
			result += subStr + "x005F_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				result += "_x005F" + subStr
				continue
			}
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}

// maxPrecision is the number of significant digits excelize keeps of a
// number, Excel's precision.
const maxPrecision = 15

// appendFloat appends v as excelize writes a float64: the shortest decimal
// that reads back as v, without an exponent, cut to 15 significant digits.
func appendFloat(dst []byte, v float64) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
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
// column.check lets through) has the value it had in every workbook before.
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
