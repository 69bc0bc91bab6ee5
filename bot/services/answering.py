"""Members' side: claim a case, answer it (button or reply), read its history.

Button data is a hint, never a proof: every action re-checks the member, the case and its state.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from bot.domain.errors import UserError
from bot.domain.lifecycle import Action, Transition, plan
from bot.domain.model import Case, Member, MessageKind
from bot.domain.outbound import Button, LinkRole, Outbound
from bot.domain.ports import StoredDialog
from bot.services import transitions
from bot.services.access import in_field, require_member, visible_case
from bot.services.rendering import chunks
from bot.services.routing import field_members
from bot.services.turn import Turn
from bot.texts.catalogue import Markup

log = logging.getLogger(__name__)

MEMBER_INPUT = "member_input"
MAX_TEMPLATES_OFFERED = 8  # canned answers under the answer prompt: a phone screen of buttons
SYSTEM_ACTOR = "system"  # who recorded what the bot did by itself (automatic assignment)


async def checked(turn: Turn, action: Action, case_id: int) -> tuple[Member, Case, Transition]:
    """The member, the case and the transition, once `action` is allowed for them now."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    holder = case.assignee_id
    if holder not in (None, member.id) and (not member.is_chair or action is Action.CLAIM):
        await refuse_taken(turn, case)
    transition = plan(action, case, member, in_field=await in_field(turn, member, case))
    return member, case, transition


async def claim(turn: Turn, case_id: int) -> None:
    """Nhận xử lý: the member takes the case; the others of the field see who took it."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    if case.assignee_id == member.id:
        turn.say("claimed_you", code=case.code)
        return
    member, case, transition = await checked(turn, Action.CLAIM, case_id)
    await transitions.apply(turn, case, transition, actor=member.id, assignee_id=member.id)
    turn.say("claimed_you", code=case.code)
    await tell_colleagues(turn, member, case, "claimed_other")


async def ask_for_input(turn: Turn, action: str, case_id: int) -> None:
    """The member's next text message completes `action` (an answer, a note, a reason)."""
    data = json.dumps({"action": action, "case_id": case_id})
    await turn.uow.dialogs.put(turn.dialog_chat, StoredDialog(MEMBER_INPUT, action, data), turn.now)


async def begin_answer(turn: Turn, case_id: int) -> None:
    """Trả lời button: the member's next text message is the answer, or a canned one pressed."""
    _member, case, _transition = await checked(turn, Action.ANSWER, case_id)
    await ask_for_input(turn, "answer", case.id)
    render = turn.render
    templates = await turn.uow.templates.for_field(case.field_id, MAX_TEMPLATES_OFFERED)
    text = render.t("answer_prompt", code=case.code)
    if templates:
        text += "\n" + render.t("answer_prompt_templates")
    buttons = tuple((Button(t.title, f"m:tpl:{case.id}:{t.id}"),) for t in templates)
    turn.send(Outbound(chat=turn.chat, text=text, buttons=buttons))


async def pending_input(turn: Turn) -> tuple[str, int] | None:
    """What this member's next text completes, and for which case."""
    stored = await turn.uow.dialogs.get(turn.dialog_chat)
    if stored is None or stored.kind != MEMBER_INPUT:
        return None
    data = json.loads(stored.data)
    return str(data["action"]), int(data["case_id"])


async def cancel_input(turn: Turn) -> bool:
    """/huy while writing an answer, a note or a reason."""
    pending = await pending_input(turn)
    if pending is None:
        return False
    await turn.uow.dialogs.delete(turn.dialog_chat)
    case = await turn.uow.cases.get(pending[1])
    turn.say("input_cancelled", code=case.code if case else "")
    return True


def checked_text(turn: Turn, text: str) -> str:
    """A member's free text, refused politely when empty or too long."""
    body = text.strip()
    limit = turn.config.limits.max_text_chars
    if not body:
        raise UserError("answer_text_only")
    if len(body) > limit:
        raise UserError("answer_too_long", got=len(body), max=limit)
    return body


async def answer(turn: Turn, case_id: int, text: str) -> None:
    """Send the member's answer to the citizen and record it; the case becomes answered."""
    body = checked_text(turn, text)
    member, case, _transition = await checked(turn, Action.ANSWER, case_id)
    uow = turn.uow
    if await pending_input(turn) is not None:
        await uow.dialogs.delete(turn.dialog_chat)
    if case.assignee_id is None:
        claimed = plan(Action.CLAIM, case, member, in_field=True)
        case = await transitions.apply(
            turn, case, claimed, actor=member.id, assignee_id=member.id, tell_citizen=False
        )
    case = await send_answer(turn, member, case, body)
    turn.say("answer_sent", code=case.code)
    await tell_colleagues(turn, member, case, "answered_other")
    log.info("case %s answered by %s", case.id, member.id)


