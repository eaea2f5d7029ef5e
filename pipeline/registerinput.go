package pipeline

import (
	"context"
	"strings"
)

// readRegister reads the area register through its schema. It returns nil
// when the register has errors, since no other input can be checked without it.
func (j *Job) readRegister(res *Result) (*Register, error) {
	fv := newFieldValue(j.RegisterSchema.Fields())
	var areas []Area
	// claimed maps each normalised spelling to the area and row that
	// claimed it first, so that a spelling of two areas is reported at the
	// cell that repeats it.
	type claim struct {
		code string
		line int
	}
	claimed := map[string]claim{}
	_, err := j.readTable(context.Background(), "register", j.Register, j.RegisterSchema, nil, res, func(row Row, c Caster, rec Record, ok bool) {
		if !ok {
			return
		}
		a := Area{Code: fv.str(rec, fCode), Name: fv.str(rec, fName), Betreuung: fv.str(rec, fCare)}
		from, _ := fv.int(rec, fValidFrom)
		to, _ := fv.int(rec, fValidTo)
		a.From, a.To = int(from), int(to)
		for _, s := range strings.Split(fv.str(rec, fSpellings), "|") {
			if s = strings.TrimSpace(s); s != "" {
				a.Spellings = append(a.Spellings, s)
			}
		}
		if a.To != 0 && a.To < a.From {
			res.Report.Errorf(CodeBusinessRule, c.Pos(row, "gueltig_bis"), fv.str(rec, fValidTo), "ein Jahr ab "+fv.str(rec, fValidFrom),
				"Das Ende der Gültigkeit liegt vor ihrem Beginn")
		}
		for _, fn := range []struct {
			field string
			names []string
		}{{"code", []string{a.Code}}, {"name", []string{a.Name}}, {"schreibweisen", a.Spellings}} {
			field := fn.field
			for _, name := range fn.names {
				k := NormalizeName(name)
				if first, dup := claimed[k]; dup && first.code != a.Code {
					res.Report.Errorf(CodeUnique, c.Pos(row, field), name, "jede Schreibweise bei nur einem Aktionsraum",
						"Die Schreibweise gehört schon zum Aktionsraum %s (Zeile %d); Namen müssen eindeutig einem Aktionsraum zugeordnet sein", first.code, first.line)
				} else if !dup {
					claimed[k] = claim{a.Code, row.Line}
				}
			}
		}
		areas = append(areas, a)
	})
	if err != nil || !res.Report.Valid() {
		return nil, err
	}
	return NewRegister(areas)
}

// LoadRegister reads the area register on its own, as Run does: the input
// through the table opener and the register schema. Commands that need the
// areas without a run, such as writing an input template, use it. The
// report holds every problem found; the register is nil when it has errors.
// The error is one of the environment, such as a missing file (ErrInput).
func LoadRegister(in Input, s Schema, t TableOpener) (*Register, *Report, error) {
	j := &Job{Register: in, RegisterSchema: s, Tables: t}
	res := &Result{Report: &Report{}}
	reg, err := j.readRegister(res)
	return reg, res.Report, err
}
