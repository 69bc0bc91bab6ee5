"""Members' side: claim a case, answer it (button or reply), read its history.

Button data is a hint, never a proof: every action re-checks the member, the case and its state.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from bot.domain.errors import UserError
from bot.domain.model import OPEN_STATES, Case, CaseEvent, CaseState, Member, MessageKind
from bot.domain.outbound import LinkRole, Outbound
from bot.domain.ports import StoredDialog
from bot.services.routing import field_members
from bot.services.turn import Turn
from bot.texts.catalogue import Markup

log = logging.getLogger(__name__)

ANSWER = "answer"
_ANSWERABLE = OPEN_STATES | {CaseState.ANSWERED}


async def claim(turn: Turn, case_id: int) -> None:
    """Nhận xử lý: the member takes the case; the others of the field see who took it."""
    member = _require_member(turn)
    case = await _case_for(turn, member, case_id)
    if case.assignee_id == member.id:
        turn.say("claimed_you", code=case.code)
        return
    if case.assignee_id is not None:
        await _refuse_taken(turn, case)
    if case.state is not CaseState.RECEIVED:
        raise UserError("case_not_open", code=case.code, state=turn.render.state(case))
    updated = replace(case, state=CaseState.ASSIGNED, assignee_id=member.id)
    await turn.uow.cases.update(updated, turn.now)
    await _record(turn, case, updated, "assigned", member)
    turn.say("claimed_you", code=case.code)
    await _tell_colleagues(turn, member, case, "claimed_other")


async def begin_answer(turn: Turn, case_id: int) -> None:
    """Trả lời button: the member's next text message is the answer."""
    member = _require_member(turn)
    case = await _answerable(turn, member, case_id)
    data = json.dumps({"case_id": case.id})
    await turn.uow.dialogs.put(turn.chat, StoredDialog(ANSWER, "text", data), turn.now)
    turn.say("answer_prompt", code=case.code)


async def pending_answer(turn: Turn) -> int | None:
    """The case whose answer this member is writing, if any."""
    stored = await turn.uow.dialogs.get(turn.chat)
    if stored is None or stored.kind != ANSWER:
        return None
    return int(json.loads(stored.data)["case_id"])


async def cancel_answer(turn: Turn) -> bool:
    """/huy while writing an answer."""
    case_id = await pending_answer(turn)
    if case_id is None:
        return False
    await turn.uow.dialogs.delete(turn.chat)
    case = await turn.uow.cases.get(case_id)
    turn.say("answer_cancelled", code=case.code if case else "")
    return True


async def answer(turn: Turn, case_id: int, text: str) -> None:
    """Send the member's answer to the citizen and record it; the case becomes answered."""
    member = _require_member(turn)
    body = text.strip()
    limit = turn.config.limits.max_text_chars
    if not body:
        raise UserError("answer_text_only")
    if len(body) > limit:
        raise UserError("answer_too_long", got=len(body), max=limit)
    case = await _answerable(turn, member, case_id)
    uow, now = turn.uow, turn.now
    if await pending_answer(turn) is not None:
        await uow.dialogs.delete(turn.chat)
    updated = case
    if case.state is CaseState.RECEIVED:
        updated = replace(case, state=CaseState.ASSIGNED, assignee_id=member.id)
        await _record(turn, case, updated, "assigned", member)
    answered = replace(updated, state=CaseState.ANSWERED, answered_at=now)
    await uow.cases.update(answered, now)
    await uow.cases.add_message(case.id, MessageKind.ANSWER, body, member.id, (), now)
    await _record(turn, updated, answered, "answered", member)
    citizen_chat = await uow.citizens.chat_of(await uow.cases.citizen_of(case.id))
    for message in turn.render.long_text(citizen_chat, "answer_to_citizen", body, code=case.code):
        turn.send(replace(message, case_id=case.id, link_role=LinkRole.CITIZEN_NOTICE))
    turn.say("answer_sent", code=case.code)
    await _tell_colleagues(turn, member, case, "answered_other")
    log.info("case %s answered by %s", case.id, member.id)


async def history(turn: Turn, case_id: int) -> None:
    """Lịch sử: the case's events and thread (internal notes included), for members only."""
    member = _require_member(turn)
    case = await _case_for(turn, member, case_id)
    render = turn.render
    names = {m.id: m.name for m in await turn.uow.members.all_active()}
    lines = [render.t("case_history_title", code=case.code, state=render.state(case))]
    for event in await turn.uow.cases.events(case.id):
        what = render.t(f"action_{event.action}", member=names.get(event.actor, event.actor))
        lines.append(
            render.t("history_event", when=render.datetime(event.created_at), what=Markup(what))
        )
    for message in await turn.uow.cases.messages(case.id):
        if message.kind is MessageKind.CITIZEN:
            who = render.t("history_who_citizen")
        elif message.kind is MessageKind.INTERNAL:
            who = render.t("history_who_internal")
        else:
            who = names.get(message.member_id or "", message.member_id or "")
        body = message.body or ""
        if message.attachments:
            body += f" [+{len(message.attachments)} tệp]"
        lines.append(
            render.t(
                "history_message",
                when=render.datetime(message.created_at),
                who=who,
                body=body[:500],
            )
        )
    for chunk in _chunks(lines):
        turn.send(Outbound(chat=turn.chat, text=chunk))


def _chunks(lines: list[str], limit: int = 3500) -> list[str]:
    out: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def _require_member(turn: Turn) -> Member:
    if turn.member is None:
        raise UserError("not_member")
    return turn.member


async def _case_for(turn: Turn, member: Member, case_id: int) -> Case:
    """The case, if this member may act on it (a member of its field, or the chair)."""
    case = await turn.uow.cases.get(case_id)
    if case is None:
        raise UserError("button_invalid")
    if member.is_chair:
        return case
    if member.id in {m.id for m in await field_members(turn.uow, turn.config, case.field_id)}:
        return case
    raise UserError("not_allowed")


async def _answerable(turn: Turn, member: Member, case_id: int) -> Case:
    case = await _case_for(turn, member, case_id)
    if case.state not in _ANSWERABLE:
        raise UserError("case_not_open", code=case.code, state=turn.render.state(case))
    if case.assignee_id not in (None, member.id) and not member.is_chair:
        await _refuse_taken(turn, case)
    return case


async def _refuse_taken(turn: Turn, case: Case) -> None:
    holder = await turn.uow.members.get(case.assignee_id or "")
    raise UserError("claimed_already", code=case.code, member=holder.name if holder else "")


async def _record(turn: Turn, before: Case, after: Case, action: str, member: Member) -> None:
    event = CaseEvent(before.id, action, member.id, before.state, after.state, None, turn.now)
    await turn.uow.cases.add_event(event)


async def _tell_colleagues(turn: Turn, member: Member, case: Case, key: str) -> None:
    """Let the other members of the field (and the chair, if they got it) know."""
    colleagues = await field_members(turn.uow, turn.config, case.field_id)
    for other in colleagues:
        if other.id != member.id and other.chat is not None and other.reachable:
            turn.send(turn.render.say(other.chat, key, code=case.code, member=member.name))
