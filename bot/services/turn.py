"""One update being handled: the open unit of work, who is acting, and the replies collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.config import Config
from bot.domain.model import ChatRef, Member, Sender
from bot.domain.outbound import Outbound
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

    @property
    def chat(self) -> ChatRef:
        """The chat the update came from (where replies go)."""
        return self.sender.chat

    def say(self, key: str, **params: object) -> None:
        """Reply with a sentence from the catalogue."""
        self.out.append(self.render.say(self.chat, key, **params))

    def send(self, *messages: Outbound) -> None:
        """Queue messages (to anyone) in this turn's transaction."""
        self.out.extend(messages)