async def send_answer(turn: Turn, member: Member, case: Case, body: str) -> Case:
    """Answer a case whose answerer was checked: record it, and deliver it to its citizen(s)."""
    uow, now = turn.uow, turn.now
    transition = plan(Action.ANSWER, case, member, in_field=True)
    case = await transitions.apply(turn, case, transition, actor=member.id)
    await uow.cases.add_message(case.id, MessageKind.ANSWER, body, member.id, (), now)
    await deliver_answer(turn, case, body)
    for duplicate in await uow.cases.merged_into(case.id):
        # Citizens whose cases were merged here get the same answer, under their own code.
        await uow.cases.add_message(duplicate.id, MessageKind.ANSWER, body, member.id, (), now)
        await deliver_answer(turn, duplicate, body)
    return case


async def deliver_answer(turn: Turn, case: Case, body: str) -> None:
    """The answer to the citizen, then the question whether it resolved their concern."""
    chat = await turn.uow.citizens.chat_of(await turn.uow.cases.citizen_of(case.id))
    render = turn.render
    messages = render.long_text(chat, "answer_to_citizen", body, code=case.code)
    feedback = Outbound(
        chat=chat,
        text=render.t("ask_resolved", code=case.code),
        buttons=(
            (
                Button(render.t("btn_resolved"), f"c:ok:{case.id}"),
                Button(render.t("btn_not_resolved"), f"c:notok:{case.id}"),
            ),
        ),
    )
    for message in [*messages, feedback]:
        turn.send(replace(message, case_id=case.id, link_role=LinkRole.CITIZEN_NOTICE))


async def history(turn: Turn, case_id: int) -> None:
    """Lịch sử: the case's events and thread (internal notes included), for members only."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    render = turn.render
    names = {m.id: m.name for m in await turn.uow.members.all_active()}
    names[SYSTEM_ACTOR] = render.t("history_who_system")
    lines = [render.t("case_history_title", code=case.code, state=render.state(case))]
    supporters = await turn.uow.cases.supporters(case.id)
    if supporters:
        listed = ", ".join(
            f"{names.get(mid, mid)} ({render.t('supporter_done' if done else 'supporter_pending')})"
            for mid, done in supporters.items()
        )
        lines.append(render.t("history_supporters", names=listed))
    for event in await turn.uow.cases.events(case.id):
        key = f"action_{event.action}"
        who = names.get(event.actor, render.t("history_who_citizen"))
        what = (
            render.t(key, member=who, note=event.note or "") if render.t.has(key) else event.action
        )
        when = render.datetime(event.created_at)
        lines.append(render.t("history_event", when=when, what=Markup(what)))
    for message in await turn.uow.cases.messages(case.id):
        if message.kind is MessageKind.CITIZEN:
            who = render.t("history_who_citizen")
        elif message.kind is MessageKind.INTERNAL:
            who = render.t("history_who_internal", member=names.get(message.member_id or "", ""))
        else:
            who = names.get(message.member_id or "", message.member_id or "")
        body = message.body or ""
        if message.attachments:
            body += render.t("history_files", count=len(message.attachments))
        when = render.datetime(message.created_at)
        lines.append(render.t("history_message", when=when, who=who, body=body[:500]))
    for chunk in chunks(lines):
        turn.send(Outbound(chat=turn.chat, text=chunk))


async def refuse_taken(turn: Turn, case: Case) -> None:
    """Someone else holds the case: say who."""
    holder = await turn.uow.members.get(case.assignee_id or "")
    raise UserError("claimed_already", code=case.code, member=holder.name if holder else "")


async def tell_colleagues(
    turn: Turn, member: Member, case: Case, key: str, **params: object
) -> None:
    """Let the other reachable members of the field know (never those the case names)."""
    hidden = await turn.uow.cases.excluded(case.id)
    for other in await field_members(turn.uow, turn.config, case.field_id):
        if other.id != member.id and other.id not in hidden and other.chat and other.reachable:
            turn.send(
                turn.render.say(other.chat, key, code=case.code, member=member.name, **params)
            )
