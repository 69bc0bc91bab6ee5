"""Meeting minutes (biên bản): after a meeting the secretary records who attended and its
conclusions (kết luận), one message each.

`/bienban` lists the latest meetings that have started; picking one opens its minutes. Button
data names an occurrence or a conclusion; every press re-checks the role (secretary, chair or
deputy), that the occurrence exists, has started and was not cancelled, and that its meeting is
still configured. What the secretary is asked to type next is a stored dialog, so a restart
between the prompt and the answer loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

from bot.config import MeetingConfig
from bot.domain.errors import UserError
from bot.domain.meetings import Answer, Occurrence, Rsvp
from bot.domain.model import Member
from bot.domain.outbound import Button, Outbound
from bot.domain.ports import StoredDialog
from bot.domain.tasks import Conclusion
from bot.services.access import require_minute_taker
from bot.services.meeting_lookup import meeting_for
from bot.services.turn import Turn

MINUTES_INPUT = "minutes_input"
RECENT = 5  # meetings /bienban offers
MAX_CONCLUSION_CHARS = 1500  # a conclusion is a decision, not a report; it must fit one message


async def list_past(turn: Turn, _args: str) -> None:
    """/bienban: the latest meetings that have started, one button each."""
    require_minute_taker(turn)
    render = turn.render
    buttons: list[tuple[Button, ...]] = []
    for occurrence in await turn.uow.minutes.past_occurrences(turn.now, RECENT * 4):
        meeting = await meeting_for(turn.uow, turn.config, occurrence)
        if meeting is not None and len(buttons) < RECENT:
            label = f"{meeting.title} · {render.datetime(occurrence.starts_at)}"
            buttons.append((Button(label, f"b:open:{occurrence.id}"),))
    if not buttons:
        turn.say("minutes_none")
        return
    turn.send(Outbound(chat=turn.chat, text=render.t("minutes_pick"), buttons=tuple(buttons)))


async def open_minutes(turn: Turn, occurrence_id: int) -> None:
    """The minutes of one meeting: attendance, conclusions, and what to record next."""
    _member, occurrence, meeting = await past_meeting(turn, occurrence_id)
    await show_minutes(turn, occurrence, meeting)


async def show_minutes(turn: Turn, occurrence: Occurrence, meeting: MeetingConfig) -> None:
    """Send the minutes card."""
    render, uow = turn.render, turn.uow
    names = await member_names(turn)
    present = await effective_attendance(turn, occurrence, meeting)
    recorded = await uow.minutes.attendance(occurrence.id)
    lines = [
        render.t(
            "minutes_card",
            title=meeting.title,
            when=render.datetime(occurrence.starts_at),
            present_names=_names([m for m, here in present.items() if here], names),
            absent_names=_names([m for m, here in present.items() if not here], names),
        )
    ]
    if not set(meeting.attendees) <= set(recorded):
        lines.append(render.t("minutes_attendance_unconfirmed"))
    conclusions = await uow.minutes.conclusions(occurrence.id)
    if conclusions:
        lines.append(render.t("minutes_conclusions_header", count=len(conclusions)))
    for number, conclusion in enumerate(conclusions, 1):
        lines.append(await conclusion_line(turn, number, conclusion, names))
    buttons = (
        (
            Button(render.t("btn_minutes_attendance"), f"b:att:{occurrence.id}"),
            Button(render.t("btn_minutes_add"), f"b:add:{occurrence.id}"),
        ),
    )
    turn.send(Outbound(chat=turn.chat, text="\n".join(lines), buttons=buttons))


async def conclusion_line(
    turn: Turn, number: int, conclusion: Conclusion, names: Mapping[str, str]
) -> str:
    """One conclusion in the minutes, with its task and case if it has them."""
    render = turn.render
    line = render.t("minutes_conclusion_line", number=number, text=conclusion.text)
    if conclusion.is_task and conclusion.due_on is not None:
        owner = conclusion.owner_member_id or ""
        key = "minutes_task_done" if conclusion.done_at else "minutes_task_open"
        line += render.t(key, member=names.get(owner, owner), due=day_text(conclusion.due_on))
    if conclusion.case_id is not None:
        case = await turn.uow.cases.get(conclusion.case_id)
        viewer = turn.member.id if turn.member else ""
        if case is not None and viewer not in await turn.uow.cases.excluded(case.id):
            key = "minutes_case_relayed" if conclusion.relayed_at else "minutes_case_linked"
            line += render.t(key, code=case.code)
    return line


async def show_attendance(turn: Turn, occurrence_id: int) -> None:
    """«Điểm danh»: each attendee as a button that switches present / absent, then confirm."""
    _member, occurrence, meeting = await past_meeting(turn, occurrence_id)
    await _attendance_view(turn, occurrence, meeting)


async def flip_attendance(turn: Turn, occurrence_id: int, member_id: str) -> None:
    """An attendee's button: present becomes absent and back."""
    member, occurrence, meeting = await past_meeting(turn, occurrence_id)
    if member_id not in meeting.attendees:
        raise UserError("button_invalid")
    present = await effective_attendance(turn, occurrence, meeting)
    changed = {member_id: not present[member_id]}
    await turn.uow.minutes.record_attendance(occurrence.id, changed, member.id, turn.now)
    await _attendance_view(turn, occurrence, meeting)


async def confirm_attendance(turn: Turn, occurrence_id: int) -> None:
    """«Xác nhận điểm danh»: the list as shown (answers to the invitation, as corrected) is kept."""
    member, occurrence, meeting = await past_meeting(turn, occurrence_id)
    present = await effective_attendance(turn, occurrence, meeting)
    await turn.uow.minutes.record_attendance(occurrence.id, present, member.id, turn.now)
    here = sum(present.values())
    detail = f"meeting={meeting.id} present={here}/{len(present)}"
    await turn.uow.audit(member.id, "meeting_attendance", None, detail, turn.now)
    turn.say("minutes_attendance_saved", present=here, total=len(present))
    await show_minutes(turn, occurrence, meeting)


