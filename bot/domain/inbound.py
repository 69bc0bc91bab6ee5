"""Inbound events as services see them, whatever channel they came from."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.intake_dialog import Event
from bot.domain.model import Sender


@dataclass(frozen=True)
class Command:
    """A command such as /gopy, with whatever followed it."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class ButtonPress:
    """A press on one of the bot's buttons; `data` is untrusted."""

    data: str


@dataclass(frozen=True)
class Message:
    """A message that is not a command: text, media, location or contact."""

    event: Event
    reply_to: str | None = None


@dataclass(frozen=True)
class Inbound:
    """One update from one person."""

    update_id: str
    sender: Sender
    action: Command | ButtonPress | Message
    # Set for updates from the committee group: the forum topic they came from ("" for the
    # group's main chat); None for private chats.
    thread_id: str | None = None

    @property
    def from_group(self) -> bool:
        """Whether this came from the committee group rather than a private chat."""
        return self.thread_id is not None
