package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// zeros returns a deflate stream of n MiB of zero bytes, built without
// compressing them all: after the first MiB, every further MiB compresses
// to the same bytes, which are repeated.
func zeros(t *testing.T, mib int) []byte {
	t.Helper()
	var out bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	chunk := make([]byte, 1<<20)
	var blocks [3][]byte
	for i := range blocks {
		start := out.Len()
		w.Write(chunk)
		w.Flush()
		blocks[i] = append([]byte(nil), out.Bytes()[start:]...)
	}
	if !bytes.Equal(blocks[1], blocks[2]) {
		t.Fatal("the deflate blocks of zeros differ; cannot build the stream")
	}
	stream := append([]byte(nil), blocks[0]...)
	for range mib - 1 {
		stream = append(stream, blocks[1]...)
	}
	start := out.Len()
	w.Close()
	return append(stream, out.Bytes()[start:]...)
}

// bomb returns a real workbook whose first worksheet is replaced by mib MiB
// of zeros, deflated; its ZIP directory declares declared bytes for it.
func bomb(t *testing.T, mib int, declared uint64) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Projekt-Nr")
	var src bytes.Buffer
	if err := f.Write(&src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	zr, err := zip.NewReader(bytes.NewReader(src.Bytes()), int64(src.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, part := range zr.File {
		if part.Name == "xl/worksheets/sheet1.xml" {
			stream := zeros(t, mib)
			w, err := zw.CreateRaw(&zip.FileHeader{Name: part.Name, Method: zip.Deflate,
				CompressedSize64: uint64(len(stream)), UncompressedSize64: declared})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(stream)
			continue
		}
		w, err := zw.Create(part.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := part.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// allocated returns the bytes that fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A workbook of a few MiB whose worksheet unpacks to 4 GiB is refused by
// the sizes its ZIP directory declares, before anything is unpacked; one
// whose directory understates the worksheet stops at the declared size.
// Neither allocates more than a few times the file.
func TestZipBomb(t *testing.T) {
	const gib = 1 << 30
	for _, tc := range []struct {
		name     string
		mib      int
		declared uint64
		opt      Options
		value    string // of the issue; "" for any
		key      string // config key named; "" for a damaged file
	}{
		{"4 GiB of zeros, default limits", 4096, 4 * gib, Options{}, "", "max_xlsx_unzip_bytes"},
		{"above the part limit", 8, 8 << 20, Options{MaxPartBytes: 4 << 20}, "8 MiB", "max_xlsx_xml_bytes"},
		{"above the total", 8, 8 << 20, Options{MaxUnzipBytes: 6 << 20, MaxPartBytes: 6 << 20}, "", "max_xlsx_unzip_bytes"},
		{"understated size", 4096, 4 << 10, Options{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := bomb(t, tc.mib, tc.declared)
			var err error
			alloc := allocated(func() {
				var r *Reader
				r, err = NewReader("bombe.xlsx", bytes.NewReader(data), fundFields, tc.opt)
				if err == nil {
					defer r.Close()
					for err == nil {
						_, err = r.Read()
					}
				}
			})
			t.Logf("%d KiB file, %d KiB allocated", len(data)>>10, alloc>>10)
			if alloc > 16*uint64(len(data))+32<<20 {
				t.Errorf("reading a %d KiB file allocated %d MiB", len(data)>>10, alloc>>20)
			}
			var bad *pipeline.BadInput
			if !errors.As(err, &bad) {
				t.Fatalf("err = %v, want a *pipeline.BadInput", err)
			}
			is := bad.Issue
			if is.Pos.File != "bombe.xlsx" || is.Severity != pipeline.Error || (tc.value != "" && is.Value != tc.value) {
				t.Errorf("issue %+v", is)
			}
			if tc.key != "" && (!strings.Contains(is.Message, "[limits] "+tc.key) || !strings.Contains(is.Expected, tc.key)) {
				t.Errorf("issue %q does not name the key %s", is, tc.key)
			}
			if tc.key == "" && !strings.Contains(is.Message, "beschädigt") {
				t.Errorf("issue %q, want a damaged file", is)
			}
		})
	}
}

// Limits above the default of excelize reach it: a worksheet of 20 MiB
// unpacked within them is read (streamed from a temporary file).
func TestUnzipLimitsReachExcelize(t *testing.T) {
	opt := Options{MaxUnzipBytes: 64 << 20, MaxPartBytes: 32 << 20}
	eo := opt.excelizeOptions()
	if eo.UnzipSizeLimit != 64<<20 || eo.UnzipXMLSizeLimit != excelize.StreamChunkSize || !eo.RawCellValue {
		t.Errorf("excelize options %+v", eo)
	}
	if total, part := (Options{MaxUnzipBytes: 1 << 20}).unzipLimits(); total != 1<<20 || part != 1<<20 {
		t.Errorf("limits %d, %d: a part cannot be larger than the whole", total, part)
	}
}

// TestBombWithinSizeLimits: a part well below every size limit that packs
// far tighter than any real worksheet is refused from the ZIP directory.
func TestBombWithinSizeLimits(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := bytes.Repeat([]byte("0"), 1<<20)
	for range 64 { // 64 MiB, below the 1 GiB default per part
		if _, err := w.Write(zeros); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	bad := checkUnzipped("bombe.xlsx", zr, Options{})
	if bad == nil {
		t.Fatalf("a %d-byte workbook unpacking to 64 MiB was accepted", buf.Len())
	}
	if !strings.Contains(bad.Issue.Message, "200-Fache") {
		t.Errorf("message %q does not name the ratio", bad.Issue.Message)
	}
	// The ratio is not configurable: no setting to raise, but a way out.
	if strings.Contains(bad.Issue.Message, "[limits]") || !strings.Contains(bad.Issue.Message, "CSV UTF-8") {
		t.Errorf("message %q points to a setting that does not help, or not to CSV", bad.Issue.Message)
	}
}
