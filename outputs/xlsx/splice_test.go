package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// A Daten sheet of 4 GiB or more is a zip64 entry, and says so by its
// version (4.5) in its local header and in the directory, as Excel asks; a
// smaller one keeps version 2.0, and its bytes. The rows are not written:
// only their sizes are stated, which is all the headers depend on.
func TestSplicedSheetVersion(t *testing.T) {
	tests := []struct {
		name    string
		raw     int64
		version uint16
	}{
		{"small sheet", 1 << 20, 20},
		{"just under 4 GiB", 1<<32 - 1<<20, 20},
		{"4 GiB of rows", 1 << 32, 45},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			s := newSplicer(&out, "A1:A2", rows{deflated: strings.NewReader(""), sum: deflated{raw: tt.raw, comp: 1000}})
			w, err := s.Create(dataSheetPart)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte(`<worksheet><sheetData><row r="1"></row></sheetData></worksheet>`)); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			b := out.Bytes()
			if sig := binary.LittleEndian.Uint32(b); sig != 0x04034b50 {
				t.Fatalf("archive starts with %#x, not a local file header", sig)
			}
			if v := binary.LittleEndian.Uint16(b[4:]); v != tt.version {
				t.Errorf("local header: version %d, want %d", v, tt.version)
			}
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			f := zr.File[0]
			if f.Name != dataSheetPart || f.ReaderVersion != tt.version {
				t.Errorf("directory: %s version %d, want %s version %d", f.Name, f.ReaderVersion, dataSheetPart, tt.version)
			}
			if f.UncompressedSize64 <= uint64(tt.raw) {
				t.Errorf("directory: %d bytes, want more than the %d of the rows", f.UncompressedSize64, tt.raw)
			}
		})
	}
}
