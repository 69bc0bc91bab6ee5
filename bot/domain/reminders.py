"""Deadline reminders as rows: when each falls due, and which due ones are still worth sending.

A case gets, when it arrives, one `before` reminder per configured "N working days before the
due day", an `overdue` escalation and the first `progress` note to the citizen. The scheduler
only wakes a sweep that reads the due rows, so the rules for what to do with rows that fell due
while the bot was down live here, pure and testable:

- A row of a case that is no longer open is skipped (answered, closed, withdrawn, ...).
- `before`: moot once the deadline has passed (the escalation says it instead). Otherwise only
  the latest due one is sent and older ones are skipped: after downtime the assignee gets one
  reminder, not a burst.
- `overdue`: sent once, however late; skipped if the deadline has since moved into the future.
- `progress`: only the latest due one is sent; the next one is planned on the same cadence after
  now, so a long downtime costs the missed notes instead of repeating them.

Messages go out in the morning (the configured local hour), never at the midnight a deadline
ends: the escalation on the morning after the due day, progress notes N days after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.working_days import WorkingCalendar, local_day, local_moment, reminder_moments


class ReminderKind(StrEnum):
    """What a reminder row does when it falls due."""

    BEFORE = "before"  # remind the holder (or the field's members) ahead of the deadline
    OVERDUE = "overdue"  # escalate to the chairs once the deadline has passed
    PROGRESS = "progress"  # tell the citizen the case is still being handled


@dataclass(frozen=True)
class ReminderPolicy:
    """The configured cadence (config.deadlines), as the domain needs it."""

    before_working_days: tuple[int, ...] = (3, 1)
    at_hour: int = 8
    escalate: bool = True
    progress_every_days: int = 7  # 0: no progress notes


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder to store: its kind, when it falls due and, for `before`, how many days ahead."""

    kind: ReminderKind
    due_at: datetime
    days_before: int | None = None


@dataclass(frozen=True)
class Reminder:
    """A stored reminder that has not been sent or skipped yet."""

    id: int
    case_id: int
    kind: ReminderKind
    days_before: int | None
    due_at: datetime


@dataclass(frozen=True)
class CatchUp:
    """What to do with one case's due reminders: send some, skip the rest (with a reason)."""

    send: list[Reminder] = field(default_factory=list)
    skip: list[tuple[Reminder, str]] = field(default_factory=list)


def plan_reminders(
    case_due_at: datetime,
    now: datetime,
    policy: ReminderPolicy,
    *,
    tz: ZoneInfo,
    calendar: WorkingCalendar,
) -> list[PlannedReminder]:
    """Every reminder of a case due at `case_due_at` still to come after `now`, in time order.

    `before` moments already past are left out (a case that arrives with 1 working day left
    gets no "3 days left"). The escalation is always planned: if it is already due, the next
    sweep sends it once. Progress notes come every N days after the due day; the first one
    planned is the next of them after `now` (which matters when re-planning an old case).
    """
    planned = [
        PlannedReminder(ReminderKind.BEFORE, moment, n)
        for n in policy.before_working_days
        for moment in reminder_moments(
            case_due_at, (n,), tz=tz, calendar=calendar, at_hour=policy.at_hour
        )
        if moment > now
    ]
    if policy.escalate:
        planned.append(
            PlannedReminder(ReminderKind.OVERDUE, escalation_at(case_due_at, policy, tz))
        )
    progress = next_progress_at(case_due_at, now, policy, tz)
    if progress is not None:
        planned.append(PlannedReminder(ReminderKind.PROGRESS, progress))
    return sorted(planned, key=lambda p: p.due_at)


def escalation_at(case_due_at: datetime, policy: ReminderPolicy, tz: ZoneInfo) -> datetime:
    """The morning after the due day: the deadline has passed, and nobody is woken at midnight."""
    return _days_after(case_due_at, 1, policy, tz)


def next_progress_at(
    previous: datetime, now: datetime, policy: ReminderPolicy, tz: ZoneInfo
) -> datetime | None:
    """The first progress moment after `now` on the cadence of `previous`; None if notes are off."""
    every = policy.progress_every_days
    if every <= 0:
        return None
    day = local_day(previous, tz) + timedelta(days=every)
    behind = (local_day(now, tz) - day).days
    if behind > 0:
        day += timedelta(days=behind // every * every)
    while (moment := local_moment(day, policy.at_hour, tz)) <= now:
        day += timedelta(days=every)
    return moment


def catch_up(
    due: Sequence[Reminder], *, case_open: bool, case_due_at: datetime, now: datetime
) -> CatchUp:
    """Decide which of one case's due reminders to send now; see the module docstring."""
    if not case_open:
        return CatchUp(skip=[(r, "case_not_open") for r in due])
    decision = CatchUp()
    overdue = now > case_due_at
    for kind in ReminderKind:
        rows = sorted((r for r in due if r.kind is kind), key=lambda r: (r.due_at, r.id))
        if not rows:
            continue
        if kind is ReminderKind.BEFORE and overdue:
            decision.skip.extend((r, "deadline_passed") for r in rows)
            continue
        if kind is not ReminderKind.BEFORE and not overdue:
            # The deadline moved later after this row was planned: it no longer applies.
            decision.skip.extend((r, "not_overdue") for r in rows)
            continue
        *older, latest = rows
        decision.skip.extend((r, "superseded") for r in older)
        decision.send.append(latest)
    return decision


def _days_after(instant: datetime, days: int, policy: ReminderPolicy, tz: ZoneInfo) -> datetime:
    """The configured hour, local time, `days` local days after the local day of `instant`."""
    return local_moment(local_day(instant, tz) + timedelta(days=days), policy.at_hour, tz)
