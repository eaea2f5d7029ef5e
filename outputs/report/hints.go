package report

import "aktionsplan/pipeline"

// kind is how the report names a kind of problem to the people who keep the
// files, and what they do about it.
type kind struct {
	// Label says in a few words what is wrong.
	Label string
	// Fix says how to put it right, in the words of a spreadsheet user.
	Fix string
}

// kinds holds the label and the fix of every stable issue code. It is the one
// place where these texts live; a test checks that every code of package
// pipeline has an entry.
var kinds = map[string]kind{
	pipeline.CodeMissingHeader: {"Pflichtspalte fehlt",
		"Fügen Sie in der Kopfzeile eine Spalte mit genau dieser Überschrift ein. Am sichersten übernehmen Sie die Kopfzeile aus der aktuellen Eingabevorlage."},
	pipeline.CodeDuplicateHeader: {"Spaltenüberschrift doppelt",
		"Jede Überschrift darf nur einmal vorkommen. Löschen Sie die doppelte Spalte oder geben Sie ihr die richtige Überschrift."},
	pipeline.CodeExtraHeader: {"Unbekannte Spalte",
		"Diese Spalte wird nicht eingelesen. Gehören die Daten zu einer bekannten Spalte, prüfen Sie die Schreibweise der Überschrift; sonst können Sie die Spalte löschen."},
	pipeline.CodeMissingCell: {"Pflichtangabe fehlt",
		"Füllen Sie die leere Zelle aus. Ist die Zeile versehentlich angelegt, löschen Sie die ganze Zeile."},
	pipeline.CodeBlankRow: {"Leere Zeile",
		"Die Zeile wird übersprungen. Löschen Sie leere Zeilen zwischen den Daten (Zeile markieren, Rechtsklick, „Zeilen löschen“)."},
	pipeline.CodeTypeError: {"Wert hat nicht die erwartete Form",
		"Tragen Sie eine Zahl ein, z. B. 1.250,50; keine Buchstaben oder Einheiten außer €/%. Ein Jahr schreiben Sie vierstellig (2024), ein Datum als 15.03.2024, ja/nein-Angaben als „ja“ oder „nein“."},
	pipeline.CodeConstraint: {"Wert nicht erlaubt",
		"Tragen Sie einen Wert ein, wie unter „Erwartet“ beschrieben: eine Zahl im erlaubten Bereich oder einen Eintrag aus der Auswahlliste der Vorlage, in genau dieser Schreibweise."},
	pipeline.CodeUnique: {"Doppelter Eintrag",
		"Dieser Wert kommt schon in einer anderen Zeile vor, er muss aber eindeutig sein (z. B. jede Projekt-Nr nur einmal, Kennzahlen nur einmal je Aktionsraum und Jahr). Vergeben Sie einen neuen Wert oder löschen Sie die doppelte Zeile."},
	pipeline.CodeForeignKey: {"Unbekannter Aktionsraum",
		"Verwenden Sie den Namen oder Code aus der Liste der Aktionsräume (z. B. „Hörde“ oder „HOE“); die Meldung nennt die ähnlichsten."},
	pipeline.CodeMalformed: {"Datei nicht lesbar",
		"Öffnen Sie die Datei in Excel oder LibreOffice und speichern Sie sie als Excel-Arbeitsmappe (.xlsx) oder als „CSV UTF-8“. Prüfen Sie auch, ob das genannte Tabellenblatt vorhanden ist."},
	pipeline.CodeBlankTable: {"Keine Daten",
		"Tragen Sie die Daten unter der Kopfzeile ein, eine Zeile je Eintrag. Prüfen Sie, ob Sie die richtige Datei und das richtige Tabellenblatt eingereicht haben."},
	pipeline.CodeAreaNotValid: {"Aktionsraum in diesem Jahr nicht im Programm",
		"Prüfen Sie Jahr und Aktionsraum der Zeile: In diesem Jahr gehörte der Aktionsraum nicht zum Aktionsplan. Stimmen beide, wenden Sie sich an das Projektbüro, damit das Register angepasst wird."},
	pipeline.CodeBusinessRule: {"Angaben passen nicht zusammen",
		"Prüfen Sie die Angaben der Zeile im Zusammenhang: Ausgezahlt darf nicht höher sein als Bewilligt, und das Beschlussdatum muss im Förderjahr liegen."},
	pipeline.CodeBudgetExceeded: {"Fonds oder Budget überschritten",
		"Stimmen die Beträge, ist nichts zu tun: Die Summe wird so veröffentlicht und als überschritten markiert. Sonst korrigieren Sie Betrag, Jahr oder Aktionsraum."},
	pipeline.CodeUnmatchedKey: {"Aktionsraum ohne Gegenstück",
		"Der Aktionsraum fehlt in einer der anderen Dateien (Register, Grenzen, Kennzahlen oder Mittelverwendung). Ergänzen Sie ihn dort oder prüfen Sie Code und Schreibweise."},
	pipeline.CodeGeometry: {"Grenze nicht verwendbar",
		"Jede Grenze muss eine Fläche (Polygon oder Multipolygon) mit geschlossenen Ringen sein. Korrigieren Sie sie im GIS, z. B. in QGIS mit „Geometrien reparieren“, und exportieren Sie sie erneut als GeoJSON."},
	pipeline.CodeFootnote: {"Fußnote übersprungen",
		"Die Zeile unter der Tabelle sieht wie eine Fußnote oder Quellenangabe aus und wird nicht eingelesen. Gehört sie zu den Daten, füllen Sie sie wie die anderen Zeilen aus; sonst ist nichts zu tun."},
	pipeline.CodeTotalMismatch: {"Summenzeile stimmt nicht",
		"Die Summenzeile weicht von der Summe der Zeilen darüber ab. Prüfen Sie die Beträge und die Formel der Summe; Sie können die Summenzeile auch löschen, die Summen werden bei der Veröffentlichung berechnet."},
	pipeline.CodeAmbiguousNumber: {"Mehrdeutige Zahl",
		"Eine Zahl wie 1,250 oder 1.250 kann 1250 oder 1,25 bedeuten, und nichts in der Datei zeigt, welche Schreibweise gilt. Prüfen Sie den veröffentlichten Wert; schreiben Sie Beträge mit Nachkommastellen (1.250,00) oder lassen Sie in der Konfiguration numbers = \"de\" oder \"en\" setzen."},
	pipeline.CodeRead: {"So wurde die Datei gelesen",
		"Nur zur Information. Wurde etwas falsch gelesen (etwa ein anderes Tabellenblatt), wenden Sie sich an die technische Betreuung."},
}

// kindOf returns the kind of a code; a code without an entry is shown as it
// is, without a fix.
func kindOf(code string) kind {
	if k, ok := kinds[code]; ok {
		return k
	}
	return kind{Label: code}
}
