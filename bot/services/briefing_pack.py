"""The briefing pack a meeting reads (issue 4): a chat message, a chart and a Word report.

Built from live data when it is sent (see bot.domain.briefing for the period and what counts).
It goes to the chairs and secretaries, not to every attendee: it lists overdue work by owner,
and the secretary is the one who edits, signs off and circulates the printed report. By default
it goes with an occurrence's first reminder and again with its last (`[[meetings]] pack`), once
each (table briefing_packs); chairs, deputies and secretaries can also ask for it with /baocaohop.
The pack names cases by tracking code only, never a citizen; anonymous cases stay anonymous.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from bot.config import Config, MeetingConfig
from bot.domain.briefing import (
    BriefingFigures,
    PackMoment,
    Tally,
    briefing_since,
    pack_moments,
    tally,
)
from bot.domain.errors import UserError
from bot.domain.meetings import MeetingReminder, Occurrence, reminder_times
from bot.domain.model import ChatRef, Member, Role
from bot.domain.outbound import Outbound, Upload
from bot.domain.ports import UnitOfWork
from bot.reporting.briefing_docx import AdminReport, DocTable, Item, Part, admin_report_docx
from bot.reporting.chart import PALETTE, Series, grouped_bar_chart
from bot.services.rendering import CHUNK_LIMIT, Renderer
from bot.services.turn import Turn
from bot.texts.catalogue import Texts

# Who receives the pack with the reminders, and who may ask for it.
RECIPIENT_ROLES = frozenset({Role.CHAIR, Role.SECRETARY})
ASKING_ROLES = frozenset({Role.CHAIR, Role.DEPUTY, Role.SECRETARY})
LIST_LIMIT = 10  # lines per list in the chat message; the Word report has them all
CONCLUSION_CHARS = 200  # a conclusion's text in the chat message
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Leading administrative words dropped from the commune's name where the report names the place.
_UNIT_WORDS = ("thị trấn ", "đặc khu ", "phường ", "xã ")
K = TypeVar("K")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pack:
    """One occurrence's pack, rendered once and sent to each recipient."""

    text: list[str]  # chat messages, each within Telegram's limit
    chart: bytes  # PNG
    document: bytes  # .docx
    slug: str  # the meeting and its date, for file names
    chart_caption: str
    document_caption: str


async def packs_with_reminders(
    uow: UnitOfWork,
    config: Config,
    render: Renderer,
    sent: Sequence[MeetingReminder],
    now: datetime,
) -> list[Outbound]:
    """The packs due with these reminders: an occurrence's first and/or last, once each."""
    out: list[Outbound] = []
    for occurrence_id in dict.fromkeys(row.occurrence_id for row in sent):
        occurrence = await uow.meetings.occurrence(occurrence_id)
        meeting = None if occurrence is None else _meeting(config, occurrence)
        if occurrence is None or meeting is None:
            continue
        times = reminder_times(occurrence.starts_at, meeting.remind_before)
        moments: set[PackMoment] = set()
        for row in sent:
            if row.occurrence_id == occurrence_id:
                moments |= pack_moments(row.due_at, times)
        claimed = [
            moment
            for moment in sorted(moments & set(meeting.pack))
            if await uow.briefing.claim_pack(occurrence_id, moment, now)
        ]
        if claimed:  # a lone reminder is both first and last: one pack
            recipients = pack_recipients(await uow.members.all_active())
            out += await briefing_pack_messages(
                uow, config, render, occurrence, meeting, recipients, now
            )
            log.info(
                "briefing pack for meeting %s on %s (%s) queued for %s",
                meeting.id,
                occurrence.starts_at.isoformat(),
                "+".join(claimed),
                ",".join(m.id for m in recipients) or "nobody (no chair or secretary reachable)",
            )
    return out


async def briefing_pack_messages(
    uow: UnitOfWork,
    config: Config,
    render: Renderer,
    occurrence: Occurrence,
    meeting: MeetingConfig,
    recipients: Sequence[Member],
    now: datetime,
) -> list[Outbound]:
    """The pack for each recipient: its message(s), the chart as a photo, the Word document."""
    reachable = [m for m in recipients if m.chat is not None and m.reachable]
    if not reachable:
        return []
    pack = await build_pack(uow, config, render, occurrence, meeting, now)
    out: list[Outbound] = []
    for member in reachable:
        assert member.chat is not None
        out += _messages(pack, member.chat, member.id)
    return out


