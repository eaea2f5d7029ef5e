package sources

import (
	"context"
	"fmt"
	"io"
	"strings"

	"aktionsplan/pipeline"
	"aktionsplan/sources/xlsx"
)

// Limits bound what reading one input may cost, so that a damaged or
// hostile file (a ZIP bomb, a table pasted a million times, a boundary
// drawn with a vertex per millimetre) is refused with a message naming the
// file, the limit and the config key that raises it, instead of exhausting
// the memory or the night. A zero field means its default; see
// DefaultLimits. In the config file they are the [limits] section.
//
// An input above a limit is bad input: an error in the report, like any
// other problem of the file, and nothing new is published.
type Limits struct {
	// FileBytes bounds the size of each input file: tables and boundaries.
	FileBytes int64 `toml:"max_file_bytes"`
	// XLSXUnzipBytes bounds the size of a workbook's parts once unpacked,
	// all together. It is checked against the sizes the ZIP directory
	// declares, before anything is unpacked, and reading stops at them, so
	// a ZIP bomb is refused at once.
	XLSXUnzipBytes int64 `toml:"max_xlsx_unzip_bytes"`
	// XLSXXMLBytes bounds the size of one unpacked part of a workbook, such
	// as the XML of a worksheet or of the shared strings.
	XLSXXMLBytes int64 `toml:"max_xlsx_xml_bytes"`
	// Rows bounds the rows of a table (a CSV file, a worksheet), the header
	// and empty rows between data rows included.
	Rows int `toml:"max_rows"`
	// Cells bounds the cells of one row, up to its last cell with a value.
	Cells int `toml:"max_cells_per_row"`
	// Vertices bounds the vertices of all boundaries of a boundary file
	// together, FeatureVertices those of one feature.
	Vertices        int `toml:"max_vertices"`
	FeatureVertices int `toml:"max_feature_vertices"`
}

// DefaultLimits allow far more than the city's files hold: a ledger of a
// million rows, 50,000 areas of 80 vertices; real workbooks unpack to ten
// to twenty times their size.
var DefaultLimits = Limits{
	FileBytes:       256 << 20,
	XLSXUnzipBytes:  xlsx.DefaultMaxUnzipBytes,
	XLSXXMLBytes:    xlsx.DefaultMaxPartBytes,
	Rows:            2_000_000,
	Cells:           1_000,
	Vertices:        20_000_000,
	FeatureVertices: 1_000_000,
}

// WithDefaults returns the limits with each zero field set to its default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	set64 := func(v *int64, def int64) {
		if *v == 0 {
			*v = def
		}
	}
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set64(&l.FileBytes, d.FileBytes)
	set64(&l.XLSXUnzipBytes, d.XLSXUnzipBytes)
	set64(&l.XLSXXMLBytes, d.XLSXXMLBytes)
	set(&l.Rows, d.Rows)
	set(&l.Cells, d.Cells)
	set(&l.Vertices, d.Vertices)
	set(&l.FeatureVertices, d.FeatureVertices)
	return l
}

// Check re-checks the limits after they were parsed from a config: none may
// be negative, and one part of a workbook cannot be set larger than all of
// them (a smaller total alone lowers the part's limit with it). The error
// wraps ErrOptions.
func (l Limits) Check() error {
	for _, v := range []int64{l.FileBytes, l.XLSXUnzipBytes, l.XLSXXMLBytes, int64(l.Rows), int64(l.Cells), int64(l.Vertices), int64(l.FeatureVertices)} {
		if v < 0 {
			return fmt.Errorf("%w: limits must not be negative", ErrOptions)
		}
	}
	if d := l.WithDefaults(); l.XLSXXMLBytes > d.XLSXUnzipBytes {
		return fmt.Errorf("%w: max_xlsx_xml_bytes (%d) must not be larger than max_xlsx_unzip_bytes (%d)", ErrOptions, d.XLSXXMLBytes, d.XLSXUnzipBytes)
	}
	return nil
}

// Boundaries reads boundary files through Reader within the file size
// limit.
type Boundaries struct {
	Reader pipeline.BoundaryReader
	Limits Limits
}

var _ pipeline.BoundaryReader = Boundaries{}

// ReadBoundaries reads the boundary file as Reader does; a file larger than
// the limit is a *pipeline.BadInput.
func (b Boundaries) ReadBoundaries(name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	return b.ReadBoundariesContext(context.Background(), name, r, rep)
}

var _ pipeline.ContextBoundaryReader = Boundaries{}

// ReadBoundariesContext is ReadBoundaries that stops when ctx is done, if
// Reader can.
func (b Boundaries) ReadBoundariesContext(ctx context.Context, name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	r = newSizeLimit(name, r, b.Limits.WithDefaults().FileBytes)
	if cr, ok := b.Reader.(pipeline.ContextBoundaryReader); ok {
		return cr.ReadBoundariesContext(ctx, name, r, rep)
	}
	return b.Reader.ReadBoundaries(name, r, rep)
}

