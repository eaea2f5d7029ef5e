// Package csv reads CSV tables into raw rows with their line numbers: the
// first step of the flow for CSV inputs. It never converts values; the
// schemas package casts them.
//
// It reads the files that staff really send: Excel's "CSV UTF-8" with its
// byte order mark, the plain "CSV" of a German Windows in Windows-1252, files
// delimited by semicolons, commas or tabs, with CRLF or LF line ends and
// quoted cells across lines. The encoding, the delimiter and the decimal
// separator of numbers are detected from the first 64 KiB of the file,
// unless Options set them; the reader streams, so a file of any length is
// read in constant memory.
package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"aktionsplan/pipeline"
)

// peekSize is how much of the start of a file decides its encoding,
// delimiter and decimal separator.
const peekSize = 64 * 1024

// Reader streams the rows of one CSV file. The first row is the header.
type Reader struct {
	origin pipeline.Origin
	r      *stdcsv.Reader
	dec    *decoder
	comma  rune
	enc    Encoding
	// detected is true when the encoding was not configured.
	detected bool
	notes    []pipeline.Issue

	// Lines that encoding/csv skips because they are empty are returned as
	// rows without values, so that they are reported like empty rows of a
	// workbook: end is the last line of the rows returned, held a record
	// read ahead while the empty lines before it are returned.
	started bool
	eof     bool
	end     int
	held    pipeline.Row
	heldEnd int
	holding bool
}

var (
	_ pipeline.RowReader = (*Reader)(nil)
	_ pipeline.Noter     = (*Reader)(nil)
)

// Options set how a CSV file is read. Zero values mean: detect it.
type Options struct {
	// Comma is the delimiter; 0 sniffs it from the first line (";", ",", tab).
	Comma rune
	// Encoding is the character encoding; Detect chooses UTF-8 where the
	// start of the file is valid UTF-8, Windows-1252 otherwise. A UTF-8
	// byte order mark always means UTF-8.
	Encoding Encoding
	// Decimal is the decimal separator of numbers written in the file, '.'
	// or ','; 0 detects it from the numbers at the start of the file, and
	// leaves it to the schema where they do not tell.
	Decimal rune
}

// NewReader prepares reading r, the file named name: it chooses the
// encoding, sniffs the delimiter and the decimal separator from the start of
// the file, and skips a UTF-8 byte order mark. A file that is no text, such
// as a workbook renamed to .csv, is a *pipeline.BadInput.
func NewReader(name string, r io.Reader, opt Options) (*Reader, error) {
	br := bufio.NewReaderSize(r, peekSize)
	head, err := br.Peek(peekSize)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, name, err)
	}
	more := err == nil
	if bad := notText(name, head); bad != nil {
		return nil, bad
	}
	rd := &Reader{origin: pipeline.Origin{File: name, Decimal: opt.Decimal}, comma: opt.Comma}
	skip := rd.chooseEncoding(opt.Encoding, head, more)
	br.Discard(skip)
	text := decodeLossy(completeRunes(head[skip:], more), rd.enc)
	if rd.comma == 0 {
		rd.comma = Sniff([]byte(text))
	}
	if rd.origin.Decimal == 0 {
		rd.noteNumbers(sniffNumbers(text, rd.comma, more))
	}
	rd.dec = newDecoder(br, rd.enc, int64(skip))
	cr := stdcsv.NewReader(rd.dec)
	cr.Comma = rd.comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd.r = cr
	return rd, nil
}

// chooseEncoding sets the encoding of the file from the option and the
// start of the file, notes it where it is not UTF-8, and returns the length
// of a byte order mark to skip.
func (r *Reader) chooseEncoding(opt Encoding, head []byte, more bool) int {
	bom := 0
	if bytes.HasPrefix(head, utf8BOM) {
		bom = len(utf8BOM)
	}
	r.enc, r.detected = opt, opt == Detect
	switch {
	case r.detected:
		r.enc = detect(head, more)
		if r.enc != UTF8 {
			r.note("Die Datei ist %s-kodiert (erkannt); bitte künftig als „CSV UTF-8“ speichern", r.enc)
		}
	case bom > 0 && opt != UTF8:
		r.note("Die Datei beginnt mit der Kennung für UTF-8 (Byte Order Mark) und wird darum als UTF-8 gelesen, nicht wie eingestellt als %s", opt)
		r.enc = UTF8
	case opt != UTF8:
		r.note("Die Datei wird wie eingestellt als %s gelesen; bitte künftig als „CSV UTF-8“ speichern", opt)
	}
	return bom
}

