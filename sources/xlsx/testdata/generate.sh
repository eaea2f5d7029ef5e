#!/bin/sh
# Regenerates the workbook fixtures with the programs that write such files
# in the wild: LibreOffice (from the flat ODF files that lo_fixtures.py
# writes) and openpyxl. Needs LibreOffice 7.4 or later (soffice) and a
# Python 3 with openpyxl; set PYTHON where "python3" lacks it.
set -eu
PYTHON=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A throwaway LibreOffice profile with one Basic macro: it loads a file,
# refreshes its pivot tables, recalculates its formulas and stores it with
# a filter, encrypted where a password is given. "soffice --convert-to"
# does neither the pivot tables nor the password.
profile="$tmp/profile"
soffice -env:UserInstallation="file://$profile" --headless --terminate_after_init
cat > "$profile/user/basic/Standard/Module1.xba" <<'XBA'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Store(src As String, dst As String, filter As String, pw As String)
  On Error Goto Fail
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden"
  load(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), "_blank", 0, load())
  sheets = doc.getSheets()
  For i = 0 To sheets.getCount() - 1
    pilots = sheets.getByIndex(i).getDataPilotTables()
    names = pilots.getElementNames()
    For j = 0 To UBound(names)
      pilots.getByName(names(j)).refresh()
    Next j
  Next i
  doc.calculateAll()
  Dim args(1) As New com.sun.star.beans.PropertyValue
  args(0).Name = "FilterName"
  args(0).Value = filter
  args(1).Name = "Overwrite"
  args(1).Value = True
  If Len(pw) > 0 Then
    Dim enc(1) As New com.sun.star.beans.NamedValue
    enc(0).Name = "OOXPassword"
    enc(0).Value = pw
    enc(1).Name = "CryptoType"
    enc(1).Value = "Standard"
    args(1).Name = "EncryptionData"
    args(1).Value = CreateUnoValue("[]com.sun.star.beans.NamedValue", enc())
  End If
  doc.storeToURL(ConvertToURL(dst), args())
  doc.close(True)
  Exit Sub
Fail:
  n = FreeFile
  Open dst + ".log" For Output As #n
  Print #n, Err, Error$
  Close #n
End Sub
</script:module>
XBA

store() { # source target filter [password]
	rm -f "$2"
	timeout -k 5 120 soffice -env:UserInstallation="file://$profile" --headless \
		"macro:///Standard.Module1.Store(\"$1\",\"$2\",\"$3\",\"${4:-}\")"
	if [ ! -s "$2" ]; then
		echo "LibreOffice wrote no $2" >&2
		cat "$2.log" >&2 2>/dev/null || true
		exit 1
	fi
}

"$PYTHON" "$here/lo_fixtures.py" "$tmp"
xlsx="Calc MS Excel 2007 XML"
store "$tmp/lo_mittelverwendung.fods" "$here/lo_mittelverwendung.xlsx" "$xlsx"
store "$tmp/lo_mittelverwendung.fods" "$here/lo_mittelverwendung.xls" "MS Excel 97"
store "$tmp/lo_mittelverwendung.fods" "$here/lo_mittelverwendung.ods" "calc8"
store "$tmp/lo_blaetter.fods" "$here/lo_blaetter.xlsx" "$xlsx"
store "$tmp/lo_1904.fods" "$here/lo_1904.xlsx" "$xlsx"
store "$tmp/lo_1904.fods" "$here/lo_kennwort.xlsx" "$xlsx" geheim

"$PYTHON" "$here/openpyxl_fixtures.py" "$here"

# A download cut off: the first 3000 bytes of a workbook.
head -c 3000 "$here/lo_mittelverwendung.xlsx" > "$here/abgeschnitten.xlsx"
