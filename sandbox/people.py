"""The user side: emulated people writing to the bot, pressing buttons, sending media."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from sandbox import forum
from sandbox.entities import detect_entities
from sandbox.markup import has_callback_button, keyboard_button
from sandbox.state import CallbackRecord, Person, SandboxState, json_copy, public
from sandbox.wire import JsonDict


class UserSide:
    """Helpers that act as Telegram users; each returns the Message or CallbackQuery it made."""

    state: SandboxState

    def add_user(
        self,
        user_id: int,
        first_name: str = "An",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        *,
        started: bool = False,
    ) -> JsonDict:
        """Create or rename a user; `started=True` as if they had already written to the bot."""
        person = self.state.people.get(user_id) or Person(user_id, first_name)
        person.first_name, person.last_name = first_name, last_name
        person.username, person.language_code = username, language_code
        person.started = person.started or started
        self.state.people[user_id] = person
        if user_id in self.state.logs:
            self.state.logs[user_id].chat = person.as_chat()
        return person.as_user()

    def add_group(
        self, chat_id: int, title: str, chat_type: str = "supergroup", *, forum: bool = False
    ) -> JsonDict:
        """Create a group chat (negative id) the bot is a member of; `forum=True` has topics."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if forum and chat_type != "supergroup":
            raise ValueError("only a supergroup can have topics")
        self.state.groups[chat_id] = {"id": chat_id, "type": chat_type, "title": title}
        if forum:
            self.state.groups[chat_id]["is_forum"] = True
        return dict(self.state.groups[chat_id])

    def topics(self, chat_id: int) -> list[JsonDict]:
        """The forum topics created in a supergroup, oldest first."""
        return [dict(topic) for topic in self.state.topics.get(chat_id, {}).values()]

    def _post(
        self,
        user_id: int,
        content: JsonDict,
        reply_to: int | None,
        chat_id: int | None,
        thread_id: int | None = None,
    ) -> JsonDict:
        """Store a user's message in the chat and queue it as a `message` update."""
        person = self.state.person(user_id)
        person.started = True
        where = user_id if chat_id is None else chat_id
        if where != user_id and where not in self.state.groups:
            raise ValueError(f"unknown group chat {where}; add_group() it first")
        if thread_id is not None:
            if thread_id not in self.state.topics.get(where, {}):
                raise ValueError(f"no topic {thread_id} in chat {where}")
            content = {**forum.thread_fields(self.state, where, thread_id), **content}
        if reply_to is not None:
            target = self.state.find_message(where, reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {where} to reply to")
            replied = public(target)
            replied.pop("reply_to_message", None)
            content = {**content, "reply_to_message": replied}
        message = self.state.add_message(where, person.as_user(), content)
        self.state.enqueue({"message": public(message)})
        return public(message)

    def send_text(
        self,
        user_id: int,
        text: str,
        reply_to: int | None = None,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> JsonDict:
        """The user writes `text` (commands and hashtags get their entities), in a topic if given."""
        content: JsonDict = {"text": text}
        entities = detect_entities(text)
        if entities:
            content["entities"] = entities
        return self._post(user_id, content, reply_to, chat_id, thread_id)

    def _with_caption(self, content: JsonDict, caption: str | None) -> JsonDict:
        if caption:
            content["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                content["caption_entities"] = entities
        return content

    def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        reply_to: int | None = None,
        *,
        data: bytes | None = None,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends a photo (fake JPEG bytes unless `data` is given)."""
        sizes = self.state.files.add_photo(data or b"\xff\xd8\xff\xe0" + secrets.token_bytes(64))
        return self._post(user_id, self._with_caption({"photo": sizes}, caption), reply_to, chat_id)

    def _send_file(
        self,
        user_id: int,
        kind: str,
        data: bytes,
        reply_to: int | None,
        chat_id: int | None,
        caption: str | None = None,
        file_name: str | None = None,
        mime_type: str | None = None,
        **fields: Any,
    ) -> JsonDict:
        stored = self.state.files.add(kind, data, file_name, mime_type)
        content = self._with_caption({kind: stored.as_media(**fields)}, caption)
        return self._post(user_id, content, reply_to, chat_id)

    def send_document(
        self,
        user_id: int,
        file_name: str = "a.pdf",
        mime_type: str = "application/pdf",
        data: bytes = b"%PDF-1.4 sandbox",
        caption: str | None = None,
        reply_to: int | None = None,
        *,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends a document."""
        return self._send_file(
            user_id, "document", data, reply_to, chat_id, caption, file_name, mime_type
        )

    def send_voice(
        self,
        user_id: int,
        duration: int = 3,
        reply_to: int | None = None,
        *,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user records a voice message."""
        data = b"OggS" + secrets.token_bytes(32)
        return self._send_file(
            user_id, "voice", data, reply_to, chat_id, None, None, "audio/ogg", duration=duration
        )

    def send_video(
        self,
        user_id: int,
        reply_to: int | None = None,
        *,
        caption: str | None = None,
        duration: int = 5,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends a video."""
        data = b"\x00\x00\x00\x18ftypmp42" + secrets.token_bytes(32)
        return self._send_file(
            user_id, "video", data, reply_to, chat_id, caption, "video.mp4", "video/mp4",
            duration=duration,
        )  # fmt: skip

    def send_audio(
        self,
        user_id: int,
        reply_to: int | None = None,
        *,
        duration: int = 30,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user sends a music file."""
        data = b"ID3" + secrets.token_bytes(32)
        return self._send_file(
            user_id, "audio", data, reply_to, chat_id, None, "song.mp3", "audio/mpeg",
            duration=duration,
        )  # fmt: skip

    def send_sticker(
        self, user_id: int, reply_to: int | None = None, *, emoji: str = "👍"
    ) -> JsonDict:
        """The user sends a sticker."""
        data = b"RIFF" + secrets.token_bytes(32)
        return self._send_file(user_id, "sticker", data, reply_to, None, emoji=emoji)

    def send_location(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        reply_to: int | None = None,
        *,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user shares a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._post(user_id, {"location": location}, reply_to, chat_id)

    def send_contact(
        self,
        user_id: int,
        phone_number: str,
        own: bool = True,
        *,
        first_name: str | None = None,
        reply_to: int | None = None,
    ) -> JsonDict:
        """The user shares a contact; `own=True` is what a request_contact button produces."""
        person = self.state.person(user_id)
        contact: JsonDict = {
            "phone_number": phone_number,
            "first_name": first_name or (person.first_name if own else "Liên hệ"),
        }
        if own:
            contact["user_id"] = user_id
            if person.last_name:
                contact["last_name"] = person.last_name
        return self._post(user_id, {"contact": contact}, reply_to, None)

    def tap_keyboard(self, user_id: int, text: str) -> JsonDict:
        """The user taps a reply-keyboard button shown in their chat (contact buttons share it)."""
        button = keyboard_button(self.state.reply_keyboards.get(user_id), text)
        if button is None:
            raise ValueError(f"no reply-keyboard button {text!r} is shown in chat {user_id}")
        if button.get("request_contact"):
            return self.send_contact(user_id, f"+8490{user_id % 10_000_000:07d}")
        return self.send_text(user_id, text)

    def press_button(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        forged: bool = False,
        chat_id: int | None = None,
    ) -> JsonDict:
        """The user presses an inline button on a bot message (`forged=True` skips the check)."""
        where = user_id if chat_id is None else chat_id
        person = self.state.person(user_id)
        message = self.state.find_message(where, message_id)
        if not forged and (
            message is None
            or message["from"]["id"] != self.state.bot_user["id"]
            or not has_callback_button(message.get("reply_markup"), data)
        ):
            raise ValueError(f"message {message_id} in chat {where} has no button {data!r}")
        if message is None:
            # A forged press on a deleted message: Telegram sends an InaccessibleMessage.
            chat = self.state.chat(where) or person.as_chat()
            shown: JsonDict = {"chat": chat, "message_id": message_id, "date": 0}
        else:
            shown = public(message)
        person.started = True
        query: JsonDict = {
            "id": f"{user_id}{secrets.randbelow(10**9):09d}",
            "from": person.as_user(),
            "message": shown,
            "chat_instance": str(where * 7919 % 10**12),
            "data": data,
        }
        # The record keeps the very copy that is queued: the emulator only reads either.
        queued = json_copy(query)
        self.state.callback_queries[query["id"]] = CallbackRecord(queued, time.monotonic())
        self.state.enqueue({"callback_query": queued})
        return query

    def edit_text(self, user_id: int, message_id: int, new_text: str) -> JsonDict:
        """The user edits their own earlier text message; queues an `edited_message`."""
        message = self.state.find_message(user_id, message_id)
        if message is None or message["from"]["id"] != user_id or "text" not in message:
            raise ValueError(f"user {user_id} has no text message {message_id} to edit")
        message["text"] = new_text
        message.pop("entities", None)
        if entities := detect_entities(new_text):
            message["entities"] = entities
        message["edit_date"] = int(time.time())
        self.state.enqueue({"edited_message": public(message)})
        return public(message)

    def inject_update(self, raw: JsonDict) -> int:
        """Queue a hand-built update (without update_id); return its update_id."""
        return self.state.enqueue(copy.deepcopy(raw))
