"""Excel copies of test data for tests/ingest/xlsx_import.rs (run from the repository root:
python3 tests/xlsx/make_xlsx.py; needs openpyxl).

demo.xlsx   sheet "cohort": www/demo/gist_liver_mets_demo.csv as a clinician's workbook
            would hold it (numbers as numbers, dates as Excel date cells, empty cells for
            missing values); sheet "first_100": its first 100 patients.
edges.xlsx  sheet "leap": start/end date cells, the start on sheet row 4 holding serial 60
            (Excel's non-existent 1900-02-29); sheet "shifted": the table starting at C3.
"""
import csv
import datetime as dt
import re

from openpyxl import Workbook

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUM = re.compile(r"^-?\d+(\.\d+)?$")


def cell(v):
    if v == "":
        return None
    if DATE.match(v):
        return dt.datetime.strptime(v, "%Y-%m-%d")
    if NUM.match(v):
        return int(v) if re.match(r"^-?\d+$", v) else float(v)
    return v


def put(ws, rows, row0=1, col0=1):
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            c = ws.cell(row=row0 + i, column=col0 + j, value=v if i == 0 else cell(v))
            if isinstance(c.value, dt.datetime):
                c.number_format = "yyyy-mm-dd"


with open("www/demo/gist_liver_mets_demo.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))

wb = Workbook()
ws = wb.active
ws.title = "cohort"
put(ws, rows)
put(wb.create_sheet("first_100"), rows[:101])
wb.save("tests/xlsx/demo.xlsx")

wb = Workbook()
ws = wb.active
ws.title = "leap"
ws.append(["start", "end", "status"])
ws.append([dt.datetime(1900, 3, 1), dt.datetime(1900, 6, 1), 1])
ws.append([dt.datetime(1900, 3, 2), dt.datetime(1900, 7, 1), 0])
ws.append([60, dt.datetime(1900, 8, 1), 1])
for r in (2, 3, 4):
    for c in (1, 2):
        ws.cell(row=r, column=c).number_format = "yyyy-mm-dd"
sh = wb.create_sheet("shifted")
put(sh, [["time", "status"], ["5", "1"], ["7", "0"], ["abc", "1"]], row0=3, col0=3)
wb.save("tests/xlsx/edges.xlsx")
