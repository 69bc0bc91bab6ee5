"""Reports for the committee's leaders: /thongke (figures and a chart) and /xuat (XLSX or CSV).

Only the chair, the deputies and the secretary see reports. Exports carry no identity unless
the chair asks for it by name ("danh-tinh"), and then only what named citizens agreed to share.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from bot.domain.errors import UserError
from bot.domain.model import CaseState, Member, Role
from bot.domain.outbound import Outbound, Upload
from bot.domain.reports import (
    ExportFormat,
    ExportRow,
    Period,
    Statistics,
    parse_export_request,
    parse_period,
)
from bot.reporting.chart import PALETTE, Series, stacked_bar_chart
from bot.reporting.spreadsheet import CSV_MIME, XLSX_MIME, Cell, Table, csv_bytes, xlsx_bytes
from bot.services.rendering import chunks
from bot.services.turn import Turn

log = logging.getLogger(__name__)

REPORT_ROLES = frozenset({Role.CHAIR, Role.DEPUTY, Role.SECRETARY})
Value = int | float | str | None
K = TypeVar("K")


@dataclass(frozen=True)
class Section:
    """A group of figures under a heading, in plain text (escaped only when sent as HTML)."""

    title: str
    rows: list[tuple[str, Value]]


async def send_statistics(turn: Turn, args: str) -> None:
    """/thongke [period]: the period's figures as text, then a chart of cases by field and state."""
    _require_reporter(turn)
    period = parse_period(args, _today(turn))
    stats = await _statistics(turn, period)
    sections = await _sections(turn, stats)
    t = turn.render.t
    lines = [t("report_stats_title", period=period.label(), count=stats.received)]
    if stats.received == 0:
        lines.append(t("report_empty"))
    else:
        for section in sections:
            lines.append(t("report_heading", name=section.title))
            lines += [t("report_line", name=n, value=_shown(turn, v)) for n, v in section.rows]
    for chunk in chunks(lines):
        turn.send(Outbound(chat=turn.chat, text=chunk))
    png = await asyncio.to_thread(_chart, turn, period, stats)
    upload = Upload(f"homthu-thong-ke-{period.slug()}.png", "image/png", png, as_photo=True)
    caption = t("report_chart_caption", period=period.label())
    turn.send(Outbound(chat=turn.chat, text=caption, upload=upload))


async def send_export(turn: Turn, args: str) -> None:
    """/xuat [period] [xlsx|csv] [danh-tinh]: the period's cases and figures as a spreadsheet."""
    member = _require_reporter(turn)
    request = parse_export_request(args, _today(turn))
    if request.include_identity and Role.CHAIR not in member.roles:
        raise UserError("report_identity_chair_only")
    period = request.period
    start, end = period.utc_bounds(turn.config.commune.tz)
    rows = await turn.uow.stats.cases_for_export(start, end, request.include_identity)
    if request.include_identity:
        shown = sum(1 for row in rows if row.shared_name or row.shared_phone)
        await _record_identity_access(turn, period, shown)
    stats = await _statistics(turn, period)
    cases = _cases_table(turn, rows, request.include_identity)
    figures = _figures_table(turn, period, stats, await _sections(turn, stats))
    t = turn.render.t
    key = "report_export_caption_identity" if request.include_identity else "report_export_caption"
    caption = t(key, period=period.label(), count=len(rows))
    name = f"homthu-phieu-{period.slug()}"
    if request.format is ExportFormat.XLSX:
        data = await asyncio.to_thread(xlsx_bytes, [cases, figures])
        turn.send(_document(turn, f"{name}.xlsx", XLSX_MIME, data, caption))
        return
    turn.send(_document(turn, f"{name}.csv", CSV_MIME, csv_bytes(cases), caption))
    stats_caption = t("report_export_stats_caption", period=period.label())
    stats_name = f"homthu-thong-ke-{period.slug()}.csv"
    turn.send(_document(turn, stats_name, CSV_MIME, csv_bytes(figures), stats_caption))


async def _record_identity_access(turn: Turn, period: Period, count: int) -> None:
    """Identity access is accountable: who exported how many senders' details, and for when.

    The audit line never holds the citizens' data itself.
    """
    actor = turn.member.id if turn.member else "unknown"
    detail = f"period={period.slug()} cases={count}"
    await turn.uow.audit(actor, "identity_exported", None, detail, turn.now)
    log.info("identity_exported actor=%s period=%s cases=%d", actor, period.slug(), count)


def _require_reporter(turn: Turn) -> Member:
    if turn.member is None:
        raise UserError("not_member")
    if not turn.member.roles & REPORT_ROLES:
        raise UserError("reporters_only")
    return turn.member


def _today(turn: Turn) -> date:
    return turn.now.astimezone(turn.config.commune.tz).date()


async def _statistics(turn: Turn, period: Period) -> Statistics:
    start, end = period.utc_bounds(turn.config.commune.tz)
    return await turn.uow.stats.statistics(start, end, turn.now)


