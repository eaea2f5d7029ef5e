package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// encodeBySetRow writes features as the encoder did before it wrote the rows
// itself: cell by cell through excelize's StreamWriter.SetRow. Its Daten
// sheet is the reference for the rows the encoder writes.
func encodeBySetRow(t testing.TB, ds *pipeline.Dataset, features []pipeline.Feature) []byte {
	t.Helper()
	var buf bytes.Buffer
	e, err := newEncoder(&buf, ds)
	if err != nil {
		t.Fatalf("newEncoder: %v", err)
	}
	for _, f := range features {
		row := make([]any, len(f.Values))
		for i, v := range f.Values {
			if _, err := e.cols[i].appendCell(nil, &piece{}, v); err != nil {
				t.Fatalf("row %d: %v", e.rows+2, err)
			}
			if v == nil {
				continue
			}
			c := e.cols[i]
			style := c.style
			if s, ok := v.(string); ok && c.textStyle != 0 && pipeline.FormulaLike(s) {
				style = c.textStyle
			}
			row[i] = excelize.Cell{StyleID: style, Value: v}
		}
		if err := e.sw.SetRow("A"+strconv.Itoa(e.rows+2), row); err != nil {
			t.Fatalf("SetRow: %v", err)
		}
		e.rows++
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// oddFeatures hold the values whose XML needs care, in the columns of
// sampleDataset.
func oddFeatures() []pipeline.Feature {
	berlin := time.FixedZone("CET", 3600)
	texts := []string{
		"", " leading", "trailing ", "\tx", "x\n", "a\r\nb", "tab\there", `<&>"'`, "]]>",
		"_x0041_", "_x005F_", "_x005F_x0041_", "_X00e4_", "_x00", // where excelize escapes "_x" wrongly: TestBstrEscape
		"äöü€😀", "\uFFFD", "\u2028", "\x7f", "=1+2", "+49 231", "-", "@", strconvQuoted,
	}
	floats := []float64{
		0, math.Copysign(0, -1), 1.25, 23.4, 1.0 / 7, 1e21, 1e-7, 123456789012345678, 1234567890.12345678,
		-1.5e300, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1 + 0.2, 9007199254740993,
		99999999999999.99, 366.19, -0.005,
	}
	ints := []int64{0, -1, math.MaxInt64, math.MinInt64}
	dates := []time.Time{
		date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2024, 3, 14), date(9999, 12, 31),
		date(2191, 12, 31), date(2192, 1, 1),
		time.Date(2024, 3, 14, 13, 45, 30, 500_000_000, time.UTC),
		time.Date(2024, 3, 14, 0, 0, 0, 0, berlin), time.Date(1900, 3, 1, 0, 30, 0, 0, berlin),
		time.Date(2024, 3, 14, 23, 59, 59, 999_999_999, time.FixedZone("", -5*3600)),
	}
	var out []pipeline.Feature
	for i := range max(len(texts), len(floats), len(dates)) {
		vals := []any{nil, nil, nil, nil, nil, nil, i%2 == 0, nil, nil}
		if i < len(texts) {
			vals[0], vals[8] = texts[i], texts[len(texts)-1-i]
		}
		if i < len(ints) {
			vals[2], vals[3] = ints[i], ints[i]
		}
		if i < len(floats) {
			vals[4], vals[5] = floats[i], floats[len(floats)-1-i]
		}
		if i < len(dates) {
			vals[7] = dates[i]
		}
		out = append(out, pipeline.Feature{Values: vals})
	}
	return out
}

const strconvQuoted = `"\u0041"`

// The rows the encoder writes are the bytes excelize's StreamWriter wrote,
// and so is every part of the workbook. Rows that fit in one chunk give the
// same file; more are compressed in pieces, so only the zip bytes of the
// sheet differ.
func TestRowsAsExcelize(t *testing.T) {
	tests := []struct {
		name      string
		features  []pipeline.Feature
		sameBytes bool
	}{
		{"sample", sampleFeatures(), true},
		{"odd values", oddFeatures(), true},
		{"no rows", nil, true},
		{"several chunks", manyFeatures(5000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := encode(t, sampleDataset(), tt.features), encodeBySetRow(t, sampleDataset(), tt.features)
			if same := bytes.Equal(got, want); same != tt.sameBytes {
				t.Errorf("same bytes as through SetRow: %v, want %v", same, tt.sameBytes)
			}
			names := zipNames(t, want)
			if g := zipNames(t, got); !slices.Equal(g, names) {
				t.Fatalf("parts %q, want %q", g, names)
			}
			for _, name := range names {
				if g, w := part(t, got, name), part(t, want, name); g != w {
					t.Errorf("%s differs:\n got %s\nwant %s", name, firstDiff(g, w), firstDiff(w, g))
				}
			}
		})
	}
}

func zipNames(t testing.TB, b []byte) []string {
	t.Helper()
	zr := openZip(t, b)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

func openZip(t testing.TB, b []byte) *zip.Reader {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("unzip: %v", err)
	}
	return zr
}

func flateReader(b []byte) io.Reader { return flate.NewReader(bytes.NewReader(b)) }

// firstDiff returns a's text around where it first differs from b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-80):min(len(a), i+120)]
}

