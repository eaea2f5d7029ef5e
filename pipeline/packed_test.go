package pipeline

import (
	"reflect"
	"testing"
	"time"
)

// A packed row gives back the values kept, with their types, nil for
// missing ones and for fields not kept, and values of another type as they
// were.
func TestPackedRowsRoundTrip(t *testing.T) {
	fields := []Field{
		{Name: "code", Type: "string"}, {Name: "jahr", Type: "integer"}, {Name: "quote", Type: "number"},
		{Name: "aktiv", Type: "boolean"}, {Name: "geheim", Type: "string"}, {Name: "am", Type: "date"},
	}
	keep := []int{0, 1, 2, 3, 5}
	p := newPackedRows(fields, keep)
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	recs := []Record{
		{"BOR", int64(2024), 12.5, true, "x", day},
		{"HOE", nil, -0.0, false, "y", nil},
		{"ABC", int64(-7), nil, nil, nil, day},
		{"ODD", "2024", int64(3), "ja", "z", day},
		{"SHORT", int64(1)},
	}
	for i, rec := range recs {
		if n := p.add(rec); n != i {
			t.Fatalf("add = %d, want %d", n, i)
		}
	}
	for i, rec := range recs {
		want := make(Record, len(fields))
		for _, k := range keep {
			if k < len(rec) {
				want[k] = rec[k]
			}
		}
		if got := p.record(i); !reflect.DeepEqual(got, want) {
			t.Errorf("row %d = %#v, want %#v", i, got, want)
		}
	}
}
