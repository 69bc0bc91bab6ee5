"""Periods as members type them after /thongke and /xuat."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import UserError
from bot.domain.reports import (
    ExportFormat,
    ExportRequest,
    Period,
    parse_export_request,
    parse_period,
)

TODAY = date(2026, 11, 27)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
Q4 = Period(date(2026, 10, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", NOVEMBER),
        ("   ", NOVEMBER),
        ("thang 11/2026", NOVEMBER),
        ("tháng 11/2026", NOVEMBER),
        ("Tháng 11 năm 2026", NOVEMBER),
        ("11/2026", NOVEMBER),
        ("11-2026", NOVEMBER),
        ("tháng 2", Period(date(2026, 2, 1), date(2026, 2, 28))),
        ("2/2028", Period(date(2028, 2, 1), date(2028, 2, 29))),
        ("quy 4/2026", Q4),
        ("Quý 4/2026", Q4),
        ("Q4/2026", Q4),
        ("q4", Q4),
        ("quý 1 năm 2027", Period(date(2027, 1, 1), date(2027, 3, 31))),
        ("nam 2026", Period(date(2026, 1, 1), date(2026, 12, 31))),
        ("Năm 2025", Period(date(2025, 1, 1), date(2025, 12, 31))),
        ("2026", Period(date(2026, 1, 1), date(2026, 12, 31))),
        ("01/11/2026-30/11/2026", NOVEMBER),
        ("1/11/2026 - 30/11/2026", NOVEMBER),
        ("từ 01/11/2026 đến 30/11/2026", NOVEMBER),
        ("01/11/2026–30/11/2026", NOVEMBER),
        ("27/11/2026", Period(TODAY, TODAY)),
        ("7", Period(date(2026, 11, 21), TODAY)),
        ("7 ngày", Period(date(2026, 11, 21), TODAY)),
        ("1", Period(TODAY, TODAY)),
        ("90", Period(date(2026, 8, 30), TODAY)),
        ("１１/２０２６", NOVEMBER),  # a phone keyboard's full-width digits
    ],
)
def test_accepted_periods(text: str, expected: Period) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0",
        "-7",
        "13/2026",
        "0/2026",
        "tháng 13",
        "quý 5/2026",
        "Q0",
        "1999",
        "năm 3000",
        "31/02/2026",
        "30/11/2026-01/11/2026",
        "01/11/2026-",
        "hôm qua",
        "11/2026 12/2026",
        "<b>7</b>",
        "7" * 40,
    ],
)
def test_unreadable_periods_are_a_polite_refusal(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_period(text, TODAY)

    assert refused.value.key == "report_period_invalid"


def test_period_bounds_are_the_communes_midnights_in_utc() -> None:
    start, end = NOVEMBER.utc_bounds(ZoneInfo("Asia/Ho_Chi_Minh"))

    assert start == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


def test_period_label_and_file_name_part() -> None:
    assert NOVEMBER.label() == "01/11/2026 – 30/11/2026"
    assert NOVEMBER.slug() == "2026-11-01_2026-11-30"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ExportRequest(NOVEMBER)),
        ("xlsx", ExportRequest(NOVEMBER, ExportFormat.XLSX)),
        ("Excel", ExportRequest(NOVEMBER, ExportFormat.XLSX)),
        ("11/2026 csv", ExportRequest(NOVEMBER, ExportFormat.CSV)),
        ("csv quý 4/2026", ExportRequest(Q4, ExportFormat.CSV)),
        ("11/2026 xlsx danh-tính", ExportRequest(NOVEMBER, ExportFormat.XLSX, True)),
        ("danh tinh csv", ExportRequest(NOVEMBER, ExportFormat.CSV, True)),
        ("DANH-TINH", ExportRequest(NOVEMBER, include_identity=True)),
    ],
)
def test_export_words_come_in_any_order(text: str, expected: ExportRequest) -> None:
    assert parse_export_request(text, TODAY) == expected


@pytest.mark.parametrize("text", ["csv xlsx", "pdf", "11/2026 danh", "danhtinhcsv"])
def test_unreadable_export_requests_are_refused(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_export_request(text, TODAY)

    assert refused.value.key == "report_period_invalid"
