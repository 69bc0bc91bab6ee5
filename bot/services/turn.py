"""One update being handled: the open unit of work, who is acting, and the replies collected."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.config import Config
from bot.domain.model import ChatRef, Member, Sender
from bot.domain.outbound import Outbound, lane_for
from bot.domain.ports import UnitOfWork
from bot.domain.working_days import WorkingCalendar
from bot.services.rendering import Renderer


@dataclass
class Turn:
    """Everything a use case needs while handling one update inside one transaction."""

    uow: UnitOfWork
    now: datetime
    sender: Sender
    member: Member | None
    config: Config
    render: Renderer
    calendar: WorkingCalendar
    out: list[Outbound] = field(default_factory=list)
    bot_username: str = ""  # for deep links (invites); set once the channel knows it
    # The committee group's topic the update came from ("" for its main chat); None if private.
    thread_id: str | None = None

    @property
    def chat(self) -> ChatRef:
        """The chat the update came from (where replies go)."""
        return self.sender.chat

    @property
    def dialog_chat(self) -> ChatRef:
        """Where this person's pending input is kept: per member inside a shared group chat."""
        if self.thread_id is None:
            return self.chat
        return ChatRef(self.chat.channel, f"{self.chat.chat_id}:{self.sender.user_id}")

    def say(self, key: str, **params: object) -> None:
        """Reply with a sentence from the catalogue."""
        self.out.append(self.render.say(self.chat, key, **params))

    def send(self, *messages: Outbound) -> None:
        """Queue messages (to anyone) in this turn's transaction."""
        self.out.extend(messages)

    def outgoing(self) -> list[Outbound]:
        """The messages to queue, each in its outbox lane: replies to this chat go first."""
        return [replace(m, lane=lane_for(m, self.chat)) for m in self.out]