async def begin_conclusion(turn: Turn, occurrence_id: int) -> None:
    """«Thêm kết luận»: the next text message is one conclusion."""
    _member, occurrence, meeting = await past_meeting(turn, occurrence_id)
    await ask_input(turn, "conclusion", occurrence_id=occurrence.id)
    turn.say(
        "minutes_conclusion_prompt",
        title=meeting.title,
        when=turn.render.datetime(occurrence.starts_at),
        max=MAX_CONCLUSION_CHARS,
    )


async def add_conclusion(turn: Turn, occurrence_id: int, text: str) -> None:
    """Store the conclusion typed, then offer to make it a task or tie it to a case."""
    member, occurrence, meeting = await past_meeting(turn, occurrence_id)
    body = text.strip()
    if not body:
        raise UserError("minutes_text_only")
    if len(body) > MAX_CONCLUSION_CHARS:
        raise UserError("minutes_conclusion_too_long", got=len(body), max=MAX_CONCLUSION_CHARS)
    await turn.uow.dialogs.delete(turn.dialog_chat)
    conclusion = await turn.uow.minutes.add_conclusion(occurrence.id, body, member.id, turn.now)
    detail = f"meeting={meeting.id} conclusion={conclusion.id}"
    await turn.uow.audit(member.id, "meeting_conclusion", None, detail, turn.now)
    number = len(await turn.uow.minutes.conclusions(occurrence.id))
    render = turn.render
    buttons = (
        (
            Button(render.t("btn_conclusion_task"), f"b:task:{conclusion.id}"),
            Button(render.t("btn_conclusion_case"), f"b:case:{conclusion.id}"),
        ),
        (
            Button(render.t("btn_minutes_add"), f"b:add:{occurrence.id}"),
            Button(render.t("btn_minutes_view"), f"b:open:{occurrence.id}"),
        ),
    )
    text_out = render.t("minutes_conclusion_saved", number=number, title=meeting.title)
    turn.send(Outbound(chat=turn.chat, text=text_out, buttons=buttons))


async def past_meeting(turn: Turn, occurrence_id: int) -> tuple[Member, Occurrence, MeetingConfig]:
    """The minute taker, and a meeting that took place; a polite refusal otherwise."""
    member = require_minute_taker(turn)
    occurrence = await turn.uow.meetings.occurrence(occurrence_id)
    meeting = None if occurrence is None else await meeting_for(turn.uow, turn.config, occurrence)
    if occurrence is None or meeting is None:
        raise UserError("button_invalid")
    if occurrence.cancelled or occurrence.starts_at > turn.now:
        raise UserError("minutes_not_held")
    return member, occurrence, meeting


async def taker_conclusion(turn: Turn, conclusion_id: int) -> tuple[Member, Conclusion, str]:
    """The minute taker, a conclusion and its meeting's title; a polite refusal otherwise."""
    member = require_minute_taker(turn)
    conclusion = await turn.uow.minutes.conclusion(conclusion_id)
    if conclusion is None:
        raise UserError("button_invalid")
    occurrence = await turn.uow.meetings.occurrence(conclusion.occurrence_id)
    meeting = None if occurrence is None else await meeting_for(turn.uow, turn.config, occurrence)
    return member, conclusion, meeting.title if meeting else ""


async def effective_attendance(
    turn: Turn, occurrence: Occurrence, meeting: MeetingConfig
) -> dict[str, bool]:
    """Each attendee present or not: as recorded, else as they answered the invitation."""
    recorded = await turn.uow.minutes.attendance(occurrence.id)
    answered = _said_yes(await turn.uow.meetings.answers(occurrence.id))
    return {m: recorded.get(m, m in answered) for m in meeting.attendees}


async def ask_input(turn: Turn, step: str, **data: object) -> None:
    """The minute taker's next text message completes `step`."""
    stored = StoredDialog(MINUTES_INPUT, step, json.dumps(data))
    await turn.uow.dialogs.put(turn.dialog_chat, stored, turn.now)


async def member_names(turn: Turn) -> dict[str, str]:
    """Every active member's name by id."""
    return {m.id: m.name for m in await turn.uow.members.all_active()}


def day_text(day: date) -> str:
    """A local date as officials write it: 20/12/2026."""
    return day.strftime("%d/%m/%Y")


async def _attendance_view(turn: Turn, occurrence: Occurrence, meeting: MeetingConfig) -> None:
    render = turn.render
    names = await member_names(turn)
    present = await effective_attendance(turn, occurrence, meeting)
    rows = [
        (
            Button(
                f"{'✅' if here else '❌'} {names.get(member_id, member_id)}",
                f"b:flip:{occurrence.id}:{member_id}",
            ),
        )
        for member_id, here in present.items()
    ]
    rows.append((Button(render.t("btn_attendance_confirm"), f"b:conf:{occurrence.id}"),))
    text = render.t(
        "minutes_attendance",
        title=meeting.title,
        when=render.datetime(occurrence.starts_at),
        present=sum(present.values()),
        total=len(present),
    )
    turn.send(Outbound(chat=turn.chat, text=text, buttons=tuple(rows)))


def _said_yes(answers: Sequence[Rsvp]) -> set[str]:
    return {a.member_id for a in answers if a.answer is Answer.YES}


def _names(member_ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(m, m) for m in member_ids) or "—"
