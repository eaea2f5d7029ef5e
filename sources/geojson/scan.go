package geojson

import (
	"bytes"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"

	"aktionsplan/pipeline"
)

// scanner reads one JSON document from a reader through a window of a few
// features and checks its syntax as it goes, by the grammar and at the byte
// at which encoding/json would stop, so that a FeatureCollection is never
// held whole in memory (a single Feature or bare geometry, one value, is):
// a boundary file of 50,000 areas is 68 MB of text but 48 MB of
// coordinates once decoded. Its callers cut the values they decode out of
// the window (keep), which stays valid until the next read.
type scanner struct {
	name string
	r    io.Reader
	buf  []byte
	// buf[i:n] is not consumed yet.
	i, n int
	// keep is the first byte of buf that must survive a read, or -1.
	keep int
	eof  bool
	// err is the reader's error, other than io.EOF.
	err error
	// line counts the newlines before buf[0], col the characters between
	// the last of them and buf[0]: the place of buf[0] in the file.
	line, col int
	// open is the scratch of value.
	open []byte
}

// maxDepth is encoding/json's limit of nested arrays and objects.
const maxDepth = 10000

func newScanner(name string, r io.Reader) *scanner {
	s := &scanner{name: name, r: r, buf: make([]byte, 64<<10), keep: -1}
	for s.n < 3 && s.more() {
	}
	if bytes.HasPrefix(s.buf[:s.n], []byte("\uFEFF")) { // byte order mark of Windows editors
		s.i = 3
		s.drop(3, false)
	}
	return s
}

// more reads into the window, dropping what is consumed and not kept; it
// reports whether it read anything.
func (s *scanner) more() bool {
	if s.eof || s.err != nil {
		return false
	}
	d := s.i
	if s.keep >= 0 {
		d = s.keep
	}
	for d > 0 && d < s.n && !utf8.RuneStart(s.buf[d]) {
		d-- // a character is counted where it starts
	}
	s.drop(d, true)
	if s.n == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...)
	}
	for {
		m, err := s.r.Read(s.buf[s.n:])
		s.n += m
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
		}
		if m > 0 {
			return true
		}
		if s.eof || s.err != nil {
			return false
		}
	}
}

// drop removes buf[:d], counting its lines and characters when counted.
func (s *scanner) drop(d int, counted bool) {
	if d == 0 {
		return
	}
	if counted {
		gone := s.buf[:d]
		if nl := bytes.Count(gone, []byte{'\n'}); nl > 0 {
			s.line += nl
			s.col = utf8.RuneCount(gone[bytes.LastIndexByte(gone, '\n')+1:])
		} else {
			s.col += utf8.RuneCount(gone)
		}
	}
	copy(s.buf, s.buf[d:s.n])
	s.n -= d
	s.i -= d
	if s.keep >= 0 {
		s.keep -= d
	}
}

// posAt is the place of buf[k] in the file: its 1-based line in Row and
// its 1-based column, counted in characters, in Column.
func (s *scanner) posAt(k int) pipeline.Pos {
	before := s.buf[:k]
	line, col := s.line, s.col
	if nl := bytes.Count(before, []byte{'\n'}); nl > 0 {
		line += nl
		col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	} else {
		col += utf8.RuneCount(before)
	}
	return pipeline.Pos{File: s.name, Row: line + 1, Column: col + 1}
}

// space skips white space and returns the next byte, or false at the end
// of the input.
func (s *scanner) space() (byte, bool) {
	for {
		for s.i < s.n {
			switch c := s.buf[s.i]; c {
			case ' ', '\t', '\n', '\r':
				s.i++
			default:
				return c, true
			}
		}
		if !s.more() {
			return 0, false
		}
	}
}

// byteAt returns buf[s.i], reading when needed.
func (s *scanner) byteAt() (byte, bool) {
	if s.i < s.n || s.more() {
		return s.buf[s.i], true
	}
	return 0, false
}

