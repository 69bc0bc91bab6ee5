"""Automatic assignment: a new case of a field with `auto_assign` goes round-robin to its members
on duty.

The rotation lives in the case events themselves: the next case goes to the candidate whose last
automatic assignment is oldest (or who never had one), so restarts neither skip nor repeat anyone.
"""

from __future__ import annotations

import logging

from bot.domain.lifecycle import TRANSITIONS, Action, Transition, can
from bot.domain.model import Case, Member
from bot.services import transitions
from bot.services.answering import SYSTEM_ACTOR
from bot.services.routing import field_members, notify_members
from bot.services.turn import Turn

log = logging.getLogger(__name__)


async def next_on_duty(turn: Turn, case: Case) -> Member | None:
    """The field's reachable member on duty whose turn it is, or None when nobody is."""
    field = turn.config.field(case.field_id)
    on_duty = {m.id for m in turn.config.members if m.on_duty}
    order = {member_id: index for index, member_id in enumerate(field.members)}
    candidates = sorted(
        (
            m
            for m in await field_members(turn.uow, turn.config, case.field_id)
            if m.id in on_duty and m.reachable and m.chat is not None
        ),
        key=lambda m: order[m.id],
    )
    if not candidates:
        return None
    last = await turn.uow.cases.last_auto_assignments([m.id for m in candidates])
    # Never assigned (0) comes first; ties keep the field's configured order (min is stable).
    return min(candidates, key=lambda m: last.get(m.id, 0))


async def auto_assign(turn: Turn, case: Case, colleagues: list[Member]) -> bool:
    """Assign a just-received case by rotation if its field asks for it; False if it did not.

    The assignee gets the case card; `colleagues` (the case's other recipients) hear who got it.
    A case that names a committee member is left alone: the chair decides who handles it.
    """
    field = turn.config.field(case.field_id)
    if not field.auto_assign or not can(Action.ASSIGN, case.state):
        return False
    if await turn.uow.cases.excluded(case.id):
        return False
    chosen = await next_on_duty(turn, case)
    if chosen is None:
        log.warning("case %s: nobody on duty in field %s, left in the queue", case.id, field.id)
        return False
    # `plan` lets only a chair assign, and the system is no member: the transition is the same
    # listed one (ASSIGN from an open state), built here because its actor is the bot itself.
    # The event's note names the assignee; that is what the rotation reads back.
    transition = Transition(Action.ASSIGN, case.state, TRANSITIONS[Action.ASSIGN][1] or case.state)
    updated = await transitions.apply(
        turn, case, transition, actor=SYSTEM_ACTOR, assignee_id=chosen.id, note=chosen.id
    )
    log.info("case %s auto-assigned to %s", case.id, chosen.id)
    turn.send(
        *await notify_members(
            turn.uow, turn.render, updated, [chosen], title_key="title_auto_assigned"
        )
    )
    field_name = turn.render.field_name(case.field_id)
    for other in colleagues:
        if other.id != chosen.id and other.chat is not None and other.reachable:
            turn.send(
                turn.render.say(
                    other.chat,
                    "auto_assigned_other",
                    code=case.code,
                    field=field_name,
                    member=chosen.name,
                )
            )
    return True
