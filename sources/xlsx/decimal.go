package xlsx

import (
	"regexp"
	"strings"
)

// Numbers in text cells that can be read with one decimal separator only.
// Number cells hold plain numbers ("1250.5"), which look the same as text
// with a decimal point, so only a decimal comma, or a point after comma
// groups, tells anything.
var (
	commaGrouped = regexp.MustCompile(`^\d{1,3}(\.\d{3})+,\d+$`) // 1.250,50
	commaOnly    = regexp.MustCompile(`^(\d+),(\d+)$`)           // 12,5; but 1,250 reads either way
	pointGrouped = regexp.MustCompile(`^\d{1,3}(,\d{3})+\.\d+$`) // 1,250.50
)

// textDecimal returns the decimal separator that a cell can only be read
// with, or 0.
func textDecimal(cell string) rune {
	s := strings.TrimSpace(cell)
	for _, affix := range []string{"€", "EUR", "%"} {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, affix), affix))
	}
	s = strings.TrimLeft(s, "+-−")
	switch {
	case commaGrouped.MatchString(s):
		return ','
	case pointGrouped.MatchString(s):
		return '.'
	}
	if m := commaOnly.FindStringSubmatch(s); m != nil && (len(m[1]) > 3 || len(m[2]) != 3) {
		return ','
	}
	return 0
}

// detectDecimal sets the decimal separator of text cells from the data rows
// read ahead with the header, and says so.
func (r *Reader) detectDecimal() {
	var comma, point int
	var example, cell string
	for _, row := range r.ahead {
		for c, v := range row.values {
			d := textDecimal(v)
			switch d {
			case ',':
				comma++
			case '.':
				point++
			default:
				continue
			}
			if example == "" {
				example, cell = v, r.origin.CellName(c+1, row.line)
			}
		}
	}
	switch {
	case comma > 0 && point == 0:
		r.origin.Decimal = ','
		r.note(r.origin.At(0, 0, ""), "Zahlen in Textzellen mit Dezimalkomma erkannt (z. B. „%s“ in Zelle %s)", example, cell)
	case point > 0 && comma == 0:
		r.origin.Decimal = '.'
		r.note(r.origin.At(0, 0, ""), "Zahlen in Textzellen mit Dezimalpunkt erkannt (z. B. „%s“ in Zelle %s)", example, cell)
	}
}
