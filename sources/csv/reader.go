// Package csv reads CSV tables into raw rows with their line numbers: the
// first step of the flow for CSV inputs. It never converts values; the
// schemas package casts them.
package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

// Reader streams the rows of one CSV file. The first row is the header.
type Reader struct {
	origin pipeline.Origin
	r      *stdcsv.Reader
	comma  rune
}

var _ pipeline.RowReader = (*Reader)(nil)

// Options set how a CSV file is read.
type Options struct {
	// Comma is the delimiter; 0 sniffs it from the first line (";", ",", tab).
	Comma rune
}

// NewReader prepares reading r, the file named name. It skips a UTF-8 byte
// order mark and sniffs the delimiter from the first line.
func NewReader(name string, r io.Reader, opt Options) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	comma := opt.Comma
	if comma == 0 {
		head, err := br.Peek(br.Size())
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, name, err)
		}
		comma = Sniff(head)
	}
	cr := stdcsv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &Reader{origin: pipeline.Origin{File: name}, r: cr, comma: comma}, nil
}

// Sniff returns the delimiter that occurs most often in the first line
// outside quotes: semicolon, comma or tab; comma when none occurs.
func Sniff(head []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(head) {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted && (c == ';' || c == ',' || c == '\t') {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t', ','} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// Comma returns the delimiter in use.
func (r *Reader) Comma() rune { return r.comma }

// Origin says which file the rows come from.
func (r *Reader) Origin() pipeline.Origin { return r.origin }

// Read returns the next record with the line it starts on. A malformed
// record or text that is not UTF-8 is a *pipeline.BadInput.
func (r *Reader) Read() (pipeline.Row, error) {
	rec, err := r.r.Read()
	if err == io.EOF {
		return pipeline.Row{}, io.EOF
	}
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) {
		return pipeline.Row{}, &pipeline.BadInput{Issue: pipeline.Issue{
			Code: pipeline.CodeMalformed, Severity: pipeline.Error,
			Pos:      pipeline.Pos{File: r.origin.File, Row: pe.Line},
			Expected: "eine CSV-Zeile mit korrekt gesetzten Anführungszeichen",
			Message:  fmt.Sprintf("Die Zeile ist kein gültiges CSV (Zeichen %d: %s)", pe.Column, germanParseError(pe.Err)),
		}}
	}
	if err != nil {
		return pipeline.Row{}, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, r.origin.File, err)
	}
	line, _ := r.r.FieldPos(0)
	for i, v := range rec {
		if !utf8.ValidString(v) {
			l, col := r.r.FieldPos(i)
			return pipeline.Row{}, &pipeline.BadInput{Issue: pipeline.Issue{
				Code: pipeline.CodeMalformed, Severity: pipeline.Error,
				Pos:      pipeline.Pos{File: r.origin.File, Row: l, Column: i + 1},
				Expected: "Text in UTF-8 (in Excel: Speichern unter „CSV UTF-8“)",
				Message:  fmt.Sprintf("Der Text ist nicht UTF-8-kodiert (ab Zeichen %d)", col),
			}}
		}
	}
	return pipeline.Row{Line: line, Values: rec}, nil
}

func germanParseError(err error) string {
	switch {
	case errors.Is(err, stdcsv.ErrBareQuote):
		return "Anführungszeichen mitten in einem Feld ohne Anführungszeichen"
	case errors.Is(err, stdcsv.ErrQuote):
		return "fehlendes oder überzähliges Anführungszeichen"
	}
	return err.Error()
}
