package csv

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encoding is the character encoding of a CSV file.
type Encoding int

// The encodings that staff's CSV files come in: Excel's "CSV UTF-8", and the
// plain "CSV" of a German Windows, which is Windows-1252 (ISO-8859-1 with
// "€" and a few more characters in 0x80–0x9F).
const (
	// Detect reads the start of the file: UTF-8 when it is valid UTF-8 or
	// begins with a byte order mark, Windows-1252 otherwise.
	Detect Encoding = iota
	UTF8
	Windows1252
	ISO8859_1
)

// ErrEncoding is returned by ParseEncoding for a name it does not know.
var ErrEncoding = errors.New("csv: unknown encoding")

// String returns the name of the encoding as messages show it.
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case Windows1252:
		return "Windows-1252"
	case ISO8859_1:
		return "ISO-8859-1"
	}
	return "automatisch"
}

// ParseEncoding reads the name of an encoding as users write it in a config:
// "utf-8", "windows-1252" or "iso-8859-1", in any case, also "utf8",
// "cp1252" and "latin1". An empty name is Detect.
func ParseEncoding(name string) (Encoding, error) {
	key := strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(name)))
	switch key {
	case "":
		return Detect, nil
	case "utf8":
		return UTF8, nil
	case "windows1252", "cp1252":
		return Windows1252, nil
	case "iso88591", "latin1":
		return ISO8859_1, nil
	}
	return Detect, fmt.Errorf("%w %q: use \"utf-8\", \"windows-1252\" or \"iso-8859-1\"", ErrEncoding, name)
}

var (
	cp1252Table = singleByteTable(Windows1252)
	latin1Table = singleByteTable(ISO8859_1)
)

// noRune marks a byte that an encoding leaves undefined.
const noRune = -1

// singleByteTable maps each byte to its character, or noRune. Windows-1252
// leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; in ISO-8859-1 the bytes
// 0x80–0x9F are control characters that no text holds, and a file that has
// them is Windows-1252 in truth (0x80 is "€" there), so both count as
// undecodable rather than turning "€" into an invisible control character.
func singleByteTable(e Encoding) *[256]rune {
	var t [256]rune
	for b := range 256 {
		switch {
		case e == ISO8859_1 && b >= 0x80 && b < 0xA0:
			t[b] = noRune
		case e == ISO8859_1:
			t[b] = charmap.ISO8859_1.DecodeByte(byte(b))
		default:
			t[b] = charmap.Windows1252.DecodeByte(byte(b))
			if t[b] == utf8.RuneError {
				t[b] = noRune
			}
		}
	}
	return &t
}

func (e Encoding) table() *[256]rune {
	switch e {
	case Windows1252:
		return cp1252Table
	case ISO8859_1:
		return latin1Table
	}
	return nil
}

var utf8BOM = []byte("\xef\xbb\xbf")

// detect chooses the encoding of a file from its first bytes. full says that
// more of the file follows head, so a character may be cut at its end.
// A file that holds valid multi-byte UTF-8 characters beside invalid bytes
// mixes encodings (one line pasted from elsewhere): it is taken as UTF-8, so
// that the bad byte is an error at its place instead of every umlaut of the
// file being published as "Ã¶".
func detect(head []byte, full bool) Encoding {
	if bytes.HasPrefix(head, utf8BOM) || utf8.Valid(completeRunes(head, full)) || hasMultiByteUTF8(head) {
		return UTF8
	}
	return Windows1252
}

// hasMultiByteUTF8 reports whether b holds a valid UTF-8 sequence of two or
// more bytes; Windows-1252 text almost never does ("Ã¤" would be one).
func hasMultiByteUTF8(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r != utf8.RuneError && n > 1 {
			return true
		}
		b = b[max(n, 1):]
	}
	return false
}

