package pipeline

import "math"

// packedRows keeps records of chosen fields compactly: integers, numbers
// and booleans in 8 bytes each, other values as interfaces, instead of an
// interface and a boxed number for every value.
type packedRows struct {
	width int // of a whole record
	cols  []packedCol
	// Row i holds its packed values at nums[i*numW:], the others at
	// others[i*otherW:], and whether each kept value is present at
	// present[i*len(cols):].
	nums         []uint64
	others       []any
	present      []bool
	numW, otherW int
	n            int
	// odd holds values not of their field's type (casters give none), by
	// row*len(cols)+column, so that nothing is lost.
	odd map[int]any
}

type packedCol struct {
	field  int  // index in a record
	kind   byte // 'i' int64, 'f' float64, 'b' bool, 0 interface
	offset int  // in the row's part of nums or others
}

// newPackedRows keeps the fields keep (indexes) of records of fields.
func newPackedRows(fields []Field, keep []int) packedRows {
	p := packedRows{width: len(fields)}
	for _, i := range keep {
		c := packedCol{field: i}
		switch fields[i].Type {
		case "integer":
			c.kind = 'i'
		case "number":
			c.kind = 'f'
		case "boolean":
			c.kind = 'b'
		}
		if c.kind != 0 {
			c.offset = p.numW
			p.numW++
		} else {
			c.offset = p.otherW
			p.otherW++
		}
		p.cols = append(p.cols, c)
	}
	return p
}

// add keeps the kept fields of rec and returns the row's number.
func (p *packedRows) add(rec Record) int {
	row := p.n
	p.n++
	p.nums = append(p.nums, make([]uint64, p.numW)...)
	p.others = append(p.others, make([]any, p.otherW)...)
	nums, others := p.nums[row*p.numW:], p.others[row*p.otherW:]
	for k, c := range p.cols {
		var v any
		if c.field < len(rec) {
			v = rec[c.field]
		}
		p.present = append(p.present, v != nil)
		if c.kind == 0 {
			others[c.offset] = v
			continue
		}
		switch x := v.(type) {
		case nil:
		case int64:
			if c.kind == 'i' {
				nums[c.offset] = uint64(x)
				continue
			}
		case float64:
			if c.kind == 'f' {
				nums[c.offset] = math.Float64bits(x)
				continue
			}
		case bool:
			if c.kind == 'b' {
				if x {
					nums[c.offset] = 1
				}
				continue
			}
		}
		if v != nil {
			if p.odd == nil {
				p.odd = map[int]any{}
			}
			p.odd[row*len(p.cols)+k] = v
		}
	}
	return row
}

// record returns row i as a record of all fields, those not kept nil.
func (p *packedRows) record(i int) Record {
	rec := make(Record, p.width)
	p.recordInto(rec, i)
	return rec
}

// recordInto sets rec, of p's width, to row i, as record returns it.
func (p *packedRows) recordInto(rec Record, i int) {
	clear(rec)
	nums, others := p.nums[i*p.numW:], p.others[i*p.otherW:]
	present := p.present[i*len(p.cols):]
	for k, c := range p.cols {
		if !present[k] {
			continue
		}
		if v, ok := p.odd[i*len(p.cols)+k]; ok {
			rec[c.field] = v
			continue
		}
		switch c.kind {
		case 'i':
			rec[c.field] = int64(nums[c.offset])
		case 'f':
			rec[c.field] = math.Float64frombits(nums[c.offset])
		case 'b':
			rec[c.field] = nums[c.offset] == 1
		default:
			rec[c.field] = others[c.offset]
		}
	}
}
