"""Everything the emulated Telegram remembers: people, chats, messages, updates, queries."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.changes import ChangeSignal
from sandbox.files import FileStore
from sandbox.wire import JsonDict

# Telegram leaves these out unless allowed_updates asks for them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_SCALARS = frozenset({str, int, float, bool, type(None)})


def json_copy(value: Any) -> Any:
    """Copy a JSON tree: new dicts and lists all the way down, scalars shared (they are
    immutable); anything else is deep-copied. Many times cheaper than `copy.deepcopy`, which
    the emulator would otherwise pay on every message it stores, shows or queues."""
    kind = type(value)
    if kind is dict:
        # Scalars are taken as they are without a call: most values of a message are scalars.
        return {
            key: item if type(item) in _SCALARS else json_copy(item) for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in _SCALARS else json_copy(item) for item in value]
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


def public(message: JsonDict) -> JsonDict:
    """Copy a stored message without the emulator's private `_keys`, as the API shows it."""
    shown = {key: json_copy(value) for key, value in message.items() if key[0] != "_"}
    if "reply_to_message" in shown:
        shown["reply_to_message"] = public(shown["reply_to_message"])
    return shown


def api_view(message: JsonDict) -> JsonDict:
    """A stored message as the API shows it, for an answer encoded at once: the private
    `_keys` left out and nothing copied, so the caller must neither keep nor change it (a
    method's result is encoded before anything else runs; `public` is the copy to keep)."""
    shown = {key: value for key, value in message.items() if key[0] != "_"}
    if "reply_to_message" in shown:
        shown["reply_to_message"] = api_view(shown["reply_to_message"])
    return shown


def update_type(update: JsonDict) -> str:
    """The update's kind: "message", "callback_query", ..."""
    return next((key for key in update if key != "update_id"), "")


@dataclass
class Person:
    """A Telegram user; their private chat with the bot has the same id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    started: bool = False

    def _names(self) -> JsonDict:
        names: JsonDict = {"first_name": self.first_name}
        if self.last_name is not None:
            names["last_name"] = self.last_name
        if self.username is not None:
            names["username"] = self.username
        return names

    def as_user(self) -> JsonDict:
        """The `User` object."""
        user: JsonDict = {"id": self.id, "is_bot": False, **self._names()}
        if self.language_code is not None:
            user["language_code"] = self.language_code
        return user

    def as_chat(self) -> JsonDict:
        """The private `Chat` object."""
        return {"id": self.id, "type": "private", **self._names()}


@dataclass
class WebhookConfig:
    """What setWebhook stored."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of an update to the webhook: the HTTP status, or 0 for no answer at all."""

    update_id: int
    status: int
    time: float

    @property
    def accepted(self) -> bool:
        """Telegram's rule: any 2xx, and only a 2xx, means the bot has the update."""
        return 200 <= self.status < 300


@dataclass
class CallbackRecord:
    """A callback query sent to the bot and whether it was answered."""

    query: JsonDict
    created: float
    answer: JsonDict | None = None


@dataclass
class ChatLog:
    """One chat's messages by id; ids are shared by both directions, like Telegram."""

    chat: JsonDict
    messages: dict[int, JsonDict] = field(default_factory=dict)
    last_id: int = 0


class SandboxState:
    """The emulated Telegram's memory, shared by the API methods and the user-side helpers."""

    def __init__(self, token: str, bot_user: JsonDict) -> None:
        self.token = token
        self.bot_user = bot_user
        self.changed = ChangeSignal()
        self.require_start = True
        self.callback_ttl: float | None = None
        self.closing = False
        self.next_update_id = 1
        self.poll_generation = 0
        # How long a webhook POST may take before it counts as failed and is delivered again.
        self.webhook_timeout = 10.0
        self.clear()

    def clear(self) -> None:
        """Forget everything but the bot and the update_id counter (pollers hold offsets)."""
        self.people: dict[int, Person] = {}
        self.groups: dict[int, JsonDict] = {}
        # Forum topics by supergroup, then by message_thread_id.
        self.topics: dict[int, dict[int, JsonDict]] = {}
        self.logs: dict[int, ChatLog] = {}
        self.files = FileStore()
        self.updates: dict[int, JsonDict] = {}
        self.allowed_updates: list[str] | None = None
        self.callback_queries: dict[str, CallbackRecord] = {}
        self.blocked: set[int] = set()
        self.webhook: WebhookConfig | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.commands: dict[str, list[JsonDict]] = {}
        self.reply_keyboards: dict[int, JsonDict] = {}
        self.changed.notify()

    def person(self, user_id: int) -> Person:
        """Return the user, creating one with a default name on first use."""
        if user_id not in self.people:
            self.people[user_id] = Person(user_id, first_name=f"Người dùng {user_id}")
        return self.people[user_id]

    def chat(self, chat_id: int) -> JsonDict | None:
        """Return the Chat object of a known private chat or group."""
        if chat_id in self.groups:
            return dict(self.groups[chat_id])
        if chat_id in self.people:
            return self.people[chat_id].as_chat()
        return None

    def log(self, chat_id: int) -> ChatLog:
        """Return the chat's message log, creating it for a known chat."""
        if chat_id not in self.logs:
            chat = self.chat(chat_id)
            if chat is None:
                raise KeyError(chat_id)
            self.logs[chat_id] = ChatLog(chat)
        return self.logs[chat_id]

    def add_message(self, chat_id: int, sender: JsonDict, content: JsonDict) -> JsonDict:
        """Store a new message in the chat under the next message_id and return it."""
        log = self.log(chat_id)
        log.last_id += 1
        message: JsonDict = {
            "message_id": log.last_id,
            "from": json_copy(sender),
            "chat": dict(log.chat),
            "date": int(time.time()),
            **content,
        }
        log.messages[log.last_id] = message
        self.changed.notify()
        return message

    def find_message(self, chat_id: int, message_id: int) -> JsonDict | None:
        """Return the stored (live) message, or None if absent or deleted."""
        log = self.logs.get(chat_id)
        return None if log is None else log.messages.get(message_id)

    def enqueue(self, update: JsonDict) -> int:
        """Queue an update for the bot and return its update_id."""
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates[update_id] = {"update_id": update_id, **update}
        self.changed.notify()
        return update_id

    def confirm(self, offset: int) -> None:
        """Apply a getUpdates offset: forget updates below it (negative: keep the last -offset)."""
        if offset < 0:
            keep = set(list(self.updates)[offset:])
            doomed = [update_id for update_id in self.updates if update_id not in keep]
        else:
            # Queued in update_id order: the confirmed ones are at the front.
            doomed = []
            for update_id in self.updates:
                if update_id >= offset:
                    break
                doomed.append(update_id)
        for update_id in doomed:
            del self.updates[update_id]

    def wanted(self, update: JsonDict) -> bool:
        """Tell whether allowed_updates lets this update through."""
        kind = update_type(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _OPT_IN_UPDATES

    def deliverable(self, limit: int) -> list[JsonDict]:
        """The first `limit` queued updates the bot asked for, oldest first."""
        found: list[JsonDict] = []
        for update in self.updates.values():
            if len(found) >= limit:
                break
            if self.wanted(update):
                found.append(update)
        return found
