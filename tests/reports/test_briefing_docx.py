"""The briefing pack's Word report, opened back with python-docx: the layout of a Vietnamese
administrative text (Nghị định 30/2020/NĐ-CP) and the seeded figures in its tables."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table

from bot.config import Config
from bot.reporting.briefing_docx import (
    PARAGRAPH_PROPERTY_ORDER,
    ROW_PROPERTY_ORDER,
    AdminReport,
    DocTable,
    Item,
    Part,
    admin_report_docx,
)
from bot.services.briefing_pack import build_pack
from bot.storage.unit_of_work import SqliteUnitOfWork
from tests.reports.briefing_seed import (
    add_conclusion,
    store_occurrences,
    with_briefing_meeting,
)
from tests.reports.seed import NOW, open_database, renderer, sample_config, seed_november

NEVER_SHOWN = [
    "Sealed Name",
    "Lộ Danh",
    "0900000000",
    "Lê Văn Cường",
    "Phạm Văn Em",
    "Trần Thị Bình",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> DocxDocument:
    """The pack's .docx for the 7 December meeting, with two open conclusions (built once)."""
    return Document(io.BytesIO(asyncio.run(_pack_document(tmp_path_factory.mktemp("pack")))))


async def _pack_document(folder: Path) -> bytes:
    config: Config = with_briefing_meeting(sample_config(folder))
    db = await open_database(config)
    try:
        async with db.transaction() as tx:
            await seed_november(tx)
            await store_occurrences(tx)
            await add_conclusion(
                tx, "Xử lý rác thôn Đông", owner="minh", due_on="2026-12-01",
                case_code="MT-261110-0001-CC",
            )  # fmt: skip
            await add_conclusion(tx, "Tuyên truyền quy chế dân chủ")
            occurrence = await store_occurrences(tx)
            pack = await build_pack(
                SqliteUnitOfWork(tx), config, renderer(config), occurrence, config.meetings[0], NOW
            )
    finally:
        await db.close()
    return pack.document


def paragraphs(document: DocxDocument) -> list[str]:
    """The body's paragraphs (outside tables), without empty ones."""
    return [p.text for p in document.paragraphs if p.text.strip()]


def rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_headed(document: DocxDocument, *headers: str) -> list[list[str]]:
    """The rows of the table whose header row is `headers`."""
    for table in document.tables:
        if tuple(rows(table)[0]) == headers:
            return rows(table)[1:]
    raise AssertionError(f"no table headed {headers}")


def test_the_national_heading_and_the_body_head_the_report(report: DocxDocument) -> None:
    left, right = report.tables[0].rows[0].cells
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Mỹ Thành, ngày 05 tháng 12 năm 2026",
    ]
    assert [p.text for p in left.paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN XÃ MỸ THÀNH",
        'BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ VÀ PHONG TRÀO "DÂN VẬN KHÉO"',
        "Số:        /BC-BCĐ",
    ]
    nation, motto = right.paragraphs[0].runs[0], right.paragraphs[1].runs[0]
    assert nation.bold and nation.font.size == Pt(13)
    assert motto.bold and motto.font.size == Pt(14)
    assert right.paragraphs[3].runs[0].italic  # place and date


def test_the_title_names_the_meeting_it_serves(report: DocxDocument) -> None:
    body = paragraphs(report)
    assert body[0] == "BÁO CÁO"
    assert body[1] == (
        "Tình hình tiếp nhận, giải quyết ý kiến của người dân qua Hòm thư góp ý số "
        "phục vụ hội nghị giao ban «Giao ban tháng 12» ngày 07/12/2026"
    )
    assert body[2].startswith(
        "Từ 03/11/2026 08:00 đến 05/12/2026 10:00, Hòm thư góp ý số đã tiếp nhận 5"
    )


def test_parts_and_items_are_numbered_as_officials_do(report: DocxDocument) -> None:
    numbered = [
        t for t in paragraphs(report) if t[:2] in ("I.", "II", "IV", "V.") or t[1:3] == ". "
    ]
    assert numbered == [
        "I. TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT",
        "1. Theo lĩnh vực",
        "2. Theo thôn/tổ dân phố",
        "3. Theo người xử lý",
        "II. PHIẾU QUÁ HẠN XỬ LÝ",
        "III. Ý KIẾN ĐÁNH GIÁ CỦA NGƯỜI DÂN",
        "IV. KẾT LUẬN, NHIỆM VỤ CỦA CÁC HỘI NGHỊ TRƯỚC CHƯA HOÀN THÀNH",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ]