def pack_recipients(members: Iterable[Member]) -> list[Member]:
    """The chairs and secretaries the bot can reach."""
    return [m for m in members if m.roles & RECIPIENT_ROLES and m.chat and m.reachable]


async def send_briefing(turn: Turn, _args: str) -> None:
    """/baocaohop: the pack of the next meeting (or of the latest one), for the asker only."""
    if turn.member is None:
        raise UserError("not_member")
    if not turn.member.roles & ASKING_ROLES:
        raise UserError("reporters_only")
    occurrence = next(iter(await turn.uow.meetings.upcoming(turn.now, 1)), None)
    if occurrence is None:
        occurrence = await turn.uow.briefing.latest_started(turn.now)
    meeting = None if occurrence is None else _meeting(turn.config, occurrence)
    if occurrence is None or meeting is None:
        turn.say("briefing_no_meeting")
        return
    pack = await build_pack(turn.uow, turn.config, turn.render, occurrence, meeting, turn.now)
    turn.send(*_messages(pack, turn.chat, turn.member.id))


async def build_pack(
    uow: UnitOfWork,
    config: Config,
    render: Renderer,
    occurrence: Occurrence,
    meeting: MeetingConfig,
    now: datetime,
) -> Pack:
    """Read the figures and render the message, the chart and the document."""
    figures = await gather_figures(uow, occurrence, now)
    names = await _member_names(uow, figures)
    view = _View(render, config, meeting, occurrence, figures, names, now)
    chart = await asyncio.to_thread(view.chart)  # matplotlib and python-docx take a while:
    document = await asyncio.to_thread(view.document)  # keep the event loop free meanwhile
    local = occurrence.starts_at.astimezone(config.commune.tz)
    when = render.datetime(occurrence.starts_at)
    return Pack(
        text=view.message(),
        chart=chart,
        document=document,
        slug=f"{meeting.id}-{local:%Y-%m-%d}",
        chart_caption=render.t("briefing_chart_caption", title=meeting.title, when=when),
        document_caption=render.t("briefing_doc_caption", title=meeting.title, when=when),
    )


async def gather_figures(uow: UnitOfWork, occurrence: Occurrence, now: datetime) -> BriefingFigures:
    """The figures of the pack for `occurrence`, as they stand at `now`."""
    previous = await uow.briefing.previous_start(occurrence.meeting_id, occurrence.starts_at)
    since = briefing_since(previous, occurrence.starts_at)
    until = max(now, since)
    total, by_field, by_village, by_member = tally(await uow.briefing.case_facts(since, until, now))
    ratings, scores = await uow.briefing.ratings(since, until)
    return BriefingFigures(
        since=since,
        until=until,
        total=total,
        by_field=by_field,
        by_village=by_village,
        by_member=by_member,
        overdue=await uow.briefing.overdue_cases(now),
        ratings=ratings,
        scores=scores,
        reopened=await uow.briefing.reopened(since, until),
        conclusions=await uow.briefing.open_conclusions(),
    )


def _messages(pack: Pack, chat: ChatRef, member_id: str) -> list[Outbound]:
    """The pack as one person receives it: the text, then the chart, then the document."""
    out = [Outbound(chat=chat, text=text, member_id=member_id) for text in pack.text]
    chart = Upload(f"giao-ban-{pack.slug}.png", "image/png", pack.chart, as_photo=True)
    out.append(Outbound(chat=chat, text=pack.chart_caption, upload=chart, member_id=member_id))
    document = Upload(f"bao-cao-giao-ban-{pack.slug}.docx", DOCX_MIME, pack.document)
    out.append(
        Outbound(chat=chat, text=pack.document_caption, upload=document, member_id=member_id)
    )
    return out


async def _member_names(uow: UnitOfWork, figures: BriefingFigures) -> dict[str, str]:
    """Display names of every member the pack mentions (the id if no longer on the roster)."""
    ids = {m for m in figures.by_member if m is not None}
    ids |= {c.owner_id for c in figures.overdue if c.owner_id is not None}
    ids |= {c.owner_id for c in figures.reopened if c.owner_id is not None}
    ids |= {c.owner_id for c in figures.conclusions if c.owner_id is not None}
    names: dict[str, str] = {}
    for member_id in sorted(ids):
        member = await uow.members.get(member_id)
        names[member_id] = member.name if member else member_id
    return names


