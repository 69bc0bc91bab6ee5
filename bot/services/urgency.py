"""Urgent content: the emergency numbers at once, and the chair alerted. Never a promise of rescue."""

from __future__ import annotations

import logging

from bot.domain.text_matching import first_phrase
from bot.services.routing import chairs
from bot.services.turn import Turn

log = logging.getLogger(__name__)
EXCERPT_CHARS = 600


async def react_if_urgent(turn: Turn, text: str) -> None:
    """If a citizen's text looks urgent, reply with the emergency numbers and alert the chairs."""
    triage = turn.config.triage
    word = first_phrase(text, triage.urgent_words)
    if word is None:
        return
    turn.say("urgent_reply", numbers=triage.emergency_numbers)
    excerpt = text[:EXCERPT_CHARS]
    for chair in await chairs(turn.uow):
        if chair.chat is not None:
            turn.send(
                turn.render.say(
                    chair.chat,
                    "urgent_alert",
                    word=word,
                    when=turn.render.datetime(turn.now),
                    text=excerpt,
                )
            )
    await turn.uow.audit("system", "urgent_alert", None, word, turn.now)
    log.warning("urgent message alerted to the chair")