def test_the_tables_hold_the_seeded_figures(report: DocxDocument) -> None:
    assert table_headed(report, "STT", "Lĩnh vực", "Tiếp nhận", "Đã trả lời", "Quá hạn") == [
        ["1", "Đất đai", "2", "2", "1"],
        ["2", "Môi trường – vệ sinh", "2", "1", "1"],
        ["3", "An ninh trật tự", "1", "0", "1"],
        ["", "Tổng cộng", "5", "3", "3"],
    ]
    assert table_headed(report, "STT", "Người xử lý", "Tiếp nhận", "Đã trả lời", "Quá hạn")[:3] == [
        ["1", "Chưa có người nhận", "3", "0", "2"],
        ["2", "Lê Quang Minh", "1", "1", "1"],
        ["3", "Trần Thị Lan", "1", "2", "0"],
    ]
    overdue = table_headed(
        report, "STT", "Mã phiếu", "Lĩnh vực", "Thôn/tổ dân phố", "Người xử lý", "Hạn xử lý",
        "Số ngày quá hạn",
    )  # fmt: skip
    assert overdue[1] == [
        "2", "MT-261110-0001-CC", "Môi trường – vệ sinh", "Thôn Đông", "Lê Quang Minh",
        "25/11/2026", "10",
    ]  # fmt: skip
    assert len(overdue) == 3
    assert table_headed(report, "Mức đánh giá", "Số phiếu") == [
        ["5 sao", "1"], ["4 sao", "1"], ["3 sao", "0"], ["2 sao", "0"], ["1 sao", "1"],
    ]  # fmt: skip
    assert table_headed(report, "STT", "Nội dung", "Người thực hiện", "Hạn xử lý", "Phiếu liên quan") == [
        ["1", "Xử lý rác thôn Đông", "Lê Quang Minh", "01/12/2026 (đã quá hạn)", "MT-261110-0001-CC"],
        ["2", "Tuyên truyền quy chế dân chủ", "Chưa phân công", "chưa định", ""],
    ]  # fmt: skip


def test_recipients_and_signature_close_the_report(report: DocxDocument) -> None:
    left, right = report.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "Nơi nhận:",
        "- Thành viên Ban Chỉ đạo;",
        "- Lưu: VT.",
    ]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    assert left.paragraphs[1].runs[0].font.size == Pt(11)
    signed = [p.text for p in right.paragraphs if p.text]
    assert signed == ["T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Nguyễn Văn Hùng"]


def test_a4_margins_and_times_new_roman(report: DocxDocument) -> None:
    section = report.sections[0]
    assert section.page_width and section.page_height  # stored in twentieths of a point
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins if m is not None] == [20, 20, 30, 15]
    normal = report.styles["Normal"].font  # type: ignore[attr-defined]
    assert normal.name == "Times New Roman" and normal.size == Pt(14)
    runs = [r for p in report.paragraphs for r in p.runs if r.text]
    runs += [
        r for t in report.tables for c in t._cells for p in c.paragraphs for r in p.runs if r.text
    ]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert {r.font.size for r in runs} <= {Pt(11), Pt(12), Pt(13), Pt(14)}


def test_no_citizen_identity_reaches_the_report(report: DocxDocument) -> None:
    text = "\n".join(paragraphs(report))
    text += "\n".join(c.text for t in report.tables for c in t._cells)
    for name in NEVER_SHOWN:
        assert name not in text


def test_an_empty_part_says_so_and_the_document_still_opens() -> None:
    data = admin_report_docx(
        AdminReport(
            nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            motto="Độc lập - Tự do - Hạnh phúc",
            parent_body="Ủy ban nhân dân xã Tân Lập",
            body="Ban Chỉ đạo",
            number="Số: 01/BC-BCĐ",
            place_and_date="Tân Lập, ngày 01 tháng 12 năm 2026",
            kind="Báo cáo",
            subject="Thử",
            parts=[
                Part("Trống", ["Không có."]),
                Part("Bảng", items=[Item("Một", [DocTable(("A",), [("1",)])])]),
            ],
            recipients_label="Nơi nhận:",
            recipients=["- Lưu: VT."],
            signer_capacity=["Trưởng ban"],
            signer_name="",
        )
    )
    document = Document(io.BytesIO(data))
    assert paragraphs(document)[:4] == ["BÁO CÁO", "Thử", "I. TRỐNG", "Không có."]
    assert rows(document.tables[1]) == [["A"], ["1"]]


def test_paragraph_and_row_properties_follow_the_schema_order_word_demands(
    report: DocxDocument,
) -> None:
    """Word refuses to open a file whose properties are out of order (LibreOffice forgives)."""
    checked = 0
    for element, sequence in (("w:pPr", PARAGRAPH_PROPERTY_ORDER), ("w:trPr", ROW_PROPERTY_ORDER)):
        for properties in report.element.body.iter(qn(element)):
            tags = [child.tag for child in properties]
            order = [sequence.index(t) for t in (_prefixed(tag) for tag in tags) if t in sequence]
            assert order == sorted(order), tags
            checked += 1
    assert checked > 50
    assert len(list(report.element.body.iter(qn("w:pBdr")))) == 3  # the three short rules
    assert len(list(report.element.body.iter(qn("w:tblHeader")))) >= 5


def _prefixed(tag: str) -> str:
    return "w:" + tag.rsplit("}", 1)[-1]