// FuzzRowXML checks that the encoder writes a row of a text, a number and
// an integer as excelize's StreamWriter did.
func FuzzRowXML(f *testing.F) {
	for _, s := range []string{"", " x", "_x0041_", "_x005F_x0041_", "a_xD800_b_x0041_", "<&>\"'\t\r\n", "ä😀\uFFFD"} {
		f.Add(s, 1.0/7, int64(-1))
	}
	f.Add("x", 1e21, int64(math.MinInt64))
	f.Add("x", 123456789012345678.0, int64(0))
	ds := &pipeline.Dataset{Name: "t", Columns: []pipeline.Column{
		{Name: "t", Title: "T", Type: "string"},
		{Name: "x", Title: "X", Type: "number"},
		{Name: "n", Title: "N", Type: "integer"},
	}}
	f.Fuzz(func(t *testing.T, s string, x float64, n int64) {
		if checkText(s) != nil || math.IsNaN(x) || math.IsInf(x, 0) || excelizeBstrMarshal(s) != bstrEscape(s) {
			return // excelize escaping "_x" wrongly: TestBstrEscape
		}
		rows := []pipeline.Feature{{Values: []any{s, x, n}}}
		got, want := encode(t, ds, rows), encodeBySetRow(t, ds, rows)
		const sheet = "xl/worksheets/sheet1.xml"
		if g, w := part(t, got, sheet), part(t, want, sheet); g != w {
			t.Errorf("row differs:\n got %s\nwant %s", firstDiff(g, w), firstDiff(w, g))
		}
	})
}

func TestCRC32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	for _, cut := range []int{0, 1, 7, 1000, 1 << 20, len(data) - 1, len(data)} {
		a, b := data[:cut], data[cut:]
		got := crc32Combine(crc32.ChecksumIEEE(a), crc32.ChecksumIEEE(b), int64(len(b)))
		if want := crc32.ChecksumIEEE(data); got != want {
			t.Errorf("cut at %d: %08x, want %08x", cut, got, want)
		}
	}
}

