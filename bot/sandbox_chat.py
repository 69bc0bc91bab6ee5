"""A person chatting with the bot inside the sandbox emulator: used by the demo, the terminal
sandbox and the end-to-end tests, so all three drive the bot exactly as a user would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sandbox import BotApiEmulator

JsonDict = dict[str, Any]


class SandboxChat:
    """One user's private chat with the bot."""

    def __init__(
        self,
        emu: BotApiEmulator,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        *,
        on_message: Callable[[SandboxChat, JsonDict], None] | None = None,
    ) -> None:
        self.emu = emu
        self.user_id = user_id
        self.name = " ".join(p for p in (first_name, last_name) if p)
        self._on_message = on_message
        self._seen = 0
        emu.add_user(user_id, first_name=first_name, last_name=last_name, username=username)

    # Reading ----------------------------------------------------------------------------------

    def inbox(self) -> list[JsonDict]:
        """Every message the bot sent to this chat, in order (current text after edits)."""
        return self.emu.bot_messages(self.user_id)

    def last(self) -> JsonDict:
        """The newest message from the bot."""
        messages = self.inbox()
        if not messages:
            raise AssertionError(f"{self.name} has no message from the bot")
        return messages[-1]

    def texts(self) -> list[str]:
        """The visible text (or caption) of every bot message."""
        return [visible_text(m) for m in self.inbox()]

    def new_messages(self) -> list[JsonDict]:
        """Bot messages since the previous call (also reported to `on_message`)."""
        messages = self.inbox()
        fresh = messages[self._seen :]
        self._seen = len(messages)
        self._report(fresh)
        return fresh

    def _report(self, messages: list[JsonDict]) -> None:
        if self._on_message is not None:
            for message in messages:
                self._on_message(self, message)

    def mark_read(self) -> None:
        """Treat every message so far as read, without reporting it."""
        self._seen = len(self.inbox())

    async def wait_for(self, contains: str | tuple[str, ...], timeout: float = 10.0) -> JsonDict:  # noqa: ASYNC109
        """Wait until a bot message containing `contains` (or any of several) arrives unread."""
        needles = (contains,) if isinstance(contains, str) else contains
        start = self._seen
        deadline = time.monotonic() + timeout
        while True:
            messages = self.inbox()
            for index in range(start, len(messages)):
                message = messages[index]
                if any(needle in visible_text(message) for needle in needles):
                    self._report(messages[start : index + 1])
                    self._seen = index + 1  # later messages stay unread for the next wait
                    return message
            if time.monotonic() > deadline:
                recent = [visible_text(m)[:80] for m in messages[-5:]]
                raise AssertionError(
                    f"{self.name}: no message containing {contains!r}; last: {recent}"
                )
            await asyncio.sleep(0.02)

    def current(self, message: JsonDict) -> JsonDict:
        """`message` as the chat shows it now (after edits); fails if it was deleted."""
        for shown in self.inbox():
            if shown["message_id"] == message["message_id"]:
                return shown
        raise AssertionError(f"{self.name}: message {message['message_id']} is gone")

    async def wait_for_edit(
        self,
        message: JsonDict,
        contains: str | tuple[str, ...],
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> JsonDict:
        """Wait until `message`, edited in place, shows every one of `contains`."""
        needles = (contains,) if isinstance(contains, str) else contains
        deadline = time.monotonic() + timeout
        while True:
            shown = self.current(message)
            if all(needle in visible_text(shown) for needle in needles):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.name}: message {message['message_id']} never showed {contains!r};"
                    f" it shows {visible_text(shown)[:200]!r}"
                )
            await asyncio.sleep(0.02)

    async def settle(self, quiet: float = 0.4, timeout: float = 10.0) -> list[JsonDict]:  # noqa: ASYNC109
        """Wait until the bot has stopped writing to this chat for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        count, since = len(self.inbox()), time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            now_count = len(self.inbox())
            if now_count != count:
                count, since = now_count, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return self.new_messages()

    # Acting -----------------------------------------------------------------------------------

    def say(self, text: str, *, reply_to: int | None = None) -> JsonDict:
        """Send a text (commands get their bot_command entity)."""
        self.new_messages()
        return self.emu.send_text(self.user_id, text, reply_to=reply_to)

    def press(self, label: str, *, message: JsonDict | None = None) -> None:
        """Press the button labelled `label` on the newest bot message that has one."""
        self.new_messages()
        candidates = [message] if message is not None else reversed(self.inbox())
        for candidate in candidates:
            for row in _inline_rows(candidate):
                for button in row:
                    if button.get("text") == label:
                        self.emu.press_button(
                            self.user_id, candidate["message_id"], button["callback_data"]
                        )
                        return
        raise AssertionError(f"{self.name}: no button labelled {label!r}")

    def press_data(self, message_id: int, data: str) -> None:
        """Press a button with arbitrary (possibly forged) data."""
        self.new_messages()
        self.emu.press_button(self.user_id, message_id, data, forged=True)


def visible_text(message: JsonDict) -> str:
    """What a user sees of a message: its text or caption, or a tag for media without one."""
    text = message.get("text") or message.get("caption")
    if text:
        return str(text)
    for kind in ("photo", "document", "voice", "location", "video"):
        if kind in message:
            return f"[{kind}]"
    return ""


def button_labels(message: JsonDict) -> list[str]:
    """Labels of a message's inline buttons, row by row."""
    return [b.get("text", "") for row in _inline_rows(message) for b in row]


def _inline_rows(message: JsonDict) -> list[list[JsonDict]]:
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or []
    return [list(row) for row in rows]
