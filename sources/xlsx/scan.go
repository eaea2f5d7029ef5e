package xlsx

import (
	"encoding/xml"
	"io"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// area is a range of cells, 1-based and inclusive.
type area struct{ top, left, bottom, right int }

func (a area) contains(row, col int) bool {
	return a.top <= row && row <= a.bottom && a.left <= col && col <= a.right
}

// cellAt is a cell by 1-based row and column.
type cellAt struct{ row, col int }

// layout is what the reader needs to know of a worksheet besides the cell
// values that excelize streams: the merged ranges, which the sheet lists
// after its cells, and the formula cells saved without a value. excelize's
// GetMergeCells would decode the whole worksheet into memory, so scanSheet
// finds both in one streaming pass over the sheet's XML instead.
type layout struct {
	merges   []area   // by top row, then left column
	uncached []cellAt // in sheet order
	// percent are the number cells with a percent format: 0.201 shown as
	// "20,1 %", which staff mean as 20.1.
	percent []cellAt
	// grouplike are the number cells whose plain value, such as 1.125,
	// has the form of a whole number with a thousands separator, as staff
	// type "1.125" into text cells; in sheet order.
	grouplike []cellAt
}

// groupLike matches plain numbers that text with a decimal comma reads as
// whole numbers.
var groupLike = regexp.MustCompile(`^-?\d{1,3}\.\d{3}$`)

// scanSheet reads the layout of the worksheet part.
func (b *book) scanSheet(part string) (*layout, error) {
	rc, err := b.open(part)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	l := &layout{}
	d := xml.NewDecoder(rc)
	row, col := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch el.Name.Local {
		case "row":
			row++
			if r, ok := intAttr(el, "r"); ok {
				row = r
			}
			col = 0
		case "c":
			var c struct {
				Ref   string  `xml:"r,attr"`
				Type  string  `xml:"t,attr"`
				Style int     `xml:"s,attr"`
				F     *string `xml:"f"`
				V     *string `xml:"v"`
			}
			if err := d.DecodeElement(&c, &el); err != nil {
				return nil, err
			}
			col++
			if c.Ref != "" {
				if x, y, err := excelize.CellNameToCoordinates(c.Ref); err == nil {
					col, row = x, y
				}
			}
			if c.F != nil && !cached(c.Type, c.V) {
				l.uncached = append(l.uncached, cellAt{row, col})
			}
			if (c.Type == "" || c.Type == "n") && c.V != nil && b.percentStyle(c.Style) {
				l.percent = append(l.percent, cellAt{row, col})
			} else if (c.Type == "" || c.Type == "n") && c.V != nil && groupLike.MatchString(*c.V) {
				l.grouplike = append(l.grouplike, cellAt{row, col})
			}
		case "mergeCell":
			for _, a := range el.Attr {
				if a.Name.Local == "ref" {
					if m, ok := parseArea(a.Value); ok {
						l.merges = append(l.merges, m)
					}
				}
			}
		}
	}
	sort.SliceStable(l.merges, func(i, j int) bool {
		if l.merges[i].top != l.merges[j].top {
			return l.merges[i].top < l.merges[j].top
		}
		return l.merges[i].left < l.merges[j].left
	})
	return l, nil
}

// cached reports whether a formula cell holds the value of its last
// calculation. Programs that write formulas without calculating them
// (openpyxl, excelize) leave <v> out or empty; an empty text result is
// written by Excel and LibreOffice as an empty <v> of type "str".
func cached(typ string, v *string) bool {
	return v != nil && (*v != "" || typ == "str" || typ == "inlineStr")
}

func intAttr(el xml.StartElement, name string) (int, bool) {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			n, err := strconv.Atoi(a.Value)
			return n, err == nil && n > 0
		}
	}
	return 0, false
}

