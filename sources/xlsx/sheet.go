package xlsx

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// chooseSheet returns the sheet named want, or else the first visible
// worksheet whose header matches the schema, or else the first visible
// worksheet, and notes the choice where the workbook has other sheets.
func (r *Reader) chooseSheet(b *book, m matcher, want string) (sheet, error) {
	if want != "" {
		return r.namedSheet(b, want)
	}
	var candidates, worksheets []sheet
	for _, s := range b.sheets {
		if s.kind != worksheet {
			continue
		}
		worksheets = append(worksheets, s)
		if !s.hidden && !s.pivot {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		candidates = worksheets // every worksheet is hidden or a pivot table: better one of them than none
	}
	if len(candidates) == 0 {
		return sheet{}, r.bad(pipeline.Pos{}, "", "Die Arbeitsmappe enthält kein Tabellenblatt, nur "+labels(b.sheets)+"; bitte die Tabelle als Arbeitsblatt einreichen")
	}
	if m.n > 0 {
		// The sheet whose header names the most fields: a summary sheet in
		// front may name a few of them, the table names them all.
		best, bestScore := -1, 0
		for i, s := range candidates {
			if h, ok := findHeader(r.probe(s.name), m, nil); ok && h.score > bestScore {
				best, bestScore = i, h.score
			}
		}
		if best >= 0 {
			r.noteSheet(b, candidates[best], "die Kopfzeile passt zum Schema")
			return candidates[best], nil
		}
		r.noteSheet(b, candidates[0], "auf keinem Blatt passt eine Kopfzeile zum Schema, darum das erste sichtbare Tabellenblatt")
		return candidates[0], nil
	}
	r.noteSheet(b, candidates[0], "das erste sichtbare Tabellenblatt")
	return candidates[0], nil
}

// probe returns the rows at the top of a sheet, where its header is.
func (r *Reader) probe(name string) []rawRow {
	rows, err := r.f.Rows(name)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var top []rawRow
	for line := 1; line <= headerSearch+1 && rows.Next(); line++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			break
		}
		top = append(top, rawRow{line: line, values: cols})
	}
	return top
}

func (r *Reader) noteSheet(b *book, s sheet, why string) {
	if len(b.sheets) < 2 {
		return
	}
	var others []sheet
	for _, o := range b.sheets {
		if o.name != s.name {
			others = append(others, o)
		}
	}
	r.note(pipeline.Pos{File: r.origin.File, Sheet: s.name}, "Blatt „%s“ gewählt: %s; weitere Blätter: %s", s.name, why, labels(others))
}

// namedSheet returns the sheet the configuration names. Excel does not
// tell "Mittelverwendung " from "Mittelverwendung" on screen, so a name
// that differs only in spaces or case is accepted where just one sheet
// matches it.
func (r *Reader) namedSheet(b *book, want string) (sheet, error) {
	var found []sheet
	for _, s := range b.sheets {
		if s.name == want {
			found = []sheet{s}
			break
		}
		if foldHeader(s.name) == foldHeader(want) {
			found = append(found, s)
		}
	}
	var worksheets []string
	for _, s := range b.sheets {
		if s.kind == worksheet {
			worksheets = append(worksheets, "„"+s.name+"“")
		}
	}
	expected := "eines der Blätter " + strings.Join(worksheets, ", ")
	if len(found) != 1 {
		return sheet{}, &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
			Pos: pipeline.Pos{File: r.origin.File}, Value: want, Expected: expected,
			Message: fmt.Sprintf("Das Blatt „%s“ gibt es in der Arbeitsmappe nicht; sie hat die Blätter %s. Bitte das Blatt so benennen oder den Blattnamen in der Konfiguration (sheet) ändern",
				want, labels(b.sheets))}}
	}
	s := found[0]
	if s.kind != worksheet {
		return sheet{}, &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
			Pos: pipeline.Pos{File: r.origin.File, Sheet: s.name}, Value: want, Expected: expected,
			Message: fmt.Sprintf("Das Blatt %s enthält keine Tabelle. Bitte in der Konfiguration (sheet) das Blatt mit der Tabelle nennen", s.label())}}
	}
	pos := pipeline.Pos{File: r.origin.File, Sheet: s.name}
	if s.name != want {
		r.note(pos, "Gelesen wird das Blatt „%s“; die Konfiguration nennt es „%s“", s.name, want)
	}
	if s.hidden {
		r.note(pos, "Das Blatt „%s“ ist ausgeblendet; es wird gelesen, weil die Konfiguration es nennt", s.name)
	}
	return s, nil
}
