"""Writes the openpyxl fixtures: workbooks as scripts write them.

openpyxl stores booleans as cells of type "b", dates as serial numbers
(here of a workbook that counts from 1904), and formulas without a
calculated value. Needs openpyxl; run through generate.sh.
"""
import datetime
import sys

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HEADER = ["Projekt-Nr", "Aktionsraum", "Jahr", "Fonds", "Projekttitel", "Träger", "Privatperson",
          "Ansprechperson", "Beschlussdatum", "Bewilligt (EUR)", "Ausgezahlt (EUR)", "Status"]
EUR = '#,##0.00 "€"'
DATE = "DD.MM.YYYY"


def blaetter_1904(path):
    """A chart sheet and a hidden sheet before the data sheet; dates from
    1904; booleans, a currency format, numbers and dates as text."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    data = wb.active
    data.title = "Mittelverwendung"
    data.append(HEADER)
    data.append(["2024-EKE-01", "Eving-Kemminghausen", 2024, "Aktionsraumfonds", "Spielplatzfest",
                 "Kita Kemminghausen", True, "Anna Beispiel", datetime.date(2024, 3, 15), 1250.5, "1.000,00", "bewilligt"])
    data.append(["2024-MAR-01", "Marten", "2024", "Projektbudget", "Erzählcafé",
                 "Seniorenbüro Marten", False, None, "15.05.2024", "2.400,00", 2400, "abgerechnet"])
    for row in (2, 3):
        data.cell(row, 9).number_format = DATE
        data.cell(row, 10).number_format = EUR
        data.cell(row, 11).number_format = EUR
    hidden = wb.create_sheet("Hilfswerte", 0)
    hidden.append(["Projekt-Nr", "Aktionsraum", "Jahr", "Fonds"])  # looks like the header, but is hidden
    hidden.sheet_state = "hidden"
    chart = BarChart()
    chart.add_data(Reference(data, min_col=10, min_row=1, max_row=3), titles_from_data=True)
    wb.create_chartsheet("Diagramm", 0).add_chart(chart)
    wb.active = 2
    wb.save(path)


def formel(path):
    """Formulas as openpyxl writes them: without a calculated value."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mittelverwendung"
    ws.append(HEADER)
    ws.append(["2024-NOM-01", "Nordmarkt", 2024, "Aktionsraumfonds", "Nachtflohmarkt", "Nordmarkt e.V.",
               False, None, datetime.date(2024, 4, 1), 1800, "=J2/2", "bewilligt"])
    ws.append(["2024-NOM-02", "Nordmarkt", 2024, "Aktionsraumfonds", "Lesecafé", "Nordmarkt e.V.",
               False, None, datetime.date(2024, 5, 2), 900, "=J3", "abgerechnet"])
    wb.save(path)


if __name__ == "__main__":
    out = sys.argv[1]
    blaetter_1904(out + "/openpyxl_1904.xlsx")
    formel(out + "/openpyxl_formel.xlsx")
