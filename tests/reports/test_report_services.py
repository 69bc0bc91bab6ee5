"""/thongke and /xuat as use cases: a Turn on a real SQLite file, the messages they queue."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.config import Config
from bot.domain.errors import UserError
from bot.domain.outbound import Outbound, Upload
from bot.services import reports
from bot.services.turn import Turn
from bot.storage.outbox_store import OutboxStore
from bot.storage.unit_of_work import SqliteStorage
from sandbox.html_check import parse_html
from tests.reports.seed import (
    LONG_ANSWER,
    NOW,
    open_database,
    sample_config,
    seed_november,
    turn_for,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASE_HEADERS = [
    "Mã tra cứu", "Ngày gửi", "Lĩnh vực", "Thôn/tổ dân phố", "Loại", "Trạng thái",
    "Người xử lý", "Hạn trả lời", "Ngày trả lời", "Nội dung trả lời", "Đánh giá (1–5)",
]  # fmt: skip
IDENTITY_HEADERS = ["Họ tên người gửi", "Số điện thoại người gửi"]
SHARED_IDENTITIES = ["Trần Thị Bình", "0912345678", "Lê Văn Cường", "Phạm Văn Em", "0987654321"]
NEVER_SHOWN = ["Lộ Danh", "0900000000", "Sealed Name"]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return sample_config(tmp_path)


@pytest.fixture
async def storage(config: Config) -> AsyncIterator[SqliteStorage]:
    db = await open_database(config)
    async with db.transaction() as tx:
        await seed_november(tx)
    yield SqliteStorage(db)
    await db.close()


async def run(
    storage: SqliteStorage,
    config: Config,
    member_id: str,
    use_case: Any,
    args: str,
    locale: str = "vi",
) -> list[Outbound]:
    """Run one report use case as `member_id`; return what it queued."""
    async with storage.transaction() as uow:
        turn: Turn = turn_for(uow, config, member_id, locale)
        await use_case(turn, args)
        return turn.out


def upload_of(message: Outbound) -> Upload:
    assert message.upload is not None
    return message.upload


def cells(data: bytes, sheet: str) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in workbook[sheet].iter_rows()]


def text_of(messages: list[Outbound]) -> str:
    return "\n".join(m.text or "" for m in messages if m.upload is None)


# -- /thongke ------------------------------------------------------------------------------


async def test_statistics_are_a_readable_message_then_a_chart(
    storage: SqliteStorage, config: Config
) -> None:
    out = await run(storage, config, "hung", reports.send_statistics, "11/2026")

    *texts, chart = out
    shown = parse_html(text_of(out)).text  # valid Telegram HTML, as the user reads it
    for line in [
        "Kỳ báo cáo: 01/11/2026 – 30/11/2026",
        "Tổng số phiếu tiếp nhận: 6",
        "• Đã tiếp nhận: 2",
        "• Không đủ điều kiện xử lý: 1",
        "• Đất đai: 3",
        "• Môi trường – vệ sinh: 2",
        "• An ninh trật tự: 1",
        "• Thôn Đông: 3",
        "• Không nêu: 1",
        "• Trần Thị Lan: 2",
        "• Nguyễn Văn Hùng: 1",
        "• Chưa có người nhận: 2",
        "• Thời gian phản hồi đầu tiên (trung vị): 3 giờ 0 phút",
        "• Thời gian trả lời (trung vị): 3 ngày 0 giờ",
        "• Đang quá hạn: 2",
        "• Trả lời đúng hạn: 2",
        "• Trả lời trễ hạn: 1",
        "• Số lượt đánh giá: 3",
        "• Điểm đánh giá trung bình (1–5): 3,3",
        "• Xác nhận đã giải quyết: 2",
        "• Báo chưa giải quyết: 1",
        "• Phiếu phải mở lại: 2",
    ]:
        assert line in shown.splitlines()
    assert all(m.chat == out[0].chat and m.chat.chat_id == "1001" for m in out)
    assert len(texts) == 1
    upload = upload_of(chart)
    assert upload.as_photo
    assert upload.filename == "homthu-thong-ke-2026-11-01_2026-11-30.png"
    assert upload.mime_type == "image/png"
    assert upload.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.text == "📊 Biểu đồ phiếu theo lĩnh vực và trạng thái, kỳ 01/11/2026 – 30/11/2026."


async def test_statistics_name_nobody_who_wrote_in(storage: SqliteStorage, config: Config) -> None:
    out = await run(storage, config, "hung", reports.send_statistics, "11/2026")

    for name in SHARED_IDENTITIES + NEVER_SHOWN:
        assert name not in text_of(out)


async def test_statistics_default_to_this_month(storage: SqliteStorage, config: Config) -> None:
    # NOW is 5 December: nothing seeded was received in December but MT-261201-0001-GG.
    out = await run(storage, config, "hung", reports.send_statistics, "")

    assert "Kỳ báo cáo: 01/12/2026 – 31/12/2026\nTổng số phiếu tiếp nhận: <b>1</b>" in text_of(out)


async def test_an_empty_period_says_so_and_still_sends_a_chart(
    storage: SqliteStorage, config: Config
) -> None:
    out = await run(storage, config, "hung", reports.send_statistics, "2025")

    assert "Không có phiếu nào trong kỳ này." in text_of(out)
    assert "Theo lĩnh vực" not in text_of(out)
    assert upload_of(out[-1]).data.startswith(b"\x89PNG")


@pytest.mark.parametrize("member_id", ["hung", "lan", "hoa"])
async def test_chair_deputy_and_secretary_may_see_statistics(
    storage: SqliteStorage, config: Config, member_id: str
) -> None:
    out = await run(storage, config, member_id, reports.send_statistics, "7")

    assert out[-1].upload is not None


@pytest.mark.parametrize("use_case", [reports.send_statistics, reports.send_export])
async def test_an_ordinary_member_is_refused_reports(
    storage: SqliteStorage, config: Config, use_case: Any
) -> None:
    with pytest.raises(UserError) as refused:
        await run(storage, config, "minh", use_case, "11/2026")

    assert refused.value.key == "reporters_only"


@pytest.mark.parametrize("use_case", [reports.send_statistics, reports.send_export])
async def test_a_citizen_is_refused_reports(
    storage: SqliteStorage, config: Config, use_case: Any
) -> None:
    async with storage.transaction() as uow:
        turn = turn_for(uow, config, "hung")
        turn.member = None
        with pytest.raises(UserError) as refused:
            await use_case(turn, "")

    assert refused.value.key == "not_member"


async def test_a_bad_period_is_a_polite_refusal(storage: SqliteStorage, config: Config) -> None:
    with pytest.raises(UserError) as refused:
        await run(storage, config, "hung", reports.send_statistics, "tháng 13")

    assert refused.value.key == "report_period_invalid"


async def test_statistics_in_english(storage: SqliteStorage, config: Config) -> None:
    out = await run(storage, config, "hung", reports.send_statistics, "11/2026", locale="en")

    shown = parse_html(text_of(out)).text.splitlines()
    assert "Cases received: 6" in shown
    assert "• Average rating (1–5): 3.3" in shown
    assert "• Not taken yet: 2" in shown


# -- /xuat ---------------------------------------------------------------------------------


async def test_export_is_one_xlsx_with_cases_and_figures(
    storage: SqliteStorage, config: Config
) -> None:
    out = await run(storage, config, "hung", reports.send_export, "11/2026")

    [document] = out
    upload = upload_of(document)
    assert not upload.as_photo
    assert upload.filename == "homthu-phieu-2026-11-01_2026-11-30.xlsx"
    assert upload.mime_type == XLSX
    assert document.text == "📎 Danh sách phiếu góp ý kỳ 01/11/2026 – 30/11/2026: 6 phiếu."
    workbook = load_workbook(io.BytesIO(upload.data))
    assert workbook.sheetnames == ["Phiếu", "Thống kê"]


async def test_exported_cases_are_checked_cell_by_cell(
    storage: SqliteStorage, config: Config
) -> None:
    [document] = await run(storage, config, "hung", reports.send_export, "11/2026 xlsx")

    header, *rows = cells(upload_of(document).data, "Phiếu")
    assert header == CASE_HEADERS
    assert [row[0] for row in rows] == [
        "MT-261101-0001-HH",
        "MT-261102-0001-AA",
        "MT-261103-0001-BB",
        "MT-261110-0001-CC",
        "MT-261120-0001-DD",
        "MT-261128-0001-EE",
    ]
    by_code = {row[0]: row for row in rows}
    assert by_code["MT-261102-0001-AA"] == [
        "MT-261102-0001-AA",
        datetime(2026, 11, 2, 8, 0),  # local time, as a real date cell
        "Đất đai",
        "Thôn Đông",
        "Phản ánh",
        "Đã trả lời",
        "Trần Thị Lan",
        datetime(2026, 11, 20, 0, 0),
        datetime(2026, 11, 5, 8, 0),
        "Đã sửa đường thôn Đông.",
        5,
    ]
    assert by_code["MT-261101-0001-HH"][1] == datetime(2026, 11, 1, 0, 10)
    assert by_code["MT-261101-0001-HH"][4:7] == [
        "Khác",
        "Không đủ điều kiện xử lý",
        "Nguyễn Văn Hùng",
    ]
    # The first answer is the one exported, and a formula-like answer stays text.
    assert by_code["MT-261103-0001-BB"][8:11] == [
        datetime(2026, 11, 13, 9, 0),
        "=1+1 là nội dung, không phải công thức",
        4,
    ]
    long_answer = by_code["MT-261110-0001-CC"][9]
    assert len(long_answer) == 1000
    assert long_answer == LONG_ANSWER[:999] + "…"
    assert by_code["MT-261120-0001-DD"][3] is None
    assert by_code["MT-261120-0001-DD"][6:11] == [
        None,
        datetime(2026, 12, 10, 0, 0),
        None,
        None,
        None,
    ]


async def test_export_shows_no_identity_by_default(storage: SqliteStorage, config: Config) -> None:
    [document] = await run(storage, config, "hung", reports.send_export, "11/2026")

    data = upload_of(document).data
    for sheet in ("Phiếu", "Thống kê"):
        values = {str(v) for row in cells(data, sheet) for v in row}
        assert not values & set(SHARED_IDENTITIES + NEVER_SHOWN + IDENTITY_HEADERS)


async def test_chair_may_include_what_citizens_agreed_to_share(
    storage: SqliteStorage, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.services.reports")

    [document] = await run(storage, config, "hung", reports.send_export, "11/2026 danh-tính")

    header, *rows = cells(upload_of(document).data, "Phiếu")
    assert header == CASE_HEADERS + IDENTITY_HEADERS
    identities = {row[0]: row[11:] for row in rows}
    assert identities == {
        "MT-261101-0001-HH": [None, None],
        "MT-261102-0001-AA": ["Trần Thị Bình", "0912345678"],
        "MT-261103-0001-BB": ["Lê Văn Cường", None],
        "MT-261110-0001-CC": [None, None],
        "MT-261120-0001-DD": [None, None],  # anonymous: never, whatever is stored
        "MT-261128-0001-EE": ["Phạm Văn Em", "0987654321"],
    }
    assert "Có thông tin người gửi" in (document.text or "")
    [access] = [r for r in caplog.records if "identity_exported" in r.getMessage()]
    assert access.getMessage() == (
        "identity_exported actor=hung period=2026-11-01_2026-11-30 cases=3"
    )
    for name in SHARED_IDENTITIES + NEVER_SHOWN:
        assert name not in caplog.text


@pytest.mark.parametrize("member_id", ["lan", "hoa"])
async def test_only_the_chair_may_include_identity(
    storage: SqliteStorage, config: Config, member_id: str
) -> None:
    with pytest.raises(UserError) as refused:
        await run(storage, config, member_id, reports.send_export, "danh-tinh")

    assert refused.value.key == "report_identity_chair_only"


async def test_exported_figures_match_the_statistics(
    storage: SqliteStorage, config: Config
) -> None:
    [document] = await run(storage, config, "hoa", reports.send_export, "11/2026")

    header, *rows = cells(upload_of(document).data, "Thống kê")
    assert header == ["Nhóm", "Chỉ tiêu", "Số liệu"]
    assert rows[:2] == [
        [None, "Kỳ báo cáo", "01/11/2026 – 30/11/2026"],
        [None, "Tổng số phiếu tiếp nhận", 6],
    ]
    for row in [
        ["Theo trạng thái", "Đã tiếp nhận", 2],
        ["Theo lĩnh vực", "Đất đai", 3],
        ["Theo thôn/tổ dân phố", "Không nêu", 1],
        ["Theo người xử lý", "Chưa có người nhận", 2],
        ["Thời hạn", "Thời gian trả lời (trung vị)", "3 ngày 0 giờ"],
        ["Thời hạn", "Đang quá hạn", 2],
        ["Ý kiến của người dân", "Điểm đánh giá trung bình (1–5)", 3.33],
        ["Ý kiến của người dân", "Phiếu phải mở lại", 2],
    ]:
        assert row in rows


async def test_csv_export_is_two_files_excel_reads_as_utf8(
    storage: SqliteStorage, config: Config
) -> None:
    cases, figures = await run(storage, config, "hung", reports.send_export, "csv 11/2026")

    assert upload_of(cases).filename == "homthu-phieu-2026-11-01_2026-11-30.csv"
    assert upload_of(figures).filename == "homthu-thong-ke-2026-11-01_2026-11-30.csv"
    assert upload_of(cases).mime_type == "text/csv"
    data = upload_of(cases).data
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert header == CASE_HEADERS
    by_code = {row[0]: row for row in rows}
    assert by_code["MT-261102-0001-AA"] == [
        "MT-261102-0001-AA",
        "02/11/2026 08:00",
        "Đất đai",
        "Thôn Đông",
        "Phản ánh",
        "Đã trả lời",
        "Trần Thị Lan",
        "20/11/2026",
        "05/11/2026 08:00",
        "Đã sửa đường thôn Đông.",
        "5",
    ]
    assert by_code["MT-261103-0001-BB"][9] == "'=1+1 là nội dung, không phải công thức"
    assert not any(name in data.decode("utf-8-sig") for name in SHARED_IDENTITIES + NEVER_SHOWN)
    stats_text = upload_of(figures).data.decode("utf-8-sig")
    assert "Theo lĩnh vực,Môi trường – vệ sinh,2" in stats_text.splitlines()


async def test_csv_export_with_identity(storage: SqliteStorage, config: Config) -> None:
    cases, _figures = await run(
        storage, config, "hung", reports.send_export, "csv danh tinh 11/2026"
    )

    text = upload_of(cases).data.decode("utf-8-sig")
    assert text.splitlines()[0].endswith("Họ tên người gửi,Số điện thoại người gửi")
    assert text.count("Trần Thị Bình,0912345678") == 1
    assert "Lộ Danh" not in text


async def test_uploads_survive_the_outbox(storage: SqliteStorage, config: Config) -> None:
    async with storage.transaction() as uow:
        turn = turn_for(uow, config, "hung")
        await reports.send_export(turn, "11/2026")
        await reports.send_statistics(turn, "11/2026")
        await uow.enqueue(turn.out, NOW)

    stored = await OutboxStore(storage.db).due(NOW, limit=10)

    assert len(stored) == 1  # one message per chat at a time, oldest first
    assert stored[0].message == turn.out[0]
    assert [Outbound.from_row(m.chat, m.to_json(), None, None, None) for m in turn.out] == turn.out
