"""Closing the loop with the citizen: resolved or not, a 1–5 rating, withdrawing a case."""

from __future__ import annotations

import logging

from bot.domain.errors import UserError
from bot.domain.lifecycle import Action, can, plan
from bot.domain.model import Case, CaseEvent
from bot.domain.outbound import Button, Outbound
from bot.domain.tracking_code import normalise_code
from bot.services import transitions
from bot.services.turn import Turn

log = logging.getLogger(__name__)

RATINGS = range(1, 6)


async def own_case(turn: Turn, case_id: int) -> Case:
    """The case, if the person writing is the citizen who submitted it."""
    case = await turn.uow.cases.get(case_id)
    citizen = await turn.uow.citizens.touch(turn.sender, turn.now)
    if case is None or await turn.uow.cases.citizen_of(case.id) != citizen.id:
        raise UserError("button_invalid")
    return case


async def resolved(turn: Turn, case_id: int) -> None:
    """Đã giải quyết: the citizen is satisfied; the case closes; ask for a rating."""
    case = await own_case(turn, case_id)
    await _record(turn, case, "resolved", None)
    if can(Action.CLOSE, case.state):
        transition = plan(Action.CLOSE, case, None, in_field=False)
        await transitions.apply(turn, case, transition, actor="citizen", tell_citizen=False)
    turn.say("thanks_resolved", code=case.code)
    ask_rating(turn, case)


async def not_resolved(turn: Turn, case_id: int) -> None:
    """Chưa giải quyết: the case reopens; its holder and the chair are told."""
    case = await own_case(turn, case_id)
    await _record(turn, case, "not_resolved", None)
    if can(Action.REOPEN, case.state):
        transition = plan(Action.REOPEN, case, None, in_field=False)
        case = await transitions.apply(turn, case, transition, actor="citizen")
        await transitions.notify_handlers(turn, case, "reopened_by_citizen")
    else:
        turn.say("feedback_already", code=case.code)
    ask_rating(turn, case)


async def rate(turn: Turn, case_id: int, score: str) -> None:
    """The citizen's 1–5 rating of the answer (the latest one counts)."""
    case = await own_case(turn, case_id)
    if not (score.isascii() and score.isdigit() and int(score) in RATINGS):
        raise UserError("button_invalid")
    await _record(turn, case, "rated", score)
    turn.say("thanks_rating", code=case.code, score=int(score))


async def withdraw(turn: Turn, text: str) -> None:
    """/rut CODE: the citizen takes their case back."""
    code = normalise_code(text)
    case = await turn.uow.cases.by_code(code) if code else None
    citizen = await turn.uow.citizens.touch(turn.sender, turn.now)
    if case is None or await turn.uow.cases.citizen_of(case.id) != citizen.id:
        turn.say("lookup_not_found" if code else "withdraw_usage")
        return
    if not can(Action.WITHDRAW, case.state):
        raise UserError("case_not_open", code=case.code, state=turn.render.state(case))
    transition = plan(Action.WITHDRAW, case, None, in_field=False)
    case = await transitions.apply(turn, case, transition, actor="citizen")
    await transitions.notify_handlers(turn, case, "withdrawn_notice")


def ask_rating(turn: Turn, case: Case) -> None:
    """Buttons ⭐1 … ⭐5."""
    buttons = tuple(Button("⭐" * n, f"c:rate:{case.id}:{n}") for n in RATINGS)
    turn.send(
        Outbound(
            chat=turn.chat,
            text=turn.render.t("ask_rating", code=case.code),
            buttons=(buttons[:3], buttons[3:]),
        )
    )


async def _record(turn: Turn, case: Case, action: str, note: str | None) -> None:
    await turn.uow.cases.add_event(
        CaseEvent(case.id, action, "citizen", None, None, note, turn.now)
    )
    await turn.uow.audit("citizen", action, case.id, note, turn.now)
