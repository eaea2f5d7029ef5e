// Package csv writes published datasets as CSV: UTF-8 (with a byte order mark
// by default, so that Excel shows umlauts), comma, RFC 4180 quoting and CRLF
// line ends, a header of machine names, dot as decimal point, ISO dates and
// an empty cell for a missing value. It mirrors sources/csv.
//
// Text that a spreadsheet program would run as a formula gets a leading
// apostrophe (see Text), as pipeline.FormulaNote tells the readers.
package csv

import (
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

// Format writes CSV files.
type Format struct {
	// NoBOM leaves out the UTF-8 byte order mark.
	NoBOM bool
}

var _ pipeline.Format = Format{}

// Ext is "csv".
func (Format) Ext() string { return "csv" }

// Spatial is false: CSV carries no geometry.
func (Format) Spatial() bool { return false }

// NewEncoder writes the byte order mark and the header.
func (f Format) NewEncoder(w io.Writer, ds *pipeline.Dataset) (pipeline.Encoder, error) {
	e := &encoder{w: w, cols: ds.Columns, buf: make([]byte, 0, bufSize+bufSize/4)}
	if !f.NoBOM {
		e.buf = append(e.buf, "\ufeff"...)
	}
	for i, c := range ds.Columns {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendField(e.buf, c.Name)
	}
	e.buf = append(e.buf, '\r', '\n')
	if err := e.flush(); err != nil {
		return nil, err
	}
	return e, nil
}

// bufSize is how many bytes the encoder gathers before it writes them: the
// rows are formatted straight into one buffer, so that a row costs no
// allocation, and the memory stays the same however many rows follow.
const bufSize = 64 << 10

// encoder writes what encoding/csv's Writer with UseCRLF writes, byte for
// byte, without a string per cell (see appendField).
type encoder struct {
	w    io.Writer
	cols []pipeline.Column
	buf  []byte
	err  error
}

func (e *encoder) Write(f pipeline.Feature) error {
	if len(f.Values) != len(e.cols) {
		return fmt.Errorf("csv: row has %d values for %d columns", len(f.Values), len(e.cols))
	}
	if e.err != nil {
		return e.err
	}
	start := len(e.buf)
	b := e.buf
	for i, v := range f.Values {
		if i > 0 {
			b = append(b, ',')
		}
		// Texts and amounts, most of the fields, are told apart here, in
		// one type switch; the other values take appendValue's.
		switch v := v.(type) {
		case string:
			if pipeline.FormulaLike(v) {
				b = appendFormulaLike(b, v)
			} else {
				b = appendField(b, v)
			}
		case float64:
			b = appendNumber(b, v)
		default:
			// Numbers, booleans and dates hold no comma, quote, line
			// break or leading space, so they are never quoted.
			var err error
			if b, err = appendValue(b, v); err != nil {
				e.buf = b[:start] // the row is written whole or not at all
				return fmt.Errorf("csv: column %s: %w", e.cols[i].Name, err)
			}
		}
	}
	e.buf = append(b, '\r', '\n')
	if len(e.buf) >= bufSize {
		return e.flush()
	}
	return nil
}

func (e *encoder) Close() error {
	return e.flush()
}

// flush writes the buffer; an error of the writer is returned again by
// every later call.
func (e *encoder) flush() error {
	if e.err != nil {
		return e.err
	}
	if len(e.buf) > 0 {
		_, e.err = e.w.Write(e.buf)
		e.buf = e.buf[:0]
	}
	return e.err
}

// cellText renders a published value as CSV cell text: the reference of the
// tests for what the encoder writes.
//
// A string that pipeline.FormulaLike calls formula-like ("=HYPERLINK(…)",
// "+1", "-2+3", "@SUM(A1)", a leading tab or carriage return) is written with
// a leading apostrophe: Excel, LibreOffice and Google Sheets run such a cell
// as a formula when they open a CSV file, and CSV has no other way to say
// "this is text". The apostrophe is the OWASP recommendation because it keeps
// the text readable and is what people type themselves to enter text that
// looks like a formula; it is documented in the dataset description
// (pipeline.FormulaNote). Only strings are touched: numbers are never
// strings here, so -5 in a number column stays the number -5.
func cellText(v any) (string, error) {
	b, err := appendValue(nil, v)
	return string(b), err
}

// appendFormulaLike appends the field of a formula-like text s: s after an
// apostrophe, quoted where needed. Such a field begins with the
// apostrophe, so only the bytes of s can make it need quotes.
func appendFormulaLike(b []byte, s string) []byte {
	if !hasSpecial(s) {
		return append(append(b, '\''), s...)
	}
	// Rare: quote a copy of the text the apostrophe went before.
	return appendQuoted(b, "'"+s)
}

// appendValue appends the text of a value that is not a string, or of a
// string as it is.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return b, nil
	case string:
		if pipeline.FormulaLike(v) {
			b = append(b, '\'')
		}
		return append(b, v...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendNumber(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case time.Time:
		return appendDate(b, v), nil
	}
	return b, fmt.Errorf("unsupported value type %T", v)
}

// appendNumber appends v as strconv.AppendFloat(b, v, 'f', -1, 64) does.
// Amounts are in cents: two decimals take pipeline.AppendDecimal's fast
// path.
func appendNumber(b []byte, v float64) []byte {
	return pipeline.AppendDecimal(b, v, 2)
}

// appendDate appends t as YYYY-MM-DD, as t.Format("2006-01-02") does.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, time.DateOnly)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendField appends s as encoding/csv's Writer with UseCRLF writes a
// field: as it is, or quoted when needsQuotes says so.
func appendField(b []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	return appendQuoted(b, s)
}

// needsQuotes is encoding/csv's rule with a comma as separator: a field
// with a comma, quote, carriage return or line feed, one that begins with
// white space, and the field \. (which PostgreSQL reads as end of data).
func needsQuotes(f string) bool {
	if len(f) == 0 {
		return false
	}
	if c := f[0]; c < utf8.RuneSelf {
		if c == ' ' || ('\t' <= c && c <= '\r') || f == `\.` {
			return true
		}
	} else if r, _ := utf8.DecodeRuneInString(f); unicode.IsSpace(r) {
		return true
	}
	return hasSpecial(f)
}

// hasSpecial reports whether f holds a comma, quote, carriage return or
// line feed. It tests eight bytes at a time, since most of the time of a
// row went into this test: the last word may overlap the one before, and a
// field of four to seven bytes is tested as one word of its first and its
// last four bytes.
func hasSpecial(f string) bool {
	n := len(f)
	switch {
	case n >= 8:
		for i := 0; i < n-8; i += 8 {
			if hasSpecial8(pipeline.Load64(f[i:])) {
				return true
			}
		}
		return hasSpecial8(pipeline.Load64(f[n-8:]))
	case n >= 4:
		return hasSpecial8(uint64(pipeline.Load32(f)) | uint64(pipeline.Load32(f[n-4:]))<<32)
	}
	var special byte
	for i := range n {
		special |= quoteBytes[f[i]]
	}
	return special != 0
}

// hasSpecial8 is hasSpecial of the eight bytes of x: a byte of x equal to
// c is a zero byte of x^c, and a word has a zero byte exactly when
// (y-0x01…)&^y&0x80… is not 0.
func hasSpecial8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	a, b, c, d := x^(lo*','), x^(lo*'"'), x^(lo*'\r'), x^(lo*'\n')
	return ((a-lo)&^a|(b-lo)&^b|(c-lo)&^c|(d-lo)&^d)&hi != 0
}

// quoteBytes marks the bytes that hasSpecial looks for.
var quoteBytes = [256]byte{',': 1, '"': 1, '\r': 1, '\n': 1}

// appendQuoted appends s quoted as encoding/csv does with CRLF line ends:
// quotes doubled, a line feed written as CRLF and a carriage return
// dropped.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b = append(b, '"', '"')
		case '\r':
		case '\n':
			b = append(b, '\r', '\n')
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
