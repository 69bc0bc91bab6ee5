"""Applying a checked lifecycle transition: store it, record it, tell the citizen."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.lifecycle import CITIZEN_NOTICES, Action, Transition
from bot.domain.model import Case, CaseEvent
from bot.domain.outbound import LinkRole
from bot.services.deadlines import reschedule_case
from bot.services.routing import field_members
from bot.services.turn import Turn


async def apply(
    turn: Turn,
    case: Case,
    transition: Transition,
    *,
    actor: str,
    assignee_id: str | None = None,
    note: str | None = None,
    tell_citizen: bool = True,
) -> Case:
    """Store the new state (and assignee), record event and audit line, notify the citizen."""
    updated = replace(case, state=transition.after)
    if assignee_id is not None:
        updated = replace(updated, assignee_id=assignee_id)
    if transition.action is Action.ANSWER and updated.answered_at is None:
        updated = replace(updated, answered_at=turn.now)
    await turn.uow.cases.update(updated, turn.now)
    event = CaseEvent(
        case.id, transition.action.value, actor, transition.before, transition.after, note, turn.now
    )
    await turn.uow.cases.add_event(event)
    detail = f"{transition.before.value}->{transition.after.value}"
    if assignee_id is not None:
        detail += f" assignee={assignee_id}"
    await turn.uow.audit(actor, transition.action.value, case.id, detail, turn.now)
    if transition.action is Action.REOPEN:
        # Its reminders were dropped while it was answered: plan escalation and progress again.
        await reschedule_case(turn.uow, turn.config, turn.calendar, updated, turn.now)
    key = CITIZEN_NOTICES.get(transition.action)
    if tell_citizen and key is not None:
        await tell_citizen_about(turn, updated, key, note=note or "")
    return updated


async def tell_citizen_about(turn: Turn, case: Case, key: str, **params: object) -> None:
    """A message to the case's citizen (through the bot: no member ever needs their chat)."""
    chat = await turn.uow.citizens.chat_of(await turn.uow.cases.citizen_of(case.id))
    for message in turn.render.long_text(
        chat, key, str(params.pop("note", "")), code=case.code, **params
    ):
        turn.send(replace(message, case_id=case.id, link_role=LinkRole.CITIZEN_NOTICE))


async def notify_handlers(turn: Turn, case: Case, key: str, *, exclude: str | None = None) -> None:
    """The holder (or, with none, the field's members) and the chairs hear about the case."""
    hidden = await turn.uow.cases.excluded(case.id)
    targets = {m.id: m for m in await turn.uow.members.all_active() if m.is_chair}
    holder = await turn.uow.members.get(case.assignee_id or "")
    if holder is not None:
        targets[holder.id] = holder
    else:
        targets.update({m.id: m for m in await field_members(turn.uow, turn.config, case.field_id)})
    for member in targets.values():
        if member.id in hidden or member.id == exclude:
            continue
        if member.chat is not None and member.reachable:
            turn.send(turn.render.say(member.chat, key, code=case.code))
