"""Members answer meeting reminders («Tham dự» / «Vắng» with a reason) and list meetings.

Button data names an occurrence; each press re-checks that the member is among its attendees and
that it has not started nor been cancelled. Every answer updates each secretary's live attendance
list (bot.services.meeting_live_roll: one message per occurrence, edited in place) and sends the
chairs who are not secretaries a short notice with the counts: they do not keep the list, and a
new message rings where an edit does not. «Lý do khác» asks for the member's own words (at most
MAX_REASON_CHARS). The chair and the secretary see buttons under /lichhop to create, move and
cancel meetings and to see who answered what (also /diemdanh).
"""

from __future__ import annotations

from bot.config import MeetingConfig
from bot.domain.errors import UserError
from bot.domain.meetings import MAX_REASON_CHARS, AbsenceReason, Answer, Occurrence, Rsvp
from bot.domain.model import Member, Role
from bot.domain.outbound import Button, Outbound
from bot.services.access import require_member
from bot.services.meeting_attendance import reason_label
from bot.services.meeting_input import expect_text, finish
from bot.services.meeting_live_roll import post_roll, refresh_live_rolls
from bot.services.meeting_lookup import meeting_for
from bot.services.meeting_messages import answered_text
from bot.services.meetings import attendance_params, secretaries
from bot.services.turn import Turn

# Occurrences listed by /lichhop.
LIST_LIMIT = 10


def is_organiser(member: Member) -> bool:
    """The chair, a deputy or the secretary: they schedule, move and cancel meetings."""
    return member.is_chair or Role.SECRETARY in member.roles


def require_organiser(turn: Turn) -> Member:
    """The acting chair, deputy or secretary, or a polite refusal."""
    member = require_member(turn)
    if not is_organiser(member):
        raise UserError("meeting_organisers_only")
    return member


async def list_meetings(turn: Turn, _args: str) -> None:
    """/lichhop: the coming meetings with their counts; organisers get buttons to act on them."""
    member = require_member(turn)
    organiser = is_organiser(member)
    render = turn.render
    lines = [render.t("meetings_header")]
    buttons: list[tuple[Button, ...]] = []
    for occurrence in await turn.uow.meetings.upcoming(turn.now, LIST_LIMIT):
        meeting = await meeting_for(turn.uow, turn.config, occurrence)
        if meeting is None:
            continue
        number = len(lines)
        answers = await turn.uow.meetings.answers(occurrence.id)
        lines.append(
            render.t(
                "meetings_line",
                number=number,
                title=meeting.title,
                when=render.datetime(occurrence.starts_at),
                place=meeting.place,
                **attendance_params(meeting, answers),
            )
        )
        if organiser:
            buttons.append(
                (
                    Button(render.t("btn_meeting_roll", number=number), f"g:roll:{occurrence.id}"),
                    Button(render.t("btn_meeting_move", number=number), f"g:move:{occurrence.id}"),
                    Button(
                        render.t("btn_meeting_cancel", number=number), f"g:cancel:{occurrence.id}"
                    ),
                )
            )
    if organiser:
        buttons.append((Button(render.t("btn_meeting_new"), "g:new:0"),))
    if len(lines) == 1:
        lines.append(render.t("meetings_none"))
        if not organiser:
            turn.say("meetings_none")
            return
    turn.send(Outbound(chat=turn.chat, text="\n".join(lines), buttons=tuple(buttons)))


async def roll_call_command(turn: Turn, _args: str) -> None:
    """/diemdanh: the attendance list of the next meeting."""
    require_organiser(turn)
    coming = await turn.uow.meetings.upcoming(turn.now, 1)
    if not coming:
        turn.say("meetings_none")
        return
    await roll_call(turn, coming[0].id)


async def roll_call(turn: Turn, occurrence_id: int) -> None:
    """«Điểm danh»: who attends, who is absent and why, who has not answered."""
    require_organiser(turn)
    occurrence = await turn.uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await meeting_for(turn.uow, turn.config, occurrence)
    if occurrence is None or meeting is None or occurrence.retired:
        raise UserError("button_invalid")
    if occurrence.cancelled:
        raise UserError("meeting_closed")
    await post_roll(turn, occurrence, meeting)


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
    """A reason under «Vắng» pressed; «Lý do khác» asks for the member's own words."""
    if reason not in {r.value for r in AbsenceReason}:
        raise UserError("button_invalid")
    member, occurrence, meeting = await _invited(turn, occurrence_id)
    if reason == AbsenceReason.OTHER:
        await expect_text(turn, "reason", {"occurrence_id": occurrence.id})
        turn.say("meeting_ask_own_reason", title=meeting.title, max=MAX_REASON_CHARS)
        return
    await _record(turn, member, occurrence, meeting, Answer.NO, AbsenceReason(reason))


async def absent_because(turn: Turn, occurrence_id: int, text: str) -> None:
    """The member's own reason typed after «Lý do khác»."""
    note = " ".join(text.split())
    if not note:
        raise UserError("meeting_reason_empty")
    if len(note) > MAX_REASON_CHARS:
        raise UserError("meeting_reason_too_long", got=len(note), max=MAX_REASON_CHARS)
    await finish(turn)
    member, occurrence, meeting = await _invited(turn, occurrence_id)
    await _record(turn, member, occurrence, meeting, Answer.NO, AbsenceReason.OTHER, note)


async def _invited(turn: Turn, occurrence_id: int) -> tuple[Member, Occurrence, MeetingConfig]:
    """The acting attendee, the occurrence and its meeting, or a polite refusal."""
    member = require_member(turn)
    occurrence = await turn.uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await meeting_for(turn.uow, turn.config, occurrence)
    if occurrence is None or meeting is None:
        raise UserError("button_invalid")
    if member.id not in meeting.attendees:
        raise UserError("meeting_not_invited")
    if occurrence.cancelled or occurrence.retired or occurrence.starts_at <= turn.now:
        raise UserError("meeting_closed")
    return member, occurrence, meeting


async def _record(
    turn: Turn,
    member: Member,
    occurrence: Occurrence,
    meeting: MeetingConfig,
    answer: Answer,
    reason: AbsenceReason | None,
    note: str | None = None,
) -> None:
    """Store the answer, confirm it, update the secretaries' live lists, tell the chairs."""
    uow, render = turn.uow, turn.render
    await uow.meetings.answer(occurrence.id, member.id, answer, reason, turn.now, note)
    # The typed reason is the member's own words: the audit log keeps only that there was one.
    detail = f"meeting={meeting.id} answer={answer.value}" + (f" reason={reason}" if reason else "")
    await uow.audit(member.id, "meeting_rsvp", None, detail, turn.now)
    when = render.datetime(occurrence.starts_at)
    why = reason_label(render, Rsvp(member.id, answer, reason, turn.now, note))
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
    await refresh_live_rolls(turn, occurrence, meeting)
    active = await uow.members.all_active()
    keepers = {m.id for m in secretaries(active)}
    for chair in active:
        if chair.is_chair and chair.id not in keepers and chair.chat and chair.reachable:
            turn.send(Outbound(chat=chair.chat, text=notice, member_id=chair.id))
