"""Writes flat ODF spreadsheets (.fods) for the LibreOffice fixtures.

LibreOffice converts them to .xlsx, .ods and .xls (see generate.sh): the
fixtures are then as LibreOffice itself writes them. Standard library only.
"""
import sys
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="Ndate">
  <number:day number:style="long"/><number:text>.</number:text>
  <number:month number:style="long"/><number:text>.</number:text>
  <number:year number:style="long"/>
 </number:date-style>
 <number:currency-style style:name="Neur">
  <number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>
  <number:text> </number:text>
  <number:currency-symbol number:language="de" number:country="DE">€</number:currency-symbol>
 </number:currency-style>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="Ndate"/>
 <style:style style:name="eur" style:family="table-cell" style:data-style-name="Neur"/>
 <style:style style:name="bold" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="shown" style:family="table"><style:table-properties table:display="true"/></style:style>
 <style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/></style:style>
 <style:style style:name="logo" style:family="table-row"><style:table-row-properties style:row-height="1.8cm"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""
TAIL = "</office:spreadsheet></office:body></office:document>\n"


class Cell:
    """One cell: kind is string, float, currency, date, boolean or empty."""

    def __init__(self, kind, value=None, formula=None, cols=1, rows=1, style=None):
        self.kind, self.value, self.formula = kind, value, formula
        self.cols, self.rows, self.style = cols, rows, style

    def xml(self):
        a = []
        if self.style:
            a.append('table:style-name="%s"' % self.style)
        if self.cols > 1 or self.rows > 1:
            a.append('table:number-columns-spanned="%d" table:number-rows-spanned="%d"' % (self.cols, self.rows))
        if self.formula:
            a.append('table:formula="%s"' % escape(self.formula, {'"': "&quot;"}))
        k, v = self.kind, self.value
        if k == "empty":
            return "<table:table-cell %s/>" % " ".join(a)
        if k == "string":
            a.append('office:value-type="string"')
        elif k == "float":
            a.append('office:value-type="float" office:value="%s"' % v)
        elif k == "currency":
            a.append('office:value-type="currency" office:currency="EUR" office:value="%s"' % v)
        elif k == "date":
            a.append('office:value-type="date" office:date-value="%s"' % v)
        elif k == "boolean":
            a.append('office:value-type="boolean" office:boolean-value="%s"' % ("true" if v else "false"))
        text = "" if k != "string" else "<text:p>%s</text:p>" % escape(v)
        return "<table:table-cell %s>%s</table:table-cell>" % (" ".join(a), text)


COVERED = object()  # a cell hidden by a merge


def S(v, **kw): return Cell("string", v, **kw)
def N(v, **kw): return Cell("float", v, **kw)
def EUR(v, **kw): return Cell("currency", v, style="eur", **kw)
def D(v, **kw): return Cell("date", v, style="date", **kw)
def B(v, **kw): return Cell("boolean", v, **kw)
def F(**kw): return Cell("empty", **kw)  # a formula: LibreOffice computes its value


def table(name, rows, hidden=False, row_styles=None):
    out = ['<table:table table:name="%s" table:style-name="%s">' % (name, "hidden" if hidden else "shown")]
    width = max(len(r) for r in rows) if rows else 1
    out.append('<table:table-column table:number-columns-repeated="%d"/>' % width)
    for i, r in enumerate(rows):
        style = (row_styles or {}).get(i + 1)
        out.append('<table:table-row%s>' % (' table:style-name="%s"' % style if style else ""))
        for c in r:
            if c is COVERED:
                out.append("<table:covered-table-cell/>")
            elif c is None:
                out.append("<table:table-cell/>")
            else:
                out.append(c.xml())
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "\n".join(out)


def document(tables, extra="", null_date=None):
    settings = ""
    if null_date:
        settings = '<table:calculation-settings><table:null-date table:date-value="%s"/></table:calculation-settings>' % null_date
    return HEAD + settings + "\n".join(tables) + extra + TAIL


HEADER_TOP = ["Projekt-Nr", "Aktionsraum", "Jahr", "Fonds", "Projekttitel", "Träger",
              "Privatperson", "Ansprechperson", "Beschlussdatum"]


