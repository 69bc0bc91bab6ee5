"""The rest of a case's life for members: the action menu, notes, kinds, hand-overs, closing.

Each action re-checks the member, the case and the lifecycle (`bot.domain.lifecycle`) before it
changes anything; the citizen hears about every transition that concerns them.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.domain.errors import UserError
from bot.domain.lifecycle import Action, can, plan
from bot.domain.model import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseKind,
    CaseState,
    Member,
    MessageKind,
    Role,
)
from bot.domain.outbound import Button, Outbound
from bot.domain.tracking_code import normalise_code
from bot.services import transitions
from bot.services.access import FORMAL_KINDS, in_field, require_member, visible_case
from bot.services.answering import ask_for_input, checked, checked_text, tell_colleagues
from bot.services.routing import field_members, notify_members
from bot.services.turn import Turn

log = logging.getLogger(__name__)

# Actions completed by the member's next text message, with the prompt that asks for it.
TEXT_ACTIONS = {
    "note": "note_prompt",
    "ask": "ask_prompt",
    "merge": "merge_prompt",
    "transfer": "transfer_prompt",
    "reject": "reject_prompt",
    "outcome": "outcome_prompt",
}


async def menu(turn: Turn, case_id: int) -> None:
    """Thao tác: the actions this member may take on the case now, as buttons."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    render = turn.render
    holder_or_free = case.assignee_id in (None, member.id) or member.is_chair
    options: list[tuple[str, str]] = [("btn_note", f"m:note:{case.id}")]
    if holder_or_free:
        options.append(("btn_kind", f"m:kind:{case.id}"))
        if can(Action.START, case.state):
            options.append(("btn_start", f"m:start:{case.id}"))
        if case.state in OPEN_STATES and case.waiting_since is None:
            options.append(("btn_ask", f"m:ask:{case.id}"))
        if can(Action.HAND_OVER, case.state):
            options.append(("btn_hand_over", f"m:handover:{case.id}"))
            options.append(("btn_support", f"m:support:{case.id}"))
        if can(Action.TRANSFER, case.state):
            options.append(("btn_transfer", f"m:transfer:{case.id}"))
        if can(Action.CLOSE, case.state):
            options.append(("btn_close", f"m:close:{case.id}"))
        if can(Action.MERGE, case.state):
            options.append(("btn_merge", f"m:merge:{case.id}"))
    if can(Action.RECORD_OUTCOME, case.state) and (
        member.is_chair or Role.RECEPTION in member.roles
    ):
        options.append(("btn_outcome", f"m:outcome:{case.id}"))
    if member.is_chair:
        if can(Action.ASSIGN, case.state):
            options.append(("btn_assign", f"m:assign:{case.id}"))
        if can(Action.REJECT, case.state):
            options.append(("btn_reject", f"m:reject:{case.id}"))
        if can(Action.REOPEN, case.state):
            options.append(("btn_reopen", f"m:reopen:{case.id}"))
    buttons = [Button(render.t(key), data) for key, data in options]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    text = render.t("menu_title", code=case.code, state=render.state(case))
    turn.send(Outbound(chat=turn.chat, text=text, buttons=rows))


async def ask_text(turn: Turn, action: str, case_id: int) -> None:
    """Ask for the note or reason an action needs; the next text message completes it."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    if action in _ACTION_OF:
        await checked(turn, _ACTION_OF[action], case.id)
    elif action == "ask":
        action_now = Action.START if case.state is CaseState.ASSIGNED else Action.ANSWER
        await checked(turn, action_now, case.id)
    await ask_for_input(turn, action, case.id)
    turn.say(TEXT_ACTIONS[action], code=case.code)


async def complete_text(turn: Turn, action: str, case_id: int, text: str) -> None:
    """The member sent the text an action was waiting for."""
    body = checked_text(turn, text)
    await turn.uow.dialogs.delete(turn.dialog_chat)
    if action == "note":
        await add_note(turn, case_id, body)
    elif action == "ask":
        await ask_citizen(turn, case_id, body)
    elif action == "merge":
        await merge(turn, case_id, body)
    else:
        await _transition_with_note(turn, _ACTION_OF[action], case_id, body)


async def ask_citizen(turn: Turn, case_id: int, body: str) -> None:
    """Hỏi thêm người dân: the question goes to the citizen and the deadline clock stops."""
    member, case, _t = await checked(turn, Action.ANSWER, case_id)
    if case.state not in OPEN_STATES:
        raise UserError("transition_refused", code=case.code, state=case.state.value)
    uow, now = turn.uow, turn.now
    await uow.cases.add_message(case.id, MessageKind.QUESTION, body, member.id, (), now)
    if case.waiting_since is None:
        await uow.cases.update(replace(case, waiting_since=now), now)
        await uow.reminders.cancel_open(case.id, now)
    await uow.cases.add_event(CaseEvent(case.id, "ask", member.id, None, None, None, now))
    await uow.audit(member.id, "ask_citizen", case.id, "clock stopped", now)
    await transitions.tell_citizen_about(turn, case, "citizen_question", note=body)
    turn.say("ask_sent", code=case.code)


async def merge(turn: Turn, case_id: int, text: str) -> None:
    """Gộp phiếu: this duplicate closes into another case; that case's answers reach both."""
    code = normalise_code(text)
    target = await turn.uow.cases.by_code(code) if code else None
    member, case, transition = await checked(turn, Action.MERGE, case_id)
    if target is None:
        raise UserError("merge_target_unknown")
    target = await visible_case(turn, member, target.id)
    mergeable = target.state in (*OPEN_STATES, CaseState.ANSWERED) and target.merged_into is None
    if target.id == case.id or not mergeable:
        raise UserError("merge_target_invalid", code=target.code)
    merged = await transitions.apply(turn, case, transition, actor=member.id, note=target.code)
    await turn.uow.cases.update(replace(merged, merged_into=target.id), turn.now)
    await turn.uow.reminders.cancel_open(case.id, turn.now)
    turn.say("merged_done", code=case.code, target=target.code)


