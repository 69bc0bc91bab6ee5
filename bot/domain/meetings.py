"""The committee's meetings (hội nghị giao ban): when they recur, who is reminded, who answered.

A meeting is configured once (`[[meetings]]`); each time it takes place is an *occurrence*, stored
with its start as a UTC instant. Recurrences are computed by bot.scheduler.next_occurrences in
the commune's zone. Month ends: a monthly or quarterly `day` of 29–31 falls on the month's last
day in shorter months (day 31 is 30 April, 28 or 29 February), so no month is silently skipped.

Reminder rows fall due `remind_before` ahead of the start. After downtime the rule is
`catch_up`: a reminder still useful (the meeting has not started) is sent, only the latest of an
attendee's due ones; the others are skipped with a reason, which the sweep logs.

Meetings created from the chat are stored (`ChatMeeting`); their occurrences carry the meeting id
`chat:<number>`, which no config id can be (config ids are slugs without a colon). An occurrence
can be moved (its planned start stays its key, so the recurrence does not plan it again) or
cancelled; either concerns that one occurrence only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_MEMBERS = "all"
_OFFSET = re.compile(r"([1-9][0-9]{0,3})([dhm])")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
CHAT_PREFIX = "chat:"
MAX_REASON_CHARS = 200  # a typed reason for «Vắng»: one line for the secretary's list
MAX_TITLE_CHARS = 200
MAX_PLACE_CHARS = 200
MAX_URL_CHARS = 500
# "15/12/2026 14:00", "15-12-2026 14h00", "15.12.2026 14h", or the time first.
_DATE = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
_TIME = r"(?P<hour>\d{1,2})(?:[:hH](?P<minute>\d{2})?)"
_WHEN = (
    re.compile(rf"{_DATE}\s*(?:,|lúc|luc)?\s*{_TIME}", re.IGNORECASE),
    re.compile(rf"{_TIME}\s*(?:,|ngày|ngay)?\s*{_DATE}", re.IGNORECASE),
)


class RecurrenceKind(StrEnum):
    """How often a meeting comes back."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Answer(StrEnum):
    """An attendee's reply to a meeting."""

    YES = "yes"  # Tham dự
    NO = "no"  # Vắng


class AbsenceReason(StrEnum):
    """The fixed reasons offered with «Vắng»."""

    WORK = "work"  # bận công tác
    SICK = "sick"  # ốm
    PERSONAL = "personal"  # việc riêng
    OTHER = "other"  # lý do khác


@dataclass(frozen=True)
class Recurrence:
    """A monthly or quarterly rule: a day of the month, or the n-th (or last, -1) weekday."""

    kind: RecurrenceKind
    at: time
    day: int | None = None  # 1–31
    weekday: str | None = None  # mon … sun, with `week`
    week: int | None = None  # 1–4, or -1 for the last
    month_of_quarter: int = 1  # quarterly only: 1 (Jan, Apr, Jul, Oct) to 3


@dataclass(frozen=True)
class Occurrence:
    """One stored time a meeting takes place."""

    id: int
    meeting_id: str
    starts_at: datetime
    holiday: str | None = None  # the holiday's name when it falls on one
    cancelled: bool = False
    moved: bool = False  # moved from the chat: `starts_at` is the new start
    retired: bool = False  # no longer in the config's schedule: hidden and never reminded


@dataclass(frozen=True)
class ChatMeeting:
    """A meeting the chair or the secretary created from the chat (one occurrence)."""

    id: int
    title: str
    place: str
    attendees: tuple[str, ...]
    remind_before: tuple[timedelta, ...]
    agenda_url: str | None = None


@dataclass(frozen=True)
class MeetingReminder:
    """A stored reminder to one attendee that has not been sent or skipped yet."""

    id: int
    occurrence_id: int
    member_id: str
    due_at: datetime
    starts_at: datetime


@dataclass(frozen=True)
class Rsvp:
    """What one attendee answered."""

    member_id: str
    answer: Answer
    reason: AbsenceReason | None
    at: datetime
    note: str | None = None  # the member's own words with «Lý do khác»


