"""A report as a Word document laid out like a Vietnamese administrative text (pure: data in, bytes out).

The layout follows Nghị định 30/2020/NĐ-CP (công tác văn thư), Phụ lục I: A4 paper; margins top
and bottom 20 mm, left 30 mm, right 15 mm (the narrow end of each allowed range, so tables fit);
Times New Roman; body 14 pt; the national heading (Quốc hiệu, 13 pt bold capitals, and Tiêu ngữ,
14 pt bold, with a rule under it) on the right and the issuing body on the left (its parent in
plain capitals, itself in bold capitals); the place and date in italics; the document kind in
bold capitals with its subject in bold below; parts numbered I., II. and items 1., 2. in bold;
"Nơi nhận:" in 12 pt bold italics with its list in 11 pt; the signer's capacity in bold capitals
and their name in bold. Officials edit and print the file, so everything is plain paragraphs
and tables in Word's own styles: no text boxes, no fields.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
HEADING_PT = 13  # Quốc hiệu and the issuing body's name
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11
A4 = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(2.0), "bottom": Cm(2.0), "left": Cm(3.0), "right": Cm(1.5)}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# The order ECMA-376 requires of paragraph and table-row properties (Word refuses a file that
# breaks it); python-docx knows it but does not expose it for the two elements added here.
PARAGRAPH_PROPERTY_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)  # fmt: skip
ROW_PROPERTY_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins",
    "w:del", "w:trPrChange",
)  # fmt: skip


@dataclass(frozen=True)
class DocTable:
    """A table with a bold header row; every cell is text."""

    headers: tuple[str, ...]
    rows: Sequence[Sequence[str]]


Block = str | DocTable  # a str is a body paragraph


@dataclass(frozen=True)
class Item:
    """A numbered item (1., 2.) of a part."""

    heading: str
    blocks: Sequence[Block] = ()


@dataclass(frozen=True)
class Part:
    """A part numbered I., II. …: its heading (shown in capitals), text, then its items."""

    heading: str
    blocks: Sequence[Block] = ()
    items: Sequence[Item] = ()


@dataclass(frozen=True)
class AdminReport:
    """Everything the document says, already in words; the layout is this module's business."""

    nation: str  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    motto: str  # Độc lập - Tự do - Hạnh phúc
    parent_body: str  # the issuing body's superior, e.g. the commune's People's Committee
    body: str  # the issuing body
    number: str  # Số: …/BC-BCĐ
    place_and_date: str  # Mỹ Thành, ngày 27 tháng 11 năm 2026
    kind: str  # BÁO CÁO
    subject: str
    parts: Sequence[Part]
    recipients_label: str  # Nơi nhận:
    recipients: Sequence[str]
    signer_capacity: Sequence[str]  # T/M BAN CHỈ ĐẠO / TRƯỞNG BAN
    signer_name: str
    intro: Sequence[str] = field(default_factory=tuple)


def admin_report_docx(report: AdminReport) -> bytes:
    """The report as .docx bytes."""
    document = Document()
    _page_setup(document)
    _heading(document, report)
    _title(document, report)
    for text in report.intro:
        _body(document.add_paragraph(), text)
    for number, part in enumerate(report.parts):
        _bold_line(document.add_paragraph(), f"{ROMAN[number]}. {part.heading.upper()}")
        _blocks(document, part.blocks)
        for index, item in enumerate(part.items, start=1):
            _bold_line(document.add_paragraph(), f"{index}. {item.heading}")
            _blocks(document, item.blocks)
    _signature(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: DocxDocument) -> None:

    for section in document.sections:
        section.page_width, section.page_height = A4
        section.top_margin = MARGINS["top"]
        section.bottom_margin = MARGINS["bottom"]
        section.left_margin = MARGINS["left"]
        section.right_margin = MARGINS["right"]
    normal = document.styles["Normal"]
    font = normal.font
    font.name = FONT
    font.size = Pt(BODY_PT)
    # Word picks the font per script; name it for all of them so Vietnamese never falls back.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_after = Pt(6)
    paragraph_format.line_spacing = 1.15


