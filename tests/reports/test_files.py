"""The report files themselves: PNG charts, XLSX workbooks and CSV, read back as a user would."""

from __future__ import annotations

import csv
import io
import struct
from datetime import date, datetime

from openpyxl import load_workbook

from bot.reporting.chart import Series, stacked_bar_chart
from bot.reporting.spreadsheet import Table, csv_bytes, xlsx_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_png_of_phone_friendly_size() -> None:
    png = stacked_bar_chart(
        "Số phiếu theo lĩnh vực và trạng thái, 01/11/2026 – 30/11/2026",
        ["Đất đai", "Môi trường – vệ sinh", "An ninh trật tự"],
        [
            Series("Đã tiếp nhận", (1, 1, 1)),
            Series("Đang xử lý", (0, 1, 0), "#56B4E9"),
            Series("Đã trả lời", (2, 0, 0)),
        ],
        "Số phiếu",
        "Không có phiếu nào trong kỳ này.",
    )

    width, height = png_size(png)
    assert (width, height) == (990, 396)
    assert 5_000 < len(png) < 500_000


def test_chart_grows_with_the_number_of_fields_up_to_a_cap() -> None:
    names = [f"Lĩnh vực số {n} có tên khá dài để phải xuống dòng" for n in range(40)]
    png = stacked_bar_chart("Nhiều lĩnh vực", names, [Series("Đã tiếp nhận", (1,) * 40)], "", "")

    assert png_size(png) == (990, 1320)


def test_chart_without_cases_says_so() -> None:
    png = stacked_bar_chart("Tháng 1", [], [], "Số phiếu", "Không có phiếu nào trong kỳ này.")

    assert png_size(png) == (990, 396)


def test_xlsx_keeps_dates_as_dates_and_user_text_as_text() -> None:
    table = Table(
        "Phiếu",
        ("Mã tra cứu", "Ngày gửi", "Hạn trả lời", "Nội dung trả lời", "Đánh giá"),
        [
            ("MT-1", datetime(2026, 11, 2, 8, 5), date(2026, 11, 20), '=HYPERLINK("x")', 5),
            ("MT-2", datetime(2026, 11, 3, 9, 0), date(2026, 11, 10), "a\x00b\x1fc\nd", None),
        ],
    )

    sheet = load_workbook(io.BytesIO(xlsx_bytes([table])))["Phiếu"]

    assert [c.value for c in sheet[1]] == list(table.headers)
    assert sheet["B2"].value == datetime(2026, 11, 2, 8, 5)
    assert sheet["B2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["C2"].value == datetime(2026, 11, 20, 0, 0)
    assert sheet["C2"].number_format == "DD/MM/YYYY"
    assert sheet["D2"].value == '=HYPERLINK("x")'
    assert sheet["D2"].data_type == "s"
    assert sheet["D3"].value == "abc\nd"  # control characters XML cannot hold are dropped
    assert sheet["E2"].value == 5
    assert sheet["E3"].value is None
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_xlsx_sheet_names_follow_excels_rules() -> None:
    table = Table("Thống kê [tháng 11/2026]: rất nhiều chữ ở đây", ("A",), [])

    workbook = load_workbook(io.BytesIO(xlsx_bytes([table])))

    assert workbook.sheetnames == ["Thống kê  tháng 11 2026   rất n"]


def test_csv_is_utf8_with_a_byte_order_mark_and_neutralised_formulas() -> None:
    table = Table(
        "Phiếu",
        ("Mã tra cứu", "Ngày gửi", "Hạn trả lời", "Nội dung", "Đánh giá"),
        [
            ("MT-1", datetime(2026, 11, 2, 8, 5), date(2026, 11, 20), '=1+1, "trích"', 4),
            ("MT-2", datetime(2026, 11, 3, 9, 0), None, "Thôn Đông\nngập", None),
        ],
    )

    data = csv_bytes(table)

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [
        ["Mã tra cứu", "Ngày gửi", "Hạn trả lời", "Nội dung", "Đánh giá"],
        ["MT-1", "02/11/2026 08:05", "20/11/2026", '\'=1+1, "trích"', "4"],
        ["MT-2", "03/11/2026 09:00", "", "Thôn Đông\nngập", ""],
    ]
