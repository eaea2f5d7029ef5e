package pipeline

import (
	"cmp"
	"context"
	"iter"
)

// keyFigures holds the valid rows of the key figures table by area and year.
// A state's 50,000 areas over five years are a quarter of a million rows,
// so a row keeps only its public values, numbers unboxed: 8 bytes a value
// instead of an interface and a boxed number.
type keyFigures struct {
	fields []Field
	fv     fieldValue
	ids    *areaIDs
	// values holds the public values of the rows, rows the row of each
	// area and year.
	values packedRows
	rows   map[areaYear]int
	// latest is the latest year of each area's rows, by the area's number,
	// so that the join finds it without a scan of every row per area; 0
	// for an area without rows.
	latest []int
	// complete is false when the table could not be read to its end.
	complete bool
}

// areaYear identifies a row of key figures: the number of its area
// (areaIDs) and its year.
type areaYear struct {
	Area, Year int32
}

func newKeyFigures(reg *Register, fields []Field) *keyFigures {
	kf := &keyFigures{fields: fields, fv: newFieldValue(fields), ids: newAreaIDs(reg), rows: map[areaYear]int{}, latest: make([]int, len(reg.areas))}
	var public []int
	for i, f := range fields {
		if f.Public {
			public = append(public, i)
		}
	}
	kf.values = newPackedRows(fields, public)
	return kf
}

// readKeyFigures reads and checks the key figures. The table has a row per
// area and year, so it is kept in memory for the join.
func (j *Job) readKeyFigures(ctx context.Context, reg *Register, res *Result) (*keyFigures, error) {
	kf := newKeyFigures(reg, j.KeyFigureSchema.Fields())
	badRows := 0
	next := j.nextYear()
	complete, err := j.readTable(ctx, "key_figures", j.KeyFigures, j.KeyFigureSchema, map[string]KeyResolver{"aktionsraeume": kf.ids}, res, func(row Row, c Caster, rec Record, ok bool) {
		id, a := kf.ids.ofRow(c, kf.fv.idx[fCode], kf.fv.str(rec, fCode))
		ok = checkYearAndArea(a, next, kf.fv, row, c, rec, res.Report) && ok
		res.KeyFigureRows++
		if !ok {
			badRows++
			return
		}
		year, _ := kf.fv.int(rec, fYear)
		kf.rows[areaYear{id, int32(year)}] = kf.values.add(rec)
		if int(id) >= len(kf.latest) {
			kf.latest = append(kf.latest, make([]int, int(id)+1-len(kf.latest))...)
		}
		kf.latest[id] = max(kf.latest[id], int(year))
	})
	kf.complete = complete && badRows == 0
	return kf, err
}

// keys returns the keys sorted by code and year, with their rows: the rows
// of the key figures dataset need no look-up by key.
func (kf *keyFigures) keys() []entry[areaYear, int] {
	return sortedEntries(kf.rows, func(a, b areaYear) int {
		if a.Area != b.Area {
			return kf.ids.compare(a.Area, b.Area)
		}
		return cmp.Compare(a.Year, b.Year)
	})
}

// latestYear is the latest year with key figures, or 0.
func (kf *keyFigures) latestYear() int {
	return latestYear(kf.rows, func(k areaYear) int { return int(k.Year) })
}

// latestFor is the latest year with key figures of the register's area
// numbered area, or 0.
func (kf *keyFigures) latestFor(area int32) int {
	if int(area) >= len(kf.latest) {
		return 0
	}
	return kf.latest[area]
}

// features yields the rows of the key figures dataset, each made when it is
// written, its values in space from values.
func (kf *keyFigures) features() func(values func(int) []any) iter.Seq[Feature] {
	return func(values func(int) []any) iter.Seq[Feature] {
		return func(yield func(Feature) bool) {
			rec := make(Record, len(kf.fields))
			public := newPublicLayout(kf.fields)
			for _, e := range kf.keys() {
				kf.values.recordInto(rec, e.Value)
				if !yield(Feature{ID: kf.ids.code(e.Key.Area), Values: public.values(values(len(public)), rec, kf.ids.name(e.Key.Area))}) {
					return
				}
			}
		}
	}
}

// appendFigures appends to vals the values of the key figures (isFigure)
// for one area and year, in field order; missing values where there is no
// row. rec, of a record's width, is the space to read the row into.
func (kf *keyFigures) appendFigures(vals []any, rec Record, area int32, year int) []any {
	i, ok := kf.rows[areaYear{area, int32(year)}]
	if ok {
		kf.values.recordInto(rec, i)
	}
	for fi, f := range kf.fields {
		if !isFigure(f) {
			continue
		}
		var v any
		if ok {
			v = rec[fi]
		}
		vals = append(vals, v)
	}
	return vals
}

// figureCount is the number of values appendFigures appends.
func (kf *keyFigures) figureCount() int {
	n := 0
	for _, f := range kf.fields {
		if isFigure(f) {
			n++
		}
	}
	return n
}

// isFigure reports whether a field of the key figures is published in the
// areas dataset as a figure: public, and neither the area nor the year.
func isFigure(f Field) bool { return f.Public && f.Name != "code" && f.Name != "jahr" }

// record returns the row of k as a record of the table's fields, the
// non-public ones nil; nil if there is no row.
func (kf *keyFigures) record(k areaYear) Record {
	i, ok := kf.rows[k]
	if !ok {
		return nil
	}
	return kf.values.record(i)
}
