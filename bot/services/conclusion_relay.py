"""A conclusion about a case reaches its citizen as an answer.

The minute taker types the case's tracking code; the conclusion is tied to the case, and
«Gửi cho người dân» sends it through the normal answer path (`answering.send_answer`): the
lifecycle check, the case's state and audit line, the answer in the citizen's chat with the
"resolved?" buttons, and merged duplicates' citizens too. The committee's conclusion is its
own decision, so the secretary may relay it whatever the case's field; a case that names the
minute taker stays hidden from them, and an anonymous citizen stays anonymous.
"""

from __future__ import annotations

import logging

from bot.domain.errors import UserError
from bot.domain.lifecycle import Action, can
from bot.domain.model import Case, Member
from bot.domain.outbound import Button, Outbound
from bot.domain.tracking_code import normalise_code
from bot.services.answering import send_answer, tell_colleagues
from bot.services.minutes import ask_input, taker_conclusion
from bot.services.turn import Turn

log = logging.getLogger(__name__)


async def ask_case(turn: Turn, conclusion_id: int) -> None:
    """«Gắn với phiếu»: the next text message is the case's tracking code."""
    _member, conclusion, _title = await taker_conclusion(turn, conclusion_id)
    if conclusion.relayed_at is not None:
        raise UserError("conclusion_already_relayed")
    await ask_input(turn, "case", conclusion_id=conclusion.id)
    turn.say("conclusion_case_prompt")


async def link_case(turn: Turn, conclusion_id: int, text: str) -> None:
    """The tracking code typed: tie the conclusion to the case and offer to relay it."""
    member, conclusion, _title = await taker_conclusion(turn, conclusion_id)
    if conclusion.relayed_at is not None:
        raise UserError("conclusion_already_relayed")
    code = normalise_code(text)
    case = await turn.uow.cases.by_code(code) if code else None
    if case is None or await _hidden_from(turn, member, case):
        raise UserError("conclusion_case_unknown")
    await turn.uow.dialogs.delete(turn.dialog_chat)
    await turn.uow.minutes.link_case(conclusion.id, case.id)
    render = turn.render
    if not can(Action.ANSWER, case.state):
        turn.say("conclusion_case_linked_closed", code=case.code, state=render.state(case))
        return
    buttons = ((Button(render.t("btn_conclusion_relay"), f"b:relay:{conclusion.id}"),),)
    text_out = render.t("conclusion_case_linked", code=case.code, state=render.state(case))
    turn.send(Outbound(chat=turn.chat, text=text_out, buttons=buttons))


async def relay(turn: Turn, conclusion_id: int) -> None:
    """«Gửi cho người dân»: the conclusion is the case's answer."""
    member, conclusion, _title = await taker_conclusion(turn, conclusion_id)
    if conclusion.case_id is None:
        raise UserError("button_invalid")
    if conclusion.relayed_at is not None:
        raise UserError("conclusion_already_relayed")
    case = await turn.uow.cases.get(conclusion.case_id)
    if case is None or await _hidden_from(turn, member, case):
        raise UserError("not_allowed")
    case = await send_answer(turn, member, case, conclusion.text)
    await turn.uow.minutes.mark_relayed(conclusion.id, turn.now)
    detail = f"conclusion={conclusion.id}"
    await turn.uow.audit(member.id, "conclusion_relayed", case.id, detail, turn.now)
    turn.say("conclusion_relayed", code=case.code)
    await tell_colleagues(turn, member, case, "answered_other")
    log.info("conclusion %s relayed to the citizen of case %s", conclusion.id, case.id)


async def _hidden_from(turn: Turn, member: Member, case: Case) -> bool:
    """A case that names this member is never shown to them."""
    return member.id in await turn.uow.cases.excluded(case.id)
