"""What the minute taker types next: a conclusion, a task's due day, or a case's tracking code.

The step waiting for it is a stored dialog (`minutes.ask_input`), so it survives restarts; /huy
drops it.
"""

from __future__ import annotations

import json

from bot.domain.errors import UserError
from bot.domain.intake_dialog import Event, TextInput
from bot.services import conclusion_relay, minutes, tasks
from bot.services.turn import Turn


async def continue_input(turn: Turn, event: Event) -> bool:
    """Complete the waiting step with this message; False if no minutes step is waiting."""
    stored = await turn.uow.dialogs.get(turn.dialog_chat)
    if stored is None or stored.kind != minutes.MINUTES_INPUT:
        return False
    if not isinstance(event, TextInput):
        raise UserError("minutes_text_only")
    data = json.loads(stored.data)
    if stored.step == "conclusion":
        await minutes.add_conclusion(turn, int(data["occurrence_id"]), event.text)
    elif stored.step == "due":
        await tasks.set_due(turn, int(data["conclusion_id"]), str(data["owner"]), event.text)
    elif stored.step == "case":
        await conclusion_relay.link_case(turn, int(data["conclusion_id"]), event.text)
    else:  # a step from a newer version after a downgrade: start over rather than guess
        await turn.uow.dialogs.delete(turn.dialog_chat)
        turn.say("input_cancelled_minutes")
    return True


async def cancel_input(turn: Turn) -> bool:
    """/huy while a minutes step waits; False if none does."""
    stored = await turn.uow.dialogs.get(turn.dialog_chat)
    if stored is None or stored.kind != minutes.MINUTES_INPUT:
        return False
    await turn.uow.dialogs.delete(turn.dialog_chat)
    turn.say("input_cancelled_minutes")
    return True
