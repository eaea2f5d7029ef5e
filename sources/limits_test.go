package sources

import (
	"errors"
	"io"
	"strings"
	"testing"

	"aktionsplan/pipeline"
)

// readTable opens a table through Tables and reads it to the end, returning
// the rows read and the *pipeline.BadInput that stopped it, if any.
func readTable(t *testing.T, tables Tables, name, content string) (int, *pipeline.BadInput) {
	t.Helper()
	var bad *pipeline.BadInput
	r, err := tables.OpenTable("fund_usage", name, strings.NewReader(content), nil)
	if err != nil {
		if !errors.As(err, &bad) {
			t.Fatalf("OpenTable: %v, want a *pipeline.BadInput", err)
		}
		return 0, bad
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	for n := 0; ; n++ {
		_, err := r.Read()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			if !errors.As(err, &bad) {
				t.Fatalf("Read: %v, want a *pipeline.BadInput", err)
			}
			return n, bad
		}
	}
}

// checkLimitIssue checks that an issue names the file, the value found,
// the limit and the config key that raises it.
func checkLimitIssue(t *testing.T, bad *pipeline.BadInput, file, value, limit, key string) {
	t.Helper()
	is := bad.Issue
	if is.Severity != pipeline.Error || is.Pos.File != file || is.Value != value ||
		!strings.Contains(is.Expected, limit) || !strings.Contains(is.Message, limit) ||
		!strings.Contains(is.Message, "[limits] "+key) || !strings.Contains(is.Expected, key) {
		t.Errorf("issue %+v\nwant file %s, value %q, limit %q, key %s", is, file, value, limit, key)
	}
}

func TestFileSizeLimit(t *testing.T) {
	csv := "A;B\n" + strings.Repeat("1;2\n", 300) // 1,204 bytes
	for _, tc := range []struct {
		name, file string
		limit      int64
		value      string // "" when the file is within the limit
	}{
		{"csv within", "t.csv", 1204, ""},
		{"csv above", "t.csv", 1203, "1,2 KiB (1.204 Bytes)"},
		{"csv above, read in chunks", "t.csv", 1000, "1,2 KiB (1.204 Bytes)"},
		{"xlsx above", "t.xlsx", 1000, "1,2 KiB (1.204 Bytes)"},
		{"default", "t.csv", 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, bad := readTable(t, Tables{Limits: Limits{FileBytes: tc.limit}}, tc.file, csv)
			if tc.value == "" {
				if bad != nil || n != 301 {
					t.Fatalf("%d rows, %v", n, bad)
				}
				return
			}
			if bad == nil {
				t.Fatalf("%d rows and no error", n)
			}
			checkLimitIssue(t, bad, tc.file, tc.value, pipeline.GermanBytes(uint64(tc.limit)), "max_file_bytes")
		})
	}
}

func TestBoundaryFileSizeLimit(t *testing.T) {
	var got io.Reader
	b := Boundaries{Limits: Limits{FileBytes: 10}, Reader: readerFunc(func(r io.Reader) error {
		got = r
		_, err := io.ReadAll(r)
		return err
	})}
	_, err := b.ReadBoundaries("grenzen.geojson", strings.NewReader(strings.Repeat("x", 2000)), &pipeline.Report{})
	var bad *pipeline.BadInput
	if got == nil || !errors.As(err, &bad) {
		t.Fatalf("err = %v, want a *pipeline.BadInput", err)
	}
	checkLimitIssue(t, bad, "grenzen.geojson", "2,0 KiB (2.000 Bytes)", "10 Bytes", "max_file_bytes")
}

// readerFunc is a boundary reader that only reads.
type readerFunc func(io.Reader) error

func (f readerFunc) ReadBoundaries(name string, r io.Reader, rep *pipeline.Report) ([]pipeline.Boundary, error) {
	return nil, f(r)
}

func TestRowLimit(t *testing.T) {
	csv := "A;B\n" + strings.Repeat("1;2\n", 10) // a header and ten rows
	for _, tc := range []struct {
		name  string
		limit int
		rows  int // read before the error
		row   int // of the error, 0 for none
	}{
		{"within", 11, 11, 0},
		{"one too many", 10, 10, 11},
		{"default", 0, 11, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, bad := readTable(t, Tables{Limits: Limits{Rows: tc.limit}}, "t.csv", csv)
			if n != tc.rows || (bad == nil) != (tc.row == 0) {
				t.Fatalf("%d rows, %v", n, bad)
			}
			if bad != nil {
				checkLimitIssue(t, bad, "t.csv", "mehr als 10 Zeilen", "10 Zeilen", "max_rows")
				if bad.Issue.Pos.Row != tc.row || bad.Resume {
					t.Errorf("issue at row %d, resume %v", bad.Issue.Pos.Row, bad.Resume)
				}
			}
		})
	}
}

func TestCellLimit(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		bad       bool
	}{
		{"within", "A;B;C\n1;2;3\n", false},
		{"empty cells at the end do not count", "A;B;C\n1;2;3;;;;;;;\n", false},
		{"a value far right", "A;B;C\n1;2;3;;;;;;;x\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, bad := readTable(t, Tables{Limits: Limits{Cells: 3}}, "t.csv", tc.csv)
			if (bad != nil) != tc.bad {
				t.Fatalf("err = %v", bad)
			}
			if bad != nil {
				checkLimitIssue(t, bad, "t.csv", "10 Zellen", "3 Zellen", "max_cells_per_row")
				if bad.Issue.Pos.Row != 2 || bad.Issue.Pos.Column != 10 {
					t.Errorf("issue at %+v", bad.Issue.Pos)
				}
			}
		})
	}
}

// Notes and Close of the reader reach the pipeline through the limits.
func TestRowLimitPassesNotes(t *testing.T) {
	r, err := Tables{}.OpenTable("key_figures", "t.csv", strings.NewReader("A;B\n1,5;2\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := r.(pipeline.Noter); !ok || len(n.Notes()) == 0 {
		t.Errorf("no notes")
	}
	if _, ok := r.(io.Closer); !ok {
		t.Errorf("no Close")
	}
}

func TestLimitsCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    Limits
		ok   bool
	}{
		{"none set", Limits{}, true},
		{"negative", Limits{Rows: -1}, false},
		{"part above the whole", Limits{XLSXUnzipBytes: 1 << 20, XLSXXMLBytes: 2 << 20}, false},
		{"total below the default part", Limits{XLSXUnzipBytes: 1 << 20}, true},
		{"part above the default whole", Limits{XLSXXMLBytes: 3 << 30}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.l.Check(); (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrOptions)) {
				t.Errorf("Check() = %v", err)
			}
		})
	}
}

// The defaults allow the largest workload the project is measured with:
// 50,000 areas of 80 vertices and a ledger of a million rows.
func TestDefaultLimitsAllowTheLargeWorkload(t *testing.T) {
	d := Limits{}.WithDefaults()
	if d.Vertices < 50_000*80 || d.FeatureVertices < 80 || d.Rows < 1_000_001 || d.Cells < 12 {
		t.Errorf("defaults %+v", d)
	}
}
