"""Reads a published release with openpyxl and Python's strict CSV reader.

For every dataset, the XLSX must hold the same rows and values as the CSV, its
German headers must map to the CSV's machine names through the Beschreibung
sheet, numbers must be numeric cells, dates date cells, no cell a formula; the
manifest's sizes and hashes must match the files.
"""
import csv
import datetime
import hashlib
import io
import json
import os
import sys

import openpyxl

DATASETS = ["aktionsraeume", "kennzahlen", "mittelverwendung", "mittelverwendung_summen"]


def fail(msg):
    print("check_outputs: " + msg)
    sys.exit(1)


def read_csv(path):
    raw = open(path, "rb").read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        fail(f"{path}: no UTF-8 byte order mark")
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if any(len(r) != len(rows[0]) for r in rows):
        fail(f"{path}: rows of different length")
    return rows


def columns(wb, path):
    ws = wb["Beschreibung"]
    out, inside = [], False
    for row in ws.iter_rows(values_only=True):
        if row[:2] == ("Spalte", "Feldname"):
            inside = True
            continue
        if inside:
            if row[0] is None:
                break
            out.append((row[0], row[1], row[2]))
    if not out:
        fail(f"{path}: no column table in sheet Beschreibung")
    return out


def same(cell, text, typ, where):
    if text == "":
        if cell is not None:
            fail(f"{where}: CSV empty, XLSX {cell!r}")
        return
    if "number" in typ or "integer" in typ:
        if isinstance(cell, bool) or not isinstance(cell, (int, float)):
            fail(f"{where}: {cell!r} is not a numeric cell")
        if abs(cell - float(text)) > 1e-9:
            fail(f"{where}: XLSX {cell!r} != CSV {text}")
    elif "date" in typ:
        if not isinstance(cell, datetime.datetime) or cell.date().isoformat() != text:
            fail(f"{where}: XLSX {cell!r} is not the date {text}")
    elif "boolean" in typ:
        if cell is not (text == "true"):
            fail(f"{where}: XLSX {cell!r} != CSV {text}")
    elif cell != text:
        fail(f"{where}: XLSX {cell!r} != CSV {text!r}")


def check_dataset(cur, name):
    rows = read_csv(os.path.join(cur, name + ".csv"))
    path = os.path.join(cur, name + ".xlsx")
    wb = openpyxl.load_workbook(path)
    if wb.sheetnames[:2] != ["Daten", "Beschreibung"]:
        fail(f"{path}: sheets {wb.sheetnames}")
    cols = columns(wb, path)
    if [c[1] for c in cols] != rows[0]:
        fail(f"{path}: machine names {[c[1] for c in cols]} != CSV header {rows[0]}")
    ws = wb["Daten"]
    data = list(ws.iter_rows())
    if [c.value for c in data[0]] != [c[0] for c in cols]:
        fail(f"{path}: German headers do not match the Beschreibung sheet")
    if not all(c.font.b for c in data[0]):
        fail(f"{path}: header not bold")
    if ws.freeze_panes != "A2" or not ws.auto_filter.ref:
        fail(f"{path}: header not frozen or no autofilter")
    if len(data) != len(rows):
        fail(f"{path}: {len(data) - 1} rows, CSV has {len(rows) - 1}")
    for r, (xrow, crow) in enumerate(zip(data[1:], rows[1:]), start=2):
        for c, (cell, text, col) in enumerate(zip(xrow, crow, cols)):
            if cell.data_type == "f":
                fail(f"{path}: {cell.coordinate} is a formula")
            same(cell.value, text, col[2], f"{path} {cell.coordinate} ({col[1]})")
    print(f"openpyxl: {name}.xlsx matches {name}.csv ({len(rows) - 1} rows, {len(cols)} columns)")


def check_manifest(cur):
    m = json.load(open(os.path.join(cur, "manifest.json")))
    for f in m["files"]:
        data = open(os.path.join(cur, f["name"]), "rb").read()
        if len(data) != f["bytes"] or hashlib.sha256(data).hexdigest() != f["sha256"]:
            fail(f"manifest: {f['name']} size or hash differs")
    print(f"manifest: {len(m['files'])} files with matching sizes and SHA-256")


def main():
    cur = sys.argv[1]
    for name in DATASETS:
        check_dataset(cur, name)
    check_manifest(cur)


if __name__ == "__main__":
    main()
