package geojson

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendValue appends a property value as JSON: nil as null, numbers in
// plain decimal notation with the fewest digits that read back to the same
// value, dates as "YYYY-MM-DD". In a column of type number a whole value is
// written with ".0", so that GDAL and QGIS type the field as real in every
// release, not as integer when all values happen to be whole.
func appendValue(b []byte, v any, real bool) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case int64:
		if real {
			return appendValue(b, float64(v), real)
		}
		return strconv.AppendInt(b, v, 10), nil
	case int:
		return appendValue(b, int64(v), real)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return b, fmt.Errorf("%w: %v", ErrValue, v)
		}
		if v == 0 {
			v = 0 // no "-0"
		}
		n := len(b)
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
		if real && !bytes.ContainsRune(b[n:], '.') {
			b = append(b, ".0"...)
		}
		return b, nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case time.Time:
		b = append(b, '"')
		b = v.AppendFormat(b, time.DateOnly)
		return append(b, '"'), nil
	}
	return b, fmt.Errorf("%w: type %T", ErrValue, v)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaped as encoding/json does
// without HTML escaping: quotes, backslashes and control characters, invalid
// UTF-8 as U+FFFD, and U+2028 and U+2029, which break JavaScript parsers.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