async def _sections(turn: Turn, stats: Statistics) -> list[Section]:
    """The figures grouped as both the message and the "Thống kê" sheet show them."""
    text = PlainText(turn)
    names: dict[str | None, str] = {None: text("report_assignee_none")}
    for member_id in stats.by_assignee:
        if member_id is not None:
            member = await turn.uow.members.get(member_id)
            names[member_id] = member.name if member else member_id
    states = [(_state_name(turn, s.value), stats.by_state.get(s.value, 0)) for s in CaseState]
    ratings = stats.ratings
    return [
        Section(text("report_section_state"), [(name, n) for name, n in states if n]),
        Section(
            text("report_section_field"),
            [(turn.render.field_name(f), n) for f, n in _largest_first(stats.by_field)],
        ),
        Section(
            text("report_section_village"),
            [(v, n) for v, n in _largest_first(_known(stats.by_village))]
            + _when_any(text("report_village_none"), stats.by_village.get(None, 0)),
        ),
        Section(
            text("report_section_member"),
            [(names[m], n) for m, n in _largest_first(_known(stats.by_assignee))]
            + _when_any(names[None], stats.by_assignee.get(None, 0)),
        ),
        Section(
            text("report_section_timeliness"),
            [
                (text("report_label_first_response"), _duration(turn, stats.median_first_response)),
                (text("report_label_answer_time"), _duration(turn, stats.median_answer)),
                (text("report_label_overdue"), stats.overdue),
                (text("report_label_on_time"), stats.answered_on_time),
                (text("report_label_late"), stats.answered_late),
            ],
        ),
        Section(
            text("report_section_ratings"),
            [
                (text("report_label_ratings"), ratings.count),
                (text("report_label_average"), ratings.average),
                (text("report_label_resolved"), ratings.resolved),
                (text("report_label_unresolved"), ratings.unresolved),
                (text("report_label_reopened"), stats.reopened),
            ],
        ),
    ]


def _chart(turn: Turn, period: Period, stats: Statistics) -> bytes:
    """Cases by field (largest first, as in the text), stacked by state."""
    text = PlainText(turn)
    field_ids = [f for f, _ in _largest_first(stats.by_field)]
    series = []
    for index, state in enumerate(CaseState):
        values = tuple(stats.by_field_and_state.get((f, state.value), 0) for f in field_ids)
        if any(values):
            color = PALETTE[index % len(PALETTE)]
            series.append(Series(_state_name(turn, state.value), values, color))
    return stacked_bar_chart(
        title=text("report_chart_title", period=period.label()),
        categories=[turn.render.field_name(f) for f in field_ids],
        series=series,
        value_label=text("report_chart_axis"),
        empty_text=text("report_empty"),
    )


def _cases_table(turn: Turn, rows: list[ExportRow], include_identity: bool) -> Table:
    text = PlainText(turn)
    columns = [
        "code", "created", "field", "village", "kind", "state", "assignee", "due", "answered",
        "answer", "rating",
    ]  # fmt: skip
    if include_identity:
        columns += ["name", "phone"]
    table_rows: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = [
            row.code,
            _local(turn, row.created_at),
            turn.render.field_name(row.field_id),
            row.village,
            _catalogue_name(turn, "kind", row.kind),
            _state_name(turn, row.state),
            row.assignee,
            _local(turn, row.due_at).date(),
            _local(turn, row.answered_at) if row.answered_at else None,
            row.answer,
            row.rating,
        ]
        if include_identity:
            cells += [row.shared_name, row.shared_phone]
        table_rows.append(cells)
    headers = tuple(text(f"report_col_{column}") for column in columns)
    return Table(text("report_sheet_cases"), headers, table_rows)


def _figures_table(turn: Turn, period: Period, stats: Statistics, sections: list[Section]) -> Table:
    text = PlainText(turn)
    rows: list[list[Cell]] = [
        ["", text("report_label_period"), period.label()],
        ["", text("report_label_total"), stats.received],
    ]
    for section in sections:
        rows += [[section.title, label, value] for label, value in section.rows]
    headers = (text("report_col_group"), text("report_col_item"), text("report_col_value"))
    return Table(text("report_sheet_stats"), headers, rows)


def _document(turn: Turn, filename: str, mime: str, data: bytes, caption: str) -> Outbound:
    return Outbound(chat=turn.chat, text=caption, upload=Upload(filename, mime, data))


class PlainText:
    """Catalogue sentences as plain text, for files and images (no HTML parse mode there)."""

    def __init__(self, turn: Turn) -> None:
        self._t = turn.render.t

    def __call__(self, key: str, **params: object) -> str:
        """The sentence `key`, filled in, with HTML entities turned back into characters."""
        return html.unescape(self._t(key, **params))


def _state_name(turn: Turn, state: str) -> str:
    return _catalogue_name(turn, "state", state)


def _catalogue_name(turn: Turn, prefix: str, value: str) -> str:
    key = f"{prefix}_{value}"
    return html.unescape(turn.render.t(key)) if turn.render.t.has(key) else value


def _local(turn: Turn, instant: datetime) -> datetime:
    """A local wall-clock time without zone: what a spreadsheet cell can hold."""
    return instant.astimezone(turn.config.commune.tz).replace(tzinfo=None)


def _duration(turn: Turn, duration: timedelta | None) -> str | None:
    if duration is None:
        return None
    minutes = round(duration.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = PlainText(turn)
    if days:
        return text("report_duration_days", days=days, hours=hours)
    return text("report_duration_hours", hours=hours, minutes=minutes)


def _shown(turn: Turn, value: Value) -> str:
    """A figure in a sentence: "chưa có" for no data, decimals the locale's way (4,5 in vi)."""
    if value is None:
        return html.unescape(turn.render.t("report_value_none"))
    if isinstance(value, float):
        shown = f"{value:.1f}"
        return shown.replace(".", ",") if turn.render.t.locale == "vi" else shown
    return str(value)


def _largest_first(counts: Mapping[K, int]) -> list[tuple[K, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))


def _known(counts: Mapping[str | None, int]) -> dict[str, int]:
    return {key: n for key, n in counts.items() if key is not None}


def _when_any(label: str, count: int) -> list[tuple[str, Value]]:
    return [(label, count)] if count else []
