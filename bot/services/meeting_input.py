"""Which typed answer a meeting flow waits for (a title, a date-time, a reason), kept in the
chat's stored dialog so that a restart mid-flow loses nothing."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.ports import StoredDialog
from bot.services.turn import Turn

MEETING_INPUT = "meeting_input"


async def expect_text(turn: Turn, step: str, data: dict[str, Any]) -> None:
    """The person's next text message completes `step` of a meeting flow."""
    stored = StoredDialog(MEETING_INPUT, step, json.dumps(data, ensure_ascii=False))
    await turn.uow.dialogs.put(turn.dialog_chat, stored, turn.now)


async def pending_step(turn: Turn) -> tuple[str, dict[str, Any]] | None:
    """The meeting flow's step waiting for text, and its data; None if there is none."""
    stored = await turn.uow.dialogs.get(turn.dialog_chat)
    if stored is None or stored.kind != MEETING_INPUT:
        return None
    data = json.loads(stored.data)
    return stored.step, data if isinstance(data, dict) else {}


async def finish(turn: Turn) -> None:
    """The meeting flow is over."""
    if await pending_step(turn) is not None:
        await turn.uow.dialogs.delete(turn.dialog_chat)