def _meeting(config: Config, occurrence: Occurrence) -> MeetingConfig | None:
    # Not bot.services.meetings.meeting_of: that module imports this one.
    return next((m for m in config.meetings if m.id == occurrence.meeting_id), None)


class _View:
    """The figures in words: the chat message (HTML), the chart and the document (plain text)."""

    def __init__(
        self,
        render: Renderer,
        config: Config,
        meeting: MeetingConfig,
        occurrence: Occurrence,
        figures: BriefingFigures,
        names: Mapping[str, str],
        now: datetime,
    ) -> None:
        self.render = render
        self.config = config
        self.meeting = meeting
        self.occurrence = occurrence
        self.figures = figures
        self.names = names
        self.now = now
        self.tz = config.commune.tz

    def plain(self, key: str, **params: object) -> str:
        """A catalogue sentence as plain text (for the chart and the document)."""
        return html.unescape(self.render.t(key, **params))

    def owner(self, member_id: str | None, nobody: str = "briefing_owner_none") -> str:
        """Who has it, in words."""
        if member_id is None:
            return self.plain(nobody)
        return self.names.get(member_id, member_id)

    def village(self, village: str | None) -> str:
        """A village, or «Không nêu»."""
        return village if village is not None else self.plain("briefing_village_none")

    def days_late(self, due_at: datetime) -> int:
        """Whole local days between the deadline's day and today."""
        return (self.now.astimezone(self.tz).date() - due_at.astimezone(self.tz).date()).days

    def average(self) -> str:
        """The average score the locale's way (3,3 in Vietnamese), or «chưa có»."""
        average = self.figures.ratings.average
        if average is None:
            return self.plain("briefing_average_none")
        shown = f"{average:.1f}"
        return shown.replace(".", ",") if self.render.t.locale == "vi" else shown

    def conclusion_due(self, due_on: date | None) -> str:
        """A conclusion's due date, flagged when past."""
        if due_on is None:
            return self.plain("briefing_due_none")
        shown = f"{due_on:%d/%m/%Y}"
        if due_on < self.now.astimezone(self.tz).date():
            return self.plain("briefing_due_late", due=shown)
        return shown

    def tallies(self) -> list[tuple[str, list[tuple[str, Tally]]]]:
        """Each breakdown's title and its rows in words, largest first."""
        f = self.figures
        return [
            (
                self.plain("briefing_section_field"),
                [(self.render.field_name(k), v) for k, v in _largest_first(f.by_field)],
            ),
            (
                self.plain("briefing_section_village"),
                [(self.village(k), v) for k, v in _largest_first(f.by_village)],
            ),
            (
                self.plain("briefing_section_member"),
                [(self.owner(k), v) for k, v in _largest_first(f.by_member)],
            ),
        ]

    # The chat message ------------------------------------------------------------------------

    def message(self) -> list[str]:
        """The chat message in lines joined into pieces within Telegram's limit."""
        t, f = self.render.t, self.figures
        lines = [
            t(
                "briefing_title",
                title=self.meeting.title,
                when=self.render.datetime(self.occurrence.starts_at),
                place=self.meeting.place,
                since=self.render.datetime(f.since),
                until=self.render.datetime(f.until),
            ),
            t("briefing_heading", name=self.plain("briefing_section_totals")),
            t(
                "briefing_totals",
                received=f.total.received,
                answered=f.total.answered,
                overdue=f.total.overdue,
            ),
        ]
        for title, rows in self.tallies():
            if not rows:
                continue
            lines.append(t("briefing_heading", name=title))
            lines.append(t("briefing_tally_hint"))
            lines += _capped(
                [
                    t(
                        "briefing_tally",
                        name=n,
                        received=v.received,
                        answered=v.answered,
                        overdue=v.overdue,
                    )
                    for n, v in rows
                ],
                t,
            )
        lines.append(t("briefing_heading", name=self.plain("briefing_section_overdue")))
        lines += _capped(
            [
                t(
                    "briefing_overdue_line",
                    code=c.code,
                    field=self.render.field_name(c.field_id),
                    village=self.village(c.village),
                    due=self.render.date(c.due_at),
                    days=self.days_late(c.due_at),
                    owner=self.owner(c.owner_id),
                )
                for c in f.overdue
            ],
            t,
        )
        lines.append(t("briefing_heading", name=self.plain("briefing_section_ratings")))
        lines.append(
            t(
                "briefing_ratings",
                count=f.ratings.count,
                average=self.average(),
                resolved=f.ratings.resolved,
                unresolved=f.ratings.unresolved,
                reopened=len(f.reopened),
            )
        )
        if f.reopened:
            lines.append(t("briefing_heading", name=self.plain("briefing_section_reopened")))
            lines += _capped(
                [
                    t(
                        "briefing_reopened_line",
                        code=c.code,
                        field=self.render.field_name(c.field_id),
                        owner=self.owner(c.owner_id),
                    )
                    for c in f.reopened
                ],
                t,
            )
        lines.append(t("briefing_heading", name=self.plain("briefing_section_conclusions")))
        lines += _capped(
            [
                t(
                    "briefing_conclusion_line",
                    text=_shorten(c.text, CONCLUSION_CHARS),
                    owner=self.owner(c.owner_id, "briefing_conclusion_owner_none"),
                    due=self.conclusion_due(c.due_on),
                )
                for c in f.conclusions
            ],
            t,
        )
        lines.append("\n" + t("briefing_files_follow"))
        return list(_chunks(lines, CHUNK_LIMIT))

    # The chart -------------------------------------------------------------------------------

    def chart(self) -> bytes:
        """Received, answered and overdue per field, side by side."""
        rows = [(self.render.field_name(k), v) for k, v in _largest_first(self.figures.by_field)]
        # Fixed colours per measure, so every meeting's chart reads the same way.
        series = [
            Series(
                self.plain("briefing_chart_received"),
                tuple(v.received for _, v in rows),
                PALETTE[4],
            ),
            Series(
                self.plain("briefing_chart_answered"),
                tuple(v.answered for _, v in rows),
                PALETTE[2],
            ),
            Series(
                self.plain("briefing_chart_overdue"), tuple(v.overdue for _, v in rows), PALETTE[5]
            ),
        ]
        return grouped_bar_chart(
            title=self.plain(
                "briefing_chart_title",
                since=self.render.date(self.figures.since),
                until=self.render.date(self.figures.until),
            ),
            categories=[name for name, _ in rows],
            series=series,
            value_label=self.plain("briefing_chart_axis"),
            empty_text=self.plain("briefing_chart_empty"),
        )

    # The Word document -----------------------------------------------------------------------

    def document(self) -> bytes:
        """The report, laid out as a Vietnamese administrative text."""
        p, f = self.plain, self.figures
        today = self.now.astimezone(self.tz).date()
        chairs = self.config.chairs
        report = AdminReport(
            nation=p("briefing_doc_nation"),
            motto=p("briefing_doc_motto"),
            parent_body=self.config.privacy.controller,
            body=self.config.commune.body_name,
            number=p("briefing_doc_number"),
            # Nghị định 30/2020: days below 10 and months below 3 are written with a leading 0.
            place_and_date=p(
                "briefing_doc_place_date",
                place=place_name(self.config.commune.name),
                day=f"{today.day:02d}",
                month=f"{today.month:02d}" if today.month < 3 else str(today.month),
                year=today.year,
            ),
            kind=p("briefing_doc_kind"),
            subject=p(
                "briefing_doc_subject",
                title=self.meeting.title,
                when=self.render.date(self.occurrence.starts_at),
            ),
            intro=[
                p(
                    "briefing_doc_intro",
                    since=self.render.datetime(f.since),
                    until=self.render.datetime(f.until),
                    received=f.total.received,
                    answered=f.total.answered,
                    overdue=f.total.overdue,
                )
            ],
            parts=[
                Part(p("briefing_doc_part_cases"), items=self._tally_items()),
                Part(p("briefing_doc_part_overdue"), self._overdue_blocks()),
                Part(p("briefing_doc_part_ratings"), self._rating_blocks()),
                Part(p("briefing_doc_part_conclusions"), self._conclusion_blocks()),
                Part(p("briefing_doc_part_proposals"), [p("briefing_doc_proposals")]),
            ],
            recipients_label=p("briefing_doc_recipients_label"),
            recipients=[p("briefing_doc_recipient_members"), p("briefing_doc_recipient_archive")],
            signer_capacity=[p("briefing_doc_signer_on_behalf"), p("briefing_doc_signer_title")],
            signer_name=chairs[0].name if chairs else "",
        )
        return admin_report_docx(report)

    def _tally_items(self) -> list[Item]:
        p = self.plain
        columns = {
            "briefing_section_field": "briefing_doc_col_field",
            "briefing_section_village": "briefing_doc_col_village",
            "briefing_section_member": "briefing_doc_col_member",
        }
        items = []
        for (title, rows), column in zip(self.tallies(), columns.values(), strict=True):
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
            total = self.figures.total
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

    def _overdue_blocks(self) -> list[str | DocTable]:
        p = self.plain
        if not self.figures.overdue:
            return [p("briefing_doc_none")]
        headers = tuple(
            p(f"briefing_doc_col_{c}")
            for c in ("number", "code", "field", "village", "member", "due", "days_late")
        )
        rows = [
            (
                str(i),
                c.code,
                self.render.field_name(c.field_id),
                self.village(c.village),
                self.owner(c.owner_id),
                self.render.date(c.due_at),
                str(self.days_late(c.due_at)),
            )
            for i, c in enumerate(self.figures.overdue, start=1)
        ]
        return [DocTable(headers, rows)]

    def _rating_blocks(self) -> list[str | DocTable]:
        p, f = self.plain, self.figures
        blocks: list[str | DocTable] = [
            p(
                "briefing_doc_ratings",
                count=f.ratings.count,
                average=self.average(),
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
            blocks.append(
                DocTable((p("briefing_doc_col_score"), p("briefing_doc_col_count")), scores)
            )
        if f.reopened:
            headers = tuple(
                p(f"briefing_doc_col_{c}") for c in ("number", "code", "field", "member")
            )
            rows = [
                (str(i), c.code, self.render.field_name(c.field_id), self.owner(c.owner_id))
                for i, c in enumerate(f.reopened, start=1)
            ]
            blocks.append(DocTable(headers, rows))
        return blocks

    def _conclusion_blocks(self) -> list[str | DocTable]:
        p = self.plain
        if not self.figures.conclusions:
            return [p("briefing_doc_none")]
        headers = tuple(
            p(f"briefing_doc_col_{c}") for c in ("number", "text", "owner", "due", "case")
        )
        rows = [
            (
                str(i),
                c.text,
                self.owner(c.owner_id, "briefing_conclusion_owner_none"),
                self.conclusion_due(c.due_on),
                c.case_code or "",
            )
            for i, c in enumerate(self.figures.conclusions, start=1)
        ]
        return [DocTable(headers, rows)]


def place_name(commune: str) -> str:
    """Where a report is dated: the commune's name without «Xã», «Phường» or «Thị trấn»."""
    lowered = commune.lower()
    for word in _UNIT_WORDS:
        if lowered.startswith(word):
            return commune[len(word) :].strip()
    return commune


def _largest_first(counts: Mapping[K, Tally]) -> list[tuple[K, Tally]]:
    return sorted(
        counts.items(),
        key=lambda kv: (-kv[1].received, -kv[1].overdue, kv[0] is None, str(kv[0])),
    )


def _capped(lines: list[str], t: Texts) -> list[str]:
    """At most LIST_LIMIT lines, then «… và N trường hợp khác»; «Không có.» when empty."""
    if not lines:
        return [t("briefing_none")]
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], t("briefing_more", count=len(lines) - LIST_LIMIT)]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(lines: list[str], limit: int) -> Iterator[str]:
    """Whole lines joined into messages of at most `limit` characters."""
    piece: list[str] = []
    size = 0
    for line in lines:
        if piece and size + len(line) + 1 > limit:
            yield "\n".join(piece)
            piece, size = [], 0
        piece.append(line)
        size += len(line) + 1
    if piece:
        yield "\n".join(piece)
