package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
)

// errNoWorkbook is returned by openBook for a ZIP archive without a
// workbook part: another kind of document, or a damaged one.
var errNoWorkbook = errors.New("xlsx: no workbook part in the package")

// sheetKind is what a sheet of a workbook holds.
type sheetKind int

const (
	worksheet  sheetKind = iota
	chartsheet           // a chart on a sheet of its own, without cells
	otherSheet           // a dialog or macro sheet of old Excel versions
)

// sheet is one sheet as the workbook lists it.
type sheet struct {
	name   string
	hidden bool // hidden or very hidden
	kind   sheetKind
	part   string // the sheet's XML in the package
	pivot  bool   // holds a pivot table
}

// label names the sheet for people, saying why it is not read by default.
func (s sheet) label() string {
	l := "„" + s.name + "“"
	switch {
	case s.kind == chartsheet:
		l += " (Diagrammblatt)"
	case s.kind == otherSheet:
		l += " (Dialog- oder Makroblatt)"
	case s.hidden:
		l += " (ausgeblendet)"
	case s.pivot:
		l += " (Pivot-Tabelle)"
	}
	return l
}

// book is the structure of a workbook package: its sheets and its date
// system, read from workbook.xml and the relationship parts. The cells are
// read through excelize.
type book struct {
	files    map[string]*zip.File // by lower-case name
	sheets   []sheet
	date1904 bool
	percent  []bool // by cell style: shown as a percentage; nil until read
}

// openBook reads the structure of the workbook in zr.
func openBook(zr *zip.Reader) (*book, error) {
	b := &book{files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		b.files[partKey(f.Name)] = f
	}
	wbPart := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels"); err == nil {
		for _, r := range rels.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPart = resolve("", r.Target)
			}
		}
	}
	if b.file(wbPart) == nil {
		return nil, errNoWorkbook
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string `xml:"name,attr"`
			State string `xml:"state,attr"`
			ID    string `xml:"id,attr"` // r:id, in the transitional or the strict namespace
		} `xml:"sheets>sheet"`
	}
	if err := b.decode(wbPart, &wb); err != nil {
		return nil, err
	}
	b.date1904 = xmlBool(wb.Pr.Date1904)
	rels, err := b.rels(relsPart(wbPart))
	if err != nil {
		return nil, err
	}
	for _, s := range wb.Sheets {
		sh := sheet{name: s.Name, hidden: s.State == "hidden" || s.State == "veryHidden", kind: otherSheet}
		for _, r := range rels.Rels {
			if r.ID != s.ID {
				continue
			}
			sh.part = resolve(wbPart, r.Target)
			switch {
			case strings.HasSuffix(r.Type, "/worksheet"):
				sh.kind = worksheet
			case strings.HasSuffix(r.Type, "/chartsheet"):
				sh.kind = chartsheet
			}
		}
		if sh.kind == worksheet {
			sh.pivot = b.hasPivot(sh.part)
		}
		b.sheets = append(b.sheets, sh)
	}
	return b, nil
}

// xmlBool reads an XML Schema boolean: Excel writes "1", LibreOffice "true".
func xmlBool(s string) bool {
	s = strings.TrimSpace(s)
	return s == "1" || strings.EqualFold(s, "true")
}

// hasPivot reports whether the worksheet part holds a pivot table.
func (b *book) hasPivot(part string) bool {
	rels, err := b.rels(relsPart(part))
	if err != nil {
		return false
	}
	for _, r := range rels.Rels {
		if strings.HasSuffix(r.Type, "/pivotTable") {
			return true
		}
	}
	return false
}

type relationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// rels reads a relationships part; a package without it has none.
func (b *book) rels(name string) (*relationships, error) {
	var r relationships
	if b.file(name) == nil {
		return &r, nil
	}
	return &r, b.decode(name, &r)
}

func (b *book) file(name string) *zip.File { return b.files[partKey(name)] }

// open returns the content of a part of the package.
func (b *book) open(name string) (io.ReadCloser, error) {
	f := b.file(name)
	if f == nil {
		return nil, errNoWorkbook
	}
	return f.Open()
}

func (b *book) decode(name string, v any) error {
	rc, err := b.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// partKey normalises a part name for lookup: some writers differ from
// their own relationships in case or in a leading slash.
func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// relsPart returns the relationships part of a part: xl/_rels/workbook.xml.rels.
func relsPart(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

// resolve returns the part that target names, relative to the part source
// or absolute.
func resolve(source, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(source), target)
}

// percentStyle reports whether cells of the style (an index into the
// cellXfs of xl/styles.xml) show their number as a percentage: the built-in
// formats 9 and 10 ("0%", "0.00%") or a custom format with a % outside
// quotes. The styles are read once, on first use.
func (b *book) percentStyle(xf int) bool {
	if b.percent == nil {
		b.percent = b.readPercentStyles()
	}
	return xf >= 0 && xf < len(b.percent) && b.percent[xf]
}

func (b *book) readPercentStyles() []bool {
	out := []bool{}
	rc, err := b.open("xl/styles.xml")
	if err != nil {
		return out
	}
	defer rc.Close()
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if xml.NewDecoder(rc).Decode(&st) != nil {
		return out
	}
	pct := map[int]bool{9: true, 10: true}
	for _, f := range st.NumFmts {
		pct[f.ID] = percentCode(f.Code)
	}
	for _, x := range st.Xfs {
		out = append(out, pct[x.NumFmtID])
	}
	return out
}

// percentCode reports whether a number format code has a % sign outside
// quoted text and escapes.
func percentCode(code string) bool {
	quoted := false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && !quoted:
			i++
		case c == '%' && !quoted:
			return true
		}
	}
	return false
}
