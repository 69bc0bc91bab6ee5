"""The guided flows of meetings: create one (title, date-time, place, agenda link, attendees),
move one to a typed date-time, confirm a cancellation, and a member's own reason for «Vắng».

Each step waiting for text is kept by bot.services.meeting_input; buttons carry no proof, so
every step re-checks the organiser's role. Bad input gets a polite hint and the same step again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.errors import UserError
from bot.domain.inbound import Message
from bot.domain.intake_dialog import TextInput
from bot.domain.meetings import (
    MAX_PLACE_CHARS,
    MAX_TITLE_CHARS,
    parse_local_datetime,
    valid_agenda_url,
)
from bot.domain.outbound import Button, Outbound
from bot.services import meeting_changes
from bot.services.meeting_input import expect_text, finish, pending_step
from bot.services.meeting_rsvp import absent_because, require_organiser
from bot.services.turn import Turn


async def take_text(turn: Turn, message: Message) -> bool:
    """Complete the meeting step waiting for this person's text; False if none waits."""
    pending = await pending_step(turn)
    if pending is None:
        return False
    step, data = pending
    event = message.event
    if not isinstance(event, TextInput):
        raise UserError("meeting_text_only")
    text = " ".join(event.text.split())
    if step == "reason":
        await absent_because(turn, int(data["occurrence_id"]), event.text)
    elif step == "move":
        await meeting_changes.move(turn, int(data["occurrence_id"]), _future(turn, text))
        await finish(turn)
    elif step == "title":
        require_organiser(turn)
        data["title"] = _short(text, MAX_TITLE_CHARS)
        await expect_text(turn, "when", data)
        turn.say("meeting_ask_when")
    elif step == "when":
        require_organiser(turn)
        data["starts_at"] = _future(turn, text).isoformat()
        await expect_text(turn, "place", data)
        turn.say("meeting_ask_place")
    elif step == "place":
        require_organiser(turn)
        data["place"] = _short(text, MAX_PLACE_CHARS)
        await expect_text(turn, "agenda", data)
        render = turn.render
        turn.send(
            Outbound(
                chat=turn.chat,
                text=render.t("meeting_ask_agenda"),
                buttons=((Button(render.t("btn_skip_agenda"), "g:noagenda:0"),),),
            )
        )
    elif step == "agenda":
        require_organiser(turn)
        if not valid_agenda_url(text):
            raise UserError("meeting_agenda_invalid")
        data["agenda_url"] = text
        await _ask_attendees(turn, data)
    else:
        turn.say("meeting_use_buttons")
    return True


async def cancel(turn: Turn) -> bool:
    """/huy during a meeting flow."""
    if await pending_step(turn) is None:
        return False
    await finish(turn)
    turn.say("meeting_flow_cancelled")
    return True


async def begin_create(turn: Turn, _zero: int) -> None:
    """«Tạo cuộc họp»: ask for the title."""
    require_organiser(turn)
    await expect_text(turn, "title", {})
    turn.say("meeting_ask_title")


async def begin_move(turn: Turn, occurrence_id: int) -> None:
    """«Dời lịch»: ask for the new date-time."""
    occurrence, meeting = await meeting_changes.changeable(turn, occurrence_id)
    await expect_text(turn, "move", {"occurrence_id": occurrence.id})
    turn.say(
        "meeting_ask_new_time",
        title=meeting.title,
        when=turn.render.datetime(occurrence.starts_at),
    )


async def confirm_cancel(turn: Turn, occurrence_id: int) -> None:
    """«Hủy»: one more press, so a slip of the finger cancels nothing."""
    occurrence, meeting = await meeting_changes.changeable(turn, occurrence_id)
    render = turn.render
    text = render.t(
        "meeting_confirm_cancel", title=meeting.title, when=render.datetime(occurrence.starts_at)
    )
    button = Button(render.t("btn_meeting_cancel_confirm"), f"g:cancelok:{occurrence.id}")
    turn.send(Outbound(chat=turn.chat, text=text, buttons=((button,),)))


async def skip_agenda(turn: Turn, _zero: int) -> None:
    """«Bỏ qua» at the agenda step."""
    data = await _creating(turn, "agenda")
    await _ask_attendees(turn, data)


async def invite_all(turn: Turn, _zero: int) -> None:
    """«Tất cả thành viên»: create the meeting for every active member."""
    data = await _creating(turn, "attendees")
    everyone = tuple(m.id for m in await turn.uow.members.all_active())
    await _create(turn, data, everyone)


async def toggle_attendee(turn: Turn, _zero: int, member_id: str) -> None:
    """A member's button at the attendees step: in or out."""
    data = await _creating(turn, "attendees")
    active = {m.id for m in await turn.uow.members.all_active()}
    if member_id not in active:
        raise UserError("button_invalid")
    picked: list[str] = list(data.get("picked", []))
    if member_id in picked:
        picked.remove(member_id)
    else:
        picked.append(member_id)
    data["picked"] = picked
    await _ask_attendees(turn, data)


async def invite_picked(turn: Turn, _zero: int) -> None:
    """«Xong»: create the meeting for the members picked."""
    data = await _creating(turn, "attendees")
    active = [m.id for m in await turn.uow.members.all_active()]
    picked = [m for m in active if m in data.get("picked", [])]
    if not picked:
        raise UserError("meeting_pick_someone")
    await _create(turn, data, tuple(picked))


async def _ask_attendees(turn: Turn, data: dict[str, Any]) -> None:
    """Everyone by default, or the members ticked one by one."""
    await expect_text(turn, "attendees", data)
    render = turn.render
    picked = set(data.get("picked", []))
    rows: list[tuple[Button, ...]] = [(Button(render.t("btn_invite_all"), "g:all:0"),)]
    for member in await turn.uow.members.all_active():
        mark = "☑" if member.id in picked else "☐"
        rows.append((Button(f"{mark} {member.name}", f"g:pick:0:{member.id}"),))
    rows.append((Button(render.t("btn_invite_picked", count=len(picked)), "g:done:0"),))
    turn.send(Outbound(chat=turn.chat, text=render.t("meeting_ask_attendees"), buttons=tuple(rows)))


async def _creating(turn: Turn, step: str) -> dict[str, Any]:
    """The creation flow's data when it is at `step`; a stale button otherwise."""
    require_organiser(turn)
    pending = await pending_step(turn)
    if pending is None or pending[0] != step:
        raise UserError("button_stale")
    return pending[1]


async def _create(turn: Turn, data: dict[str, Any], attendees: tuple[str, ...]) -> None:
    await finish(turn)
    await meeting_changes.create(
        turn,
        meeting_changes.NewMeeting(
            title=str(data["title"]),
            starts_at=datetime.fromisoformat(str(data["starts_at"])),
            place=str(data["place"]),
            agenda_url=data.get("agenda_url"),
            attendees=attendees,
        ),
    )


def _short(text: str, limit: int) -> str:
    """A one-line answer, not empty and not too long."""
    if not text:
        raise UserError("meeting_text_only")
    if len(text) > limit:
        raise UserError("meeting_text_too_long", got=len(text), max=limit)
    return text


def _future(turn: Turn, text: str) -> datetime:
    """A typed local date-time as an instant still ahead, or a polite hint."""
    local = parse_local_datetime(text)
    if local is None:
        raise UserError("meeting_when_unreadable")
    instant = local.replace(tzinfo=turn.config.commune.tz).astimezone(UTC)
    if instant <= turn.now:
        raise UserError("meeting_when_past")
    return instant
