"""/tracuu: a case's status, for its submitter and for members; nobody else learns anything."""

from __future__ import annotations

from bot.domain.model import MessageKind
from bot.domain.tracking_code import normalise_code
from bot.services.turn import Turn


async def look_up(turn: Turn, text: str) -> None:
    """Show the status of the case whose code is in `text`."""
    code = normalise_code(text)
    if code is None:
        turn.say("lookup_usage")
        return
    uow = turn.uow
    case = await uow.cases.by_code(code)
    allowed = case is not None and (
        turn.member is not None
        or (await uow.citizens.touch(turn.sender, turn.now)).id
        == await uow.cases.citizen_of(case.id)
    )
    if case is None or not allowed:
        # Exactly the same reply as for a code that does not exist: no enumeration.
        turn.say("lookup_not_found")
        return
    render = turn.render
    answers = [
        (render.datetime(m.created_at), m.body or "")
        for m in await uow.cases.messages(case.id)
        if m.kind is MessageKind.ANSWER
    ]
    turn.say(
        "status",
        code=case.code,
        state=render.state(case),
        field=render.field_name(case.field_id),
        village=case.village,
        created=render.datetime(case.created_at),
        due=render.date(case.due_at),
        answers=answers,
    )
