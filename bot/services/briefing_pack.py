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
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.config import Config, MeetingConfig
from bot.domain.briefing import (
    BriefingFigures,
    PackMoment,
    briefing_since,
    pack_moments,
    tally,
)
from bot.domain.errors import UserError
from bot.domain.meetings import MeetingReminder, Occurrence, reminder_times
from bot.domain.model import ChatRef, Member, Role
from bot.domain.outbound import Outbound, Upload
from bot.domain.ports import UnitOfWork
from bot.services.briefing_report import briefing_report
from bot.services.briefing_view import BriefingView
from bot.services.meeting_lookup import meeting_for
from bot.services.rendering import Renderer
from bot.services.turn import Turn

# Who receives the pack with the reminders, and who may ask for it.
RECIPIENT_ROLES = frozenset({Role.CHAIR, Role.SECRETARY})
ASKING_ROLES = frozenset({Role.CHAIR, Role.DEPUTY, Role.SECRETARY})
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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
        meeting = None if occurrence is None else await meeting_for(uow, config, occurrence)
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
    meeting = None if occurrence is None else await meeting_for(turn.uow, turn.config, occurrence)
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
    view = BriefingView(render, config, meeting, occurrence, figures, names, now)
    chart = await asyncio.to_thread(view.chart)  # matplotlib and python-docx take a while:
    document = await asyncio.to_thread(briefing_report, view)  # keep the event loop free meanwhile
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
        conclusions=await uow.briefing.open_conclusions(since),
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