async def add_note(turn: Turn, case_id: int, body: str) -> None:
    """An internal note: the members handling the case see it, the citizen never does."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    await turn.uow.cases.add_message(case.id, MessageKind.INTERNAL, body, member.id, (), turn.now)
    await turn.uow.audit(member.id, "note", case.id, None, turn.now)
    if member.id in await turn.uow.cases.supporters(case.id):
        await turn.uow.cases.mark_contributed(case.id, member.id, turn.now)
    turn.say("note_saved", code=case.code)
    holder = await turn.uow.members.get(case.assignee_id or "")
    if holder is not None and holder.id != member.id and holder.chat and holder.reachable:
        for message in turn.render.long_text(
            holder.chat, "note_relayed", body, code=case.code, member=member.name
        ):
            turn.send(message)


async def simple(turn: Turn, action: Action, case_id: int) -> None:
    """Actions that need no text: start, close, reopen (by the chair)."""
    member, case, transition = await checked(turn, action, case_id)
    await transitions.apply(turn, case, transition, actor=member.id)
    turn.say(
        "transition_done", code=case.code, state=turn.render.t(f"state_{transition.after.value}")
    )
    if action is Action.REOPEN:
        await transitions.notify_handlers(turn, case, "reopened_notice", exclude=member.id)


async def _transition_with_note(turn: Turn, action: Action, case_id: int, note: str) -> None:
    member, case, transition = await checked(turn, action, case_id)
    await transitions.apply(turn, case, transition, actor=member.id, note=note)
    turn.say(
        "transition_done", code=case.code, state=turn.render.t(f"state_{transition.after.value}")
    )


async def choose_kind(turn: Turn, case_id: int) -> None:
    """Phân loại: buttons for every legal kind."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    render = turn.render
    buttons = [
        Button(render.t(f"kind_{kind.value}"), f"m:setkind:{case.id}:{kind.value}")
        for kind in CaseKind
    ]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    turn.send(Outbound(chat=turn.chat, text=render.t("kind_prompt", code=case.code), buttons=rows))


async def set_kind(turn: Turn, case_id: int, value: str) -> None:
    """Record the legal kind; complaints and denunciations leave for their formal route."""
    member = require_member(turn)
    case = await visible_case(turn, member, case_id)
    try:
        kind = CaseKind(value)
    except ValueError as exc:
        raise UserError("button_invalid") from exc
    if case.assignee_id not in (None, member.id) and not member.is_chair:
        raise UserError("not_allowed")
    if kind is case.kind:
        turn.say("kind_set", code=case.code, kind=turn.render.t(f"kind_{kind.value}"))
        return
    case = await _store_kind(turn, member, case, kind)
    if kind in FORMAL_KINDS and can(Action.GUIDE, case.state):
        await guide_to_formal_route(turn, member, case)
    else:
        turn.say("kind_set", code=case.code, kind=turn.render.t(f"kind_{kind.value}"))


async def _store_kind(turn: Turn, member: Member, case: Case, kind: CaseKind) -> Case:
    updated = replace(case, kind=kind)
    await turn.uow.cases.update(updated, turn.now)
    await turn.uow.audit(member.id, "kind", case.id, f"{case.kind.value}->{kind.value}", turn.now)
    await turn.uow.cases.add_event(
        CaseEvent(case.id, "kind", member.id, None, None, kind.value, turn.now)
    )
    return updated


async def guide_to_formal_route(turn: Turn, member: Member, case: Case) -> None:
    """A complaint or denunciation: guidance to the citizen, the case to reception."""
    reception = [
        m for m in await turn.uow.members.all_active() if Role.RECEPTION in m.roles and m.reachable
    ]
    holder = reception[0].id if reception else case.assignee_id
    transition = plan(Action.GUIDE, case, member, in_field=True)
    guidance = turn.config.triage.complaint_guidance or turn.render.t(
        "complaint_guidance", commune=turn.config.commune.name
    )
    updated = await transitions.apply(
        turn, case, transition, actor=member.id, assignee_id=holder, note=guidance
    )
    turn.say("guided_done", code=case.code)
    if reception:
        turn.send(
            *await notify_members(
                turn.uow, turn.render, updated, reception, title_key="title_formal_case"
            )
        )
    else:
        log.warning("case %s guided but no reception officer is reachable", case.id)