// The compressed chunks, joined, are one deflate stream of the rows.
func TestDeflater(t *testing.T) {
	var d deflater
	var want []byte
	for i := range 300_000 {
		d.buf = strconv.AppendInt(d.buf, int64(i), 10)
		want = strconv.AppendInt(want, int64(i), 10)
		if d.full() {
			if err := d.send(); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := d.finish()
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	sum := rows.sum
	comp, err := io.ReadAll(rows.deflated)
	if err != nil {
		t.Fatal(err)
	}
	if sum.comp != int64(len(comp)) || sum.raw != int64(len(want)) || sum.crc != crc32.ChecksumIEEE(want) {
		t.Errorf("sum = %+v, want %d compressed, %d raw bytes, CRC %08x", sum, len(comp), len(want), crc32.ChecksumIEEE(want))
	}
	// The stream is not final: end it with an empty final block.
	got, err := io.ReadAll(flateReader(append(comp, 0x03, 0x00)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("inflated %d bytes, want %d", len(got), len(want))
	}
}

// checkTextSimple is checkText as a plain loop over the runes: the
// reference for the faster one.
func checkTextSimple(s string) error {
	if !utf8.ValidString(s) {
		return errNotUTF8
	}
	n := 0
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return errControl
		}
		n += utf16.RuneLen(r)
	}
	if n > maxCellChars {
		return errTooLong
	}
	return nil
}

func FuzzCheckText(f *testing.F) {
	long := strings.Repeat("ä", maxCellChars)
	for _, s := range []string{"", "a\tb\r\n", "\x01", "Stra\xdfe", "\x01\xff", "\uFFFE", "\uFFFF\xff", long, long + "a", long + "\x01", strings.Repeat("😀", maxCellChars/2+1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := checkText(s), checkTextSimple(s); got != want {
			t.Errorf("checkText(%q) = %v, want %v", s, got, want)
		}
	})
}

// When the rows cannot be kept in a temporary file, Write or Close says so
// and nothing is written.
func TestTemporaryFileFails(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	var buf bytes.Buffer
	enc, err := Format{}.NewEncoder(&buf, sampleDataset())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range manyFeatures(20_000) {
		if err = enc.Write(f); err != nil {
			break
		}
	}
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "temporary file") {
		t.Errorf("error = %v, want one about the temporary file", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written", buf.Len())
	}
}

// No temporary file is left after Close, nor, where the system allows it,
// while the rows are written.
func TestNoTemporaryFileLeft(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	enc, err := Format{}.NewEncoder(io.Discard, sampleDataset())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range manyFeatures(20_000) {
		if err := enc.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	left := func() []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	if runtime.GOOS == "linux" {
		if names := left(); len(names) != 0 {
			t.Errorf("while writing: %q", names)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	if names := left(); len(names) != 0 {
		t.Errorf("after Close: %q", names)
	}
}

// Abort, for a dropped release, writes nothing and leaves no temporary file
// and no compressing goroutine behind.
func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	var out bytes.Buffer
	enc, err := Format{}.NewEncoder(&out, sampleDataset())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range manyFeatures(20_000) {
		if err := enc.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	before := runtime.NumGoroutine()
	enc.(pipeline.Aborter).Abort()
	if out.Len() != 0 {
		t.Errorf("Abort wrote %d bytes", out.Len())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left: %v", entries)
	}
	if after := runtime.NumGoroutine(); after >= before {
		t.Errorf("goroutines %d before Abort, %d after: the compressing ones are not stopped", before, after)
	}
	if err := enc.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("Close after Abort: %v, want ErrClosed", err)
	}
}

// appendFloatStrconv is appendFloat as it was before its fast path: the
// digits from strconv. It is the reference for appendFloat; the cut to 15
// digits, which both share, is checked against excelize itself by
// TestRowsAsExcelize.
func appendFloatStrconv(dst []byte, v float64) []byte {
	start := len(dst)
	return cutPrecision(strconv.AppendFloat(dst, v, 'f', -1, 64), start, v)
}

func TestAppendFloat(t *testing.T) {
	for _, v := range []float64{
		0, math.Copysign(0, -1), 1, -1, 0.1, 0.1 + 0.2, 0.005, -0.005, 0.01, 0.015, 0.05, 1.005, 23.4, 366.19,
		1234567.89, -1234567.89, 4108.81, 226000, 1e13, 99999999999.99, 999999999999.99, -999999999999.99,
		9999999999999.99, 1e14, 1e15, 123456789012345.6, 1e16, 1e21, 1e22, 9007199254740993, 1.0 / 7,
		5e-324, math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64, 1e300, 2.5e-7,
		math.NaN(), math.Inf(1), math.Inf(-1),
	} {
		got, want := appendFloat([]byte("x"), v), appendFloatStrconv([]byte("x"), v)
		if string(got) != string(want) {
			t.Errorf("appendFloat(%v) = %s, want %s", v, got[1:], want[1:])
		}
	}
	if got := string(appendFloat(nil, 1234567.89)); got != "1234567.89" {
		t.Errorf("appendFloat(1234567.89) = %s", got)
	}
}

// FuzzAppendFloat checks appendFloat against strconv for arbitrary floats
// and, since the fuzzer seldom finds them, for the same values rounded to
// cents and to fewer digits, which take the fast path.
func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 0.1 + 0.2, 0.005, 1234567.89, 1e15, 1e21, 5e-324, 1.0 / 7, -4108.81, math.MaxFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		for _, x := range []float64{v, math.Round(v*100) / 100, math.Round(v) / 100, math.Round(v*10) / 10, v / 1e6, math.Round(v/1e6*100) / 100, math.Trunc(v)} {
			got, want := appendFloat([]byte("x"), x), appendFloatStrconv([]byte("x"), x)
			if string(got) != string(want) {
				t.Errorf("appendFloat(%v) = %s, want %s", x, got[1:], want[1:])
			}
		}
	})
}

