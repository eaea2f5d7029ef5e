package csv

import (
	"bytes"
	stdcsv "encoding/csv"
	"strings"
)

// Sniff returns the delimiter that occurs most often in the first line
// outside quoted fields: semicolon, tab or comma, preferred in that order on
// a tie; comma when none occurs. A quote opens a quoted field only at the
// start of a field, as in RFC 4180, so a quoted header may hold delimiters
// and line breaks, and a stray quote inside a header does not hide the rest
// of the line.
func Sniff(head []byte) rune {
	counts := map[byte]int{}
	quoted, fieldStart := false, true
	start := len(head) - len(bytes.TrimLeft(head, "\r\n")) // encoding/csv skips empty lines
scan:
	for i := start; i < len(head); i++ {
		c := head[i]
		if quoted {
			if c == '"' {
				if i+1 < len(head) && head[i+1] == '"' {
					i++
					continue
				}
				quoted = false
			}
			continue
		}
		switch c {
		case '\n', '\r':
			break scan
		case ';', ',', '\t':
			counts[c]++
			fieldStart = true
			continue
		case '"':
			quoted = fieldStart
		}
		fieldStart = false
	}
	best := byte(0)
	for _, c := range []byte{';', '\t', ','} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	if best == 0 {
		return ','
	}
	return rune(best)
}

// numberEvidence is what the data cells at the start of a file say about its
// decimal separator: how many cells can only be read with a decimal comma,
// how many only with a decimal point, and the first example of each.
type numberEvidence struct {
	comma, point         int
	commaCell, pointCell string
	commaLine, pointLine int
}

// decimal returns the separator that most cells show, or 0 on a tie.
func (e numberEvidence) decimal() rune {
	switch {
	case e.comma > e.point:
		return ','
	case e.point > e.comma:
		return '.'
	}
	return 0
}

// sniffNumbers reads the records of text, a decoded prefix of the file, and
// collects the evidence of the data rows, skipping the header. A record cut
// by the end of the prefix is not read (more says the file goes on), since
// "1.250,50" cut to "1.25" would speak for the wrong separator. Cells are
// split by the delimiter first, so in a ","-delimited file only quoted cells
// can hold a decimal comma.
func sniffNumbers(text string, comma rune, more bool) numberEvidence {
	if more {
		if i := strings.LastIndexByte(text, '\n'); i >= 0 {
			text = text[:i+1]
		}
	}
	r := stdcsv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var e numberEvidence
	for header := true; ; header = false {
		rec, err := r.Read()
		if err != nil {
			return e
		}
		if header {
			continue
		}
		for i, cell := range rec {
			switch decimalOf(cell) {
			case ',':
				if e.comma == 0 {
					e.commaCell = cell
					e.commaLine, _ = r.FieldPos(i)
				}
				e.comma++
			case '.':
				if e.point == 0 {
					e.pointCell = cell
					e.pointLine, _ = r.FieldPos(i)
				}
				e.point++
			}
		}
	}
}

// decimalOf returns the decimal separator that a cell can only be read with,
// or 0 when it is no number or reads either way: "12,5" and "1.250,50" say
// ',', "12.5" and "1,250.50" say '.', "1.250" and "1,250" say nothing, and
// neither do dates such as "15.03.2024", whose dots are no valid grouping.
func decimalOf(cell string) rune {
	s := strings.TrimSpace(cell)
	for _, affix := range []string{"€", "EUR", "%"} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, affix), affix))
	}
	s = strings.TrimLeft(s, "+-−")
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if s == "" || !isDigit(s[0]) || !isDigit(s[len(s)-1]) || strings.Trim(s, "0123456789.,") != "" {
		return 0
	}
	last := strings.LastIndexAny(s, ".,")
	if last < 0 {
		return 0
	}
	sep, other := s[last], byte('.')
	if sep == '.' {
		other = ','
	}
	intPart, frac := s[:last], s[last+1:]
	switch {
	case strings.IndexByte(intPart, sep) >= 0:
		// The last separator occurs more than once: it groups digits.
		if strings.IndexByte(s, other) < 0 && grouped(s, sep) {
			return rune(other)
		}
	case strings.IndexByte(intPart, other) >= 0:
		if grouped(intPart, other) {
			return rune(sep)
		}
	case len(frac) != 3 || len(intPart) > 3 || intPart[0] == '0':
		// No group of three digits can be meant.
		return rune(sep)
	}
	return 0
}

// grouped reports whether s is digits in groups split by sep: one to three
// digits, then groups of exactly three.
func grouped(s string, sep byte) bool {
	parts := strings.Split(s, string(sep))
	for i, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || (i == 0 && len(p) > 3) || (i > 0 && len(p) != 3) {
			return false
		}
	}
	return len(parts) > 1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