async def choose_member(turn: Turn, action: str, case_id: int) -> None:
    """Giao cho… / Chuyển người khác: buttons with the members who may take the case."""
    act = Action.ASSIGN if action == "assign" else Action.HAND_OVER
    member, case, _t = await checked(turn, act, case_id)
    hidden = await turn.uow.cases.excluded(case.id)
    candidates = [
        m
        for m in await field_members(turn.uow, turn.config, case.field_id)
        if m.id not in hidden and m.id != case.assignee_id
    ]
    if member.is_chair:
        candidates += [
            m
            for m in await turn.uow.members.all_active()
            if m.is_chair
            and m.id not in hidden
            and m not in candidates
            and m.id != case.assignee_id
        ]
    if not candidates:
        raise UserError("no_candidates", code=case.code)
    verb = "assignto" if act is Action.ASSIGN else "handto"
    buttons = tuple((Button(m.name, f"m:{verb}:{case.id}:{m.id}"),) for m in candidates)
    turn.send(
        Outbound(
            chat=turn.chat, text=turn.render.t("choose_member", code=case.code), buttons=buttons
        )
    )


async def give_to(turn: Turn, action: str, case_id: int, member_id: str) -> None:
    """Assign (chair) or hand over (holder) the case to a member of its field."""
    act = Action.ASSIGN if action == "assignto" else Action.HAND_OVER
    member, case, transition = await checked(turn, act, case_id)
    target = await turn.uow.members.get(member_id)
    hidden = await turn.uow.cases.excluded(case.id)
    eligible = (
        target is not None
        and target.id not in hidden
        and (await in_field(turn, target, case) or target.is_chair)
    )
    if target is None or not eligible:
        raise UserError("button_invalid")
    updated = await transitions.apply(
        turn, case, transition, actor=member.id, assignee_id=target.id
    )
    turn.say("given_to", code=case.code, member=target.name)
    if target.chat is not None and target.id != member.id:
        turn.send(turn.render.say(target.chat, "given_to_you", code=case.code, member=member.name))
        turn.send(*await notify_members(turn.uow, turn.render, updated, [target]))
    await tell_colleagues(turn, member, case, "given_other", target=target.name)


async def choose_supporter(turn: Turn, case_id: int) -> None:
    """Thêm người phối hợp: buttons with the members who may support the lead."""
    member, case, _t = await checked(turn, Action.HAND_OVER, case_id)
    hidden = await turn.uow.cases.excluded(case.id)
    already = await turn.uow.cases.supporters(case.id)
    candidates = [
        m
        for m in await turn.uow.members.all_active()
        if m.id not in hidden
        and m.id not in already
        and m.id != case.assignee_id
        and (m.is_chair or await in_field(turn, m, case) or member.is_chair)
    ]
    if not candidates:
        raise UserError("no_candidates", code=case.code)
    buttons = tuple((Button(m.name, f"m:supto:{case.id}:{m.id}"),) for m in candidates[:20])
    text = turn.render.t("choose_supporter", code=case.code)
    turn.send(Outbound(chat=turn.chat, text=text, buttons=buttons))


async def add_supporter(turn: Turn, case_id: int, member_id: str) -> None:
    """Ask a member to support (phối hợp): they get the card and contribute an internal note."""
    member, case, _t = await checked(turn, Action.HAND_OVER, case_id)
    target = await turn.uow.members.get(member_id)
    active = {m.id for m in await turn.uow.members.all_active()}
    if (
        target is None
        or target.id not in active
        or target.id in await turn.uow.cases.excluded(case.id)
    ):
        raise UserError("button_invalid")
    if target.id == case.assignee_id:
        raise UserError("button_invalid")
    if not await turn.uow.cases.add_supporter(case.id, target.id, member.id, turn.now):
        turn.say("supporter_already", code=case.code, member=target.name)
        return
    await turn.uow.audit(member.id, "supporter_added", case.id, f"member={target.id}", turn.now)
    await turn.uow.cases.add_event(
        CaseEvent(case.id, "support", member.id, None, None, target.name, turn.now)
    )
    turn.say("supporter_added", code=case.code, member=target.name)
    if target.chat is not None and target.reachable:
        turn.send(
            *await notify_members(
                turn.uow, turn.render, case, [target], title_key="title_support_case"
            )
        )
        turn.send(
            turn.render.say(target.chat, "support_request", code=case.code, member=member.name)
        )


_ACTION_OF = {
    "transfer": Action.TRANSFER,
    "reject": Action.REJECT,
    "outcome": Action.RECORD_OUTCOME,
}
