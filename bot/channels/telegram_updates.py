"""Telegram updates read into python-telegram-bot objects, leaving out what no handler reads.

A button press carries the whole message the button was under: its text, entities and inline
keyboard. Turning that into PTB objects costs more than the press itself (about 290 µs against
170 µs for a press whose message keeps only its id, chat, date, sender and topic, measured with
an eight-button keyboard). The handlers read only the chat, the topic and the callback data
(bot/handlers/translate.py), so the pressed message is cut down to `PRESSED_MESSAGE_KEYS` first.
A handler that ever needs more of it must add the key here.

An update that cannot be read at all is returned as None, and the caller skips it without
logging its content (it may be personal); PTB's own `get_updates` would log the whole batch and
fail every update in it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from telegram import Bot, Update

log = logging.getLogger(__name__)

# What the handlers read of the message under a pressed button.
PRESSED_MESSAGE_KEYS = frozenset(
    {"message_id", "date", "chat", "from", "message_thread_id", "is_topic_message"}
)


def read_update(data: Mapping[str, Any], bot: Bot) -> Update | None:
    """One update from its JSON object; None if it is not a readable Telegram update."""
    try:
        query = data.get("callback_query")
        if isinstance(query, dict):
            pressed = query.get("message")
            if isinstance(pressed, dict):
                slim = {k: v for k, v in pressed.items() if k in PRESSED_MESSAGE_KEYS}
                data = {**data, "callback_query": {**query, "message": slim}}
        update = Update.de_json(dict(data), bot)
    except Exception as exc:  # malformed input of any shape; never log its content
        log.warning("skipped an update that could not be read (%s)", type(exc).__name__)
        return None
    return update


def read_updates(batch: Sequence[Any], bot: Bot) -> list[Update]:
    """The readable updates of a getUpdates result, in order."""
    updates = []
    for data in batch:
        update = read_update(data, bot) if isinstance(data, dict) else None
        if update is not None:
            updates.append(update)
    return updates
