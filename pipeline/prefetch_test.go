package pipeline

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// sliceReader gives rows from a list and reuses its values slice, as
// readers may.
type sliceReader struct {
	rows []readRow
	buf  []string
	read int
}

func (r *sliceReader) Origin() Origin { return Origin{} }

func (r *sliceReader) Read() (Row, error) {
	if r.read == len(r.rows) {
		return Row{}, io.EOF
	}
	x := r.rows[r.read]
	r.read++
	r.buf = append(r.buf[:0], x.row.Values...)
	return Row{Line: x.row.Line, Values: r.buf}, x.err
}

// The prefetcher hands on rows and errors in order, keeps values the reader
// reuses, goes on after an error the reader resumes from and stops after
// one it does not.
func TestPrefetchKeepsOrderAndStops(t *testing.T) {
	var rows []readRow
	for i := range 1000 {
		var err error
		switch i {
		case 300:
			err = &BadInput{Resume: true}
		case 900:
			err = errors.New("disk gone")
		}
		rows = append(rows, readRow{Row{Line: i, Values: []string{fmt.Sprint(i), "x"}}, err})
	}
	r := &sliceReader{rows: rows}
	p := prefetch(r)
	defer p.close()
	for i := 0; ; i++ {
		row, err := p.Read()
		if i > 900 {
			if err != io.EOF {
				t.Fatalf("after the fatal error: %v, %v", row, err)
			}
			break
		}
		if (err != nil) != (i == 300 || i == 900) {
			t.Fatalf("row %d: error %v", i, err)
		}
		if err == nil && (row.Line != i || row.Values[0] != fmt.Sprint(i)) {
			t.Fatalf("row %d: got %v", i, row)
		}
	}
	if r.read != 901 {
		t.Errorf("reader read %d rows, want 901: none after the fatal error", r.read)
	}
}

// A caller that stops early leaves no goroutine reading.
func TestPrefetchCloseEarly(t *testing.T) {
	var rows []readRow
	for i := range 10000 {
		rows = append(rows, readRow{Row{Line: i, Values: []string{"v"}}, nil})
	}
	r := &sliceReader{rows: rows}
	p := prefetch(r)
	if _, err := p.Read(); err != nil {
		t.Fatal(err)
	}
	p.close()
	n := r.read
	if n >= len(rows) {
		t.Errorf("read all %d rows ahead", n)
	}
	p.close() // twice is fine
}

// panicReader panics at its first row.
type panicReader struct{}

func (panicReader) Origin() Origin     { return Origin{} }
func (panicReader) Read() (Row, error) { panic("reader bug") }

// A reader's panic is raised again by Read, in the caller's goroutine.
func TestPrefetchRaisesTheReadersPanic(t *testing.T) {
	p := prefetch(panicReader{})
	defer p.close()
	defer func() {
		if s, ok := recover().(string); !ok || !strings.Contains(s, "reader bug") {
			t.Errorf("Read raised %v, want the reader's panic", s)
		}
	}()
	p.Read()
	t.Error("Read returned")
}