// unexpected is the problem at buf[s.i], a byte that encoding/json would
// not accept there.
func (s *scanner) unexpected() error {
	pos := s.posAt(s.i)
	s.keep = s.i
	for s.n-s.keep < utf8.UTFMax && s.more() {
	}
	r, _ := utf8.DecodeRune(s.buf[s.keep:s.n])
	s.keep = -1
	return malformed(pos, string(r), expectGeoJSON, "Die Datei ist kein gültiges JSON: unerwartetes Zeichen")
}

// ended is the problem of an input that ends inside a value, or the
// reader's error.
func (s *scanner) ended() error {
	if s.err != nil {
		return s.readError()
	}
	s.i = s.n
	return malformed(s.posAt(s.n), "", expectGeoJSON, "Die Datei endet, bevor das JSON vollständig ist; ist sie abgeschnitten?")
}

func (s *scanner) readError() error {
	return fmt.Errorf("%w: %s: %w", pipeline.ErrInput, s.name, s.err)
}

// restIsSpace reports whether nothing but white space, as bytes.TrimSpace
// sees it, follows.
func (s *scanner) restIsSpace() bool {
	for {
		if s.n-s.i < utf8.UTFMax && !s.eof && s.more() {
			continue
		}
		if s.i >= s.n {
			return s.err == nil
		}
		r, size := utf8.DecodeRune(s.buf[s.i:s.n])
		if !unicode.IsSpace(r) {
			return false
		}
		s.i += size
	}
}

// value checks the value that starts at the next byte that is not white
// space and moves past it; depth is the nesting around it.
func (s *scanner) value(depth int) error {
	open := s.open[:0] // the brackets open inside the value
	defer func() { s.open = open[:0] }()
	for {
		c, ok := s.space()
		if !ok {
			return s.ended()
		}
		switch {
		case c == '{' || c == '[':
			if depth+len(open) >= maxDepth {
				return s.unexpected()
			}
			s.i++
			open = append(open, c)
			c, ok = s.space()
			if !ok {
				return s.ended()
			}
			if c == c0(open[len(open)-1]) {
				s.i++
				open = open[:len(open)-1]
				break
			}
			if open[len(open)-1] == '{' {
				if err := s.key(); err != nil {
					return err
				}
			}
			continue
		case c == '"':
			if err := s.str(); err != nil {
				return err
			}
		case c == '-' || c >= '0' && c <= '9':
			if err := s.number(); err != nil {
				return err
			}
		case c == 't':
			if err := s.literal("true"); err != nil {
				return err
			}
		case c == 'f':
			if err := s.literal("false"); err != nil {
				return err
			}
		case c == 'n':
			if err := s.literal("null"); err != nil {
				return err
			}
		default:
			return s.unexpected()
		}
		// After a value: close brackets until a comma asks for the next.
		for {
			if len(open) == 0 {
				return nil
			}
			c, ok := s.space()
			if !ok {
				return s.ended()
			}
			top := open[len(open)-1]
			if c == ',' {
				s.i++
				if top == '{' {
					if c, ok = s.space(); !ok {
						return s.ended()
					} else if c != '"' {
						return s.unexpected()
					}
					if err := s.key(); err != nil {
						return err
					}
				} else if s.i < s.n && (s.buf[s.i] == '-' || s.buf[s.i] >= '0' && s.buf[s.i] <= '9') {
					// The next number of a list of coordinates.
					if err := s.number(); err != nil {
						return err
					}
					continue
				}
				break
			}
			if c != c0(top) {
				return s.unexpected()
			}
			s.i++
			open = open[:len(open)-1]
		}
	}
}

