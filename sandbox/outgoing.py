"""Shared checks and builders for messages the bot sends."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.files import DEFAULT_MIME
from sandbox.forum import thread_fields
from sandbox.html_check import parse_formatted
from sandbox.markup import check_reply_markup, is_inline
from sandbox.state import SandboxState, api_view, public
from sandbox.wire import ApiError, JsonDict, Params, UploadedFile, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_STARTED = "Forbidden: bot can't initiate conversation with a user"


def writable_chat(state: SandboxState, chat_id: int) -> int:
    """Check the bot may post in the chat, like Telegram: blocked, never started, unknown."""
    if chat_id in state.groups:
        return chat_id
    if chat_id <= 0:
        raise bad_request("chat not found")
    if chat_id in state.blocked:
        raise ApiError(403, BLOCKED)
    person = state.people.get(chat_id)
    if state.require_start and (person is None or not person.started):
        raise ApiError(403, NOT_STARTED)
    state.person(chat_id)
    return chat_id


def formatted(p: Params, key: str, entities_key: str, limit: int) -> JsonDict:
    """Parse text or caption with its parse_mode; return the Message fields it yields."""
    source = p.get_str(key) or ""
    parse_mode = p.get_str("parse_mode")
    parsed = parse_formatted(source, parse_mode)
    entities = p.get_list(entities_key) or parsed.entities
    if len(parsed.text) > limit:
        raise bad_request("message is too long" if key == "text" else "message caption is too long")
    fields: JsonDict = {key: parsed.text} if parsed.text else {}
    if entities:
        fields[entities_key] = entities
    if parse_mode and parse_mode.lower() == "html":
        fields[f"_{key}_html"] = source
    return fields


def text_fields(p: Params) -> JsonDict:
    """The text, entities and raw HTML of a sendMessage or editMessageText."""
    fields = formatted(p, "text", "entities", MAX_TEXT)
    if not fields.get("text", "").strip():
        raise bad_request("message text is empty")
    if "_text_html" in fields:
        fields["_html"] = fields.pop("_text_html")
    return fields


def caption_fields(p: Params) -> JsonDict:
    """The caption fields of a media message (empty when there is no caption)."""
    fields = formatted(p, "caption", "caption_entities", MAX_CAPTION)
    if "_caption_html" in fields:
        fields["_html"] = fields.pop("_caption_html")
    return fields


def reply_target(state: SandboxState, chat_id: int, p: Params) -> JsonDict | None:
    """The message being replied to, per reply_parameters or reply_to_message_id."""
    parameters = p.get_dict("reply_parameters") or {}
    message_id = parameters.get("message_id", p.get_int("reply_to_message_id"))
    if message_id is None:
        return None
    allow_missing = parameters.get("allow_sending_without_reply") or p.get_bool(
        "allow_sending_without_reply"
    )
    target_chat = int(parameters.get("chat_id", chat_id))
    target = state.find_message(target_chat, int(message_id))
    if target is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    snapshot = public(target)
    snapshot.pop("reply_to_message", None)
    return snapshot


def envelope(state: SandboxState, chat_id: int, p: Params) -> JsonDict:
    """Message fields every send shares: topic, reply, markup, protection, link preview."""
    fields = thread_fields(state, chat_id, p.get_int("message_thread_id"))
    reply = reply_target(state, chat_id, p)
    if reply is not None:
        fields["reply_to_message"] = reply
    markup = check_reply_markup(p.get_dict("reply_markup"))
    if is_inline(markup):
        fields["reply_markup"] = markup
    elif markup is not None:
        fields["_reply_keyboard"] = markup
    if p.get_bool("protect_content"):
        fields["has_protected_content"] = True
    preview = p.get_dict("link_preview_options")
    if preview is not None:
        fields["link_preview_options"] = preview
    return fields


def deliver(state: SandboxState, chat_id: int, content: JsonDict) -> JsonDict:
    """Store a bot message, update the chat's reply keyboard, return the API view (for the
    answer to the call: see `api_view`)."""
    message = state.add_message(chat_id, state.bot_user, content)
    keyboard = content.get("_reply_keyboard")
    if keyboard is not None and keyboard.get("remove_keyboard"):
        state.reply_keyboards.pop(chat_id, None)
    elif keyboard is not None and "keyboard" in keyboard:
        state.reply_keyboards[chat_id] = copy.deepcopy(keyboard)
    return api_view(message)


def _uploaded(p_files: dict[str, UploadedFile], value: object, key: str) -> UploadedFile | None:
    if isinstance(value, str) and value.startswith("attach://"):
        found = p_files.get(value.removeprefix("attach://"))
        if found is None:
            raise bad_request(f"can't find attached file {value}")
        return found
    return p_files.get(key) if value is None else None


def input_media(
    state: SandboxState, p_files: dict[str, UploadedFile], value: Any, key: str, kind: str
) -> JsonDict:
    """Resolve an InputFile (upload, attach://, URL or file_id) to Message content."""
    upload = _uploaded(p_files, value, key)
    if upload is not None:
        mime = upload.content_type
        if mime == "application/octet-stream":
            mime = DEFAULT_MIME.get(kind, mime)
        if kind == "photo":
            return {"photo": state.files.add_photo(upload.data)}
        stored = state.files.add(kind, upload.data, upload.filename, mime)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        name = value.rsplit("/", 1)[-1] or "file"
        if kind == "photo":
            return {"photo": state.files.add_photo(value.encode())}
        stored = state.files.add(
            kind, f"fetched from {value}".encode(), name, DEFAULT_MIME.get(kind)
        )
    elif isinstance(value, str) and value:
        found = state.files.get(value)
        if found is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if found.kind != kind:
            raise bad_request(f"can't use file of type {found.kind} as {kind}")
        if kind == "photo":
            return {"photo": copy.deepcopy(found.photo_sizes)}
        stored = found
    else:
        raise bad_request(f"there is no {key} in the request")
    return {kind: stored.as_media()}


def content_of(message: JsonDict) -> JsonDict:
    """The copyable part of a message: text or media with caption, and their entities."""
    keys = (
        "text", "entities", "caption", "caption_entities", "photo", "document", "voice",
        "video", "audio", "sticker", "animation", "video_note", "location", "contact",
        "_html",
    )  # fmt: skip
    return {key: copy.deepcopy(message[key]) for key in keys if key in message}