// appendTextSimple is appendText in separate passes: checkText, then the
// escapes. It is the reference for appendText.
func appendTextSimple(dst []byte, s string) ([]byte, error) {
	if err := checkText(s); err != nil {
		return dst, err
	}
	if strings.Contains(s, "_x") {
		return appendEscaped(dst, bstrEscape(s)), nil
	}
	return appendEscaped(dst, s), nil
}

func FuzzAppendText(f *testing.F) {
	long := strings.Repeat("ä", maxCellChars)
	for _, s := range []string{
		"", "Quartier ABC", "Förderverein ABC e.V.", "Dezernat für Arbeit, Gesundheit, Soziales", "a\tb\r\nc", `<&>"'#`,
		"12345678<", "1234567>", "_x0041_", "abcdefgh_x0041_", "_x005F_x0041_", "x_", "__", "\x01", "abcdefgh\x7f\x01",
		"Stra\xdfe", "\x01\xff", "\uFFFE", "\uFFFF\xff", "ä😀\uFFFD", "\xed\xa0\x80", long, long + "a", long + "\x01",
		strings.Repeat("abc&defg", 5), strings.Repeat("😀", maxCellChars/2+1),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := appendText([]byte("x"), s)
		want, wantErr := appendTextSimple([]byte("x"), s)
		if err != wantErr {
			t.Fatalf("appendText(%q) error %v, want %v", s, err, wantErr)
		}
		if err == nil && string(got) != string(want) {
			t.Errorf("appendText(%q) = %q, want %q", s, got, want)
		}
	})
}

// appendDate writes the days of the years Excel knows as excelTime and
// appendSerial do: in UTC every day up to 2300, past excelize's 29
// February 1900 and the 290 years of its steps of durations, and every few
// days after; in time zones on either side of UTC every few days, and at
// times of day, which take appendSerial.
func TestAppendDate(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("", -(9*3600 + 30*60)), time.FixedZone("", 14*3600)}
	var got, want []byte
	for i, loc := range zones {
		for d := time.Date(1900, 1, 1, 0, 0, 0, 0, loc); d.Year() <= 9999; {
			for _, v := range []time.Time{d, d.Add(time.Nanosecond), d.Add(-time.Second), d.Add(13 * time.Hour)} {
				if y := v.Year(); y < 1900 || y > 9999 || v != d && d.YearDay()%17 != 0 {
					continue
				}
				got, want = appendDate(got[:0], v), appendSerial(want[:0], excelTime(v))
				if string(got) != string(want) {
					t.Fatalf("appendDate(%v) = %s, want %s", v, got, want)
				}
			}
			switch {
			case i > 0:
				d = d.AddDate(0, 0, 13)
			case d.Year() < 2300:
				d = d.AddDate(0, 0, 1)
			default:
				d = d.AddDate(0, 0, 5)
			}
		}
	}
}

