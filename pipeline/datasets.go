package pipeline

// The published datasets. Their file names and column names are the
// project's public contract (DOMAIN.md): change them never, add with care.
// Columns that come from an input are declared by its schema; the others here.

var (
	codeColumn = Column{Name: "code", Title: "Code", Type: "string",
		Description: "Stabiler Schlüssel des Aktionsraums (drei oder vier Großbuchstaben); ändert sich nie.",
		Constraints: Constraints{Required: true, Pattern: "[A-Z]{3,4}"}}
	nameColumn = Column{Name: "name", Title: "Aktionsraum", Type: "string",
		Description: "Name des Aktionsraums laut Register.", Constraints: Constraints{Required: true}}
	yearColumn = Column{Name: "jahr", Title: "Jahr", Type: "integer", Description: "Kalenderjahr.",
		Constraints: Constraints{Required: true}}
)

// areaKey points a dataset's area code at the areas dataset.
var areaKey = ForeignKey{Fields: []string{"code"}, Resource: "aktionsraeume", Reference: []string{"code"}}

// sumColumns are the columns of a fund summary after area, year and fund,
// in the order of DOMAIN.md and of fundUsage.summary, with a prefix for the
// areas dataset.
func sumColumns(prefix, titlePrefix string) []Column {
	return []Column{
		{Name: prefix + "bewilligt_eur", Title: titlePrefix + "Bewilligt (EUR)", Type: "number", Unit: "EUR",
			Description: "Summe der bewilligten Beträge; ohne abgelehnte und zurückgezogene Anträge."},
		{Name: prefix + "ausgezahlt_eur", Title: titlePrefix + "Ausgezahlt (EUR)", Type: "number", Unit: "EUR",
			Description: "Summe der ausgezahlten Beträge; ohne abgelehnte und zurückgezogene Anträge."},
		{Name: prefix + "anzahl_massnahmen", Title: titlePrefix + "Anzahl Maßnahmen", Type: "integer",
			Description: "Anzahl der gezählten Maßnahmen (ohne abgelehnte und zurückgezogene)."},
		{Name: prefix + "budget_eur", Title: titlePrefix + "Budget (EUR)", Type: "number", Unit: "EUR",
			Description: "Budget des Aktionsraumfonds je Aktionsraum und Jahr; leer beim Projektbudget, das nicht je Aktionsraum aufgeteilt ist."},
		{Name: prefix + "rest_eur", Title: titlePrefix + "Rest (EUR)", Type: "number", Unit: "EUR",
			Description: "Budget minus bewilligt; negativ, wenn das Budget überschritten ist."},
		{Name: prefix + "ueberschritten", Title: titlePrefix + "Überschritten", Type: "boolean",
			Description: "Aktionsraumfonds: true, wenn im Aktionsraum und Jahr mehr bewilligt ist als der Fonds. Projektbudget: true, wenn im Jahr über alle Aktionsräume und beide Fonds mehr bewilligt ist als das Projektbudget."},
	}
}

// publicColumns are the published columns of an input table: its public
// fields in declared order, with the area name after the area code.
func publicColumns(fields []Field) []Column {
	var cols []Column
	for _, f := range fields {
		if !f.Public {
			continue
		}
		if f.Name == "code" {
			cols = append(cols, codeColumn, nameColumn)
			continue
		}
		cols = append(cols, Column{Name: f.Name, Title: f.Title, Type: f.Type, Unit: f.Unit, Description: f.Description,
			Constraints: Constraints{Required: f.Required, Unique: f.Unique, Enum: f.Enum,
				Minimum: f.Minimum, Maximum: f.Maximum, Pattern: f.Pattern}})
	}
	return cols
}

// uniqueKey is the primary key of an input table: its required, unique,
// public fields.
func uniqueKey(fields []Field) []string {
	var key []string
	for _, f := range fields {
		if f.Required && f.Unique && f.Public {
			key = append(key, f.Name)
		}
	}
	return key
}

// publicLayout says where each value of publicColumns comes from, for the
// records of a table: the index of its field, or -1 for the area name after
// the code. It is worked out once per table, not on every row: a Field is a
// large struct, and going through all of them costs more than copying the
// values.
type publicLayout []int

func newPublicLayout(fields []Field) publicLayout {
	var l publicLayout
	for i := range fields {
		if !fields[i].Public {
			continue
		}
		l = append(l, i)
		if fields[i].Name == "code" {
			l = append(l, -1)
		}
	}
	return l
}

// values appends the values of publicColumns for one record to vals, with
// areaName after the code.
func (l publicLayout) values(vals []any, rec Record, areaName any) []any {
	for _, i := range l {
		if i < 0 {
			vals = append(vals, areaName)
		} else {
			vals = append(vals, rec[i])
		}
	}
	return vals
}