// c0 is the closing bracket of an opening one.
func c0(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

// key checks a member name at buf[s.i] and the colon after it.
func (s *scanner) key() error {
	if s.buf[s.i] != '"' {
		return s.unexpected()
	}
	if err := s.str(); err != nil {
		return err
	}
	c, ok := s.space()
	if !ok {
		return s.ended()
	}
	if c != ':' {
		return s.unexpected()
	}
	s.i++
	return nil
}

// plainByte marks the bytes that a string holds as they are.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str checks the string at buf[s.i] and moves past it.
func (s *scanner) str() error {
	s.i++
	for {
		for s.i < s.n && plainByte[s.buf[s.i]] {
			s.i++
		}
		c, ok := s.byteAt()
		switch {
		case !ok:
			return s.ended()
		case plainByte[c]:
			continue // the window moved
		case c == '"':
			s.i++
			return nil
		case c < 0x20:
			return s.unexpected()
		}
		// A backslash.
		s.i++
		if c, ok = s.byteAt(); !ok {
			return s.ended()
		}
		switch c {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			s.i++
		case 'u':
			s.i++
			for range 4 {
				if c, ok = s.byteAt(); !ok {
					return s.ended()
				}
				if !isHex(c) {
					return s.unexpected()
				}
				s.i++
			}
		default:
			return s.unexpected()
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// number checks the number at buf[s.i] and moves past it. A number may end
// the input only at the top level.
func (s *scanner) number() error {
	// Most numbers are plain decimals that end inside the window; anything
	// else, and every error, is left to the exact check below.
	b, j, n := s.buf, s.i, s.n
	if b[j] == '-' {
		j++
	}
	switch {
	case j < n && b[j] == '0':
		j++
	case j < n && b[j] >= '1' && b[j] <= '9':
		for j++; j < n && b[j] >= '0' && b[j] <= '9'; j++ {
		}
	default:
		return s.exactNumber()
	}
	if j < n && b[j] == '.' {
		k := j + 1
		for ; k < n && b[k] >= '0' && b[k] <= '9'; k++ {
		}
		if k == j+1 {
			return s.exactNumber()
		}
		j = k
	}
	if j >= n || b[j] == 'e' || b[j] == 'E' {
		return s.exactNumber()
	}
	s.i = j
	return nil
}

// exactNumber is number, byte by byte across reads of the window.
func (s *scanner) exactNumber() error {
	c := s.buf[s.i]
	if c == '-' {
		s.i++
		var ok bool
		if c, ok = s.byteAt(); !ok {
			return s.ended()
		}
		if c < '0' || c > '9' {
			return s.unexpected()
		}
	}
	s.i++
	if c != '0' {
		s.digits()
	}
	c, ok := s.byteAt()
	if ok && c == '.' {
		s.i++
		if err := s.someDigits(); err != nil {
			return err
		}
		c, ok = s.byteAt()
	}
	if ok && (c == 'e' || c == 'E') {
		s.i++
		if c, ok = s.byteAt(); ok && (c == '+' || c == '-') {
			s.i++
		}
		return s.someDigits()
	}
	if !ok && s.err != nil {
		return s.readError()
	}
	return nil
}

func (s *scanner) digits() {
	for {
		for s.i < s.n && s.buf[s.i] >= '0' && s.buf[s.i] <= '9' {
			s.i++
		}
		if s.i < s.n || !s.more() {
			return
		}
	}
}

// someDigits checks that at least one digit follows and moves past them.
func (s *scanner) someDigits() error {
	c, ok := s.byteAt()
	if !ok {
		return s.ended()
	}
	if c < '0' || c > '9' {
		return s.unexpected()
	}
	s.digits()
	return nil
}

// literal checks true, false or null at buf[s.i] and moves past it.
func (s *scanner) literal(word string) error {
	for k := range len(word) {
		c, ok := s.byteAt()
		if !ok {
			return s.ended()
		}
		if c != word[k] {
			return s.unexpected()
		}
		s.i++
	}
	return nil
}

// cut checks the value at the next byte that is not white space, moves
// past it and returns its bytes, valid until the window moves.
func (s *scanner) cut(depth int) ([]byte, error) {
	if _, ok := s.space(); !ok {
		return nil, s.ended()
	}
	s.keep = s.i
	if err := s.value(depth); err != nil {
		return nil, err
	}
	raw := s.buf[s.keep:s.i]
	s.keep = -1
	return raw, nil
}
