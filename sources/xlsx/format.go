package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"

	"aktionsplan/pipeline"
)

// What staff are asked to do with a file in another format.
const saveAsXLSX = "bitte in Excel öffnen und als .xlsx (Excel-Arbeitsmappe) speichern"

// Messages about files that are no readable XLSX workbook, by what the
// content turned out to be. The file name's extension is not trusted: an
// .xlsx may be an old .xls renamed, or a web export in disguise.
const (
	msgEmpty     = "Die Datei ist leer (0 Byte); bitte die Arbeitsmappe in Excel erneut als .xlsx speichern und noch einmal einreichen"
	msgTruncated = "Die Datei ist beschädigt oder unvollständig (etwa ein abgebrochener Download oder eine nicht fertig kopierte Datei) und lässt sich nicht als Excel-Arbeitsmappe lesen; bitte die Datei erneut aus Excel speichern oder noch einmal herunterladen"
	msgDamaged   = "Die Arbeitsmappe ist beschädigt und lässt sich nicht lesen; " + saveAsXLSX
	msgXLS       = "Die Datei ist eine Excel-Arbeitsmappe im alten Format .xls (Excel 97–2003); " + saveAsXLSX
	msgEncrypted = "Die Datei ist mit einem Kennwort geschützt und lässt sich darum nicht lesen; bitte ohne Kennwort speichern: in Excel unter Datei › Informationen › Arbeitsmappe schützen › Mit Kennwort verschlüsseln das Kennwort löschen, in LibreOffice unter Datei › Speichern unter ohne „Mit Kennwort speichern“"
	msgOLE       = "Die Datei ist ein Dokument im alten Microsoft-Office-Format, aber keine Excel-Arbeitsmappe; bitte die Tabelle in Excel öffnen und als .xlsx (Excel-Arbeitsmappe) speichern"
	msgODS       = "Die Datei ist eine OpenDocument-Tabelle (.ods, etwa aus LibreOffice); bitte in LibreOffice oder Excel öffnen und als .xlsx (Excel-Arbeitsmappe) speichern"
	msgODF       = "Die Datei ist ein OpenDocument-Dokument, aber keine Tabelle; bitte die Tabelle in LibreOffice oder Excel öffnen und als .xlsx (Excel-Arbeitsmappe) speichern"
	msgXLSB      = "Die Datei ist eine binäre Excel-Arbeitsmappe (.xlsb); " + saveAsXLSX
	msgNumbers   = "Die Datei ist eine Apple-Numbers-Tabelle; bitte in Numbers über Ablage › Exportieren › Excel als .xlsx exportieren"
	msgZIP       = "Die Datei ist ein ZIP-Archiv (etwa ein Word-Dokument), aber keine Excel-Arbeitsmappe; bitte die Tabelle in Excel öffnen und als .xlsx (Excel-Arbeitsmappe) speichern"
	msgPDF       = "Die Datei ist ein PDF-Dokument; aus PDF lassen sich keine Tabellen lesen, bitte die Excel-Arbeitsmappe (.xlsx) einreichen, aus der es entstanden ist"
	msgHTML      = "Die Datei ist eine Webseite (HTML) mit der Endung einer Excel-Datei, wie sie manche Programme beim Export erzeugen; " + saveAsXLSX
	msgXML       = "Die Datei ist eine XML-Tabelle (Excel 2003 oder LibreOffice .fods), keine Excel-Arbeitsmappe; " + saveAsXLSX
	msgText      = "Die Datei ist eine Textdatei (etwa CSV), keine Excel-Arbeitsmappe; bitte mit der Endung .csv einreichen oder in Excel öffnen und als .xlsx (Excel-Arbeitsmappe) speichern"
	msgUnknown   = "Die Datei ist keine Excel-Arbeitsmappe (.xlsx) und lässt sich nicht lesen; " + saveAsXLSX
)

// openPackage checks by its content that data is an XLSX workbook and reads
// its structure. Anything else is a *pipeline.BadInput that says what the
// file is and what to do.
func openPackage(name string, data []byte, opt Options) (*book, error) {
	switch {
	case len(data) == 0:
		return nil, badFile(name, msgEmpty)
	case bytes.HasPrefix(data, cfbMagic):
		return nil, badFile(name, compoundKind(data))
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")): // a ZIP archive, or an empty one
	case bytes.HasPrefix(data, []byte("%PDF")):
		return nil, badFile(name, msgPDF)
	default:
		return nil, badFile(name, textKind(data))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, badFile(name, msgTruncated)
	}
	if msg := zipKind(zr); msg != "" {
		return nil, badFile(name, msg)
	}
	if bad := checkUnzipped(name, zr, opt); bad != nil {
		return nil, bad
	}
	b, err := openBook(zr)
	switch {
	case errors.Is(err, errNoWorkbook):
		return nil, badFile(name, msgZIP)
	case err != nil:
		return nil, badFile(name, msgDamaged+" (technische Angabe: "+err.Error()+")")
	}
	return b, nil
}

// compoundKind tells an encrypted OOXML workbook from an old binary one by
// the streams of the compound file.
func compoundKind(data []byte) string {
	names := cfbNames(data)
	switch {
	case slices.Contains(names, "EncryptionInfo"), slices.Contains(names, "EncryptedPackage"):
		return msgEncrypted
	case slices.Contains(names, "Workbook"), slices.Contains(names, "Book"), names == nil:
		return msgXLS
	}
	return msgOLE
}

// zipKind returns the message for a ZIP archive that is another document
// than an XLSX workbook, or "".
func zipKind(zr *zip.Reader) string {
	for _, f := range zr.File {
		switch partKey(f.Name) {
		case "mimetype":
			mime := readSmall(f, 128)
			switch {
			case strings.HasPrefix(mime, "application/vnd.oasis.opendocument.spreadsheet"):
				return msgODS
			case strings.HasPrefix(mime, "application/vnd.oasis.opendocument."):
				return msgODF
			}
		case "xl/workbook.bin":
			return msgXLSB
		case "index/document.iwa":
			return msgNumbers
		}
	}
	return ""
}

func readSmall(f *zip.File, n int64) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, n))
	return string(b)
}

// textKind tells web pages, XML spreadsheets and CSV text from other
// content by the start of the file.
func textKind(data []byte) string {
	head := data[:min(len(data), 4096)]
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return msgText // UTF-16, what Excel calls "Unicode-Text"
	}
	if !isText(head) {
		return msgUnknown
	}
	start := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(head), "\ufeff")))
	switch {
	case strings.Contains(start, "<html"), strings.Contains(start, "<!doctype html"), strings.HasPrefix(start, "<table"):
		return msgHTML
	case strings.HasPrefix(start, "<?xml"), strings.HasPrefix(start, "<workbook"), strings.HasPrefix(start, "<office:document"):
		return msgXML
	}
	return msgText
}

// isText reports whether head holds text in some 8-bit encoding: no NUL
// bytes and hardly any other control characters.
func isText(head []byte) bool {
	ctl := 0
	for _, c := range head {
		switch {
		case c == 0:
			return false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f':
			ctl++
		}
	}
	return ctl*100 <= len(head)
}

// badFile returns the issue of a file that cannot be read as a workbook.
func badFile(name, msg string) *pipeline.BadInput {
	return &pipeline.BadInput{Issue: pipeline.Issue{Code: pipeline.CodeMalformed, Severity: pipeline.Error,
		Pos: pipeline.Pos{File: name}, Expected: "eine Excel-Arbeitsmappe (.xlsx)", Message: msg}}
}
