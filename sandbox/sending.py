"""Bot API methods that put messages into chats."""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable

from sandbox.outgoing import (
    caption_fields,
    content_of,
    deliver,
    envelope,
    input_media,
    text_fields,
    writable_chat,
)
from sandbox.state import SandboxState
from sandbox.wire import JsonDict, Params, bad_request


async def send_message(state: SandboxState, p: Params) -> JsonDict:
    """sendMessage."""
    chat_id = writable_chat(state, p.chat_id())
    content = {**text_fields(p), **envelope(state, chat_id, p)}
    return deliver(state, chat_id, content)


def _media_sender(kind: str) -> Callable[[SandboxState, Params], Awaitable[JsonDict]]:
    async def send_media(state: SandboxState, p: Params) -> JsonDict:
        chat_id = writable_chat(state, p.chat_id())
        captions = caption_fields(p) if kind not in ("sticker", "video_note") else {}
        envelope_fields = envelope(state, chat_id, p)
        media = input_media(state, p.files, p.values.get(kind), kind, kind)
        inner = media.get(kind)
        if isinstance(inner, dict):
            for field in ("duration", "width", "height", "performer", "title", "length"):
                if p.has(field):
                    inner[field] = p.values[field]
        return deliver(state, chat_id, {**media, **captions, **envelope_fields})

    send_media.__doc__ = f"send{kind.title().replace('_', '')}."
    return send_media


send_photo = _media_sender("photo")
send_document = _media_sender("document")
send_voice = _media_sender("voice")
send_video = _media_sender("video")
send_audio = _media_sender("audio")
send_animation = _media_sender("animation")
send_sticker = _media_sender("sticker")
send_video_note = _media_sender("video_note")


async def send_location(state: SandboxState, p: Params) -> JsonDict:
    """sendLocation."""
    chat_id = writable_chat(state, p.chat_id())
    latitude, longitude = p.get_float("latitude"), p.get_float("longitude")
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        raise bad_request("wrong latitude or longitude")
    location = {"latitude": latitude, "longitude": longitude}
    return deliver(state, chat_id, {"location": location, **envelope(state, chat_id, p)})


async def send_contact(state: SandboxState, p: Params) -> JsonDict:
    """sendContact."""
    chat_id = writable_chat(state, p.chat_id())
    phone, first_name = p.get_str("phone_number"), p.get_str("first_name")
    if not phone or not first_name:
        raise bad_request("phone number and first name must be non-empty")
    contact: JsonDict = {"phone_number": phone, "first_name": first_name}
    if p.get_str("last_name"):
        contact["last_name"] = p.get_str("last_name")
    return deliver(state, chat_id, {"contact": contact, **envelope(state, chat_id, p)})


async def send_media_group(state: SandboxState, p: Params) -> list[JsonDict]:
    """sendMediaGroup: 2-10 items sharing one media_group_id."""
    chat_id = writable_chat(state, p.chat_id())
    items = p.get_list("media")
    if items is None or not 2 <= len(items) <= 10:
        raise bad_request("wrong number of media in the group: must be 2-10")
    envelope_fields = envelope(state, chat_id, p)
    group_id = str(int(time.time() * 1000)) + secrets.token_hex(2)
    contents = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in (
            "photo",
            "video",
            "document",
            "audio",
        ):
            raise bad_request("can't parse InputMedia: unsupported type")
        kind = str(item["type"])
        captions = caption_fields(Params({k: v for k, v in item.items() if k != "media"}))
        media = input_media(state, p.files, item.get("media"), "media", kind)
        contents.append({**media, **captions, **envelope_fields, "media_group_id": group_id})
    return [deliver(state, chat_id, content) for content in contents]


async def copy_message(state: SandboxState, p: Params) -> JsonDict:
    """copyMessage: the content again, as a new bot message with no trace of the source."""
    chat_id = writable_chat(state, p.chat_id())
    source = state.find_message(p.chat_id("from_chat_id"), p.get_int("message_id") or 0)
    if source is None:
        raise bad_request("message to copy not found")
    content = content_of(source)
    if p.has("caption"):
        for key in ("caption", "caption_entities", "_html"):
            content.pop(key, None)
        if "text" not in content:
            content.update(caption_fields(p))
    message = deliver(state, chat_id, {**content, **envelope(state, chat_id, p)})
    return {"message_id": message["message_id"]}


async def forward_message(state: SandboxState, p: Params) -> JsonDict:
    """forwardMessage: the content plus forward_origin naming the original sender."""
    chat_id = writable_chat(state, p.chat_id())
    source = state.find_message(p.chat_id("from_chat_id"), p.get_int("message_id") or 0)
    if source is None:
        raise bad_request("message to forward not found")
    origin: JsonDict = {"type": "user", "sender_user": source["from"], "date": source["date"]}
    content = {**content_of(source), "forward_origin": origin}
    if p.get_bool("protect_content"):
        content["has_protected_content"] = True
    return deliver(state, chat_id, content)


async def send_chat_action(state: SandboxState, p: Params) -> bool:
    """sendChatAction."""
    writable_chat(state, p.chat_id())
    if not p.get_str("action"):
        raise bad_request("action is empty")
    return True