// parseArea reads a range such as "B6:B8"; a single cell is a range too.
func parseArea(ref string) (area, bool) {
	from, to, found := strings.Cut(ref, ":")
	if !found {
		to = from
	}
	l, t, err1 := excelize.CellNameToCoordinates(from)
	r, b, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return area{}, false
	}
	return area{top: min(t, b), left: min(l, r), bottom: max(t, b), right: max(l, r)}, true
}

// mergeAt returns the merged range that holds the cell, if any.
func (l *layout) mergeAt(row, col int) (area, bool) {
	if l == nil {
		return area{}, false
	}
	for _, m := range l.merges {
		if m.top > row {
			break
		}
		if m.contains(row, col) {
			return m, true
		}
	}
	return area{}, false
}

// firstUncached returns the first formula cell at or below row that has no
// stored value, and how many there are.
func (l *layout) firstUncached(row int) (cellAt, int) {
	var first cellAt
	n := 0
	for _, c := range l.uncached {
		if c.row >= row {
			if n == 0 {
				first = c
			}
			n++
		}
	}
	return first, n
}

// filler copies the value of a merged range down its first column, so a
// value merged over several data rows (an area merged over three actions)
// applies to each of them. Rows must come in order.
type filler struct {
	merges []area // not yet started, by top row
	active []mergedValue
}

type mergedValue struct {
	area
	value string
}

// newFiller fills the merges that start below the line after.
func newFiller(l *layout, after int) *filler {
	f := &filler{}
	if l != nil {
		for i, m := range l.merges {
			if m.top > after {
				f.merges = l.merges[i:]
				break
			}
		}
	}
	return f
}

// fill completes the values of the row at line and returns them.
func (f *filler) fill(line int, values []string) []string {
	live := f.active[:0]
	for _, a := range f.active {
		if a.bottom >= line {
			live = append(live, a)
		}
	}
	f.active = live
	for len(f.merges) > 0 && f.merges[0].top <= line {
		m := f.merges[0]
		f.merges = f.merges[1:]
		if m.top == line && m.bottom > line && m.left <= len(values) && values[m.left-1] != "" {
			f.active = append(f.active, mergedValue{m, values[m.left-1]})
		}
	}
	for _, a := range f.active {
		if a.top >= line {
			continue
		}
		for len(values) < a.left {
			values = append(values, "")
		}
		if values[a.left-1] == "" {
			values[a.left-1] = a.value
		}
	}
	return values
}

// asShown scales the values of percent cells by 100, exactly in decimal
// ("0.201" becomes "20.1", not 20.099999999999998), so that a cell that
// shows "20,1 %" reads as the 20.1 a percentage column holds. cells is
// consumed as the rows pass.
func asShown(cells *[]cellAt, line int, values []string) {
	for len(*cells) > 0 && (*cells)[0].row <= line {
		c := (*cells)[0]
		*cells = (*cells)[1:]
		if c.row != line || c.col > len(values) {
			continue
		}
		if x, ok := new(big.Rat).SetString(values[c.col-1]); ok {
			x.Mul(x, big.NewRat(100, 1))
			values[c.col-1] = trimZeros(x.FloatString(12))
		}
	}
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// unmistakable appends a zero to the number cells of the row whose plain
// value has the form of a grouped whole number ("1.125" becomes "1.1250"),
// so that no caster can take them for text with a decimal comma, where
// "1.125" is 1125. cells is consumed as the rows pass.
// Only columns of number fields are touched (numeric; nil: all): a
// Projekt-Nr stored as the number 3.101 stays "3.101".
func unmistakable(cells *[]cellAt, line int, values []string, numeric map[int]bool) {
	for len(*cells) > 0 && (*cells)[0].row <= line {
		c := (*cells)[0]
		*cells = (*cells)[1:]
		if numeric != nil && !numeric[c.col] {
			continue
		}
		if c.row == line && c.col <= len(values) && groupLike.MatchString(values[c.col-1]) {
			values[c.col-1] += "0"
		}
	}
}
