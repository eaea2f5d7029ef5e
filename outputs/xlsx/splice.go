package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"

	"github.com/xuri/excelize/v2"
)

// dataSheetPart is the part of the Daten sheet in the archive: excelize's
// name of the first sheet of a new workbook, which the encoder renames.
const dataSheetPart = "xl/worksheets/sheet1.xml"

// endSheetData ends the rows of a sheet. It cannot occur earlier in the
// part: the header row is the only one there, and its titles are escaped.
var endSheetData = []byte("</sheetData>")

// streamedDimension is the used range excelize gives a streamed sheet.
var streamedDimension = []byte(`<dimension ref="A1"></dimension>`)

// splicer is the zip writer that excelize writes the workbook with. It
// passes every part on, except the Daten sheet: that part, which excelize
// writes with the header row alone, is held back until it is complete and
// then written with the rows put before its </sheetData>.
//
// Why in the archive: excelize writes the parts of a workbook, but has no
// way to take the rows of a sheet from elsewhere; its StreamWriter is the
// slow path the rows avoid. The archive is the one place where its sheet
// and our rows meet.
type splicer struct {
	zw *zip.Writer
	// dimension is the used range of the Daten sheet, such as A1:K45.
	dimension string
	rows      rows
	sheet     *bytes.Buffer // excelize's Daten sheet while it is written
	spliced   bool
}

var _ excelize.ZipWriter = (*splicer)(nil)

// newSplicer writes the archive to w. The parts excelize writes are
// compressed at the fastest level, as the rows are: it takes a third of the
// time of the default for files about a third larger.
func newSplicer(w io.Writer, dimension string, r rows) *splicer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return pooledFlate{getFlateWriter(w)}, nil
	})
	return &splicer{zw: zw, dimension: dimension, rows: r}
}

// Create starts the part name.
func (s *splicer) Create(name string) (io.Writer, error) {
	if err := s.writeSheet(); err != nil {
		return nil, err
	}
	if name == dataSheetPart {
		s.sheet = new(bytes.Buffer)
		return s.sheet, nil
	}
	return s.zw.Create(name)
}

// AddFS adds the files of fsys.
func (s *splicer) AddFS(fsys fs.FS) error {
	if err := s.writeSheet(); err != nil {
		return err
	}
	return s.zw.AddFS(fsys)
}

// Close writes the directory of the archive. It fails when excelize wrote
// no Daten sheet to put the rows in.
func (s *splicer) Close() error {
	if err := s.writeSheet(); err != nil {
		return err
	}
	if !s.spliced {
		return fmt.Errorf("the workbook has no part %s for the rows", dataSheetPart)
	}
	return s.zw.Close()
}

// writeSheet writes the Daten sheet once excelize has written it, with the
// rows put before its </sheetData>.
func (s *splicer) writeSheet() error {
	if s.sheet == nil {
		return nil
	}
	sheet := s.sheet.Bytes()
	s.sheet = nil
	i := bytes.Index(sheet, endSheetData)
	if i < 0 {
		return errors.New("the data sheet has no " + string(endSheetData))
	}
	head, tail := sheet[:i], sheet[i:]
	// excelize states the used range as A1 for a streamed sheet; readers
	// that trust it (openpyxl's read-only mode) would see the header only.
	if s.dimension != "" {
		head = bytes.Replace(head, streamedDimension, []byte(`<dimension ref="`+s.dimension+`"></dimension>`), 1)
	}
	var err error
	if s.rows.deflated == nil {
		err = s.writeSheetXML(head, tail)
	} else {
		err = s.writeSheetDeflated(head, tail)
	}
	s.spliced = err == nil
	return err
}

// writeSheetXML writes the sheet with rows held as XML, as one stream: the
// same bytes as when excelize wrote the rows.
func (s *splicer) writeSheetXML(head, tail []byte) error {
	w, err := s.zw.Create(dataSheetPart)
	if err != nil {
		return err
	}
	for _, b := range [][]byte{head, s.rows.xml, tail} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// writeSheetDeflated writes the sheet with deflated rows: its start and
// end, each deflated here, around the rows, as one deflate stream of the
// whole sheet. The CRC of the part is combined from the CRCs of the three
// pieces.
func (s *splicer) writeSheetDeflated(head, tail []byte) error {
	var headZ, tailZ bytes.Buffer
	fw := getFlateWriter(&headZ)
	_, _ = fw.Write(head) // a bytes.Buffer does not fail
	_ = fw.Flush()        // not the end of the stream
	fw.Reset(&tailZ)
	_, _ = fw.Write(tail)
	_ = fw.Close()
	flateWriters.Put(fw)

	sum := s.rows.sum
	crc := crc32.ChecksumIEEE(head)
	crc = crc32Combine(crc, sum.crc, sum.raw)
	crc = crc32Combine(crc, crc32.ChecksumIEEE(tail), int64(len(tail)))
	// The header is the one zip.Writer.Create writes: sizes and CRC in a
	// data descriptor after the data.
	fh := &zip.FileHeader{
		Name:               dataSheetPart,
		Method:             zip.Deflate,
		Flags:              0x8,
		CreatorVersion:     20,
		ReaderVersion:      20,
		CRC32:              crc,
		CompressedSize64:   uint64(int64(headZ.Len()) + sum.comp + int64(tailZ.Len())),
		UncompressedSize64: uint64(int64(len(head)) + sum.raw + int64(len(tail))),
	}
	if fh.CompressedSize64 >= math.MaxUint32 || fh.UncompressedSize64 >= math.MaxUint32 {
		// Rows of 4 KiB on average make a full sheet of 4 GiB. zip.Writer
		// writes its sizes as zip64 (in the directory and the data
		// descriptor) but leaves a raw entry's version as given, and
		// Excel takes an archive whose zip64 entry says version 2.0 for
		// corrupt (see excelize's writeZip64LFH, which patches the same).
		fh.ReaderVersion = 45
	}
	w, err := s.zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	if _, err := w.Write(headZ.Bytes()); err != nil {
		return err
	}
	if _, err := io.Copy(w, s.rows.deflated); err != nil {
		return err
	}
	_, err = w.Write(tailZ.Bytes())
	return err
}