// completeRunes cuts a UTF-8 sequence that the end of a buffer split, when
// more bytes follow.
func completeRunes(b []byte, more bool) []byte {
	if !more {
		return b
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// decodeLossy decodes a prefix of a file for sniffing only: undecodable bytes
// become U+FFFD, which no delimiter or digit test matches.
func decodeLossy(b []byte, e Encoding) string {
	t := e.table()
	if t == nil {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for _, c := range b {
		if r := t[c]; r != noRune {
			sb.WriteRune(r)
		} else {
			sb.WriteRune(utf8.RuneError)
		}
	}
	return sb.String()
}

// decodeError is where a byte stands that the file's encoding cannot decode.
type decodeError struct {
	Encoding Encoding
	Byte     byte
	// Offset counts bytes from the start of the file, from 0, as hex
	// editors do; Line is the 1-based line of the byte.
	Offset int64
	Line   int
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("csv: byte 0x%02X at offset %d (line %d) is not %s", e.Byte, e.Offset, e.Line, e.Encoding)
}

// decoder turns the bytes of a file into UTF-8 while they stream through it.
// It never replaces a byte it cannot decode: the text before it is returned,
// then a *decodeError. It counts lines as encoding/csv does, by "\n".
type decoder struct {
	r     io.Reader
	enc   Encoding
	table *[256]rune // nil for UTF-8, which passes through after checking
	buf   []byte
	rest  []byte // undecoded bytes at the end of buf: a split UTF-8 sequence
	out   []byte // decoded text not yet returned
	conv  []byte // out's storage for single-byte encodings
	off   int64  // file offset of the first byte of rest
	lines int    // "\n" before off
	last  byte   // the last byte decoded
	seen  bool   // whether any byte was decoded
	err   error
}

func newDecoder(r io.Reader, e Encoding, offset int64) *decoder {
	return &decoder{r: r, enc: e, table: e.table(), buf: make([]byte, 32*1024), off: offset}
}

func (d *decoder) Read(p []byte) (int, error) {
	for len(d.out) == 0 && d.err == nil {
		d.fill()
	}
	if len(d.out) == 0 {
		return 0, d.err
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// fill reads and decodes the next chunk; out is empty when it is called.
func (d *decoder) fill() {
	pending := copy(d.buf, d.rest)
	n, err := d.r.Read(d.buf[pending:])
	src := d.buf[:pending+n]
	eof := err != nil
	var used int
	var bad bool
	if d.table == nil {
		used, bad = validUTF8(src, !eof)
		d.out = src[:used]
	} else {
		used, bad = d.convert(src)
		d.out = d.conv
	}
	d.rest = src[used:]
	if used > 0 {
		d.last, d.seen = src[used-1], true
	}
	if bad {
		d.err = &decodeError{Encoding: d.enc, Byte: src[used], Offset: d.off + int64(used), Line: d.lines + bytes.Count(src[:used], []byte{'\n'}) + 1}
	} else if eof {
		d.err = err
	}
	d.lines += bytes.Count(src[:used], []byte{'\n'})
	d.off += int64(used)
}

// convert decodes single-byte text into conv up to the first undefined byte.
// Text is mostly ASCII, which stays as it is: runs of it are found eight
// bytes at a time and copied whole.
func (d *decoder) convert(src []byte) (int, bool) {
	d.conv = d.conv[:0]
	for i := 0; i < len(src); {
		j := asciiRun(src[i:]) + i
		d.conv = append(d.conv, src[i:j]...)
		if j == len(src) {
			break
		}
		r := d.table[src[j]]
		if r == noRune {
			return j, true
		}
		d.conv = utf8.AppendRune(d.conv, r)
		i = j + 1
	}
	return len(src), false
}

// asciiRun returns the length of the ASCII text at the start of b.
func asciiRun(b []byte) int {
	n := 0
	for ; n+8 <= len(b); n += 8 {
		if binary.LittleEndian.Uint64(b[n:])&0x8080808080808080 != 0 {
			break
		}
	}
	for n < len(b) && b[n] < utf8.RuneSelf {
		n++
	}
	return n
}

// validUTF8 returns the length of the valid UTF-8 at the start of b, leaving
// a sequence split by the end of b for the next chunk when more follows, and
// whether an invalid byte stands right after it.
func validUTF8(b []byte, more bool) (int, bool) {
	whole := completeRunes(b, more)
	if utf8.Valid(whole) {
		return len(whole), false
	}
	for i := 0; i < len(whole); {
		r, size := utf8.DecodeRune(whole[i:])
		if r == utf8.RuneError && size == 1 {
			return i, true
		}
		i += size
	}
	return len(whole), false
}

// lineCount returns the number of lines of the text decoded so far,
// counting a last line without "\n".
func (d *decoder) lineCount() int {
	if d.seen && d.last != '\n' {
		return d.lines + 1
	}
	return d.lines
}
