"""The commonest Telegram updates read straight from their JSON into inbound events.

Most updates are a person's text (or command) in their private chat with the bot, or their press
on one of the bot's buttons there. Turning one into PTB objects costs about 90 µs of CPU (a
`telegram.Message` alone, built by its own constructor, about 40 µs); reading the few fields
`to_inbound` uses straight from the JSON costs a few µs.

`lean_inbound` reads only shapes it knows completely: every key is expected and of the type
Telegram documents, so PTB would read the update too (`read_update` never skips it) and
`to_inbound` would give the same event (tests/handlers/test_lean_updates.py checks both on the
same JSON, including random variants). Anything else, a group, a reply, media, a bot, a key
it does not know, is left to PTB: `lean_inbound` returns None and the caller reads it the usual
way. A shape that is not here costs only the usual time, so it stays small on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.inbound import ButtonPress, Command, Inbound, Message
from bot.domain.intake_dialog import TextInput
from bot.domain.model import ChatRef, Sender
from bot.handlers.translate import CHANNEL

# The keys each object may have, with their types (values may be absent unless required).
_USER = {
    "id": int,
    "is_bot": bool,
    "first_name": str,
    "last_name": str,
    "username": str,
    "language_code": str,
    "is_premium": bool,
    "added_to_attachment_menu": bool,
}
_USER_REQUIRED = ("id", "is_bot", "first_name")
_PRIVATE_CHAT = {"id": int, "type": str, "first_name": str, "last_name": str, "username": str}
_TEXT_MESSAGE = {
    "message_id": int,
    "from": dict,
    "chat": dict,
    "date": int,
    "text": str,
    "entities": list,
}
_ENTITY = {"type": str, "offset": int, "length": int}
_PRESS = {"id": str, "from": dict, "message": dict, "chat_instance": str, "data": str}
# What read_update keeps of the message under a pressed button (PRESSED_MESSAGE_KEYS), typed;
# its other keys are never read, so they may be anything.
_PRESSED_MESSAGE = {
    "message_id": int,
    "date": int,
    "chat": dict,
    "from": dict,
    "message_thread_id": int,
    "is_topic_message": bool,
}
# Dates PTB turns into a datetime without complaint (up to the year 6325).
_LAST_DATE = 2**37


def lean_inbound(data: Mapping[str, Any]) -> Inbound | None:
    """The event of a private text message or button press; None for any other shape."""
    if len(data) != 2 or not _is_int(data.get("update_id")):
        return None
    update_id = str(data["update_id"])
    message = data.get("message")
    if message is not None:
        return _text(update_id, message)
    query = data.get("callback_query")
    if query is not None:
        return _press(update_id, query)
    return None


def _text(update_id: str, message: object) -> Inbound | None:
    if not (_typed(message, _TEXT_MESSAGE, required=("message_id", "date", "text"))):
        return None
    assert isinstance(message, dict)
    if not _is_date(message["date"]):
        return None
    sender = _sender(message.get("chat"), message.get("from"))
    if sender is None:
        return None
    text: str = message["text"]
    entities = message.get("entities", ())
    if not all(_typed(e, _ENTITY, required=("type", "offset", "length")) for e in entities):
        return None
    # As translate._command: a bot command at the very start makes the message a command.
    first = next((e for e in entities if e["type"] == "bot_command"), None)
    if first is not None and first["offset"] == 0:
        length = first["length"]
        name = text[:length][1:].split("@", 1)[0].lower()
        return Inbound(update_id, sender, Command(name=name, args=text[length:].strip()))
    return Inbound(update_id, sender, Message(TextInput(text)))


def _press(update_id: str, query: object) -> Inbound | None:
    if not _typed(query, _PRESS, required=("id", "from", "message", "chat_instance", "data")):
        return None
    assert isinstance(query, dict)
    pressed = query["message"]
    kept = {k: v for k, v in pressed.items() if k in _PRESSED_MESSAGE}
    if not _typed(kept, _PRESSED_MESSAGE, required=("message_id", "date", "chat")):
        return None
    if not _is_date(kept["date"]):
        return None
    if "from" in kept and not _typed(kept["from"], _USER, required=_USER_REQUIRED):
        return None
    sender = _sender(kept["chat"], query["from"])
    if sender is None:
        return None
    return Inbound(update_id, sender, ButtonPress(query["data"]))


def _sender(chat: object, user: object) -> Sender | None:
    """A person (not a bot) in their private chat, as translate.to_inbound names them."""
    if not _typed(chat, _PRIVATE_CHAT, required=("id", "type")):
        return None
    if not _typed(user, _USER, required=_USER_REQUIRED):
        return None
    assert isinstance(chat, dict) and isinstance(user, dict)
    if chat["type"] != "private" or user["is_bot"]:
        return None
    first: str = user["first_name"]
    if not first:
        return None  # never from Telegram; PTB would name the sender None
    last: str | None = user.get("last_name")
    return Sender(
        chat=ChatRef(CHANNEL, str(chat["id"])),
        user_id=str(user["id"]),
        full_name=f"{first} {last}" if last else first,  # as telegram.User.full_name
        username=user.get("username"),
    )


def _typed(value: object, schema: Mapping[str, type], required: tuple[str, ...] = ()) -> bool:
    """A JSON object with only keys of `schema`, each of its type, and the `required` ones."""
    if not isinstance(value, dict):
        return False
    for key, item in value.items():
        kind = schema.get(key)
        if kind is None or type(item) is not kind:  # `type is`: True is no message id
            return False
    return all(key in value for key in required)


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_date(value: int) -> bool:
    return 0 <= value < _LAST_DATE
