"""Members answer meeting reminders («Tham dự» / «Vắng» with a reason) and list meetings.

Button data names an occurrence; each press re-checks that the member is among its attendees and
that it has not started nor been cancelled. Every answer tells the secretaries and the chairs,
with the live counts.
"""

from __future__ import annotations

from bot.config import MeetingConfig
from bot.domain.errors import UserError
from bot.domain.meetings import AbsenceReason, Answer, Occurrence
from bot.domain.model import Member
from bot.domain.outbound import Button, Outbound
from bot.services.access import require_member
from bot.services.meetings import answered_text, attendance_params, meeting_of, secretaries
from bot.services.turn import Turn

# Occurrences listed by /lichhop.
LIST_LIMIT = 10


async def list_meetings(turn: Turn, _args: str) -> None:
    """/lichhop: the coming meetings with how many attend, are absent, have not answered."""
    require_member(turn)
    render = turn.render
    lines = [render.t("meetings_header")]
    for occurrence in await turn.uow.meetings.upcoming(turn.now, LIST_LIMIT):
        meeting = meeting_of(turn.config, occurrence)
        if meeting is None:
            continue
        answers = await turn.uow.meetings.answers(occurrence.id)
        lines.append(
            render.t(
                "meetings_line",
                title=meeting.title,
                when=render.datetime(occurrence.starts_at),
                place=meeting.place,
                **attendance_params(meeting, answers),
            )
        )
    if len(lines) == 1:
        turn.say("meetings_none")
        return
    turn.send(Outbound(chat=turn.chat, text="\n".join(lines)))


async def attend(turn: Turn, occurrence_id: int) -> None:
    """«Tham dự»."""
    member, occurrence, meeting = await _invited(turn, occurrence_id)
    await _record(turn, member, occurrence, meeting, Answer.YES, None)


async def ask_reason(turn: Turn, occurrence_id: int) -> None:
    """«Vắng»: the reasons to choose from."""
    _member, occurrence, meeting = await _invited(turn, occurrence_id)
    render = turn.render
    buttons = tuple(
        (Button(render.t(f"btn_absence_{reason}"), f"g:why:{occurrence.id}:{reason}"),)
        for reason in AbsenceReason
    )
    text = render.t(
        "meeting_ask_reason", title=meeting.title, when=render.datetime(occurrence.starts_at)
    )
    turn.send(Outbound(chat=turn.chat, text=text, buttons=buttons))


async def absent(turn: Turn, occurrence_id: int, reason: str) -> None:
    """A reason under «Vắng» pressed."""
    if reason not in {r.value for r in AbsenceReason}:
        raise UserError("button_invalid")
    member, occurrence, meeting = await _invited(turn, occurrence_id)
    await _record(turn, member, occurrence, meeting, Answer.NO, AbsenceReason(reason))


async def _invited(turn: Turn, occurrence_id: int) -> tuple[Member, Occurrence, MeetingConfig]:
    """The acting attendee, the occurrence and its meeting, or a polite refusal."""
    member = require_member(turn)
    occurrence = await turn.uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else meeting_of(turn.config, occurrence)
    if occurrence is None or meeting is None:
        raise UserError("button_invalid")
    if member.id not in meeting.attendees:
        raise UserError("meeting_not_invited")
    if occurrence.cancelled or occurrence.starts_at <= turn.now:
        raise UserError("meeting_closed")
    return member, occurrence, meeting


async def _record(
    turn: Turn,
    member: Member,
    occurrence: Occurrence,
    meeting: MeetingConfig,
    answer: Answer,
    reason: AbsenceReason | None,
) -> None:
    """Store the answer, confirm it, and tell the secretaries and chairs with the counts."""
    uow, render = turn.uow, turn.render
    await uow.meetings.answer(occurrence.id, member.id, answer, reason, turn.now)
    detail = f"meeting={meeting.id} answer={answer.value}" + (f" reason={reason}" if reason else "")
    await uow.audit(member.id, "meeting_rsvp", None, detail, turn.now)
    when = render.datetime(occurrence.starts_at)
    why = render.t(f"btn_absence_{reason}") if reason else ""
    if answer is Answer.YES:
        turn.say("meeting_answer_yes", title=meeting.title, when=when)
    else:
        turn.say("meeting_answer_no", title=meeting.title, when=when, reason=why)
    notice = render.t(
        answered_text(answer),
        title=meeting.title,
        when=when,
        member=member.name,
        reason=why,
        **attendance_params(meeting, await uow.meetings.answers(occurrence.id)),
    )
    active = await uow.members.all_active()
    leaders = secretaries(active) + [m for m in active if m.is_chair and m.chat and m.reachable]
    seen: set[str] = set()
    for leader in leaders:
        if leader.id in seen or leader.chat is None:
            continue
        seen.add(leader.id)
        turn.send(Outbound(chat=leader.chat, text=notice, member_id=leader.id))