// sizeLimit reads at most limit bytes of a file. Beyond them, every Read
// returns a *pipeline.BadInput that says how large the file is: to tell,
// it reads the rest of the file without keeping it, as the hash of the
// input needs it read anyway.
type sizeLimit struct {
	name  string
	r     io.Reader
	limit int64
	n     int64
	err   error
}

func newSizeLimit(name string, r io.Reader, limit int64) *sizeLimit {
	return &sizeLimit{name: name, r: r, limit: limit}
}

func (s *sizeLimit) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if left := s.limit + 1 - s.n; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.n <= s.limit {
		return n, err
	}
	rest, _ := io.Copy(io.Discard, s.r)
	size := s.n + rest
	s.err = &pipeline.BadInput{Issue: pipeline.Issue{
		Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: pipeline.Pos{File: s.name},
		Value:    pipeline.GermanBytes(uint64(size)),
		Expected: fmt.Sprintf("höchstens %s laut [limits] max_file_bytes", pipeline.GermanBytes(uint64(s.limit))),
		Message: fmt.Sprintf("Die Datei ist mit %s größer als die Grenze von %s und wird nicht gelesen. Ist es die richtige Datei? "+
			"Eine so große Eingabe lässt sich in der Konfiguration mit [limits] max_file_bytes zulassen", pipeline.GermanBytes(uint64(size)), pipeline.GermanBytes(uint64(s.limit))),
	}}
	return 0, s.err
}

// rowLimit refuses rows beyond the limits of a table: more rows, or a row
// with more cells up to its last value. It passes on the notes and the
// Close of the reader it wraps.
type rowLimit struct {
	pipeline.RowReader
	rows, cells int
	n           int
	err         error
}

var (
	_ pipeline.Noter = (*rowLimit)(nil)
	_ io.Closer      = (*rowLimit)(nil)
)

// Read returns the next row of the table, or a *pipeline.BadInput for a row
// beyond a limit; reading stops there.
func (l *rowLimit) Read() (pipeline.Row, error) {
	if l.err != nil {
		return pipeline.Row{}, l.err
	}
	row, err := l.RowReader.Read()
	if err != nil {
		return row, err
	}
	l.n++
	o := l.Origin()
	switch cells := filled(row.Values); {
	case l.n > l.rows:
		l.err = &pipeline.BadInput{Issue: pipeline.Issue{
			Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: o.At(row.Line, 0, ""),
			Value:    fmt.Sprintf("mehr als %s Zeilen", pipeline.GermanInt(int64(l.rows))),
			Expected: fmt.Sprintf("höchstens %s Zeilen laut [limits] max_rows", pipeline.GermanInt(int64(l.rows))),
			Message: fmt.Sprintf("Die Tabelle hat mehr Zeilen als die Grenze von %s Zeilen; sie wird ab hier nicht weiter gelesen. Stehen unter der Tabelle ungewollt Daten? "+
				"Eine so lange Tabelle lässt sich in der Konfiguration mit [limits] max_rows zulassen", pipeline.GermanInt(int64(l.rows))),
		}}
	case cells > l.cells:
		l.err = &pipeline.BadInput{Issue: pipeline.Issue{
			Code: pipeline.CodeMalformed, Severity: pipeline.Error, Pos: o.At(row.Line, cells, ""),
			Value:    fmt.Sprintf("%s Zellen", pipeline.GermanInt(int64(cells))),
			Expected: fmt.Sprintf("höchstens %s Zellen je Zeile laut [limits] max_cells_per_row", pipeline.GermanInt(int64(l.cells))),
			Message: fmt.Sprintf("Die Zeile hat %s Zellen bis zu ihrem letzten Wert, mehr als die Grenze von %s Zellen; die Tabelle wird ab hier nicht weiter gelesen. Steht weit rechts ungewollt ein Wert? "+
				"So breite Zeilen lassen sich in der Konfiguration mit [limits] max_cells_per_row zulassen", pipeline.GermanInt(int64(cells)), pipeline.GermanInt(int64(l.cells))),
		}}
	default:
		return row, nil
	}
	return pipeline.Row{}, l.err
}

// Notes passes on the notes of the wrapped reader.
func (l *rowLimit) Notes() []pipeline.Issue {
	if n, ok := l.RowReader.(pipeline.Noter); ok {
		return n.Notes()
	}
	return nil
}

// Close closes the wrapped reader where it has anything to close.
func (l *rowLimit) Close() error {
	if c, ok := l.RowReader.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// filled returns the number of cells up to the last one with a value.
func filled(values []string) int {
	for i := len(values) - 1; i >= 0; i-- {
		if strings.TrimSpace(values[i]) != "" {
			return i + 1
		}
	}
	return 0
}