def mittelverwendung():
    """Title rows, an empty logo row, a two-row header with merged cells,
    merged data cells, typed cells, formulas with cached values, a total row."""
    cols = 12
    rows = []
    rows.append([S("Mittelverwendung – Aktionsplan Soziale Stadt Dortmund", cols=cols, style="bold")] + [COVERED] * (cols - 1))
    rows.append([S("Stand: 31.12.2024 – Beispieldaten, keine amtlichen Zahlen")])
    rows.append([])  # the logo row
    rows.append([S(h, rows=2, style="bold") for h in HEADER_TOP] +
                [S("Betrag (EUR)", cols=2, style="bold"), COVERED, S("Status", rows=2, style="bold")])
    rows.append([COVERED] * 9 + [S("Bewilligt", style="bold"), S("Ausgezahlt", style="bold"), COVERED])
    rows.append([S("2024-BOR-01"), S("Borsigplatz", rows=3), N(2024), S("Aktionsraumfonds"),
                 S("Stadtteilfest am Borsigplatz"), S("Quartiersverein Borsigplatz e.V."), B(False),
                 S("Erika Mustermann"), D("2024-03-15"), EUR(2400), F(formula="of:=[.J6]", style="eur"), S("abgerechnet")])
    rows.append([S("2024-BOR-02"), COVERED, N(2024), S("Aktionsraumfonds"),
                 S("Kinderkochkurs"), S("Max Muster"), B(True),
                 S("Max Muster"), S("2024-04-20"), S("1250.5"), F(formula="of:=[.J6]/4", style="eur"), S("bewilligt")])
    rows.append([S("2024-BOR-03"), COVERED, N(2024), S("Projektbudget"),
                 S("Nachbarschaftsgarten"), S("Gartenfreunde e.V."), None,
                 None, S("02.05.2024"), S("1.250,50"), N(0), S("bewilligt")])
    rows.append([S("2024-HOE-01"), S("Hörde"), N(2024), S("Aktionsraumfonds"),
                 S("Repair-Café"), S("Bürgerhaus Hörde"), B(False),
                 None, D("2024-06-03"), EUR(3000.75),
                 F(formula='of:=IF([.L9]="abgerechnet";[.J9];"")', style="eur"), S("beantragt")])
    rows.append([S("Summe", style="bold")] + [None] * 8 +
                [F(formula="of:=SUM([.J6:.J9])", style="eur"), F(formula="of:=SUM([.K6:.K9])", style="eur"), None])
    return table("Mittelverwendung", rows, row_styles={3: "logo"})


def blaetter():
    """A pivot table first, a hidden sheet, a summary with formulas and the
    data sheet. The pivot's header names four fields of the schema."""
    listen = table("Listen", [[S("Fonds")], [S("Aktionsraumfonds")], [S("Projektbudget")]], hidden=True)
    header = [S(h) for h in HEADER_TOP + ["Bewilligt (EUR)", "Ausgezahlt (EUR)", "Status"]]
    data = [
        [S("2024-WIC-01"), S("Wickede"), N(2024), S("Aktionsraumfonds"), S("Lesepaten"), S("Bücherei Wickede"),
         B(False), None, D("2024-02-01"), EUR(800), EUR(800), S("abgerechnet")],
        [S("2024-WIC-02"), S("Wickede"), N(2024), S("Projektbudget"), S("Sommerschule"), S("Schulverein"),
         B(False), None, D("2024-05-10"), EUR(4200), EUR(2100), S("bewilligt")],
    ]
    summary = table("Übersicht", [
        [S("Aktionsraum"), S("Bewilligt (EUR)"), S("Ausgezahlt (EUR)")],
        [S("Wickede"), F(formula='of:=SUMIF($Mittelverwendung.$B$2:$B$3;[.A2];$Mittelverwendung.$J$2:$J$3)', style="eur"),
         F(formula='of:=SUMIF($Mittelverwendung.$B$2:$B$3;[.A2];$Mittelverwendung.$K$2:$K$3)', style="eur")],
    ])
    pivot = table("Pivot", [[None]])
    sheet = table("Mittelverwendung", [header] + data)
    dp = """
<table:data-pilot-tables>
 <table:data-pilot-table table:name="Pivot1" table:target-range-address="Pivot.A1:E5" table:show-filter-button="false" table:drill-down-on-double-click="false">
  <table:source-cell-range table:cell-range-address="Mittelverwendung.A1:Mittelverwendung.L3"/>
  <table:data-pilot-field table:source-field-name="Projekt-Nr" table:orientation="row"><table:data-pilot-level table:show-empty="false"/></table:data-pilot-field>
  <table:data-pilot-field table:source-field-name="Aktionsraum" table:orientation="row"><table:data-pilot-level table:show-empty="false"/></table:data-pilot-field>
  <table:data-pilot-field table:source-field-name="Jahr" table:orientation="row"><table:data-pilot-level table:show-empty="false"/></table:data-pilot-field>
  <table:data-pilot-field table:source-field-name="Fonds" table:orientation="row"><table:data-pilot-level table:show-empty="false"/></table:data-pilot-field>
  <table:data-pilot-field table:source-field-name="Bewilligt (EUR)" table:orientation="data" table:function="sum"><table:data-pilot-level table:show-empty="false"/></table:data-pilot-field>
 </table:data-pilot-table>
</table:data-pilot-tables>"""
    return document([pivot, listen, summary, sheet], extra=dp)


def datum1904():
    """A workbook whose dates count from 1904."""
    return document([table("Mittelverwendung", [
        [S("Projekt-Nr"), S("Beschlussdatum")],
        [S("2024-EKE-01"), D("2024-03-15")],
    ])], null_date="1904-01-01")


if __name__ == "__main__":
    out = sys.argv[1]
    for name, doc in [("lo_mittelverwendung", document([mittelverwendung()])),
                      ("lo_blaetter", blaetter()),
                      ("lo_1904", datum1904())]:
        with open("%s/%s.fods" % (out, name), "w", encoding="utf-8") as f:
            f.write(doc)
