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

The poller and the webhook hand each update on as JSON to an `UpdateHandler`: by default
`through_application` (read here, then PTB's handler table); the composition root gives them
one that reads the commonest shapes without PTB objects first (bot/handlers/telegram_handlers.py).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application

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


# Handles one update given as its JSON object; False when it could not be read (it was then
# skipped, its content unlogged). Handler errors go to the Application's error handlers.
UpdateHandler = Callable[[Mapping[str, Any]], Awaitable[bool]]


def through_application(app: Application[Any, Any, Any, Any, Any, Any]) -> UpdateHandler:
    """Each update read into PTB objects and given to the Application's handler table."""

    async def handle(data: Mapping[str, Any]) -> bool:
        update = read_update(data, app.bot)
        if update is None:
            return False
        # process_update routes handler errors to the error handlers; it never raises.
        await app.process_update(update)
        return True

    return handle


def update_id_of(data: object) -> int | None:
    """The `update_id` of a JSON object, if it has a proper one."""
    if not isinstance(data, dict):
        return None
    update_id = data.get("update_id")
    return update_id if type(update_id) is int else None


def press_id_of(data: Mapping[str, Any]) -> str | None:
    """The id of the callback query an update carries, to answer once it is committed."""
    query = data.get("callback_query")
    press_id = query.get("id") if isinstance(query, dict) else None
    return press_id if isinstance(press_id, str) else None


def chat_key_of(data: Mapping[str, Any]) -> int:
    """Whose updates must stay in order with this one: its chat, else its sender, else 0.

    The same chat as PTB's `Update.effective_chat` for the updates homthu asks for.
    """
    body = data.get("message") or data.get("edited_message")
    sender: object = None
    if isinstance(body, dict):
        sender = body.get("from")
    else:
        query = data.get("callback_query")
        if isinstance(query, dict):
            body = query.get("message")
            sender = query.get("from")
    for holder in (body.get("chat") if isinstance(body, dict) else None, sender):
        if isinstance(holder, dict) and type(holder.get("id")) is int:
            return int(holder["id"])
    return 0