def _heading(document: DocxDocument, report: AdminReport) -> None:
    """Issuing body on the left, national heading on the right, no borders."""

    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(7.0), Cm(9.5)
    _centred(left.paragraphs[0], report.parent_body.upper(), HEADING_PT)
    _centred(left.add_paragraph(), report.body.upper(), HEADING_PT, bold=True)
    _rule(left.add_paragraph(), Cm(2.0), Cm(7.0))
    _centred(left.add_paragraph(), report.number, HEADING_PT)
    _centred(right.paragraphs[0], report.nation.upper(), HEADING_PT, bold=True)
    _centred(right.add_paragraph(), report.motto, BODY_PT, bold=True)
    _rule(right.add_paragraph(), Cm(5.0), Cm(9.5))
    _centred(right.add_paragraph(), report.place_and_date, BODY_PT, italic=True)


def _title(document: DocxDocument, report: AdminReport) -> None:

    kind = document.add_paragraph()
    kind.paragraph_format.space_before = Pt(12)
    kind.paragraph_format.space_after = Pt(0)
    _centred(kind, report.kind.upper(), BODY_PT, bold=True)
    subject = document.add_paragraph()
    _centred(subject, report.subject, BODY_PT, bold=True)
    _rule(document.add_paragraph(), Cm(4.0), Cm(16.5))


def _blocks(document: DocxDocument, blocks: Sequence[Block]) -> None:

    for block in blocks:
        if isinstance(block, DocTable):
            _table(document, block)
        else:
            _body(document.add_paragraph(), block)


def _table(document: DocxDocument, spec: DocTable) -> None:

    table = document.add_table(rows=1, cols=len(spec.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, spec.headers, strict=True):
        _centred(cell.paragraphs[0], header, TABLE_PT, bold=True)
    for values in spec.rows:
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if column > 0 and value.replace(",", "").replace(".", "").isdigit():
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, value, TABLE_PT)
    _repeat_header(table)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _signature(document: DocxDocument, report: AdminReport) -> None:
    """«Nơi nhận» on the left, the signer on the right, side by side as in every such text."""

    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8.0), Cm(8.5)
    label = left.paragraphs[0]
    _run(label, report.recipients_label, RECIPIENTS_LABEL_PT, bold=True, italic=True)
    label.paragraph_format.space_after = Pt(0)
    for line in report.recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, line, RECIPIENTS_PT)
    first = True
    for line in report.signer_capacity:
        paragraph = right.paragraphs[0] if first else right.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        _centred(paragraph, line.upper(), BODY_PT, bold=True)
        first = False
    for _ in range(4):  # room for the signature and the seal
        right.add_paragraph()
    _centred(right.add_paragraph(), report.signer_name, BODY_PT, bold=True)


def _body(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.0)
    _run(paragraph, text, BODY_PT)


def _bold_line(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.0)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, BODY_PT, bold=True)


def _centred(
    paragraph: Paragraph, text: str, size: int, *, bold: bool = False, italic: bool = False
) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, size, bold=bold, italic=italic)


def _run(
    paragraph: Paragraph, text: str, size: int, *, bold: bool = False, italic: bool = False
) -> None:
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic


def _rule(paragraph: Paragraph, width: Length, within: Length) -> None:
    """A short centred horizontal line (a paragraph's bottom border between indents)."""
    margin = Length(max(within - width, 0) // 2)
    paragraph.paragraph_format.left_indent = margin
    paragraph.paragraph_format.right_indent = margin
    paragraph.paragraph_format.space_after = Pt(4)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # Word rejects a file whose properties are out of the schema's order: pBdr goes before these.
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(borders, *_after("w:pBdr", PARAGRAPH_PROPERTY_ORDER))
    # A one-point line height: the paragraph exists only to carry its border.
    run = paragraph.add_run()
    run.font.size = Pt(1)


def _repeat_header(table: Table) -> None:
    """Repeat the header row on every printed page."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.insert_element_before(header, *_after("w:tblHeader", ROW_PROPERTY_ORDER))


def _after(tag: str, sequence: Sequence[str]) -> Sequence[str]:
    """The tags that must follow `tag` in an element's schema sequence."""
    return sequence[sequence.index(tag) + 1 :]
