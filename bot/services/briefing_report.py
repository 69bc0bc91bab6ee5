"""The briefing pack's Word report: the figures composed as the parts of an administrative
report (bot.reporting.briefing_docx lays them out per Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

from bot.reporting.briefing_docx import AdminReport, DocTable, Item, Part, admin_report_docx
from bot.services.briefing_view import BriefingView

# Leading administrative words dropped from the commune's name where the report names the place.
_UNIT_WORDS = ("thị trấn ", "đặc khu ", "phường ", "xã ")


def briefing_report(view: BriefingView) -> bytes:
    """The pack's Word report, laid out as a Vietnamese administrative text."""
    p, f = view.plain, view.figures
    today = view.now.astimezone(view.tz).date()
    chairs = view.config.chairs
    report = AdminReport(
        nation=p("briefing_doc_nation"),
        motto=p("briefing_doc_motto"),
        parent_body=view.config.privacy.controller,
        body=view.config.commune.body_name,
        number=p("briefing_doc_number"),
        # Nghị định 30/2020: days below 10 and months below 3 are written with a leading 0.
        place_and_date=p(
            "briefing_doc_place_date",
            place=place_name(view.config.commune.name),
            day=f"{today.day:02d}",
            month=f"{today.month:02d}" if today.month < 3 else str(today.month),
            year=today.year,
        ),
        kind=p("briefing_doc_kind"),
        subject=p(
            "briefing_doc_subject",
            title=view.meeting.title,
            when=view.render.date(view.occurrence.starts_at),
        ),
        intro=[
            p(
                "briefing_doc_intro",
                since=view.render.datetime(f.since),
                until=view.render.datetime(f.until),
                received=f.total.received,
                answered=f.total.answered,
                overdue=f.total.overdue,
            )
        ],
        parts=[
            Part(p("briefing_doc_part_cases"), items=_tally_items(view)),
            Part(p("briefing_doc_part_overdue"), _overdue_blocks(view)),
            Part(p("briefing_doc_part_ratings"), _rating_blocks(view)),
            Part(p("briefing_doc_part_conclusions"), _conclusion_blocks(view)),
            Part(p("briefing_doc_part_proposals"), [p("briefing_doc_proposals")]),
        ],
        recipients_label=p("briefing_doc_recipients_label"),
        recipients=[p("briefing_doc_recipient_members"), p("briefing_doc_recipient_archive")],
        signer_capacity=[p("briefing_doc_signer_on_behalf"), p("briefing_doc_signer_title")],
        signer_name=chairs[0].name if chairs else "",
    )
    return admin_report_docx(report)


def _tally_items(view: BriefingView) -> list[Item]:
    p = view.plain
    columns = {
        "briefing_section_field": "briefing_doc_col_field",
        "briefing_section_village": "briefing_doc_col_village",
        "briefing_section_member": "briefing_doc_col_member",
    }
    items = []
    for (title, rows), column in zip(view.tallies(), columns.values(), strict=True):
        headers = (
            p("briefing_doc_col_number"),
            p(column),
            p("briefing_doc_col_received"),
            p("briefing_doc_col_answered"),
            p("briefing_doc_col_overdue"),
        )
        body = [
            (str(i), name, str(v.received), str(v.answered), str(v.overdue))
            for i, (name, v) in enumerate(rows, start=1)
        ]
        total = view.figures.total
        body.append(
            (
                "",
                p("briefing_doc_total"),
                str(total.received),
                str(total.answered),
                str(total.overdue),
            )
        )
        items.append(Item(title, [DocTable(headers, body)]))
    return items


def _overdue_blocks(view: BriefingView) -> list[str | DocTable]:
    p = view.plain
    if not view.figures.overdue:
        return [p("briefing_doc_none")]
    headers = tuple(
        p(f"briefing_doc_col_{c}")
        for c in ("number", "code", "field", "village", "member", "due", "days_late")
    )
    rows = [
        (
            str(i),
            c.code,
            view.render.field_name(c.field_id),
            view.village(c.village),
            view.owner(c.owner_id),
            view.render.date(c.due_at),
            str(view.days_late(c.due_at)),
        )
        for i, c in enumerate(view.figures.overdue, start=1)
    ]
    return [DocTable(headers, rows)]


def _rating_blocks(view: BriefingView) -> list[str | DocTable]:
    p, f = view.plain, view.figures
    blocks: list[str | DocTable] = [
        p(
            "briefing_doc_ratings",
            count=f.ratings.count,
            average=view.average(),
            resolved=f.ratings.resolved,
            unresolved=f.ratings.unresolved,
            reopened=len(f.reopened),
        )
    ]
    if f.ratings.count:
        scores = [
            (p("briefing_doc_score", score=score), str(f.scores.get(score, 0)))
            for score in range(5, 0, -1)
        ]
        blocks.append(DocTable((p("briefing_doc_col_score"), p("briefing_doc_col_count")), scores))
    if f.reopened:
        headers = tuple(p(f"briefing_doc_col_{c}") for c in ("number", "code", "field", "member"))
        rows = [
            (str(i), c.code, view.render.field_name(c.field_id), view.owner(c.owner_id))
            for i, c in enumerate(f.reopened, start=1)
        ]
        blocks.append(DocTable(headers, rows))
    return blocks


def _conclusion_blocks(view: BriefingView) -> list[str | DocTable]:
    p = view.plain
    if not view.figures.conclusions:
        return [p("briefing_doc_none")]
    headers = tuple(p(f"briefing_doc_col_{c}") for c in ("number", "text", "owner", "due", "case"))
    rows = [
        (
            str(i),
            c.text,
            view.owner(c.owner_id, "briefing_conclusion_owner_none"),
            view.conclusion_due(c.due_on),
            c.case_code or "",
        )
        for i, c in enumerate(view.figures.conclusions, start=1)
    ]
    return [DocTable(headers, rows)]


def place_name(commune: str) -> str:
    """Where a report is dated: the commune's name without «Xã», «Phường» or «Thị trấn»."""
    lowered = commune.lower()
    for word in _UNIT_WORDS:
        if lowered.startswith(word):
            return commune[len(word) :].strip()
    return commune
