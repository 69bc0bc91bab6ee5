"""The chair or the secretary creates, moves or cancels a meeting; every attendee is told.

Moving or cancelling concerns one occurrence (a recurring configured meeting keeps its other
dates). A move skips the pending reminders and plans new ones at the new start; the answers are
reset, because who could come at the old time may not at the new one: the notice of the move
asks every attendee again («Tham dự» / «Vắng»). A secretary's live attendance list, if there is
one, is edited to show the move or the cancellation. Each change is written to the audit log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import MeetingConfig
from bot.domain.errors import UserError
from bot.domain.meetings import Occurrence, chat_meeting_id, reminder_times
from bot.domain.outbound import Outbound
from bot.domain.working_days import local_day
from bot.services.meeting_live_roll import refresh_live_rolls
from bot.services.meeting_lookup import meeting_for
from bot.services.meeting_messages import agenda_line, rsvp_buttons
from bot.services.meeting_rsvp import require_organiser
from bot.services.meetings import can_write, plan_summary
from bot.services.turn import Turn

log = logging.getLogger(__name__)

# Reminders of a meeting created from the chat: a day ahead and two hours ahead.
CHAT_REMIND_BEFORE = (timedelta(days=1), timedelta(hours=2))


@dataclass(frozen=True)
class NewMeeting:
    """What the guided flow collected."""

    title: str
    starts_at: datetime  # aware
    place: str
    agenda_url: str | None
    attendees: tuple[str, ...]


async def create(turn: Turn, new: NewMeeting) -> None:
    """Store the meeting and its occurrence, plan the reminders, tell the attendees."""
    member = require_organiser(turn)
    uow, now = turn.uow, turn.now
    if new.starts_at <= now:
        raise UserError("meeting_when_past")
    number = await uow.meetings.add_chat_meeting(
        new.title,
        new.place,
        new.agenda_url,
        new.attendees,
        CHAT_REMIND_BEFORE,
        member.id,
        now,
    )
    holiday = turn.calendar.holiday_name(local_day(new.starts_at, turn.config.commune.tz))
    occurrence_id = await uow.meetings.add_occurrence(
        chat_meeting_id(number), new.starts_at, holiday
    )
    occurrence = await uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await meeting_for(uow, turn.config, occurrence)
    assert occurrence is not None and meeting is not None  # stored just above
    await _plan(turn, meeting, occurrence)
    await plan_summary(uow, meeting, occurrence, again=False)
    await uow.audit(
        member.id,
        "meeting_created",
        None,
        f"meeting={meeting.id} start={new.starts_at.isoformat()} attendees={len(new.attendees)}",
        now,
    )
    await _tell_attendees(turn, meeting, occurrence, "meeting_new", buttons=True)
    turn.say(
        "meeting_created",
        title=meeting.title,
        when=turn.render.datetime(occurrence.starts_at),
        count=len(meeting.attendees),
    )
    log.info("meeting %s created by %s", meeting.id, member.id)


async def changeable(turn: Turn, occurrence_id: int) -> tuple[Occurrence, MeetingConfig]:
    """An occurrence the acting organiser may still move or cancel, and its meeting."""
    require_organiser(turn)
    occurrence = await turn.uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await meeting_for(turn.uow, turn.config, occurrence)
    if occurrence is None or meeting is None or occurrence.retired:
        raise UserError("button_invalid")
    if occurrence.cancelled or occurrence.starts_at <= turn.now:
        raise UserError("meeting_closed")
    return occurrence, meeting


async def move(turn: Turn, occurrence_id: int, starts_at: datetime) -> None:
    """Give one occurrence a new start; everyone is asked again."""
    member = require_organiser(turn)
    occurrence, meeting = await changeable(turn, occurrence_id)
    uow, now, render = turn.uow, turn.now, turn.render
    if starts_at <= now:
        raise UserError("meeting_when_past")
    if starts_at == occurrence.starts_at:
        raise UserError("meeting_move_same")
    holiday = turn.calendar.holiday_name(local_day(starts_at, turn.config.commune.tz))
    await uow.meetings.move(occurrence.id, starts_at, holiday)
    skipped = await uow.meetings.skip_pending(occurrence.id, now)
    await uow.meetings.clear_answers(occurrence.id)
    moved = await uow.meetings.occurrence(occurrence.id)
    assert moved is not None
    await _plan(turn, meeting, moved)
    await plan_summary(uow, meeting, moved, again=True)
    await uow.audit(
        member.id,
        "meeting_moved",
        None,
        f"meeting={meeting.id} occurrence={occurrence.id}"
        f" from={occurrence.starts_at.isoformat()} to={starts_at.isoformat()}",
        now,
    )
    old = render.datetime(occurrence.starts_at)
    header = render.t("roll_moved_header", old=old) + "\n"
    await refresh_live_rolls(turn, moved, meeting, header=header, start=False)
    await _tell_attendees(turn, meeting, moved, "meeting_moved", buttons=True, old=old)
    turn.say("meeting_moved_done", title=meeting.title, old=old, when=render.datetime(starts_at))
    log.info(
        "meeting %s occurrence %s moved by %s; %d pending reminders skipped",
        meeting.id,
        occurrence.id,
        member.id,
        skipped,
    )


async def cancel(turn: Turn, occurrence_id: int) -> None:
    """Cancel one occurrence; everyone is told."""
    member = require_organiser(turn)
    occurrence, meeting = await changeable(turn, occurrence_id)
    uow, now = turn.uow, turn.now
    await uow.meetings.cancel(occurrence.id, now)
    skipped = await uow.meetings.skip_pending(occurrence.id, now)
    await uow.audit(
        member.id,
        "meeting_cancelled",
        None,
        f"meeting={meeting.id} occurrence={occurrence.id} start={occurrence.starts_at.isoformat()}",
        now,
    )
    header = turn.render.t("roll_cancelled_header") + "\n"
    await refresh_live_rolls(turn, occurrence, meeting, header=header, start=False)
    await _tell_attendees(turn, meeting, occurrence, "meeting_cancelled", buttons=False)
    turn.say(
        "meeting_cancelled_done",
        title=meeting.title,
        when=turn.render.datetime(occurrence.starts_at),
    )
    log.info(
        "meeting %s occurrence %s cancelled by %s; %d pending reminders skipped",
        meeting.id,
        occurrence.id,
        member.id,
        skipped,
    )


async def _plan(turn: Turn, meeting: MeetingConfig, occurrence: Occurrence) -> None:
    """The reminders still ahead of a new start (the notice itself asks for an answer now)."""
    ahead = [t for t in reminder_times(occurrence.starts_at, meeting.remind_before) if t > turn.now]
    await turn.uow.meetings.plan_reminders(
        occurrence.id, meeting.attendees, ahead, reopen_after=turn.now
    )


async def _tell_attendees(
    turn: Turn,
    meeting: MeetingConfig,
    occurrence: Occurrence,
    key: str,
    *,
    buttons: bool,
    old: str = "",
) -> None:
    """One notice to every attendee the bot can reach."""
    render = turn.render
    text = render.t(
        key,
        title=meeting.title,
        when=render.datetime(occurrence.starts_at),
        old=old,
        place=meeting.place,
        agenda=agenda_line(render, meeting),
    )
    keyboard = rsvp_buttons(render, occurrence.id) if buttons else ()
    active = {m.id: m for m in await turn.uow.members.all_active()}
    for member_id in meeting.attendees:
        attendee = active.get(member_id)
        if attendee is None or not can_write(attendee):
            continue
        assert attendee.chat is not None  # can_write
        turn.send(Outbound(chat=attendee.chat, text=text, buttons=keyboard, member_id=attendee.id))
