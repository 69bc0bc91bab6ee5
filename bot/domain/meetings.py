"""The committee's meetings (hội nghị giao ban): when they recur, who is reminded, who answered.

A meeting is configured once (`[[meetings]]`); each time it takes place is an *occurrence*, stored
with its start as a UTC instant. Recurrences are computed by bot.scheduler.next_occurrences in
the commune's zone. Month ends: a monthly or quarterly `day` of 29–31 falls on the month's last
day in shorter months (day 31 is 30 April, 28 or 29 February), so no month is silently skipped.

Reminder rows fall due `remind_before` ahead of the start. After downtime the rule is
`catch_up`: a reminder still useful (the meeting has not started) is sent, only the latest of an
attendee's due ones; the others are skipped with a reason, which the sweep logs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_MEMBERS = "all"
_OFFSET = re.compile(r"([1-9][0-9]{0,3})([dhm])")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


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
