"""Which meeting an occurrence belongs to: one from the config, or one created from the chat."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.config import Config, MeetingConfig
from bot.domain.meetings import ChatMeeting, Occurrence, chat_meeting_number
from bot.domain.ports import UnitOfWork


async def meeting_for(
    uow: UnitOfWork, config: Config, occurrence: Occurrence
) -> MeetingConfig | None:
    """The meeting an occurrence belongs to: configured, or created from the chat (None once
    removed from the config)."""
    number = chat_meeting_number(occurrence.meeting_id)
    if number is None:
        return next((m for m in config.meetings if m.id == occurrence.meeting_id), None)
    stored = await uow.meetings.chat_meeting(number)
    return None if stored is None else as_meeting(stored, occurrence, config.commune.tz)


def as_meeting(stored: ChatMeeting, occurrence: Occurrence, tz: ZoneInfo) -> MeetingConfig:
    """A chat-created meeting in the shape of a configured one-off."""
    return MeetingConfig(
        id=occurrence.meeting_id,
        title=stored.title,
        attendees=stored.attendees,
        place=stored.place,
        start=occurrence.starts_at.astimezone(tz).replace(tzinfo=None),
        remind_before=stored.remind_before,
        agenda_url=stored.agenda_url,
    )
