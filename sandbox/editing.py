"""Bot API methods that change or remove existing things: edits, deletes, answers, files."""

from __future__ import annotations

import time

from sandbox.markup import check_reply_markup, is_inline
from sandbox.outgoing import caption_fields, text_fields
from sandbox.state import SandboxState, api_view
from sandbox.wire import JsonDict, Params, bad_request

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def _editable(state: SandboxState, p: Params) -> JsonDict:
    if p.has("inline_message_id"):
        raise bad_request("inline messages are not emulated")
    message = state.find_message(p.chat_id(), p.get_int("message_id") or 0)
    if message is None:
        raise bad_request("message to edit not found")
    if message["from"]["id"] != state.bot_user["id"]:
        raise bad_request("message can't be edited")
    return message


def _new_markup(p: Params) -> JsonDict | None:
    markup = check_reply_markup(p.get_dict("reply_markup"))
    if markup is not None and not is_inline(markup):
        raise bad_request("inline keyboard expected")
    return markup


def _apply(
    state: SandboxState, message: JsonDict, fields: JsonDict, names: tuple[str, ...]
) -> JsonDict:
    """Replace the named fields (absent in `fields` means removed); stamp edit_date."""
    # Only what the user sees counts: "&lt;" and "&#60;" are the same edit to Telegram.
    unchanged = all(message.get(name) == fields.get(name) for name in names if name[0] != "_")
    if unchanged:
        raise bad_request(NOT_MODIFIED)
    for name in names:
        if fields.get(name) is None:
            message.pop(name, None)
        else:
            message[name] = fields[name]
    message["edit_date"] = int(time.time())
    state.changed.notify()
    return api_view(message)


async def edit_message_text(state: SandboxState, p: Params) -> JsonDict:
    """editMessageText (an absent reply_markup removes the inline keyboard, as in Telegram)."""
    message = _editable(state, p)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    fields = {**text_fields(p), "reply_markup": _new_markup(p)}
    return _apply(state, message, fields, ("text", "entities", "_html", "reply_markup"))


async def edit_message_caption(state: SandboxState, p: Params) -> JsonDict:
    """editMessageCaption."""
    message = _editable(state, p)
    if "text" in message:
        raise bad_request("there is no caption in the message to edit")
    fields = {**caption_fields(p), "reply_markup": _new_markup(p)}
    names = ("caption", "caption_entities", "_html", "reply_markup")
    return _apply(state, message, fields, names)


async def edit_message_reply_markup(state: SandboxState, p: Params) -> JsonDict:
    """editMessageReplyMarkup."""
    message = _editable(state, p)
    return _apply(state, message, {"reply_markup": _new_markup(p)}, ("reply_markup",))


async def delete_message(state: SandboxState, p: Params) -> bool:
    """deleteMessage."""
    chat_id, message_id = p.chat_id(), p.get_int("message_id") or 0
    if state.find_message(chat_id, message_id) is None:
        raise bad_request("message to delete not found")
    del state.logs[chat_id].messages[message_id]
    state.changed.notify()
    return True


async def answer_callback_query(state: SandboxState, p: Params) -> bool:
    """answerCallbackQuery: once per query, within `state.callback_ttl` if set."""
    record = state.callback_queries.get(p.get_str("callback_query_id") or "")
    if record is None or record.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    if state.callback_ttl is not None and time.monotonic() - record.created > state.callback_ttl:
        raise bad_request(QUERY_TOO_OLD)
    record.answer = {
        key: p.values[key] for key in ("text", "show_alert", "url", "cache_time") if p.has(key)
    }
    state.changed.notify()
    return True


async def get_file(state: SandboxState, p: Params) -> JsonDict:
    """getFile: a relative file_path for the file endpoint."""
    stored = state.files.get(p.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.as_file()