@dataclass(frozen=True)
class RollCall:
    """Who attends, who is absent (with their answer), who has not answered: member ids."""

    attending: list[str]
    absent: list[Rsvp]
    waiting: list[str]


@dataclass(frozen=True)
class Attendance:
    """The answers to one occurrence, counted."""

    attending: int
    absent: int
    waiting: int


@dataclass(frozen=True)
class CatchUp:
    """Which due reminders to send now, and which to skip (with a reason)."""

    send: list[MeetingReminder] = field(default_factory=list)
    skip: list[tuple[MeetingReminder, str]] = field(default_factory=list)


def parse_offset(text: str) -> timedelta:
    """ "3d", "1d", "2h", "30m": how long before the start a reminder goes; ValueError otherwise."""
    match = _OFFSET.fullmatch(text.strip())
    if match is None:
        raise ValueError(f'"{text}" is not like "3d", "2h" or "30m"')
    return int(match.group(1)) * _UNITS[match.group(2)]


def reminder_times(starts_at: datetime, before: Sequence[timedelta]) -> list[datetime]:
    """When the reminders of an occurrence fall due, earliest first."""
    return sorted({starts_at - offset for offset in before})


def catch_up(due: Sequence[MeetingReminder], now: datetime) -> CatchUp:
    """Decide which due reminders to send: see the module docstring."""
    decision = CatchUp()
    latest: dict[tuple[int, str], MeetingReminder] = {}
    for row in sorted(due, key=lambda r: (r.due_at, r.id)):
        if row.starts_at <= now:
            decision.skip.append((row, "meeting_started"))
            continue
        key = (row.occurrence_id, row.member_id)
        if key in latest:
            decision.skip.append((latest[key], "superseded"))
        latest[key] = row
    decision.send.extend(latest.values())
    return decision


def count_attendance(rsvps: Sequence[Rsvp], attendees: int) -> Attendance:
    """How many said yes, no, and have not answered yet."""
    yes = sum(r.answer is Answer.YES for r in rsvps)
    no = sum(r.answer is Answer.NO for r in rsvps)
    return Attendance(attending=yes, absent=no, waiting=max(attendees - yes - no, 0))


def roll_call(attendees: Sequence[str], rsvps: Sequence[Rsvp]) -> RollCall:
    """The attendees sorted by their answer, in the attendees' order (answers of others ignored)."""
    by_member: Mapping[str, Rsvp] = {r.member_id: r for r in rsvps}
    call = RollCall(attending=[], absent=[], waiting=[])
    for member_id in attendees:
        rsvp = by_member.get(member_id)
        if rsvp is None:
            call.waiting.append(member_id)
        elif rsvp.answer is Answer.YES:
            call.attending.append(member_id)
        else:
            call.absent.append(rsvp)
    return call


def chat_meeting_id(number: int) -> str:
    """The meeting id of occurrences of a chat-created meeting."""
    return f"{CHAT_PREFIX}{number}"


def chat_meeting_number(meeting_id: str) -> int | None:
    """The stored number of a chat-created meeting, or None for a configured one."""
    if not meeting_id.startswith(CHAT_PREFIX):
        return None
    digits = meeting_id[len(CHAT_PREFIX) :]
    return int(digits) if digits.isascii() and digits.isdigit() else None


def parse_local_datetime(text: str) -> datetime | None:
    """A local date-time typed the Vietnamese way ("15/12/2026 14:00"), naive; None if unreadable."""
    cleaned = " ".join(text.split())
    for pattern in _WHEN:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        try:
            return datetime(
                int(parts["year"]),
                int(parts["month"]),
                int(parts["day"]),
                int(parts["hour"]),
                int(parts["minute"] or 0),
            )
        except ValueError:
            return None
    return None


def valid_agenda_url(text: str) -> bool:
    """An http(s) address with a host, without spaces, of a sensible length."""
    if not text or len(text) > MAX_URL_CHARS or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
