package xlsx

import (
	"archive/zip"
	"fmt"

	"github.com/xuri/excelize/v2"

	"aktionsplan/pipeline"
)

// Defaults of the unpacked sizes of a workbook, for Options that set none.
const (
	DefaultMaxUnzipBytes = 2 << 30
	DefaultMaxPartBytes  = 1 << 30
)

// A part that unpacks to more than bombRatio times its packed size, and to
// more than bombMinBytes, is a zip bomb: worksheets written by Excel,
// LibreOffice or openpyxl pack 5 to 30 times, never 200 times, while a bomb
// of a few KB that unpacks to GBs packs a thousand times. Reading one within
// the size limits would still cost many times its size in memory.
const (
	bombRatio    = 200
	bombMinBytes = 16 << 20
)

// unzipLimits returns the limits of opt, with defaults for zero values.
func (opt Options) unzipLimits() (total, part int64) {
	total, part = opt.MaxUnzipBytes, opt.MaxPartBytes
	if total <= 0 {
		total = DefaultMaxUnzipBytes
	}
	if part <= 0 {
		part = DefaultMaxPartBytes
	}
	return total, min(part, total)
}

// excelizeOptions are the options of excelize for a workbook within the
// limits of opt: it refuses more than the total unpacked, and keeps at most
// its default chunk of a worksheet or of the shared strings in memory,
// streaming larger ones through a temporary file.
func (opt Options) excelizeOptions() excelize.Options {
	total, part := opt.unzipLimits()
	return excelize.Options{RawCellValue: true, UnzipSizeLimit: total, UnzipXMLSizeLimit: min(part, excelize.StreamChunkSize)}
}

// checkUnzipped refuses a workbook whose parts would unpack to more than
// the limits, by the sizes its ZIP directory declares: nothing is unpacked
// to find out. The ZIP reader stops at the declared size of each part, so
// a part that declares less than it holds is damaged, not a bomb.
func checkUnzipped(name string, zr *zip.Reader, opt Options) *pipeline.BadInput {
	total, part := opt.unzipLimits()
	var sum uint64
	for _, f := range zr.File {
		sum += min(f.UncompressedSize64, 1<<60) // no overflow from absurd declared sizes
	}
	if sum > uint64(total) {
		return tooLarge(name, fmt.Sprintf("Die Arbeitsmappe ist entpackt %s groß, mehr als die Grenze von %s",
			pipeline.GermanBytes(sum), pipeline.GermanBytes(uint64(total))),
			pipeline.GermanBytes(sum), fmt.Sprintf("höchstens %s entpackt laut [limits] max_xlsx_unzip_bytes", pipeline.GermanBytes(uint64(total))),
			"max_xlsx_unzip_bytes")
	}
	for _, f := range zr.File {
		if f.UncompressedSize64 > bombMinBytes && f.UncompressedSize64 > bombRatio*max(f.CompressedSize64, 1) {
			return tooLarge(name, fmt.Sprintf("Der Teil „%s“ der Arbeitsmappe ist gepackt %s und entpackt %s groß, mehr als das %d-Fache",
				f.Name, pipeline.GermanBytes(f.CompressedSize64), pipeline.GermanBytes(f.UncompressedSize64), bombRatio),
				pipeline.GermanBytes(f.UncompressedSize64), fmt.Sprintf("höchstens das %d-Fache der gepackten Größe (ab %s entpackt)", bombRatio, pipeline.GermanBytes(bombMinBytes)),
				"")
		}
		if f.UncompressedSize64 > uint64(part) {
			return tooLarge(name, fmt.Sprintf("Der Teil „%s“ der Arbeitsmappe ist entpackt %s groß, mehr als die Grenze von %s für einen Teil",
				f.Name, pipeline.GermanBytes(f.UncompressedSize64), pipeline.GermanBytes(uint64(part))),
				pipeline.GermanBytes(f.UncompressedSize64), fmt.Sprintf("höchstens %s je Teil laut [limits] max_xlsx_xml_bytes", pipeline.GermanBytes(uint64(part))),
				"max_xlsx_xml_bytes")
		}
	}
	return nil
}

// tooLarge refuses a workbook. key names the [limits] setting that would
// let it through; without one (the compression ratio is fixed) the message
// says how to deliver the table instead.
func tooLarge(name, msg, value, expected, key string) *pipeline.BadInput {
	remedy := "eine echte Tabelle dieser Größe lässt sich in der Konfiguration mit [limits] " + key + " zulassen"
	if key == "" {
		remedy = "eine echte Tabelle dieser Art bitte in Excel als „CSV UTF-8“ speichern und diese Datei liefern"
	}
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos: pipeline.Pos{File: name}, Value: value, Expected: expected,
		Message: msg + "; sie wird nicht gelesen. Eine so große Arbeitsmappe ist meist beschädigt oder manipuliert (eine „ZIP-Bombe“); " + remedy}}
}
