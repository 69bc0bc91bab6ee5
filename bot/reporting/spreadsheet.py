"""Tables as files officials open in Excel: XLSX workbooks and UTF-8 CSV with a byte-order mark."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

Cell = str | int | float | date | datetime | None

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
_MAX_COLUMN_WIDTH = 60
# Excel runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 forbids these control characters; openpyxl refuses to write them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    """One sheet: its name, the column headers and the rows. Datetimes are local and naive."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table: bold frozen header, filters, dates as real dates."""
    # Imported here: only exports need openpyxl.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if not tables:
        raise ValueError("a workbook needs at least one table")
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the empty default sheet
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        widths = [len(header) for header in table.headers]
        for row_index, row in enumerate(table.rows, start=2):
            for column_index, value in enumerate(row, start=1):
                cell = sheet.cell(row_index, column_index)
                if isinstance(value, str):
                    cell.value = _ILLEGAL_XML.sub("", value)
                    # Text a citizen or member wrote is text, even if it starts with "=".
                    cell.data_type = "s"
                else:
                    cell.value = value
                if isinstance(value, datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                widths[column_index - 1] = max(widths[column_index - 1], _width(value))
        for column_index, width in enumerate(widths, start=1):
            letter = get_column_letter(column_index)
            sheet.column_dimensions[letter].width = min(_MAX_COLUMN_WIDTH, width + 2)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return _csv_text(value)
    return value


def _csv_text(text: str) -> str:
    # OWASP's advice for CSV injection: a leading apostrophe keeps the cell text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31] or "Sheet"