// noteNumbers sets the decimal separator the numbers of the file show, and
// says so.
func (r *Reader) noteNumbers(e numberEvidence) {
	r.origin.Decimal = e.decimal()
	switch r.origin.Decimal {
	case ',':
		r.note("Zahlen mit Dezimalkomma erkannt (z. B. „%s“ in Zeile %d): „1.250“ bedeutet 1250", e.commaCell, e.commaLine)
	case '.':
		r.note("Zahlen mit Dezimalpunkt erkannt (z. B. „%s“ in Zeile %d): „1.250“ bedeutet 1,25 und „1,250“ bedeutet 1250", e.pointCell, e.pointLine)
	default:
		if e.comma > 0 {
			r.note("Die Zahlen sind uneinheitlich geschrieben: %d mit Dezimalkomma (z. B. „%s“ in Zeile %d), %d mit Dezimalpunkt (z. B. „%s“ in Zeile %d); es gilt das Schema",
				e.comma, e.commaCell, e.commaLine, e.point, e.pointCell, e.pointLine)
		}
	}
}

func (r *Reader) note(format string, args ...any) {
	r.notes = append(r.notes, pipeline.Issue{Code: pipeline.CodeRead, Severity: pipeline.Info,
		Pos: pipeline.Pos{File: r.origin.File}, Message: fmt.Sprintf(format, args...)})
}

// notText returns the problem of a file that is no CSV text at all.
func notText(name string, head []byte) *pipeline.BadInput {
	var msg string
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")):
		msg = "Die Datei ist UTF-16-kodiert (in Excel „Unicode-Text“); bitte in Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		msg = "Die Datei ist keine CSV-Datei, sondern eine Excel-Arbeitsmappe (.xlsx) oder ein anderes ZIP-Archiv; bitte mit der Endung .xlsx angeben oder in Excel als „CSV UTF-8“ speichern"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		msg = "Die Datei ist keine CSV-Datei, sondern eine alte Excel-Arbeitsmappe (.xls); bitte in Excel als .xlsx oder als „CSV UTF-8“ speichern"
	case bytes.IndexByte(head, 0) >= 0:
		msg = "Die Datei enthält Null-Bytes und ist darum keine CSV-Textdatei (vielleicht UTF-16 ohne Kennung oder eine Binärdatei); bitte in Excel als „CSV UTF-8“ speichern"
	default:
		return nil
	}
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos: pipeline.Pos{File: name}, Expected: "eine CSV-Textdatei (in Excel: Speichern unter „CSV UTF-8“)", Message: msg}}
}

// Comma returns the delimiter in use.
func (r *Reader) Comma() rune { return r.comma }

// Encoding returns the character encoding in use.
func (r *Reader) Encoding() Encoding { return r.enc }

// Origin says which file the rows come from and, in Decimal, the decimal
// separator of its numbers where it is known.
func (r *Reader) Origin() pipeline.Origin { return r.origin }

// Notes says how the file was read where that is worth knowing: an encoding
// other than UTF-8, the decimal separator detected.
func (r *Reader) Notes() []pipeline.Issue { return r.notes }

// Read returns the next record with the line it starts on. An empty line
// after the header is a row without values. A malformed record or a byte
// that the file's encoding cannot decode is a *pipeline.BadInput.
func (r *Reader) Read() (pipeline.Row, error) {
	if !r.holding {
		if err := r.readAhead(); err == io.EOF {
			if r.started && r.end < r.dec.lineCount() {
				r.end++
				return pipeline.Row{Line: r.end}, nil
			}
			return pipeline.Row{}, io.EOF
		} else if err != nil {
			return pipeline.Row{}, err
		}
	}
	if r.end+1 < r.held.Line {
		r.end++
		return pipeline.Row{Line: r.end}, nil
	}
	r.holding = false
	r.end = r.heldEnd
	return r.held, nil
}

