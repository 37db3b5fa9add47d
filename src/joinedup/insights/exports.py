"""CSV and XLSX downloads of a dashboard's published tables: exactly the suppressed, rounded figures the page
shows, never the counts behind them. Hidden values are written as empty cells with `suppressed` true."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from joinedup.insights.selectors import DashboardFigures

COLUMNS = [
    "measure", "group", "label", "period_start", "period_end", "area", "value", "suppressed",
    "previous_period_start", "previous_period_end", "previous_value", "previous_suppressed",
]  # fmt: skip


def _safe(text: str) -> str:
    """Spreadsheet programs run cells that start like a formula; labels are shown as text."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def rows(figures: DashboardFigures) -> list[list[object]]:
    out: list[list[object]] = []
    for published in figures.tables:
        if not published.available:
            continue
        for row in published.rows:
            out.append(
                [
                    published.table.measure,
                    row.group,
                    _safe(row.label),
                    figures.period.start.isoformat(),
                    figures.period.end.isoformat(),
                    figures.area or "all",
                    row.value,
                    row.suppressed,
                    figures.previous_period.start.isoformat(),
                    figures.previous_period.end.isoformat(),
                    row.previous,
                    row.previous_suppressed,
                ]
            )
    return out


def to_csv(figures: DashboardFigures) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(figures):
        writer.writerow(
            ["" if value is None else str(value).lower() if isinstance(value, bool) else value for value in row]
        )
    return buffer.getvalue().encode("utf-8-sig")  # the byte-order mark makes Excel read UTF-8


def to_xlsx(figures: DashboardFigures) -> bytes:
    book = Workbook()
    sheet = book.create_sheet("Figures", 0)
    book.remove(book.worksheets[1])  # the blank sheet every new workbook starts with
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(figures):
        sheet.append(row)
    method = book.create_sheet("Method")
    method.append(["How these figures protect people"])
    method["A1"].font = Font(bold=True)
    method.append([str(figures.method["text"])])
    method.append([f"Threshold: counts below {figures.method['threshold']} are hidden"])
    method.append([f"Rounding: to the nearest {figures.method['rounding']}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