func TestAppendInt(t *testing.T) {
	vals := []int64{math.MinInt64, math.MinInt64 + 1, -1e8, -1, math.MaxInt64, 1e8 - 1, 1e8, 1e8 + 1}
	for v := range int64(100_000) {
		vals = append(vals, v)
	}
	for k := int64(10); k <= 1e9; k *= 10 {
		vals = append(vals, k-1, k, k+1)
	}
	for _, v := range vals {
		if got, want := appendInt([]byte("x"), v), strconv.AppendInt([]byte("x"), v, 10); string(got) != string(want) {
			t.Errorf("appendInt(%d) = %s, want %s", v, got, want)
		}
	}
}

// The pieces of a cell fit even in the last column, with the last style
// excelize can make, in the last row.
func TestPiecesFit(t *testing.T) {
	c := column{style: excelize.MaxCellStyles - 1, textStyle: excelize.MaxCellStyles - 1}
	c.setCellXML(maxColumns - 1)
	var row piece
	row.n = len(appendInt(row.b[:0], maxRows))
	got, err := c.appendCell(nil, &row, "x")
	if want := `<c r="XFD1048576" s="65429" t="inlineStr"><is><t>x</t></is></c>`; err != nil || string(got) != want {
		t.Errorf("cell %s, %v; want %s", got, err, want)
	}
}

// excelizeBstrMarshal is excelize's bstrMarshal (v2.11.1, unexported), which
// the encoder followed before bstrEscape, step for step.
func excelizeBstrMarshal(s string) (result string) {
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				_, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`)
				if err == nil {
					result += subStr + "x005F" + subStr
					continue
				}
			}
			result += subStr + "x005F_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				result += "_x005F" + subStr
				continue
			}
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}

var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrEscape escapes "_x" sequences as excelize did, byte for byte, in every
// text where excelize's own reader gives back what excelize wrote.
func TestBstrEscapeAsExcelize(t *testing.T) {
	for _, s := range []string{"", "x", "_x", "_x0041_", "a_x0041_b", "_x005F_", "_x005F_x0041_", "_x005F_x005F_",
		"_x0041__x0042_", "_X0041_", "_x004_", "_x00411_", "_xABCD_", "_xabcd_ und _x12G4_", "__x0041_", "_x005F_x005F_x0041_"} {
		if got, want := bstrEscape(s), excelizeBstrMarshal(s); got != want {
			t.Errorf("bstrEscape(%q) = %q, excelize %q", s, got, want)
		}
	}
}

// Texts whose "_x" sequences excelize escaped wrongly (overlapping ones,
// and those that name no character) are read back as written, by excelize
// and by openpyxl's way of reading (left to right, "_x005F_" an underscore).
func TestBstrEscape(t *testing.T) {
	ds := &pipeline.Dataset{Name: "text", Columns: []pipeline.Column{{Name: "t", Title: "T", Type: "string"}}}
	for _, s := range []string{"_x_x0041_x0041_x", "_x0041_x0042_", "_xD800_", "a_xD800_b_x0041_", "_x005f_xD800_"} {
		if excelizeBstrMarshal(s) == bstrEscape(s) {
			t.Errorf("%q: excelize escapes it as bstrEscape does; not a case for this test", s)
		}
		var buf bytes.Buffer
		enc, err := Format{}.NewEncoder(&buf, ds)
		if err != nil {
			t.Fatal(err)
		}
		if err := enc.Write(pipeline.Feature{Values: []any{s}}); err != nil {
			t.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		got, err := x.GetCellValue(dataSheet, "A2", excelize.Options{RawCellValue: true})
		x.Close()
		if err != nil || got != s {
			t.Errorf("read back %q (%v), wrote %q", got, err, s)
		}
		if got := decodeBstr(bstrEscape(s)); got != s {
			t.Errorf("decoded left to right %q, wrote %q", got, s)
		}
	}
}

// decodeBstr decodes "_xHHHH_" sequences from left to right, as readers do.
func decodeBstr(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if m := bstrExp.FindStringIndex(s[i:]); m != nil && m[0] == 0 {
			n, _ := strconv.ParseUint(s[i+2:i+6], 16, 16)
			b.WriteRune(rune(n))
			i += 7
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
