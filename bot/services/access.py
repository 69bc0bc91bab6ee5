"""Who may see and act on which case: re-checked on every action, whatever a button claims."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.model import Case, CaseKind, Member, Role
from bot.services.routing import field_members
from bot.services.turn import Turn

FORMAL_KINDS = frozenset({CaseKind.COMPLAINT, CaseKind.DENUNCIATION})


def require_member(turn: Turn) -> Member:
    """The acting member, or a polite refusal for everyone else."""
    if turn.member is None:
        raise UserError("not_member")
    return turn.member


def require_chair(turn: Turn) -> Member:
    """The acting chair or deputy."""
    member = require_member(turn)
    if not member.is_chair:
        raise UserError("chair_only")
    return member


def require_minute_taker(turn: Turn) -> Member:
    """The acting secretary, chair or deputy: those who keep meeting minutes."""
    member = require_member(turn)
    if not (member.is_chair or Role.SECRETARY in member.roles):
        raise UserError("secretary_only")
    return member


async def in_field(turn: Turn, member: Member, case: Case) -> bool:
    """Whether the member is listed for the case's field (or receives its formal route)."""
    if case.kind in FORMAL_KINDS and Role.RECEPTION in member.roles:
        return True
    return member.id in {m.id for m in await field_members(turn.uow, turn.config, case.field_id)}


async def visible_case(turn: Turn, member: Member, case_id: int) -> Case:
    """The case, if this member may see it: chair, field member or its holder; never if it names them."""
    case = await turn.uow.cases.get(case_id)
    if case is None:
        raise UserError("button_invalid")
    if member.id in await turn.uow.cases.excluded(case.id):
        raise UserError("not_allowed")
    if member.is_chair or case.assignee_id == member.id or await in_field(turn, member, case):
        return case
    if member.id in await turn.uow.cases.supporters(case.id):
        return case
    raise UserError("not_allowed")