// readAhead reads the next record into held.
func (r *Reader) readAhead() error {
	if r.eof {
		return io.EOF
	}
	rec, err := r.r.Read()
	if err == io.EOF {
		r.eof = true
		return io.EOF
	}
	if err != nil {
		return r.readError(err)
	}
	line, _ := r.r.FieldPos(0)
	last := len(rec) - 1
	lastLine, _ := r.r.FieldPos(last)
	r.held, r.holding = pipeline.Row{Line: line, Values: rec}, true
	r.heldEnd = lastLine + strings.Count(rec[last], "\n")
	if !r.started {
		r.started, r.end = true, line-1
	}
	return nil
}

// readError turns an error of encoding/csv into a *pipeline.BadInput, or an
// error of the environment.
func (r *Reader) readError(err error) error {
	var de *decodeError
	var pe *stdcsv.ParseError
	switch {
	case errors.As(err, &de):
		return r.encodingError(de)
	case errors.As(err, &pe):
		// A record cut short by an undecodable byte may fail to parse.
		if errors.As(r.dec.err, &de) && de.Line <= pe.Line {
			return r.encodingError(de)
		}
		msg := fmt.Sprintf("Die Zeile ist kein gültiges CSV (Zeichen %d: %s)", pe.Column, germanParseError(pe.Err))
		if pe.StartLine != pe.Line {
			// An opening quote that is never closed swallows the lines
			// after it: the place to fix is where the record starts.
			msg = fmt.Sprintf("Ein Feld in Anführungszeichen beginnt in Zeile %d und wird erst in Zeile %d (Zeichen %d) oder nie geschlossen: %s",
				pe.StartLine, pe.Line, pe.Column, germanParseError(pe.Err))
		}
		// encoding/csv goes on with the line after the bad record, so the
		// rest of the file is still checked; the lines of the bad record
		// are not reported again as empty rows.
		r.started, r.end = true, max(r.end, pe.Line)
		return &pipeline.BadInput{Resume: true, Issue: pipeline.Issue{
			Code: pipeline.CodeMalformed, Severity: pipeline.Error,
			Pos:      pipeline.Pos{File: r.origin.File, Row: pe.StartLine},
			Expected: "eine CSV-Zeile mit korrekt gesetzten Anführungszeichen",
			Message:  msg,
		}}
	}
	return fmt.Errorf("%w: %s: %w", pipeline.ErrInput, r.origin.File, err)
}

func (r *Reader) encodingError(de *decodeError) *pipeline.BadInput {
	var msg, expected string
	switch {
	case de.Encoding == UTF8 && r.detected:
		msg = fmt.Sprintf("Die Datei beginnt als UTF-8, aber das Byte an Position %d (Zeile %d) ist kein UTF-8: die Datei mischt Kodierungen", de.Offset, de.Line)
		expected = "durchgehend UTF-8 (in Excel: Speichern unter „CSV UTF-8“) oder die Einstellung encoding = \"windows-1252\""
	case de.Encoding == UTF8:
		msg = fmt.Sprintf("Das Byte an Position %d (Zeile %d) ist kein UTF-8, wie eingestellt", de.Offset, de.Line)
		expected = "Text in UTF-8 (in Excel: Speichern unter „CSV UTF-8“)"
	case de.Encoding == ISO8859_1 && cp1252Table[de.Byte] != noRune:
		msg = fmt.Sprintf("Das Byte an Position %d (Zeile %d) ist in ISO-8859-1 ein Steuerzeichen, in Windows-1252 wäre es „%c“", de.Offset, de.Line, cp1252Table[de.Byte])
		expected = "Text in UTF-8 (in Excel: Speichern unter „CSV UTF-8“) oder die Einstellung encoding = \"windows-1252\""
	default:
		msg = fmt.Sprintf("Das Byte an Position %d (Zeile %d) ist in %s kein Zeichen", de.Offset, de.Line, de.Encoding)
		expected = "Text in UTF-8 (in Excel: Speichern unter „CSV UTF-8“)"
	}
	return &pipeline.BadInput{Issue: pipeline.Issue{
		Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos:   pipeline.Pos{File: r.origin.File, Row: de.Line},
		Value: fmt.Sprintf("0x%02X", de.Byte), Expected: expected,
		Message: msg + " (Positionen in Bytes ab Dateianfang, gezählt ab 0)",
	}}
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