// FormulaNote is part of the description of every dataset: it says how the
// spreadsheet formats keep text from being run as a formula (OWASP "CSV
// injection"), so that a reader who finds an apostrophe in a CSV cell knows
// where it comes from. outputs/csv and outputs/xlsx do what it says.
const FormulaNote = "Schutz vor Formeln: Ein Text, der mit =, +, -, @, einem Tabulator oder einem Wagenrücklauf beginnt, " +
	"könnte von Tabellenprogrammen als Formel ausgeführt werden. In CSV-Dateien steht vor einem solchen Text deshalb ein Apostroph ('), " +
	"der nicht zum Wert gehört; in XLSX-Dateien steht er unverändert als Text in der Zelle, die zusätzlich als Text markiert ist. " +
	"Zahlenspalten sind nicht betroffen: negative Zahlen bleiben Zahlen."

// FormulaLike reports whether a spreadsheet program could take text for a
// formula when it opens or re-enters it: the text starts with "=", "+", "-",
// "@", a tab or a carriage return (the OWASP list).
func FormulaLike(s string) bool {
	return s != "" && formulaStart[s[0]]
}

// formulaStart marks the first bytes of formula-like text: writers ask
// for every text cell.
var formulaStart = func() (t [256]bool) {
	for _, c := range []byte("=+-@\t\r") {
		t[c] = true
	}
	return t
}()

func (j *Job) dataset(name, title, desc string, cols []Column, spatial bool) *Dataset {
	return &Dataset{Name: name, Title: title, Description: desc + " " + FormulaNote, Columns: cols, Spatial: spatial, About: j.About}
}

func (j *Job) actionsDataset(fundFields []Field) *Dataset {
	ds := j.dataset("mittelverwendung", "Mittelverwendung",
		"Geförderte Maßnahmen je Aktionsraum aus dem Aktionsraumfonds und dem Projektbudget; nur öffentliche Spalten, Privatpersonen als Träger anonymisiert.",
		publicColumns(fundFields), false)
	ds.PrimaryKey = uniqueKey(fundFields)
	ds.ForeignKeys = []ForeignKey{areaKey}
	return ds
}

func (j *Job) keyFiguresDataset() *Dataset {
	ds := j.dataset("kennzahlen", "Kennzahlen",
		"Kennzahlen der Aktionsräume, eine Zeile je Aktionsraum und Jahr.",
		publicColumns(j.KeyFigureSchema.Fields()), false)
	ds.PrimaryKey = []string{codeColumn.Name, yearColumn.Name}
	ds.ForeignKeys = []ForeignKey{areaKey}
	return ds
}

func (j *Job) sumsDataset() *Dataset {
	cols := []Column{codeColumn, nameColumn, yearColumn,
		{Name: "fonds", Title: "Fonds", Type: "string", Description: "Aktionsraumfonds oder Projektbudget."}}
	ds := j.dataset("mittelverwendung_summen", "Mittelverwendung: Summen",
		"Bewilligte und ausgezahlte Mittel je Aktionsraum, Jahr und Fonds, mit Budget und Rest des Aktionsraumfonds.",
		append(cols, sumColumns("", "")...), false)
	ds.PrimaryKey = []string{codeColumn.Name, yearColumn.Name, "fonds"}
	ds.ForeignKeys = []ForeignKey{areaKey}
	return ds
}

func (j *Job) areasDataset() *Dataset {
	cols := []Column{codeColumn, nameColumn,
		{Name: "betreuung", Title: "Betreuung", Type: "string", Description: "Wer den Aktionsraum betreut."},
		{Name: "flaeche_km2", Title: "Fläche (km²)", Type: "number", Unit: "km²",
			Description: "Fläche der Grenze auf dem WGS84-Ellipsoid, in Quadratkilometern."},
		{Name: "kennzahlen_jahr", Title: "Kennzahlen-Jahr", Type: "integer", Description: "Jahr der folgenden Kennzahlen (das neueste vorhandene)."},
	}
	for _, c := range publicColumns(j.KeyFigureSchema.Fields()) {
		if c.Name != "code" && c.Name != "name" && c.Name != "jahr" {
			cols = append(cols, c)
		}
	}
	cols = append(cols, Column{Name: "fonds_jahr", Title: "Fonds-Jahr", Type: "integer",
		Description: "Jahr der folgenden Angaben zum Aktionsraumfonds (das neueste vorhandene)."})
	cols = append(cols, sumColumns("fonds_", "Fonds: ")...)
	ds := j.dataset("aktionsraeume", "Aktionsräume",
		"Die Aktionsräume des Aktionsplans Soziale Stadt mit Grenze, Fläche, den neuesten Kennzahlen und dem Aktionsraumfonds des neuesten Jahres.",
		cols, true)
	ds.PrimaryKey = []string{codeColumn.Name}
	return ds
}
